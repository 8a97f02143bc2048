"""Tag pages and the tag index: grouped counts with a bar chart, related tags, a two-tag filter.

The chart is plain HTML + CSS drawn at build time (docs/stylesheets/tags.css).
The two-tag filter needs no server: the tag index carries its data inline as
JSON (a `fetch()` of papers.json fails from file:// in Chromium) and
docs/javascripts/tag-filter.js draws the result list from it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator import jsonbytes
from generator.cards import (
    CONTINUED,
    CardView,
    Pager,
    card_list,
    card_list_html,
    card_views,
    folder_of,
    link,
    pages_of,
    root_of,
)
from generator.escape import html_text, markdown_text
from generator.exports import FEED_NAME, download_box_html, slug_digest
from generator.models import Catalogue, Paper, Tag
from generator.pages import PAPERS_DIR, TAGS_DIR, count_label, front_matter, html_page

RELATED = 6  # related tags shown on a tag page
FILTER_ANCHOR = "combine-two-tags"  # id of the "Combine two tags" heading on the index
CARDS_SCRIPT = "cards.js"  # tags/cards.js: the filter's cards, [card HTML] in filter_data's paper order


def papers_by_tag(cat: Catalogue) -> dict[str, list[Paper]]:
    result: dict[str, list[Paper]] = {t.slug: [] for t in cat.tags}
    for paper in cat.papers:
        for match in cat.matches[paper.key]:
            result[match.tag].append(paper)
    return result


def co_occurrence(cat: Catalogue) -> dict[str, Counter[str]]:
    """{tag: Counter(other tag: papers having both)}."""
    together: dict[str, Counter[str]] = {t.slug: Counter() for t in cat.tags}
    for paper in cat.papers:
        tags = [m.tag for m in cat.matches[paper.key]]
        for tag in tags:
            together[tag].update(t for t in tags if t != tag)
    return together


@dataclass(frozen=True)
class WholeList:
    """Where each paper sits in the site's whole-list files, made once for all tags (`whole_list`).

    `index`: paper key -> position in papers.json, papers.bib and papers.csv (catalogue order), whose
    slugs hash to `digest`. `cards`: paper key -> its card's position in tags/cards.js (tagged papers
    in catalogue order), whose slugs hash to `cards_digest`. `title_rank`: paper key -> its place in
    the by-title order of those papers (the tag page's "By title", sorted in the browser).
    """

    index: dict[str, int]
    digest: str
    cards: dict[str, int]
    cards_digest: str
    title_rank: dict[str, int]


def whole_list(cat: Catalogue) -> WholeList:
    tagged = filter_papers(cat)
    digest = slug_digest([cat.slugs[p.key] for p in cat.papers])
    return WholeList(
        index={p.key: i for i, p in enumerate(cat.papers)},
        digest=digest,
        cards={p.key: i for i, p in enumerate(tagged)},
        # (every paper tagged, the usual case: the same list, its digest made once: 0.5 s at 50,000 papers)
        cards_digest=digest if len(tagged) == len(cat.papers) else slug_digest([cat.slugs[p.key] for p in tagged]),
        title_rank={p.key: i for i, p in enumerate(by_title(tagged))},
    )


def related_tags(
    cat: Catalogue, slug: str, limit: int = RELATED, together: dict[str, Counter[str]] | None = None
) -> list[tuple[Tag, int]]:
    """The tags that share most papers with `slug`, most first (ties in taxonomy order).

    Pass `together` (from `co_occurrence`) when rendering many tags: it costs a pass over all papers.
    """
    counts = (together if together is not None else co_occurrence(cat))[slug]
    order = {t.slug: i for i, t in enumerate(cat.tags)}
    by_slug = {t.slug: t for t in cat.tags}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return [(by_slug[s], n) for s, n in ranked[:limit]]


def filter_link(first: str, second: str | None = None) -> str:
    """Link (from a page in tags/) to the two-tag filter with tags preselected."""
    query = f"?a={first}" + (f"&b={second}" if second else "")
    return f"index.md{query}#{FILTER_ANCHOR}"


SORT_SCRIPT = "tag-sort.js"  # docs/javascripts/tag-sort.js: a tag's papers by title, in the browser
TITLE_ORDER = "?order=title"  # the first page's query that shows its papers by title


def tag_page_paths(slug: str, pages: int) -> list[str]:
    """The docs/ paths of a tag's paper list, newest first: `tags/<slug>.md` is page 1."""
    return [f"{TAGS_DIR}/{slug}.md"] + [f"{TAGS_DIR}/{slug}/{CONTINUED}{i}.md" for i in range(2, pages + 1)]


def by_title(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.title.casefold(), p.title, p.key))


def sort_control(tag: Tag, here: str, directory_urls: bool, papers: list[Paper] | None, whole: WholeList) -> str:
    """Newest first / By title. The static pages list every paper newest first; "By title" is the first page
    sorted by docs/javascripts/tag-sort.js from tags/cards.js, which works offline too. Without JavaScript
    the control stays hidden. The first page (`papers` given) carries its cards' positions in by-title order.
    """
    first = html_text(link(here, f"{TAGS_DIR}/{tag.slug}.md", directory_urls))
    root = root_of(here, directory_urls)
    data = ""
    if papers is not None:
        ordered = sorted(papers, key=lambda p: whole.title_rank[p.key])
        data = (
            f' data-cards="{root}{TAGS_DIR}/{CARDS_SCRIPT}" data-digest="{whole.cards_digest}"'
            f' data-by-title="{" ".join(str(whole.cards[p.key]) for p in ordered)}"'
        )
    newest_current = ' aria-current="page"' if papers is not None else ""
    return (
        f'\n<nav class="rl-sort" aria-label="Sort the papers" hidden{data}>Sort: '
        f'<a href="{first}"{newest_current}>Newest first</a> <a href="{first}{TITLE_ORDER}">By title</a></nav>\n'
        f'<script src="{root}javascripts/{SORT_SCRIPT}" defer></script>\n'
    )


def render_tag(
    cat: Catalogue,
    tag: Tag,
    papers: list[Paper],
    together: dict[str, Counter[str]] | None = None,
    views: dict[str, CardView] | None = None,
    directory_urls: bool = True,
    whole: WholeList | None = None,
) -> dict[str, str]:
    """A tag's pages: {docs path: text}. Its papers as cards, newest first, 100 a page (by title in the browser).

    The first page (`tags/<slug>.md`) has the description, count, feed, related tags and downloads.
    `whole` (from `whole_list`, made once for all tags) places the tag's papers in the whole-list exports.
    """
    views = views if views is not None else card_views(cat)
    whole = whole if whole is not None else whole_list(cat)
    chunks = pages_of(papers)  # `papers` come newest first
    paths = tag_page_paths(tag.slug, len(chunks))
    pages = Pager(paths, directory_urls)
    return {
        path: _tag_page(cat, tag, papers, together, i, paths, chunk, views, directory_urls, whole, pages)
        for i, (path, chunk) in enumerate(zip(paths, chunks, strict=True))
    }


def _tag_page(cat, tag, papers, together, i, paths, chunk, views, directory_urls, whole, pages) -> str:
    here = paths[i]
    first = i == 0
    root = root_of(here, directory_urls)
    page = f", page {i + 1}" if i else ""
    meta: dict = {"title": html_text(tag.name if first else f"{tag.name}: papers{page}")}
    if first:
        meta["description"] = html_text(tag.description)
    else:  # the first page is the tag's search result; the others would only repeat it
        meta["search"] = {"exclude": True}
    count = f"**{count_label(len(papers), 'paper')}**"
    if first:
        lines = [
            front_matter(meta),
            f"# {markdown_text(tag.name)}\n",
            f"{markdown_text(tag.description)}\n",
            f"*{markdown_text(tag.group)}* · {count} · [All tags](index.md) · "
            f"[Atom feed]({tag.slug}/{FEED_NAME}){{ data-search-exclude }}\n",
        ]
        related = related_tags(cat, tag.slug, together=together)
        if related:
            lines.append("## Related tags\n")
            lines.append("Tags most often given together with this one (papers with both):\n")
            rows = [
                f"- [{markdown_text(other.name)}]({other.slug}.md) · [{n} together]({filter_link(tag.slug, other.slug)})"
                for other, n in related
            ]
            lines.append("\n".join(rows) + "\n")
    else:  # a page after the first: its body is HTML, framed by the readinglist-pages plugin (cards.framed_place)
        back = link(here, f"{TAGS_DIR}/{tag.slug}.md", directory_urls)
        tags = folder_of(here, f"{TAGS_DIR}/", directory_urls)
        body = [
            f'<h1 id="{CONTINUED}{i + 1}">{html_text(f"{tag.name}: papers{page}")}</h1>',  # its name, as the frame says
            f'<p class="rl-facts">{count_label(len(papers), "paper")} · '
            f'<a href="{html_text(back)}">about this tag</a></p>',
            '<h2 id="papers">Papers</h2>',
            sort_control(tag, here, directory_urls, None, whole).strip("\n"),
            card_list_html([views[p.key] for p in chunk], root, directory_urls, tags=tags),
            pages.html(i, f"Pages of {tag.name}").strip("\n"),
        ]
        return html_page(meta, body)
    lines.append("## Papers\n")
    if papers:
        lines.append(sort_control(tag, here, directory_urls, papers if first else None, whole))
        tags = folder_of(here, f"{TAGS_DIR}/", directory_urls)  # chips: the short way to the tags folder
        lines.append(card_list([views[p.key] for p in chunk], root, directory_urls, tags=tags))
        lines.append(pages.html(i, f"Pages of {tag.name}"))
    else:
        lines.append("*No paper has this tag yet.*\n")
    if first:
        # The tag's JSON, BibTeX and CSV are cut from the whole-list files in the browser (exports.py).
        positions = [whole.index[p.key] for p in papers]
        lines.append(download_box_html(tag.slug, positions, len(whole.index), whole.digest, root, not directory_urls))
    return "\n".join(lines)


def _bar(count: int, largest: int) -> str:
    width = round(100 * count / largest, 1) if largest else 0
    return f'<span class="rl-bar" aria-hidden="true"><span style="width: {width}%"></span></span>'


def render_tag_index(cat: Catalogue, grouped: dict[str, list[Paper]]) -> str:
    tagged = sum(1 for p in cat.papers if cat.matches[p.key])
    largest = max((len(v) for v in grouped.values()), default=0)
    lines = [front_matter({"title": "Tags"}), "# Tags\n"]
    lines.append(
        f"{count_label(len(cat.tags), 'tag')} over {count_label(len(cat.papers), 'paper')}; "
        f"{tagged} papers have at least one tag, and a paper can have several. "
        "Pick two tags to list the papers they share, or browse the tags by group below; "
        "the bars show each tag's number of papers.\n"
    )
    lines.append("## Combine two tags\n")
    lines.append("The papers that have both tags. This works offline too: the data is part of this page.\n")
    lines.append(
        "<noscript><p>The filter needs JavaScript. Without it, each tag page lists the tags "
        "it most often goes with and the number of papers they share.</p></noscript>\n"
    )
    lines.append(
        '<form id="rl-tag-filter" class="rl-filter" hidden>'
        '<label>First tag <select name="a"></select></label> '
        '<label>Second tag <select name="b"></select></label>'
        "</form>\n"
        # The filter's script is needed on this page only (not in mkdocs.yml's extra_javascript).
        '<script src="../javascripts/tag-filter.js" defer></script>\n'
        '<p id="rl-tag-filter-count" class="rl-filter-count" aria-live="polite"></p>\n'
        # Results are paper cards, made by the one card renderer (generator/cards.py) into
        # tags/cards.js, which the script loads when a tag is first chosen: the page stays light.
        f'<ul id="rl-tag-filter-results" class="rl-cards rl-filter-results" data-cards="{CARDS_SCRIPT}">'
        "</ul>\n"
    )
    groups: dict[str, list[Tag]] = {}
    for tag in cat.tags:
        groups.setdefault(tag.group, []).append(tag)
    for group, tags in groups.items():
        lines.append(f"## {markdown_text(group)}\n")
        # A list, not a table: on a phone a table squeezed the tag column to a third of the
        # screen; each item lays out as a row (wide) or a card (narrow) in tags.css.
        rows = []
        for t in sorted(tags, key=lambda t: (-len(grouped[t.slug]), t.name)):
            n = len(grouped[t.slug])
            rows.append(
                f"- [{markdown_text(t.name)}]({t.slug}.md){{ data-rl-tag={t.slug} }} "
                f'<span class="rl-count">{count_label(n, "paper")}</span> {_bar(n, largest)} '
                f'<span class="rl-desc">{markdown_text(t.description)}</span>'
            )
        lines.append('<div class="rl-tag-list" markdown>\n\n' + "\n".join(rows) + "\n\n</div>\n")
    lines.append(f'<script type="application/json" id="rl-tag-data">{filter_data(cat)}</script>\n')
    return "\n".join(lines)


def filter_papers(cat: Catalogue) -> list[Paper]:
    """The papers the filter can show (tagged ones), in catalogue order: newest first."""
    return [p for p in cat.papers if cat.matches[p.key]]


def filter_data(cat: Catalogue) -> str:
    """The filter's data as JSON that is safe inside a <script> element: tags, and each filterable
    paper's tag numbers (its card is the same position in tags/cards.js). No titles: at 10,000
    papers they made the page 1.7 MB; the cards come when a tag is chosen."""
    index = {t.slug: i for i, t in enumerate(cat.tags)}
    data = {
        "tags": [[t.slug, t.name, t.group] for t in cat.tags],
        "papers": [[index[m.tag] for m in cat.matches[p.key]] for p in filter_papers(cat)],
    }
    text = jsonbytes.dumps(data).decode("utf-8")
    # "</script>" or "<!--" inside a tag name must not end or alter the script element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# tags/cards.js turns its data into exactly the HTML of cards.card_html (tests/test_size5.py runs it in Node
# and compares every card): the HTML of every chip and class repeated for every paper was half the file.
CARDS_RENDERER = """function (c) {
  var l = ['<li class="rl-card"><p class="rl-card__title"><a href="' + P + c[0] + E + '">' + c[1] + "</a></p>"];
  if (c[2]) l.push('<p class="rl-card__meta">' + c[2] + "</p>");
  if (c[3]) l.push('<p class="rl-card__snippet">' + c[3] + "</p>");
  if (c[4].length) l.push('<p class="rl-card__tags">' + c[4].map(function (i) {
    return '<a class="md-tag" href="' + G + T[i][0] + E + '">' + T[i][1] + "</a>";
  }).join(" ") + "</p>");
  l[l.length - 1] += "</li>";
  return l.join("\\n");
}"""


def filter_cards(cat: Catalogue, views: dict[str, CardView], directory_urls: bool, digest: str | None = None) -> str:
    """tags/cards.js: every tagged paper's card, as the tags index (root "../") shows it, in filter_data's order.

    A script, not JSON: a script element loads from file://, where fetch() is refused. It holds each card's
    escaped text (CardText) as data, and makes `window.rlCards`, the cards' HTML, with CARDS_RENDERER:
    byte for byte what `card_html` makes for the tags index.
    """
    index = f"{TAGS_DIR}/index.md"
    root, tags = root_of(index, directory_urls), folder_of(index, f"{TAGS_DIR}/", directory_urls)
    papers = filter_papers(cat)
    numbers = {t.slug: i for i, t in enumerate(cat.tags)}
    table = [[html_text(t.slug), markdown_text(t.name)] for t in cat.tags]
    cards = []
    for p in papers:
        view = views[p.key]
        text = view.escaped
        cards.append([html_text(view.slug), text.title, text.meta, text.snippet, [numbers[s] for s, _ in view.tags]])
    if digest is None:  # (`whole_list`'s cards_digest, when the caller has it)
        digest = slug_digest([cat.slugs[p.key] for p in papers])  # tag pages check it before sorting by title

    def js(value: object) -> str:
        return jsonbytes.dumps(value).decode("utf-8")

    rows = ",\n".join(js(card) for card in cards)  # one card a line
    constants = f"P = {js(f'{root}{PAPERS_DIR}/')}, G = {js(tags)}, E = {js('/' if directory_urls else '.html')}"
    return (
        "// Cards for the two-tag filter and the by-title order (generator/render_tags.py).\n"
        f"window.rlCards = (function () {{\nvar {constants};\nvar T = {js(table)};\n"
        f"return [\n{rows}\n].map({CARDS_RENDERER});\n}})();\n"
        f'window.rlCardsDigest = "{digest}";\n'
    )
