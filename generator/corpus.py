"""Entries -> deduplicated papers, with a record of every merge and why."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator.models import Entry, Paper, Problem, Provenance

QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)
# Sentence punctuation at the end of a title carries no meaning; symbols such
# as "+" or "#" do ("C++ for X" and "C for X" are different papers).
TRAILING = re.compile(r"[\s.,;:!?]+$")


def normalise_title(title: str) -> str:
    """The dedup key of a title: NFKC, case-folded, quotes and dashes unified,
    whitespace collapsed, trailing sentence punctuation dropped."""
    text = unicodedata.normalize("NFKC", title).translate(QUOTES).casefold()
    text = " ".join(text.split())
    return TRAILING.sub("", text)


@dataclass(frozen=True)
class Merge:
    """An entry folded into an earlier paper with the same normalised title."""

    provenance: Provenance
    into: str  # the paper's dedup key
    same_abstract: bool


def deduplicate(entries: list[Entry]) -> tuple[list[Paper], list[Merge], list[Problem]]:
    """Fold entries with equal normalised titles into one paper, keeping every
    provenance. The first entry (in source-file then line order) gives the text."""
    first: dict[str, Entry] = {}
    provenance: dict[str, list[Provenance]] = {}
    merges: list[Merge] = []
    problems: list[Problem] = []
    for entry in entries:
        key = normalise_title(entry.title)
        if not key:
            key = entry.title  # all-punctuation title: keep it apart, exactly as written
        kept = first.get(key)
        if kept is None:
            first[key] = entry
            provenance[key] = [entry.provenance]
            continue
        same = kept.abstract == entry.abstract
        merges.append(Merge(entry.provenance, key, same))
        provenance[key].append(entry.provenance)
        if not same:
            p = entry.provenance
            problems.append(
                Problem(
                    p.source,
                    p.line,
                    f"duplicate of {kept.provenance.source}:{kept.provenance.line} with a different abstract; "
                    "the first abstract is kept",
                    kind="info",
                )
            )
    papers = [Paper(key, e.title, e.abstract, tuple(provenance[key])) for key, e in first.items()]
    return papers, merges, problems
