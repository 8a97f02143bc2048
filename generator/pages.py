"""Helpers every page renderer shares: paths, front matter, labels, ordering."""

from __future__ import annotations

import datetime as dt
import string

import yaml

from generator.escape import markdown_text
from generator.models import Paper, Provenance
from generator.parse import listing_title

SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

PAPERS_DIR = "papers"
TAGS_DIR = "tags"
ALL_DIR = "all"  # all papers, newest first, PAGE_SIZE a page: all/index.md, all/2.md, ...


def front_matter(meta: dict) -> str:
    """YAML front matter via safe_dump, never string formatting (but see `_simple_front_matter`)."""
    text = _simple_front_matter(meta)
    if text is None:
        # libyaml's safe dumper when present: same output, ~10x faster at 10,000 pages.
        text = yaml.dump(meta, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + text + "---\n"


def html_page(meta: dict, blocks: list[str]) -> str:
    """A page whose body is finished HTML (cards.framed_place): its front matter, then the blocks, a line apart."""
    return front_matter(meta) + "\n".join(blocks) + "\n"


# A string YAML writes plain or in single quotes: it starts with an ASCII letter, holds letters, digits,
# single spaces and punctuation that is no indicator in the middle of a block scalar, and ends with no space.
# Letters beyond ASCII are in the Basic Multilingual Plane (libyaml quotes the others with escapes).
# `_simple` tells it without a regular expression: the expression's lookarounds at every character cost 1.2 s
# of the front matter written and read back at 10,000 papers (tests/test_lists7_fast_pages.py has it still).
PLAIN_ASCII = str.maketrans("", "", string.ascii_letters + string.digits + ",.()/+&;'=_:?#- ")
# The words YAML 1.1 reads as true, false or null when plain (pyyaml's resolver; compared lowercased).
RESOLVED = frozenset(["yes", "no", "true", "false", "on", "off", "null", "y", "n"])
SIMPLE_MAX = 500  # chars: far from the line width (1000) at which the dumper would fold a value


def _scalar(value: object) -> str | None:
    """`value` as the dumper writes it in a block mapping or sequence, or None when it is not that simple:
    plain, or in single quotes when ": " or " #" would be read as syntax (or it ends with ":")."""
    if not (isinstance(value, str) and len(value) <= SIMPLE_MAX and _simple(value)):
        return None
    if value.lower() in RESOLVED:
        return None
    if not value.isascii() and not all(c.isascii() or (c.isalpha() and c < "\uffff") for c in value):
        return None
    if ": " in value or " #" in value or value.endswith(":"):
        return "'" + value.replace("'", "''") + "'"
    return value


def _simple(value: str) -> bool:
    """An ASCII letter first, no space last, no two spaces together, and no ASCII character but letters,
    digits, spaces and the punctuation PLAIN_ASCII lists (any other character is beyond ASCII)."""
    first = value[:1]
    if not (first.isascii() and first.isalpha()) or value[-1] == " " or "  " in value:
        return False
    rest = value.translate(PLAIN_ASCII)
    return not rest or all(char >= "\x80" for char in rest)


def _simple_front_matter(meta: dict) -> str | None:
    """The dumper's text for the common front matter (string keys; values plain strings or lists of them),
    made without it (it was a quarter of a paper page's time); None for anything else."""
    lines = []
    for key, value in meta.items():
        name = _scalar(key)
        if name is None or name != key:
            return None
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            items = [_scalar(item) for item in value]
            if None in items:
                return None
            lines.append(f"{key}:")
            lines.extend(f"- {item}" for item in items)
        else:
            text = _scalar(value)
            if text is None:
                return None
            lines.append(f"{key}: {text}")
    return "\n".join(lines) + "\n" if lines else None


def simple_meta(text: str) -> dict | None:
    """The front matter `_simple_front_matter` wrote as `text` (between the `---` lines), read back without a
    YAML parser (libyaml took 0.17 ms a page: 1.8 s of 10,000 paper pages); None for any other text, which
    YAML then reads. A reading is taken only when `_simple_front_matter` writes exactly `text` for it, so it
    is what YAML reads there."""
    meta: dict = {}
    listing = None  # the list the "- " lines go into
    for line in text.split("\n")[:-1]:
        if line.startswith("- ") and listing is not None:
            listing.append(_unquoted(line[2:]))
            continue
        key, colon, value = line.partition(": ")  # (a plain key holds no ": ")
        if colon:
            meta[key], listing = ([] if value == "[]" else _unquoted(value)), None
        elif line.endswith(":"):
            meta[line[:-1]] = listing = []
        else:
            return None
    return meta if meta and _simple_front_matter(meta) == text else None


def _unquoted(value: str) -> str:
    if len(value) > 1 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def paper_url(slug: str, directory_urls: bool) -> str:
    return f"{PAPERS_DIR}/{slug}/" if directory_urls else f"{PAPERS_DIR}/{slug}.html"


def count_label(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def sort_by_title(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.key, p.title))


def by_date(papers: list[Paper]) -> list[Paper]:
    """Newest first by the paper's date (published, else first listed); undated papers last, in listing order."""
    dated = sorted((p for p in papers if p.day), key=lambda p: p.day or "", reverse=True)  # stable
    return dated + [p for p in papers if not p.day]


def shown_day(day: str) -> str:
    """YYYY-MM-DD -> "6 Jan 2025"."""
    date = dt.date.fromisoformat(day)
    return f"{date.day} {date:%b %Y}"


def paper_date_text(paper: Paper) -> str | None:
    """A paper's date as the site shows it: "6 Jan 2025", "Mar 11 (year unknown)", or None."""
    if paper.day:
        return shown_day(paper.day)
    listed = paper.published_as or next((p.date for p in paper.provenance[:1] if p.date), None)
    return f"{listed} (year unknown)" if listed else None


def date_markdown(paper: Paper) -> str:
    """The paper's date where a paper appears (paper page, lists): ` <small class="rl-date">…</small>`, or ""."""
    text = paper_date_text(paper)
    return f' <small class="rl-date">{markdown_text(text)}</small>' if text else ""


def listing_words(listed: Provenance) -> str:
    """A listing by its date and title ("11 Mar 2025 · cs-lg", "Mar 11 (year unknown)"), or "" when it has
    neither. Plain, untrusted text (the title comes from a file name): escape it for where it goes."""
    when = shown_day(listed.day) if listed.day else (f"{listed.date} (year unknown)" if listed.date else "")
    return " · ".join(part for part in (when, listing_title(listed.source)) if part)


def listing_label(listed: Provenance) -> str:
    """A listing by its date and title, then its file name: "11 Mar 2025 · cs-lg (2025-03-11-cs-lg.txt)"."""
    name = listing_words(listed)
    return f"{name} ({listed.source})" if name else listed.source
