"""Issue 16, round 11: what the run waits on while its workers make the pages.

List pages are held as UTF-8 from the moment they are made (as text, one non-ASCII character makes every
character of a page 2 or 4 bytes: 147 MB against 46 MB of list pages at 10,000 papers); the record index
shares one Related per paper; the paper pages' workers yield to the list pages; the search input is made
beside them and still written last.
"""

from __future__ import annotations

from pathlib import Path

from generator.build import Options, make_catalogue
from generator.models import content_bytes
from generator.render import render_lists, render_site
from tests.sitebuild import EMBEDDED


def test_list_pages_are_bytes_and_the_same_text():
    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")).catalogue
    lists = render_lists(cat)
    pages = {**lists.before, **lists.after}
    assert len(pages) > 2 * len(cat.tags)  # the home, all-papers, tag and reading pages, and the tags' feeds
    held_as_text = sorted(path for path, content in pages.items() if isinstance(content, str))
    assert held_as_text == []
    plan = render_site(cat)
    for path, content in pages.items():
        assert content_bytes(plan[path]) == content_bytes(content)
        content_bytes(content).decode("utf-8")  # UTF-8, as every page the writer writes
    # (the case that costs memory as text; a feed is made when written, callable)
    assert any(isinstance(content, bytes) and not content.isascii() for content in pages.values())


def test_one_related_entry_per_paper_shared_by_every_record():
    # At 50,000 papers a record index made 500,000 of them, on the one core, before any page could start.
    from generator.records import Related, index

    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")).catalogue
    named = [r for record in index(cat).records.values() for r in record.related]
    assert len(named) > len(cat.papers)  # (papers are named in several lists)
    assert len({id(r) for r in named}) == len({r.key for r in named})
    titles = {p.key: p.title for p in cat.papers}
    assert all(r == Related(r.key, cat.slugs[r.key], titles[r.key]) for r in named)


def test_workers_started_nicer_run_at_that_priority():
    import os

    from generator import parallel

    base = os.nice(0)
    found = parallel.start([lambda: os.nice(0), lambda: os.nice(0)], 2, nice=3).results()
    assert found == [min(19, base + 3)] * 2
    assert parallel.start([lambda: os.nice(0), lambda: os.nice(0)], 2).results() == [base, base]
    assert os.nice(0) == base  # (this process keeps its own)


def test_the_paper_pages_workers_yield_to_the_list_pages(monkeypatch):
    import os

    from generator import render

    monkeypatch.setenv("READINGLIST_JOBS", "2")
    monkeypatch.setattr(render, "make_paper_files", lambda record: (str(os.nice(0)).encode(), b"", b"", b""))
    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")).catalogue
    making = render.PaperFilesMaking(cat, True, None, None)
    pages, _ = making.finish()
    assert render.PAGE_WORKERS_NICE > 0
    assert set(pages.values()) == {str(min(19, os.nice(0) + render.PAGE_WORKERS_NICE)).encode()}


def test_the_search_input_is_written_where_it_was(tmp_path, monkeypatch):
    # Made while the paper pages are (render_site's `meanwhile`), it is still written after every page, export
    # and feed: the order files are written in is what lets an interrupted run be resumed.
    from generator import writer
    from generator.build import generate
    from generator.search_input import SEARCH_INPUT

    docs = tmp_path / "docs"
    written = []
    atomic_write = writer.atomic_write
    monkeypatch.setattr(
        writer, "atomic_write", lambda path, *chunks: written.append(path) or atomic_write(path, *chunks)
    )
    generate(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml", docs=docs))
    names = [Path(path).relative_to(docs).as_posix() for path in written if Path(path).is_relative_to(docs)]
    assert SEARCH_INPUT in names and "feed.xml" in names and "papers.json" in names
    last_page = max(i for i, name in enumerate(names) if name.startswith(("papers/", "tags/", "all/")))
    assert names.index(SEARCH_INPUT) > max(last_page, names.index("feed.xml"), names.index("papers.json"))
