"""The offline build opened from disk (file://) with the network cut off: search and tags still work."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.browser.helpers import (
    PageLog,
    offline_context,
    open_search,
    search,
    wait_search_ready,
    word_only_in_one_abstract,
)

INTRINSIC = "Measuring the Intrinsic Dimension of Objective Landscapes"


@pytest.fixture
def offline_page(browser):
    """A page with no network at all: every request that is not file:// is refused and recorded."""
    context, attempted = offline_context(browser, color_scheme="light")
    page = context.new_page()
    log = PageLog.attach(page)
    yield page, log, attempted
    context.close()


def assert_stayed_on_disk(log: PageLog, attempted: list[str]) -> None:
    assert attempted == [], f"the offline site tried the network: {attempted}"
    outside = [u for u in log.requests if not u.startswith("file://")]
    assert outside == [], f"the offline site tried the network: {outside}"
    assert log.problems() == []


def test_offline_search_works_from_disk(offline_page, offline_site: Path, papers):
    page, log, attempted = offline_page
    page.goto((offline_site / "index.html").as_uri())
    assert page.locator("article h1").inner_text() == "Reading list"
    # From file:// Material builds the index only once the search box is opened.
    open_search(page)
    wait_search_ready(page)
    assert INTRINSIC in search(page, "intrinsic dimension")
    page.locator(".md-search-result__item > a", has=page.get_by_role("heading", name=INTRINSIC, exact=True)).click()
    page.wait_for_url(re.compile(r"/papers/measuring-the-intrinsic-dimension-of-objective-landscapes\.html(\?.*)?$"))
    assert page.locator("article h1").inner_text() == INTRINSIC

    word, paper = word_only_in_one_abstract(papers)
    open_search(page)
    wait_search_ready(page)
    assert search(page, word)[0] == paper["title"]
    assert page.locator(".md-search-result__meta").inner_text() == "1 matching paper or page"
    # The search really ran in the iframe-worker shim, from the site's own copy of it.
    assert any(u.endswith("/assets/javascripts/iframe-worker.js") for u in log.requests)
    assert any(u.endswith("/search/search_index.js") for u in log.requests)
    # ... and it was our worker (generator/theme/), which the shim loads as a script.
    assert any("/workers/readinglist-search.js" in u for u in log.requests)
    assert_stayed_on_disk(log, attempted)


def test_offline_tags_from_disk(offline_page, offline_site: Path, papers):
    page, log, attempted = offline_page
    counts = Counter(t for p in papers for t in p["tags"])
    slug, count = next((t, n) for t, n in counts.most_common() if 3 <= n <= 40)
    page.goto((offline_site / "index.html").as_uri())
    page.locator(".md-nav--primary").get_by_role("link", name="Tags", exact=True).click()
    page.wait_for_url(re.compile(r"/tags/index\.html$"))
    page.locator(f"article .rl-tag-list li > a[href='{slug}.html']").click()
    page.wait_for_url(re.compile(rf"/tags/{slug}\.html$"))
    assert f"{count} papers" in page.locator("article").inner_text()
    listed = page.locator("article .rl-card__title > a[href*='papers/']")
    assert listed.count() == count
    paper = next(p for p in sorted(papers, key=lambda p: p["title"]) if slug in p["tags"] and len(p["tags"]) > 1)
    page.locator("article").get_by_role("link", name=paper["title"], exact=True).click()
    page.wait_for_url(re.compile(r"/papers/.+\.html$"))
    assert page.locator("article h1").inner_text() == paper["title"]
    other = next(t for t in paper["tags"] if t != slug)
    page.locator(f".rl-tags a.md-tag[href$='/tags/{other}.html']").click()
    page.wait_for_url(re.compile(rf"/tags/{other}\.html$"))
    assert paper["title"] in page.locator("article .rl-card__title > a[href*='papers/']").all_inner_texts()
    assert_stayed_on_disk(log, attempted)
