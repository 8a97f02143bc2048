"""Machine-readable exports of the catalogue: JSON, BibTeX, CSV and an Atom feed. Pure: text in, text out.

The same functions serve the whole list (site root) and each tag
(`tags/<tag-slug>/papers.{json,bib,csv}`), so the two never drift apart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from generator import jsonbytes
from generator.links import abstract_links, arxiv_url
from generator.models import Catalogue, Paper, Tag, framed
from generator.pages import TAGS_DIR, paper_url
from generator.pages import listing_label as listing_name
from generator.parse import listing_title
from generator.textclean import clean_text

EXPORT_NAMES = ("papers.json", "papers.bib", "papers.csv")
FEED_NAME = "feed.xml"
FEED_LIMIT = 500  # entries in the feed: enough for any reader, small enough to fetch
# Entries in a tag's feed: 51 tags x 50 abstracts (5 MB) stays small at any corpus size. A feed reader keeps
# what it has fetched; 100 cost 0.5 KB of every paper of a 10,000-paper site (issue 16).
TAG_FEED_LIMIT = 50
CSV_FIELDS = (
    "slug",
    "url",
    "title",
    "abstract",
    "tags",
    "code_links",
    "project_links",
    "related",
    "status",
    "priority",
    "rating",
    "added",
    "note_tags",
    "listings",
    "arxiv_id",
    "authors",
    "date",
)


def paper_record(cat: Catalogue, paper: Paper, directory_urls: bool) -> dict:
    """One paper as papers.json shows it; fields documented in the README."""
    slug = cat.slugs[paper.key]
    note = cat.notes.get(paper.key)
    clean = clean_text(paper.abstract, cat.clean)
    return {
        "slug": slug,
        "url": paper_url(slug, directory_urls),
        "title": paper.title,
        "abstract": paper.abstract,
        "abstract_clean": None if clean == paper.abstract else clean,  # null: the same text as `abstract`
        "tags": [m.tag for m in cat.matches[paper.key]],
        "tag_matches": [{"tag": m.tag, "phrase": m.phrase, "field": m.field} for m in cat.matches[paper.key]],
        "links": [{"url": link.url, "kind": link.kind} for link in abstract_links(paper.abstract, cat.links)],
        "related": [cat.slugs[k] for k in cat.related.get(paper.key, ())],
        "note": None
        if note is None
        else {
            "status": note.status,
            "priority": note.priority,
            "rating": note.rating,
            "added": note.added,
            "tags": list(note.tags),
            "note": note.note,
        },
        "arxiv_id": paper.arxiv_id,
        "authors": list(paper.authors),
        "authors_count": paper.authors_count,
        "published": paper.published,
        "date": paper.day,
        "provenance": [
            {"source": v.source, "line": v.line, "date": v.date, "day": v.day, "listing": listing_title(v.source)}
            for v in paper.provenance
        ],
    }


@dataclass(frozen=True)
class Rows:
    """Each paper's line in every export, made and encoded once, shared by the whole-list and per-tag files.

    Bytes, not text: one non-ASCII character makes a Python string take 2 or 4
    bytes per character, and bytes join at memcpy speed.
    """

    json: dict[str, bytes]  # paper key -> its papers.json line
    bib: dict[str, bytes]  # paper key -> its BibTeX entry
    csv: dict[str, bytes]  # paper key -> its CSV row


def export_rows(cat: Catalogue, papers: list[Paper] | tuple[Paper, ...], directory_urls: bool) -> Rows:
    return Rows(
        {p.key: jsonbytes.dumps(paper_record(cat, p, directory_urls)) for p in papers},
        {p.key: bib_entry(cat, p).encode() for p in papers},
        {p.key: csv_row(cat, p, directory_urls).encode() for p in papers},
    )


def papers_json(papers: list[Paper] | tuple[Paper, ...], rows: Rows) -> bytes:
    """{"papers": [...]}, one paper per line: diffable, and written by json's fast C encoder."""
    lines = [rows.json[p.key] for p in papers]
    return framed(b'{"papers": [\n', lines, b",\n", b"\n]}\n" if lines else b"]}\n")


# papers.bib is UTF-8 (biber, bibtexparser and modern BibTeX read it); only the
# characters that are syntax in a field value are escaped. Braces become
# \textbrace... commands so that a value's braces always balance.
BIB_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)


BIB_SPECIALS = re.compile("[" + re.escape("".join(chr(c) for c in BIB_ESCAPES)) + "]")


def bib_value(text: str) -> str:
    """Unicode text -> a BibTeX field value (UTF-8) whose braces always balance."""
    # A regex pass that looks up only the characters it finds: faster than str.translate.
    return BIB_SPECIALS.sub(lambda m: BIB_ESCAPES[ord(m.group())], " ".join(text.split()))


def listing_label(paper: Paper) -> str:
    return "; ".join(listing_name(v) for v in paper.provenance)


def bib_entry(cat: Catalogue, paper: Paper) -> str:
    """A @misc entry keyed by the paper's slug (stable across regenerations).

    What a citation needs, without the abstract: papers.json and papers.csv hold it, and at 1.3 KB of
    every paper it was most of papers.bib (issue 16: the site must stay under 1 GB)."""
    slug = cat.slugs[paper.key]
    # Inner braces keep the title's capitals; each author's name is braced so that BibTeX never
    # reads "and" inside a name as a separator, nor reorders a name it cannot split.
    authors = " and ".join("{" + bib_value(a) + "}" for a in paper.authors) if paper.authors else "Unknown"
    fields = [("title", "{" + bib_value(paper.title) + "}"), ("author", authors)]
    if paper.day:
        fields.append(("year", paper.day[:4]))
    if paper.arxiv_id:
        fields += [("eprint", bib_value(paper.arxiv_id)), ("archivePrefix", "arXiv")]
    unknown = [what for what, known in (("Authors", paper.authors), ("year", paper.day)) if not known]
    missing = f"{' and '.join(unknown)} unknown: the source listings do not give them. " if unknown else ""
    fields.append(("note", bib_value(f"{missing[:1].upper()}{missing[1:]}Listed in {listing_label(paper)}.")))
    code = [link.url for link in abstract_links(paper.abstract, cat.links)]
    if paper.arxiv_id:
        fields.append(("url", bib_value(arxiv_url(paper.arxiv_id))))
    elif code:
        fields.append(("url", bib_value(code[0])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{slug},\n{body}\n}}\n"


BIB_HEADER = b"% Generated by readinglist. Authors and years are given where a listing gives them.\n\n"


def papers_bib(papers: list[Paper] | tuple[Paper, ...], rows: Rows) -> bytes:
    return framed(BIB_HEADER, [rows.bib[p.key] for p in papers], b"\n", b"")


# Rows end in CRLF (RFC 4180). With a bare LF the csv module leaves a cell holding a lone CR unquoted,
# and every CSV reader starts a new row there: text after it would land in a cell of its own, where a
# leading "=" is a formula again. With CRLF the module quotes any cell holding CR or LF.
LINE_END = "\r\n"
CSV_HEADER = (",".join(CSV_FIELDS) + LINE_END).encode()  # what csv.DictWriter.writeheader writes for these names


def papers_csv(papers: list[Paper] | tuple[Paper, ...], rows: Rows) -> bytes:
    """One row per paper; list-valued columns are space-separated."""
    return framed(CSV_HEADER, [rows.csv[p.key] for p in papers], b"", b"")


# A cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets (OWASP, "CSV Injection"); a leading single quote makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | int) -> str | int:
    """A CSV cell that no spreadsheet reads as a formula: risky text gets a leading `'`."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_row(cat: Catalogue, paper: Paper, directory_urls: bool) -> str:
    """One paper's CSV line (quoted as the csv module quotes it; formula-like cells neutralised)."""
    note = cat.notes.get(paper.key)
    links = abstract_links(paper.abstract, cat.links)
    row = {
        "slug": cat.slugs[paper.key],
        "url": paper_url(cat.slugs[paper.key], directory_urls),
        "title": paper.title,
        "abstract": clean_text(paper.abstract, cat.clean),
        "tags": " ".join(m.tag for m in cat.matches[paper.key]),
        "code_links": " ".join(link.url for link in links if link.kind == "code"),
        "project_links": " ".join(link.url for link in links if link.kind != "code"),
        "related": " ".join(cat.slugs[k] for k in cat.related.get(paper.key, ())),
        "status": note.status if note else "",
        "priority": note.priority if note else "",
        "rating": note.rating if note and note.rating else "",
        "added": note.added or "" if note else "",
        "note_tags": " ".join(note.tags) if note else "",
        "listings": " ".join(v.source for v in paper.provenance),
        "arxiv_id": paper.arxiv_id or "",
        "authors": "; ".join(paper.authors),
        "date": paper.day or "",
    }
    return csv_line([csv_cell(value) for value in row.values()])  # (row's keys are CSV_FIELDS, in order)


# What makes the csv module's default dialect (QUOTE_MINIMAL) quote a cell: the delimiter, the quote character, or
# a character of the line end.
CSV_QUOTED = tuple(',"' + LINE_END)


def csv_line(cells: list) -> str:
    """One CSV line, as csv.DictWriter(lineterminator=LINE_END).writerow writes it (that writer's defaults):
    a cell is quoted when it holds a comma, a quote (doubled inside) or a line-end character. Text and whole
    numbers are written here, twice as fast as a csv.writer made for each row (50,000 rows of 2 KB: 0.80 s
    -> 0.38 s); any other cell goes through the csv module itself."""
    if len(cells) == 1 and cells[0] == "" or not all(type(cell) in (str, int) for cell in cells):
        out = io.StringIO()
        csv.writer(out, lineterminator=LINE_END).writerow(cells)
        return out.getvalue()
    parts = [cell if type(cell) is str else str(cell) for cell in cells]
    for i, text in enumerate(parts):
        if any(mark in text for mark in CSV_QUOTED):
            parts[i] = '"' + text.replace('"', '""') + '"'
    return ",".join(parts) + LINE_END


def feed_order(cat: Catalogue) -> list[Paper]:
    """Dated papers newest first; then the others by listing, newest listing (last in file-name
    order) first, then by line. A paper listed several times appears once, under its newest listing.
    """
    rank = {source: i for i, source in enumerate(cat.sources)}

    def key(paper: Paper) -> tuple[int, int]:
        newest = max(paper.provenance, key=lambda v: (rank.get(v.source, -1), -v.line))
        return (-rank.get(newest.source, -1), newest.line)

    by_listing = sorted(cat.papers, key=key)
    dated = sorted((p for p in by_listing if p.day), key=lambda p: p.day or "", reverse=True)  # stable
    return dated + [p for p in by_listing if not p.day]


def atom_feed(cat: Catalogue, directory_urls: bool, site_url: str | None, updated: dt.datetime) -> str:
    """An Atom feed of the newest papers. Entry ids are `urn:readinglist:paper:<slug>`, stable forever.

    Links are absolute when the site URL is known, otherwise relative to the site root.
    `updated` is passed in (not "now") so that the same input gives the same feed.
    """
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    return _feed(
        cat,
        feed_order(cat)[:FEED_LIMIT],
        directory_urls,
        updated,
        feed_id=f"{base}{FEED_NAME}" if base else "urn:readinglist:feed",
        title="Reading list: newest papers",
        self_href=f"{base}{FEED_NAME}" if base else FEED_NAME,
        page_href=base or "./",
        base=base,
    )


def tag_feed(
    cat: Catalogue, tag: Tag, papers: list[Paper], directory_urls: bool, site_url: str | None, updated: dt.datetime
) -> Callable[[], bytes]:
    """tags/<slug>/feed.xml: the newest of a tag's `papers` (in `feed_order`), made as the whole list's
    feed is (same escaping).

    Without a site URL its links are relative to the feed itself, two folders below the root.
    A function making the bytes, as for the other per-tag files.
    """
    base = (site_url or "").rstrip("/") + "/" if site_url else "../../"
    tail = "/" if directory_urls else ".html"
    own = f"{TAGS_DIR}/{tag.slug}/{FEED_NAME}"

    newest = tuple(papers[:TAG_FEED_LIMIT])

    def make() -> bytes:
        return _feed(
            cat,
            list(newest),
            directory_urls,
            updated,
            feed_id=f"{base}{own}" if site_url else f"urn:readinglist:feed:tag:{tag.slug}",
            title=f"Reading list: {tag.name}",
            self_href=f"{base}{own}" if site_url else FEED_NAME,
            page_href=f"{base}{TAGS_DIR}/{tag.slug}{tail}",
            base=base,
        ).encode("utf-8")

    return make


def _feed(
    cat: Catalogue,
    papers: list[Paper],
    directory_urls: bool,
    updated: dt.datetime,
    *,
    feed_id: str,
    title: str,
    self_href: str,
    page_href: str,
    base: str,
) -> str:
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.subtitle("Papers in listing order, newest listing first.")
    fg.link(href=self_href, rel="self")
    fg.link(href=page_href, rel="alternate")
    fg.language("en")
    newest = max((p.day for p in papers if p.day), default=None)
    if newest is not None:  # never older than its newest entry
        updated = max(updated, dt.datetime.fromisoformat(newest).replace(tzinfo=dt.UTC))
    fg.updated(updated)
    for paper in papers:
        slug = cat.slugs[paper.key]
        entry = fg.add_entry(order="append")
        entry.id(f"urn:readinglist:paper:{slug}")
        entry.title(paper.title)
        entry.link(href=base + paper_url(slug, directory_urls), rel="alternate")
        entry.summary(clean_text(paper.abstract, cat.clean))
        if paper.day:  # the paper's real date; else the build's stamp
            day = dt.datetime.fromisoformat(paper.day).replace(tzinfo=dt.UTC)
            entry.published(day)
            entry.updated(day)
        else:
            entry.updated(updated)
        for name in paper.authors or ("Unknown",):
            entry.author({"name": name})
        for match in cat.matches[paper.key]:
            entry.category(term=match.tag)
    return fg.atom_str(pretty=True).decode("utf-8")


def export_files(papers: list[Paper] | tuple[Paper, ...], rows: Rows) -> dict[str, Callable[[], bytes]]:
    """{file name: function making its bytes} for the three exports of a set of papers.

    Each is made when first asked for, and kept: the writer hashes it and may write it, the kept work
    (generator/stored.py) finds each paper's rows in it, and the offline build wraps it in a script. Made
    on each of those calls, they took 5.7 s of a 50,000-paper run's profile.
    """
    papers = tuple(papers)
    return {
        "papers.json": once(lambda: papers_json(papers, rows)),
        "papers.bib": once(lambda: papers_bib(papers, rows)),
        "papers.csv": once(lambda: papers_csv(papers, rows)),
    }


def once(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """`make`, called on the first call only: later calls return the same bytes."""
    made: list[bytes] = []

    def kept() -> bytes:
        if not made:
            made.append(make())
        return made[0]

    return kept


def export_links_markdown(folder: str) -> str:
    """The download line for a page; `folder` is relative to the page's Markdown file ('' for beside it)."""
    prefix = f"{folder}/" if folder else ""
    links = " · ".join(
        f"[{label}]({prefix}{name})" for label, name in zip(("JSON", "BibTeX", "CSV"), EXPORT_NAMES, strict=True)
    )
    return f"**Download these papers:** {links}\n{{ data-search-exclude }}\n"


# Per-tag downloads, made in the browser (docs/javascripts/tag-export.js) from the whole-list exports:
# a tag's papers.json, papers.bib and papers.csv repeated every paper about four times over (43% of a
# 10,000-paper site). The tag page holds only where its papers sit in the whole list; the script cuts
# those items out of the whole-list file and joins them as `papers_json`, `papers_bib` and
# `papers_csv` do, so a tag's download is byte for byte what these functions make for its papers.
DOWNLOADS_DIR = "downloads"  # offline build only: downloads/papers.json.js ... (scripts load from file://)
EXPORT_LABELS = {"papers.json": "JSON", "papers.bib": "BibTeX", "papers.csv": "CSV"}


def slug_digest(slugs: list[str] | tuple[str, ...]) -> str:
    """CRC-32 of the slugs joined by newlines, in UTF-8, as 8 hex digits: the tag page's proof that the
    whole-list file the browser loaded is the one its positions point into (a cached page, a new list).
    (zlib's, in C: the FNV-1a it replaced ran a Python step per character, 1 s at 50,000 papers.)"""
    return f"{zlib.crc32(chr(10).join(slugs).encode('utf-8')):08x}"


def download_box_html(tag_slug: str, positions: list[int], total: int, digest: str, root: str, offline: bool) -> str:
    """The tag page's download buttons (raw HTML): the tag's papers as their positions in the whole list.

    `root` leads from the page to the site root; `offline` (file://) makes the script load the
    whole-list files as scripts (downloads/*.js), since browsers refuse fetch() there.
    """
    buttons = " · ".join(
        f'<button type="button" class="rl-export__button" data-export="{name}">{label}</button>'
        for name, label in EXPORT_LABELS.items()
    )
    offline_attr = " data-offline" if offline else ""
    return (
        f'<div id="rl-export" class="rl-export" data-search-exclude data-tag="{tag_slug}" data-root="{root}" '
        f'data-total="{total}" data-digest="{digest}"{offline_attr} data-papers="{" ".join(map(str, positions))}">\n'
        f"<p hidden><strong>Download these papers:</strong> {buttons} "
        '<span class="rl-export__status" role="status"></span></p>\n'
        "<noscript><p>Downloading one tag's papers needs JavaScript; the whole list is at the "
        f'<a href="{root}papers.json">JSON</a>, <a href="{root}papers.bib">BibTeX</a> and '
        f'<a href="{root}papers.csv">CSV</a> downloads.</p></noscript>\n'
        f'<script src="{root}javascripts/tag-export.js" defer></script>\n'
        "</div>\n"
    )


def download_scripts(files: dict[str, Callable[[], bytes]]) -> dict[str, Callable[[], bytes]]:
    """downloads/<name>.js for the offline build: each whole-list export as a JavaScript string, which a
    script element loads from file://. `files` is `export_files` of the whole list."""

    def script(name: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        def text() -> bytes:
            literal = json.dumps(make().decode("utf-8"), ensure_ascii=False)
            return f"(window.rlExports = window.rlExports || {{}})[{json.dumps(name)}] = {literal};\n".encode()

        return text

    return {f"{DOWNLOADS_DIR}/{name}.js": script(name, make) for name, make in files.items()}
