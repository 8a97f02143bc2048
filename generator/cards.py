"""Paper cards: the one way a paper is shown in a list (home, tag pages, filter results, queue, read, all papers).

A card is a pure function of one paper's data (`CardView`) and of where the
page sits (`root`, the way back to the site root, and whether URLs are
directories or `.html` files). Cards are raw HTML, which Markdown passes
through untouched: a page of 100 cards costs Python-Markdown nothing, and
the links are right for the served site (`papers/<slug>/`) and for the
offline build (`papers/<slug>.html`) alike. Every text is untrusted (titles,
abstracts, tag names): `markdown_text` turns each character that HTML or
Markdown could read as syntax into a character reference; attribute values
are slugs or ISO dates, escaped all the same.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from generator.escape import html_text, markdown_text
from generator.models import Catalogue, Note, Paper
from generator.pages import ALL_DIR, PAPERS_DIR, TAGS_DIR, paper_date_text, shown_day
from generator.textclean import clean_text

PAGE_SIZE = 100  # cards per page of a long list: ~80 KB of HTML, whatever the corpus size
SNIPPET_CHARS = 200  # about two lines on a desktop; CSS clamps to two lines everywhere
STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}


@dataclass(frozen=True)
class CardView:
    """What a card shows of one paper, as plain (untrusted) text."""

    slug: str
    title: str
    day: str | None  # YYYY-MM-DD, for <time datetime>
    date: str | None  # "6 Jan 2025", "Mar 11 (year unknown)"
    listed: str | None  # the first listing's date, when it is not the date shown
    snippet: str
    tags: tuple[tuple[str, str], ...]  # (tag slug, tag name)
    status: str | None = None  # the reader's note: "to-read", "reading", "read"
    state: str = ""  # "Reading · priority 1", "Read · rated 4/5"

    @cached_property
    def escaped(self) -> CardText:
        """The card's text escaped, made once per view: a card shows on home, its tag pages and all papers."""
        return card_text(self)

    @cached_property
    def _made_parts(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        return {}

    def parts(self, tail: str) -> tuple[str, tuple[str, ...]]:
        """`card_parts`, made once per view and URL style."""
        found = self._made_parts.get(tail)
        if found is None:
            found = self._made_parts[tail] = card_parts(self, tail)
        return found


@dataclass(frozen=True)
class CardText:
    """What a card shows, escaped: everything of the card that does not depend on where the page sits."""

    title: str
    meta: str  # the meta line's inside ("" for none)
    snippet: str
    tags: tuple[tuple[str, str], ...]  # (tag slug as HTML, tag name as Markdown)


def card_text(view: CardView) -> CardText:
    meta = []
    if view.date:
        if view.day:
            meta.append(f'<time datetime="{html_text(view.day)}">{markdown_text(view.date)}</time>')
        else:  # "Mar 11 (year unknown)" is no machine-readable date
            meta.append(f'<span class="rl-date">{markdown_text(view.date)}</span>')
    if view.listed:
        meta.append(f"listed {markdown_text(view.listed)}")
    if view.state:
        meta.append(
            f'<span class="rl-state rl-state--{html_text(view.status or "")}">{markdown_text(view.state)}</span>'
        )
    return CardText(
        markdown_text(view.title),
        " · ".join(meta),
        markdown_text(view.snippet) if view.snippet else "",
        tuple((html_text(slug), markdown_text(name)) for slug, name in view.tags),
    )


def page_url(docs_path: str, directory_urls: bool) -> str:
    """A docs/ page's URL relative to the site root, as MkDocs makes it ("tags/x/" or "tags/x.html")."""
    stem = docs_path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def root_of(docs_path: str, directory_urls: bool) -> str:
    """The way from a page back to the site root: "", "../", "../../"."""
    return "../" * page_url(docs_path, directory_urls).count("/")


def link(from_path: str, to_path: str, directory_urls: bool) -> str:
    """A relative URL from one docs/ page to another, for raw HTML (Markdown links are MkDocs' job)."""
    return root_of(from_path, directory_urls) + page_url(to_path, directory_urls) or "./"


def short_link(from_path: str, to_path: str, directory_urls: bool) -> str:
    """The shortest relative URL from one docs/ page to another ("../newest-3/", "x.html", "./"): on list
    pages that link their neighbours and their own tag's folder, a way through the site root repeated
    the folder's name in every link."""
    here = page_url(from_path, directory_urls)
    there = page_url(to_path, directory_urls)
    folder = page_folder(here)
    if there == folder:
        return "./"
    rel = posixpath.relpath("/" + there, "/" + folder)
    return rel + "/" if there.endswith("/") and not rel.endswith("/") else rel


def page_folder(url: str) -> str:
    """The folder a page's relative links start from: the page's URL when it ends with "/", else its folder."""
    return url if not url or url.endswith("/") else posixpath.dirname(url) + "/"


def folder_of(from_path: str, folder: str, directory_urls: bool) -> str:
    """The relative URL from a docs/ page to a site folder ("tags/" -> "../", "", "../../tags/")."""
    here = page_url(from_path, directory_urls)
    rel = posixpath.relpath("/" + folder, "/" + page_folder(here))
    return "" if rel == "." else rel + "/"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of `text`, whitespace collapsed, cut at a word boundary.

    Only the start of a long text is split: its first 2 x limit characters, collapsed, are the start of the
    whole text collapsed, and when they are longer than `limit` they hold all the cut looks at."""
    plain = " ".join(text[: 2 * limit].split())
    if len(plain) <= limit and len(text) > 2 * limit:
        plain = " ".join(text.split())
    if len(plain) <= limit:
        return plain
    cut = plain.rfind(" ", 0, limit)
    return plain[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def first_listed(paper: Paper) -> str | None:
    """The paper's first listing date ("11 Mar 2025"; earliest known day, else the first as listed)."""
    days = [v.day for v in paper.provenance if v.day]
    if days:
        return shown_day(min(days))
    listed = next((v.date for v in paper.provenance if v.date), None)
    return f"{listed} (year unknown)" if listed else None


def state_text(note: Note | None) -> str:
    if note is None:
        return ""
    parts = [STATUS_LABELS[note.status]]
    if note.status != "read":
        parts.append(f"priority {note.priority}")
    if note.rating:
        parts.append(f"rated {note.rating}/5")
    return " · ".join(parts)


def card_view(cat: Catalogue, paper: Paper, tag_names: dict[str, str]) -> CardView:
    date = paper_date_text(paper)
    listed = first_listed(paper)
    note = cat.notes.get(paper.key)
    return CardView(
        slug=cat.slugs[paper.key],
        title=paper.title,
        day=paper.day,
        date=date,
        listed=listed if listed != date else None,
        snippet=snippet(clean_text(paper.abstract, cat.clean)),
        tags=tuple((m.tag, tag_names[m.tag]) for m in cat.matches[paper.key]),
        status=note.status if note else None,
        state=state_text(note),
    )


def card_views(cat: Catalogue) -> dict[str, CardView]:
    """Paper key -> its card's data, for every paper."""
    names = {t.slug: t.name for t in cat.tags}
    return {p.key: card_view(cat, p, names) for p in cat.papers}


def card_html(view: CardView, root: str, directory_urls: bool, tags: str | None = None) -> str:
    """One paper as a list item: title, date, state, a two-line snippet, tag chips. No blank line inside.

    `tags` leads from the page to the tags folder (default: through the root); a tag page gives the
    short way ("../"), since each card repeats it for every chip."""
    tail = "/" if directory_urls else ".html"
    tags = f"{root}{TAGS_DIR}/" if tags is None else tags
    # root, PAPERS_DIR, TAGS_DIR and tail hold nothing HTML escapes: only the slugs are escaped (in CardText)
    after_root, chips = view.parts(tail)
    html = f'<li class="rl-card"><p class="rl-card__title"><a href="{root}{after_root}'
    if chips:
        link = f'<a class="md-tag" href="{tags}'
        html += f'\n<p class="rl-card__tags">{link}{f" {link}".join(chips)}</p>'
    return html + "</li>"


def card_parts(view: CardView, tail: str) -> tuple[str, tuple[str, ...]]:
    """A card's HTML after its root, up to its chips (title, meta, snippet lines), and each chip after its
    way to the tags folder: the same for every page that shows the card."""
    text = view.escaped
    lines = [f'{PAPERS_DIR}/{html_text(view.slug)}{tail}">{text.title}</a></p>']
    if text.meta:
        lines.append(f'<p class="rl-card__meta">{text.meta}</p>')
    if text.snippet:
        lines.append(f'<p class="rl-card__snippet">{text.snippet}</p>')
    return "\n".join(lines), tuple(f'{slug}{tail}">{name}</a>' for slug, name in text.tags)


def card_list(
    views: Sequence[CardView], root: str, directory_urls: bool, extra_class: str = "", tags: str | None = None
) -> str:
    """Cards as one raw HTML block (blank lines around it), out of the search index: each paper has its own entry."""
    if not views:
        return ""
    return html_block(card_list_html(views, root, directory_urls, extra_class, tags))


def card_list_html(
    views: Sequence[CardView], root: str, directory_urls: bool, extra_class: str = "", tags: str | None = None
) -> str:
    """`card_list` as plain HTML, for a page whose body is HTML (`framed_place`)."""
    cls = f"rl-cards {extra_class}".strip()
    items = "\n".join(card_html(v, root, directory_urls, tags) for v in views)
    return f'<ul class="{cls}" data-search-exclude>\n{items}\n</ul>'


# A finished HTML block in a Markdown page: the `readinglist-pages` plugin (generator/paper_pages.py)
# holds it out of Python-Markdown, whose HTML parser took most of a 10,000-paper build on card lists.
# Without the plugin, Markdown passes the block through as it is (the markers are HTML comments).
HTML_START = "<!--rl:html-->"
HTML_END = "<!--/rl:html-->"


def html_block(html: str) -> str:
    """Raw HTML (no blank line inside) as a block of its own, marked for the plugin."""
    return f"\n{HTML_START}\n{html}\n{HTML_END}\n"


CONTINUED = "newest-"  # tags/<slug>/newest-<n>.md: page n of a tag's papers, newest first
# Pages whose body the generator writes as finished HTML, for the `readinglist-pages` plugin to put in the
# theme's frame rendered once (generator/paper_pages.py): paper pages, and the pages after the first of a long
# list (all/<n>.md, tags/<slug>/newest-<n>.md), which are outside the navigation and search. Groups: the top
# folder, the folder below it (tag pages) and the page's name.
FRAMED = (
    re.compile(rf"({PAPERS_DIR})/()([a-z0-9-]+)\.md"),
    re.compile(rf"({ALL_DIR})/()([0-9]+)\.md"),
    re.compile(rf"({TAGS_DIR})/([a-z0-9-]+)/({CONTINUED}[0-9]+)\.md"),
)


def framed_place(docs_path: str) -> tuple[str, str, str] | None:
    """(top folder, folder below it or "", name) of a page whose body is HTML (FRAMED); None for any other."""
    for pattern in FRAMED:
        match = pattern.fullmatch(docs_path)
        if match is not None:
            top, folder, name = match.groups()
            return top, folder, name
    return None


def pages_of(items: Sequence, size: int = PAGE_SIZE) -> list[Sequence]:
    """`items` in pages of `size` (always at least one page, maybe empty)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def pager(paths: Sequence[str], current: int, directory_urls: bool, label: str) -> str:
    """Links to the previous, the next and every page of a list (raw HTML); "" for a single page.

    Every page is linked from every page: any paper is two clicks from a list's first page. So a list of
    n pages holds n * n page links: each is as short as it can be (`short_link`: "../newest-3/", not
    the way through the site root), and says which page it is in its text, inside the pager's labelled
    navigation. A renderer making every page of a list uses one `Pager` for them all.
    """
    return Pager(paths, directory_urls).html(current, label)


class Pager:
    """`pager` for every page of one list: each page's URL is split once, not once per page that links it
    (n * n links: 250,000 for the 500 pages of all papers at 50,000 papers), and the links from a page are
    made once for its two pagers (top and bottom)."""

    def __init__(self, paths: Sequence[str], directory_urls: bool) -> None:
        self.paths = paths
        self.urls = [(url, _parts(url)) for url in (page_url(p, directory_urls) for p in paths)]
        self.made: dict[int, tuple[list[str], str]] = {}

    def links(self, current: int) -> tuple[list[str], str]:
        """The escaped link from page `current` to every page, and the pager's numbered list."""
        if current not in self.made:
            self.made.clear()  # (only the page being made is asked for again)
            folder = page_folder(self.urls[current][0])
            start = _parts(folder)
            hrefs = [html_text(_short(there, parts, folder, start)) for there, parts in self.urls]
            numbers = "".join(
                f'<li><a href="{href}" aria-current="page">{i + 1}</a></li>'
                if i == current
                else f'<li><a href="{href}">{i + 1}</a></li>'
                for i, href in enumerate(hrefs)
            )
            self.made[current] = hrefs, numbers
        return self.made[current]

    def html(self, current: int, label: str) -> str:
        if len(self.paths) < 2:
            return ""
        hrefs, numbers = self.links(current)
        parts = [f'\n<nav class="rl-pager" aria-label="{html_text(label)}">']
        if current > 0:
            parts.append(f'<a class="rl-pager__step" rel="prev" href="{hrefs[current - 1]}">← Previous</a>')
        parts.append(f'<span class="rl-pager__where">Page {current + 1} of {len(self.paths)}</span>')
        if current < len(self.paths) - 1:
            parts.append(f'<a class="rl-pager__step" rel="next" href="{hrefs[current + 1]}">Next →</a>')
        parts.append(f'<ol class="rl-pager__pages">{numbers}</ol>')
        parts.append("</nav>\n")
        return "\n".join(parts)


def _parts(url: str) -> list[str] | None:
    """The folders and name of a site URL, as posixpath.relpath sees them; None when it holds "." or ".."
    (relpath resolves those: such a URL is left to it)."""
    parts = [x for x in url.split("/") if x]
    return None if "." in parts or ".." in parts else parts


def _short(there: str, parts: list[str] | None, folder: str, start: list[str] | None) -> str:
    """short_link's answer from the URLs: posixpath.relpath's own steps, on parts split once per page."""
    if there == folder:
        return "./"
    if parts is None or start is None:
        rel = posixpath.relpath("/" + there, "/" + folder)
    else:
        common = 0
        for a, b in zip(start, parts, strict=False):
            if a != b:
                break
            common += 1
        rel = "/".join([".."] * (len(start) - common) + parts[common:]) or "."
    return rel + "/" if there.endswith("/") and not rel.endswith("/") else rel
