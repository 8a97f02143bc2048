"""Paper cards (generator/cards.py) and the pages built from them: home, tag pages, All papers, feeds.

Pure tests on literal catalogues: no files, no MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import markdown
import pytest
from bs4 import BeautifulSoup

from generator import exports
from generator.cards import PAGE_SIZE, card_html, card_views, link, page_url, root_of, short_link
from generator.models import Catalogue, Note, Paper, Provenance, Tag, TagMatch, plan_text
from generator.render import listing_counts, render_home, render_site
from generator.render_tags import filter_cards, tag_page_paths
from tests.cardsjs import run_cards_js

HOSTILE = "</li><script>alert(1)</script> *x* [a](javascript:alert(2)) {: onclick=y } `c` & &amp; \n\n# h"
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc"]  # as in mkdocs.yml


def paper(i: int, title: str | None = None, day: str | None = None, sources=(("a.txt", None),), abstract=None):
    provenance = tuple(Provenance(s, 1 + i, "Mar 11" if d else None, d) for s, d in sources)
    return Paper(
        f"k{i}",
        title or f"Paper {i}",
        abstract or f"Abstract of paper {i}. It has two sentences.",
        provenance,
        published=day,
    )


def catalogue(papers, tags_of, notes=None, sources=("a.txt",), days=None) -> Catalogue:
    tags = (Tag("t0", "Tag zero", "First.", "G", ("w",)), Tag("t1", HOSTILE, "Second.", "G", ("v",)))
    matches = {p.key: tuple(TagMatch(t, "w", "title", 3) for t in tags_of[i]) for i, p in enumerate(papers)}
    slugs = {p.key: f"paper-{p.key[1:]}" for p in papers}
    days = days or dict.fromkeys(sources)
    return Catalogue(tuple(papers), slugs, matches, tags, tuple(sources), dict(days), notes=notes or {}, days=days)


def render(html: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(html, extensions=EXTENSIONS), "html.parser")


# ------------------------------------------------------------------ links


@pytest.mark.parametrize(
    ("path", "served", "offline"),
    [
        ("index.md", "", "index.html"),
        ("tags/index.md", "tags/", "tags/index.html"),
        ("tags/t0.md", "tags/t0/", "tags/t0.html"),
        ("tags/t0/by-title-2.md", "tags/t0/by-title-2/", "tags/t0/by-title-2.html"),
        ("all/2.md", "all/2/", "all/2.html"),
    ],
)
def test_page_urls_match_mkdocs(path, served, offline):
    assert page_url(path, True) == served and page_url(path, False) == offline


def test_relative_links_resolve_to_the_target_in_both_layouts():
    pages = ["index.md", "tags/index.md", "tags/t0.md", "tags/t0/by-title-2.md", "all/index.md", "all/3.md"]
    for directory_urls in (True, False):
        for a in pages:
            for b in pages:
                base = "http://x/" + page_url(a, directory_urls)
                assert urljoin(base, link(a, b, directory_urls)) == "http://x/" + page_url(b, directory_urls), (a, b)
    assert root_of("tags/t0.md", True) == "../../" and root_of("tags/t0.md", False) == "../"


# ------------------------------------------------------------------ one card


def test_card_shows_title_date_snippet_chips_and_state():
    papers = [paper(0, day="2025-01-06", sources=(("a.txt", "2025-03-11"),))]
    cat = catalogue(papers, [["t0"]], notes={"k0": Note("paper-0", "reading", priority=1)})
    view = card_views(cat)["k0"]
    card = BeautifulSoup(card_html(view, "../", True), "html.parser")
    assert card.select_one(".rl-card__title a")["href"] == "../papers/paper-0/"
    assert card.select_one("time")["datetime"] == "2025-01-06"
    meta = card.select_one(".rl-card__meta").get_text()
    assert "6 Jan 2025" in meta and "listed 11 Mar 2025" in meta and "Reading · priority 1" in meta
    assert card.select_one(".rl-card__snippet").get_text().startswith("Abstract of paper 0.")
    assert [(a.get_text(), a["href"]) for a in card.select(".rl-card__tags a.md-tag")] == [("Tag zero", "../tags/t0/")]
    offline = BeautifulSoup(card_html(view, "../", False), "html.parser")
    assert offline.select_one(".rl-card__title a")["href"] == "../papers/paper-0.html"


def test_card_snippet_is_short_and_clean():
    long = "We use $\\alpha$-divergences. " + "word " * 200
    cat = catalogue([paper(0, abstract=long)], [[]])
    text = card_views(cat)["k0"].snippet
    assert len(text) <= 205 and text.endswith("…") and "\\alpha" not in text and "α" in text  # as textclean shows it


def test_hostile_text_renders_as_text_in_a_card_inside_markdown():
    cat = catalogue([paper(0, title=HOSTILE, abstract=HOSTILE + " more words here.")], [["t1"]])
    html = card_html(card_views(cat)["k0"], "", True)
    assert "\n\n" not in html  # one raw block: a blank line would end it
    page = render(f"# Page\n\n<ul>\n{html}\n</ul>\n")
    assert page.find("script") is None and not page.select("[onclick]")
    shown = HOSTILE.replace("\n", "\u240a")
    assert page.select_one(".rl-card__title a").get_text() == shown
    assert page.select_one(".rl-card__tags a").get_text() == shown
    assert page.select_one(".rl-card__snippet").get_text().startswith(" ".join(HOSTILE.split()))
    assert [a["href"] for a in page.find_all("a")] == ["papers/paper-0/", "tags/t1/"]


# ------------------------------------------------------------------ home


def test_a_listing_brings_the_papers_it_listed_first_by_date():
    # b.txt sorts after a.txt by name but is the older listing: the shared paper is new to b.txt.
    a, b = ("a.txt", "2025-03-11"), ("b.txt", "2025-03-01")
    papers = [paper(0, sources=(a, b)), paper(1, sources=(a,)), paper(2, sources=(b,))]
    cat = catalogue(papers, [[], [], []], sources=("a.txt", "b.txt"), days=dict([a, b]))
    assert listing_counts(cat) == {"a.txt": (2, 1), "b.txt": (2, 2)}


def test_home_is_the_way_in_without_a_table():
    a, b = ("2025-03-11-cs-lg.txt", "2025-03-11"), ("2025-03-01-old.txt", "2025-03-01")
    papers = [paper(i, day=f"2025-02-{10 + i:02d}", sources=(a,)) for i in range(15)] + [paper(15, sources=(b,))]
    notes = {"k3": Note("paper-3", "to-read", priority=2), "k4": Note("paper-4", "reading")}
    cat = catalogue(papers, [["t0"]] * 10 + [[]] * 6, notes=notes, sources=(b[0], a[0]), days=dict([a, b]))
    home = render(render_home(cat).split("---\n", 2)[2])
    assert home.find("table") is None
    assert "16 papers" in home.get_text() and "2 tags" in home.get_text() and "2 listings" in home.get_text()
    newest = home.find("h2", string="Newest papers").find_next("ul")
    assert len(newest.select("li.rl-card")) == 12
    chips = [a.get_text(" ", strip=True) for a in home.select(".rl-chips a")]
    assert chips == ["Tag zero 10", f"{HOSTILE.replace(chr(10), chr(0x240A))} 0"]
    queue = home.find("h2", string="Next to read").find_next("ul")
    assert [a.get_text() for a in queue.select(".rl-card__title a")] == ["Paper 4", "Paper 3"]  # reading first
    listings = [li.get_text(" ", strip=True) for li in home.select("ul.rl-listings > li")]
    assert listings[0].startswith("11 Mar 2025 · cs-lg 15 papers, 15 new")  # newest first, by date
    assert listings[1].startswith("1 Mar 2025 · old 1 paper, 1 new")
    assert home.find("a", href="all/index.md") is not None


# ------------------------------------------------------------------ tag pages, all papers, feeds


@pytest.fixture(scope="module")
def big():
    """250 papers, all tagged t0, every tenth one dated; titles in reverse of date order."""
    papers = [
        paper(i, title=f"Title {999 - i:03d}", day=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 10 == 0 else None)
        for i in range(250)
    ]
    cat = catalogue(papers, [["t0"]] * 250)
    return cat, plan_text(render_site(cat)), plan_text(render_site(cat, directory_urls=False))


def cards_of(plan: dict[str, str], path: str) -> list[str]:
    return re.findall(r'<p class="rl-card__title"><a href="[^"]*/papers/([^"/.]+)', plan[path])


def test_tag_pages_are_paged_newest_first_and_carry_the_title_order(big):
    cat, plan, _ = big
    newest = tag_page_paths("t0", 3)
    assert newest == ["tags/t0.md", "tags/t0/newest-2.md", "tags/t0/newest-3.md"]
    assert all(p in plan for p in newest) and "tags/t0/newest-4.md" not in plan
    assert not [p for p in plan if "by-title" in p], "by title is sorted in the browser, not stored"
    shown = [s for p in newest for s in cards_of(plan, p)]
    assert shown == [cat.slugs[p.key] for p in cat.papers] and len(cards_of(plan, newest[0])) == PAGE_SIZE
    # The first page names its cards in tags/cards.js in by-title order (tag-sort.js shows them).
    order = re.search(r'data-by-title="([^"]*)"', plan["tags/t0.md"]).group(1).split()
    cards, _ = run_cards_js(plan["tags/cards.js"])
    titles = [re.search(r'<a href="[^"]*">([^<]*)</a>', cards[int(n)]).group(1) for n in order]
    assert titles == sorted(p.title for p in cat.papers)
    assert "**250 papers**" in plan["tags/t0.md"] and "[Atom feed](t0/feed.xml)" in plan["tags/t0.md"]
    # Every page has the (hidden until the script runs) sort control; only the first carries the order.
    sort = re.search(r'<nav class="rl-sort".*?</nav>', plan["tags/t0/newest-2.md"]).group()
    assert " hidden" in sort and "data-by-title" not in sort
    assert 'href="../../../tags/t0/"' in sort and 'href="../../../tags/t0/?order=title"' in sort
    assert 'href="../newest-3/"' in plan["tags/t0/newest-2.md"] and "exclude: true" in plan["tags/t0/newest-2.md"]
    assert "exclude" not in plan["tags/t0.md"].split("---")[1]


def test_all_papers_reach_every_paper_within_three_clicks(big):
    cat, plan, offline = big
    pages = ["all/index.md", "all/2.md", "all/3.md"]
    assert [s for p in pages for s in cards_of(plan, p)] == [cat.slugs[p.key] for p in cat.papers]
    # home -> all/ (click 1) -> any page (click 2, every page links every page) -> the paper (click 3)
    assert "(all/index.md)" in plan["index.md"]
    for p in pages:
        assert all(f'href="{short_link(p, q, True)}"' in plan[p] for q in pages if q != p)
    assert short_link("all/3.md", "all/index.md", True) == "../"
    assert 'href="3.html"' in offline["all/index.md"] and 'href="../papers/' in offline["all/2.md"]


def test_tag_feed_is_the_main_feed_for_one_tag(big):
    cat, plan, _ = big
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(plan["tags/t0/feed.xml"])
    entries = feed.findall("a:entry", ns)
    assert len(entries) == exports.TAG_FEED_LIMIT
    main = {e.find("a:id", ns).text: ET.tostring(e) for e in ET.fromstring(plan["feed.xml"]).findall("a:entry", ns)}
    first = entries[0]
    base = "http://x/tags/t0/feed.xml"
    href = first.find("a:link", ns).get("href")
    assert urljoin(base, href).startswith("http://x/papers/")
    assert first.find("a:title", ns).text == ET.fromstring(main[first.find("a:id", ns).text]).find("a:title", ns).text


def test_tag_feed_escapes_as_the_main_feed_and_uses_the_site_url():
    cat = catalogue([paper(0, title=HOSTILE)], [["t1"]])
    stamp = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    feed = exports.tag_feed(cat, cat.tags[1], list(cat.papers), True, "https://e.org/rl/", stamp)()
    root = ET.fromstring(feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == f"Reading list: {HOSTILE}"
    assert root.find("a:entry/a:title", ns).text == HOSTILE
    assert root.find("a:entry/a:link", ns).get("href") == "https://e.org/rl/papers/paper-0/"
    assert root.find("a:link[@rel='self']", ns).get("href") == "https://e.org/rl/tags/t1/feed.xml"


def test_filter_cards_are_the_tag_index_cards():
    cat = catalogue([paper(0), paper(1)], [["t0"], []])
    script = filter_cards(cat, card_views(cat), False)
    cards, digest = run_cards_js(script)
    assert digest == exports.slug_digest([cat.slugs["k0"]])
    assert cards == [card_html(card_views(cat)["k0"], "../", False, "")]  # untagged papers: not filterable
