"""Issue 16 (50,000 papers): each whole-list export is made once, and the slugs' digest once when every paper
is tagged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator import exports, render_tags
from generator.build import Options, make_catalogue
from generator.exports import export_files, slug_digest
from generator.render_tags import whole_list
from tests.sitebuild import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "notes"


def catalogue():
    return (
        make_catalogue(Options(sources=FIXTURE / "sources", tags=FIXTURE / "tags.yml", docs=Path("unused")))
        .with_related()
        .catalogue
    )


def test_each_export_is_made_once_however_often_it_is_asked_for(monkeypatch):
    made = []
    for name in ("papers_json", "papers_bib", "papers_csv"):
        real = getattr(exports, name)
        monkeypatch.setattr(
            exports, name, lambda papers, rows, real=real, name=name: made.append(name) or real(papers, rows)
        )
    cat = catalogue()
    rows = exports.export_rows(cat, cat.papers, True)
    files = export_files(cat.papers, rows)
    first = {name: make() for name, make in files.items()}
    again = {name: make() for name, make in files.items()}
    assert sorted(made) == ["papers_bib", "papers_csv", "papers_json"]
    assert first == again
    assert first["papers.json"] == exports.papers_json(tuple(cat.papers), rows)


def test_the_cards_digest_is_the_tagged_papers_digest_with_or_without_untagged_papers(monkeypatch):
    cat = catalogue()
    some = next(m for m in cat.matches.values() if m)
    cat = dataclasses.replace(cat, matches={key: found or some for key, found in cat.matches.items()})
    made = []
    monkeypatch.setattr(render_tags, "slug_digest", lambda slugs: made.append(slugs) or slug_digest(slugs))
    whole = whole_list(cat)
    assert whole.cards_digest == whole.digest == slug_digest([cat.slugs[p.key] for p in cat.papers])
    assert len(made) == 1  # every paper tagged: one list, one digest
    monkeypatch.undo()
    untagged = cat.papers[0].key
    cat = dataclasses.replace(cat, matches={**cat.matches, untagged: ()})
    whole = whole_list(cat)
    assert whole.digest == slug_digest([cat.slugs[p.key] for p in cat.papers])
    assert whole.cards_digest == slug_digest([cat.slugs[p.key] for p in cat.papers if p.key != untagged])
    assert whole.cards_digest != whole.digest
