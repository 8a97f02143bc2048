"""Round 7 of the outside red team (the kept-update promise after framed list pages and related papers in a
worker): what it broke, each held here.

1. A hand-written docs/all/2/index.md (or docs/papers/<slug>/index.md) and the generated all/2.md are the same
   site file: one overwrote the other, which one depending on timing and the number of jobs. Now refused.
2. A killed worker (the out-of-memory killer) gave a Python traceback; MkDocs killed gave no message at all.
3. Ctrl-C made every worker print a KeyboardInterrupt traceback.
"""

from __future__ import annotations

import os
import signal

import pytest

from generator import cli, parallel, toolchain
from generator.errors import GeneratorError
from tests.sitebuild import build_site


@pytest.mark.slow
@pytest.mark.parametrize("where", ["all/2/index.md", "papers/{slug}/index.md", "all/3/index.html"])
def test_a_hand_written_file_where_a_framed_page_goes_is_refused(tmp_path, where):
    work = tmp_path / "work"
    site, _ = build_site(work)  # all/2.md .. all/4.md and the paper pages are framed
    slug = sorted((work / "docs" / "papers").glob("*.md"))[0].stem
    mine = work / "docs" / where.format(slug=slug)
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("# My own page\n", encoding="utf-8")
    with pytest.raises(AssertionError) as failed:
        build_site(work)
    message = str(failed.value)
    assert "Traceback" not in message
    assert f"{where.format(slug=slug)} and the generated" in message and "would both be" in message
    assert mine.read_text(encoding="utf-8") == "# My own page\n"  # never touched


def _killed() -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 1


def _interrupted() -> int:
    os.kill(os.getpid(), signal.SIGINT)
    return 7


def test_a_killed_worker_is_a_clear_error():
    with pytest.raises(GeneratorError, match="ended abruptly.*run again"):
        parallel.run_all([_killed, lambda: 2], 2)
    with pytest.raises(GeneratorError, match="ended abruptly"):
        parallel.begin(_killed, 2).results()


def test_ctrl_c_is_the_runs_to_handle_not_each_workers():
    assert parallel.run_all([_interrupted, lambda: 2], 2) == [7, 2]


def test_the_cli_says_what_happened_when_a_worker_or_mkdocs_is_killed(monkeypatch, tmp_path, capsys):
    def dying(*args, **kwargs):
        raise parallel.WorkerDied

    monkeypatch.setattr(cli, "generate_and_build", dying)
    monkeypatch.setattr(cli, "check_site_folder", lambda *a: None)
    monkeypatch.setattr(cli, "require_shim", lambda *a: None)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "site")]) == 1
    assert "error: a worker process ended abruptly" in capsys.readouterr().err


def test_mkdocs_ended_by_a_signal_is_a_clear_error(monkeypatch, tmp_path, capsys):
    import argparse

    from generator.build import Options, Result

    monkeypatch.setattr(cli, "generate_held", lambda options: Result(None, 0, 0, 0, (), ()))
    monkeypatch.setattr(cli, "print_result", lambda *a, **k: None)
    monkeypatch.setattr(cli, "claim_site_folder", lambda site: None)
    monkeypatch.setattr(cli.incremental, "site_key", lambda *a: "k")
    monkeypatch.setattr(cli.incremental, "can_update", lambda *a: False)
    monkeypatch.setattr(cli.incremental, "forget", lambda *a: None)

    class KilledBeforeItRan(toolchain.EarlyMkDocs):  # the real child, killed as the out-of-memory killer would
        def __init__(self, *args) -> None:
            super().__init__(*args)
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    monkeypatch.setattr(cli, "EarlyMkDocs", KilledBeforeItRan)
    args = argparse.Namespace(command="build", full=False, site=tmp_path / "site", config=tmp_path / "mkdocs.yml")
    with pytest.raises(GeneratorError, match="ended by signal 9"):
        cli.generate_and_build(args, Options(docs=tmp_path / "docs"), False)
