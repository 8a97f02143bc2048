"""Paper pages whose header, navigation, footer and configuration come from one shared script
(generator/chrome.py): a reader sees and uses the same page, served, from disk and without JavaScript."""

from __future__ import annotations

from pathlib import Path

from generator.links import lookup_links
from tests.browser.helpers import PageLog, offline_context, open_search, wait_search_ready

NAV = ["Home", "All papers", "Tags", "Reading queue", "Read", "About"]


def a_paper_to_look_up(papers: list[dict]) -> dict:
    """A paper without an arXiv identifier (its page has look-up links), with a title that needs encoding."""
    plain = [p for p in papers if not p["arxiv_id"]]
    return next((p for p in plain if any(c in p["title"] for c in "():,'")), plain[0])


def test_paper_page_chrome_is_back_in_place(page, log: PageLog, base_url, papers):
    paper = a_paper_to_look_up(papers)
    page.goto(base_url + paper["url"])
    title = page.locator("article h1").inner_text()
    assert title == paper["title"]
    assert page.locator(".md-header__topic").last.inner_text().strip() == title
    assert page.locator(".md-sidebar--primary .md-nav__link").all_inner_texts() == NAV
    assert page.locator("footer.md-footer").count() == 1 and page.locator("button.md-top").count() == 1
    assert page.locator("noscript").count() == 1 and not page.locator(".rl-nojs-nav").is_visible()
    # The look-up links: arXiv's from the page, the others from the shared script, with the same query.
    links = page.locator("article p.rl-lookup a")
    assert links.all_inner_texts() == [name for name, _ in lookup_links(paper["title"])]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        url for _, url in lookup_links(paper["title"])
    ]
    # The palette toggle and search are Material's, working as before.
    page.locator("label[for=__palette_1]").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.reload()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"  # kept, restored by the chrome
    open_search(page)
    wait_search_ready(page)
    assert log.problems() == []


def test_paper_page_without_javascript_keeps_its_content_and_a_way_around(browser, base_url, papers):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        paper = papers[0]
        page.goto(base_url + paper["url"])
        assert page.locator("article h1").inner_text() == paper["title"]
        nav = page.locator(".rl-nojs-nav a")
        assert nav.all_inner_texts() == NAV and nav.first.is_visible()
        nav.nth(2).click()
        assert page.locator("article h1").inner_text() == "Tags"
    finally:
        context.close()


def test_offline_paper_page_chrome_from_disk(browser, offline_site: Path, papers):
    context, attempted = offline_context(browser, color_scheme="dark")
    try:
        page = context.new_page()
        log = PageLog.attach(page)
        paper = papers[1]
        page.goto((offline_site / "papers" / f"{paper['slug']}.html").as_uri())
        assert page.locator(".md-header__topic").last.inner_text().strip() == paper["title"]
        assert page.locator(".md-sidebar--primary .md-nav__link").all_inner_texts() == NAV
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        open_search(page)
        wait_search_ready(page)
        assert attempted == [] and log.problems() == []
    finally:
        context.close()
