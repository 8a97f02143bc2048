"""Exports and reading pages in the built site: they parse back with the right counts, online and offline."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import pytest
from bs4 import BeautifulSoup

from generator.build import Options, make_catalogue
from generator.exports import slug_digest
from generator.models import plan_text
from generator.render import render_site
from tests.sitebuild import ROOT, build_site

FIXTURE = ROOT / "tests" / "fixtures" / "notes"
TAGS = FIXTURE / "tags.yml"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<b>Bold</b> & {Braces} claim 100% of #1 $5 deals_now"
HOSTILE_SLUG = "b-bold-b-braces-claim-100-of-1-5-deals-now"
INPAINT = "denoising-diffusion-models-for-image-inpainting"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    site, result = build_site(tmp_path_factory.mktemp("small"), sources=FIXTURE / "sources", tags=TAGS)
    return site, result


@pytest.fixture(scope="module")
def small_offline(tmp_path_factory):
    site, result = build_site(tmp_path_factory.mktemp("offline"), sources=FIXTURE / "sources", tags=TAGS, offline=True)
    return site, result


def read_bib(path: Path):
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    return library


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def read_feed(path: Path) -> list[ET.Element]:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated", "author"):
            assert entry.find(f"{ATOM}{required}") is not None
    return entries


def test_small_site_exports_parse_back(small_site):
    site, _ = small_site
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    assert len(papers) == 4
    by_slug = {p["slug"]: p for p in papers}
    inpaint = by_slug[INPAINT]
    assert "fewer steps" in inpaint["abstract_clean"] and "{\\em fewer steps}" in inpaint["abstract"]
    assert "90%" in inpaint["abstract_clean"] and "“realistic”" in inpaint["abstract_clean"]
    assert inpaint["links"] == [
        {"url": "https://github.com/example/inpaint", "kind": "code"},
        {"url": "https://github.com/example-org/inpaint", "kind": "code"},
    ]
    assert inpaint["related"] == ["classifier-guidance-for-denoising-diffusion-models"]
    assert inpaint["note"]["status"] == "reading" and inpaint["note"]["tags"] == ["diffusion"]
    assert by_slug[HOSTILE_SLUG]["note"] is None

    library = read_bib(site / "papers.bib")
    assert len(library.entries) == 4
    assert sorted(e.key for e in library.entries) == sorted(by_slug)
    for entry in library.entries:
        assert entry.entry_type == "misc"
        assert entry.fields_dict["author"].value == "Unknown"
        assert "Authors and year unknown" in entry.fields_dict["note"].value
    hostile = next(e for e in library.entries if e.key == HOSTILE_SLUG)
    title = hostile.fields_dict["title"].value
    assert r"\%" in title and r"\#" in title and r"\$" in title and r"\_" in title and r"\&" in title

    rows = read_csv(site / "papers.csv")
    assert len(rows) == 4
    assert {r["title"] for r in rows} == {p["title"] for p in papers}
    assert HOSTILE in {r["title"] for r in rows}
    assert next(r for r in rows if r["slug"] == INPAINT)["status"] == "reading"

    entries = read_feed(site / "feed.xml")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    # Newest listing (002_newer) first, then by line; the hostile title arrives as text.
    assert titles == [
        "Classifier Guidance for Denoising Diffusion Models",
        HOSTILE,
        "Denoising Diffusion Models for Image Inpainting",
        "Graph Contrastive Learning with Meta-Paths",
    ]


def test_tag_pages_point_at_their_papers_in_the_whole_list(small_site):
    """Per-tag downloads are cut from the whole-list files in the browser (docs/javascripts/tag-export.js;
    tests/browser/test_size_downloads.py): the tag page's positions name exactly the tag's papers."""
    site, _ = small_site
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    assert not list((site / "tags").glob("*/papers.*"))
    pages = [d / "index.html" for d in (site / "tags").iterdir() if (d / "index.html").exists() and d.name != "index"]
    assert pages
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        box = soup.select_one("#rl-export")
        if box is None:  # the pages after the first
            continue
        slug = box["data-tag"]
        positions = [int(i) for i in box["data-papers"].split()]
        assert [papers[i]["slug"] for i in positions] == [p["slug"] for p in papers if slug in p["tags"]]
        assert box["data-total"] == str(len(papers))
        assert box["data-digest"] == slug_digest([p["slug"] for p in papers])
        assert [b["data-export"] for b in box.select("button")] == ["papers.json", "papers.bib", "papers.csv"]


def test_paper_page_shows_note_links_related_and_bibtex(small_site):
    site, _ = small_site
    soup = BeautifulSoup((site / "papers" / INPAINT / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    admonition = article.select_one(".admonition.tip")
    assert "Reading" in admonition.get_text() and "priority 2" in admonition.get_text()
    assert admonition.select_one("em").get_text() == "guidance"
    assert admonition.select_one('a[href="https://example.org/"]') is not None
    # The note's raw HTML is text, not markup.
    assert not article.select("script") and not article.select("img")
    assert "<script>" in admonition.get_text()
    assert article.select_one("article > p em").get_text() == "fewer steps"
    hrefs = [a["href"] for a in article.select("a")]
    assert "https://github.com/example/inpaint" in hrefs
    assert any(h.startswith("https://arxiv.org/search/?searchtype=title&query=Denoising%20Diffusion") for h in hrefs)
    assert "../classifier-guidance-for-denoising-diffusion-models/" in hrefs
    (code,) = [c for c in article.select("pre code") if c.get_text().startswith("@misc")]
    assert code.get_text().startswith(f"@misc{{{INPAINT},")
    assert bibtexparser.parse_string(code.get_text()).entries[0].key == INPAINT


def test_non_content_sections_stay_out_of_the_search_index(small_site):
    site, _ = small_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(d["title"] + " " + d["text"] for d in index["docs"] if d["location"].startswith("papers/"))
    assert "fewer steps" in texts  # the abstract is searchable
    for left_out in ("@misc", "Semantic Scholar", "Related papers", "Listed in", "001_older.txt", "Download these"):
        assert left_out not in texts


def test_reading_pages(small_site):
    site, _ = small_site
    queue = BeautifulSoup((site / "reading" / "queue" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [r.get_text(" ", strip=True) for r in queue.select("article .rl-queue li")]
    assert [r.split(" Mar 1")[0].split(" Reading")[0].split(" To read")[0] for r in rows] == [
        "Denoising Diffusion Models for Image Inpainting",  # being read comes first
        "Classifier Guidance for Denoising Diffusion Models",
    ]
    read = BeautifulSoup((site / "reading" / "read" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Graph Contrastive Learning with Meta-Paths" in read.select_one("article .rl-queue").get_text()
    nav = [a.get_text(strip=True) for a in queue.select(".md-tabs a, nav.md-nav--primary a")]
    assert "Reading queue" in nav and "Read" in nav


def test_offline_build_links_resolve_to_files(small_offline):
    site, _ = small_offline
    for page in [*(site / "tags").glob("*.html"), site / "reading" / "queue.html"]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("article a[href]"):
            href = a["href"]
            if re.match(r"[a-z]+:", href) or href.startswith("#"):
                continue
            target = (page.parent / unquote(href.split("#")[0].split("?")[0])).resolve()
            assert target.exists(), f"{page.name}: {href}"
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    assert all(p["url"].endswith(".html") and (site / p["url"]).exists() for p in papers)
    assert len(read_feed(site / "feed.xml")) == 4


def test_feed_is_byte_identical_for_the_same_input():
    options = Options(sources=FIXTURE / "sources", tags=TAGS)
    cat = make_catalogue(options).catalogue
    first, second = plan_text(render_site(cat)), plan_text(render_site(make_catalogue(options).catalogue))
    assert first == second
    assert "1970-01-01T00:00:00+00:00" in first["feed.xml"]


@pytest.mark.slow
def test_real_site_exports_have_every_paper(real_site):
    site, result, _ = real_site
    n = len(result.catalogue.papers)
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    assert len(papers) == n == 368
    assert len(read_bib(site / "papers.bib").entries) == n
    assert len(read_csv(site / "papers.csv")) == n
    assert len(read_feed(site / "feed.xml")) == n
    # A list stops early when nothing else is close enough, but papers show 3 on average.
    assert sum(len(p["related"]) for p in papers) >= 3 * n
    assert sum(len(p["links"]) for p in papers) == 72
    assert sum(1 for p in papers if p["note"]) == 7


@pytest.mark.slow
def test_real_site_reading_pages_and_lean_index(real_site):
    site, _, _ = real_site
    queue = (site / "reading" / "queue" / "index.html").read_text(encoding="utf-8")
    assert "InfoBatch" in queue
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any("@misc" in d["text"] or d["title"] in ("Related papers", "Cite", "Links") for d in index["docs"])
