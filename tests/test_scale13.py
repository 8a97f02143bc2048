"""Issue 16, thirteenth round: work moved off the run's critical path, and two hot loops made lighter.

What must hold:
- an update begins the related papers (the longest task it has) before it looks up the kept work, and writes
  the same docs/ as a full run; a failure while it looks the work up ends that worker;
- tasks with small results are handed out one at a time (`ahead` 1): a task is never held behind a long one
  while another worker is free;
- convert_plain skips the tokens convert_token leaves alone without asking it (plain ASCII words that are not a
  macro's name), and only those;
- csv_line writes what the csv module writes, for any cells.
"""

from __future__ import annotations

import csv
import io
import string
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import parallel, stored
from generator.build import generate
from generator.exports import LINE_END, csv_line
from generator.textclean import WORD_MACROS, convert_plain, convert_token
from tests.sitebuild import EMBEDDED, docs_text
from tests.test_lists7_related_later import project, updated_project

SOURCES = sorted((EMBEDDED / "sources").glob("*.txt"))


def test_an_update_begins_the_related_papers_before_it_looks_up_the_kept_work(tmp_path, monkeypatch):
    options = updated_project(tmp_path, monkeypatch)
    events: list[str] = []
    real_begin, real_tags_of = parallel.begin, stored.Stored.tags_of

    def begin(task, workers):
        events.append("begin")
        return real_begin(task, workers)

    def tags_of(self, paper):
        events.append("lookup")
        return real_tags_of(self, paper)

    monkeypatch.setattr(parallel, "begin", begin)
    monkeypatch.setattr(stored.Stored, "tags_of", tags_of)
    updated = generate(options)
    assert "lookup" in events and events.index("begin") < events.index("lookup")
    monkeypatch.setattr(parallel, "begin", real_begin)
    monkeypatch.setattr(stored.Stored, "tags_of", real_tags_of)
    fresh = project(tmp_path / "fresh", SOURCES)
    full = generate(fresh)
    assert updated.catalogue.related == full.catalogue.related and any(full.catalogue.related.values())
    assert docs_text(options.docs) == docs_text(fresh.docs)


def test_a_failure_while_the_kept_work_is_looked_up_ends_the_early_worker(tmp_path, monkeypatch):
    options = updated_project(tmp_path, monkeypatch)
    begun: list[parallel.Started] = []
    real_begin = parallel.begin

    def begin(task, workers):
        begun.append(real_begin(task, workers))
        return begun[-1]

    def broken(self, paper):
        raise RuntimeError("damaged lookup")

    monkeypatch.setattr(parallel, "begin", begin)
    monkeypatch.setattr(stored.Stored, "tags_of", broken)
    with pytest.raises(RuntimeError, match="damaged lookup"):
        generate(options)
    [early] = begun
    assert early.pool is not None and early.pool.processes == []  # stopped (and its process joined)


def _wait_for(path: Path, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not path.exists():
        time.sleep(0.02)
    return path.exists()


def _long(folder: Path) -> str:
    """Runs until the test has seen what it waits for (or 30 s): a task far longer than the others."""
    _wait_for(folder / "go")
    return "long"


def _short(folder: Path, i: int) -> int:
    (folder / f"short-{i}").touch()
    return i


def test_with_ahead_one_no_task_waits_behind_a_long_one(tmp_path):
    tasks = [lambda: _long(tmp_path), *(lambda i=i: _short(tmp_path, i) for i in range(5))]
    started = parallel.start(tasks, 2, ahead=1).in_background()  # results taken as they come
    try:
        # Every short task runs on the other worker while the long one is still running.
        assert all(_wait_for(tmp_path / f"short-{i}") for i in range(5))
    finally:
        (tmp_path / "go").touch()
        results = started.results()
    assert results == ["long", 0, 1, 2, 3, 4]


def test_with_two_ahead_the_long_tasks_worker_holds_one_more(tmp_path):
    """What `ahead` 1 is for: the default hands the long task's worker a second task, which waits for it."""
    tasks = [lambda: _long(tmp_path), *(lambda i=i: _short(tmp_path, i) for i in range(5))]
    started = parallel.start(tasks, 2).in_background()
    try:
        others = [i for i in range(5) if i != 1]  # task 2 (short 1) went to the long task's worker
        assert all(_wait_for(tmp_path / f"short-{i}") for i in others)
        assert not (tmp_path / "short-1").exists()
    finally:
        (tmp_path / "go").touch()
        results = started.results()
    assert results == ["long", 0, 1, 2, 3, 4]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=string.ascii_letters, min_size=1, max_size=12))
def test_a_plain_ascii_word_changes_only_when_it_is_a_macros_name(word):
    assert (convert_token(word) != word) <= (word in WORD_MACROS)


def test_every_macros_name_still_goes_to_convert_token():
    changed = [
        name for name in sorted(WORD_MACROS) if name.isascii() and name.isalpha() and convert_token(name) != name
    ]
    assert changed  # the skip would have lost these
    text = " ".join(changed)
    assert convert_plain(text) == " ".join(convert_token(name) for name in changed)


CELL = st.one_of(st.text(alphabet='ab ,"\r\n\t=é;\u2028\x00'), st.integers(), st.booleans(), st.none(), st.floats())


@settings(max_examples=400, deadline=None)
@given(st.lists(CELL, min_size=1, max_size=6))
def test_csv_line_is_what_the_csv_module_writes_for_any_cells(cells):
    out = io.StringIO()
    csv.writer(out, lineterminator=LINE_END).writerow(cells)
    assert csv_line(cells) == out.getvalue()
