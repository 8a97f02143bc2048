"""Catalogue -> one record per paper, and the look-up maps every renderer shares. Pure.

A paper's page and its export rows are a pure function of its `PaperRecord`:
the renderers are handed `record.catalogue()`, a catalogue that holds this
paper and nothing else the record does not name, so a page cannot read
anything its record leaves out. The record is therefore a safe memo key
(`render.paper_files` keys the cache's pages region on it): incremental
re-rendering under `readinglist serve` cannot go stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.links import abstract_links
from generator.models import Catalogue, Note, Paper, Tag, TagMatch


@dataclass(frozen=True)
class Related:
    """A related paper as the page names it."""

    key: str
    slug: str
    title: str


@dataclass(frozen=True)
class PaperRecord:
    """Everything one paper's page and export rows are made from: equal records make equal files."""

    paper: Paper
    slug: str
    matches: tuple[TagMatch, ...]  # strongest first
    tags: tuple[Tag, ...]  # the tag of each match, in the same order
    note: Note | None
    related: tuple[Related, ...]
    clean: tuple | None  # the abstract's clean text runs, when the pipeline made them
    directory_urls: bool

    def __hash__(self) -> int:
        """A hash of the fields that tell papers apart (equal records have equal ones), made in a microsecond.
        Hashing every field went down through the paper, its provenance, its matches and its related papers: 0.9 s
        of a 50,000-paper run, on the core the run waits on, for the cache's first look-up of each record (in an
        empty cache too). Two records of one paper that differ in another field (serve, after an edit) share a
        hash and are told apart by ==."""
        return hash((self.paper.key, self.slug, self.paper.title, self.paper.abstract))

    def catalogue(self) -> Catalogue:
        """A catalogue holding only this record: what the page and export renderers are given."""
        key = self.paper.key
        return Catalogue(
            papers=(self.paper,),
            slugs={key: self.slug} | {r.key: r.slug for r in self.related},
            matches={key: self.matches},
            tags=self.tags,
            sources=(),
            dates={},
            related={key: tuple(r.key for r in self.related)},
            notes={} if self.note is None else {key: self.note},
            clean={} if self.clean is None else {self.paper.abstract: self.clean},
            links={self.paper.abstract: abstract_links(self.paper.abstract)},  # found once for page and rows
        )

    def titles(self) -> dict[str, str]:
        """Paper key -> title of this paper and its related papers."""
        return {self.paper.key: self.paper.title} | {r.key: r.title for r in self.related}


@dataclass(frozen=True)
class Index:
    """The catalogue's records and look-up maps, built once per run and shared by every renderer."""

    records: dict[str, PaperRecord]  # paper key -> record, in paper order
    key_of: dict[str, str]  # slug -> paper key
    titles: dict[str, str]  # paper key -> title
    tag_of: dict[str, Tag]  # tag slug -> tag


def index(cat: Catalogue, directory_urls: bool = True) -> Index:
    """Every paper's record and the shared look-up maps."""
    titles = {p.key: p.title for p in cat.papers}
    tag_of = {t.slug: t for t in cat.tags}
    # One Related per paper, shared by every list that names it (at 50,000 papers, 50,000 objects, not 500,000).
    named = {p.key: Related(p.key, cat.slugs[p.key], p.title) for p in cat.papers}
    records = {
        p.key: PaperRecord(
            paper=p,
            slug=cat.slugs[p.key],
            matches=cat.matches[p.key],
            tags=tuple(tag_of[m.tag] for m in cat.matches[p.key]),
            note=cat.notes.get(p.key),
            related=tuple(map(named.__getitem__, cat.related.get(p.key, ()))),
            clean=cat.clean.get(p.abstract),
            directory_urls=directory_urls,
        )
        for p in cat.papers
    }
    return Index(records, {slug: key for key, slug in cat.slugs.items()}, titles, tag_of)
