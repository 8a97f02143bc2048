"""What the third (confirmation) red team broke, each case held here so it stays fixed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.adding import clean_title
from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
TAGS = ROOT / "tests" / "fixtures" / "tags.yml"
LISTING = "A Title Here\n\nWe study one thing. It works well. Results are strong and general across settings.\n"


def project(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(LISTING, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def generate(tmp_path: Path) -> subprocess.CompletedProcess:
    """In a child process with a deadline: the bug was a run that never ends."""
    command = [sys.executable, "-m", "generator", "generate", "--sources", "sources", "--docs", "docs"]
    command += ["--tags", str(TAGS), "--overrides", "/dev/null"]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_manifest_that_is_not_a_regular_file_is_an_error_not_a_hang(tmp_path, kind):
    root = project(tmp_path)
    manifest = root / "docs" / ".readinglist-manifest.json"
    if kind == "fifo":
        os.mkfifo(manifest)
    else:
        manifest.symlink_to("/dev/zero")
    done = generate(root)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "docs/.readinglist-manifest.json: manifest is unreadable (not a regular file" in done.stderr


def test_a_title_that_is_not_utf8_is_saved_without_a_traceback(tmp_path, capsys):
    listing = tmp_path / "in.txt"
    listing.write_text(LISTING, encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    code = main(["add", str(listing), "--sources", str(sources), "--title", "caf\udce9 list"])
    assert code == 0, capsys.readouterr().err
    (saved,) = list(sources.glob("*.txt"))
    assert "caf\ufffd" in saved.name


def test_bidi_overrides_never_reach_a_file_name():
    assert clean_title("\u202eevil\u2066txt") == "evil-txt"
