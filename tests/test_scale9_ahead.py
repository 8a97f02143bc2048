"""Issue 16: a worker starts its next task as soon as it has sent a result, not once the run has read it (the
run may be busy making list pages while a 120 MB slice of paper pages waits in the pipe)."""

from __future__ import annotations

import os
import pickle
import socket
import time
from pathlib import Path

import pytest

from generator import parallel

BIG = 4 * 2**20  # far more than a pipe holds: the worker's send waits for the reader


def _task(folder: Path, i: int) -> bytes:
    (folder / f"started-{i}").touch()
    return bytes(BIG)


def _wait_for(paths: list[Path], seconds: float = 30.0) -> list[Path]:
    """Those of `paths` that exist once all do, or once `seconds` passed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not all(p.exists() for p in paths):
        time.sleep(0.05)
    return [p for p in paths if p.exists()]


def test_each_worker_starts_its_second_task_before_its_first_result_is_read(tmp_path):
    tasks = [lambda i=i: _task(tmp_path, i) for i in range(4)]
    started = parallel.start(tasks, 2)  # nothing reads the results yet
    try:
        markers = [tmp_path / f"started-{i}" for i in range(4)]
        assert _wait_for(markers) == markers
    finally:
        results = started.results()
    assert [len(r) for r in results] == [BIG] * 4


def test_a_worker_holds_no_more_than_two_tasks_ahead(tmp_path):
    tasks = [lambda i=i: _task(tmp_path, i) for i in range(6)]
    started = parallel.start(tasks, 2)
    try:
        first = [tmp_path / f"started-{i}" for i in range(4)]
        assert _wait_for(first) == first
        time.sleep(0.5)  # the other two stay queued until a result is read
        assert not any((tmp_path / f"started-{i}").exists() for i in (4, 5))
    finally:
        results = started.results()
    assert len(results) == 6 and all(os.path.exists(tmp_path / f"started-{i}") for i in range(6))


def test_a_failing_task_still_fails_the_run_with_tasks_ahead():
    def broken() -> int:
        raise ValueError("bad slice")

    with pytest.raises(ValueError, match="bad slice"):
        parallel.run_all([lambda: 1, lambda: 2, broken, lambda: 4, lambda: 5], 2)


def test_big_results_come_back_whole_through_the_pipe_where_there_is_no_memfd(monkeypatch):
    monkeypatch.delattr(os, "memfd_create", raising=False)
    results = parallel.run_all([lambda i=i: bytes([i]) * BIG for i in range(3)], 2)
    assert [r == bytes([i]) * BIG for i, r in enumerate(results)] == [True] * 3


def test_a_worker_killed_after_its_replies_fails_the_run_only_for_what_it_did_not_answer():
    def killed() -> int:
        os._exit(3)

    with pytest.raises(parallel.WorkerDied):
        parallel.run_all([lambda: bytes(BIG), killed, lambda: bytes(BIG), lambda: 1], 2)
    assert [len(r) for r in parallel.run_all([lambda: bytes(BIG), lambda: bytes(BIG)], 2)] == [BIG, BIG]


def test_big_results_come_back_whole_when_descriptors_cannot_be_passed(monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError("no descriptors here")

    monkeypatch.setattr(socket, "send_fds", refused)  # the workers are forked: they inherit it
    results = parallel.run_all([lambda i=i: bytes([i]) * BIG for i in range(3)], 2)
    assert [r == bytes([i]) * BIG for i, r in enumerate(results)] == [True] * 3


def test_a_big_result_is_pickled_into_the_in_memory_file_not_into_bytes(monkeypatch):
    """Round 10: a 120 MB slice of pages was pickled into bytes, then copied into the memfd (and read into bytes
    again by the run): now pickle writes it into the memfd frame by frame, and the run unpickles it mapped."""
    real = pickle.dumps

    def no_big_bytes(value, *args, **kwargs):
        data = real(value, *args, **kwargs)
        if len(data) > parallel.BIG_REPLY:
            raise MemoryError("a big result was pickled into bytes")
        return data

    monkeypatch.setattr(pickle, "dumps", no_big_bytes)  # the workers are forked: they inherit it
    results = parallel.run_all([lambda i=i: bytes([i]) * BIG for i in range(3)], 2)
    assert [r == bytes([i]) * BIG for i, r in enumerate(results)] == [True] * 3


def test_a_result_that_cannot_be_pickled_fails_the_run_with_why():
    with pytest.raises(Exception, match="pickle"):
        parallel.run_all([lambda: 1, lambda: lambda: "a local function"], 2)
