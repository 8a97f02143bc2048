"""The reader's site in the built HTML (no browser): Material's templates still take our
replacements, scripts load where used, developer pages are gone, the 404 page leads on."""

from __future__ import annotations

from bs4 import BeautifulSoup


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_theme_replacements_apply(real_site):
    site, _, _ = real_site
    page = soup(site / "index.html")
    assert page.select_one(".md-search[role=dialog]")["aria-label"] == "Search the papers"
    config = page.select_one("#__config").string
    assert "matching papers" in config and "matching document" not in config
    assert "workers/readinglist-search.js" in config
    assert any("readinglist-snippets.js" in s.get("src", "") for s in page.select("script"))


def test_tag_filter_script_only_on_the_tags_index(real_site):
    site, _, _ = real_site
    for html in [
        site / "index.html",
        site / "about" / "index.html",
        *sorted((site / "papers").glob("*/index.html"))[:5],
    ]:
        assert "tag-filter.js" not in html.read_text(encoding="utf-8"), html
    assert "tag-filter.js" in (site / "tags" / "index.html").read_text(encoding="utf-8")


def test_no_developer_pages(real_site):
    site, _, _ = real_site
    assert not (site / "benchmarks").exists()
    nav = soup(site / "index.html").select_one(".md-nav--primary").get_text(" ")
    assert "Benchmarks" not in nav
    about = soup(site / "about" / "index.html").select_one("article").get_text(" ")
    assert "corpus/" not in about and "benchmark" not in about.lower()


def test_404_offers_search_and_tags(real_site):
    site, _, _ = real_site
    page = soup(site / "404.html")
    article = page.select_one("article")
    assert article.select_one("input#rl-404-query")
    assert article.select_one("a[href='/tags/']")
