"""Issue 16, round 11: list pages are held as UTF-8 from the moment they are made.

As text, one non-ASCII character makes every character of a page 2 or 4 bytes: the list pages of
10,000 papers took 147 MB as text against 46 MB as UTF-8, memory the run then filled page by page.
"""

from __future__ import annotations

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
