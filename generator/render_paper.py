"""One page per paper: title, the reader's note, clean abstract, tags, links, related papers, BibTeX, provenance.

The page's body is HTML the generator writes whole (under YAML front matter):
no Markdown is left to convert, so the `readinglist-pages` plugin
(generator/paper_pages.py) wraps it in the theme's page without running
Python-Markdown or the theme's templates once per paper. Paper pages carry no
search markup: search indexes each paper from its own input
(generator/search_input.py) and leaves the whole page out of Material's index.
"""

from __future__ import annotations

import html

from generator.cards import link
from generator.escape import html_text, markdown_text
from generator.exports import bib_entry
from generator.links import abstract_links, arxiv_url, lookup_links, safe_href
from generator.models import Catalogue, Note, Paper, Provenance, Tag, TagMatch
from generator.notes import note_html
from generator.pages import PAPERS_DIR, TAGS_DIR, count_label, date_markdown, front_matter, listing_words
from generator.textclean import clean_html

# The sections under the abstract: (heading id, heading). The plugin builds the
# page's table of contents from these headings.
SECTIONS = {"links": "Links", "related-papers": "Related papers", "cite": "Cite", "listed-in": "Listed in"}
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
    # A block, not a paragraph: the abstract stays the page's first paragraph. The escaped
    # text's character references mean the same in HTML as in Markdown.
    return f'<div class="rl-facts">{" · ".join(facts)}</div>\n' if facts else ""


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
    for found in abstract_links(paper.abstract, known):  # (found once per paper: records.catalogue)
        shown = found.url.split("://", 1)[-1].rstrip("/")
        lines.append(f"<p><strong>{found.label}:</strong> {_a(found.url, markdown_text(shown))}</p>")
    if paper.arxiv_id:
        url = arxiv_url(paper.arxiv_id)
        lines.append(f"<p><strong>Paper:</strong> {_a(url, f'arXiv:{markdown_text(paper.arxiv_id)}')}</p>")
    else:
        # Only the first look-up is written: the page's shared script (generator/theme/paper.html) adds the
        # others with the same query, 0.45 KB of every such page. Without JavaScript, arXiv's is there.
        (name, url), *_others = lookup_links(paper.title)
        lines.append(f'<p class="rl-lookup"><strong>Look up:</strong> {_a(url, name)}</p>')
    return "\n".join(lines) + "\n"


def _a(url: str, text: str) -> str:
    return f'<a href="{html_text(safe_href(url))}">{text}</a>'


def heading(key: str) -> str:
    return f'<h2 id="{key}">{SECTIONS[key]}</h2>\n'


def render_paper(
    cat: Catalogue,
    paper: Paper,
    titles: dict[str, str] | None = None,
    directory_urls: bool = True,
    bib: str | None = None,
) -> str:
    """The page: front matter and an HTML body. `titles` (paper key -> title) saves rebuilding it for every page;
    `bib`: the paper's papers.bib entry (`exports.bib_entry`), when the caller has made it already."""
    tags = paper_tags(cat, paper)
    here = f"{PAPERS_DIR}/{cat.slugs[paper.key]}.md"
    meta = {"title": html_text(paper.title), "tags": [html_text(t.name) for t in tags], "template": "paper.html"}
    parts = [front_matter(meta), f'<h1 id="{cat.slugs[paper.key]}">{markdown_text(paper.title)}</h1>\n']
    facts = paper_facts(paper)
    if facts:
        parts.append(facts)
    # Chips first, above the abstract: on a phone they came after a screen or two of text.
    if tags:
        chips = " ".join(
            f'<a class="md-tag" href="{html_text(link(here, f"{TAGS_DIR}/{t.slug}.md", directory_urls))}">'
            f"{markdown_text(t.name)}</a>"
            for t in tags
        )
        parts.append(f'<div class="rl-tags"><p><strong>Tags:</strong> {chips}</p></div>\n')
    note = cat.notes.get(paper.key)
    if note is not None:
        parts.append(note_admonition(note))
    abstract = clean_html(paper.abstract, cat.clean)
    if abstract:
        parts.append(f"<p>{abstract}</p>\n")
    if tags:  # the reasons after the abstract: seven lines of them above it hid it on a phone
        why = "; ".join(_reason(t, m) for t, m in zip(tags, cat.matches[paper.key], strict=True))
        parts.append(f'<div class="rl-why"><p><small>Why these tags: {why}.</small></p></div>\n')
    else:
        parts.append("<p><em>No tag matched this paper.</em></p>\n")
    parts.append(heading("links") + link_lines(paper, cat.links))
    related = cat.related.get(paper.key, ())
    if related:
        titles = titles if titles is not None else {p.key: p.title for p in cat.papers}
        items = "\n".join(
            f'<li><a href="{html_text(sibling(cat.slugs[k], directory_urls))}">{markdown_text(titles[k])}</a></li>'
            for k in related
        )
        parts.append(heading("related-papers") + f"<ul>\n{items}\n</ul>\n")
    bib = bib if bib is not None else bib_entry(cat, paper)  # papers.bib's entry
    parts.append(heading("cite") + f'<pre><code class="language-bibtex">{html.escape(bib, quote=False)}</code></pre>\n')
    listed = "\n".join(f"<li>{provenance_line(p)}</li>" for p in paper.provenance)
    parts.append(heading("listed-in") + f"<ul>\n{listed}\n</ul>\n")
    return "".join(parts)


def sibling(slug: str, directory_urls: bool) -> str:
    """From one paper page to another."""
    return f"../{slug}/" if directory_urls else f"{slug}.html"


def _reason(tag: Tag, match: TagMatch) -> str:
    if match.field == "override":
        return f"{markdown_text(tag.name)}: added by override (corpus/overrides.yml)"
    return f"{markdown_text(tag.name)}: “{markdown_text(match.phrase)}” in the {markdown_text(match.field)}"
