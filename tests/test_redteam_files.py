"""What the red team broke with damaged records, special files and hostile input, held here so it stays fixed.

Each test names the finding it holds (the numbers of the red team's report).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator import writer
from generator.cli import main
from generator.errors import GeneratorError
from generator.notes import load_notes
from generator.sources import load_yaml
from generator.state import fingerprint
from generator.taxonomy import load_taxonomy
from generator.textclean import clean_text
from generator.writer import MANIFEST, STATE, lock_path, read_manifest

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "corpus"
TAGS = HERE / "fixtures" / "tags.yml"
SLUG = "graph-neural-networks-for-molecules"  # a paper of the fixture corpus


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp/corpus/{sources, tags.yml} (notes.yml, overrides.yml and slugs.lock go beside them) and tmp/docs."""
    shutil.copytree(FIXTURE, tmp_path / "corpus" / "sources")
    shutil.copy(TAGS, tmp_path / "corpus" / "tags.yml")
    return tmp_path


def args(project: Path, *extra: str) -> list[str]:
    corpus = project / "corpus"
    return ["generate", "--sources", str(corpus / "sources"), "--docs", str(project / "docs")] + [
        "--tags",
        str(corpus / "tags.yml"),
        *extra,
    ]


def run(capsys, project: Path, *extra: str) -> tuple[int, str]:
    code = main(args(project, *extra))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def run_child(project: Path, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """The command in a fresh process: for what happens at import time, or what could block."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args(project)],
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def snapshot(docs: Path) -> dict[str, bytes]:
    return {str(p.relative_to(docs)): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


# --- 1. a version-1 manifest (paths, no digests) proves nothing about a file's content ---------------


def version_1(docs: Path, extra: list[str]) -> None:
    (docs / STATE).unlink()
    manifest = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    (docs / MANIFEST).write_text(json.dumps({"generated": sorted(manifest["generated"]) + extra}), encoding="utf-8")


def test_version_1_manifest_never_deletes_hand_written_files(project, capsys):
    assert run(capsys, project)[0] == 0
    docs = project / "docs"
    (docs / "about.md").write_text("# About me\n", encoding="utf-8")
    (docs / "stylesheets").mkdir()
    (docs / "stylesheets" / "extra.css").write_text("body { color: red }\n", encoding="utf-8")
    version_1(docs, ["about.md", "stylesheets/extra.css"])
    code, err = run(capsys, project)
    assert code == 0, err
    assert (docs / "about.md").read_text(encoding="utf-8") == "# About me\n"
    assert (docs / "stylesheets" / "extra.css").read_text(encoding="utf-8") == "body { color: red }\n"
    assert f"note: {docs / 'about.md'}: " in err and "kept" in err
    # From now on they are the user's files: the manifest no longer names them.
    assert "about.md" not in read_manifest(docs) and "stylesheets/extra.css" not in read_manifest(docs)
    assert all(len(digests) == 1 for digests in read_manifest(docs).values())


def test_version_1_manifest_never_overwrites_other_content(project, capsys):
    assert run(capsys, project)[0] == 0
    docs = project / "docs"
    (docs / "index.md").write_text("# My own home page\n", encoding="utf-8")
    version_1(docs, [])
    before = snapshot(docs)
    code, err = run(capsys, project)
    assert code == 1
    assert f"{docs / 'index.md'}: " in err and "nothing was written" in err
    assert snapshot(docs) == before


def test_version_1_manifest_adopts_files_that_hold_what_would_be_written(project, capsys):
    assert run(capsys, project)[0] == 0
    docs = project / "docs"
    version_1(docs, [])
    code, err = run(capsys, project)
    assert code == 0, err
    assert all(len(digests) == 1 for digests in read_manifest(docs).values())


# --- 2. the slug lock is written before any page --------------------------------------------------------


def test_an_unwritable_slug_lock_leaves_docs_untouched(project, capsys, monkeypatch):
    lock = project / "corpus" / "slugs.lock"
    lock.write_text("{}\n", encoding="utf-8")  # a lock exists: new papers extend it
    real = writer.atomic_write

    def read_only_corpus(path, data):
        if os.fspath(path).startswith(str(project / "corpus")):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        real(path, data)

    monkeypatch.setattr(writer, "atomic_write", read_only_corpus)
    code, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {lock}: cannot write the slug lock"), err
    docs = project / "docs"
    assert not docs.exists() or snapshot(docs) == {}
    assert lock.read_text(encoding="utf-8") == "{}\n"


def test_the_slug_lock_is_still_written(project, capsys):
    lock = project / "corpus" / "slugs.lock"
    lock.write_text("{}\n", encoding="utf-8")
    assert run(capsys, project)[0] == 0
    assert SLUG in json.loads(lock.read_text(encoding="utf-8")).values()


# --- 3. one folder, one lock, whatever path reaches it ------------------------------------------------------


def test_docs_lock_is_named_after_the_real_folder(project, capsys, monkeypatch):
    docs = project / "docs"
    docs.mkdir()
    link = project / "lnk"
    link.symlink_to(docs, target_is_directory=True)
    assert lock_path(link) == lock_path(docs)
    monkeypatch.setattr(writer, "LOCK_WAIT", 0.3)
    hold = "import sys, time; from pathlib import Path; from generator.writer import docs_lock\n"
    hold += "with docs_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)\n"
    other = subprocess.Popen([sys.executable, "-c", hold, str(docs)], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "held\n"
        code, err = run(capsys, project, "--docs", str(link))
    finally:
        other.kill()
        other.wait()
    assert code == 1
    assert "another readinglist run is using this folder" in err
    assert snapshot(docs) == {}


# --- 4. LaTeX that would make pylatexenc recurse or run for ever stays as written ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We study \\frac" + "{" * 1000,
        "x" * 116 + " " + "\\frac{" * 22,
        "short " + "\\frac{" * 30 + "a" + "}" * 30,
        "a " + "^{" * 40 + "2" + "}" * 40,
        "b \\sqrt" * 60,
        "c " + "\\frac\\frac\\frac" * 30,
    ],
)
def test_deep_or_long_latex_is_cleaned_at_once_and_kept(text):
    started = time.perf_counter()
    cleaned = clean_text(text)
    assert time.perf_counter() - started < 0.5
    assert cleaned == " ".join(text.split())


def test_any_pylatexenc_failure_keeps_the_text(monkeypatch):
    from generator import textclean

    class Exploding:
        def latex_to_text(self, source):
            raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(textclean, "CONVERTER", Exploding())
    assert clean_text(r"a \alpha-test and x^{\beta-two}") == r"a \alpha-test and x^{\beta-two}"


def test_ordinary_latex_still_converts():
    assert clean_text(r"\frac{a}{b} and $O(\epsilon^{-2})$") == "a/b and $O(ε⁻²)$"


# --- 5. SOURCE_DATE_EPOCH is checked before anything reads it ------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999", "-5"])
def test_bad_source_date_epoch_is_one_clear_error(project, value):
    done = run_child(project, {"SOURCE_DATE_EPOCH": value})
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"error: SOURCE_DATE_EPOCH must be a Unix time in seconds, not {value!r}\n"
    assert not (project / "docs").exists()


def test_empty_source_date_epoch_means_unset(project):
    done = run_child(project, {"SOURCE_DATE_EPOCH": ""})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


# --- 6. damaged records ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        {"files": []},
        {"files": "x"},
        {"files": None},
        {"files": {"index.md": "x"}},
        {"summary": {"counts": [[1]]}},
        {"summary": {"problems": [[1, 2]]}},
        {"summary": []},
        {"summary": {"notes": [3]}},
    ],
)
def test_a_damaged_state_file_means_a_full_run(project, capsys, damage):
    assert run(capsys, project)[0] == 0
    state_file = project / "docs" / STATE
    state = json.loads(state_file.read_text(encoding="utf-8"))
    for key, value in damage.items():
        if isinstance(value, dict):
            state[key].update(value)
        else:
            state[key] = value
    state_file.write_text(json.dumps(state), encoding="utf-8")
    code, err = run(capsys, project)
    assert code == 0, err
    assert json.loads(state_file.read_text(encoding="utf-8"))["fingerprint"] == state["fingerprint"]


def test_a_deeply_nested_state_file_means_a_full_run(project, capsys):
    assert run(capsys, project)[0] == 0
    (project / "docs" / STATE).write_text("[" * 100_000, encoding="utf-8")
    code, err = run(capsys, project)
    assert code == 0, err


def test_a_deeply_nested_manifest_is_an_error(project, capsys):
    assert run(capsys, project)[0] == 0
    manifest = project / "docs" / MANIFEST
    manifest.write_text('{"generated": ' + "[" * 100_000, encoding="utf-8")
    (project / "docs" / STATE).unlink()  # else the run stops early: nothing changed, nothing to write
    code, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {manifest}: manifest is unreadable"), err


def test_a_deeply_nested_slug_lock_is_an_error(project, capsys):
    lock = project / "corpus" / "slugs.lock"
    lock.write_text('{"a": ' + "[" * 100_000, encoding="utf-8")
    code, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {lock}:"), err
    assert "slug lock" in err


# --- 7. data files that are not regular files, or are huge ----------------------------------------------------


@pytest.mark.parametrize("name", ["notes.yml", "overrides.yml", "tags.yml", "slugs.lock"])
def test_a_named_pipe_in_place_of_a_data_file_is_an_error(project, name):
    target = project / "corpus" / name
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    done = run_child(project, timeout=30)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"error: {target}: "), done.stderr
    assert "is not a regular file" in done.stderr


@pytest.mark.parametrize("name", ["notes.yml", "slugs.lock"])
def test_a_device_in_place_of_a_data_file_is_never_read(project, capsys, name):
    target = project / "corpus" / name
    target.symlink_to("/dev/zero")
    code, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {target}: ") and "is not a regular file" in err, err


def test_dev_null_still_means_no_overrides(project, capsys):
    code, err = run(capsys, project, "--overrides", "/dev/null")
    assert code == 0, err


def test_a_huge_data_file_is_refused_unread(project, capsys, monkeypatch):
    from generator import sources

    monkeypatch.setattr(sources, "DATA_FILE_LIMIT", 1000)
    notes = project / "corpus" / "notes.yml"
    notes.write_text("# " + "x" * 2000 + "\n", encoding="utf-8")
    code, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {notes}: is larger than"), err


def test_the_size_limit_is_twenty_megabytes():
    from generator import sources

    assert sources.DATA_FILE_LIMIT == 20 * 1024 * 1024


# --- 8. the fingerprint reads only what the run reads ---------------------------------------------------------


def test_fingerprint_ignores_files_that_are_not_listings(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    other = tmp_path / "video.mkv"
    other.write_bytes(b"1")
    before = fingerprint([], [tmp_path], [])
    other.write_bytes(b"2")
    assert fingerprint([], [tmp_path], []) == before
    (tmp_path / "a.txt").write_text("y", encoding="utf-8")
    assert fingerprint([], [tmp_path], []) != before


def test_fingerprint_never_opens_a_non_listing(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "kmsg").write_text("would block", encoding="utf-8")
    opened = []
    real_open = open

    def spy(file, *a, **k):
        opened.append(os.fspath(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    monkeypatch.setattr(Path, "read_bytes", lambda self: (opened.append(str(self)), b"")[1])
    fingerprint([], [tmp_path], [])
    assert not any(name.endswith("kmsg") for name in opened)


# --- 9. notes that would take minutes or recurse in Python-Markdown -------------------------------------------


NOTES_TEXT = "other-paper:\n  status: read\n{slug}:\n  note: {note}\n"


@pytest.mark.parametrize(
    "note, reason",
    [
        ("[" * 50_000, "too long"),
        ("[" * 3_000, "links"),
        ("- " * 2_000 + "x", "nested"),
        ("> " * 200 + "x", "nested"),
        ("1. " * 1_000 + "x", "nested"),
    ],
)
def test_a_note_too_big_or_too_deep_is_an_error_naming_line_and_slug(note, reason):
    text = NOTES_TEXT.format(slug=SLUG, note=json.dumps(note))
    started = time.perf_counter()
    with pytest.raises(GeneratorError) as caught:
        load_notes(yaml.safe_load(text), "corpus/notes.yml", [SLUG, "other-paper"], text)
    assert time.perf_counter() - started < 1
    error = caught.value
    assert (error.path, error.line) == ("corpus/notes.yml", 3)
    assert error.message.startswith(f"{SLUG}: ") and reason in error.message


def test_a_rendering_failure_is_an_error_naming_the_note(monkeypatch):
    from generator import notes

    def boom(text):
        if text:
            raise RecursionError("maximum recursion depth exceeded")
        return []

    monkeypatch.setattr(notes, "note_links", boom)
    text = NOTES_TEXT.format(slug=SLUG, note="fine")
    with pytest.raises(GeneratorError, match=f"{SLUG}: the note cannot be rendered") as caught:
        load_notes(yaml.safe_load(text), "corpus/notes.yml", [SLUG, "other-paper"], text)
    assert caught.value.line == 3


def test_an_ordinary_long_note_is_fine():
    note = "\n\n".join(f"- [link {i}](https://example.org/{i})\n    - nested *item*" for i in range(100))
    text = f"{SLUG}:\n  note: {json.dumps(note)}\n"
    found, _ = load_notes(yaml.safe_load(text), "notes.yml", [SLUG], text)
    assert found[SLUG].note.startswith("- [link 0]")


# --- 10. a dangling symbolic link for a data file is an error ---------------------------------------------------


@pytest.mark.parametrize("name", ["notes.yml", "overrides.yml", "slugs.lock"])
def test_a_dangling_link_for_a_data_file_is_an_error(project, capsys, name):
    target = project / "corpus" / name
    target.symlink_to(project / "nowhere" / name)
    code, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {target}: ") and "is a symbolic link to " in err, err
    assert "which does not exist" in err


# --- 11. duplicate YAML keys ---------------------------------------------------------------------------------------


def test_a_duplicate_yaml_key_is_an_error_with_both_lines():
    text = "a:\n  status: read\nb: {}\na:\n  status: reading\n"
    with pytest.raises(GeneratorError) as caught:
        load_yaml(text, Path("corpus/notes.yml"))
    assert str(caught.value) == "corpus/notes.yml:4: duplicate key 'a' (first at line 1)"


def test_a_duplicate_key_inside_a_note_is_an_error():
    text = "a:\n  status: read\n  priority: 1\n  status: to-read\n"
    with pytest.raises(GeneratorError, match=r"notes.yml:4: duplicate key 'status' \(first at line 2\)"):
        load_yaml(text, Path("notes.yml"))


def test_a_duplicate_notes_slug_stops_the_run(project, capsys):
    notes = project / "corpus" / "notes.yml"
    notes.write_text(f"{SLUG}:\n  status: read\n{SLUG}:\n  status: reading\n", encoding="utf-8")
    code, err = run(capsys, project)
    assert code == 1
    assert err == f"error: {notes}:3: duplicate key '{SLUG}' (first at line 1)\n"


def test_merge_keys_and_equal_values_in_lists_are_not_duplicates():
    data = load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  x: 2\nlist: [a, a]\n", Path("f.yml"))
    assert data["other"] == {"x": 2} and data["list"] == ["a", "a"]


# --- 12. tags reserve `readme` too ---------------------------------------------------------------------------------


def test_a_tag_named_readme_is_refused():
    tag = {"name": "README", "group": "G", "description": "d", "phrases": ["p"]}
    with pytest.raises(GeneratorError, match="slug 'readme' is reserved"):
        load_taxonomy({"tags": [tag]}, "tags.yml")


# --- 13. docs/ and the sources folder stay apart -------------------------------------------------------------------


def test_docs_inside_the_sources_folder_is_refused(project, capsys):
    sources = project / "corpus" / "sources"
    before = sorted(p.name for p in sources.iterdir())
    code, err = run(capsys, project, "--docs", str(sources))
    assert code == 1
    assert "sources folder" in err
    code, err = run(capsys, project, "--docs", str(sources / "site"))
    assert code == 1
    assert sorted(p.name for p in sources.iterdir()) == before


def test_docs_holding_the_sources_folder_is_refused(project, capsys):
    code, err = run(capsys, project, "--docs", str(project / "corpus"))
    assert code == 1
    assert "sources folder" in err
    assert not (project / "corpus" / "index.md").exists()
