"""Red team round 10 (killed runs): what it found, held to the fix.

- A run killed while it writes corpus/slugs.lock (or `readinglist add` while it saves a listing) left
  `.<pid>.rl-tmp` in corpus/ (or the sources folder) for good: the clean-up only looked in docs/. A build killed
  while it writes its records in site/ did the same there (MkDocs' clean-up keeps dot-files). The next run that
  writes there now removes them: only the names the generator makes, only of a process that no longer exists.
- A write that failed named its temporary file (gone by then), not the file being written.
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from generator import incremental, writer
from generator.build import Options, generate
from generator.errors import GeneratorError
from tests.sitebuild import EMBEDDED, listing_project

TMP = writer.TMP_SUFFIX


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def plant(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text("half a file")


def test_a_killed_runs_temporary_files_beside_the_lock_and_the_listings_are_removed(tmp_path, monkeypatch):
    sources, docs = listing_project(tmp_path, ["2025-01-07-hf-daily.txt"])
    corpus, dead, alive = sources.parent, dead_pid(), os.getppid()
    theirs = [f".{dead}{TMP}", f".{alive}{TMP}", f".notes{TMP}", f".{dead}.rl-tmp.bak"]
    plant(corpus, theirs)
    (corpus / "slugs.lock").write_text("")  # an empty lock: this run fills it in
    plant(sources, [f".{dead}.add{TMP}", f".{alive}.add{TMP}"])
    (corpus / f".{dead + 1}{TMP}").symlink_to(corpus / f".notes{TMP}")
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    generate(Options(sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml")))
    assert (corpus / "slugs.lock").read_text()
    left = sorted(p.name for p in corpus.iterdir() if p.name.startswith("."))
    # The dead run's file goes; a live process's, a name the generator never makes and a link stay.
    assert f".{dead}{TMP}" not in left
    assert {f".{alive}{TMP}", f".notes{TMP}", f".{dead}.rl-tmp.bak"} <= set(left)
    assert (corpus / f".{dead + 1}{TMP}").is_symlink()
    assert sorted(p.name for p in sources.iterdir() if p.name.startswith(".")) == [f".{alive}.add{TMP}"]


def test_a_killed_builds_temporary_files_in_site_are_removed_when_the_next_build_ends(tmp_path):
    site, docs, dead = tmp_path / "site", tmp_path / "docs", dead_pid()
    plant(site, [f".{dead}{TMP}", "index.html", ".nojekyll"])
    plant(site / "search", [f".{dead}{TMP}", "search_index.json"])
    docs.mkdir()
    incremental.remember(site, "a key", docs)
    assert sorted(p.name for p in site.iterdir()) == sorted(
        [".nojekyll", "index.html", "search", incremental.BUILT_FILE, incremental.KEY_FILE]
    )
    assert sorted(p.name for p in (site / "search").iterdir()) == ["search_index.json"]


@pytest.mark.parametrize("failing", ["open", "replace"])
def test_a_failed_write_names_the_file_it_was_writing(tmp_path, monkeypatch, failing):
    target = tmp_path / "papers" / "a.md"
    target.parent.mkdir()
    real = getattr(os, failing)

    def full(first, *args, **kwargs):
        if os.path.basename(os.fspath(first)).endswith(TMP):
            raise OSError(errno.ENOSPC, "No space left on device", os.fspath(first))
        return real(first, *args, **kwargs)

    monkeypatch.setattr(os, failing, full)
    with pytest.raises(OSError) as caught:
        writer.atomic_write(target, b"page")
    assert caught.value.filename == str(target)
    assert caught.value.errno == errno.ENOSPC
    with pytest.raises(GeneratorError) as error:
        writer.write_plan(tmp_path, {"papers/a.md": "# A\n"})
    # (The manifest is written first: its name, not a temporary one.)
    assert error.value.path == str(tmp_path / writer.MANIFEST) and "No space left on device" in str(error.value)
    assert not [p for p in tmp_path.rglob(f"*{TMP}")]


def test_kept_work_a_full_disk_left_out_is_said_not_silent(tmp_path, monkeypatch):
    """The kept work is a cache: a write that fails does not fail the run, but the run says so."""
    from generator import state

    sources, docs = listing_project(tmp_path, ["2025-01-07-hf-daily.txt"])
    real = state.atomic_write

    def full(path, *chunks):
        if os.path.basename(os.fspath(path)) == writer.WORK:
            raise OSError(errno.ENOSPC, "No space left on device", os.fspath(path))
        return real(path, *chunks)

    monkeypatch.setattr(state, "atomic_write", full)
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    result = generate(
        Options(sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml"))
    )
    said = [n for n in result.notes if writer.WORK in n]
    assert len(said) == 1 and "not written (No space left on device)" in said[0]
    assert not (docs / writer.WORK).exists() and (docs / "index.md").is_file()
