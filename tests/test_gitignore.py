"""Everything the generator writes into docs/ is ignored by git, and nothing hand-written is: an owner who
runs `make site` and then `git status` sees only their own edits (the All papers pages, docs/all/, were
once left untracked)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import Options, generate

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"


@pytest.mark.parametrize("offline", [False, True])  # the offline build also writes docs/downloads/
def test_generated_files_are_ignored_and_hand_written_ones_are_not(tmp_path, monkeypatch, offline):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "docs", repo / "docs", ignore=shutil.ignore_patterns(*_generated_tops()))
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    hand_written = sorted(p.relative_to(repo).as_posix() for p in (repo / "docs").rglob("*") if p.is_file())
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    generate(
        Options(
            sources=EMBEDDED / "sources",
            docs=repo / "docs",
            tags=EMBEDDED / "tags.yml",
            overrides=Path("/nonexistent.yml"),
            notes=EMBEDDED / "notes.yml",
            directory_urls=not offline,
        )
    )
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    untracked = sorted(line[3:] for line in status if line.startswith("?? docs/"))
    assert untracked == hand_written


def _generated_tops() -> tuple[str, ...]:
    """Generated files a developer's own `make site` may have left in docs/ (ignored, so not copied)."""
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return tuple(sorted({Path(p).parts[1] for p in listed})) or ("-",)
