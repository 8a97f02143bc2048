"""Entries -> deduplicated papers, with a record of every merge and why."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

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


# Two entries with one title are one paper when their abstracts share at least
# half their words (Jaccard similarity of the word sets), else two papers.
SAME_PAPER = 0.5
WORD = re.compile(r"\w+")


# For ASCII text (NFKC leaves it as it is, case-folding is lowercasing): each letter lowercased, each byte
# that is no letter, digit or "_" a space. Splitting the result gives what WORD finds, twice as fast.
ASCII_WORDS = bytes(
    (c + 32 if 65 <= c <= 90 else c) if c < 128 and (chr(c).isalnum() or c == 95) else 32 for c in range(256)
)


def words(text: str) -> list[str]:
    """Word tokens of a text: NFKC, case-folded, runs of Unicode letters, digits and "_"."""
    if text.isascii():
        return text.encode("ascii").translate(ASCII_WORDS).decode("ascii").split()
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word sets (1.0 for two texts with no words)."""
    sa, sb = set(words(a)), set(words(b))
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def fingerprint(abstract: str) -> str:
    """8 hex digits naming an abstract's words: unchanged by spacing, case or punctuation edits."""
    return hashlib.sha1(" ".join(words(abstract)).encode("utf-8")).hexdigest()[:8]


def title_key(title: str) -> str:
    """The normalised title, or the title as written when nothing is left of it (all punctuation)."""
    return normalise_title(title) or title


@dataclass(frozen=True)
class Merge:
    """An entry folded into an earlier paper with the same normalised title."""

    provenance: Provenance
    into: str  # the paper's key
    same_abstract: bool


def deduplicate(
    entries: list[Entry], folder: Path | None = None, title_keys: Mapping[str, str] | None = None
) -> tuple[list[Paper], list[Merge], list[Problem]]:
    """Fold entries with equal normalised titles and similar abstracts into one paper, keeping
    every provenance. The first entry (in source-file then line order) gives the text.

    Entries whose titles match but whose abstracts share less than half their words stay
    separate papers (with a warning naming both places): the first keeps the title as its
    key, each other one gets `<title> #<abstract fingerprint>`. Problems name places as
    `folder/source:line` when `folder` is given. `title_keys`: {title: title_key(title)} made already, for some
    titles (the parse workers').
    """
    title_keys = title_keys or {}

    def place(p: Provenance) -> str:
        return f"{folder / p.source if folder is not None else p.source}:{p.line}"

    groups: dict[str, list[str]] = {}  # title key -> keys of its papers, first listed first
    first: dict[str, Entry] = {}
    provenance: dict[str, list[Provenance]] = {}
    merges: list[Merge] = []
    problems: list[Problem] = []
    by_id: dict[str, str] = {}  # arXiv identifier -> paper key
    meta: dict[str, dict] = {}  # paper key -> its metadata, first found wins
    for entry in entries:
        title = title_keys[entry.title] if entry.title in title_keys else title_key(entry.title)
        keys = groups.setdefault(title, [])
        p = entry.provenance
        if entry.arxiv_id in by_id:
            # One arXiv identifier is one paper, whatever its titles (a revised title, a typo).
            key = by_id[entry.arxiv_id]
            same = first[key].abstract == entry.abstract
            merges.append(Merge(p, key, same))
            provenance[key].append(p)
            _add_meta(meta[key], entry)
            continue
        # Entries with two different arXiv identifiers are two papers, whatever their titles.
        candidates = [k for k in keys if not _other_id(meta[k], entry)]
        scores = [(similarity(first[k].abstract, entry.abstract), -i, k) for i, k in enumerate(candidates)]
        best = max(scores, default=None)
        if best is None or best[0] < SAME_PAPER:
            key = title if not keys else f"{title} #{fingerprint(entry.abstract)}"
            while key in first:  # two different abstracts with one fingerprint: never in practice
                key += "+"
            if keys:
                other = first[keys[0]].provenance
                why = (
                    f"the abstracts share only {best[0]:.0%} of their words (under {SAME_PAPER:.0%})"
                    if best is not None
                    else f"its arXiv identifier ({entry.arxiv_id}) differs"
                )
                problems.append(
                    Problem(
                        str(folder / p.source) if folder is not None else p.source,
                        p.line,
                        f"same title as {place(other)}, but {why}: kept as two papers",
                    )
                )
            keys.append(key)
            first[key] = entry
            provenance[key] = [p]
            meta[key] = {}
            _add_meta(meta[key], entry)
            if entry.arxiv_id:
                by_id[entry.arxiv_id] = key
            continue
        key = best[2]
        kept = first[key]
        same = kept.abstract == entry.abstract
        merges.append(Merge(p, key, same))
        provenance[key].append(p)
        _add_meta(meta[key], entry)
        if entry.arxiv_id:
            by_id.setdefault(entry.arxiv_id, key)
        if not same:
            problems.append(
                Problem(
                    str(folder / p.source) if folder is not None else p.source,
                    p.line,
                    f"duplicate of {place(kept.provenance)} with a different abstract "
                    f"({best[0]:.0%} of the words shared); the first abstract is kept",
                    kind="info",
                )
            )
    papers = [Paper(key, e.title, e.abstract, tuple(provenance[key]), **meta[key]) for key, e in first.items()]
    return papers, merges, problems


META = ("arxiv_id", "authors", "authors_count", "published", "published_as")


def _add_meta(found: dict, entry: Entry) -> None:
    """A paper's metadata from one more of its entries: what an earlier entry gave stays."""
    for name in META:
        value = getattr(entry, name)
        if value not in (None, ()) and name not in found:
            found[name] = value
    if "published" in found:
        found.pop("published_as", None)
    if "authors" in found and "authors_count" not in found:
        found["authors_count"] = len(found["authors"])


def _other_id(found: dict, entry: Entry) -> bool:
    """The paper and the entry both have an arXiv identifier, and they differ."""
    return bool(entry.arxiv_id and found.get("arxiv_id") and found["arxiv_id"] != entry.arxiv_id)


def paper_fingerprints(papers: list[Paper], entries: list[Entry]) -> dict[str, tuple[str, ...]]:
    """{paper key: fingerprints of every abstract merged into it, the kept one first}: what the
    slug lock recognises a paper by, even after an earlier listing with an edited abstract appears."""
    owner = {prov: p.key for p in papers for prov in p.provenance}
    of = fingerprints({p.abstract for p in papers} | {e.abstract for e in entries})  # each distinct abstract once
    found: dict[str, dict[str, None]] = {p.key: {of[p.abstract]: None} for p in papers}
    for entry in entries:
        key = owner.get(entry.provenance)
        if key is not None:
            found[key][of[entry.abstract]] = None
    return {key: tuple(fps) for key, fps in found.items()}


def fingerprints(abstracts: set[str]) -> dict[str, str]:
    """{abstract: its fingerprint}, made on every core for a big corpus (4 s of 50,000 papers' 56,000 entries)."""
    from generator import parallel

    todo = sorted(abstracts)
    workers = parallel.jobs(len(todo))
    pieces = parallel.chunks(todo, workers)
    made = parallel.run_all([partial(_fingerprint_all, piece) for piece in pieces], workers)
    return {text: fp for piece, fps in zip(pieces, made, strict=True) for text, fp in zip(piece, fps, strict=True)}


def _fingerprint_all(abstracts: list[str]) -> list[str]:
    return [fingerprint(text) for text in abstracts]
