"""The reader's reading-list state (corpus/notes.yml, already loaded) -> validated Note values.

The generator only reads notes.yml, never writes it, so what a reader records
survives every regeneration. Errors name the file and the slug; a note for a
paper in no listing is a warning (an error under --strict) and is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from generator.errors import GeneratorError
from generator.models import Note, Problem
from generator.overrides import unknown_slug_message

STATUSES = ("to-read", "reading", "read")
NOTE_KEYS = {"status", "priority", "rating", "added", "note", "tags"}
TAG_RE = re.compile(r"^[\w][\w .+#-]{0,39}$")
# Links in a note may go to the web, to mail or within the site; never to script.
LINK_TARGET = re.compile(
    r"\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*):|^\s*\[[^\]]+\]:\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*):", re.M
)
SAFE_SCHEMES = {"http", "https", "mailto"}


def load_notes(
    data: Any, path: str, slugs: list[str], text: str | None = None
) -> tuple[dict[str, Note], list[Problem]]:
    """Raw YAML -> ({slug: Note}, warnings). A slug of no paper is a warning naming the line
    (found in `text`, the file as written) and the closest slug; that note is ignored."""
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        raise GeneratorError("expected a mapping of paper slug -> note (status, priority, ...)", path)
    known = set(slugs)
    lines = key_lines(text)
    notes: dict[str, Note] = {}
    problems: list[Problem] = []
    for slug, item in data.items():
        note = validate_note(str(slug), item, path)
        if not isinstance(slug, str) or slug not in known:
            line = lines.get(str(slug), 0)
            problems.append(Problem(path, line, unknown_slug_message(str(slug), slugs, "note")))
            continue
        notes[slug] = note
    return notes, problems


def key_lines(text: str | None) -> dict[str, int]:
    """{top-level key: its line} of a YAML mapping; {} when the text is missing or not a mapping."""
    if not text:
        return {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in root.value if isinstance(key, yaml.ScalarNode)}


def validate_note(slug: str, item: Any, path: str) -> Note:
    label = f"{slug}"
    if item is None:
        item = {}
    if not isinstance(item, dict):
        raise GeneratorError(f"{label}: expected a mapping with status, priority, rating, added, note, tags", path)
    unknown = sorted(str(k) for k in set(item) - NOTE_KEYS)
    if unknown:
        raise GeneratorError(
            f"{label}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(NOTE_KEYS))}", path
        )
    status = item.get("status", "to-read")
    if status not in STATUSES:
        raise GeneratorError(f"{label}: status must be one of {', '.join(STATUSES)}, not {status!r}", path)
    priority = _small_int(item.get("priority", 3), f"{label}: priority", path)
    rating = item.get("rating")
    if rating is not None:
        rating = _small_int(rating, f"{label}: rating", path)
    added = item.get("added")
    if added is not None:
        added = _date(added, f"{label}: added", path)
    note = item.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise GeneratorError(f"{label}: note must be text (Markdown); use `note: |` for several lines", path)
    for match in LINK_TARGET.finditer(note):
        scheme = (match.group(1) or match.group(2)).lower()
        if scheme not in SAFE_SCHEMES:
            raise GeneratorError(f"{label}: note links may use http, https or mailto, not {scheme!r}", path)
    tags = item.get("tags", [])
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) and TAG_RE.match(t) for t in tags):
        raise GeneratorError(
            f"{label}: tags must be a list of short words (letters, digits, space, - . + #; at most 40 characters)",
            path,
        )
    return Note(slug, status, priority, rating, added, note.strip(), tuple(dict.fromkeys(tags)))


def _small_int(value: Any, label: str, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise GeneratorError(f"{label} must be a whole number from 1 to 5, not {value!r}", path)
    return value


def _date(value: Any, label: str, path: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise GeneratorError(f"{label} must be a date written YYYY-MM-DD, not {value!r}", path)


def note_markdown(text: str) -> str:
    """The reader's Markdown, with raw HTML and attribute lists disarmed.

    The note is trusted as Markdown but must not inject markup: `<`, `>` and `&`
    become character references (no raw HTML, no autolinks), and so does `{`
    (attr_list could otherwise add an onclick attribute).
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("{", "&#123;")


def by_priority(notes: list[Note]) -> list[Note]:
    """Reading first, then by priority (1 first), then oldest added, then slug."""
    return sorted(notes, key=lambda n: (n.status != "reading", n.priority, n.added or "9999", n.slug))
