"""The reader's site: reader content only, phones (390 px) and dark mode, accessibility,
scripts where used, search ranking, typos and snippets, the 404 page.

Served compressed, as GitHub Pages serves (bench/gzip_server.py), so that the
404 page is what a missing address gets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import RESULT_ITEM, RESULT_META, open_search, reader_pages, search, wait_search_ready

CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}
SCHEMES = ["light", "dark"]
# WCAG contrast of two painted colours (for bars, which have no text).
COLOUR_CONTRAST = r"""([a, b]) => {
  const lum = (c) => { const ch = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]; };
  const painted = (sel) => {  // the first opaque background from the element up (the canvas is white)
    for (let e = document.querySelector(sel); e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor.match(/[\d.]+/g).map(Number);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const x = lum(painted(a));
  const y = lum(painted(b));
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}"""


@pytest.fixture(scope="module")
def pages(real_site) -> dict[str, str]:
    site, _, _ = real_site
    return reader_pages(site)


def new_page(browser, scheme: str, viewport=PHONE):
    context = browser.new_context(color_scheme=scheme, viewport=viewport, is_mobile=viewport == PHONE)
    context.set_default_timeout(15_000)
    return context, context.new_page()


# 5. Reader content only


def test_no_developer_content(real_site, browser, url):
    site, _, _ = real_site
    assert not (site / "benchmarks").exists()
    context, page = new_page(browser, "light", {"width": 1280, "height": 900})
    try:
        page.goto(url)
        nav = page.locator(".md-sidebar--primary .md-nav").first.inner_text()
        assert "Benchmarks" not in nav and "About" in nav
        page.goto(url + "about/")
        about = page.locator("article").inner_text()
        for developer_word in ("corpus/", "benchmark", "Performance", "bench/", "Chromium", "README"):
            assert developer_word not in about
        assert "How it is made" in about
        page.goto(url + "reading/queue/")
        assert "README" not in page.locator("article").inner_text()
    finally:
        context.close()


# 6. Phones and dark mode


@pytest.mark.parametrize("scheme", SCHEMES)
def test_nothing_wider_than_a_phone(browser, url, pages, scheme):
    context, page = new_page(browser, scheme)
    try:
        for name, path in pages.items():
            page.goto(url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name} is {width} px wide"
            wide = page.evaluate(
                """(limit) => [...document.querySelectorAll("article *")]
                    .filter((e) => e.getBoundingClientRect().right > limit + 0.5 && getComputedStyle(e).display !== "none")
                    .filter((e) => !e.closest("pre"))  // code scrolls inside its own box
                    .map((e) => e.tagName + "." + e.className).slice(0, 5)""",
                PHONE["width"],
            )
            assert wide == [], name
    finally:
        context.close()


def heights(page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
    )


def test_phone_tap_targets_and_chips_first(browser, url, pages):
    context, page = new_page(browser, "light")
    try:
        page.goto(url + "tags/")
        page.wait_for_selector("#rl-tag-filter:not([hidden])")
        assert min(heights(page, "#rl-tag-filter select")) >= 44
        assert min(heights(page, ".rl-tag-list li > a")) >= 44
        # One card per tag: name and count on a line, the description under them at full width.
        card = page.locator(".rl-tag-list li").first.bounding_box()
        desc = page.locator(".rl-tag-list .rl-desc").first.bounding_box()
        assert desc["width"] >= card["width"] - 1
        font = page.locator(".rl-desc").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert font >= 12

        page.goto(url + pages["paper"])
        assert min(heights(page, ".rl-tags a.md-tag")) >= 44
        assert min(heights(page, ".md-header__button:not(.md-logo)")) >= 44
        order = page.evaluate(
            """() => {
                const chips = document.querySelector(".rl-tags");
                const abstract = [...document.querySelectorAll("article > p")].find((p) => p.textContent.length > 200);
                return chips.compareDocumentPosition(abstract) & Node.DOCUMENT_POSITION_FOLLOWING;
            }"""
        )
        assert order, "the tag chips come before the abstract"
        # BibTeX wraps, and its copy button (44 px) covers no text.
        code = page.locator("code.language-bibtex")
        assert code.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
        code.scroll_into_view_if_needed()
        button = page.locator("pre:has(> code.language-bibtex) .md-code__button")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        text_right = code.evaluate(
            """e => { const r = document.createRange(); r.selectNodeContents(e);
                return Math.max(...[...r.getClientRects()].map((x) => x.right)); }"""
        )
        assert text_right <= box["x"] + 1

        page.goto(url + "reading/queue/")
        assert page.locator("article table").count() == 0
        assert min(heights(page, ".rl-queue .rl-card__title > a")) >= 44
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_bars_and_chips_legible(browser, url, pages, scheme):
    context, page = new_page(browser, scheme, {"width": 1280, "height": 900})
    try:
        page.goto(url + "tags/")
        bar = page.evaluate(COLOUR_CONTRAST, [".rl-bar > span", ".md-main"])
        assert bar >= 3, f"bar {bar:.2f}:1"
        for selector in (".rl-tag-list li > a", ".rl-count", ".rl-desc"):
            ratio = page.locator(selector).first.evaluate(CONTRAST)["ratio"]
            assert ratio >= 4.5, f"{selector} {ratio:.2f}:1"
        page.goto(url + pages["paper"])
        for selector in (".rl-tags a.md-tag", ".rl-why small", "code.language-bibtex", ".md-copyright"):
            ratio = page.locator(selector).first.evaluate(CONTRAST)["ratio"]
            assert ratio >= 4.5, f"{selector} {ratio:.2f}:1"
            # The probe ignores opacity, which Material sets on <small> (2.9:1 painted).
            assert page.locator(selector).first.evaluate("e => getComputedStyle(e).opacity") == "1", selector
    finally:
        context.close()


# 7. Accessibility and scripts where they are used


def test_search_dialog_named_links_underlined_scripts_where_used(browser, url, pages):
    context, page = new_page(browser, "light", {"width": 1280, "height": 900})
    try:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for name, path in pages.items():
            requests.clear()
            page.goto(url + path)
            page.wait_for_load_state("load")
            assert page.locator(".md-search[role=dialog]").get_attribute("aria-label")
            assert any(u.endswith("tag-filter.js") for u in requests) == (name == "tags"), name
        page.goto(url + "about/")
        underline = page.locator("article p a").first.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert underline == "underline"
    finally:
        context.close()


# 8. Search


def results(page) -> list[str]:
    return page.locator(f"{RESULT_ITEM} > a:first-child").evaluate_all("els => els.map(a => new URL(a.href).pathname)")


def test_search_ranking_typos_snippets_and_count(browser, url):
    context, page = new_page(browser, "light", {"width": 1280, "height": 900})
    try:
        page.goto(url)
        wait_search_ready(page)
        open_search(page)
        search(page, "quantization")
        assert results(page)[0].endswith("/tags/quantization/")
        assert "papers" in page.locator(RESULT_META).inner_text()
        assert "document" not in page.locator(RESULT_META).inner_text()

        search(page, "intrinsic dimension")
        # Every result that has both words comes before any that has one.
        articles = page.locator(f"{RESULT_ITEM} > a:first-child > article")
        both = [
            len({m.lower()[:9] for m in marks}) >= 2
            for marks in articles.evaluate_all(
                "els => els.map(a => [...a.querySelectorAll('mark')].map(m => m.textContent))"
            )
        ]
        assert both[0] and both == sorted(both, reverse=True)
        # The snippet is the abstract around the first match, marked, fetched from the paper's page.
        page.wait_for_selector(f"{RESULT_ITEM} p[data-rl-snippet=around]")
        snippet = page.locator(f"{RESULT_ITEM} p[data-rl-snippet=around]").first
        assert snippet.locator("mark").count() >= 1

        search(page, "difusion")
        first = results(page)
        assert first and first[0].endswith("/tags/diffusion-models/")
        assert "iffusion" in page.locator(f"{RESULT_ITEM} mark").first.inner_text()
    finally:
        context.close()


# 9. The 404 page


@pytest.mark.parametrize("scheme", SCHEMES)
def test_404_offers_search_and_tags(browser, url, scheme):
    context, page = new_page(browser, scheme)
    try:
        response = page.goto(url + "papers/no-such-paper/")
        assert response.status == 404
        assert "not found" in page.locator("h1").inner_text().lower()
        assert page.locator("article a[href$='/tags/']").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        wait_search_ready(page)
        page.fill("#rl-404-query", "quantization")
        page.locator(".rl-404-row button").click()
        page.wait_for_selector(f"{RESULT_ITEM}")
        assert results(page)[0].endswith("/tags/quantization/")
        page.goto(url + "papers/no-such-paper/")
        page.locator("article a[href$='/tags/']").click()
        assert page.url.endswith("/tags/")
    finally:
        context.close()
