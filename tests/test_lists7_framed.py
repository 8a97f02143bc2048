"""Issue 16: the pages after the first of a long list are framed like paper pages (generator/paper_pages.py).

What must hold: the generator writes an HTML body for exactly the pages `cards.framed_place` names (the
plugin frames exactly those), each body opening with the title whose id the frame's "skip to content"
link names; the first pages stay Markdown for MkDocs; a hand-written page at such a path is MkDocs' own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cards, render, render_tags
from generator.build import Options, make_catalogue
from generator.cards import framed_place
from generator.paper_pages import split_page
from tests.sitebuild import EMBEDDED


@pytest.fixture
def short_pages(monkeypatch):
    """Lists of 40 a page, so that tags of the embedded corpus have pages after their first."""

    def pages_of(items, size=40):
        return cards.pages_of(items, size)

    monkeypatch.setattr(render, "pages_of", pages_of)
    monkeypatch.setattr(render_tags, "pages_of", pages_of)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_exactly_the_framed_pages_have_html_bodies(short_pages, directory_urls, tmp_path):
    options = Options(sources=EMBEDDED / "sources", docs=tmp_path / "docs", tags=EMBEDDED / "tags.yml")
    cat = make_catalogue(options, clean=True).catalogue
    plan = render.render_site(cat, directory_urls)
    later = [p for p in plan if framed_place(p) and not p.startswith("papers/")]
    assert sum(p.startswith("all/") for p in later) >= 8 and sum(p.startswith("tags/") for p in later) >= 3
    for path, text in plan.items():
        if not path.endswith(".md") or callable(text):
            continue
        text = text.decode("utf-8") if isinstance(text, bytes) else text  # paper pages come encoded
        place = framed_place(path)
        meta, body = split_page(text, path) if text.startswith("---\n") else ({}, text)
        if place is None:
            assert not body.startswith("<h1"), path  # Markdown, for MkDocs
            continue
        _top, _folder, name = place
        assert body.startswith(f'<h1 id="{name}">'), path  # the frame's skip link names the page
        assert "\n# " not in body and "\n## " not in body and "<!--rl:html-->" not in body, path
        assert isinstance(meta.get("title"), str), path


def test_first_pages_and_other_paths_are_not_framed():
    assert framed_place("all/index.md") is None
    assert framed_place("tags/vision.md") is None
    assert framed_place("tags/index.md") is None
    assert framed_place("all/2.md") == ("all", "", "2")
    assert framed_place("tags/vision/newest-3.md") == ("tags", "vision", "newest-3")
    assert framed_place("papers/a-paper.md") == ("papers", "", "a-paper")
    for other in ("papers/x/y.md", "all/x.md", "tags/vision/oldest-2.md", "tags/Vision/newest-2.md", "all/2.html"):
        assert framed_place(other) is None, other
    paths = render_tags.tag_page_paths("deep-learning", 4)
    assert [framed_place(p) is not None for p in paths] == [False, True, True, True]


@pytest.mark.slow
def test_a_hand_written_page_at_a_framed_path_is_left_to_mkdocs(tmp_path):
    """Only pages the generator wrote (its manifest) are framed: a hand-written all/2.md is rendered as
    Markdown by MkDocs, and is never overwritten."""
    from tests.sitebuild import build_site

    work = tmp_path / "work"
    docs = work / "docs"
    (docs / "all").mkdir(parents=True)
    (docs / "all" / "9.md").write_text("# My own page\n\nSome *Markdown*.\n", encoding="utf-8")
    site, _ = build_site(work)
    assert (docs / "all" / "9.md").read_text(encoding="utf-8") == "# My own page\n\nSome *Markdown*.\n"
    page = (site / "all" / "9" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="my-own-page">My own page</h1>' in page and "<em>Markdown</em>" in page
    assert Path(site / "all" / "2" / "index.html").is_file()


@pytest.mark.parametrize("offline", [False, True])
def test_the_update_keeps_what_materials_plugins_write_after_the_tidy_up(tmp_path, monkeypatch, offline):
    """remove_stale runs before Material's search plugin rewrites its index (and the offline plugin its inlined
    copy): those files are kept, not deleted and rewritten, and finding them missing from `kept` no longer makes
    remove_stale resolve every kept path."""
    from mkdocs.config import load_config

    from generator import toolchain
    from tests.sitebuild import prepare

    work = tmp_path / "work"
    prepare(work)
    monkeypatch.setenv("READINGLIST_OFFLINE", "true" if offline else "false")
    config = load_config(str(work / "mkdocs.yml"), site_dir=str(work / "site"))
    later = toolchain.written_later(config)
    index = str(work / "site" / "search" / "search_index.json")
    assert later == ([index, index.removesuffix(".json") + ".js"] if offline else [index])
    config.plugins.pop("material/search")  # no search plugin: nothing of it is kept
    assert toolchain.written_later(config) == []
