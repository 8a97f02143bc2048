"""Hostile text: script, raw HTML, javascript: links, YAML and Markdown syntax, Jinja-like text.

tests/fixtures/hostile/000_hostile.txt lists 17 papers whose titles and abstracts
are attacks or syntax. The fixture is built into a real site (`mkdocs build
--strict`) and so is its *twin*: the same listing with every character that is
not a letter, digit or space replaced by "x", so it carries no syntax at all.

- Literal: each title and abstract reads exactly as written (whitespace runs
  folded) in the paper page (h1, <title>, the header Material fills in, the
  abstract paragraph), in every tag page that lists it, in Material's search
  index (which the search UI inserts as HTML: it must hold escaped text) and in
  papers.json.
- Inert: every built HTML page, parsed with html5lib (the WHATWG algorithm a
  browser uses), has exactly the elements and attribute names of the twin's
  page, in the same order; so no element or attribute comes from the input.
  Attribute values never carry a javascript: URL or any of the payloads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.parse import fold, parse_listing
from tests.isolated import tags_alone
from tests.linkcheck import check_site
from tests.sitebuild import ROOT, build_site

pytestmark = pytest.mark.slow

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
SITE_NAME = "Reading list"
# Payload fragments that must never reach an attribute value.
MARKERS = ("rl-xss", "rl-evil", "alert(", "javascript:", "onerror", "onload", "onclick")
SLUG_LIKE = re.compile(r"^[A-Za-z0-9_./#-]*$")


def defang(line: str) -> str:
    return re.sub(r"[^A-Za-z0-9 ]", "x", line)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):
    """(hostile site, twin site, hostile papers.json records, twin records, mkdocs log of the hostile build)."""
    work = tmp_path_factory.mktemp("hostile")
    twin_sources = work / "twin-sources"
    twin_sources.mkdir()
    for path in HOSTILE.glob("*.txt"):
        lines = path.read_text(encoding="utf-8").split("\n")
        (twin_sources / path.name).write_text(
            "\n".join(line if line == "Mar 11" else defang(line) for line in lines), encoding="utf-8"
        )
    site, result = build_site(work / "hostile", sources=HOSTILE, tags=tags_alone())
    twin, twin_result = build_site(work / "twin", sources=twin_sources, tags=tags_alone())
    assert not result.warnings and not twin_result.warnings
    records = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    twin_records = json.loads((twin / "papers.json").read_text(encoding="utf-8"))["papers"]
    log = (work / "hostile" / "mkdocs-build.log").read_text(encoding="utf-8")
    return site, twin, records, twin_records, log


def expected_entries() -> list[tuple[str, str]]:
    """The fixture's (title, abstract) pairs, read straight from the file."""
    text = (HOSTILE / "000_hostile.txt").read_text(encoding="utf-8")
    lines = [fold(line) for line in text.split("\n") if fold(line) and line != "Mar 11"]
    return list(zip(lines[0::2], lines[1::2], strict=True))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def text_of(element) -> str:
    return fold(element.get_text())


def test_fixture_parses_into_every_hostile_entry():
    entries, problems = parse_listing("000_hostile.txt", (HOSTILE / "000_hostile.txt").read_text(encoding="utf-8"))
    assert problems == []
    assert [(e.title, e.abstract) for e in entries] == expected_entries()
    assert len(entries) == 17


def test_builds_strictly_without_warnings(sites):
    _, _, records, twin_records, log = sites
    assert "WARNING" not in log
    assert len(records) == len(twin_records) == 17
    # The twin is a fair comparison only if it has the same tags, paper by paper.
    assert [r["tags"] for r in records] == [r["tags"] for r in twin_records]


def test_papers_json_holds_the_text_as_written(sites):
    _, _, records, _, _ = sites
    assert [(r["title"], r["abstract"]) for r in records] == expected_entries()


def test_paper_pages_show_the_text_literally(sites):
    site, _, records, _, _ = sites
    for record in records:
        page = soup(site / record["url"] / "index.html")
        title, abstract = record["title"], record["abstract"]
        assert text_of(page.find("h1")) == title
        assert text_of(page.find("title")) == f"{title} - {SITE_NAME}"
        # The header comes from the shared chrome script (generator/chrome.py), which reads the title from
        # <title> and escapes it: tests/browser/test_hostile.py checks it in a browser.
        assert page.find(attrs={"data-md-component": "header-topic"}) is None
        assert page.find("script", src="../../assets/javascripts/readinglist-paper.js") is not None
        assert abstract in [text_of(p) for p in page.find_all("p")]


def test_tag_pages_list_the_titles_literally(sites):
    site, _, records, _, _ = sites
    listed = 0
    for record in records:
        for tag in record["tags"]:
            page = soup(site / "tags" / tag / "index.html")
            links = {text_of(a): a["href"] for a in page.find("article").find_all("a")}
            assert links.get(record["title"]) == f"../../papers/{record['slug']}/", (tag, record["title"])
            listed += 1
    assert listed >= 8  # the fixture's titles name tag phrases, so most papers reach a tag page


def search_docs(site: Path) -> dict[str, dict]:
    return {d["location"]: d for d in json.loads((site / "search" / "search_index.json").read_text())["docs"]}


def fragment(html: str) -> BeautifulSoup:
    """What Material's search UI builds: it appends index strings to the page as HTML (innerHTML)."""
    return BeautifulSoup(f"<div>{html}</div>", "html5lib").div


def structure(root) -> list[tuple[str, tuple[str, ...]]]:
    return [(el.name, tuple(sorted(el.attrs))) for el in root.find_all(True)]


def test_search_index_holds_escaped_text_that_renders_literally(sites):
    site, twin, records, twin_records, _ = sites
    docs, twin_docs = search_docs(site), search_docs(twin)
    for record, twin_record in zip(records, twin_records, strict=True):
        doc, twin_doc = docs[record["url"]], twin_docs[twin_record["url"]]
        title, text = fragment(doc["title"]), fragment(doc["text"])
        assert text_of(title) == record["title"]
        # The lean index (generator/search_index.py) keeps the opening words verbatim.
        opening = " ".join(record["abstract"].split())[:80]
        assert text_of(text.find("p")).startswith(opening)
        assert structure(title) == structure(fragment(twin_doc["title"]))
        assert structure(text) == structure(fragment(twin_doc["text"]))
        assert "<script" not in doc["title"] + doc["text"]


def twin_path(rel: str, slugs: dict[str, str]) -> str:
    parts = rel.split("/")
    if parts[0] == "papers" and len(parts) > 2:
        parts[1] = slugs[parts[1]]
    return "/".join(parts)


# Paper-page sections whose shape follows the text by design (issue 4): links found
# in the abstract, look-ups of the title, related papers, the highlighted BibTeX.
DATA_SECTIONS = ("links", "related-papers", "cite")
URL_SAFE = re.compile(r"^https?://[^\s\"'<>`]+$")


def cut_data_sections(doc: BeautifulSoup) -> list[str]:
    """Remove the DATA_SECTIONS (and their table-of-contents entries); return the hrefs they held."""
    hrefs = []
    for section in DATA_SECTIONS:
        heading = doc.find("h2", id=section)
        while heading is not None and heading.next_sibling is not None:
            sibling = heading.next_sibling
            if getattr(sibling, "name", None) == "h2":
                break
            if hasattr(sibling, "find_all"):
                hrefs += [a["href"] for a in sibling.find_all("a", href=True)]
            sibling.extract()
        if heading is not None:
            heading.decompose()
        for link in doc.select(f'nav a[href="#{section}"]'):
            link.find_parent("li").decompose()
    return hrefs


def test_no_element_or_attribute_comes_from_the_input(sites):
    site, twin, records, twin_records, _ = sites
    slugs = {r["slug"]: t["slug"] for r, t in zip(records, twin_records, strict=True)}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == len(list(twin.rglob("*.html"))) >= 17 + 38
    for path in pages:
        rel = path.relative_to(site).as_posix()
        hostile_doc, twin_doc = soup(path), soup(twin / twin_path(rel, slugs))
        # Links out of those sections are whole, encoded http(s) URLs or site-relative paths.
        for href in cut_data_sections(hostile_doc):
            assert URL_SAFE.match(href) or SLUG_LIKE.match(href), f"{rel}: {href!r}"
        cut_data_sections(twin_doc)
        got, want = structure(hostile_doc), structure(twin_doc)
        if got != want:
            first = next(i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b)
            pytest.fail(f"{rel}: element {first} is {got[first]}, the twin has {want[first]}")
        for element in hostile_doc.find_all(True):
            for name, value in element.attrs.items():
                joined = " ".join(value) if isinstance(value, list) else value
                assert not joined.strip().lower().startswith("javascript:"), (rel, element.name, name)
                if any(m in joined.lower() for m in MARKERS):
                    assert SLUG_LIKE.match(joined), f"{rel}: <{element.name} {name}={joined!r}>"


def test_hostile_site_has_no_broken_links(sites):
    site, _, _, _, _ = sites
    report = check_site(site)
    assert report.broken == [], str(report)
