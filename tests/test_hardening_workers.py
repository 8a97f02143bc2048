"""Forked workers die with the run that forked them, even when it is killed with SIGKILL."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import parallel
from tests.isolated import abstract

ROOT = Path(__file__).resolve().parents[1]
TAGS = ROOT / "tests" / "fixtures" / "tags.yml"
WORDS = ["graph", "vision", "robust", "sparse", "quantum", "token", "latent", "kernel", "spectral", "causal"]


def children(pid: int) -> set[int]:
    """Live processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                fields = stat.rpartition(")")[2].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.add(int(entry))
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
                living.add(pid)
    return living


def big_corpus(folder: Path, papers: int) -> None:
    """Enough distinct papers that the forked stage lasts a while."""
    folder.mkdir(parents=True)
    lines = []
    for i in range(papers):
        a, b, c = WORDS[i % 10], WORDS[i // 10 % 10], WORDS[i // 100 % 10]
        lines += [f"{a.title()} {b} {c} networks, study number {i}", "", abstract(f"{a} {b} {c} models {i}"), ""]
    (folder / "001_big.txt").write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_when_the_run_is_killed(tmp_path):
    big_corpus(tmp_path / "src", 3000)
    env = dict(os.environ, READINGLIST_JOBS="2")
    command = [sys.executable, "-m", "generator", "generate", "--sources", str(tmp_path / "src")]
    command += ["--docs", str(tmp_path / "docs"), "--tags", str(TAGS)]
    run = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and run.poll() is None and time.monotonic() < deadline:
            workers |= children(run.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "the run never reached its parallel stage"
        time.sleep(0.2)  # let the workers start on their tasks
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 5
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive(workers) == set(), "workers outlived the killed run"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in alive(workers):  # only the workers this test saw being forked
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if run.stderr:
            run.stderr.close()


def test_a_worker_whose_parent_is_already_gone_exits(monkeypatch):
    """The race: the parent died between fork and the death signal being armed."""
    exits = []
    monkeypatch.setattr(parallel, "_death_signal", lambda signum: True)  # never arm it in the test process
    monkeypatch.setattr(parallel.os, "_exit", exits.append)
    parallel._die_with_parent(os.getppid() + 1)
    assert exits == [1]


def test_without_the_death_signal_a_watchdog_ends_the_worker(monkeypatch):
    started = []
    monkeypatch.setattr(parallel, "_death_signal", lambda signum: False)
    monkeypatch.setattr(parallel.threading.Thread, "start", lambda self: started.append(self))
    parallel._die_with_parent(os.getppid())
    assert [t.name for t in started] == ["readinglist-watchdog"]
    parents = iter([10, 10, 1])  # the parent dies: the worker is adopted by another process
    exits = []
    monkeypatch.setattr(parallel.os, "getppid", lambda: next(parents))
    monkeypatch.setattr(parallel, "WATCHDOG_SECONDS", 0)
    monkeypatch.setattr(parallel.os, "_exit", exits.append)
    parallel._watch_parent(10)
    assert exits == [1]
