"""Performance as a reader sees it, measured in headless Chromium. Prints figures; asserts nothing.

    .venv/bin/python -m tests.browser.measure                 # the embedded corpus
    .venv/bin/python -m tests.browser.measure --papers 10000  # a synthetic corpus (bench/synth.py)

For each run, a fresh browser context (empty cache) opens the home page from a
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


def one_run(browser, url: str, site: Path) -> dict:
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
        page.wait_for_function("() => window.__probe.ready !== null", timeout=300_000)
        page.wait_for_load_state("networkidle")
        ready = page.evaluate("window.__probe.ready")
        load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        gzipped = 0
        for fetched_url in fetched:
            path = unquote(urlsplit(fetched_url).path)
            local = site / path.lstrip("/")
            local = local / "index.html" if local.is_dir() else local
            gzipped += len(gzip.compress(local.read_bytes(), 6)) if local.is_file() else 0
        figures = {"load": load, "ready": ready, "bytes": sum(fetched.values()), "gzip": gzipped}
        figures["requests"] = len(fetched)
        figures["index"] = fetched.get(url + "search/search_index.json", 0)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=0, help="synthetic papers (0: the embedded corpus)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synth", type=Path, default=ROOT / "bench" / "synth.py", help="synthetic corpus generator")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    args = parser.parse_args(argv)
    executable = find_chromium()
    if executable is None:
        sys.exit("error: Chromium not found: apt-get install -y chromium")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="readinglist-measure-") as tmp:
        work = Path(tmp)
        site = args.site
        if site is None:
            sources = ROOT / "corpus" / "sources"
            if args.papers:
                sources = synthetic_sources(args.papers, args.seed, args.synth, work / "sources")
            started = time.perf_counter()
            site, result = build_site(work / "project", sources=sources)
            built = time.perf_counter() - started
            papers = len(result.catalogue.papers)
            print(f"built {papers} papers in {built:.0f} s")
        else:
            papers = len(json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"])
        with serve(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(executable), args=LAUNCH_ARGS)
            runs = []
            for i in range(args.runs):
                runs.append(one_run(browser, url, site))
                r = runs[-1]
                print(
                    f"run {i + 1}: load {r['load']:.0f} ms, search ready {r['ready']:.0f} ms, "
                    + ", ".join(f"'{q}' {r[q]:.0f} ms ({r[q + ' hits']})" for q in QUERIES)
                    + f", {r['bytes'] / 1e6:.2f} MB in {r['requests']} requests"
                )
            browser.close()
    print(f"\n{papers} papers, Chromium {executable}, median of {len(runs)} runs (fresh cache each):")
    print(f"  page load event:             {median(runs, 'load'):8.0f} ms")
    print(f"  load until search ready:     {median(runs, 'ready'):8.0f} ms")
    for query in QUERIES:
        print(f"  query to results '{query}': {median(runs, query):6.0f} ms")
    print(
        f"  bytes on first load:         {median(runs, 'bytes') / 1e6:8.2f} MB uncompressed "
        f"({median(runs, 'gzip') / 1e6:.2f} MB gzipped), "
        f"of which search_index.json {median(runs, 'index') / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
