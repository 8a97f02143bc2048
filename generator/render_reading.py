"""The reader's pages: the reading queue (to-read and reading, by priority) and what has been read."""

from __future__ import annotations

from generator.cards import CardView, card_list, card_views, root_of
from generator.exports import FEED_NAME, export_links_markdown
from generator.models import Catalogue, Note
from generator.notes import by_priority
from generator.pages import count_label, front_matter

READING_DIR = "reading"
QUEUE = f"{READING_DIR}/queue.md"
READ = f"{READING_DIR}/read.md"
# What a reader needs to know; how the owner edits the queue is in the README ("Reading list").
HOW_TO = "The owner of this list keeps this page: priorities, ratings and notes are theirs."


def _cards(
    cat: Catalogue,
    notes: list[Note],
    views: dict[str, CardView],
    directory_urls: bool,
    page: str,
    key_of: dict[str, str] | None = None,
) -> str:
    """The notes' papers as cards (the reading state on each), in the notes' order."""
    key_of = key_of if key_of is not None else {slug: key for key, slug in cat.slugs.items()}
    chosen = [views[key_of[n.slug]] for n in notes]
    return card_list(chosen, root_of(page, directory_urls), directory_urls, "rl-queue")


def render_queue(
    cat: Catalogue,
    views: dict[str, CardView] | None = None,
    directory_urls: bool = True,
    key_of: dict[str, str] | None = None,
) -> str:
    notes = by_priority([n for n in cat.notes.values() if n.status in ("to-read", "reading")])
    parts = [front_matter({"title": "Reading queue"}), "# Reading queue\n"]
    if notes:
        parts.append(
            f"{count_label(len(notes), 'paper')} to read: the one you are reading first, "
            "then by priority (1 first), then the oldest added.\n"
        )
        parts.append(_cards(cat, notes, views or card_views(cat), directory_urls, QUEUE, key_of))
    else:
        parts.append("*The queue is empty.*\n")
    parts.append(HOW_TO + "\n")
    parts.append("## Exports { data-search-exclude }\n")
    parts.append(export_links_markdown("..").replace("these papers", "the whole list"))
    parts.append(f"Newest papers as an Atom feed: [{FEED_NAME}](../{FEED_NAME}).\n")
    return "\n".join(parts)


def render_read(
    cat: Catalogue,
    views: dict[str, CardView] | None = None,
    directory_urls: bool = True,
    key_of: dict[str, str] | None = None,
) -> str:
    notes = sorted(
        (n for n in cat.notes.values() if n.status == "read"),
        key=lambda n: (-(n.rating or 0), "" if n.added is None else _desc(n.added), n.slug),
    )
    parts = [front_matter({"title": "Read"}), "# Read\n"]
    if notes:
        parts.append(f"{count_label(len(notes), 'paper')} read, best rated first, then the most recently added.\n")
        parts.append(_cards(cat, notes, views or card_views(cat), directory_urls, READ, key_of))
    else:
        parts.append("*Nothing marked as read yet.*\n")
    parts.append(HOW_TO + "\n")
    return "\n".join(parts)


def _desc(date: str) -> str:
    """An ISO date turned so that sorting ascending puts the newest first."""
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


def render_reading(
    cat: Catalogue,
    views: dict[str, CardView] | None = None,
    directory_urls: bool = True,
    key_of: dict[str, str] | None = None,
) -> dict[str, str]:
    """Both reading pages; `key_of` (slug -> paper key, records.Index) saves rebuilding it."""
    views = views if views is not None else card_views(cat)
    return {
        QUEUE: render_queue(cat, views, directory_urls, key_of),
        READ: render_read(cat, views, directory_urls, key_of),
    }
