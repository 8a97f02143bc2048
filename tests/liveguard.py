"""Tests never read the owner's live corpus/: it changes every day, so a test that reads it
turns CI red when the owner adds a listing. They read tests/fixtures/embedded/, a frozen copy.

`install()` (called by tests/conftest.py) adds an audit hook that notices any open, listing or
scan of a path inside corpus/ by the test process, whoever does it (a test, a fixture, or the
generator reading its default `corpus/sources`), records it and raises LiveCorpusRead there.
The record catches the reads some code would swallow; conftest fails the test that made them.
Subprocesses are not seen here; tests/test_hardening_fixtures.py scans the test code for them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIVE = ROOT / "corpus"
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"

_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "os.chdir", "glob.glob"})
_LIVE = str(LIVE)
_installed = False
active = True  # conftest turns it off when the session ends (pytest then removes old tmp dirs)
reads: list[str] = []


class LiveCorpusRead(AssertionError):
    """A test touched corpus/, the owner's live data."""


def _inside_live(path: object) -> str | None:
    if isinstance(path, int) or path is None:
        return None  # an already open file descriptor
    try:
        text = os.path.abspath(os.fsdecode(path))
    except TypeError:
        return None
    return text if text == _LIVE or text.startswith(_LIVE + os.sep) else None


def _hook(event: str, args: tuple) -> None:
    if not active or event not in _EVENTS or not args:
        return
    if event == "open" and args[1] is None and not isinstance(args[0], int) and not os.path.isabs(args[0]):
        # os.open(name, dir_fd=...): a name relative to a folder the event does not give
        # (shutil.rmtree removing some tmp folder's "corpus"), not to the working directory.
        return
    found = _inside_live(args[0])
    if found is not None:
        reads.append(found)
        raise LiveCorpusRead(
            f"{found}: a test read the live corpus; use the frozen copy in tests/fixtures/embedded/ "
            "(tests.sitebuild.EMBEDDED) or pass --sources/--tags explicitly"
        )


def install() -> None:
    """Add the audit hook once per process (audit hooks cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
