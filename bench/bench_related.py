"""Cost of related papers (generator/related.py) at several corpus sizes, side by side with another version.

    .venv/bin/python bench/bench_related.py [--sizes 1000,10000,50000] [--runs 3] [--against main]
                                            [--against-max 50000] [--corpus random|synth]
                                            [--added 50]

Medians of `--runs` runs, wall and CPU time. With `--against REF` the related.py of that git
revision runs too, alternating with this one run by run (a shared machine is noisy: the ratio
of runs made side by side says more than either time), and the two answers are compared (how
many papers got the same list). The scaling exponent between the two largest sizes is
log(t2 / t1) / log(n2 / n1): 1 is linear, 2 quadratic.

Corpora: `random` (the default) is synthetic but shaped like the real one: 200 topics, each with
its own 60-word vocabulary, over a shared 5,000-word general vocabulary and English filler; titles
of 10 words, abstracts of 180 (the embedded corpus averages 170). `synth` is bench/synth.py's
corpus (word-bigram walks trained on the embedded corpus, as `make bench` builds): a small
vocabulary where almost every word is common, the worst case for an inverted index.

With `--added K` it measures stability instead of time: the share of the N papers whose shown
list (slugs and order) changes when K more papers are added, and how many of those changed
because they gained one of the new papers (every changed list rewrites a paper page).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import related as current  # noqa: E402
from generator.related import paper_text  # noqa: E402

FILLER = [
    "we",
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "this",
    "by",
    "our",
    "are",
    "as",
    "an",
    "from",
    "be",
    "show",
    "propose",
    "method",
    "results",
]


def word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 11)))


def synthetic_corpus(n: int, seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    general = [word(rng) for _ in range(5000)]
    topics = [[word(rng) for _ in range(60)] for _ in range(200)]
    docs = []
    for i in range(n):
        topic = topics[rng.randrange(len(topics))]

        def pick(k: int, topic: list[str] = topic) -> list[str]:
            out = []
            for _ in range(k):
                r = rng.random()
                out.append(rng.choice(topic) if r < 0.3 else rng.choice(general) if r < 0.7 else rng.choice(FILLER))
            return out

        title = " ".join(pick(10))
        docs.append((f"paper-{i:05d}", paper_text(title, " ".join(pick(180)))))
    return docs


def synth_corpus(n: int, seed: int = 1) -> list[tuple[str, str]]:
    from bench.synth import make_papers

    papers = make_papers(n, seed, ROOT / "corpus" / "tags.yml")
    return [(f"paper-{i:05d}", paper_text(p.title, p.abstract)) for i, p in enumerate(papers)]


def module_at(ref: str, folder: Path) -> ModuleType:
    """generator/related.py as it is at git revision `ref`, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:generator/related.py"], check=True, capture_output=True, text=True
    ).stdout
    path = folder / f"related_{abs(hash(ref))}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(module: ModuleType, docs: list[tuple[str, str]]) -> tuple[float, float, dict]:
    start, start_cpu = time.perf_counter(), time.process_time()
    result = module.related_papers(docs)
    return time.perf_counter() - start, time.process_time() - start_cpu, result


def exponent(sizes: list[int], times: dict[int, float]) -> str:
    if len(sizes) < 2:
        return "n/a"
    a, b = sizes[-2], sizes[-1]
    if not times.get(a) or not times.get(b):
        return "n/a"
    return f"{math.log(times[b] / times[a]) / math.log(b / a):.2f}"


def stability(module: ModuleType, docs: list[tuple[str, str]], added: int) -> tuple[int, int, int]:
    """(papers, lists changed by adding the last `added` docs, of which gained a new paper)."""
    before = module.related_papers(docs[:-added])
    after = module.related_papers(docs)
    new = {slug for slug, _ in docs[-added:]}
    changed = [slug for slug in before if before[slug] != after[slug]]
    return len(before), len(changed), sum(bool(new & set(after[slug])) for slug in changed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated paper counts")
    parser.add_argument("--papers", type=int, help="one size only (same as --sizes N)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", help="git revision whose related.py runs side by side (e.g. main)")
    parser.add_argument("--against-max", type=int, default=50000, help="largest size the other version runs at")
    parser.add_argument("--corpus", choices=("random", "synth"), default="random")
    parser.add_argument("--added", type=int, help="measure list stability when this many papers are added")
    args = parser.parse_args()
    sizes = [args.papers] if args.papers else [int(s) for s in args.sizes.split(",")]
    make = synthetic_corpus if args.corpus == "random" else synth_corpus
    if args.added:
        with tempfile.TemporaryDirectory() as folder:
            versions = [("this", current)]
            if args.against:
                versions.append((args.against, module_at(args.against, Path(folder))))
            for n in sizes:
                docs = make(n + args.added)
                for name, module in versions:
                    papers, changed, gained = stability(module, docs, args.added)
                    print(
                        f"{args.corpus} {n:>6} papers + {args.added}  {name:>6}: {changed} lists changed "
                        f"({changed / papers:.1%}), {gained} of them gained a new paper"
                    )
        return
    with tempfile.TemporaryDirectory() as folder:
        other = module_at(args.against, Path(folder)) if args.against else None
        medians: dict[str, dict[int, float]] = {"this": {}, "other": {}}
        for n in sizes:
            docs = make(n)
            versions = [("this", current)]
            if other is not None and n <= args.against_max:
                versions.append(("other", other))
            wall: dict[str, list[float]] = {name: [] for name, _ in versions}
            cpu: dict[str, list[float]] = {name: [] for name, _ in versions}
            answers: dict[str, dict] = {}
            for _ in range(args.runs):
                for name, module in versions:  # alternating: both see the same neighbours on the machine
                    w, c, answers[name] = timed(module, docs)
                    wall[name].append(w)
                    cpu[name].append(c)
            load = os.getloadavg()[0]
            for name, _ in versions:
                medians[name][n] = statistics.median(wall[name])
                shown = sum(len(v) for v in answers[name].values()) / max(1, len(answers[name]))
                label = "this" if name == "this" else args.against
                print(
                    f"{args.corpus} {n:>6} papers  {label:>6}: median {statistics.median(wall[name]):7.2f} s wall, "
                    f"{statistics.median(cpu[name]):7.2f} s CPU  (runs {', '.join(f'{t:.2f}' for t in wall[name])}; "
                    f"{shown:.2f} shown per paper; load {load:.1f})"
                )
            if "other" in answers:
                same = sum(answers["this"][k] == answers["other"].get(k) for k in answers["this"])
                ratio = medians["other"][n] / medians["this"][n]
                print(
                    f"{args.corpus} {n:>6} papers  {args.against} / this = {ratio:.1f}x faster; "
                    f"same list for {same}/{n} papers"
                )
            sys.stdout.flush()
        print(
            f"scaling exponent {sizes[-2] if len(sizes) > 1 else ''}->{sizes[-1]}: this {exponent(sizes, medians['this'])}",
            end="",
        )
        print(f", {args.against} {exponent(sizes, medians['other'])}" if other is not None else "")


if __name__ == "__main__":
    main()
