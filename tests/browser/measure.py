"""Performance as a reader sees it, measured in headless Chromium. Prints figures; asserts nothing.

    .venv/bin/python -m tests.browser.measure                 # the embedded corpus
    .venv/bin/python -m tests.browser.measure --papers 10000  # a synthetic corpus (bench/synth.py)

For each run, a new browser (empty cache) opens the home page from a
local HTTP server and records:
- search ready: time from navigation start until Material's search worker has
  built its index (the search box's "Initializing search" gives way);
- query to results: time from a query entering the search box (one keyup, as at
  the end of typing) until its results are in the page and painted;
- bytes: everything the page and its search worker fetched until search was
  ready, as transferred here (the server does not compress) and as gzip would
  send it (what a host such as GitHub Pages does).
Figures are medians over --runs runs.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.browser.helpers import LAUNCH_ARGS, RESULT_META, SEARCH_INITIALIZING, find_chromium, serve
from tests.isolated import tags_alone
from tests.sitebuild import ROOT, build_site

QUERIES = ("intrinsic dimension", "gradient descent")

# Runs before the page's own scripts: timestamps for "search ready" and for results.
PROBE = """
window.__probe = {ready: null, results: null};
document.addEventListener("DOMContentLoaded", () => {
    const meta = document.querySelector("META");
    const watch = new MutationObserver(() => {
        if (window.__probe.ready === null && meta.textContent.trim() !== "INITIALIZING") {
            window.__probe.ready = performance.now();
        }
    });
    watch.observe(meta, {childList: true, characterData: true, subtree: true});
    const list = document.querySelector(".md-search-result__list");
    new MutationObserver(() => {
        if (window.__probe.started != null && window.__probe.results === null && list.children.length) {
            const shown = performance.now();
            requestAnimationFrame(() => { window.__probe.results = shown; window.__probe.painted = performance.now(); });
        }
    }).observe(list, {childList: true});
});
""".replace("META", RESULT_META).replace("INITIALIZING", SEARCH_INITIALIZING)

OPEN_SEARCH = """() => {
    const opened = performance.now();
    document.querySelector("input.md-search__input").focus();
    return opened;
}"""

RUN_QUERY = """query => {
    const box = document.querySelector("input.md-search__input");
    box.focus();
    window.__probe.results = null;
    window.__probe.started = performance.now();
    box.value = query;
    box.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: query.slice(-1)}));
}"""


def synthetic_sources(n: int, seed: int, synth: Path, out: Path) -> Path:
    """Raw listings for `n` papers, written by the benchmark generator."""
    if not synth.is_file():
        sys.exit(f"error: {synth}: synthetic corpus generator not found (pass --synth PATH)")
    subprocess.run([sys.executable, str(synth), "--n", str(n), "--seed", str(seed), "--out", str(out)], check=True)
    return out


def local_file(site: Path, url: str) -> Path:
    path = (
        site / unquote(urlsplit(url).path).lstrip("/") if url.startswith("http") else Path(unquote(urlsplit(url).path))
    )
    return path / "index.html" if path.is_dir() else path


def one_run(browser, url: str, site: Path, offline: bool) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        fetched: dict[str, int] = {}

        def finished(request) -> None:
            sizes = request.sizes()
            fetched[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

        page.on("requestfinished", finished)
        page.add_init_script(PROBE)
        page.goto(url)
        opened = 0.0
        if offline:
            # From file:// Material starts building the index only when search is opened.
            page.wait_for_load_state("load")
            opened = page.evaluate(OPEN_SEARCH)
        page.wait_for_function("() => window.__probe.ready !== null", timeout=300_000)
        page.wait_for_load_state("networkidle")
        ready = page.evaluate("window.__probe.ready") - opened
        load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        files = [local_file(site, u) for u in fetched]
        figures = {
            "load": load,
            "ready": ready,
            "bytes": sum(fetched.values()),
            "files": sum(f.stat().st_size for f in files if f.is_file()),
            "gzip": sum(len(gzip.compress(f.read_bytes(), 6)) for f in files if f.is_file()),
            "requests": len(fetched),
            "index": sum(f.stat().st_size for f in files if f.is_file() and f.parent.name == "search"),
        }
        for query in QUERIES:
            page.evaluate(RUN_QUERY, query)
            page.wait_for_function("() => window.__probe.painted != null && window.__probe.results !== null")
            probe = page.evaluate("window.__probe")
            figures[query] = probe["painted"] - probe["started"]
            figures[f"{query} hits"] = page.locator(RESULT_META).inner_text()
            page.evaluate(
                "() => { window.__probe.painted = null; document.querySelector('input.md-search__input').value = ''; }"
            )
        return figures
    finally:
        context.close()


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(runs: list[dict], papers: int, offline: bool, executable: Path) -> None:
    where = "offline build from file://" if offline else "served over HTTP"
    print(f"\n{papers} papers, {where}, Chromium {executable}, median of {len(runs)} runs (new browser each):")
    what = "search opened until ready" if offline else "load until search ready"
    lines = [("page load event", median(runs, "load")), (what, median(runs, "ready"))]
    lines += [(f"query to results '{q}'", median(runs, q)) for q in QUERIES]
    for label, value in lines:
        print(f"  {label + ':':40} {value:6.0f} ms")
    print(
        f"  {'bytes on first load:':40} {median(runs, 'files') / 1e6:6.2f} MB in files "
        f"({median(runs, 'gzip') / 1e6:.2f} MB gzipped), of which the search index "
        f"{median(runs, 'index') / 1e6:.2f} MB"
        + ("" if offline else f"; {median(runs, 'bytes') / 1e6:.2f} MB transferred here, uncompressed")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=0, help="synthetic papers (0: the embedded corpus)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--offline", action="store_true", help="the offline build, opened from file://")
    parser.add_argument("--synth", type=Path, default=ROOT / "bench" / "synth.py", help="synthetic corpus generator")
    parser.add_argument("--work", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    args = parser.parse_args(argv)
    executable = find_chromium()
    if executable is None:
        sys.exit("error: Chromium not found: apt-get install -y chromium")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="readinglist-measure-") as tmp:
        work = args.work or Path(tmp)
        site = args.site
        if site is None:
            sources = ROOT / "corpus" / "sources"
            if args.papers:
                sources = synthetic_sources(args.papers, args.seed, args.synth, work / "sources")
            started = time.perf_counter()
            # A synthetic corpus gets the taxonomy alone: the embedded overrides name papers it lacks.
            tags = tags_alone() if args.papers else ROOT / "corpus" / "tags.yml"
            site, result = build_site(work / "project", sources=sources, tags=tags, offline=args.offline)
            print(f"built {len(result.catalogue.papers)} papers in {time.perf_counter() - started:.0f} s: {site}")
        papers = len(json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"])
        with contextlib.ExitStack() as stack:
            url = (site / "index.html").as_uri() if args.offline else stack.enter_context(serve(site))
            playwright = stack.enter_context(sync_playwright())
            runs = []
            for i in range(args.runs):
                # A new browser each run: a first visit, and no memory left over from the last index.
                browser = playwright.chromium.launch(executable_path=str(executable), args=LAUNCH_ARGS)
                runs.append(one_run(browser, url, site, args.offline))
                browser.close()
                r = runs[-1]
                print(
                    f"run {i + 1}: load {r['load']:.0f} ms, search ready {r['ready']:.0f} ms, "
                    + ", ".join(f"'{q}' {r[q]:.0f} ms ({r[q + ' hits']})" for q in QUERIES)
                    + f", {r['files'] / 1e6:.2f} MB in {r['requests']} requests"
                )
    report(runs, papers, args.offline, executable)
    return 0


if __name__ == "__main__":
    sys.exit(main())
