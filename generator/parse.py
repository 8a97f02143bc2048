"""Raw listing text -> entries (title, abstract, provenance) and problems.

Two layouts occur: blank-line separated blocks, and a compact one with no blank
lines. Both are handled the same way: boilerplate lines are dropped, and titles
and abstracts alternate. Position decides; shape only breaks ties: a short line
where an abstract is expected is a title when it has the shape of one (the
previous title then has no abstract), and a long line where a title is expected
is a title when the next line is its abstract (longer, and prose). One missing
abstract therefore costs one entry (with a warning), never a shift of every
later entry.
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
# Longer than this, an "abstract" is more likely several entries run together.
LONG_ABSTRACT_CHARS = 10_000
# A short line right after a title still reads as its abstract when it holds
# two or more full sentences (titles are one phrase, rarely ending in ".").
SENTENCES = re.compile(r"[.!?]\s+[A-Z0-9].*\.$")
# A line longer than MAX_TITLE_CHARS where a title is expected is still the title
# when the next line is unmistakably its abstract: longer, and prose (several
# sentences, at least this many words). Random or damaged text is neither.
PROSE_WORDS = 30
SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z0-9]")
# C0 controls (but tab), DEL and C1 controls: invisible, and invalid in HTML and XML.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Skip reasons, counted in the summary.
NO_ABSTRACT = "title with no abstract"
NO_TITLE = "abstract with no title"


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


def could_be_long_title(line: str) -> bool:
    """Too long for the usual title, but not prose: a title if its abstract follows."""
    return len(line) > MAX_TITLE_CHARS and not SENTENCES.search(line)


def is_abstract_of(line: str, title: str) -> bool:
    """`line` is unmistakably the abstract of the long line `title` before it."""
    return len(line) > len(title) and len(line.split()) >= PROSE_WORDS and bool(SENTENCE_BREAK.search(line))


def parse_listing(name: str, text: str) -> tuple[list[Entry], list[Problem]]:
    """Parse one listing file's text. Pure: no I/O, never raises on any text.

    Every line that is not blank, page chrome or the listing date ends up in an
    entry (title or abstract) or in a "skip" problem naming its line.
    """
    entries: list[Entry] = []
    problems: list[Problem] = []
    date: str | None = None
    seen_entry = False
    content_lines = 0
    pending: tuple[int, str] | None = None  # (line number, title) waiting for its abstract
    held: tuple[int, str] | None = None  # a long line where a title belongs: a title if its abstract follows

    def skip_title(title_line: int, next_is_title: int | None) -> None:
        if next_is_title is None:
            message = f"{NO_ABSTRACT} at end of file; skipped. Add the abstract on the next line"
        else:
            message = (
                f"{NO_ABSTRACT} (line {next_is_title} is another title); skipped. Add the abstract on the "
                "next line, or join the two lines if they are one title broken in two"
            )
        problems.append(Problem(name, title_line, message, kind="skip", reason=NO_ABSTRACT))

    def skip_abstract(number: int, line: str) -> None:
        shape = (
            f" (a line of {len(line):,} characters: too long for a title, which has at most {MAX_TITLE_CHARS})"
            if could_be_long_title(line)
            else ""
        )
        problems.append(
            Problem(
                name,
                number,
                f"{NO_TITLE} before it{shape}; skipped. "
                "Add the title on the line above (or shorten this line if it is the title)",
                kind="skip",
                reason=NO_TITLE,
            )
        )

    for number, raw in enumerate(split_lines(text), start=1):
        cleaned = CONTROLS.sub("", raw)
        if cleaned != raw:
            what = "NUL bytes" if "\x00" in raw else "control characters"
            problems.append(Problem(name, number, f"{what} removed from this line; re-save the file without them"))
        line = fold(cleaned)
        if not line:
            continue
        content_lines += 1
        if not seen_entry and date is None and LISTING_DATE.match(line):
            # The listing date precedes the first entry, even when a stray title comes before it.
            date = line
            continue
        if not seen_entry and pending is None:
            # Page chrome comes before the first entry.
            if is_boilerplate(line):
                continue
            glued = GLUED_SUBSCRIBE.sub("", line)
            if glued != line:
                line = fold(glued)
        if is_boilerplate(line):
            problems.append(
                Problem(
                    name,
                    number,
                    f"page boilerplate {line!r} inside the listing; skipped. Delete the line to silence this",
                )
            )
            continue

        if held is not None:
            if is_abstract_of(line, held[1]):
                pending = held  # position wins: the long line was this abstract's title
            else:
                skip_abstract(*held)
            held = None
        if looks_like_abstract(line, pending is not None):
            if pending is None:
                if could_be_long_title(line):
                    held = (number, line)
                else:
                    skip_abstract(number, line)
                continue
            title_line, title = pending
            if len(line) > LONG_ABSTRACT_CHARS:
                problems.append(
                    Problem(
                        name,
                        number,
                        f"abstract of {len(line):,} characters (real ones are under 2,000); kept. Check that "
                        "several entries were not joined into one line",
                    )
                )
            entries.append(Entry(title, line, Provenance(name, title_line, date)))
            seen_entry = True
            pending = None
        else:
            if pending is not None:
                skip_title(pending[0], number)
            pending = (number, line)

    if held is not None:
        skip_abstract(*held)
    if pending is not None:
        skip_title(pending[0], None)
    if not entries and not any(p.kind == "skip" for p in problems):
        what = "the file is empty" if not content_lines else "it holds only page boilerplate"
        problems.append(Problem(name, 0, f"no entries found ({what}); add titles and abstracts or remove the file"))
    return entries, problems
