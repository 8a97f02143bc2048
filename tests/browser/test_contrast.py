"""Text a reader must read meets WCAG AA contrast (4.5:1) in both colour schemes, as painted by Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.browser.helpers import open_search, search, wait_search_ready

CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
AA = 4.5
PAGES = {
    "home": (
        "",
        ["article p", "article .rl-card__meta", "article .rl-listings code", "article a", ".md-nav__link"],
    ),
    "tag": ("tags/training-dynamics/", ["article h1", "article p em", "article .rl-card__title > a"]),
    "paper": (
        "papers/model-agnostic-measure-of-generalization-difficulty/",
        ["article .rl-tags ~ p", ".rl-tags strong", ".rl-tags a.md-tag", "article small", "article li code"],
    ),
}
SEARCH = [
    ".md-search-result__meta",
    ".md-search-result__article h1",
    ".md-search-result__article h1 mark",
    ".md-search-result__article p",
    ".md-search-result__article p mark",
    ".md-search-result .md-tag",
]


def ratios(page, selectors: list[str]) -> dict[str, float]:
    return {sel: round(page.locator(sel).first.evaluate(CONTRAST)["ratio"], 2) for sel in selectors}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa(browser, base_url, theme):
    context = browser.new_context(color_scheme=theme)
    try:
        page = context.new_page()
        low: dict[str, float] = {}
        for name, (path, selectors) in PAGES.items():
            page.goto(urljoin(base_url, path))
            low.update({f"{name} {s}": r for s, r in ratios(page, selectors).items() if r < AA})
        wait_search_ready(page)
        open_search(page)
        search(page, "intrinsic dimension")
        low.update({f"search {s}": r for s, r in ratios(page, SEARCH).items() if r < AA})
        assert low == {}, f"below {AA}:1 in the {theme} scheme"
    finally:
        context.close()


def test_contrast_probe_tells_good_from_bad(page):
    """The probe itself: grey on white is low, black on white is 21:1, alpha is composited."""
    page.set_content(
        "<div style='background:#fff'><p id=a style='color:#aaa'>x</p><p id=b style='color:#000'>x</p>"
        "<p id=c style='color:rgba(0,0,0,.2)'>x</p></div>"
    )
    assert round(page.locator("#a").evaluate(CONTRAST)["ratio"], 2) == 2.32
    assert round(page.locator("#b").evaluate(CONTRAST)["ratio"], 2) == 21.0
    assert page.locator("#c").evaluate(CONTRAST)["ratio"] < 2
