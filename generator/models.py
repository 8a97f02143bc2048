"""Values that flow through the pipeline: frozen, comparable, hashable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.errors import printable


@dataclass(frozen=True)
class Provenance:
    """Where one entry was read: source file name, 1-based line of its title, listing date
    (as listed, such as "Mar 11"), and that date as YYYY-MM-DD when its year is known."""

    source: str
    line: int
    date: str | None = None
    day: str | None = None


@dataclass(frozen=True)
class Entry:
    """One title + abstract pair as it stands in a listing."""

    title: str
    abstract: str
    provenance: Provenance
    arxiv_id: str | None = None  # "2501.01234" (no version), where the listing gives it
    authors: tuple[str, ...] = ()
    authors_count: int | None = None
    published: str | None = None  # YYYY-MM-DD, when the listing gives a date and its year is known
    published_as: str | None = None  # the publication date as listed ("Jan 6"), when its year is unknown


@dataclass(frozen=True)
class Problem:
    """A non-fatal finding (a skipped line, a suspicious entry), named by path and line."""

    path: str
    line: int
    message: str
    kind: str = "warning"  # "warning"; "skip": a warning that dropped an entry; "file": one that skipped a file; "info"
    reason: str = ""  # for "skip": a short reason, counted in the summary

    def __str__(self) -> str:
        # line 0: the problem concerns the whole file. One line, whatever a file name holds.
        text = f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"
        return printable(text, newlines=False)


@dataclass(frozen=True)
class Paper:
    """One deduplicated paper with every place it was listed."""

    key: str
    title: str
    abstract: str
    provenance: tuple[Provenance, ...]
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    authors_count: int | None = None
    published: str | None = None
    published_as: str | None = None

    @property
    def day(self) -> str | None:
        """The paper's date (YYYY-MM-DD): published when listed, else its first listing's date; None if unknown."""
        if self.published:
            return self.published
        return self.provenance[0].day if self.provenance else None


@dataclass(frozen=True)
class Tag:
    """A taxonomy entry: how to recognise a topic and how to present it."""

    slug: str
    name: str
    description: str
    group: str
    phrases: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()  # common words: supporting evidence only
    title_only: tuple[str, ...] = ()  # weak evidence, counted only in the title


@dataclass(frozen=True)
class TagMatch:
    """Why a tag was given: the phrase that matched and where."""

    tag: str
    phrase: str
    field: str  # "title", "abstract" or "override"
    score: int = 0  # strength of the evidence (see generator/tagging.py); 0 for overrides


@dataclass(frozen=True)
class SourceFile:
    """A raw listing read from disk, already decoded."""

    name: str
    text: str


@dataclass(frozen=True)
class Catalogue:
    """Everything the renderer needs: papers in listing order, their slugs and tags."""

    papers: tuple[Paper, ...]
    slugs: dict[str, str]  # paper key -> slug
    matches: dict[str, tuple[TagMatch, ...]]  # paper key -> tag matches, strongest first
    tags: tuple[Tag, ...]
    sources: tuple[str, ...]  # listing file names read
    dates: dict[str, str | None]  # listing file name -> listing date
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # paper key -> related paper keys
    notes: dict[str, Note] = field(default_factory=dict)  # paper key -> the reader's note
    days: dict[str, str | None] = field(default_factory=dict)  # listing file name -> its date, YYYY-MM-DD
    # raw abstract -> its clean text runs (textclean.Run), made once by the pipeline; renderers clean
    # an abstract missing here themselves
    clean: dict[str, tuple] = field(default_factory=dict)
    links: dict[str, tuple] = field(default_factory=dict)  # raw abstract -> its links (links.Link), when known


@dataclass(frozen=True)
class Note:
    """The reader's own state for one paper, from corpus/notes.yml."""

    slug: str
    status: str  # "to-read", "reading" or "read"
    priority: int = 3  # 1 (first) .. 5 (some day)
    rating: int | None = None  # 1 .. 5
    added: str | None = None  # ISO date
    note: str = ""  # the reader's Markdown
    tags: tuple[str, ...] = ()


# What a site plan maps a docs/ path to: text, bytes, or a function that makes
# the bytes. Functions let big files (the per-tag exports) exist one at a time:
# the writer calls one to hash it, drops the bytes, and calls it again only if
# the file must be written, so memory never holds the whole site at once.
Content = str | bytes | Callable[[], bytes]


def framed(head: bytes, items: list[bytes], sep: bytes, tail: bytes) -> bytes:
    """head + sep.join(items) + tail, copying the items once: `a + b + c` copies a whole export at each `+`
    (papers.json is 164 MB at 50,000 papers; each copy is 40,000 more pages of memory faulted in)."""
    if not items:
        return head + tail
    ends = [head + items[0], *items[1:]]
    ends[-1] += tail
    return sep.join(ends)


def content_bytes(content: Content) -> bytes:
    if isinstance(content, str):
        return content.encode("utf-8")
    if isinstance(content, bytes):
        return content
    return content()


def plan_text(plan: dict[str, Content]) -> dict[str, str]:
    """A plan with every file's text made: for comparing and inspecting plans (tests, golden files)."""
    return {rel: c if isinstance(c, str) else content_bytes(c).decode("utf-8") for rel, c in plan.items()}
