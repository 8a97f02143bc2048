"""Screenshots of the main pages in both themes, for a person to look at (artifacts/screenshots/)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from tests.browser.helpers import PageLog, open_search, search, wait_search_ready

SCHEMES = {"light": "default", "dark": "slate"}
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("theme", SCHEMES)
def test_screenshots(browser, base_url, papers, screenshots, theme, size):
    """home, a tag page, a paper page and a search result; each page checked for errors as it is taken."""
    context = browser.new_context(color_scheme=theme, viewport=SIZES[size], is_mobile=size == "phone")
    try:
        page = context.new_page()
        log = PageLog.attach(page)
        paper = next(p for p in papers if len(p["tags"]) > 2 and len(p["provenance"]) > 1)
        shots = {"home": "", "tags": "tags/", "tag": f"tags/{paper['tags'][0]}/", "paper": paper["url"]}
        for name, path in shots.items():
            page.goto(urljoin(base_url, path))
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[theme]
            target = screenshots / f"{theme}-{size}-{name}.png"
            page.screenshot(path=target)
            assert target.stat().st_size > 10_000
        page.goto(base_url)
        wait_search_ready(page)
        open_search(page)
        search(page, "intrinsic dimension")
        page.screenshot(path=screenshots / f"{theme}-{size}-search.png")
        assert log.problems() == []
    finally:
        context.close()
