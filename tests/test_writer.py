"""The writer's promises: atomic, incremental, never clobbers a user's file, survives kill -9."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import GeneratorError
from generator.writer import MANIFEST, MANIFEST_VERSION, STATE, TMP_SUFFIX, manifest_text, read_manifest, write_plan
from tests.isolated import abstract, tags_alone
from tests.sitebuild import ROOT


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file with its bytes and mtime, except the no-op cache (STATE), which records file times."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and p.name != STATE
    }


def contents(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != STATE
    }


def age(folder: Path) -> None:
    """Set every mtime an hour back, so that a rewrite cannot hide inside the clock's resolution."""
    for path in folder.rglob("*"):
        if path.is_file():
            old = path.stat().st_mtime - 3600
            os.utime(path, (old, old))


PLAN = {"index.md": "# Home\n", "papers/a.md": "# A\n", "papers/b.md": "# B\n", "papers.json": "{}\n"}


# --- unit level: write_plan on literal plans ---------------------------------------------------------


def test_writes_the_plan_and_a_manifest_with_hashes(tmp_path):
    report = write_plan(tmp_path, PLAN)
    assert sorted(report.written) == sorted(PLAN)
    assert {rel: (tmp_path / rel).read_text(encoding="utf-8") for rel in PLAN} == PLAN
    manifest = read_manifest(tmp_path)
    assert set(manifest) == set(PLAN) and all(len(h) == 1 for h in manifest.values())
    assert not list(tmp_path.rglob(f"*{TMP_SUFFIX}"))
    assert oct((tmp_path / "index.md").stat().st_mode & 0o777) == "0o644"


def test_second_run_rewrites_nothing_and_mtimes_stay(tmp_path):
    write_plan(tmp_path, PLAN)
    age(tmp_path)
    before = snapshot(tmp_path)
    report = write_plan(tmp_path, PLAN)
    assert report.written == () and report.removed == () and report.unchanged == len(PLAN)
    assert snapshot(tmp_path) == before


def test_only_changed_files_are_rewritten(tmp_path):
    write_plan(tmp_path, PLAN)
    age(tmp_path)
    before = snapshot(tmp_path)
    report = write_plan(tmp_path, {**PLAN, "papers/a.md": "# A, revised\n"})
    assert report.written == ("papers/a.md",)
    after = snapshot(tmp_path)
    for rel in ("index.md", "papers/b.md", "papers.json"):
        assert after[rel] == before[rel]


def test_pages_that_left_the_plan_are_removed_but_user_files_stay(tmp_path):
    write_plan(tmp_path, PLAN)
    (tmp_path / "papers" / "my-notes.md").write_text("mine\n", encoding="utf-8")
    (tmp_path / "about.md").write_text("about\n", encoding="utf-8")
    user = {rel: v for rel, v in snapshot(tmp_path).items() if rel in ("papers/my-notes.md", "about.md")}
    plan = {k: v for k, v in PLAN.items() if k != "papers/b.md"}
    report = write_plan(tmp_path, plan)
    assert report.removed == ("papers/b.md",)
    assert not (tmp_path / "papers" / "b.md").exists()
    assert {rel: v for rel, v in snapshot(tmp_path).items() if rel in user} == user


def test_empty_generated_folders_are_pruned(tmp_path):
    write_plan(tmp_path, {**PLAN, "tags/x.md": "x\n"})
    write_plan(tmp_path, PLAN)
    assert not (tmp_path / "tags").exists()


def test_refuses_to_overwrite_a_hand_written_file_and_writes_nothing(tmp_path):
    write_plan(tmp_path, PLAN)
    (tmp_path / "papers" / "c.md").write_text("my own page\n", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(GeneratorError) as info:
        write_plan(tmp_path, {**PLAN, "papers/a.md": "# A2\n", "papers/c.md": "# C\n"})
    message = str(info.value)
    assert "refusing to write: 1 file(s) in the way; nothing was written" in message
    assert (
        f"{tmp_path / 'papers' / 'c.md'}: is a hand-written file where the generator wants to write a page; "
        "rename or move it" in message
    )
    assert snapshot(tmp_path) == before


def test_hand_written_file_with_identical_content_is_adopted(tmp_path):
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "a.md").write_text(PLAN["papers/a.md"], encoding="utf-8")
    write_plan(tmp_path, PLAN)
    assert "papers/a.md" in read_manifest(tmp_path)


def test_refuses_to_overwrite_a_generated_file_edited_by_hand(tmp_path):
    write_plan(tmp_path, PLAN)
    (tmp_path / "papers" / "a.md").write_text("# A with my notes\n", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(GeneratorError, match="papers/a.md: was edited by hand after the generator wrote it"):
        write_plan(tmp_path, {**PLAN, "papers/a.md": "# A2\n"})
    assert snapshot(tmp_path) == before


def test_stale_generated_file_edited_by_hand_is_kept(tmp_path):
    write_plan(tmp_path, PLAN)
    (tmp_path / "papers" / "b.md").write_text("# B, annotated\n", encoding="utf-8")
    plan = {k: v for k, v in PLAN.items() if k != "papers/b.md"}
    report = write_plan(tmp_path, plan)
    assert report.kept == ("papers/b.md",) and report.removed == ()
    assert (tmp_path / "papers" / "b.md").read_text(encoding="utf-8") == "# B, annotated\n"
    assert "papers/b.md" not in read_manifest(tmp_path)  # the user's file from now on


@pytest.mark.parametrize("kind", ["folder", "symlink"])
def test_refuses_a_folder_or_link_at_a_planned_path(tmp_path, kind):
    (tmp_path / "papers").mkdir()
    target = tmp_path / "papers" / "a.md"
    if kind == "folder":
        target.mkdir()
        expected = re.escape("is a folder (or other non-file) where the generator wants to write a page")
    else:
        (tmp_path / "elsewhere.md").write_text("x", encoding="utf-8")
        target.symlink_to(tmp_path / "elsewhere.md")
        expected = "is a symbolic link where the generator wants to write a page"
    with pytest.raises(GeneratorError, match=expected):
        write_plan(tmp_path, PLAN)
    assert not (tmp_path / "index.md").exists()


def test_refuses_a_file_where_a_folder_is_needed(tmp_path):
    (tmp_path / "papers").write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(GeneratorError, match="papers: is a file where the generator needs a folder"):
        write_plan(tmp_path, PLAN)
    assert (tmp_path / "papers").read_text(encoding="utf-8") == "not a folder\n"
    assert not (tmp_path / "index.md").exists()


def test_docs_path_that_is_a_file_is_a_clean_error(tmp_path):
    (tmp_path / "docs").write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(GeneratorError, match=r"docs: cannot write: File exists\. Fix the cause and run again"):
        write_plan(tmp_path / "docs", PLAN)
    assert (tmp_path / "docs").read_text(encoding="utf-8") == "not a folder\n"


def test_write_error_is_a_clean_error_and_the_next_run_finishes(tmp_path, monkeypatch):
    import generator.writer as writer

    real = writer.atomic_write
    calls = {"n": 0}

    def failing(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(writer, "atomic_write", failing)
    with pytest.raises(GeneratorError, match="cannot write: No space left on device. Fix the cause and run again"):
        write_plan(tmp_path, PLAN)
    monkeypatch.setattr(writer, "atomic_write", real)
    write_plan(tmp_path, PLAN)
    assert {rel: (tmp_path / rel).read_text(encoding="utf-8") for rel in PLAN} == PLAN


def test_stale_temporary_files_are_removed_and_look_alikes_kept(tmp_path):
    write_plan(tmp_path, PLAN)
    (tmp_path / "papers" / f".a.md.x1y2{TMP_SUFFIX}").write_text("half", encoding="utf-8")
    (tmp_path / f"mine{TMP_SUFFIX}").write_text("user", encoding="utf-8")
    write_plan(tmp_path, PLAN)
    assert not (tmp_path / "papers" / f".a.md.x1y2{TMP_SUFFIX}").exists()
    assert (tmp_path / f"mine{TMP_SUFFIX}").exists()


def test_version_1_manifest_is_understood(tmp_path):
    """Paths with no digest prove nothing: a file that already holds the planned text is adopted,
    any other is refused (it may be hand-written; see tests/test_redteam_files.py)."""
    write_plan(tmp_path, PLAN)
    (tmp_path / MANIFEST).write_text(json.dumps({"generated": sorted(PLAN)}), encoding="utf-8")
    report = write_plan(tmp_path, PLAN)
    assert report.written == ()
    assert all(len(h) == 1 for h in read_manifest(tmp_path).values())
    (tmp_path / "papers" / "a.md").write_text("# A, old generator output\n", encoding="utf-8")
    (tmp_path / MANIFEST).write_text(json.dumps({"generated": sorted(PLAN)}), encoding="utf-8")
    with pytest.raises(GeneratorError, match="listed by an old manifest without a digest"):
        write_plan(tmp_path, PLAN)
    assert (tmp_path / "papers" / "a.md").read_text(encoding="utf-8") == "# A, old generator output\n"


def test_unreadable_manifest_is_fatal(tmp_path):
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(
        GeneratorError, match="manifest is unreadable .*; delete it only if docs/ holds no hand-written"
    ):
        write_plan(tmp_path, PLAN)


# --- command level: summary, and kill -9 half-way -------------------------------------------------------


def listing(folder: Path, topics: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    text = "Mar 11\n\n" + "".join(f"{t.title()} For Everyone\n\n{abstract(t)}\n\n" for t in topics)
    (folder / "000.txt").write_text(text, encoding="utf-8")
    return folder


CORPUS_A = ["graph neural networks", "diffusion models", "reinforcement learning", "speech recognition"]
CORPUS_B = ["graph neural networks", "diffusion models", "protein folding", "machine translation", "robotics"]


def generate(project: Path, capsys) -> str:
    code = main(
        ["generate", "--sources", str(project / "src"), "--docs", str(project / "docs"), "--tags", str(tags_alone())]
    )
    out = capsys.readouterr().out
    assert code == 0
    return out


def test_second_run_says_it_rewrote_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing(tmp_path / "src", CORPUS_A)
    first = generate(tmp_path, capsys)
    assert "docs: 0 files written" not in first
    age(tmp_path / "docs")
    before = snapshot(tmp_path / "docs")
    second = generate(tmp_path, capsys)
    assert "docs: 0 files written, " in second and "0 removed (already up to date)" in second
    assert snapshot(tmp_path / "docs") == before


KILLER = """
import os, signal, sys
from generator.cli import main
from generator.writer import TMP_SUFFIX
limit = int(os.environ["KILL_AFTER"])
done = 0
real_replace = os.replace
def replace(src, dst):
    global done
    if str(src).endswith(TMP_SUFFIX):
        if done == limit:
            # The temporary file is complete but not yet in place: the worst moment.
            os.kill(os.getpid(), signal.SIGKILL)
        done += 1
    return real_replace(src, dst)
os.replace = replace
sys.exit(main(sys.argv[1:]))
"""


def killed_run(project: Path, after: int) -> subprocess.CompletedProcess[str]:
    args = ["generate", "--sources", str(project / "src"), "--docs", str(project / "docs"), "--tags", str(tags_alone())]
    env = dict(os.environ, KILL_AFTER=str(after), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", KILLER, *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("after", [0, 1, 4, 8])  # 9 in all: manifest, 7 pages, manifest
@pytest.mark.parametrize("then", ["B", "A"])
def test_kill_9_half_way_is_repaired_by_the_next_run(tmp_path, capsys, monkeypatch, after, then):
    """Corpus A fully written, then a run on corpus B SIGKILLed after `after` replaced files; the
    next plain run (on B, or on A again if the user reverts) must give exactly what a clean run on
    that corpus gives, with no manual step and the user's files untouched."""
    monkeypatch.chdir(tmp_path)
    final = CORPUS_B if then == "B" else CORPUS_A
    clean = tmp_path / "clean"
    listing(clean / "src", final)
    generate(clean, capsys)

    project = tmp_path / "project"
    listing(project / "src", CORPUS_A)
    generate(project, capsys)
    (project / "docs" / "about.md").write_text("hand-written\n", encoding="utf-8")
    (project / "docs" / "papers" / "my-reading-notes.md").write_text("mine\n", encoding="utf-8")
    listing(project / "src", CORPUS_B)
    proc = killed_run(project, after)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert list((project / "docs").rglob(f"*{TMP_SUFFIX}")), "the kill should leave a temporary file behind"

    listing(project / "src", final)
    generate(project, capsys)
    repaired = contents(project / "docs")
    assert repaired.pop("about.md") == b"hand-written\n"
    assert repaired.pop("papers/my-reading-notes.md") == b"mine\n"
    assert repaired == contents(clean / "docs")


def test_command_refuses_to_clobber_a_users_page_and_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing(tmp_path / "src", CORPUS_A)
    generate(tmp_path, capsys)
    listing(tmp_path / "src", [*CORPUS_A, "protein folding"])
    mine = tmp_path / "docs" / "papers" / "protein-folding-for-everyone.md"
    mine.write_text("# My own page on protein folding\n", encoding="utf-8")
    before = snapshot(tmp_path / "docs")
    code = main(["generate", "--sources", "src", "--docs", "docs", "--tags", str(tags_alone())])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: docs: refusing to write: 1 file(s) in the way; nothing was written" in err
    assert (
        "docs/papers/protein-folding-for-everyone.md: is a hand-written file where the generator wants to "
        "write a page; rename or move it" in err
    )
    assert snapshot(tmp_path / "docs") == before
    mine.rename(mine.with_name("my-protein-notes.md"))
    assert main(["generate", "--sources", "src", "--docs", "docs", "--tags", str(tags_alone())]) == 0
    assert mine.with_name("my-protein-notes.md").read_text(encoding="utf-8").startswith("# My own page")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=12), st.frozensets(st.text(max_size=8), max_size=3), max_size=5))
def test_the_manifest_text_is_what_json_dumps_writes(manifest):
    records = {rel: sorted(manifest[rel]) for rel in sorted(manifest)}
    expected = json.dumps({"version": MANIFEST_VERSION, "generated": records}, indent=0, sort_keys=True) + "\n"
    assert manifest_text(manifest) == expected
