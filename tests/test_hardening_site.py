"""`readinglist build --site DIR` never lets MkDocs empty a folder that holds inputs or someone's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import GeneratorError
from generator.writer import SITE_MARKER, check_site_folder
from tests.sitebuild import prepare

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "corpus"
TAGS = HERE / "fixtures" / "tags.yml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A scratch project laid out like the repository, with the fixture corpus; the current folder."""
    work = tmp_path / "project"
    prepare(work)
    shutil.copytree(FIXTURE, work / "corpus" / "sources")
    shutil.copy(TAGS, work / "corpus" / "tags.yml")
    monkeypatch.chdir(work)
    return work


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("site", "says"),
    [
        ("corpus", "holds the sources folder"),
        ("corpus/sources", "is the sources folder"),
        (".", "holds the sources folder"),
        ("docs", "is the docs folder"),
        ("..", "holds the sources folder"),
        ("/", "holds the sources folder"),
        ("docs/site", "inside the docs folder"),
    ],
)
def test_site_folder_holding_inputs_is_refused_before_anything_runs(project, capsys, site, says):
    before = listing(project)
    code = main(["build", "--site", site])
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith(f"error: {site}: refusing to build the site"), err
    assert says in err and "Traceback" not in err
    assert listing(project) == before  # not even generated: docs/ as it was


def test_site_folder_with_a_users_file_is_refused(project, tmp_path, capsys):
    other = tmp_path / "x"
    other.mkdir()
    (other / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    code = main(["build", "--site", str(other)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: {other}: refusing to build the site here: the folder is not empty"), err
    assert (other / "thesis.tex").read_text(encoding="utf-8") == "years of work\n"


def test_site_folder_with_only_dot_files_is_accepted(tmp_path):
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)  # say, a gh-pages worktree: MkDocs keeps dot-files
    check_site_folder(site, [], tmp_path / "docs")


def test_site_path_that_is_a_file_is_refused(project, capsys):
    (project / "notasite").write_text("x\n", encoding="utf-8")
    code = main(["build", "--site", "notasite"])
    assert code == 1 and capsys.readouterr().err.startswith("error: notasite: is a file, not a folder")


def test_home_folder_is_refused(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "proj" / "corpus").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (home / "proj" / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    from generator.build import Options
    from generator.cli import protected

    options = Options(sources=home / "proj" / "corpus" / "sources", docs=home / "proj" / "docs")
    with pytest.raises(GeneratorError, match="is your home folder"):
        check_site_folder(home, protected(options, home / "proj" / "mkdocs.yml")[-2:], options.docs)


def test_a_site_built_before_the_marker_existed_is_adopted(tmp_path):
    site = tmp_path / "site"
    for name in ("404.html", "sitemap.xml", "papers.json", "search/search_index.json", "index.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    check_site_folder(site, [], tmp_path / "docs")  # no error
    (site / "papers.json").unlink()
    with pytest.raises(GeneratorError, match="not empty"):
        check_site_folder(site, [], tmp_path / "docs")


@pytest.mark.slow
def test_rebuild_into_a_marked_site_folder_works(project, capsys):
    site = project / "site"
    assert main(["build"]) == 0, capsys.readouterr().err
    assert (site / SITE_MARKER).is_file() and (site / "index.html").is_file()
    (site / "stale.html").write_text("left by an old build\n", encoding="utf-8")
    assert main(["build"]) == 0, capsys.readouterr().err
    assert (site / SITE_MARKER).is_file() and (site / "index.html").is_file()
    assert not (site / "stale.html").exists()  # MkDocs emptied it, as it should
