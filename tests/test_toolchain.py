"""generator/toolchain.py: the one module that uses MkDocs' and Material's internals, and checks their versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from generator import cli, toolchain
from tests.sitebuild import ROOT

GENERATOR = ROOT / "generator"
# What MkDocs and Material do not promise: private names, undocumented objects, plugin order, the CLI.
PRIVATE = re.compile(
    r"_serve_url|_rebuild_cond|_want_rebuild|livereload|\"search_index\"|search_index\.entries|theme\.dirs|material/search"
    r"|event_priority|\"search\" / \"search_index|\"-m\", \"mkdocs\"|dirty' build|mkdocs\.commands|mkdocs\.config"
    r"|mkdocs\.structure|InclusionLevel"
)


def test_supported_versions_are_the_ones_pinned_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = dict(re.fullmatch(r"([\w.-]+)==(\S+)", dep).groups() for dep in project["dependencies"])
    assert {name: pins[name] for name in toolchain.SUPPORTED} == toolchain.SUPPORTED


def test_the_installed_toolchain_is_the_supported_one():
    assert toolchain.version_problem() is None
    toolchain.check_versions()


@pytest.fixture
def newer_material(monkeypatch):
    real = toolchain.installed_version
    monkeypatch.setattr(
        toolchain, "installed_version", lambda name: "9.9.0" if name == "mkdocs-material" else real(name)
    )


@pytest.mark.parametrize("command", ["build", "serve"])
def test_another_version_stops_build_and_serve_with_one_error(tmp_path, capsys, newer_material, command):
    docs = tmp_path / "docs"
    code = cli.main([command, "--sources", str(ROOT / "tests/fixtures/corpus"), "--docs", str(docs)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(
        "error: the site toolchain is mkdocs 1.6.1 and mkdocs-material 9.9.0"
    )
    assert "mkdocs-material 9.8.1" in err and "Traceback" not in err
    assert not docs.exists()  # stopped before generate wrote anything


def test_a_missing_package_is_named(monkeypatch):
    monkeypatch.setattr(toolchain, "installed_version", lambda name: None if name == "mkdocs" else "9.8.1")
    with pytest.raises(toolchain.GeneratorError, match=r"mkdocs \(not installed\)"):
        toolchain.check_versions()


def test_a_bare_mkdocs_build_meets_the_check_in_the_plugin(newer_material):
    from mkdocs.exceptions import PluginError

    from generator.search_index import LeanSearchIndex

    with pytest.raises(PluginError, match="mkdocs-material 9.9.0"):
        LeanSearchIndex().on_startup(command="build", dirty=False)


def test_no_module_but_the_adapter_uses_mkdocs_or_material_internals():
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(GENERATOR.glob("*.py"))
        if path.name != "toolchain.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE.search(line)
    ]
    assert found == []


def test_the_adapter_lists_every_theme_file_that_touches_materials_internals():
    doc = toolchain.__doc__ or ""
    theme = GENERATOR / "theme"
    files = [p for p in theme.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert f"generator/{path.relative_to(GENERATOR).as_posix()}" in doc, path
    assert "search.a7633da7.min.js" in doc  # the hashed name main.html replaces
    assert Path(GENERATOR / "theme" / "main.html").read_text(encoding="utf-8").count("search.a7633da7.min.js") == 1
