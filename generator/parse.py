"""Raw listing text -> entries (title, abstract, provenance) and problems.

Two layouts occur: blank-line separated blocks, and a compact one with no blank
lines. Both are handled the same way: boilerplate lines are dropped, every other
line is classified as title-like or abstract-like by its shape, and a title is
paired with the abstract that follows it. One missing abstract therefore costs
one entry (with a warning), never a shift of every later entry.
"""

from __future__ import annotations

import re

from generator.models import Entry, Problem, Provenance

# Lines copied from the listing page chrome, compared after whitespace folding.
BOILERPLATE = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
        "subscribe",
        "byak and the research community",
    }
)
# The compact layout glues the first title to the "Subscribe" button text.
GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[^a-z\s])")
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
LISTING_DATE = re.compile(rf"^(?:{MONTHS})[a-z]*\.? \d{{1,2}}(?:, \d{{4}})?$")

# Titles in real listings are 17-159 characters, abstracts 320-1,920.
MAX_TITLE_CHARS = 300
# A short line right after a title still reads as its abstract when it holds
# two or more full sentences (titles are one phrase, rarely ending in ".").
SENTENCES = re.compile(r"[.!?]\s+[A-Z0-9].*\.$")


def fold(line: str) -> str:
    """Collapse every run of Unicode whitespace (tabs, NBSP, U+2028 ...) to one space."""
    return " ".join(line.split())


def split_lines(text: str) -> list[str]:
    """Lines on CR, LF or CRLF only; other Unicode separators stay inside a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def is_boilerplate(line: str) -> bool:
    return line.lower() in BOILERPLATE


def looks_like_abstract(line: str, after_title: bool) -> bool:
    if len(line) > MAX_TITLE_CHARS:
        return True
    return after_title and bool(SENTENCES.search(line))


def parse_listing(name: str, text: str) -> tuple[list[Entry], list[Problem]]:
    """Parse one listing file's text. Pure: no I/O."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    date: str | None = None
    seen_entry = False
    pending: tuple[int, str] | None = None  # (line number, title) waiting for its abstract

    for number, raw in enumerate(split_lines(text), start=1):
        line = fold(raw.replace("\x00", ""))
        if raw.count("\x00"):
            problems.append(Problem(name, number, "NUL bytes removed from this line"))
        if not line:
            continue
        if not seen_entry and pending is None:
            # Page chrome and the listing date come before the first entry.
            if is_boilerplate(line):
                continue
            if date is None and LISTING_DATE.match(line):
                date = line
                continue
            glued = GLUED_SUBSCRIBE.sub("", line)
            if glued != line:
                line = fold(glued)
        if is_boilerplate(line):
            problems.append(Problem(name, number, f"page boilerplate {line!r} inside the listing; skipped"))
            continue

        if looks_like_abstract(line, pending is not None):
            if pending is None:
                problems.append(
                    Problem(
                        name,
                        number,
                        "abstract with no title before it; skipped. Add the title on the line above",
                        kind="skip",
                    )
                )
                continue
            title_line, title = pending
            entries.append(Entry(title, line, Provenance(name, title_line, date)))
            seen_entry = True
            pending = None
        else:
            if pending is not None:
                problems.append(
                    Problem(
                        name, pending[0], "title with no abstract; skipped. Add the abstract on the next line", "skip"
                    )
                )
            pending = (number, line)

    if pending is not None:
        problems.append(Problem(name, pending[0], "title with no abstract at end of file; skipped", "skip"))
    return entries, problems
