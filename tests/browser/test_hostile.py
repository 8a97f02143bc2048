"""Hostile titles and abstracts render as text, and nothing they carry runs, in a real browser."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from tests.browser.helpers import HOSTILE, open_search, result_titles, wait_search_ready

PAPER_LINKS = "article .rl-card__title > a[href*='papers/']"
# Installed before any page script: every way a payload could call out is recorded.
TRAP = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = (...args) => { window.__calls.push(name + ":" + args.join(",")); };
}
"""
# What the payloads would leave in the DOM had any of them become markup.
INJECTED = """() => [...document.querySelectorAll("*")].flatMap(el => {
    const found = [...el.attributes].filter(a => a.name.startsWith("on")).map(a => `${el.tagName} ${a.name}`);
    // Data blocks (type="application/json") may hold the titles; only code that would run counts.
    const runs = !el.type || /javascript|module/.test(el.type);
    if (el.tagName === "SCRIPT" && runs && el.textContent.includes("alert(")) found.push("script");
    if (el.tagName === "IFRAME" && (el.getAttribute("src") || "").startsWith("javascript:")) found.push("iframe");
    if (el.tagName === "A" && (el.getAttribute("href") || "").startsWith("javascript:")) found.push("link");
    if (el.tagName === "B" || (el.tagName === "IMG" && /^[xy]$/.test(el.getAttribute("src")))) found.push(el.tagName);
    return found;
})"""


def assert_nothing_ran(page, log) -> None:
    assert page.evaluate("window.__calls") == []
    assert log.dialogs == []
    assert log.page_errors == []
    assert page.evaluate(INJECTED) == []


def test_hostile_titles_render_as_text_everywhere(page, log, hostile_url):
    base, papers = hostile_url
    page.add_init_script(TRAP)
    by_title = {p["title"]: p for p in papers}
    assert set(by_title) == {title for title, _ in HOSTILE}

    for title, abstract in HOSTILE:
        page.goto(urljoin(base, by_title[title]["url"]))
        assert page.locator("article h1").inner_text() == title
        assert page.title().startswith(title)
        assert page.locator("article h1 ~ p").first.inner_text() == abstract
        # The header prints the page title too (Material writes it unescaped).
        assert title in page.locator(".md-header__topic").all_inner_texts()
        assert_nothing_ran(page, log)

    for path in ("", "tags/"):
        page.goto(urljoin(base, path))
        assert_nothing_ran(page, log)
    tag_pages = {t for p in papers for t in p["tags"]}
    assert tag_pages, "the hostile fixture should be tagged so tag pages show its titles"
    shown: set[str] = set()
    for slug in sorted(tag_pages):
        page.goto(urljoin(base, f"tags/{slug}/"))
        shown.update(page.locator(PAPER_LINKS).all_inner_texts())
        assert_nothing_ran(page, log)
    assert shown == {p["title"] for p in papers if p["tags"]}


def test_hostile_titles_in_search_results_stay_text(page, log, hostile_url):
    base, _ = hostile_url
    page.add_init_script(TRAP)
    page.goto(base)
    wait_search_ready(page)
    open_search(page)
    page.locator("input.md-search__input").press_sequentially("models")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length >= 2")
    titles = result_titles(page)
    assert any(t.startswith("<img src=x onerror=alert(1)>") for t in titles)
    assert any(t.startswith("</title><script>alert(9)</script>") for t in titles)
    assert_nothing_ran(page, log)
    assert re.fullmatch(r"\d+ matching papers and pages", page.locator(".md-search-result__meta").inner_text())
