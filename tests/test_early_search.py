"""Issue 16: `readinglist build` begins the papers' search part in MkDocs' early child once docs/ is written.

What must hold: the build takes the part begun early only when it would begin the same job itself (the same
search input, settings, last build's words and page URLs), and then writes the index a build without it writes;
a part begun from a search input that changed before the build read it is cancelled, and the index is made from
what the build read. (`readinglist build` with workers, the child's protocol included, builds what MkDocs alone
builds: tests/test_early_mkdocs.py.)
"""

from __future__ import annotations

import json

import pytest

from generator import parallel, toolchain
from generator.search_input import SEARCH_INPUT
from tests.sitebuild import build_site, site_tree

INDEX = "search/search_index.json"


def in_process_build(work, site, monkeypatch, early: bool, change=None) -> tuple[list, object]:
    """MkDocs' build of `work` into `site` in this process, with two workers; with `early`, after the early child's
    warm-up and search preparation have run here (then `change(docs)`, if given). (papers_part jobs begun by the
    build, what was prepared)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("READINGLIST_JOBS", "2")
    monkeypatch.chdir(work)
    monkeypatch.setattr(toolchain, "_EARLY_CONFIG", None)
    monkeypatch.setattr(toolchain, "_EARLY_SEARCH", None)
    prepared = None
    if early:
        toolchain._warm_up("mkdocs.yml")
        toolchain._prepare_search()
        prepared = toolchain._EARLY_SEARCH
        assert prepared is not None
        if change is not None:
            change(work / "docs")
    begun: list = []
    begin = parallel.begin

    def counting(task, workers):
        if getattr(task, "func", None) is not None and task.func.__name__ == "papers_part":
            begun.append(task)
        return begin(task, workers)

    monkeypatch.setattr(parallel, "begin", counting)
    config = load_config("mkdocs.yml", site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert toolchain._EARLY_SEARCH is None  # taken by the build (then adopted or cancelled)
    return begun, prepared


@pytest.mark.slow
def test_the_part_begun_early_is_taken_and_the_index_is_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("READINGLIST_OFFLINE", "false")
    work = tmp_path / "work"
    plain, _ = build_site(work)
    begun, prepared = in_process_build(work, tmp_path / "early", monkeypatch, early=True)
    assert begun == []  # the build began no part of its own: it took the one begun early
    assert prepared.job.pool is not None  # (begun in a worker)
    assert site_tree(tmp_path / "early") == site_tree(plain)


@pytest.mark.slow
def test_a_part_begun_from_an_input_that_changed_since_is_cancelled(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("READINGLIST_OFFLINE", "false")
    work = tmp_path / "work"
    build_site(work)
    cancelled = []

    def retitle(docs) -> None:
        path = docs / SEARCH_INPUT
        data = json.loads(path.read_text(encoding="utf-8"))
        data["papers"][0]["title"] = "Zygomorphic retitling of the first paper"
        path.write_text(json.dumps(data), encoding="utf-8")
        job = toolchain._EARLY_SEARCH.job
        stop = job.cancel
        monkeypatch.setattr(job, "cancel", lambda: (cancelled.append(job), stop()))

    begun, prepared = in_process_build(work, tmp_path / "early", monkeypatch, early=True, change=retitle)
    assert cancelled == [prepared.job] and len(begun) == 1  # the build began its own part
    index = (tmp_path / "early" / INDEX).read_text(encoding="utf-8")
    assert "zygomorphic" in index  # (a word of the new title, among the index's terms)
    _, none = in_process_build(work, tmp_path / "late", monkeypatch, early=False)
    assert none is None
    assert (tmp_path / "late" / INDEX).read_text(encoding="utf-8") == index
