"""Cost of related papers (generator/related.py) at N papers: prints the median of several runs.

    .venv/bin/python bench/bench_related.py [--papers 10000] [--runs 5]

The corpus is synthetic but shaped like the real one: 200 topics, each with its
own 60-word vocabulary, over a shared 5,000-word general vocabulary and English
filler; titles of 10 words, abstracts of 180 (the embedded corpus averages 170).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.related import paper_text, related_papers  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    docs = synthetic_corpus(args.papers)
    times, cpu = [], []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = related_papers(docs)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    shown = sum(len(v) for v in result.values()) / len(result)
    # CPU time too: on a busy machine wall time mostly measures the neighbours.
    print(
        f"related papers for {args.papers} papers: median {statistics.median(times):.2f} s wall, "
        f"{statistics.median(cpu):.2f} s CPU over {args.runs} runs (load average {os.getloadavg()[0]:.1f})"
    )
    print("wall: " + ", ".join(f"{t:.2f}" for t in times) + f" s; {shown:.2f} related papers per paper on average")


if __name__ == "__main__":
    main()
