"""bench/run.py's measures: a child's CPU time counts the workers it waited for; ratios pair runs."""

from __future__ import annotations

import sys
from pathlib import Path

from bench import run

BUSY = "sum(range(2 * 10**7))"  # about half a second of CPU


def test_a_run_counts_the_cpu_of_the_workers_its_child_waited_for(tmp_path: Path):
    started, _ = run.timed([sys.executable, "-c", "pass"], tmp_path)  # what starting Python costs
    alone, _ = run.timed([sys.executable, "-c", BUSY], tmp_path)
    forked = f"import os\npid = os.fork()\n{BUSY}\nif pid: os.waitpid(pid, 0)\nelse: os._exit(0)\n"
    both, _ = run.timed([sys.executable, "-c", forked], tmp_path)
    work = alone.cpu - started.cpu
    assert work > 0.1
    assert both.cpu - started.cpu > 1.6 * work  # the child's sum and its worker's, not its own only


def test_ratios_are_medians_of_pairs_in_wall_or_cpu_time():
    ours = [run.Run(10.0, 1, cpu=30.0), run.Run(12.0, 1, cpu=33.0), run.Run(9.0, 1, cpu=36.0)]
    hugo = [run.Run(2.0, 1, cpu=6.0), run.Run(3.0, 1, cpu=5.0), run.Run(1.0, 1, cpu=6.0)]
    assert run.ratio(ours, hugo) == "5.00×"  # 5, 4, 9
    assert run.ratio(ours, hugo, "cpu") == "6.00×"  # 5, 6.6, 6
    assert run.cpu_pair(ours, hugo) == "33.0 s, 6.0 s"
    assert run.ratio(ours, []) == "–"
    assert run.ratio([run.Run(1.0, 1)], [run.Run(1.0, 1)], "cpu") == "–"  # no CPU time measured
