"""The embedded corpus's site over HTTP, used the way a reader uses it, in headless Chromium."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import expect

from tests.browser.helpers import (
    RESULT_ITEM,
    RESULT_META,
    SEARCH_INPUT,
    SEARCH_READY,
    open_search,
    result_titles,
    search,
    wait_search_ready,
    word_only_in_one_abstract,
)

# Paper links in a tag page's lists (the related-tags list links to tags).
PAPER_LINKS = "article .rl-card__title > a[href*='papers/']"
INTRINSIC = "Measuring the Intrinsic Dimension of Objective Landscapes"


def by_title(papers: list[dict], title: str) -> dict:
    return next(p for p in papers if p["title"] == title)


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_home_loads_cleanly_with_only_local_assets(page, log, base_url):
    page.goto(base_url, wait_until="networkidle")
    wait_search_ready(page)
    assert page.locator("h1").inner_text() == "Reading list"
    assert re.search(r"\b368 papers\b", page.locator("article").inner_text())
    assert log.problems() == []
    outside = [u for u in log.requests if not u.startswith(base_url)]
    assert outside == [], f"requests left the site: {outside}"
    # The page really used its assets: the theme's stylesheet and the search index were fetched.
    assert any(u.endswith(".min.css") for u in log.requests)
    assert urljoin(base_url, "search/search_index.json") in log.requests


def test_search_finds_a_paper_by_title_words_and_opens_it(page, log, base_url, papers):
    page.goto(base_url)
    wait_search_ready(page)
    open_search(page)
    titles = search(page, "intrinsic dimension")
    assert INTRINSIC in titles
    page.locator(f"{RESULT_ITEM} > a", has=page.get_by_role("heading", name=INTRINSIC, exact=True)).click()
    page.wait_for_url(re.compile(r"/papers/"))
    paper = by_title(papers, INTRINSIC)
    assert path_of(page.url) == "/" + paper["url"]
    assert page.locator("article h1").inner_text() == INTRINSIC
    assert log.problems() == []


def test_search_finds_the_one_paper_whose_abstract_holds_a_word(page, base_url, papers):
    word, paper = word_only_in_one_abstract(papers)
    page.goto(base_url)
    wait_search_ready(page)
    open_search(page)
    titles = search(page, word)
    assert titles[0] == paper["title"], f"searched {word!r}"
    assert page.locator(RESULT_META).inner_text() == "1 matching paper or page"


def test_search_says_so_when_nothing_matches(page, base_url):
    page.goto(base_url)
    wait_search_ready(page)
    open_search(page)
    assert page.locator(RESULT_META).inner_text() == SEARCH_READY
    page.locator(SEARCH_INPUT).press_sequentially("qqxqzzv")
    page.wait_for_function(
        "sel => document.querySelector(sel).textContent.trim() === 'No matching papers'", arg=RESULT_META
    )
    assert result_titles(page) == []


def test_tags_index_to_tag_to_paper_and_back_by_a_chip(page, log, base_url, papers):
    counts = Counter(t for p in papers for t in p["tags"])
    # A tag with several papers, and among its papers one with more than one tag.
    slug, count = next((t, n) for t, n in counts.most_common() if 3 <= n <= 40)
    page.goto(base_url)
    page.locator(".md-nav--primary").get_by_role("link", name="Tags", exact=True).click()
    page.wait_for_url(re.compile(r"/tags/$"))
    link = page.locator(f"article .rl-tag-list li > a[href='{slug}/']")
    # The tag index is a table per group: tag (with description), number of papers, bar.
    assert link.locator("xpath=following-sibling::span[@class='rl-count']").inner_text().split()[0] == str(count)
    link.click()
    page.wait_for_url(re.compile(rf"/tags/{slug}/$"))
    article = page.locator("article")
    assert f"{count} papers" in article.inner_text()
    listed = page.locator(PAPER_LINKS)
    expected = {p["title"] for p in papers if slug in p["tags"]}
    assert set(listed.all_inner_texts()) == expected
    assert listed.count() == count

    paper = next(p for p in sorted(papers, key=lambda p: p["title"]) if slug in p["tags"] and len(p["tags"]) > 1)
    article.get_by_role("link", name=paper["title"], exact=True).click()
    page.wait_for_url(re.compile(r"/papers/"))
    assert path_of(page.url) == "/" + paper["url"]
    chips = page.locator(".rl-tags a.md-tag")
    assert chips.count() == len(paper["tags"])
    other = paper["tags"][0] if paper["tags"][0] != slug else paper["tags"][1]
    page.locator(f".rl-tags a.md-tag[href$='/tags/{other}/']").click()
    page.wait_for_url(re.compile(rf"/tags/{other}/$"))
    assert paper["title"] in page.locator(PAPER_LINKS).all_inner_texts()
    assert log.problems() == []


def test_paper_page_shows_title_abstract_tags_and_provenance(page, base_url, papers):
    paper = next(p for p in papers if len(p["provenance"]) > 1 and len(p["tags"]) > 1)
    page.goto(urljoin(base_url, paper["url"]))
    article = page.locator("article")
    assert article.locator("h1").inner_text() == paper["title"]
    assert page.title().startswith(paper["title"])
    assert article.locator("h1 ~ p").first.inner_text() == (paper["abstract_clean"] or paper["abstract"])
    chip_hrefs = article.locator(".rl-tags a.md-tag").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert [h.rstrip("/").split("/")[-1] for h in chip_hrefs] == paper["tags"]
    assert "Why these tags:" in article.inner_text()
    listed = article.locator("h2:has-text('Listed in') + ul > li").all_inner_texts()
    assert len(listed) == len(paper["provenance"])
    for line, prov in zip(listed, paper["provenance"], strict=True):
        # "Mar 11 (year unknown) (000_....txt, line 47)": the listing by its date, then the file and line.
        assert line.endswith(f"({prov['source']}, line {prov['line']})")
        if prov["date"]:
            assert line.startswith(prov["date"])
    # The BibTeX block: Material's copy button copies exactly the entry shown.
    cite = article.locator("pre:has(code.language-bibtex)")
    expect(cite.locator("button[data-md-type='copy']")).to_have_count(1)
    code = cite.locator("code").inner_text()
    assert code.startswith(f"@misc{{{paper['slug']},") and code.rstrip().endswith("}")


def test_mobile_navigation_and_search(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(base_url)
        # The navigation is hidden in a drawer; the header's menu button opens it.
        tags_link = page.locator(".md-nav--primary").get_by_role("link", name="Tags", exact=True)
        expect(tags_link).not_to_be_in_viewport()
        page.locator("label.md-header__button[for=__drawer]").click()
        expect(tags_link).to_be_in_viewport()
        tags_link.click()
        page.wait_for_url(re.compile(r"/tags/$"))
        assert page.locator("article h1").inner_text() == "Tags"

        wait_search_ready(page)
        open_search(page)
        expect(page.locator(SEARCH_INPUT)).to_be_in_viewport(ratio=1)  # whole, once it has slid in
        assert INTRINSIC in search(page, "intrinsic dimension")
        # Results are short enough to scan: the first screen shows several, not one long abstract.
        tops = page.locator(RESULT_ITEM).evaluate_all("els => els.map(e => e.getBoundingClientRect().top)")
        assert sum(1 for top in tops if top < 844) >= 3
        result = page.locator(f"{RESULT_ITEM} > a", has=page.get_by_role("heading", name=INTRINSIC, exact=True))
        result.tap()
        page.wait_for_url(re.compile(r"/papers/measuring-the-intrinsic"))
        # Nothing sticks out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_dark_mode_toggle_works_and_persists(page, base_url):
    page.goto(base_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("label[title='Switch to dark mode']").click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    # Another page, then a reload: the choice is remembered.
    page.goto(urljoin(base_url, "tags/"))
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.reload()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.locator("label[title='Switch to light mode']").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.goto(base_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"


def test_search_marks_words_suggests_and_highlights_the_opened_page(page, log, base_url):
    """Our worker (generator/theme/) feeds Material's UI: marks in results, suggestion, ?h= highlighting."""
    page.goto(base_url)
    wait_search_ready(page)
    open_search(page)
    page.locator(SEARCH_INPUT).press_sequentially("intrinsic dimens")
    wait_search_results = "sel => document.querySelectorAll(sel).length > 0"
    page.wait_for_function(wait_search_results, arg=f"{RESULT_ITEM} h1 mark")
    expect(page.locator(".md-search__suggest")).to_have_text("intrinsic dimension")
    titles = search(page, "intrinsic dimension")
    assert titles[0] == INTRINSIC
    first = page.locator(f"{RESULT_ITEM} > a").first
    assert first.locator("h1 mark").all_inner_texts() == ["Intrinsic", "Dimension"]
    assert "h=intrinsic+dimension" in first.get_attribute("href")
    first.click()
    page.wait_for_url(re.compile(r"/papers/"))
    # Material marks the words once the page's script has run, after the URL changed: wait for the first mark
    # (reading at once found none in one run of today's, on a busy machine).
    page.locator("article mark").first.wait_for()
    marks = page.locator("article mark").all_inner_texts()
    assert {m.lower() for m in marks} >= {"intrinsic", "dimension"}
    assert log.problems() == []
