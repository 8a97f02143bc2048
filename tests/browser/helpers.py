"""What the browser tests and measure.py share: launching Chromium, serving a site, driving search."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.gzip_server import serve_directory
from tests.isolated import tags_alone
from tests.sitebuild import build_site

# The flags: no sandbox (CI runs as root), and no traffic of Chromium's own.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SEARCH_INPUT = "input.md-search__input"
RESULT_META = ".md-search-result__meta"
RESULT_ITEM = ".md-search-result__item"
# Material's texts for the search states (theme language: en).
SEARCH_INITIALIZING = "Initializing search"
SEARCH_READY = "Type to start searching"


def find_chromium() -> Path | None:
    """Debian's Chromium, or $READINGLIST_CHROMIUM; None when there is none."""
    for candidate in (os.environ.get("READINGLIST_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL (ending in /)."""
    with serve_directory(directory, QuietHandler) as base:
        yield base


@dataclass
class PageLog:
    """Everything a page said that a user would count as broken."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, page) -> PageLog:
        log = cls()
        page.on("console", lambda m: m.type == "error" and log.console_errors.append(f"{m.text} @ {m.location}"))
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))
        page.on("request", lambda r: log.requests.append(r.url))
        # net::ERR_ABORTED is a request the browser dropped itself (a click navigated away while the
        # favicon was loading): not a failure of the site.
        page.on(
            "requestfailed",
            lambda r: None if "ERR_ABORTED" in (r.failure or "") else log.failed.append(f"{r.url}: {r.failure}"),
        )
        page.on("response", lambda r: r.status >= 400 and log.bad_status.append(f"{r.status} {r.url}"))

        def dialog(d) -> None:
            log.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        return log

    def problems(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed + self.bad_status + self.dialogs


def offline_context(browser, **options):
    """A browser context with no network at all: every request that is not file:// is refused and recorded.
    Returns (context, the refused URLs)."""
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    context.set_offline(True)
    attempted: list[str] = []

    def refuse(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", refuse)
    return context, attempted


def open_search(page) -> None:
    """Open the search box the way a user does: the field on wide screens, the icon on narrow ones."""
    icon = page.locator("label.md-header__button[for=__search]")
    if icon.is_visible():
        icon.click()
    else:
        page.locator(SEARCH_INPUT).click()
    page.locator(SEARCH_INPUT).wait_for(state="visible")


def wait_search_ready(page, timeout: float = 60_000) -> None:
    """Wait until Material's search worker has its index.

    Over HTTP the index loads with the page; from file:// Material only starts
    it when the search box is opened, so call open_search first there.
    """
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel)?.textContent.trim() !== text",
        arg=[RESULT_META, SEARCH_INITIALIZING],
        timeout=timeout,
    )


def search(page, query: str) -> list[str]:
    """Type `query` key by key into the open search box; returns the titles of the first results."""
    box = page.locator(SEARCH_INPUT)
    box.fill("")
    box.press_sequentially(query)
    wait_results_for(page, query)
    return result_titles(page)


def wait_results_for(page, query: str, timeout: float = 30_000) -> None:
    """Wait until the results shown are those of `query`, not of a prefix typed on the way.

    Material runs a search on every key; each result link carries the query words it
    matched in `?h=`. The results are final when those words, over all results, are
    exactly the query's words (a prefix such as "dimens" would show up there).
    """
    page.wait_for_function(
        """([sel, query]) => {
            const want = new Set(query.toLowerCase().split(/\\s+/).filter(Boolean));
            const seen = new Set();
            for (const a of document.querySelectorAll(sel + " > a")) {
                for (const w of (new URL(a.href).searchParams.get("h") || "").toLowerCase().split(" ")) {
                    if (!want.has(w)) return false;
                    seen.add(w);
                }
            }
            return seen.size === want.size;
        }""",
        arg=[RESULT_ITEM, query],
        timeout=timeout,
    )


def result_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(f"{RESULT_ITEM} > a > article > h1").all_inner_texts()]


def plain_words(text: str) -> list[str]:
    """Whole lowercase words of 9+ letters (no URLs, no CamelCase, which the search splits)."""
    words = (token.strip(".,;:!?()[]\"'") for token in text.split())
    return [w for w in words if re.fullmatch(r"[a-z]{9,}", w)]


def word_only_in_one_abstract(papers: list[dict]) -> tuple[str, dict]:
    """A word found in exactly one paper's abstract and nowhere else, and that paper.

    Search stems words ("overparameterization" also finds "overparameterized"),
    so the word's first seven letters must not occur anywhere else either, not
    even inside another word or in the paper's own title. The longest such word wins.
    """
    texts = [(p["title"] + " " + p["abstract"]).lower() for p in papers]
    candidates = []
    for index, paper in enumerate(papers):
        for word in set(plain_words(paper["abstract"])):
            stem = word[:7]
            if stem not in paper["title"].lower() and all(stem not in t for i, t in enumerate(texts) if i != index):
                candidates.append((-len(word), word, index))
    if not candidates:
        raise AssertionError("no word appears in exactly one abstract")
    _, word, index = min(candidates)
    return word, papers[index]


# Titles and an abstract that try every way into the page: raw HTML, script, attribute
# injection, Markdown links, attr_list, and breaking out of <title>.
HOSTILE = [
    ("<img src=x onerror=alert(1)> Diffusion models for images", "A plain abstract. It has two sentences."),
    ("<script>alert(2)</script> Reinforcement learning agents", "Agents learn to act. They are rewarded."),
    ('"><svg onload=alert(3)> Graph neural networks on molecules', "Graphs are everywhere. So are molecules."),
    (
        '[click me](javascript:alert(4)) and {: onclick="alert(5)" } quantization',
        "Quantization of weights. Links should not become links.",
    ),
    (
        "Tom & Jerry's <b>bold</b> contrastive learning",
        'The abstract says <iframe src="javascript:alert(6)"></iframe> and <script>alert(7)</script>. '
        "It also says <img src=y onerror=alert(8)> twice.",
    ),
    ("</title><script>alert(9)</script> language models", "Language models read text. They write text too."),
]


def hostile_listing() -> str:
    blocks = ["Mar 11"] + [f"{title}\n\n{abstract}" for title, abstract in HOSTILE]
    return "\n\n".join(blocks) + "\n"


def build_hostile_site(work: Path) -> Path:
    """A small corpus of hostile titles, built like the real site; returns the site folder."""
    sources = work / "sources"
    sources.mkdir(parents=True)
    (sources / "000_hostile.txt").write_text(hostile_listing(), encoding="utf-8")
    # The taxonomy alone: the corpus's overrides name papers this fixture does not have.
    site, result = build_site(work / "project", sources=sources, tags=tags_alone())
    if len(result.catalogue.papers) != len(HOSTILE):
        raise AssertionError(f"hostile fixture parsed into {len(result.catalogue.papers)} papers, not {len(HOSTILE)}")
    return site


def reader_pages(site: Path) -> dict[str, str]:
    """The pages a reader's checks look at (browser tests, screenshots, Lighthouse), by short name:
    home, the tags index, the largest tag's page, the paper with most tags and listings, the reading
    queue and Read, and the first page of all papers."""
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    largest = Counter(tag for p in papers for tag in p["tags"]).most_common(1)[0][0]
    paper = max(papers, key=lambda p: (len(p["tags"]), len(p["provenance"]), p["slug"]))
    return {
        "home": "",
        "tags": "tags/",
        "tag": f"tags/{largest}/",
        "paper": paper["url"],
        "queue": "reading/queue/",
        "all": "all/",
        "read": "reading/read/",
    }
