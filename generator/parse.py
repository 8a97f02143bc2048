"""Raw listing text -> entries (title, abstract, provenance, and authors, arXiv
identifier and dates where the listing has them) and problems.

Two layouts occur: blank-line separated blocks, and a compact one with no blank
lines. Both are handled the same way: boilerplate lines are dropped, metadata
lines (an arXiv identifier, `Authors:`, an author count, a date) are kept for
their entry, page furniture (upvote counts, `Comments:`, `Subjects:` ...) is
dropped, and titles and abstracts alternate. Text hard-wrapped at about 80
columns (copied from arXiv) has each block's lines joined back into one title
or one abstract first. Position decides; shape only breaks ties: a short line
where an abstract is expected is a title when it has the shape of one (the
previous title then has no abstract), and a long line where a title is expected
is a title when the next line is its abstract (longer, and prose). One missing
abstract therefore costs one entry (with a warning), never a shift of every
later entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

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


# --- dates ------------------------------------------------------------------------------------------

MONTH_NUMBERS = {m: i for i, m in enumerate(MONTHS.replace("|Sept", "").lower().split("|"), start=1)}
MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?"
WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
DATE_FORMS = (
    re.compile(rf"^{WEEKDAY}(?P<year>\d{{4}})-(?P<num>\d{{2}})-(?P<day>\d{{2}})$"),
    re.compile(rf"^{WEEKDAY}{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$"),
    re.compile(rf"^{WEEKDAY}(?P<day>\d{{1,2}})\s+{MONTH}(?:,?\s+(?P<year>\d{{4}}))?$"),
)
# Words before a date on a line of its own, and the time after it (arXiv's `Date:` field).
DATE_PREFIX = re.compile(r"^(?:Published on|Submitted on|Showing new listings for|Date:)\s+", re.IGNORECASE)
TIME_TAIL = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s.*)?$")
# A listing's file name may start with its date; the rest of the name is its title.
NAME_DATE = re.compile(r"^(?P<year>\d{4})-(?P<num>\d{2})-(?P<day>\d{2})(?:[-_ .]+(?P<title>.*?))?\.txt$", re.DOTALL)


def parse_day(text: str) -> tuple[int | None, int, int] | None:
    """A date on a line of its own -> (year or None, month, day); None when it is not a real date."""
    text = TIME_TAIL.sub("", DATE_PREFIX.sub("", text))
    for form in DATE_FORMS:
        match = form.match(text)
        if match is None:
            continue
        found = match.groupdict()
        if found.get("num"):
            month = int(found["num"])
        else:
            month = MONTH_NUMBERS.get(found["month"][:3].lower(), 0)
            if len(found["month"]) > 3 and not _month_name(found["month"]):
                return None
        year = int(found["year"]) if found.get("year") else None
        try:
            dt.date(year or 2000, month, int(found["day"]))  # 2000: Feb 29 is a date when the year is unknown
        except ValueError:
            return None
        return year, month, int(found["day"])
    return None


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")  # fmt: skip


def _month_name(word: str) -> bool:
    return any(name.startswith(word.lower()) for name in MONTH_NAMES)


def iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def name_date(name: str) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD, title) from a listing's file name such as `2025-03-11-cs-lg.txt`; (None, None) if undated."""
    match = NAME_DATE.match(name)
    if match is None:
        return None, None
    year, month, day = int(match["year"]), int(match["num"]), int(match["day"])
    try:
        dt.date(year, month, day)
    except ValueError:
        return None, None
    return iso(year, month, day), (match["title"] or None)


def listing_title(name: str) -> str | None:
    """The listing's title: its file name after the date (`2025-03-11-cs-lg.txt` -> `cs-lg`)."""
    return name_date(name)[1]


def resolve_day(found: tuple[int | None, int, int], listing: str | None, year: int | None) -> str | None:
    """A date, perhaps without its year -> YYYY-MM-DD. A date without a year takes the listing's year (the
    year before when it falls after the listing's own date), else the default `year`; else None."""
    y, month, day = found
    if y is None and listing is not None:
        ly, lm, ld = (int(part) for part in listing.split("-"))
        y = ly - 1 if (month, day) > (lm, ld) else ly
    if y is None:
        y = year
    if y is None:
        return None
    try:
        return dt.date(y, month, day).isoformat()
    except ValueError:  # Feb 29 in a year that has none
        return None


# --- metadata and page furniture ---------------------------------------------------------------------

ARXIV_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
# `arXiv:2503.06789`, `[1] arXiv:2503.06789 [pdf, html, other]`, `arXiv:2503.06789 (replaced)`,
# a bare `2503.06789v2` (metadata dumps), and the mailing's `\\ ( https://arxiv.org/abs/2503.06789 ,  12kb)`.
ID_LINES = (
    re.compile(rf"^(?:\[\d+\]\s*)?arXiv:{ARXIV_ID}(?:\s+(?:\[[^\]]*\]|\([^)]*\)))*$", re.IGNORECASE),
    re.compile(r"^(?P<id>\d{4}\.\d{4,5})(?:v\d+)?$"),
    re.compile(
        rf"^(?:\\\\\s*\(\s*)?https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/{ARXIV_ID}(?:\.pdf)?(?:\s*,\s*[\d.]+\s*kb)?\s*\)?$",
        re.IGNORECASE,
    ),
)
# `Field: value` lines of arXiv listings, mailings and metadata dumps.
FIELD = re.compile(
    r"^(?P<name>Title|Authors?|Abstract|Comments?|Subjects?|Categories|Journal-ref|DOI|Report-no|MSC-class"
    r"|ACM-class|License|Date)\s*:\s*(?P<value>.*)$"
)
KEPT_FIELDS = {"Title", "Author", "Authors", "Abstract", "Date"}
# `• 6 authors` (Hugging Face papers pages), perhaps with the date on the same line.
AUTHOR_COUNT = re.compile(r"^(?:[·•∙]\s*)?(?P<n>\d{1,5})\s+authors?(?:\s*[·•∙]\s*(?P<date>.+))?$", re.IGNORECASE)
# Lines that are never a title or an abstract: dropped wherever they stand, without a warning.
FURNITURE = re.compile(
    r"""^(?:
        [·•∙|]+                                              # separator between author count and date
      | \d{1,6} | ▲\s*\d{1,6} | \d{1,6}\s+upvotes? | upvote    # upvote counts
      | Daily\ Papers
      | Submitted\ by(?:\ .{1,100})?                       # followed by the user name, perhaps on the next line
      | \\\\ | -{3,} | ={3,} | %[-%]*%                        # arXiv mailing separators
      | (?:New|Cross|Replacement)\ submissions\b.* | Cross-lists?\ for\b.* | Replacements\ for\b.*
      | Total\ of\ \d+\ entries.* | Showing\ (?:new\ listings|\d+\ of\ \d+)\b.*
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
WRAP_WIDTH = 100  # hard-wrapped text: lines no longer than this ...
WRAP_SHARE = 0.9  # ... make up this share of its text lines
# A line ending in a hyphenated word's first part joins the next without a space ("self-" + "supervised").
HYPHEN_BREAK = re.compile(r"[^\W\d_]-$")
LETTER_START = re.compile(r"^[^\W\d_]")


def arxiv_id(line: str) -> str | None:
    for form in ID_LINES:
        match = form.match(line)
        if match is not None:
            return match["id"]
    return None


def line_kind(line: str) -> str:
    """What a folded, non-blank line is, from its text alone: "boilerplate", "furniture", "id", "count",
    "field", "date" or "text" (a title or an abstract, or part of one)."""
    if is_boilerplate(line):
        return "boilerplate"
    if FURNITURE.match(line):
        return "furniture"
    if arxiv_id(line) is not None:
        return "id"
    if AUTHOR_COUNT.match(line):
        return "count"
    if FIELD.match(line):
        return "field"
    if len(line) <= 80 and parse_day(line) is not None:
        return "date"
    return "text"


def split_authors(value: str) -> tuple[str, ...]:
    """`A. Smith (MIT), B. Jones and C. White` -> names; affiliations in parentheses dropped."""
    value = re.sub(r"\s*\([^()]*\)", "", value)
    parts = re.split(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+|\s*&\s*", value)
    return tuple(fold(p) for p in parts if fold(p))


def is_wrapped(kinds: list[tuple[str, str, bool]]) -> bool:
    """Hard-wrapped text: runs of several text lines, split by blank or metadata lines, nearly all short."""
    texts = [line for kind, line, _ in kinds if kind == "text"]
    if not texts:
        return False
    runs, longest_run, current = 0, 0, 0
    for kind, _, _ in [*kinds, ("blank", "", False)]:
        if kind == "text":
            current += 1
            continue
        if current:
            runs += 1
            longest_run = max(longest_run, current)
        current = 0
    short = sum(1 for line in texts if len(line) <= WRAP_WIDTH)
    return runs >= 2 and longest_run >= 2 and short >= WRAP_SHARE * len(texts)


def join_wrapped(lines: list[str]) -> str:
    """Lines of one hard-wrapped block -> one line; no word is lost or changed."""
    text = ""
    for line in lines:
        if text and HYPHEN_BREAK.search(text) and LETTER_START.match(line):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


# --- the parser ---------------------------------------------------------------------------------------


def parse_listing(name: str, text: str, year: int | None = None) -> tuple[list[Entry], list[Problem]]:
    """Parse one listing file's text. Pure: no I/O, never raises on any text.

    Every line that is not blank, page chrome, page furniture, metadata or the
    listing date ends up in an entry (title or abstract) or in a "skip" problem
    naming its line. The listing's date is, first found: the date its file name
    starts with, a date on its first line, a date before its first entry (with
    `year` as the default year when that date has none).
    """
    entries: list[Entry] = []
    problems: list[Problem] = []
    day, _ = name_date(name)
    date: str | None = None
    seen_entry = False
    content_lines = 0
    pending: tuple[int, str] | None = None  # (line number, title) waiting for its abstract
    held: tuple[int, str] | None = None  # a long line where a title belongs: a title if its abstract follows
    pre: dict = {}  # metadata read before the next title (an arXiv identifier leads its entry)
    pending_meta: dict = {}  # metadata of the pending title
    ids_follow: bool | None = None  # does an arXiv identifier follow its entry's abstract (None: none seen)?

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

    def start_title(number: int, line: str) -> None:
        nonlocal pending, pending_meta, pre
        pending, pending_meta, pre = (number, line), pre, {}

    def finish(number: int, line: str) -> None:
        nonlocal pending, seen_entry
        assert pending is not None
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
        entries.append(Entry(title, line, Provenance(name, title_line, date, day), **pending_meta))
        seen_entry = True
        pending = None

    def take(number: int, line: str, role: str | None = None) -> None:
        """One title or abstract (a line, or a joined block); `role` when a `Title:`/`Abstract:` field says so."""
        nonlocal held, pending
        if held is not None:
            if role != "title" and (role == "abstract" or is_abstract_of(line, held[1])):
                start_title(*held)  # position wins: the long line was this abstract's title
            else:
                skip_abstract(*held)
            held = None
        if role == "abstract" or (role is None and looks_like_abstract(line, pending is not None)):
            if pending is None:
                if role is None and could_be_long_title(line):
                    held = (number, line)
                else:
                    skip_abstract(number, line)
                return
            finish(number, line)
        else:
            if pending is not None:
                skip_title(pending[0], number)
            start_title(number, line)

    def meta(field: str, value: object) -> None:
        """Keep one piece of metadata for its entry: the pending title's, the next one's, or the last one's."""
        nonlocal ids_follow
        last = entries[-1] if entries else None
        after_entry = pending is None and held is None and last is not None
        if field == "arxiv_id":
            if after_entry and last.arxiv_id == value:
                return  # the mailing repeats the identifier after the abstract
            if ids_follow is None:
                ids_follow = after_entry and last.arxiv_id is None and not pre
            if ids_follow and after_entry and last.arxiv_id is None:
                entries[-1] = replace(last, arxiv_id=value)
            else:
                pre.setdefault(field, value)
            return
        if pending is not None:
            pending_meta.setdefault(field, value)
        elif pre or not after_entry:
            pre.setdefault(field, value)
        elif getattr(last, field) in (None, ()):
            entries[-1] = replace(last, **{field: value})

    def published(text: str) -> None:
        found = parse_day(text)
        if found is None:
            return
        resolved = resolve_day(found, day, year)
        if resolved is not None:
            meta("published", resolved)
        else:
            meta("published_as", TIME_TAIL.sub("", DATE_PREFIX.sub("", text)))

    lines: list[tuple[int, str, bool]] = []  # (number, folded line, indented)
    controls = CONTROLS.search(text) is not None  # (one search of the file: nearly all have none)
    for number, raw in enumerate(split_lines(text), start=1):
        cleaned = CONTROLS.sub("", raw) if controls else raw
        if cleaned != raw:
            what = "NUL bytes" if "\x00" in raw else "control characters"
            problems.append(Problem(name, number, f"{what} removed from this line; re-save the file without them"))
        line = fold(cleaned)
        lines.append((number, line, bool(line) and cleaned[:1].isspace()))
    kinds = [("blank" if not line else line_kind(line), line, indented) for _, line, indented in lines]
    wrapped = is_wrapped(kinds)
    first = next((i for i, (kind, _, _) in enumerate(kinds) if kind != "blank"), None)
    if first is not None:
        found = parse_day(kinds[first][1])
        if found is not None and found[0] is not None and len(kinds[first][1]) <= 120:
            # A dated first line ("2025-03-11", "Showing new listings for Tuesday, 11 March 2025").
            kinds[first] = ("first-date", *kinds[first][1:])
            date = TIME_TAIL.sub("", DATE_PREFIX.sub("", kinds[first][1]))
            day = day or iso(*found)  # type: ignore[arg-type]

    submitter = False  # the last line was "Submitted by": the next one is a user name
    run: list[tuple[int, str]] = []  # lines of a hard-wrapped block, joined when it ends
    field: list = []  # [name, line number, [values]] of an open `Field:` line

    def flush() -> None:
        if field:
            name_, number_, values = field
            value = join_wrapped(values)
            field.clear()
            if name_ in ("Title", "Abstract") and value:
                take(number_, value, role=name_.lower())
            elif name_ in ("Author", "Authors") and split_authors(value):
                meta("authors", split_authors(value))
            elif name_ == "Date":
                published(value)
        if run:
            number_ = run[0][0]
            joined = join_wrapped([line for _, line in run])
            run.clear()
            take(number_, joined)

    for (number, line, indented), (kind, _, _) in zip(lines, kinds, strict=True):
        if kind == "blank":
            flush()
            continue
        content_lines += 1
        if kind == "text" and field and (wrapped or indented or field[2][-1].endswith((",", " and", "&"))):
            field[2].append(line)  # a `Field:` value wrapped onto the next line
            continue
        if not (kind == "text" and wrapped and run):
            flush()  # a wrapped block ends at the first line that is not text
        if kind == "first-date":
            continue
        if not seen_entry and date is None and kind == "date" and LISTING_DATE.match(line):
            # The listing date precedes the first entry, even when a stray title comes before it.
            date = line
            if day is None:
                day = resolve_day(parse_day(line), None, year)  # type: ignore[arg-type]
            continue
        if kind == "boilerplate":
            if not seen_entry and pending is None:
                continue  # page chrome comes before the first entry
            problems.append(
                Problem(
                    name,
                    number,
                    f"page boilerplate {line!r} inside the listing; skipped. Delete the line to silence this",
                )
            )
            continue
        if kind == "furniture":
            submitter = line.lower() == "submitted by"
            continue
        if submitter and kind == "text" and " " not in line and len(line) <= 60:
            submitter = False
            continue  # the user name under "Submitted by"
        submitter = False
        if kind == "id":
            meta("arxiv_id", arxiv_id(line))
            continue
        if kind == "count":
            match = AUTHOR_COUNT.match(line)
            meta("authors_count", int(match["n"]))
            if match["date"]:
                published(match["date"])
            continue
        if kind == "field":
            match = FIELD.match(line)
            if match["name"] in KEPT_FIELDS:
                field.extend([match["name"], number, [match["value"]]])
            continue
        if kind == "date":
            published(line)
            continue
        if not seen_entry and pending is None and not run:
            glued = GLUED_SUBSCRIBE.sub("", line)
            if glued != line:
                line = fold(glued)
        if wrapped:
            run.append((number, line))
        else:
            take(number, line)
    flush()

    if held is not None:
        skip_abstract(*held)
    if pending is not None:
        skip_title(pending[0], None)
    if not entries and not any(p.kind == "skip" for p in problems):
        what = "the file is empty" if not content_lines else "it holds only page boilerplate"
        problems.append(Problem(name, 0, f"no entries found ({what}); add titles and abstracts or remove the file"))
    return entries, problems
