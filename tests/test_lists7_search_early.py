"""Issue 16: the papers' part of the search index is made in a worker while MkDocs renders its pages.

What must hold: build_index of the papers' part made beforehand and the pages' entries is build_index of all
of them, for any entries; a build that takes that path (more than one job) writes the index one job writes.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import search_index
from generator.search_index import Entry, build_index, index_part
from tests.sitebuild import build_site

TERMS = st.lists(st.sampled_from(["a", "b", "ab", "zeta", "é", "x-y", "10", "a1"] + [f"t{i}" for i in range(60)]))
ENTRIES = st.builds(
    Entry,
    location=st.sampled_from(["", "papers/a/", "tags/x/#y"]),
    title=st.text(max_size=5),
    text=st.text(max_size=8),
    tags=st.lists(st.sampled_from(["Vision", "NLP", "RL"]), max_size=2),
    title_terms=TERMS,
    text_terms=TERMS,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRIES, max_size=12), st.lists(ENTRIES, max_size=6))
def test_a_part_made_beforehand_gives_the_same_index(papers, pages):
    config = {"lang": ["en"], "separator": "[\\s\\-]+"}
    assert build_index(config, pages, index_part(papers)) == build_index(config, papers + pages)


@pytest.mark.slow
def test_the_index_made_by_a_worker_is_the_index_one_job_makes(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site, _ = build_site(tmp_path / "one")  # 368 papers: one job, the index made in on_post_build
    expected = (site / "search" / "search_index.json").read_bytes()
    monkeypatch.setenv("READINGLIST_JOBS", "2")
    monkeypatch.setenv("READINGLIST_OFFLINE", "false")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    taken = []
    real = search_index.build_index
    monkeypatch.setattr(search_index, "build_index", lambda *a: taken.append(len(a) > 2 and a[2]) or real(*a))
    work = tmp_path / "one"
    monkeypatch.chdir(work)
    build(load_config(str(work / "mkdocs.yml"), site_dir=str(tmp_path / "two")))
    assert len(taken) == 1 and len(taken[0].docs) == 368  # the papers' part, made by the worker
    data = (tmp_path / "two" / "search" / "search_index.json").read_bytes()
    assert data == expected and json.loads(data)["docs"]


HOOK = """
from mkdocs.plugins import event_priority


@event_priority(-200)  # after every plugin: after readinglist-search began the papers' part
def on_files(files, config):
    moved = files.src_uris["papers/{slug}.md"]
    moved.dest_uri = "moved/{slug}/index.html"
    moved.url = "moved/{slug}/"
    return files
"""


@pytest.mark.slow
def test_a_part_begun_before_a_paper_moved_is_not_used(tmp_path, monkeypatch):
    """The papers' part is begun in on_files; a plugin after it may still change a paper's URL."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    work = tmp_path / "work"
    build_site(work)
    slug = sorted((work / "docs" / "papers").glob("*.md"))[0].stem
    (work / "move_one.py").write_text(HOOK.format(slug=slug), encoding="utf-8")
    config = work / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - move_one.py\n", encoding="utf-8")
    monkeypatch.setenv("READINGLIST_OFFLINE", "false")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(work)
    taken = []
    real = search_index.build_index
    monkeypatch.setattr(search_index, "build_index", lambda *a: taken.append(len(a) > 2) or real(*a))
    indexes = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("READINGLIST_JOBS", jobs)
        build(load_config(str(config), site_dir=str(tmp_path / jobs)))
        indexes.append((tmp_path / jobs / "search" / "search_index.json").read_bytes())
    assert taken == [False, False]  # 2 jobs: a part was begun, and not taken
    assert indexes[0] == indexes[1] and f"moved/{slug}/".encode() in indexes[1]
