"""The reader's reading-list state (corpus/notes.yml, already loaded) -> validated Note values.

The generator only reads notes.yml, never writes it, so what a reader records
survives every regeneration. Errors name the file and the slug; a note for a
paper in no listing is a warning (an error under --strict) and is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
import yaml

from generator.errors import GeneratorError
from generator.models import Note, Problem
from generator.overrides import unknown_slug_message

STATUSES = ("to-read", "reading", "read")
NOTE_KEYS = {"status", "priority", "rating", "added", "note", "tags"}
TAG_RE = re.compile(r"^[\w][\w .+#-]{0,39}$")
# Links in a note may go to the web or to mail; never to script. They are checked
# in the HTML the note becomes, where the browser will read them, not in the
# Markdown (reference links, entities and line breaks hide a scheme there).
SAFE_SCHEMES = {"http", "https", "mailto"}
# What a browser drops from a URL before reading its scheme (and more: any
# control character or space, wherever it stands, so `java\vscript:` is javascript).
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
# Harmless formatting only: no images (nothing is fetched from elsewhere), no
# forms, no script, no style, no class or id.
NOTE_TAGS = {"a", "blockquote", "br", "code", "del", "em", "hr", "li", "ol", "p", "pre", "strong", "ul"}
NOTE_TAGS |= {"table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "sub", "sup", "kbd", "s"}
NOTE_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# Python-Markdown's processors that pass raw HTML through: without them `<b>` is text.
RAW_HTML_PROCESSORS = (("preprocessors", "html_block"), ("inlinePatterns", "html"))
# Python-Markdown's link parser is quadratic in `[` (50,000 take over a minute) and its block parser
# recurses once per level of nesting (a list 1,000 deep is a RecursionError). A note is a reader's
# comment: these limits are far above any real one.
NOTE_MAX_CHARS = 10_000
NOTE_MAX_BRACKETS = 500
NOTE_MAX_DEPTH = 20
# The markers that open a level at the start of a line: a list item (-, *, +, 1.) or a quote (>).
LEVEL_MARKERS = re.compile(r"(?:[-*+>]|\d{1,9}[.)])(?=\s|$)")


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
        note = validate_note(str(slug), item, path, lines.get(str(slug)))
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


def validate_note(slug: str, item: Any, path: str, line: int | None = None) -> Note:
    """One note's YAML -> Note; errors name the file, the slug's `line` when known, and the slug."""
    try:
        return _validate_note(slug, item, path)
    except GeneratorError as exc:
        if line is None or exc.line is not None:
            raise
        raise GeneratorError(exc.message, exc.path, line) from exc


def nesting(text: str) -> int:
    """The deepest nesting a line of Markdown opens: list and quote markers at its start, and
    indentation (four columns a level)."""
    deepest = 0
    for line in text.splitlines():
        body = line.lstrip(" \t")
        indent = len(line[: len(line) - len(body)].expandtabs(4))
        levels = indent // 4
        while True:
            marker = LEVEL_MARKERS.match(body)
            if marker is None:
                break
            levels += 1
            body = body[marker.end() :].lstrip(" \t")
        deepest = max(deepest, levels)
    return deepest


def check_note_size(label: str, note: str, path: str) -> None:
    """Refuse, before Markdown sees it, a note that would take minutes or exhaust the stack."""
    if len(note) > NOTE_MAX_CHARS:
        raise GeneratorError(f"{label}: note is too long ({len(note):,} characters; at most {NOTE_MAX_CHARS:,})", path)
    brackets = note.count("[")
    if brackets > NOTE_MAX_BRACKETS:
        raise GeneratorError(
            f"{label}: note has too many links or brackets ({brackets:,} '['; at most {NOTE_MAX_BRACKETS})", path
        )
    depth = nesting(note)
    if depth > NOTE_MAX_DEPTH:
        raise GeneratorError(
            f"{label}: note is nested too deeply ({depth} levels of lists, quotes or indentation; "
            f"at most {NOTE_MAX_DEPTH})",
            path,
        )


def _validate_note(slug: str, item: Any, path: str) -> Note:
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
    check_note_size(label, note, path)
    try:
        links = note_links(note)
    except Exception as exc:  # noqa: BLE001 - whatever Python-Markdown raises (RecursionError too) is this note's fault
        raise GeneratorError(
            f"{label}: the note cannot be rendered ({type(exc).__name__}); simplify its Markdown", path
        ) from exc
    for url in links:
        scheme = link_scheme(url)
        if scheme is not None and scheme not in SAFE_SCHEMES:
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


def link_scheme(url: str) -> str | None:
    """The scheme a browser would read in a link target (lower case), or None for a relative link."""
    match = re.match(r"([^/?#]*?):", URL_NOISE.sub("", url))
    return match.group(1).lower() if match else None


def _markdown() -> markdown.Markdown:
    """Notes' own Markdown set-up: MkDocs' defaults (tables, fenced code), no attr_list, no raw HTML."""
    md = markdown.Markdown(extensions=["tables", "fenced_code"])
    for registry, name in RAW_HTML_PROCESSORS:
        getattr(md, registry).deregister(name)
    return md


def render_note(text: str) -> str:
    """The reader's Markdown -> HTML, not yet sanitised; raw HTML in it comes out as text."""
    return _markdown().convert(text)


def note_links(text: str) -> list[str]:
    """Every link target of a note as the browser would see it, and every reference definition's URL."""
    md = _markdown()
    parser = _Links()
    parser.feed(md.convert(text))
    parser.close()
    return parser.urls + [url for url, _title in md.references.values()]


class _Links(HTMLParser):
    """Collects every URL-valued attribute, with character references decoded as a browser does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name != "href":
        return value
    if URL_NOISE.search(value):
        return None
    scheme = link_scheme(value)
    return value if scheme is None or scheme in SAFE_SCHEMES else None


def note_html(text: str) -> str:
    """The reader's Markdown -> sanitised HTML: allow-listed tags and attributes, http/https/mailto links.

    validate_note already refused a note whose links use another scheme; the
    sanitiser (nh3, Rust's ammonia) is what makes the page safe whatever slips by.
    """
    html = nh3.clean(
        render_note(text),
        tags=NOTE_TAGS,
        clean_content_tags={"script", "style"},
        attributes=NOTE_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=SAFE_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()
    # The page's Markdown reads this HTML once more before its raw-HTML step: a line of ``` or ~~~
    # would open a fenced code block that swallows the rest of the page. As character references
    # they show the same and open nothing (inside an attribute the browser decodes them alike).
    return html.replace("`", "&#96;").replace("~", "&#126;")


def by_priority(notes: list[Note]) -> list[Note]:
    """Reading first, then by priority (1 first), then oldest added, then slug."""
    return sorted(notes, key=lambda n: (n.status != "reading", n.priority, n.added or "9999", n.slug))
