"""Issue 16: in an update the related papers are computed in a worker while the list pages are made.

What must hold: an update that takes this path (few papers to tag, more than one job) writes the same docs/
as a full run; the list pages are made while the related papers are still pending, and nothing reads them
before they are there (NOT_YET raises); a failure meanwhile ends the worker.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import parallel, render
from generator.build import NOT_YET, Options, generate
from tests.sitebuild import EMBEDDED, docs_text

SOURCES = sorted((EMBEDDED / "sources").glob("*.txt"))


def project(folder: Path, listings: list[Path]) -> Options:
    sources = folder / "sources"
    sources.mkdir(parents=True)
    for listing in listings:
        shutil.copy(listing, sources / listing.name)
    (folder / "docs").mkdir()
    return Options(sources=sources, docs=folder / "docs", tags=EMBEDDED / "tags.yml", overrides=Path("/none.yml"))


def updated_project(tmp_path: Path, monkeypatch) -> Options:
    """A project built once on two jobs, then given one more listing: the next run is an update."""
    monkeypatch.setenv("READINGLIST_JOBS", "2")
    options = project(tmp_path / "kept", SOURCES[:-1])
    generate(options)
    shutil.copy(SOURCES[-1], options.sources / SOURCES[-1].name)
    return options


def test_an_update_makes_the_list_pages_while_the_related_papers_are_computed(tmp_path, monkeypatch):
    options = updated_project(tmp_path, monkeypatch)
    seen = []
    real = render.render_lists

    def spying(cat, *args, **kwargs):
        seen.append(cat.related is NOT_YET)
        return real(cat, *args, **kwargs)

    monkeypatch.setattr(render, "render_lists", spying)
    updated = generate(options)
    assert seen == [True]  # made while the related papers were pending
    assert updated.catalogue.related is not NOT_YET and any(updated.catalogue.related.values())
    monkeypatch.setattr(render, "render_lists", real)
    fresh = project(tmp_path / "fresh", SOURCES)
    full = generate(fresh)
    assert updated.catalogue.related == full.catalogue.related
    assert docs_text(options.docs) == docs_text(fresh.docs)


def test_a_cold_run_computes_them_beside_the_tagging():
    """Every paper to tag (a cold run): the related papers are one task among the tagging's, done on return."""
    from generator.build import make_catalogue

    options = Options(sources=EMBEDDED / "sources", docs=Path("/nonexistent-docs"), tags=EMBEDDED / "tags.yml")
    result = make_catalogue(options, clean=True)
    assert result.related_later is None and isinstance(result.catalogue.related, dict)


def test_nothing_reads_the_related_papers_before_they_are_there():
    for read in (lambda: NOT_YET["x"], lambda: list(NOT_YET), lambda: len(NOT_YET), lambda: NOT_YET.get("x")):
        with pytest.raises(RuntimeError, match="before they were computed"):
            read()


def test_a_failure_while_they_are_computed_ends_their_worker(tmp_path, monkeypatch):
    options = updated_project(tmp_path, monkeypatch)
    started = []
    real_begin = parallel.begin

    def begin(task, workers):
        started.append(real_begin(task, workers))
        return started[-1]

    def failing(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(parallel, "begin", begin)
    monkeypatch.setattr(render, "render_lists", failing)
    with pytest.raises(OSError, match="disk full"):
        generate(options)
    assert len(started) == 1
    assert started[0].pool.processes == []  # cancelled: its worker was killed and joined
