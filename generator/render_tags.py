"""Tag pages and the tag index: grouped counts with a bar chart, related tags, a two-tag filter.

The chart is plain HTML + CSS drawn at build time (docs/stylesheets/tags.css).
The two-tag filter needs no server: the tag index carries its data inline as
JSON (a `fetch()` of papers.json fails from file:// in Chromium) and
docs/javascripts/tag-filter.js draws the result list from it.
"""

from __future__ import annotations

import json
from collections import Counter

from generator.cards import CardView, card_html, card_list, card_views, link, pager, pages_of, root_of
from generator.escape import html_text, markdown_text
from generator.exports import FEED_NAME, download_box_html, slug_digest
from generator.models import Catalogue, Paper, Tag
from generator.pages import TAGS_DIR, count_label, front_matter

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


WholeList = tuple[dict[str, int], str]  # (paper key -> position in the whole-list exports, slug digest)


def whole_list(cat: Catalogue) -> WholeList:
    """Where each paper sits in papers.json, papers.bib and papers.csv (catalogue order), and their digest."""
    return {p.key: i for i, p in enumerate(cat.papers)}, slug_digest([cat.slugs[p.key] for p in cat.papers])


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


TAG_ORDERS = (("newest", "Newest first"), ("title", "By title"))


def tag_page_paths(slug: str, order: str, pages: int) -> list[str]:
    """The docs/ paths of one order of a tag's paper list: `tags/<slug>.md` is newest first, page 1."""
    first = f"{TAGS_DIR}/{slug}.md" if order == "newest" else f"{TAGS_DIR}/{slug}/by-title.md"
    stem = f"{TAGS_DIR}/{slug}/" + ("newest" if order == "newest" else "by-title")
    return [first] + [f"{stem}-{i}.md" for i in range(2, pages + 1)]


def by_title(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.title.casefold(), p.title, p.key))


def sort_control(tag: Tag, order: str, pages: int, here: str, directory_urls: bool) -> str:
    """Two links, one per order (server-side, so sorting works offline and without script)."""
    items = []
    for name, label in TAG_ORDERS:
        target = tag_page_paths(tag.slug, name, pages)[0]
        current = ' aria-current="page"' if name == order else ""
        items.append(f'<a href="{html_text(link(here, target, directory_urls))}"{current}>{label}</a>')
    return f'\n<nav class="rl-sort" aria-label="Sort the papers">Sort: {" ".join(items)}</nav>\n'


def render_tag(
    cat: Catalogue,
    tag: Tag,
    papers: list[Paper],
    together: dict[str, Counter[str]] | None = None,
    views: dict[str, CardView] | None = None,
    directory_urls: bool = True,
    whole: WholeList | None = None,
) -> dict[str, str]:
    """A tag's pages: {docs path: text}. Its papers as cards, newest first and by title, 100 a page.

    The first page (`tags/<slug>.md`) has the description, count, feed, related tags and downloads.
    `whole` (from `whole_list`, made once for all tags) places the tag's papers in the whole-list exports.
    """
    views = views if views is not None else card_views(cat)
    whole = whole if whole is not None else whole_list(cat)
    plan = {}
    for order, _ in TAG_ORDERS:
        ordered = papers if order == "newest" else by_title(papers)  # `papers` come newest first
        chunks = pages_of(ordered)
        paths = tag_page_paths(tag.slug, order, len(chunks))
        for i, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
            plan[path] = _tag_page(cat, tag, papers, together, order, i, paths, chunk, views, directory_urls, whole)
    return plan


def _tag_page(cat, tag, papers, together, order, i, paths, chunk, views, directory_urls, whole) -> str:
    here = paths[i]
    first = here == f"{TAGS_DIR}/{tag.slug}.md"
    root = root_of(here, directory_urls)
    which = ", by title" if order == "title" else ""
    page = f", page {i + 1}" if i else ""
    meta: dict = {"title": html_text(tag.name if first else f"{tag.name}: papers{which}{page}")}
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
    else:
        back = link(here, f"{TAGS_DIR}/{tag.slug}.md", directory_urls)
        lines = [
            front_matter(meta),
            f"# {markdown_text(f'{tag.name}: papers{which}{page}')}\n",
            f'<p class="rl-facts">{count_label(len(papers), "paper")} · '
            f'<a href="{html_text(back)}">about this tag</a></p>\n',
        ]
    lines.append("## Papers\n")
    if papers:
        lines.append(sort_control(tag, order, len(paths), here, directory_urls))
        lines.append(card_list([views[p.key] for p in chunk], root, directory_urls))
        lines.append(pager(paths, i, directory_urls, f"Pages of {tag.name}"))
    else:
        lines.append("*No paper has this tag yet.*\n")
    if first:
        # The tag's JSON, BibTeX and CSV are cut from the whole-list files in the browser (exports.py).
        index, digest = whole
        positions = [index[p.key] for p in papers]
        lines.append(download_box_html(tag.slug, positions, len(index), digest, root, not directory_urls))
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
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" inside a tag name must not end or alter the script element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def filter_cards(cat: Catalogue, views: dict[str, CardView], directory_urls: bool) -> str:
    """tags/cards.js: every tagged paper's card, as the tags index (root "../") shows it, in filter_data's order.

    A script, not JSON: a script element loads from file://, where fetch() is refused.
    JSON is valid JavaScript (ES2019), and the HTML in it was escaped by the card renderer.
    """
    root = root_of(f"{TAGS_DIR}/index.md", directory_urls)
    cards = [card_html(views[p.key], root, directory_urls) for p in filter_papers(cat)]
    return "window.rlCards = " + json.dumps(cards, ensure_ascii=False, separators=(",", ":")) + ";\n"
