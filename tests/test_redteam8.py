"""Round 8 of the outside red team (`readinglist build` with MkDocs started before the generator): what it
broke, each held here.

1. The early MkDocs process loaded mkdocs.yml, and so imported its `hooks:` while the generator still wrote
   docs/; MkDocs imports a hook once a process, so the build ran the hook as it was then.
2. The site key left out the files mkdocs.yml names (INHERIT, hooks, the theme's custom_dir): an edit of
   one was followed by an update that differed from a full build.
3. Two builds from two docs/ folders into one site/ emptied and filled it over each other.
4. Tracebacks: a site/ that cannot be written (the run's own records, the search plugin's index), and
   output piped into a reader that leaves (`| head -1`).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import cli, incremental, search_index, toolchain, writer
from tests.sitebuild import EMBEDDED, build_site, prepare

ROOT = Path(__file__).resolve().parents[1]


def test_the_early_process_runs_no_hook(tmp_path, monkeypatch):
    prepare(tmp_path)
    (tmp_path / "hook.py").write_text(
        "from pathlib import Path\nPath(__file__).with_name('imported').write_text('yes')\n", encoding="utf-8"
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    monkeypatch.setattr(toolchain, "_EARLY_TEMPLATES", None)
    monkeypatch.chdir(tmp_path)
    toolchain._warm_up("mkdocs.yml")
    assert not (tmp_path / "imported").exists()
    assert toolchain._EARLY_TEMPLATES is None  # nothing compiled early either: the build does it all


def test_without_hooks_the_early_process_still_compiles(tmp_path, monkeypatch):
    prepare(tmp_path)
    monkeypatch.setattr(toolchain, "_EARLY_TEMPLATES", None)
    monkeypatch.chdir(tmp_path)
    toolchain._warm_up("mkdocs.yml")
    assert toolchain._EARLY_TEMPLATES is not None


@pytest.mark.parametrize("edited", ["base.yml", "hook.py", "overrides/partials/copyright.html"])
def test_the_site_key_covers_the_files_mkdocs_yml_names(tmp_path, edited):
    docs = prepare(tmp_path)
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"
    )
    assert "custom_dir: overrides" in text
    config.write_text("INHERIT: base.yml\n" + text + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    (tmp_path / "base.yml").write_text("copyright: ONE\n", encoding="utf-8")
    (tmp_path / "hook.py").write_text("VERSION = 1\n", encoding="utf-8")
    (tmp_path / "overrides" / "partials").mkdir(parents=True)
    (tmp_path / "overrides" / "partials" / "copyright.html").write_text("FOOTER-ONE\n", encoding="utf-8")
    before = incremental.site_key(config, docs, False)
    assert incremental.site_key(config, docs, False) == before
    (tmp_path / edited).write_text((tmp_path / edited).read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert incremental.site_key(config, docs, False) != before


def test_a_second_build_into_a_locked_site_folder_waits_then_stops(tmp_path, monkeypatch, capsys):
    prepare(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(writer, "LOCK_WAIT", 0.2)
    with writer.docs_lock(tmp_path / "site"):  # another build, from another docs/, into this site/
        code = cli.main(["build", "--sources", str(EMBEDDED / "sources"), "--tags", str(EMBEDDED / "tags.yml")])
    err = capsys.readouterr().err
    assert code == 1 and "site/: another readinglist run is using this folder" in err
    assert not (tmp_path / "docs" / "papers").exists()  # stopped before the generator wrote anything


def test_a_file_that_cannot_be_written_is_an_error_line(monkeypatch, tmp_path, capsys):
    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted", "site/.readinglist-build")

    monkeypatch.setattr(cli, "generate_and_build", refused)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", "--docs", str(tmp_path / "docs")]) == 1
    assert capsys.readouterr().err == "error: site/.readinglist-build: Operation not permitted\n"


def test_output_piped_into_a_reader_that_leaves_is_no_traceback(tmp_path):
    code = textwrap.dedent(
        """
        import sys
        from generator import cli
        def talk(*args):
            for _ in range(100000):
                print("site: site/ " * 10)
            return 0
        cli.generate_and_build = talk
        sys.exit(cli.main(["generate", "--docs", sys.argv[1]]))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "docs")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # as `| head -c 10` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


@pytest.mark.slow
def test_a_search_index_that_cannot_be_written_is_a_plugin_error(tmp_path, monkeypatch, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    work = tmp_path / "work"
    build_site(work)

    def refused(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(search_index, "atomic_write", refused)
    monkeypatch.setenv("READINGLIST_OFFLINE", "false")
    monkeypatch.chdir(work)
    with pytest.raises(MkDocsException, match="BuildError"):  # MkDocs' word for a plugin's error, no traceback
        build(load_config("mkdocs.yml", site_dir=str(tmp_path / "two")))
    assert "readinglist-search: cannot write " in caplog.text and "search_index.json: Permission denied" in caplog.text


@pytest.mark.slow
def test_a_build_run_from_another_folder_takes_the_shim_beside_mkdocs_yml(tmp_path, monkeypatch):
    """Red team, round 8 (minor): node_modules/ was looked up in the working directory, so an offline build
    run with --config from elsewhere was refused, and a served one left iframe-worker.js out."""
    if not (ROOT / "node_modules" / "iframe-worker").is_dir():
        pytest.skip("npm's iframe-worker is not installed (make deps)")
    project = tmp_path / "project"
    prepare(project)  # node_modules/ beside mkdocs.yml
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    where = ["--config", str(project / "mkdocs.yml"), "--docs", str(project / "docs"), "--site", str(project / "site")]
    inputs = ["--sources", str(EMBEDDED / "sources"), "--tags", str(EMBEDDED / "tags.yml")]
    assert cli.main(["build", "--offline", *where, *inputs]) == 0
    assert (project / "site" / "assets" / "javascripts" / "iframe-worker.js").is_file()
    assert not (elsewhere / "docs").exists() and not (elsewhere / "site").exists()
