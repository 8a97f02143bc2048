"""The cold build against Hugo, each pair run back to back: issue 16's target 2 (build <= 5x Hugo).

    python bench/hugo_pairs.py [--n 10000] [--runs 3]

`make bench` times Hugo after two reference MkDocs builds, minutes after the cold build it is compared
with; on this machine, whose speed drifts within minutes, that spread its per-run ratios from 2.9x to
7.1x in one run. Here each cold `readinglist build` (a fresh project, bench/run.py's `prepare`) is followed
at once by Hugo on the same paper pages into an empty folder (bench/run.py's `prepare_hugo`), and every
pair's ratio is printed with their median.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import BIN, prepare, prepare_hugo, synthetic_sources, timed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="synthetic papers")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "artifacts" / "bench")
    args = parser.parse_args()
    if shutil.which("hugo") is None:
        raise SystemExit("hugo is not installed (Debian: apt install hugo)")
    sources = synthetic_sources(args.work, args.n)
    inputs = ["--sources", str(sources), "--tags", str(ROOT / "corpus" / "tags.yml"), "--overrides", os.devnull]
    ratios = []
    with tempfile.TemporaryDirectory(prefix="rl-hugo-pairs-") as scratch:
        for run in range(args.runs):
            project = Path(scratch) / f"project-{run}"
            prepare(project)
            build, _ = timed([str(BIN / "readinglist"), "build", *inputs, "--docs", "docs", "--site", "site"], project)
            hugo_dir = prepare_hugo(project)
            public = project / "hugo-public"
            hugo, _ = timed(["hugo", "--quiet", "-s", str(hugo_dir), "-d", str(public)], project)
            ratios.append(build.seconds / hugo.seconds)
            print(
                f"run {run + 1}: readinglist build {build.seconds:.2f} s, Hugo {hugo.seconds:.2f} s: {ratios[-1]:.2f}x"
            )
            # Kept until the end (the scratch folder goes then): deleted here, its files made the next pair's
            # files slow to create (bench/run.py, set_aside).
    print(f"median of {len(ratios)} pairs: {statistics.median(ratios):.2f}x (target: <= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
