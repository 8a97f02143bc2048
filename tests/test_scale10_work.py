"""The kept work (generator/stored.py) is made in workers while the pages are written (issue 16, target 4a).

At 50,000 papers its JSON took 4 s of the write stage, on one core while the other waited. Now build.py starts
a forked worker on each of its two files once the writer knows the planned files' digests, and keeps what they
made after the pages, as before:
- the kept files are the same bytes whether a worker or this process made them;
- the worker is started before the first page is written, and its files reach docs/ after the last page
  (the order that lets an interrupted run be resumed);
- a worker that is killed costs nothing but time: the work is made here instead;
- a run whose writing fails ends the worker.
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

import pytest

from generator import build, parallel, state, stored, writer
from generator.build import Options, generate
from generator.errors import GeneratorError
from generator.state import unseal
from tests.sitebuild import EMBEDDED, docs_text, listing_project

LISTINGS = ["2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"]
KEPT = (writer.WORK, stored.FILES)


def run(tmp_path: Path, name: str, monkeypatch, jobs: str) -> Path:
    sources, docs = listing_project(tmp_path / name, LISTINGS)
    monkeypatch.setenv("READINGLIST_JOBS", jobs)  # any corpus, however small, gets that many workers
    options = Options(sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml"))
    generate(options)
    return docs


def kept(docs: Path) -> dict[str, bytes]:
    found = {name: unseal((docs / name).read_bytes()) for name in KEPT}
    assert all(found.values())  # both there, and sealed
    return found


def spy_on_begin(monkeypatch) -> list[tuple[parallel.Started, list]]:
    """[(each Started that parallel.begin returned, its worker processes as begun)]."""
    begun: list[tuple[parallel.Started, list]] = []
    real = parallel.begin

    def begin(task, workers):
        started = real(task, workers)
        begun.append((started, list(started.pool.processes) if started.pool is not None else []))
        return started

    monkeypatch.setattr(parallel, "begin", begin)
    return begun


def test_a_worker_makes_the_same_kept_files_as_this_process(tmp_path, monkeypatch):
    here = run(tmp_path, "one", monkeypatch, "1")
    begun = spy_on_begin(monkeypatch)
    there = run(tmp_path, "two", monkeypatch, "2")
    assert [len(processes) for _, processes in begun] == [1, 1]  # a worker made each
    assert kept(there) == kept(here)
    assert docs_text(there) == docs_text(here)


def test_the_worker_starts_before_the_first_page_and_its_files_follow_the_last(tmp_path, monkeypatch):
    events: list[str] = []
    real_write, real_begin = writer.atomic_write, parallel.begin
    for module in (writer, state):  # the pages; the kept work (state.keep)
        monkeypatch.setattr(
            module, "atomic_write", lambda path, *chunks: events.append(str(path)) or real_write(path, *chunks)
        )
    monkeypatch.setattr(parallel, "begin", lambda task, workers: events.append("begin") or real_begin(task, workers))
    docs = run(tmp_path, "order", monkeypatch, "2")
    pages = [i for i, e in enumerate(events) if e.endswith(".md")]
    work = [i for i, e in enumerate(events) if os.path.basename(e) in KEPT]
    assert pages and len(work) == 2
    assert events.index("begin") < pages[0]
    assert pages[-1] < min(work)
    kept(docs)


def test_a_killed_worker_costs_time_not_the_kept_work(tmp_path, monkeypatch):
    here = run(tmp_path, "one", monkeypatch, "1")
    parent, real = os.getpid(), build.work_record

    def killed_in_a_worker(*args, **kwargs):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "work_record", killed_in_a_worker)
    begun = spy_on_begin(monkeypatch)
    there = run(tmp_path, "killed", monkeypatch, "2")
    assert [len(processes) for _, processes in begun] == [1, 1]
    assert kept(there) == kept(here)


def test_a_run_whose_writing_fails_ends_the_worker(tmp_path, monkeypatch):
    begun = spy_on_begin(monkeypatch)
    real = writer.atomic_write

    def full_disk(path, *chunks):
        if str(path).endswith(".md"):
            raise OSError(28, "No space left on device", str(path))
        return real(path, *chunks)

    monkeypatch.setattr(writer, "atomic_write", full_disk)
    with pytest.raises(GeneratorError, match="No space left"):
        run(tmp_path, "full", monkeypatch, "2")
    workers = [worker for _, processes in begun for worker in processes]
    assert len(workers) == 2 and not any(worker.is_alive() for worker in workers)


def test_a_cold_run_leaves_the_record_keys_to_the_worker(tmp_path, monkeypatch):
    """The record digests find the pages the last run kept; a cold run has none, and its worker makes them."""
    calls: list[int] = []
    real = build.keyed_records
    monkeypatch.setattr(build, "keyed_records", lambda records: calls.append(os.getpid()) or real(records))
    docs = run(tmp_path, "cold", monkeypatch, "2")
    assert calls == []  # (the worker's calls are in its own memory)
    assert kept(docs)[stored.FILES].startswith(stored.FILES_HEAD_2)
    sources = docs.parent / "sources"
    (sources / LISTINGS[1]).unlink()  # an update: the kept pages are found by their records' digests
    generate(Options(sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml")))
    assert calls == [os.getpid()]


def test_pages_are_readable_by_all_whatever_the_umask(tmp_path):
    """The mode is set by descriptor now (os.fchmod), not by path: still 0644 under a strict umask."""
    old = os.umask(0o077)
    try:
        writer.write_plan(tmp_path, {"papers/a.md": "# A\n", "index.md": "home\n"})
    finally:
        os.umask(old)
    assert [oct(p.stat().st_mode & 0o777) for p in sorted(tmp_path.rglob("*.md"))] == ["0o644", "0o644"]


def test_a_cold_run_writes_its_manifest_once(tmp_path, monkeypatch):
    """The manifest widened before the first page is already the final one when docs/ was empty."""
    made: list[dict] = []
    real = writer.write_manifest
    monkeypatch.setattr(writer, "write_manifest", lambda docs, manifest: made.append(manifest) or real(docs, manifest))
    writer.write_plan(tmp_path, {"papers/a.md": "# A\n", "papers/b.md": "# B\n"})
    assert len(made) == 1 and set(made[0]) == {"papers/a.md", "papers/b.md"}
    writer.write_plan(tmp_path, {"papers/a.md": "# A, revised\n"})  # widened (both digests of a, and b), then final
    assert [sorted(m) for m in made[1:]] == [["papers/a.md", "papers/b.md"], ["papers/a.md"]]
    assert writer.read_manifest(tmp_path) == made[-1]


def test_a_run_that_cannot_fork_makes_the_kept_work_itself(tmp_path, monkeypatch):
    here = run(tmp_path, "one", monkeypatch, "1")
    real = parallel.begin

    def no_fork(task, workers):
        if workers > 1:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        return real(task, workers)

    monkeypatch.setattr(parallel, "begin", no_fork)
    there = run(tmp_path, "no-fork", monkeypatch, "2")
    assert kept(there) == kept(here)
    assert docs_text(there) == docs_text(here)
