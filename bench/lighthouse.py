"""Lighthouse (mobile preset) on the reader's main pages, served compressed as GitHub Pages serves them.

Pages: home, tags index, the largest tag's page, a paper page (the one with
most tags) and the reading queue. Each page is measured RUNS times, each run a
fresh Chromium (Debian's, /usr/bin/chromium or $CHROME_PATH); the table shows
the median score per category. Lighthouse is the npm package pinned in
package.json's devDependencies (`npm ci` installs it; `make deps` leaves it out).

    python bench/lighthouse.py [--site SITE_DIR] [--runs 3] [--out FILE]

Without --site it builds the frozen embedded corpus (tests/fixtures/embedded)
into a scratch folder first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gzip_server import serve  # noqa: E402
from tests.browser.helpers import reader_pages  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"


def pages(site: Path) -> dict[str, str]:
    found = reader_pages(site)
    largest = found["tag"].split("/")[1]
    return {
        "home": found["home"],
        "tags index": found["tags"],
        f"largest tag ({largest})": found["tag"],
        "paper page": found["paper"],
        "reading queue": found["queue"],
    }


def run_once(url: str, out: Path) -> dict[str, float]:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={FLAGS}",
        ],
        check=True,
        env=env,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: report["categories"][c]["score"] for c in CATEGORIES}


def failing_audits(out: Path) -> list[str]:
    report = json.loads(out.read_text(encoding="utf-8"))
    ids = {ref["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"] if ref.get("weight")}
    return sorted(
        f"{a['id']} ({a['score']:.2f})"
        for a in report["audits"].values()
        if a["id"] in ids and a.get("score") is not None and a["score"] < 0.9
    )


def measure(site: Path, runs: int, verbose: bool) -> list[tuple[str, dict[str, float]]]:
    rows = []
    with serve(site) as base, tempfile.TemporaryDirectory() as tmp:
        for name, path in pages(site).items():
            scores: dict[str, list[float]] = {c: [] for c in CATEGORIES}
            for run in range(runs):
                out = Path(tmp) / f"report-{run}.json"
                for category, score in run_once(base + path, out).items():
                    scores[category].append(score)
                if verbose:
                    print(f"  {name} run {run + 1}: {failing_audits(out)}", file=sys.stderr)
            rows.append((name, {c: statistics.median(v) for c, v in scores.items()}))
            print(name, rows[-1][1], file=sys.stderr)
    return rows


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    lines = ["| page | performance | accessibility | best practices | SEO |", "|---|--:|--:|--:|--:|"]
    for name, s in rows:
        lines.append(f"| {name} | " + " | ".join(f"{s[c]:.2f}" for c in CATEGORIES) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the embedded fixture)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the table here")
    parser.add_argument("--verbose", action="store_true", help="print the failing audits of each run")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("error: lighthouse is not installed: run `npm ci` (it is a devDependency)")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            from tests.sitebuild import build_site

            site, _ = build_site(Path(tmp) / "work")
        text = table(measure(site, args.runs, args.verbose))
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
