"""Red team, round 6 (an outside tester with the README's promise on kept sites, not these tests).

Each case broke the promise before its fix: an update equals a full build of the same inputs, or stops with a
clear error; nothing is written outside docs/ and site/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator import incremental
from generator.paper_pages import read_page
from generator.writer import MANIFEST
from tests.sitebuild import site_tree
from tests.test_incremental_build import LISTINGS, build, full_build, project_with, same

FIRST, SECOND = "2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"


def test_a_link_planted_in_site_changes_its_digest(tmp_path):
    """A link to a folder outside, put in site/ after a build, was not seen: the update wrote through it."""
    site = tmp_path / "site"
    (site / "papers").mkdir(parents=True)
    (site / "index.html").write_text("home\n", encoding="utf-8")
    before = incremental.site_digest(site)
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / "papers" / "a-new-paper").symlink_to(outside, target_is_directory=True)
    assert incremental.site_digest(site) != before
    incremental.remember(site, "key")
    assert incremental.can_update(site, "key")
    (site / "papers" / "a-new-paper").unlink()
    (site / "papers" / "a-new-paper").symlink_to(tmp_path, target_is_directory=True)
    assert not incremental.can_update(site, "key")  # another target: a change too


@pytest.mark.slow
def test_a_link_planted_in_site_means_a_full_build_that_writes_nothing_outside(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project, sources = project_with(tmp_path / "kept", [FIRST])
    build(project, sources, capsys)
    shutil.copy(LISTINGS / SECOND, sources / SECOND)
    full = full_build(tmp_path, "full", [FIRST, SECOND], capsys)
    new_pages = sorted(rel.split("/")[1] for rel in set(full) - set(site_tree(project / "site")) if "papers/" in rel)
    assert new_pages
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "site" / "papers" / new_pages[0]).symlink_to(outside, target_is_directory=True)
    assert "updated" not in build(project, sources, capsys)
    assert list(outside.iterdir()) == []
    same(site_tree(project / "site"), full)


@pytest.mark.slow
def test_an_older_docs_put_back_with_its_times_is_built_again(tmp_path, capsys, monkeypatch):
    """docs/ of an earlier build, copied back with its times under the site of a later build: MkDocs' dirty
    build skipped every page older than its HTML, and the site kept the later build's pages."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project, sources = project_with(tmp_path / "kept", [FIRST])
    build(project, sources, capsys)
    shutil.copytree(project / "docs", tmp_path / "docs-first", symlinks=True)  # copy2: times kept
    shutil.copy(LISTINGS / SECOND, sources / SECOND)
    build(project, sources, capsys)
    (sources / SECOND).unlink()
    shutil.rmtree(project / "docs")
    shutil.copytree(tmp_path / "docs-first", project / "docs", symlinks=True)
    build(project, sources, capsys)
    same(site_tree(project / "site"), full_build(tmp_path, "full", [FIRST], capsys))


def test_an_update_without_the_record_of_what_the_site_was_built_from_is_a_full_build(tmp_path):
    site, docs = tmp_path / "site", tmp_path / "docs"
    site.mkdir()
    docs.mkdir()
    (site / "index.html").write_text("home\n", encoding="utf-8")
    (docs / MANIFEST).write_text('{"version": 2, "generated": {}}\n', encoding="utf-8")
    incremental.remember(site, "key", docs)
    assert incremental.can_update(site, "key", docs)
    for damaged in (b"", b"{", b'{"files": [], "ended": 1}', b'{"files": {}, "ended": "1"}', b"[]"):
        (site / incremental.BUILT_FILE).write_bytes(damaged)
        assert not incremental.can_update(site, "key", docs), damaged
    (site / incremental.BUILT_FILE).unlink()
    assert not incremental.can_update(site, "key", docs)


def test_an_export_that_is_not_utf8_gives_no_kept_rows(tmp_path, monkeypatch):
    """A byte of papers.json set to 0xff, its size and time kept, then a run that is no no-op (another feed
    time): the offline run decoded the kept rows and stopped with a traceback. An export is hashed whatever
    its size and time: its rows are not taken, and every paper is made again."""
    from generator import render
    from generator.build import Options, generate
    from tests.sitebuild import EMBEDDED, listing_project

    sources, docs = listing_project(tmp_path / "p", [FIRST])
    options = Options(
        sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml"), directory_urls=False
    )
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    cat = generate(options).catalogue
    path = docs / "papers.json"
    data = bytearray(path.read_bytes())
    data[data.index(b'"title":"') + len(b'"title":"')] = 0xFF
    info = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    made: list[str] = []
    make = render.make_paper_files
    monkeypatch.setattr(render, "make_paper_files", lambda record: made.append(record.slug) or make(record))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    generate(options)
    assert sorted(made) == sorted(cat.slugs.values())


def test_a_paper_page_that_is_not_utf8_is_a_clear_error(tmp_path):
    """A paper page's title byte set to 0xff, its size and time kept: the plugin stopped with a traceback."""
    page = tmp_path / "a.md"
    page.write_bytes(b"---\ntitle: \xff\n---\n<h1>x</h1>\n")
    with pytest.raises(PluginError, match="not UTF-8 text.*--full"):
        read_page(str(page))
    page.write_bytes(b"---\ntitle: A\n---\n<h1>x</h1>\n")
    assert read_page(str(page)) == ({"title": "A"}, "<h1>x</h1>\n")


def saved_build(tmp_path: Path) -> Path:
    """What the deploy workflow keeps: a docs/ with one generated page (its manifest) and a site/."""
    saved = tmp_path / "saved"
    (saved / "docs" / "papers").mkdir(parents=True)
    (saved / "site").mkdir()
    (saved / "docs" / "papers" / "a.md").write_text("generated\n", encoding="utf-8")
    (saved / "docs" / MANIFEST).write_text('{"version": 2, "generated": {"papers/a.md": "x"}}\n', encoding="utf-8")
    (saved / "site" / "index.html").write_text("site\n", encoding="utf-8")
    return saved


def test_the_deploy_restore_never_copies_through_a_link_of_the_commit(tmp_path):
    """A generated path that is a link in the new commit's docs/ (dangling too): copy2 followed it."""
    saved = saved_build(tmp_path)
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    (docs / "papers").mkdir(parents=True)
    outside.mkdir()
    (docs / "papers" / "a.md").symlink_to(outside / "planted.md")  # dangling
    incremental.restore(saved, docs, tmp_path / "site")
    assert not (outside / "planted.md").exists()
    assert (docs / "papers" / "a.md").is_symlink()


def test_the_deploy_restore_never_writes_through_a_linked_folder_of_the_commit(tmp_path):
    saved = saved_build(tmp_path)
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    docs.mkdir()
    outside.mkdir()
    (docs / "papers").symlink_to(outside, target_is_directory=True)
    incremental.restore(saved, docs, tmp_path / "site")
    assert list(outside.iterdir()) == []


def test_what_the_build_records_of_itself_is_not_published():
    workflow = (Path(__file__).resolve().parents[1] / ".github" / "workflows" / "deploy.yml").read_text("utf-8")
    keep = workflow.index("cp -a docs site ~/.cache/readinglist-build/")
    upload = workflow.index("actions/upload-pages-artifact")
    removal = workflow.index(f"rm -f site/{incremental.KEY_FILE} site/{incremental.BUILT_FILE}")
    assert keep < removal < upload
