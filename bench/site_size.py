"""Where a built site's bytes go, by kind of file: the measure behind issue 16's size target.

    python bench/site_size.py --n 10000 [--work /tmp/rl-size] [--keep]
    python bench/site_size.py --site path/to/site --papers 10000     # an existing site

Synthesises N papers (bench/synth.py, seed 1, as `make bench` does), builds them with
`readinglist build` in a scratch project (bench/run.py's `prepare`) and prints bytes
per category, total and per paper. Bytes are file sizes (what GitHub Pages counts).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import BIN, prepare, synthetic_sources  # noqa: E402

CATEGORIES = (
    ("paper pages", re.compile(r"^papers/")),
    ("tag exports (json/bib/csv)", re.compile(r"^tags/[^/]+/papers\.(json|bib|csv)$")),
    ("tag feeds", re.compile(r"^tags/[^/]+/feed\.xml$")),
    ("tags/cards.js", re.compile(r"^tags/cards\.js$")),
    ("tag pages, first", re.compile(r"^tags/[^/]+/index\.html$|^tags/[^/]+\.html$")),
    ("tag pages, more (newest-N)", re.compile(r"^tags/[^/]+/.+\.html$")),
    ("tags index", re.compile(r"^tags/index\.html$")),
    ("all papers pages", re.compile(r"^all/")),
    ("reading queue / read", re.compile(r"^reading/")),
    ("root papers.json", re.compile(r"^papers\.json$")),
    ("root papers.bib", re.compile(r"^papers\.bib$")),
    ("root papers.csv", re.compile(r"^papers\.csv$")),
    ("root feed.xml", re.compile(r"^feed\.xml$")),
    ("search index", re.compile(r"^search/")),
    ("sitemap", re.compile(r"^sitemap\.xml")),
    ("theme assets", re.compile(r"^assets/")),
    ("other", re.compile(r"")),
)


def category(rel: str) -> str:
    return next(name for name, pattern in CATEGORIES if pattern.search(rel))


def sizes(site: Path) -> tuple[Counter[str], Counter[str]]:
    """({category: bytes}, {category: files}) for every file under `site` that is published (not the build's
    own records at its top, site/.readinglist-build*, which the deploy workflow leaves out)."""
    total: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            if Path(dirpath) == site and name.startswith("."):
                continue
            path = Path(dirpath) / name
            cat = category(path.relative_to(site).as_posix())
            total[cat] += path.stat().st_size
            files[cat] += 1
    return total, files


def report(site: Path, papers: int) -> str:
    total, files = sizes(site)
    whole = sum(total.values())
    lines = [f"site: {site}", "| category | files | bytes | per paper | share |", "|---|---|---|---|---|"]
    for name, _ in CATEGORIES:
        if total[name]:
            lines.append(
                f"| {name} | {files[name]:,} | {total[name]:,} | {total[name] / papers:,.0f} B "
                f"| {100 * total[name] / whole:.1f}% |"
            )
    lines.append(f"| **total** | {sum(files.values()):,} | {whole:,} | {whole / papers:,.0f} B | 100% |")
    lines.append(
        f"50,000 papers at this rate: {whole / papers * 50000 / 1e9:.2f} GB "
        f"(limit 1.00 GB: 20,000 B a paper; issue 16 target 1)"
    )
    return "\n".join(lines)


def build(n: int, work: Path, offline: bool) -> Path:
    sources = synthetic_sources(work, n)
    project = work / f"size-{n}"
    prepare(project)
    inputs = ["--sources", str(sources), "--tags", str(ROOT / "corpus" / "tags.yml"), "--overrides", os.devnull]
    cmd = [str(BIN / "readinglist"), "build", *inputs, "--docs", "docs", "--site", "site"]
    if offline:
        cmd.append("--offline")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    subprocess.run(cmd, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
    return project / "site"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="synthetic papers to build")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "rl-size")
    parser.add_argument("--offline", action="store_true", help="measure the offline (file://) build")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--papers", type=int, help="papers in --site (per-paper figures)")
    args = parser.parse_args()
    if args.site:
        print(report(args.site, args.papers or args.n))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    print(report(build(args.n, args.work, args.offline), args.n))


if __name__ == "__main__":
    main()
