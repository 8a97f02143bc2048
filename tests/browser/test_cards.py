"""Paper cards in the browser: wherever papers are listed (home, tag pages, the two-tag filter, queue,
read, all papers) at 390 px and 1280 px, light and dark; sorting, paging and the way from home to
every paper, served and from disk with the network cut off."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_offline import offline_page  # noqa: F401 - a fixture

CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CARD_TEXT = (".rl-card__title a", ".rl-card__meta", ".rl-card__snippet", ".rl-card__tags a.md-tag")


@pytest.fixture(scope="module")
def largest(real_site) -> str:
    site, _, _ = real_site
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    return Counter(t for p in papers for t in p["tags"]).most_common(1)[0][0]


def new_page(browser, scheme: str, viewport: dict):
    context = browser.new_context(color_scheme=scheme, viewport=viewport, is_mobile=viewport == PHONE)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def lists(largest: str) -> dict[str, str]:
    return {
        "home": "",
        "tag": f"tags/{largest}/",
        "tag by title": f"tags/{largest}/?order=title",
        "all": "all/",
        "all, page 2": "all/2/",
        "queue": "reading/queue/",
        "read": "reading/read/",
    }


def choose(page, first: str, second: str = "") -> None:
    page.wait_for_selector("#rl-tag-filter:not([hidden])")
    page.select_option("#rl-tag-filter select[name=a]", first)
    if second:
        page.select_option("#rl-tag-filter select[name=b]", second)


def heights(page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["390", "1280"])
def test_every_list_shows_cards_legible_and_within_the_screen(browser, url, largest, scheme, size):
    viewport = PHONE if size == "390" else DESKTOP
    context, page = new_page(browser, scheme, viewport)
    try:
        for name, path in lists(largest).items():
            page.goto(url + path)
            cards = page.locator("article li.rl-card")
            assert cards.count() >= 1, name
            first = cards.first
            assert first.locator(".rl-card__title a").inner_text().strip(), name
            assert first.locator(".rl-card__snippet").inner_text().strip(), name
            assert first.locator(".rl-card__meta").count() == 1, f"{name}: a date"
            if name in ("queue", "read"):
                assert first.locator(".rl-state").inner_text().strip(), f"{name}: the reading state"
            assert page.locator("article table").count() == 0, name
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
            for selector in CARD_TEXT + (".rl-chips a.md-tag", ".rl-pager a", ".rl-sort a", ".rl-listings li"):
                found = page.locator(f"article {selector}")
                if found.count():
                    ratio = found.first.evaluate(CONTRAST)["ratio"]
                    assert ratio >= 4.5, f"{name} {selector} {ratio:.2f}:1 ({scheme})"
            if size == "390":
                for selector in (".rl-card__title > a", ".rl-card__tags a", ".rl-chips a", ".rl-pager a", ".rl-sort a"):
                    found = heights(page, f"article {selector}")
                    assert not found or min(found) >= 44, f"{name} {selector} {min(found)} px"
    finally:
        context.close()


def test_home_is_the_way_in(browser, url, real_site):
    _, result, _ = real_site
    cat = result.catalogue
    context, page = new_page(browser, "light", DESKTOP)
    try:
        page.goto(url)
        text = page.locator("article").inner_text()
        assert f"{len(cat.papers)} papers" in text and f"{len(cat.tags)} tags" in text
        assert f"{len(cat.sources)} listings" in text
        newest = page.locator("article h2#newest-papers + ul.rl-cards .rl-card__title a")
        assert newest.first.inner_text() == cat.papers[0].title
        chips = page.locator("article .rl-chips a.md-tag")
        assert chips.count() == len(cat.tags)
        assert page.locator("article h2#next-to-read + ul.rl-cards li.rl-card").count() >= 1
        listings = page.locator("article ul.rl-listings > li")
        assert listings.count() == len(cat.sources)
        assert "new" in listings.first.inner_text()
        # A chip leads to its tag's page, whose count is the chip's.
        name, count = chips.first.inner_text().rsplit(maxsplit=1)
        chips.first.click()
        assert page.locator("article h1").inner_text() == name.strip()
        assert f"{count} papers" in page.locator("article").inner_text()
    finally:
        context.close()


def test_every_paper_is_three_clicks_from_home(browser, url, real_site):
    _, result, _ = real_site
    cat = result.catalogue
    context, page = new_page(browser, "light", PHONE)
    try:
        untagged = [p for p in cat.papers if not cat.matches[p.key]]
        assert untagged, "the embedded corpus has untagged papers"
        page.goto(url)
        page.locator("article a", has_text="All ").first.click()  # 1
        assert page.locator("article h1").inner_text() == "All papers"
        pages = page.locator("article nav.rl-pager").first.locator(".rl-pager__pages a")
        last = pages.count()
        seen = set()
        for i in range(last):
            page.goto(url + ("all/" if i == 0 else f"all/{i + 1}/"))
            seen.update(page.locator("article .rl-card__title a").evaluate_all("els => els.map(a => a.textContent)"))
        assert seen == {p.title for p in cat.papers}
        page.goto(url + "all/")
        page.locator("article .rl-pager__pages a", has_text=str(last)).first.click()  # 2
        assert page.url.endswith(f"/all/{last}/")
        target = page.locator("article .rl-card__title a").last
        title = target.inner_text()
        target.click()  # 3
        assert page.locator("article h1").inner_text() == title
    finally:
        context.close()


def test_tag_page_sorts_by_title_and_back(browser, url, largest, real_site):
    _, result, _ = real_site
    cat = result.catalogue
    context, page = new_page(browser, "dark", PHONE)
    try:
        page.goto(url + f"tags/{largest}/")
        newest = page.locator("article .rl-card__title a").evaluate_all("els => els.map(a => a.textContent)")
        expected = [p.title for p in cat.papers if any(m.tag == largest for m in cat.matches[p.key])]
        assert newest == expected[: len(newest)]
        assert page.locator("article .rl-sort a[aria-current=page]").inner_text() == "Newest first"
        page.locator("article .rl-sort a", has_text="By title").click()
        assert page.url.endswith(f"/tags/{largest}/?order=title")
        expect(page.locator("article .rl-sort a[aria-current=page]")).to_have_text("By title")
        titles = page.locator("article .rl-card__title a").evaluate_all("els => els.map(a => a.textContent)")
        assert titles == sorted(expected, key=str.casefold)[: len(titles)]
        # The cards come from tags/cards.js, written for tags/: their links still lead to the paper.
        first = page.locator("article .rl-card__title a").first
        first.click()
        assert page.locator("article h1").inner_text() == titles[0]
        page.go_back()
        page.locator("article .rl-sort a", has_text="Newest first").click()
        assert page.url.endswith(f"/tags/{largest}/")
        feed = page.locator("article a", has_text="Atom feed")
        response = page.request.get(feed.evaluate("a => a.href"))
        assert response.ok and b"<feed" in response.body()
    finally:
        context.close()


def test_filter_results_are_cards_loaded_when_needed(browser, url, largest):
    context, page = new_page(browser, "light", PHONE)
    try:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "tags/")
        page.wait_for_load_state("load")
        assert not any(u.endswith("/cards.js") for u in requests), "the cards load only when a tag is chosen"
        choose(page, largest)
        page.wait_for_selector("#rl-tag-filter-results li.rl-card .rl-card__snippet")
        card = page.locator("#rl-tag-filter-results li.rl-card").first
        assert card.locator(".rl-card__tags a.md-tag").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        title = card.locator(".rl-card__title a").inner_text()
        card.locator(".rl-card__title a").click()
        assert page.locator("article h1").inner_text() == title
    finally:
        context.close()


def test_offline_lists_sort_page_and_filter_from_disk(offline_page, offline_site, real_site):  # noqa: F811
    page, log, attempted = offline_page
    _, result, _ = real_site
    cat = result.catalogue
    largest = Counter(m.tag for p in cat.papers for m in cat.matches[p.key]).most_common(1)[0][0]
    page.goto((offline_site / "index.html").as_uri())
    page.locator("article a", has_text="All ").first.click()
    assert page.url.endswith("/all/index.html")
    page.locator("article .rl-pager a[rel=next]").first.click()
    assert page.url.endswith("/all/2.html")
    title = page.locator("article .rl-card__title a").first.inner_text()
    page.locator("article .rl-card__title a").first.click()
    assert page.locator("article h1").inner_text() == title
    page.goto((offline_site / "tags" / f"{largest}.html").as_uri())
    page.locator("article .rl-sort a", has_text="By title").click()
    assert page.url.endswith(f"/tags/{largest}.html?order=title")
    expect(page.locator("article .rl-sort a[aria-current=page]")).to_have_text("By title")
    titles = page.locator("article .rl-card__title a").evaluate_all("els => els.map(a => a.textContent)")
    assert titles == sorted(titles, key=str.casefold) and len(titles) > 1
    page.locator("article .rl-card__tags a.md-tag").first.click()
    page.wait_for_load_state()
    expect(page.locator("article h1")).to_have_count(1)  # wait: the click starts a navigation
    assert page.url.endswith(".html")
    page.goto((offline_site / "tags" / "index.html").as_uri())
    choose(page, largest)
    page.wait_for_selector("#rl-tag-filter-results li.rl-card .rl-card__snippet")
    page.locator("#rl-tag-filter-results .rl-card__title a").first.click()
    assert "/papers/" in page.url and page.url.endswith(".html")
    # Leaving pages quickly aborts the search worker's load (a file:// request): only the network counts here.
    assert attempted == [] and not [u for u in log.requests if not u.startswith("file://")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dates_on_a_paper_page_are_legible(browser, url, real_site, scheme):
    _, result, _ = real_site
    cat = result.catalogue
    dated = next(p for p in cat.papers if p.provenance and p.provenance[0].date)
    context, page = new_page(browser, scheme, PHONE)
    try:
        page.goto(url + f"papers/{cat.slugs[dated.key]}/")
        date = page.locator("article .rl-facts small.rl-date")
        assert date.count() == 1
        # Material dims <small> to 75% (2.9:1 painted); the probe ignores opacity, so check it too.
        assert date.evaluate("e => getComputedStyle(e).opacity") == "1"
        assert date.evaluate(CONTRAST)["ratio"] >= 4.5
    finally:
        context.close()
