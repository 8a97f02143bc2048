"""Issue 16 (50,000 papers): what a run frees stays with it for reuse, each whole-list export is made once, and
the slugs' digest is made once when every paper is tagged."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from generator import exports, memory, render_tags
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


BLOCK = 64 * 2**20  # over glibc's largest mmap threshold (32 MB): by default such a block is an mmap of its own


def heap_bytes() -> int:
    """The size of the process's brk heap ([heap] in /proc/self/maps), 0 when it has none."""
    with open("/proc/self/maps", encoding="ascii") as maps:
        for line in maps:
            if line.rstrip().endswith("[heap]"):
                start, end = (int(x, 16) for x in line.split()[0].split("-"))
                return end - start
    return 0


glibc_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or memory._glibc() is None, reason="mallopt is glibc's"
)


@glibc_only
def test_within_a_run_big_blocks_come_from_the_heap_and_are_kept():
    with memory.kept_memory() as took:
        assert took
        before = heap_bytes()
        block = bytearray(BLOCK)
        grown = heap_bytes() - before
        del block
        kept = heap_bytes() - before
    assert grown > BLOCK // 2  # not an mmap of its own (part of it may be heap that was free already)
    assert kept >= grown  # freed, and still there to reuse


@glibc_only
def test_after_the_run_the_defaults_are_back_and_the_memory_is_handed_back():
    with memory.kept_memory():
        block = bytearray(BLOCK)
        del block
        held = heap_bytes()
    assert heap_bytes() <= held - BLOCK // 2  # trimmed on the way out
    before = heap_bytes()
    block = bytearray(BLOCK)
    assert heap_bytes() - before < BLOCK  # an mmap again, as glibc does by default
    del block


def test_the_allocator_setting_is_a_no_op_without_glibc(monkeypatch):
    monkeypatch.setattr(memory, "_glibc", lambda: None)
    with memory.kept_memory() as took:
        assert took is False


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
