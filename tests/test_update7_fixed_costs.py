"""The update's fixed costs (branch update7, issue 16 target 3): work every run paid over all papers that
mostly redid the last run's, cut without changing a byte of docs/.

- the cycle collector is off while a run holds its papers, and back on after;
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from generator import build
from tests.sitebuild import docs_text, listing_project
from tests.sitebuild import generate_counting as run

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = ROOT / "tests" / "fixtures" / "listings"
FIRST, SECOND = "2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"


def fresh_docs(tmp_path: Path, listings: list[str], monkeypatch) -> dict:
    sources, docs = listing_project(tmp_path / "fresh", listings)
    run(sources, docs, monkeypatch)
    return docs_text(docs)


def test_the_cycle_collector_is_off_during_a_run_and_on_after(tmp_path, monkeypatch):
    seen: list[bool] = []
    real = build.catalogue_of
    monkeypatch.setattr(build, "catalogue_of", lambda *args: seen.append(gc.isenabled()) or real(*args))
    sources, docs = listing_project(tmp_path / "gc", [FIRST])
    assert gc.isenabled()
    run(sources, docs, monkeypatch)
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        shutil.copy(LISTINGS / SECOND, sources / SECOND)
        run(sources, docs, monkeypatch)
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()
    assert docs_text(docs) == fresh_docs(tmp_path, [FIRST, SECOND], monkeypatch)
