"""One page per paper: title, the reader's note, clean abstract, tags, links, related papers, BibTeX, provenance.

What is not worth searching (links, related papers, BibTeX, provenance) sits
under headings marked `data-search-exclude`, which Material's search honours:
the search index stays lean.
"""

from __future__ import annotations

import re

from generator.escape import html_text, markdown_text
from generator.exports import bib_entry
from generator.links import abstract_links, arxiv_url, lookup_links, safe_href
from generator.models import Catalogue, Note, Paper, Provenance, Tag, TagMatch
from generator.notes import note_html
from generator.pages import TAGS_DIR, count_label, date_markdown, front_matter, listing_words
from generator.textclean import clean_markdown

NO_SEARCH = "{ data-search-exclude }"
STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}
ADMONITION = {"to-read": "note", "reading": "tip", "read": "success"}


def paper_tags(cat: Catalogue, paper: Paper) -> list[Tag]:
    by_slug = {t.slug: t for t in cat.tags}
    return [by_slug[m.tag] for m in cat.matches[paper.key]]


def listing_name(source: str) -> str:
    """A listing's file name, shown in code font: it is untrusted text like a title (backticks, <, newlines)."""
    return f"<code>{markdown_text(source)}</code>"


def provenance_line(listed: Provenance) -> str:
    """One "Listed in" line: the listing by its date and title, then its file and line."""
    name = listing_words(listed)
    where = f"{listing_name(listed.source)}, line {listed.line}"
    return f"{markdown_text(name)} ({where})" if name else where


def paper_facts(paper: Paper) -> str:
    """The line under the title: date, authors, arXiv identifier (what the listings give)."""
    facts = []
    date = date_markdown(paper).strip()
    if date:
        facts.append(date)
    if paper.authors:
        names = ", ".join(markdown_text(a) for a in paper.authors)
        facts.append(f"<small>{names}</small>")
    elif paper.authors_count:
        facts.append(f"<small>{count_label(paper.authors_count, 'author')}</small>")
    if paper.arxiv_id:
        facts.append(f"<small>arXiv:{markdown_text(paper.arxiv_id)}</small>")
    # A raw HTML block, not a paragraph: the abstract stays the page's first paragraph. The escaped
    # text's character references mean the same in HTML. Out of the search index, which is built
    # from papers.json (generator/search_index.py) and must find what Material's would.
    return f'<div class="rl-facts" data-search-exclude>{" · ".join(facts)}</div>\n' if facts else ""


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def note_admonition(note: Note) -> str:
    """The reader's state as an admonition, written as HTML.

    The note is rendered and sanitised here (notes.note_html) and the whole box
    is one raw HTML block, which Markdown passes through untouched: the
    sanitised HTML is what the browser gets, never re-read as Markdown.
    """
    facts = [f"<strong>{STATUS_LABELS[note.status]}</strong>", f"priority {note.priority}"]
    if note.rating is not None:
        facts.append(f"rated {stars(note.rating)}")
    if note.added:
        facts.append(f"added {html_text(note.added)}")
    if note.tags:
        facts.append("your tags: " + ", ".join(f"<code>{html_text(t)}</code>" for t in note.tags))
    body = f"<p>{' · '.join(facts)}</p>"
    if note.note:
        body += "\n" + note_html(note.note)
    return (
        f'<div class="admonition {ADMONITION[note.status]}">\n'
        f'<p class="admonition-title">My reading list</p>\n{body}\n</div>\n'
    )


def link_lines(paper: Paper, known: dict | None = None) -> str:
    lines = []
    for link in abstract_links(paper.abstract, known):
        shown = link.url.split("://", 1)[-1].rstrip("/")
        lines.append(f"**{link.label}:** [{markdown_text(shown)}]({safe_href(link.url)})")
    if paper.arxiv_id:
        url = arxiv_url(paper.arxiv_id)
        lines.append(f"**Paper:** [arXiv:{markdown_text(paper.arxiv_id)}]({safe_href(url)})")
    else:
        lookups = " · ".join(f"[{name}]({url})" for name, url in lookup_links(paper.title))
        lines.append(f"**Look up:** {lookups}")
    return "\n\n".join(lines) + "\n"


def render_paper(cat: Catalogue, paper: Paper, titles: dict[str, str] | None = None) -> str:
    """The page's Markdown; `titles` (paper key -> title) saves rebuilding it for every page."""
    tags = paper_tags(cat, paper)
    meta = {"title": html_text(paper.title), "tags": [html_text(t.name) for t in tags]}
    parts = [front_matter(meta), f"# {markdown_text(paper.title)}\n"]
    facts = paper_facts(paper)
    if facts:
        parts.append(facts)
    # Chips first, above the abstract: on a phone they came after a screen or two of text.
    # Chips and reasons stay out of the search index: the page's `tags` metadata
    # already makes tag names searchable, once.
    if tags:
        chips = " ".join(f"[{markdown_text(t.name)}](../{TAGS_DIR}/{t.slug}.md){{ .md-tag }}" for t in tags)
        parts.append(f'<div class="rl-tags" markdown data-search-exclude>\n**Tags:** {chips}\n</div>\n')
    note = cat.notes.get(paper.key)
    if note is not None:
        parts.append(note_admonition(note))
    parts.append(f"{clean_markdown(paper.abstract, cat.clean)}\n")
    if tags:  # the reasons after the abstract: seven lines of them above it hid it on a phone
        why = "; ".join(_reason(t, m) for t, m in zip(tags, cat.matches[paper.key], strict=True))
        parts.append(
            f'<div class="rl-why" markdown data-search-exclude>\n<small>Why these tags: {why}.</small>\n</div>\n'
        )
    else:
        parts.append("*No tag matched this paper.*\n")
    parts.append(f"## Links {NO_SEARCH}\n\n{link_lines(paper, cat.links)}")
    related = cat.related.get(paper.key, ())
    if related:
        titles = titles if titles is not None else {p.key: p.title for p in cat.papers}
        items = "\n".join(f"- [{markdown_text(titles[k])}]({cat.slugs[k]}.md)" for k in related)
        parts.append(f"## Related papers {NO_SEARCH}\n\n{items}\n")
    bib = bib_entry(cat, paper, abstract=False)  # the abstract is just above; papers.bib has it
    fence = "`" * max(3, _longest_backtick_run(bib) + 1)
    parts.append(f"## Cite {NO_SEARCH}\n\n{fence}bibtex\n{bib}{fence}\n")
    listed = "\n".join(f"- {provenance_line(p)}" for p in paper.provenance)
    parts.append(f"## Listed in {NO_SEARCH}\n\n{listed}\n")
    return "\n".join(parts)


def _reason(tag: Tag, match: TagMatch) -> str:
    if match.field == "override":
        return f"{markdown_text(tag.name)}: added by override (corpus/overrides.yml)"
    return f"{markdown_text(tag.name)}: “{markdown_text(match.phrase)}” in the {match.field}"


def _longest_backtick_run(text: str) -> int:
    return max(map(len, re.findall(r"`+", text)), default=0)
