"""Forked workers change how fast the site is made, never what is made."""

from __future__ import annotations

import os

import pytest

from generator import build, parallel, render
from generator.build import Options, make_catalogue
from generator.cache import Cache
from generator.corpus import title_key
from generator.models import plan_text
from generator.render import render_site
from generator.slugs import base_slug
from generator.sources import read_listings
from tests.sitebuild import EMBEDDED, ROOT

CORPUS = EMBEDDED


def site_plan(monkeypatch, jobs: str) -> dict[str, str]:
    monkeypatch.setenv("READINGLIST_JOBS", jobs)
    # Each run gets a fresh cache (the default), so each does the work itself.
    options = Options(sources=CORPUS / "sources", tags=CORPUS / "tags.yml", notes=CORPUS / "notes.yml")
    return plan_text(render_site(make_catalogue(options, clean=True).catalogue))


def test_three_workers_make_the_same_site_as_one(monkeypatch):
    one = site_plan(monkeypatch, "1")
    three = site_plan(monkeypatch, "3")
    assert len(one) > 400
    assert list(one) == list(three)  # same files, in the same order
    assert [k for k in one if one[k] != three[k]] == []


def test_run_all_keeps_task_order_and_runs_in_other_processes():
    me = os.getpid()
    tasks = [lambda i=i: (i, os.getpid()) for i in range(7)]
    results = parallel.run_all(tasks, 2)
    assert [i for i, _ in results] == list(range(7))
    assert all(pid != me for _, pid in results)
    assert parallel.run_all(tasks, 1) == [(i, me) for i in range(7)]


def test_a_task_in_a_worker_may_run_workers_of_its_own():
    def inner() -> list[tuple[int, int]]:
        return [(os.getpid(), pid) for _, pid in parallel.run_all([lambda i=i: (i, os.getpid()) for i in range(4)], 2)]

    (found,) = parallel.begin(inner, 2).results()
    assert len(found) == 4
    worker = found[0][0]
    assert worker != os.getpid()
    assert all(pid not in (worker, os.getpid()) for _, pid in found)  # its own workers ran them


def test_a_failing_task_fails_the_run():
    def broken() -> int:
        raise ValueError("bad input in a worker")

    with pytest.raises(ValueError, match="bad input in a worker"):
        parallel.run_all([lambda: 1, broken], 2)


@pytest.mark.parametrize(("n", "count"), [(0, 3), (1, 3), (7, 3), (9, 3), (10, 4), (5, 10)])
def test_chunks_cover_the_items_in_order_and_near_equal(n, count):
    items = list(range(n))
    cut = parallel.chunks(items, count)
    assert [x for piece in cut for x in piece] == items
    sizes = [len(piece) for piece in cut]
    assert len(cut) == max(1, min(count, n)) and max(sizes) - min(sizes) <= 1


def test_jobs_setting(monkeypatch):
    monkeypatch.setenv("READINGLIST_JOBS", "3")
    assert parallel.jobs(10) == 3
    monkeypatch.setenv("READINGLIST_JOBS", "nonsense")
    assert parallel.jobs(10**6) == 1
    monkeypatch.delenv("READINGLIST_JOBS")
    assert parallel.jobs(parallel.PARALLEL_MIN_PAPERS - 1) == 1  # small corpora stay in one process


def test_a_long_lived_process_tags_and_renders_only_what_changed(tmp_path, monkeypatch):
    """`readinglist serve` runs generate again in the same process: unchanged papers keep their tags."""
    import shutil

    monkeypatch.setenv("READINGLIST_JOBS", "1")
    sources = shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", tmp_path / "sources")
    options = Options(sources=sources, tags=ROOT / "tests" / "fixtures" / "tags.yml")
    cache = Cache()  # what `serve` keeps across its runs
    calls: list[str] = []
    real = build.tag_paper
    monkeypatch.setattr(build, "tag_paper", lambda index, paper: calls.append(paper.title) or real(index, paper))
    rendered: list[str] = []
    real_render = render.render_paper
    monkeypatch.setattr(
        render,
        "render_paper",
        lambda cat, paper, titles, urls, *bib: (
            rendered.append(paper.title) or real_render(cat, paper, titles, urls, *bib)
        ),
    )
    first = make_catalogue(options, cache=cache).catalogue
    first_plan = plan_text(render_site(first, cache=cache))
    assert len(calls) == len(rendered) == len(first.papers) > 3
    calls.clear()
    rendered.clear()
    listing = sorted(sources.glob("*.txt"))[0]
    listing.write_text(
        listing.read_text(encoding="utf-8")
        + "\nA Paper About Diffusion Models\n"
        + "Words about diffusion models. " * 20
        + "\n",
        encoding="utf-8",
    )
    second = make_catalogue(options, cache=cache).catalogue
    assert calls == ["A Paper About Diffusion Models"]
    assert len(second.papers) == len(first.papers) + 1
    assert {k: v for k, v in second.matches.items() if k in first.matches} == dict(first.matches)
    second_plan = plan_text(render_site(second, cache=cache))
    # Re-rendered: the new paper, and the papers whose related list changed; no other.
    changed = {
        p.title for p in second.papers if p.key not in first.related or first.related[p.key] != second.related[p.key]
    }
    assert "A Paper About Diffusion Models" in changed and set(rendered) == changed
    assert len(rendered) < len(second.papers)
    # ...and the plan is what a fresh process makes from the same inputs.
    assert plan_text(render_site(second)) == second_plan
    assert second_plan != first_plan


def test_listings_parsed_by_workers_give_the_same_entries_and_problems_in_order(tmp_path, monkeypatch):
    """Issue 16: large corpora parse their listings on the workers; entries, problems (file and line) and the
    skipped count must be what one process finds, in listing order, damaged and hostile listings included."""
    sources = tmp_path / "sources"
    sources.mkdir()
    fixtures = ROOT / "tests" / "fixtures"
    found = [*sorted((CORPUS / "sources").glob("*.txt")), *sorted((fixtures / "listings").glob("*.txt"))]
    found += [*sorted((fixtures / "bad" / "damaged").glob("*.txt")), *sorted((fixtures / "hostile").glob("*.txt"))]
    for i, path in enumerate(found):
        (sources / f"{i:03d}-{path.name}").write_bytes(path.read_bytes())
    (sources / "999-controls.txt").write_text("A title\x00 with a NUL\nAn abstract\x07 that rings a bell.\n")
    options = Options(sources=sources)
    listings, unread = read_listings(sources)
    inputs = build.Inputs(tuple(listings), tuple(unread), None, None, None, None)  # the listings alone

    def parsed(jobs: str):
        monkeypatch.setenv("READINGLIST_JOBS", jobs)
        return build.parse_listings(inputs, options)

    one, three = parsed("1"), parsed("3")
    assert len(one[0]) > 400 and one[1]  # entries, and problems to compare
    assert one == three  # the titles' base slugs too
    assert one[3] == {e.title: (base_slug(e.title), title_key(e.title)) for e in one[0]}
    assert any(p.path == str(sources / "999-controls.txt") and p.line == 1 for p in three[1])
