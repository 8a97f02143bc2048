"""`readinglist build` with site/ kept updates it in place, and the result is a full build's, byte for byte.

Issue 16: a new listing is published in seconds. The update must never be a
different site: each case below compares the updated site with a full build of
the same input in a fresh project (same SOURCE_DATE_EPOCH), file by file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import cli
from tests.sitebuild import EMBEDDED, ROOT, prepare, site_tree

LISTINGS = ROOT / "tests" / "fixtures" / "listings"
pytestmark = pytest.mark.slow


def build(project: Path, sources: Path, capsys, *extra: str) -> str:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        code = cli.main(
            [
                "build",
                "--sources",
                str(sources),
                "--tags",
                str(EMBEDDED / "tags.yml"),
                "--docs",
                "docs",
                "--site",
                "site",
                *extra,
            ]
        )
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def project_with(folder: Path, listings: list[str]) -> tuple[Path, Path]:
    """A scratch project whose sources/ holds these fixture listings: (project, sources)."""
    prepare(folder)
    sources = folder / "sources"
    sources.mkdir()
    for listing in listings:
        shutil.copy(LISTINGS / listing, sources / listing)
    return folder, sources


def full_build(tmp_path: Path, name: str, listings: list[str], capsys) -> dict[str, bytes]:
    project, sources = project_with(tmp_path / name, listings)
    out = build(project, sources, capsys)
    assert "updated" not in out
    return site_tree(project / "site")


def same(updated: dict[str, bytes], full: dict[str, bytes]) -> None:
    assert sorted(updated) == sorted(full), set(updated) ^ set(full)
    differ = [rel for rel in full if updated[rel] != full[rel]]
    assert differ == []


def test_an_updated_site_equals_a_full_build(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first, second = "2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"
    project, sources = project_with(tmp_path / "kept", [first])
    assert "updated" not in build(project, sources, capsys)

    # A new listing: only what changed is rebuilt, and the site is the full build's.
    shutil.copy(LISTINGS / second, sources / second)
    assert "(updated: only what changed was rebuilt)" in build(project, sources, capsys)
    same(site_tree(project / "site"), full_build(tmp_path, "full-two", [first, second], capsys))

    # A listing taken away: its papers' pages go too.
    (sources / second).unlink()
    assert "updated" in build(project, sources, capsys)
    same(site_tree(project / "site"), full_build(tmp_path, "full-one", [first], capsys))


def test_a_change_to_what_every_page_uses_rebuilds_everything(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project, sources = project_with(tmp_path / "kept", ["2025-01-07-hf-daily.txt"])
    build(project, sources, capsys)
    assert "updated" in build(project, sources, capsys)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: Reading list", "site_name: Papers"))
    assert "updated" not in build(project, sources, capsys)  # mkdocs.yml changed: full build
    assert 'title="Papers"' in (project / "site" / "index.html").read_text(encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert "updated" not in build(project, sources, capsys)  # a hand-written page changed: full build
    assert "updated" not in build(project, sources, capsys, "--full")
    monkeypatch.setenv("SITE_URL", "https://example.org/list/")
    assert "updated" not in build(project, sources, capsys)  # what mkdocs.yml reads changed: full build
    assert "updated" in build(project, sources, capsys)


def test_a_site_edited_by_hand_and_a_new_toolchain_mean_a_full_build(tmp_path, capsys, monkeypatch):
    """Red team, round 4: hand edits in site/ survived updates (MkDocs skips outputs newer than their source),
    and a new Python-Markdown left 52 pages as the old one made them."""
    from generator import incremental

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project, sources = project_with(tmp_path / "kept", ["2025-01-07-hf-daily.txt"])
    build(project, sources, capsys)
    about = project / "site" / "about" / "index.html"
    about.write_text(about.read_text(encoding="utf-8").replace("</body>", "<p>edited</p></body>"), encoding="utf-8")
    assert "updated" not in build(project, sources, capsys)
    assert "edited" not in about.read_text(encoding="utf-8")
    (project / "site" / "search" / "search_index.json").unlink()
    assert "updated" not in build(project, sources, capsys)
    assert "updated" in build(project, sources, capsys)
    real = incremental.installed()
    monkeypatch.setattr(incremental, "installed", lambda: {*real, ("Markdown", "0.0.1")} - {("Markdown", "3.11.3")})
    assert "updated" not in build(project, sources, capsys)


def test_the_deploy_workflow_brings_back_generated_files_only(tmp_path):
    """Red team, round 4: a hand-written page the new commit deleted came back from the kept build."""
    from generator.incremental import restore
    from generator.writer import MANIFEST

    saved = tmp_path / "saved"
    (saved / "docs" / "papers").mkdir(parents=True)
    (saved / "site").mkdir()
    (saved / "docs" / "old.md").write_text("hand-written, deleted since\n", encoding="utf-8")
    (saved / "docs" / "about.md").write_text("old about\n", encoding="utf-8")
    (saved / "docs" / "papers" / "a.md").write_text("generated\n", encoding="utf-8")
    (saved / "docs" / MANIFEST).write_text('{"version": 2, "generated": {"papers/a.md": "x"}}\n', encoding="utf-8")
    (saved / "site" / "index.html").write_text("site\n", encoding="utf-8")
    os.utime(saved / "docs" / "papers" / "a.md", (1_000_000_000, 1_000_000_000))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("new about\n", encoding="utf-8")
    assert restore(saved, docs, tmp_path / "site") == 2  # papers/a.md and the manifest
    assert not (docs / "old.md").exists()
    assert (docs / "about.md").read_text(encoding="utf-8") == "new about\n"
    assert (docs / "papers" / "a.md").stat().st_mtime == 1_000_000_000
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "site\n"


def test_a_hand_written_page_in_papers_is_left_to_mkdocs(tmp_path, capsys):
    """Red team, round 4: every docs/papers/*.md was taken for a generated paper page."""
    project, sources = project_with(tmp_path / "kept", ["2025-01-07-hf-daily.txt"])
    (project / "docs" / "papers").mkdir()
    (project / "docs" / "papers" / "my-notes.md").write_text("# My notes\n\nSome *notes*.\n", encoding="utf-8")
    build(project, sources, capsys)
    page = (project / "site" / "papers" / "my-notes" / "index.html").read_text(encoding="utf-8")
    assert "<em>notes</em>" in page and "# My notes" not in page


def test_mkdocs_dies_with_the_run_that_started_it(monkeypatch):
    """Red team, round 4: kill -9 of `readinglist build` left its MkDocs child writing site/."""
    from generator import toolchain

    seen = {}

    class Started:
        def __init__(self, cmd, **kw) -> None:
            seen.update(kw)
            self.stdin, self.returncode = None, 0

    monkeypatch.setattr(toolchain.subprocess, "Popen", Started)
    toolchain.EarlyMkDocs().close()
    assert callable(seen.get("preexec_fn"))
