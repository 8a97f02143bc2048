"""Catalogue -> {relative path: file text}. Pure: builds the whole site plan in memory.

Paper pages live in render_paper.py, tag pages in render_tags.py; this module
holds what they share, the home page and papers.json, and assembles the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from functools import partial

from generator import exports, parallel
from generator.escape import markdown_text
from generator.models import Catalogue, Content, Paper
from generator.pages import PAPERS_DIR, TAGS_DIR, count_label, front_matter, shown_day
from generator.parse import listing_title
from generator.render_paper import listing_name, render_paper
from generator.render_reading import render_reading
from generator.render_tags import co_occurrence, papers_by_tag, render_tag, render_tag_index


def render_home(cat: Catalogue) -> str:
    untagged = sum(1 for p in cat.papers if not cat.matches[p.key])
    listed = Counter(prov.source for p in cat.papers for prov in p.provenance)
    rows = "\n".join(
        f"| {listing_name(s)} | {markdown_text(listing_title(s) or '')} | {markdown_text(listing_date(cat, s))} "
        f"| {listed.get(s, 0)} |"
        for s in cat.sources
    )
    return "\n".join(
        [
            front_matter({"title": "Reading list"}),
            "# Reading list\n",
            f"A searchable reading list of **{count_label(len(cat.papers), 'paper')}** "
            f"collected from {count_label(len(cat.sources), 'listing')} of research papers, "
            f"deduplicated and sorted into **{count_label(len(cat.tags), 'tag')}**.\n",
            "## Find a paper\n",
            "- **Search:** type in the search box at the top of every page (or press <kbd>S</kbd> or <kbd>/</kbd>). "
            "Titles, abstracts and tag names are searched.\n"
            "- **Browse by topic:** open [Tags](tags/index.md) to see every tag with its number of papers, "
            "then a tag to see its papers.\n"
            "- Each paper page shows your note, the abstract, its tags, code links, related papers, "
            "a BibTeX entry to copy and the listings it came from.\n"
            "- **Your reading list:** [Reading queue](reading/queue.md) and [Read](reading/read.md). "
            "**Downloads:** [JSON](papers.json), [BibTeX](papers.bib), [CSV](papers.csv), [Atom feed](feed.xml).\n",
            "## Listings\n",
            "| Listing | Title | Date | Entries kept |\n|---|---|---|---|\n" + rows + "\n",
            f"{count_label(untagged, 'paper')} matched no tag. See [About](about.md) for how the list is made.\n",
        ]
    )


def listing_date(cat: Catalogue, source: str) -> str:
    """A listing's date as the home page shows it: "11 Mar 2025", "Mar 11 (year unknown)" or "no date"."""
    day, date = cat.days.get(source), cat.dates.get(source)
    if day:
        return shown_day(day)
    return f"{date} (year unknown)" if date else "no date"


PaperFiles = tuple[bytes, bytes, bytes, bytes]  # page, papers.json line, BibTeX entry, CSV row


def paper_inputs(cat: Catalogue, paper: Paper, titles: dict[str, str], by_slug: dict, directory_urls: bool) -> tuple:
    """Everything a paper's page and export rows are made from: equal inputs make equal files."""
    matches = cat.matches[paper.key]
    return (
        paper,
        cat.slugs[paper.key],
        matches,
        tuple(by_slug[m.tag] for m in matches),
        cat.notes.get(paper.key),
        tuple((cat.slugs[k], titles[k]) for k in cat.related.get(paper.key, ())),
        directory_urls,
    )


def paper_files(cat: Catalogue, directory_urls: bool) -> tuple[dict[str, bytes], exports.Rows]:
    """Every paper's page and export rows, in paper order.

    Made on every core (generator/parallel.py), and only for papers whose inputs
    changed since this process last made them (`readinglist serve` regenerates
    in the same process after each edit). Pages come back encoded: a str holding
    one non-ASCII character takes 2 or 4 bytes per character.
    """
    global _MADE
    titles = {p.key: p.title for p in cat.papers}
    by_slug = {t.slug: t for t in cat.tags}
    inputs = {p.key: paper_inputs(cat, p, titles, by_slug, directory_urls) for p in cat.papers}
    made = {inputs[p.key]: _MADE[inputs[p.key]] for p in cat.papers if inputs[p.key] in _MADE}
    todo = [p for p in cat.papers if inputs[p.key] not in made]

    def make(piece: Sequence[Paper]) -> list[PaperFiles]:
        rows = exports.export_rows(cat, piece, directory_urls)
        return [
            (render_paper(cat, p, titles).encode("utf-8"), rows.json[p.key], rows.bib[p.key], rows.csv[p.key])
            for p in piece
        ]

    workers = parallel.jobs(len(todo))
    pieces = parallel.chunks(todo, 2 * workers) if todo else []
    for piece, files in zip(pieces, parallel.run_all([partial(make, p) for p in pieces], workers), strict=True):
        made.update(zip((inputs[p.key] for p in piece), files, strict=True))
    _MADE = made  # this corpus's papers only: the memo never outgrows the corpus
    pages: dict[str, bytes] = {}
    rows = exports.Rows({}, {}, {})
    for p in cat.papers:
        page, json_line, bib, csv_line = made[inputs[p.key]]
        pages[f"{PAPERS_DIR}/{cat.slugs[p.key]}.md"] = page
        rows.json[p.key], rows.bib[p.key], rows.csv[p.key] = json_line, bib, csv_line
    return pages, rows


# {paper inputs: its files}, from this process's last run.
_MADE: dict[tuple, PaperFiles] = {}


def render_site(
    cat: Catalogue, directory_urls: bool = True, site_url: str | None = None, updated: dt.datetime | None = None
) -> dict[str, Content]:
    """The complete generated part of docs/: {posix relative path: text, or a function making its bytes}.

    `site_url` makes the feed's links absolute; `updated` stamps the feed
    (default: the Unix epoch, so that the same input gives the same bytes).
    """
    plan: dict[str, Content] = {"index.md": render_home(cat)}
    grouped = papers_by_tag(cat)
    plan[f"{TAGS_DIR}/index.md"] = render_tag_index(cat, grouped)
    together = co_occurrence(cat)
    pages, rows = paper_files(cat, directory_urls)
    for tag in cat.tags:
        plan[f"{TAGS_DIR}/{tag.slug}.md"] = render_tag(cat, tag, grouped[tag.slug], together)
        for name, text in exports.export_files(grouped[tag.slug], rows).items():
            plan[f"{TAGS_DIR}/{tag.slug}/{name}"] = text
    plan.update(pages)
    plan.update(render_reading(cat))
    plan.update(exports.export_files(cat.papers, rows))
    stamp = updated or dt.datetime.fromtimestamp(0, dt.UTC)
    plan[exports.FEED_NAME] = exports.atom_feed(cat, directory_urls, site_url, stamp)
    return plan
