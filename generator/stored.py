"""The work of the last run, kept in docs/ for the next one: tags and clean abstracts.

A one-shot run (`readinglist build` after a new listing) starts with an empty
Cache (generator/cache.py), so every paper was tagged and every abstract's
LaTeX cleaned again: 5 s of a 10,000-paper update. This file keeps both from
one run to the next, keyed by a digest of the paper's title and abstract (of the
raw text, for clean text), together with a digest of the generator's code and
of the taxonomy they were made with: a change to either, or any damage to the
file, means the file is ignored and everything is made again. It holds plain
JSON (never code), only this corpus's papers, and only clean text that the
LaTeX clean-up changed. `.readinglist-work.json` in docs/: MkDocs does not
publish dot-files, and the deploy workflow keeps it with the generator's other
state files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from generator.models import Paper, Tag, TagMatch
from generator.state import code_fingerprint
from generator.writer import WORK as WORK_FILE
from generator.writer import atomic_write

FORMAT = 1
MAX_BYTES = 512 * 2**20


def text_key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def taxonomy_digest(tags: Iterable[Tag]) -> str:
    return text_key(repr(tuple(tags)))


class Stored:
    """The last run's work, as read: tags by (title, abstract) digest, clean runs by raw-text digest (None: the
    text needed no LaTeX clean-up), and the taxonomy they were made with."""

    def __init__(self, taxonomy: str = "", tags: dict | None = None, clean: dict | None = None) -> None:
        self.taxonomy = taxonomy
        self.tags: dict[str, tuple[TagMatch, ...]] = tags or {}
        self.clean: dict[str, tuple | None] = clean or {}

    def usable_for(self, tags: tuple[Tag, ...]) -> bool:
        return bool(self.taxonomy) and self.taxonomy == taxonomy_digest(tags)

    def tags_of(self, paper: Paper) -> tuple[TagMatch, ...] | None:
        return self.tags.get(text_key(paper.title, paper.abstract))

    def clean_of(self, raw: str) -> tuple | None:
        """The raw text's clean runs, or None when they are not known."""
        from generator.textclean import Run

        key = text_key(raw)
        if key not in self.clean:
            return None
        runs = self.clean[key]
        if runs is None:  # plain text: what clean_runs makes of it without LaTeX
            return (Run(" ".join(raw.split())),) if raw.strip() else ()
        return runs


def load(docs: Path) -> Stored:
    """The last run's work for this code; empty when there is none or it cannot be trusted. Reads JSON only."""
    from generator.textclean import Run

    path = docs / WORK_FILE
    try:
        info = os.lstat(path)
        if not path.is_file() or path.is_symlink() or info.st_size > MAX_BYTES:
            return Stored()
        data = json.loads(path.read_text(encoding="utf-8"))
        if (
            data.get("format") != FORMAT
            or data.get("code") != code_fingerprint()
            or not isinstance(data["taxonomy"], str)
        ):
            return Stored()
        tags = {
            str(key): tuple(TagMatch(str(t), str(phrase), str(field), int(score)) for t, phrase, field, score in rows)
            for key, rows in data["tags"].items()
        }
        clean = {
            str(key): None if runs is None else tuple(Run(str(text), str(style)) for text, style in runs)
            for key, runs in data["clean"].items()
        }
        return Stored(data["taxonomy"], tags, clean)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError, RecursionError):
        return Stored()


def save(docs: Path, tags: tuple[Tag, ...], tagged: dict[str, tuple[TagMatch, ...]], clean: dict[str, tuple]) -> None:
    """Keep this run's tags ((title, abstract) digest -> matches) and clean runs (raw digest -> runs; None when
    the clean-up left the text as plain text)."""
    from generator.textclean import Run

    def runs_of(raw: str, runs: tuple) -> list | None:
        plain = (Run(" ".join(raw.split())),) if raw.strip() else ()
        return None if tuple(runs) == plain else [[r.text, r.style] for r in runs]

    data = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "taxonomy": taxonomy_digest(tags),
        "tags": {key: [[m.tag, m.phrase, m.field, m.score] for m in matches] for key, matches in tagged.items()},
        "clean": {text_key(raw): runs_of(raw, runs) for raw, runs in clean.items()},
    }
    target = docs / WORK_FILE
    if target.is_symlink() or (target.exists() and not target.is_file()):
        return  # not ours to replace; the next run simply does the work again
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    try:
        if target.is_file() and target.stat().st_size == len(text) and target.read_bytes() == text:
            return  # the same work: the file is not touched (a run that changed nothing rewrites nothing)
        atomic_write(target, text)
    except OSError:
        return  # a cache: a run that cannot keep it has still written every page
