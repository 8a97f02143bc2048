"""Search reads its own input (generator/search_input.py), not the public papers.json nor tag pages."""

from __future__ import annotations

import json
import shutil

import pytest

from generator.build import Options, make_catalogue
from generator.search_input import FORMAT, SEARCH_INPUT, note_words, search_input
from generator.writer import read_manifest
from tests.sitebuild import ROOT, build_site, mkdocs_build

NOTES = ROOT / "tests" / "fixtures" / "notes"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


def test_the_input_holds_plain_unescaped_text():
    cat = make_catalogue(Options(sources=HOSTILE, tags=ROOT / "tests" / "fixtures" / "tags.yml")).catalogue
    data = json.loads(search_input(cat, directory_urls=True))
    assert data["format"] == FORMAT
    assert [p["title"] for p in data["papers"]] == [p.title for p in cat.papers]  # as listed, not escaped for pages
    assert any("<" in p.title for p in cat.papers)
    assert [p["page"] for p in data["papers"]] == [f"papers/{cat.slugs[p.key]}.md" for p in cat.papers]
    assert [p["url"] for p in data["papers"]] == [f"papers/{cat.slugs[p.key]}/" for p in cat.papers]


def test_notes_and_tags_are_in_the_input():
    cat = make_catalogue(Options(sources=NOTES / "sources", tags=NOTES / "tags.yml")).catalogue
    papers = json.loads(search_input(cat, directory_urls=False))["papers"]
    by_page = {p["page"]: p for p in papers}
    names = {t.slug: t.name for t in cat.tags}
    for paper in cat.papers:
        record = by_page[f"papers/{cat.slugs[paper.key]}.md"]
        assert record["url"].endswith(".html")
        assert record["tags"] == [names[m.tag] for m in cat.matches[paper.key]]
        note = cat.notes.get(paper.key)
        assert record.get("note") == (note_words(note) if note else None)
    assert any("note" in p for p in papers)


@pytest.mark.slow
def test_papers_json_can_change_without_changing_search(tmp_path):
    work = tmp_path / "work"
    site, result = build_site(work, sources=NOTES / "sources", tags=NOTES / "tags.yml")
    docs = work / "docs"
    before = (site / "search" / "search_index.json").read_bytes()
    index = json.loads(before)
    assert len([d for d in index["docs"] if d["location"].startswith("papers/")]) == len(result.catalogue.papers)
    # Private: written and owned like every generated file, never published.
    assert SEARCH_INPUT in read_manifest(docs)
    assert not list(site.rglob(SEARCH_INPUT)) and not list(site.rglob(".readinglist*"))

    # The public export changes shape (here: it loses every paper's fields but the slug), then goes.
    papers = json.loads((docs / "papers.json").read_text(encoding="utf-8"))["papers"]
    (docs / "papers.json").write_text(json.dumps({"papers": [{"slug": p["slug"]} for p in papers]}), encoding="utf-8")
    shutil.rmtree(site)
    mkdocs_build(work / "mkdocs.yml", site, "--strict")
    assert (site / "search" / "search_index.json").read_bytes() == before
    (docs / "papers.json").unlink()
    shutil.rmtree(site)
    mkdocs_build(work / "mkdocs.yml", site, "--no-strict")  # strict would fail on the pages' links to papers.json
    assert (site / "search" / "search_index.json").read_bytes() == before


def test_a_damaged_input_is_one_clear_plugin_error(tmp_path):
    from mkdocs.exceptions import PluginError

    from generator.search_index import read_search_input

    assert read_search_input(tmp_path) == []  # no generator: no papers
    (tmp_path / SEARCH_INPUT).write_text('{"format": "readinglist-search-input/0", "papers": []}', encoding="utf-8")
    with pytest.raises(PluginError, match=r"\.readinglist-search\.json: format .*run `readinglist generate` again"):
        read_search_input(tmp_path)
    (tmp_path / SEARCH_INPUT).write_text("{", encoding="utf-8")
    with pytest.raises(PluginError, match="run `readinglist generate` again"):
        read_search_input(tmp_path)
