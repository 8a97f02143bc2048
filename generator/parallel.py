"""Run independent pure tasks on every core, with results in task order.

The pipeline's heavy stages (tagging and LaTeX clean-up per paper, related
papers, rendering each paper page) are pure functions of data already in
memory. Forked workers inherit that data (nothing is pickled on the way in)
and send back only their results, so the output is the same, byte for byte,
whatever the number of workers; `tests/test_parallel.py` holds the site to
that.

READINGLIST_JOBS sets the number of workers (1: everything in this process).
The default is one per core, but only for corpora of at least
PARALLEL_MIN_PAPERS papers: below that, starting workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
PARALLEL_MIN_PAPERS = 2000

_TASKS: Sequence[Callable[[], object]] = ()  # what forked workers run, by index


def jobs(papers: int) -> int:
    """How many workers a corpus of `papers` papers gets."""
    setting = os.environ.get("READINGLIST_JOBS", "").strip()
    if setting:
        try:
            return max(1, int(setting))
        except ValueError:
            return 1
    if papers < PARALLEL_MIN_PAPERS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run_all(tasks: Sequence[Callable[[], T]], workers: int) -> list[T]:
    """Every task's result, in task order; tasks run in `workers` forked processes when workers > 1."""
    global _TASKS
    if workers <= 1 or len(tasks) <= 1:
        return [task() for task in tasks]
    _TASKS = tasks
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=context) as pool:
            return list(pool.map(_run, range(len(tasks))))
    finally:
        _TASKS = ()


def _run(index: int) -> object:
    return _TASKS[index]()


def chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """`items` cut into at most `count` contiguous slices of near-equal length."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    cut, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        cut.append(items[start:end])
        start = end
    return cut
