"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, a local HTTP server.

Chromium comes from the system (`apt-get install chromium`); Playwright never
downloads a browser here. When /usr/bin/chromium is absent every browser test
is skipped with the reason, so a machine without it still runs the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import (
    LAUNCH_ARGS,
    PageLog,
    build_hostile_site,
    find_chromium,
    serve,
)
from tests.sitebuild import EMBEDDED, ROOT, build_site

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "Chromium not found (looked for /usr/bin/chromium and $READINGLIST_CHROMIUM): "
            "install it with `apt-get install -y chromium chromium-driver` (.ci/run does)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: run `make deps`")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def papers(real_site) -> list[dict]:
    site, _, _ = real_site
    return json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]


@pytest.fixture(scope="session")
def base_url(real_site) -> Iterator[str]:
    """The frozen embedded corpus's site over HTTP on 127.0.0.1, a free port."""
    site, _, _ = real_site
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen embedded corpus built with the offline plugin, for use from file://."""
    site, _ = build_site(
        tmp_path_factory.mktemp("offline"), sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml", offline=True
    )
    return site


@pytest.fixture(scope="session")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict]]]:
    site = build_hostile_site(tmp_path_factory.mktemp("hostile"))
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    with serve(site) as url:
        yield url, papers


@pytest.fixture
def context(browser):
    """A fresh browser context (no stored palette, no cache) in light mode."""
    ctx = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def log(page) -> PageLog:
    """The page's console errors, page errors, failed requests, HTTP errors and dialogs."""
    return PageLog.attach(page)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """artifacts/screenshots/ (git-ignored; CI keeps it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def url(real_site) -> Iterator[str]:
    """The embedded site served gzip-compressed, as GitHub Pages serves it (bench/gzip_server.py)."""
    from bench.gzip_server import serve as serve_gzip

    site, _, _ = real_site
    with serve_gzip(site) as base:
        yield base
