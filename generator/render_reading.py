"""The reader's pages: the reading queue (to-read and reading, by priority) and what has been read."""

from __future__ import annotations

from generator.escape import markdown_text
from generator.exports import FEED_NAME, export_links_markdown
from generator.models import Catalogue, Note
from generator.notes import by_priority
from generator.pages import PAPERS_DIR, count_label, date_markdown, front_matter
from generator.render_paper import STATUS_LABELS, stars

READING_DIR = "reading"
# What a reader needs to know; how the owner edits the queue is in the README ("Reading list").
HOW_TO = "The owner of this list keeps this page: priorities, ratings and notes are theirs."


def _rows(cat: Catalogue, notes: list[Note], columns: tuple[str, ...]) -> str:
    """One list item per paper: the title, then its facts on a line below.

    A list, not a table: a five-column table was 510 px wide on a 390 px phone.
    """
    key_of = {slug: key for key, slug in cat.slugs.items()}
    papers = {p.key: p for p in cat.papers}
    lines = []
    for note in notes:
        paper = papers[key_of[note.slug]]
        facts = {
            "Status": STATUS_LABELS[note.status],
            "Priority": f"priority {note.priority}",
            "Rating": f'<span aria-label="rated {note.rating} of 5">{stars(note.rating)}</span>' if note.rating else "",
            "Added": f"added {note.added}" if note.added else "",
            "Your tags": ("your tags: " + ", ".join(markdown_text(t) for t in note.tags)) if note.tags else "",
        }
        shown = " · ".join(facts[c] for c in columns if c != "Paper" and facts[c])
        lines.append(
            f"- [{markdown_text(paper.title)}](../{PAPERS_DIR}/{note.slug}.md){date_markdown(paper)}"
            + (f'<br><span class="rl-facts">{shown}</span>' if shown else "")
        )
    return '<div class="rl-queue" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n"


def render_queue(cat: Catalogue) -> str:
    notes = by_priority([n for n in cat.notes.values() if n.status in ("to-read", "reading")])
    parts = [front_matter({"title": "Reading queue"}), "# Reading queue\n"]
    if notes:
        parts.append(
            f"{count_label(len(notes), 'paper')} to read: the one you are reading first, "
            "then by priority (1 first), then the oldest added.\n"
        )
        parts.append(_rows(cat, notes, ("Paper", "Status", "Priority", "Added", "Your tags")))
    else:
        parts.append("*The queue is empty.*\n")
    parts.append(HOW_TO + "\n")
    parts.append("## Exports { data-search-exclude }\n")
    parts.append(export_links_markdown("..").replace("these papers", "the whole list"))
    parts.append(f"Newest papers as an Atom feed: [{FEED_NAME}](../{FEED_NAME}).\n")
    return "\n".join(parts)


def render_read(cat: Catalogue) -> str:
    notes = sorted(
        (n for n in cat.notes.values() if n.status == "read"),
        key=lambda n: (-(n.rating or 0), "" if n.added is None else _desc(n.added), n.slug),
    )
    parts = [front_matter({"title": "Read"}), "# Read\n"]
    if notes:
        parts.append(f"{count_label(len(notes), 'paper')} read, best rated first, then the most recently added.\n")
        parts.append(_rows(cat, notes, ("Paper", "Rating", "Added", "Your tags")))
    else:
        parts.append("*Nothing marked as read yet.*\n")
    parts.append(HOW_TO + "\n")
    return "\n".join(parts)


def _desc(date: str) -> str:
    """An ISO date turned so that sorting ascending puts the newest first."""
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


def render_reading(cat: Catalogue) -> dict[str, str]:
    return {f"{READING_DIR}/queue.md": render_queue(cat), f"{READING_DIR}/read.md": render_read(cat)}
