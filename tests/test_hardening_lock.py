"""One run at a time per docs/: a second run waits briefly, then stops with a message naming the first."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import writer
from generator.cli import main
from generator.writer import STATE, lock_path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "corpus"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
TAGS = ROOT / "tests" / "fixtures" / "tags.yml"

HOLD = """
import sys, time
from pathlib import Path
from generator.writer import docs_lock
with docs_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def holder(docs: Path, seconds: float) -> subprocess.Popen:
    """Another process that holds docs/'s lock for `seconds`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(docs), str(seconds)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline() == "held\n"
    return proc


def generate_args(docs: Path, sources: Path = FIXTURE) -> list[str]:
    return ["generate", "--sources", str(sources), "--docs", str(docs), "--tags", str(TAGS)]


def test_second_run_stops_with_a_message_naming_the_first(tmp_path, capsys, monkeypatch):
    docs = tmp_path / "docs"
    monkeypatch.setattr(writer, "LOCK_WAIT", 0.5)
    other = holder(docs, 30)
    try:
        started = time.monotonic()
        code = main(generate_args(docs))
        waited = time.monotonic() - started
    finally:
        other.kill()
        other.wait()
    err = capsys.readouterr().err
    assert code == 1
    assert f"note: {docs}/: another readinglist run (pid {other.pid}) is using this folder; waiting" in err
    assert err.endswith(
        f"error: {docs}/: another readinglist run is using this folder (pid {other.pid}); wait for it or stop it\n"
    )
    assert 0.4 < waited < 10
    assert not docs.exists()  # nothing written


def test_second_run_waits_for_a_short_first_run(tmp_path, capsys):
    docs = tmp_path / "docs"
    other = holder(docs, 1.0)
    try:
        code = main(generate_args(docs))
    finally:
        other.wait()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "waiting up to" in err and "docs: 27 files written" in out  # no by-title pages (issue 16)


def test_a_killed_holder_does_not_block_the_next_run(tmp_path, capsys):
    docs = tmp_path / "docs"
    other = holder(docs, 30)
    other.kill()
    other.wait()
    assert main(generate_args(docs)) == 0, capsys.readouterr().err
    assert lock_path(docs).read_text(encoding="ascii") == ""  # released: no holder recorded


def test_lock_file_is_beside_docs_not_in_it(tmp_path, capsys):
    docs = tmp_path / "docs"
    assert main(generate_args(docs)) == 0
    assert lock_path(docs) == tmp_path / ".docs.readinglist-lock"
    assert lock_path(docs).exists()
    assert not [p for p in docs.rglob("*lock*")]


@pytest.mark.parametrize("round_", range(2))
def test_two_runs_at_once_leave_a_consistent_docs(tmp_path, capsys, round_):
    """Two processes generating different corpora into one docs/ at the same moment: whichever
    runs second, docs/ ends exactly as a clean run of its corpus leaves it, and agrees with the state."""
    docs = tmp_path / "docs"
    corpora = [FIXTURE, HOSTILE]
    command = [sys.executable, "-m", "generator"]
    procs = [
        subprocess.Popen(command + generate_args(docs, c), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for c in (corpora if round_ == 0 else corpora[::-1])
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    # The state names one corpus's fingerprint; a run on that corpus must find docs/ up to date and
    # leave it as a clean run leaves it.
    for corpus in corpora:
        assert main(generate_args(docs, corpus)) == 0
        clean = tmp_path / f"clean-{corpus.name}"
        assert main(generate_args(clean, corpus)) == 0
        assert tree(docs) == tree(clean)
    capsys.readouterr()
    assert json.loads((docs / STATE).read_text(encoding="utf-8"))["fingerprint"]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != STATE
    }


def test_serve_waits_without_limit(monkeypatch):
    """serve's in-process generates wait for another run rather than fail (see serve.waiting)."""
    from generator import serve

    seen = {}

    def fake_generate(options, *, wait=None, on_wait=None, cache=None):
        seen.update(wait=wait, on_wait=on_wait, cache=cache)
        raise KeyboardInterrupt

    monkeypatch.setattr(serve, "generate", fake_generate)
    monkeypatch.setattr(serve, "check_port", lambda host, port: None)
    monkeypatch.setenv("READINGLIST_OFFLINE", "false")  # serve sets these: restored after the test
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    with pytest.raises(KeyboardInterrupt):
        serve.serve(serve.Options(), 0, Path("mkdocs.yml"))
    assert seen["wait"] == float("inf") and seen["on_wait"] is serve.waiting
    assert isinstance(seen["cache"], serve.Cache)  # serve's one cache, kept across its rebuilds
