"""Issue 16: `readinglist build` starts MkDocs before the generator (toolchain.EarlyMkDocs).

What must hold: the child builds what `python -m mkdocs build` builds; the build takes the templates the
child compiled while it waited, and a template that changed since, or an environment set up otherwise,
compiles its own; a run whose generator fails ends the child before it builds anything; Ctrl-C while the
child waits does not end it (the run ends it).
"""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from generator import cli, toolchain
from tests.sitebuild import EMBEDDED, build_site, prepare
from tests.test_incremental_build import site_tree


def drop_markers(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {rel: data for rel, data in tree.items() if not rel.startswith(".readinglist-")}


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [None, "2"])  # "2": the child prepares the papers' search part in a worker
def test_the_early_child_builds_what_python_m_mkdocs_builds(tmp_path, monkeypatch, jobs):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    site, _ = build_site(tmp_path / "plain")
    work = tmp_path / "early"
    prepare(work)
    monkeypatch.chdir(work)
    if jobs is not None:
        monkeypatch.setenv("READINGLIST_JOBS", jobs)  # (test_early_search.py: what the build takes from it)
    code = cli.main(["build", "--sources", str(EMBEDDED / "sources"), "--tags", str(EMBEDDED / "tags.yml")])
    assert code == 0
    assert drop_markers(site_tree(work / "site")) == site_tree(site)


@pytest.mark.slow
def test_the_build_takes_the_templates_compiled_early(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("READINGLIST_OFFLINE", "false")
    monkeypatch.setenv("READINGLIST_JOBS", "1")  # frames rendered in this process, where the hits are counted
    work = tmp_path / "work"
    site, _ = build_site(work)
    monkeypatch.chdir(work)
    monkeypatch.setattr(toolchain, "_EARLY_TEMPLATES", None)
    toolchain._warm_up("mkdocs.yml")
    cache = toolchain._EARLY_TEMPLATES
    assert cache is not None and len(cache.store) >= 30  # main.html, base.html, partials, 404.html, sitemap.xml
    taken, compiled, names = [], [], {}
    get, load, dump = cache.get_bucket, cache.load_bytecode, cache.dump_bytecode

    def get_bucket(environment, name, filename, source):
        bucket = get(environment, name, filename, source)
        names[id(bucket)] = name
        return bucket

    monkeypatch.setattr(cache, "get_bucket", get_bucket)
    monkeypatch.setattr(cache, "load_bytecode", lambda b: (load(b), b.code is not None and taken.append(b.key)))
    monkeypatch.setattr(cache, "dump_bytecode", lambda b: (dump(b), compiled.append(names[id(b)])))
    build(load_config("mkdocs.yml", site_dir=str(tmp_path / "two")))
    assert len(taken) >= 25
    # Only what the theme names at render time is compiled by the build (icons chosen by the config)
    assert compiled and all(name.startswith(".icons/") for name in compiled), compiled
    assert site_tree(tmp_path / "two") == site_tree(site)


def test_a_changed_template_or_another_compiler_compiles_its_own(tmp_path):
    from jinja2 import Environment, FileSystemLoader

    (tmp_path / "page.html").write_text("<p>{{ x }}</p>", encoding="utf-8")
    cache = toolchain.early_template_cache()
    first = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    assert first.get_template("page.html").render(x=1) == "<p>1</p>"
    assert len(cache.store) == 1
    (tmp_path / "page.html").write_text("<b>{{ x }}</b> [[ x ]]", encoding="utf-8")
    again = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    assert again.get_template("page.html").render(x=2) == "<b>2</b> [[ x ]]"
    other = Environment(
        loader=FileSystemLoader(str(tmp_path)),
        bytecode_cache=cache,
        variable_start_string="[[",
        variable_end_string="]]",
    )
    assert other.get_template("page.html").render(x=3) == "<b>{{ x }}</b> 3"
    assert again.get_template("page.html").render(x=4) == "<b>4</b> [[ x ]]"


def test_a_failed_generate_ends_the_child_before_it_builds(tmp_path, monkeypatch, capsys):
    prepare(tmp_path)
    sources = tmp_path / "sources"
    shutil.copytree(EMBEDDED / "sources", sources)
    (tmp_path / "tags.yml").write_text("tags: [unclosed\n", encoding="utf-8")
    started = []

    class Watched(toolchain.EarlyMkDocs):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            started.append(self)

    monkeypatch.setattr(cli, "EarlyMkDocs", Watched)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--sources", "sources", "--tags", "tags.yml"]) == 1
    assert "tags.yml" in capsys.readouterr().err
    assert len(started) == 1 and started[0].process.returncode is not None  # ended, not left waiting
    assert not (tmp_path / "site").exists()


def test_ctrl_c_while_the_child_waits_leaves_it_to_the_run(tmp_path):
    with toolchain.EarlyMkDocs(config=tmp_path / "mkdocs.yml") as mkdocs:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _ignores_sigint(mkdocs.process.pid):
            time.sleep(0.05)
        os.kill(mkdocs.process.pid, signal.SIGINT)
        time.sleep(0.2)
        assert mkdocs.process.poll() is None
        assert mkdocs.run("build", "--help") == 0  # still there, and runs what it is given


def _ignores_sigint(pid: int) -> bool:
    """Whether the process has set SIGINT to be ignored (/proc/<pid>/status, SigIgn)."""
    try:
        status = open(f"/proc/{pid}/status", encoding="ascii").read()  # noqa: SIM115
    except OSError:
        return False
    ignored = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), 16)
    return bool(ignored & (1 << (signal.SIGINT - 1)))


def test_the_child_gives_mkdocs_exit_code(tmp_path):
    with toolchain.EarlyMkDocs(config=tmp_path / "mkdocs.yml") as mkdocs:
        assert mkdocs.run("build", "--no-such-option") == 2  # click's usage error, as `python -m mkdocs` gives


def test_the_command_leaves_with_its_code_and_all_its_output(tmp_path):
    """`readinglist` leaves without tearing down (cli.entry): what it printed to a pipe is still all there."""
    import subprocess
    import sys

    prepare(tmp_path)
    command = [sys.executable, "-m", "generator", "generate", "--sources", str(EMBEDDED / "sources")]
    done = subprocess.run(
        [*command, "--tags", str(EMBEDDED / "tags.yml")], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("docs: ")  # the summary's last line
    bad = subprocess.run([*command, "--tags", str(tmp_path / "none.yml")], cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("error: ")
