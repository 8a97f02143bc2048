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
    if event not in _EVENTS or not args:
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
