"""The readinglist-pages plugin (generator/paper_pages.py): paper pages framed once, card lists out of Markdown.

What must hold: a paper page the plugin writes is the page MkDocs and the theme
would have made from the same file; hostile titles and abstracts cannot reach the
frame's markers; every paper page is in sitemap.xml when MkDocs lists pages there.
"""

from __future__ import annotations

import html
import os
import re

import pytest

from generator import chrome
from generator.paper_pages import CONTENT, ICONS_CSS, SLUG, TITLE, fill, kind_of, lighten, split_page
from tests.sitebuild import EMBEDDED, build_site, mkdocs_build


def normal(html: str) -> str:
    """A page without what differs by design: the title's id (the slug, not Markdown's slugified title)."""
    html = re.sub(r'<h1 id="[^"]*"', "<h1", html)
    html = re.sub(r'<div data-md-component="skip">.*?</div>', "", html, flags=re.DOTALL)
    # MkDocs finds no table of contents in a body of raw HTML; the frame is given the page's sections.
    html = re.sub(r'data-md-type="toc".*?<div class="md-content"', "", html, flags=re.DOTALL)
    html = html.replace("<!--rl:html-->", "").replace("<!--/rl:html-->", "")  # kept as comments by Markdown
    # The plugin's frame draws Material's icons from one stylesheet (issue 16): the same icons, by name.
    if ICONS_CSS not in html:
        html = lighten((html,), {})[0]
    # ... and takes the header and __config out into one shared script (generator/chrome.py).
    html = chrome.REGION.sub("", html).replace(f'<script src="../../{chrome.CHROME_JS}"></script>', "")
    html = re.sub(r"<script>rlChrome\(\d+\)</script>", "", html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html))


@pytest.mark.slow
def test_framed_paper_pages_equal_what_mkdocs_makes_of_them(tmp_path, monkeypatch):
    """The same docs/ built twice: with the plugin, and with MkDocs rendering every paper page itself."""
    from generator import cards, render, render_tags

    def short_pages(items, size=40):  # lists of 40 a page: tags of the embedded corpus get second pages too
        return cards.pages_of(items, size)

    monkeypatch.setattr(render, "pages_of", short_pages)
    monkeypatch.setattr(render_tags, "pages_of", short_pages)
    site, _ = build_site(tmp_path / "work")
    work = tmp_path / "work"
    plain = work / "mkdocs-plain.yml"
    text = (work / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - readinglist-pages\n" in text
    plain.write_text(text.replace("  - readinglist-pages\n", ""), encoding="utf-8")
    mkdocs_build(plain, tmp_path / "plain", "--strict")
    ours = sorted(p.relative_to(site) for p in (site / "papers").rglob("*.html"))
    theirs = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain" / "papers").rglob("*.html"))
    assert ours == theirs and len(ours) == 368
    for rel in ours:
        a = normal((site / rel).read_text(encoding="utf-8"))
        b = normal((tmp_path / "plain" / rel).read_text(encoding="utf-8"))
        assert a == b, rel
    # The pages after the first of a long list are framed too, from a body of HTML.
    later = [*site.glob("all/*/index.html"), *site.glob("tags/*/newest-*/index.html")]
    later = sorted(p.relative_to(site) for p in later)
    assert len(later) >= 12 and sum(p.parts[0] == "tags" for p in later) >= 3
    for rel in later:
        page = (site / rel).read_text(encoding="utf-8")
        skip = re.search(r'<a href="#([^"]+)" class="md-skip">', page)
        assert skip and f'<h1 id="{skip.group(1)}">' in page, rel  # "Skip to content" leads to the title
        assert normal((site / rel).read_text(encoding="utf-8")) == normal(
            (tmp_path / "plain" / rel).read_text(encoding="utf-8")
        ), rel
    # The rest of the site is the same too (card lists held out of Markdown and put back).
    for rel in ("index.html", "tags/index.html", "all/index.html", "tags/vision/index.html"):
        if (site / rel).exists():
            assert normal((site / rel).read_text(encoding="utf-8")) == normal(
                (tmp_path / "plain" / rel).read_text(encoding="utf-8")
            ), rel


@pytest.mark.slow
def test_titles_naming_the_markers_render_literally(tmp_path):
    """Titles and abstracts that name the markers show as written, on framed pages and on card lists."""
    sources = tmp_path / "sources"
    sources.mkdir()
    titles = [
        f"{TITLE} and {SLUG} in a Title about Markers",
        f"<h1>{CONTENT} in a Title about Content Markers",
        "RLHTMLBLOCK0X and <!--rl:html--> in a Title about Held Blocks",
    ]
    lines = []
    for i, title in enumerate(titles):
        lines += [
            title,
            f"We study {SLUG}, {TITLE} and RLHTMLBLOCK{i}X in neural networks trained by gradient descent. "
            "The method is compared with three baselines on four public benchmarks, and it matches the best of them "
            "while using a fifth of the compute. We release the code, the trained models and every evaluation script.",
            "",
        ]
    (sources / "2025-01-06-markers.txt").write_text("\n".join(lines), encoding="utf-8")
    site, _ = build_site(tmp_path / "work", sources=sources, tags=EMBEDDED / "tags.yml")
    pages = [p.read_text(encoding="utf-8") for p in (site / "papers").rglob("index.html")]
    assert len(pages) == 3
    shown = []
    for page in pages:
        h1 = re.findall(r"<h1 id=\"[^\"]*\">(.*?)</h1>", page)
        assert len(h1) == 1
        shown.append(html.unescape(h1[0]))
        head = re.search(r"<title>(.*?)</title>", page).group(1)
        assert html.unescape(head) == f"{shown[-1]} - Reading list"
        assert f"We study {SLUG}, {TITLE} and RLHTMLBLOCK" in html.unescape(page)
    assert sorted(shown) == sorted(titles)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert all(html.escape(t, quote=False).replace("!", "&#33;") in home or t in html.unescape(home) for t in titles)
    assert re.search(r"<p>RLHTMLBLOCK\d+X</p>", home) is None


def test_fill_replaces_markers_only_in_the_frame():
    parts = ("<title>", TITLE, "</title><a href='", SLUG, "/'>", f"<h1>{CONTENT}", "</main>")
    page = fill(parts, "s-1", f"{TITLE} {SLUG}", f"<h1>{CONTENT}</h1>")
    assert page == f"<title>{TITLE} {SLUG}</title><a href='s-1/'><h1>{CONTENT}</h1></main>"


def test_pages_of_one_kind_share_a_frame_and_sections_make_kinds():
    meta, body = split_page('---\ntitle: A\ntags: []\n---\n<h1 id="a">A</h1>\n<h2 id="links">Links</h2>\n', "x")
    other, body2 = split_page('---\ntitle: B\ntags: [x]\n---\n<h1 id="b">B</h1>\n<h2 id="links">Links</h2>\n', "y")
    assert kind_of(meta, body) == kind_of(other, body2)
    _, body3 = split_page('---\ntitle: C\n---\n<h2 id="links">Links</h2>\n<h2 id="cite">Cite</h2>\n', "z")
    assert kind_of(meta, body) != kind_of(meta, body3)


@pytest.mark.slow
def test_every_paper_page_is_in_the_sitemap(tmp_path):
    work = tmp_path / "work"
    env = dict(os.environ)
    os.environ["SITE_URL"] = "https://example.org/list/"
    try:
        site, _ = build_site(work)
    finally:
        os.environ.clear()
        os.environ.update(env)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    papers = [p.parent.name for p in (site / "papers").rglob("index.html")]
    assert len(papers) == 368
    assert {f"https://example.org/list/papers/{slug}/" for slug in papers} <= set(locs)
    assert "https://example.org/list/" in locs and len(locs) == len(set(locs))
    import gzip

    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
