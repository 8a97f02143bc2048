"""`readinglist add`: a new listing's name and what it adds. Pure: the CLI reads and writes.

A listing is saved as `YYYY-MM-DD-<title>.txt`: the date is the listing's own
(see parse.py: its file name, a dated first line, or a date before its first
entry, whose missing year is the most recent one that puts it on or before
today), else `--date`, else today; the title is `--title`, else the input
file's name. The title is untrusted text: it keeps no path separator, control
character or leading dot, and at most TITLE_BYTES bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from generator.corpus import deduplicate
from generator.models import Entry
from generator.parse import CONTROLS, fold, name_date, parse_day, resolve_day

TITLE_BYTES = 120  # file names are at most 255 bytes on most file systems
UNSAFE = re.compile(r"[/\\\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")  # bidi overrides disguise a name


def clean_title(title: str | None) -> str | None:
    """A listing title fit for a file name, or None when nothing is left of it."""
    if not title:
        return None
    # A title from a command line or a file name that is not UTF-8 arrives with lone surrogates.
    title = title.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = fold(CONTROLS.sub(" ", UNSAFE.sub("-", title))).strip(" .-")
    while len(text.encode("utf-8")) > TITLE_BYTES:
        text = text[:-1]
    text = text.rstrip(" .-")
    return text or None


def title_from_name(name: str) -> str | None:
    """The input file's name without `.txt` and without a leading date: `cs-lg.txt` -> `cs-lg`."""
    stem = name.rsplit("/", 1)[-1]
    stem = stem[: -len(".txt")] if stem.lower().endswith(".txt") else stem
    day, rest = name_date(stem + ".txt")
    return rest if day else stem


def listing_day(entries: list[Entry], today: dt.date, given: str | None) -> str:
    """The date a new listing is saved under (YYYY-MM-DD)."""
    first = entries[0].provenance
    if first.day:
        return first.day
    if first.date:
        found = parse_day(first.date)
        if found is not None:
            # "Mar 11" with no year: the first Mar 11 on or after the newest publication date with a
            # year (a listing shows papers published before it), else the most recent one up to today.
            published = max((e.published for e in entries if e.published), default=None)
            if published is not None:
                year = int(published[:4])
                for candidate in (year, year + 1):
                    day = resolve_day((candidate, *found[1:]), None, None)
                    if day is not None and day >= published:
                        return day
            day = resolve_day(found, today.isoformat(), None)
            if day is not None:
                return day
    return given or today.isoformat()


def listing_stem(day: str, title: str | None) -> str:
    return f"{day}-{title}" if title else day


@dataclass(frozen=True)
class Added:
    """What a new listing brings: its entries, new papers, papers already listed, repeats within it."""

    entries: int
    new: int
    known: int
    repeated: int


NEW = "\0new"  # the new listing's source while counting: no file name holds a NUL


def what_is_new(existing: list[Entry], new: list[Entry]) -> Added:
    """Count the new listing's papers that no existing listing has, by the same rules as the build."""
    new = [replace(e, provenance=replace(e.provenance, source=NEW)) for e in new]
    name = NEW
    papers, _, _ = deduplicate(existing + new)
    added = known = 0
    for paper in papers:
        mine = [p for p in paper.provenance if p.source == name]
        if not mine:
            continue
        if len(mine) < len(paper.provenance):
            known += 1
        else:
            added += 1
    return Added(len(new), added, known, len(new) - added - known)
