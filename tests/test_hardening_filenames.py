"""Listing file names are untrusted text: they render as text on every page and create no markup.

Linux allows backticks, <, >, brackets and newlines in a file name; each name
below is made in tmp_path and built (generate, then the pages rendered with
mkdocs.yml's extensions; the slow test runs a real `mkdocs build`).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup

from generator.build import Options, generate
from generator.escape import markdown_text
from tests.sitebuild import ROOT, build_site
from tests.test_hardening_notes import assert_inert, render_page

NAMES = [
    "001_`<img src=x onerror=alert(1)>`.txt",
    "002_[x](javascript:alert(1)).txt",
    "003_x\n\n<svg onload=alert(1)>\n\n.txt",
    "004_| pipe | `tick` *star* {: onclick=alert(1) }.txt",
    "005_\n# heading\n- item\n\n```\n.txt",
]
TAGS = ROOT / "tests" / "fixtures" / "notes" / "tags.yml"


def shown(name: str) -> str:
    """How a name reads on a page: control characters, which have no visible form, as control pictures."""
    return re.sub(r"[\x00-\x1f]", lambda m: chr(0x2400 + ord(m.group())), name)


def write_sources(folder):
    folder.mkdir()
    for i, name in enumerate(NAMES):
        body = (
            f"Paper number {i} about diffusion models\n\n"
            f"We study denoising diffusion models in setting {i} and report results on image synthesis. "
            "The sampler needs fewer steps than earlier work, and a user study prefers its completions.\n"
        )
        (folder / name).write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def docs(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the generator copies the search shim from node_modules/
    sources = write_sources(tmp_path / "sources")
    out = tmp_path / "docs"
    generate(Options(sources=sources, docs=out, tags=TAGS, notes=None))
    return out


def body_of(page: str) -> str:
    return page.split("---\n", 2)[2] if page.startswith("---\n") else page


def test_home_page_lists_names_as_text(docs):
    page = render_page(body_of((docs / "index.md").read_text(encoding="utf-8")))
    assert_inert(page)
    # The home page lists the listings (no table since the cards redesign), each file name in code font.
    names = [code.get_text() for code in page.select("ul.rl-listings > li > code.rl-listing__file")]
    assert names == [shown(n) for n in NAMES]


def test_paper_pages_list_names_as_text(docs):
    pages = sorted((docs / "papers").glob("*.md"))
    assert len(pages) == len(NAMES)
    seen = []
    for path in pages:
        page = render_page(body_of(path.read_text(encoding="utf-8")))
        assert_inert(page)
        heading = page.find("h2", string=re.compile("Listed in"))
        items = heading.find_next("ul").find_all("li")
        seen += [li.get_text() for li in items]
        assert len(page.find_all("h1")) == 1 and len(page.find_all("pre")) == 1  # the BibTeX block only
    assert sorted(seen) == sorted(f"{shown(n)}, line 1" for n in NAMES)


def test_exports_keep_names_as_data(docs):
    rows = list(csv.DictReader(io.StringIO((docs / "papers.csv").read_text(encoding="utf-8"))))
    assert sorted(r["listings"] for r in rows) == sorted(NAMES)
    bib = (docs / "papers.bib").read_text(encoding="utf-8")
    assert bib.count("@misc{") == len(NAMES) and "<svg onload=alert(1)>" in bib


def test_markdown_text_shows_control_characters():
    assert markdown_text("a\nb\tc\x7f") == "a\u240ab\u2409c\u2421"


@pytest.mark.slow
def test_built_site_shows_names_as_text(tmp_path):
    sources = write_sources(tmp_path / "sources")
    site, _ = build_site(tmp_path / "work", sources=sources, tags=TAGS)
    pages = [site / "index.html", *sorted((site / "papers").glob("*/index.html"))]
    for path in pages:
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib").find("article")
        assert_inert(article)
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html5lib").find("article")
    assert [c.get_text() for c in home.select("ul.rl-listings code.rl-listing__file")] == [shown(n) for n in NAMES]
