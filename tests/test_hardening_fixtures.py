"""Tests own their data: nothing under tests/ reads the owner's live corpus/.

corpus/ changes every day; a test that reads it turns a pull request that only adds
a listing red. Tests read tests/fixtures/embedded/, a frozen copy with the same layout.
"""

from __future__ import annotations

import re
import shutil

import pytest

from generator.build import Options, make_catalogue
from tests import liveguard
from tests.sitebuild import EMBEDDED, ROOT

# A path built from the repository root into corpus/: ROOT / "corpus", HERE.parent / "corpus",
# Path(__file__).resolve().parents[1] / "corpus". Relative paths ("corpus/sources", Options()'s
# defaults) are left to the audit hook, which judges them against the folder they are used in:
# many tests build a scratch project laid out like the repository and work inside it.
LIVE_PATH = re.compile(r"""(?:\bROOT|\.parent|\.parents\[1\])\s*/\s*["']corpus["']""")
NOT_TESTS = {
    "tests/browser/measure.py",  # a command, not a test: it measures the owner's site, from corpus/
    "tests/liveguard.py",  # names corpus/ to guard it
    "tests/test_hardening_fixtures.py",  # this file's examples
}


def live_references(text: str) -> list[int]:
    return [text.count("\n", 0, m.start()) + 1 for m in LIVE_PATH.finditer(text)]


def test_no_test_code_builds_a_path_into_the_live_corpus():
    """Subprocesses escape the audit hook, so the test code itself must not point at corpus/."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith("tests/fixtures/") or name in NOT_TESTS:
            continue
        found += [f"{name}:{line}" for line in live_references(path.read_text(encoding="utf-8"))]
    assert found == [], "use tests.sitebuild.EMBEDDED (the frozen copy), not corpus/"


@pytest.mark.parametrize(
    "code",
    [
        'ROOT / "corpus" / "sources"',
        'str(ROOT/"corpus"/"tags.yml")',
        'HERE.parent / "corpus"',
        'Path(__file__).resolve().parents[1] / "corpus"',
    ],
)
def test_the_scan_sees_each_way_of_naming_corpus(code):
    assert live_references(f"x = 1\nsources = {code}\n") == [2]


@pytest.mark.parametrize(
    "code",
    [
        'PATH = "corpus/notes.yml"',  # a label in an error message
        'EMBEDDED / "sources"',
        'FIXTURE / "corpus"',  # tests/fixtures/corpus, the golden fixture
        'tmp_path / "corpus" / "sources"',  # a scratch project
        '["generate", "--sources", "corpus/sources"]',  # relative: the audit hook's business
        '"the embedded corpus"',
    ],
)
def test_the_scan_ignores_labels_fixtures_and_scratch_projects(code):
    assert live_references(f"x = {code}\n") == []


def read_and_forget(action) -> list[str]:
    """Run `action`, which must trip the guard; return what it recorded and clear it (so this test passes)."""
    before = len(liveguard.reads)
    with pytest.raises(liveguard.LiveCorpusRead, match="tests/fixtures/embedded"):
        action()
    touched = liveguard.reads[before:]
    del liveguard.reads[before:]
    return touched


def test_guard_stops_opening_a_live_corpus_file():
    touched = read_and_forget(lambda: (ROOT / "corpus" / "tags.yml").read_bytes())
    assert touched == [str(ROOT / "corpus" / "tags.yml")]


def test_guard_stops_the_generators_default_sources(monkeypatch):
    monkeypatch.chdir(ROOT)  # Options() means corpus/sources and corpus/tags.yml, relative to here
    assert read_and_forget(lambda: make_catalogue(Options()))


def test_guard_stops_listing_the_live_corpus():
    assert read_and_forget(lambda: sorted((ROOT / "corpus" / "sources").glob("*.txt")))


def test_guard_lets_rmtree_remove_another_folder_named_corpus(tmp_path, monkeypatch):
    """shutil.rmtree opens each subfolder by its bare name relative to its parent's descriptor:
    tmp/x/corpus is not the working directory's corpus/ (pytest's own tmp clean-up does this)."""
    (tmp_path / "x" / "corpus" / "sources").mkdir(parents=True)
    (tmp_path / "x" / "corpus" / "sources" / "a.txt").write_text("a", encoding="utf-8")
    monkeypatch.chdir(ROOT)
    shutil.rmtree(tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_guard_lets_the_frozen_copy_through():
    assert len(sorted((EMBEDDED / "sources").glob("*.txt"))) == 5
    assert (EMBEDDED / "tags.yml").read_bytes()


def test_frozen_copy_has_the_corpus_layout():
    """The generator's defaults find overrides.yml next to tags.yml and notes.yml beside sources/."""
    options = Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")
    assert options.overrides_path.is_file()
    assert options.notes_path[0].is_file()
