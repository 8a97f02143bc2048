"""Catalogue -> {relative path: file text}. Pure: builds the whole site plan in memory.

Paper pages live in render_paper.py, tag pages in render_tags.py; this module
holds what they share, the home page and papers.json, and assembles the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from generator import exports, parallel
from generator.cache import Cache
from generator.cards import CardView, Pager, card_list, card_list_html, card_views, link, pages_of, root_of
from generator.escape import html_text, markdown_text
from generator.models import Catalogue, Content, Paper
from generator.notes import by_priority
from generator.pages import ALL_DIR, PAPERS_DIR, TAGS_DIR, count_label, front_matter, html_page, shown_day
from generator.parse import listing_title
from generator.records import Index, PaperRecord, index
from generator.render_paper import render_paper
from generator.render_reading import render_reading
from generator.render_tags import (
    CARDS_SCRIPT,
    co_occurrence,
    filter_cards,
    papers_by_tag,
    render_tag,
    render_tag_index,
    whole_list,
)

HOME_CARDS = 12  # newest papers on the home page
HOME_QUEUE = 5  # top of the reading queue on the home page


def listing_order(cat: Catalogue) -> list[str]:
    """Listings oldest first by date; undated ones after, in file-name order."""
    rank = {s: i for i, s in enumerate(cat.sources)}
    return sorted(cat.sources, key=lambda s: (cat.days.get(s) is None, cat.days.get(s) or "", rank[s]))


def listing_counts(cat: Catalogue) -> dict[str, tuple[int, int]]:
    """Listing -> (papers it lists, papers it brought that were new).

    A paper is new to the listing that is its first provenance in listing date order.
    """
    rank = {s: i for i, s in enumerate(listing_order(cat))}
    listed: Counter[str] = Counter()
    new: Counter[str] = Counter()
    for paper in cat.papers:
        sources = {v.source for v in paper.provenance}
        listed.update(sources)
        if sources:
            new[min(sources, key=lambda s: rank.get(s, len(rank)))] += 1
    return {s: (listed[s], new[s]) for s in cat.sources}


def listings_html(cat: Catalogue) -> str:
    """The listings, newest first by date (undated last), each with its title and what it brought."""
    counts = listing_counts(cat)
    oldest_first = listing_order(cat)
    dated = [s for s in oldest_first if cat.days.get(s)]
    ordered = dated[::-1] + [s for s in oldest_first if not cat.days.get(s)]
    items = []
    for source in ordered:
        papers, new = counts[source]
        title = listing_title(source)
        name = f" · {markdown_text(title)}" if title else ""
        items.append(
            f'<li><span class="rl-listing__name"><strong>{markdown_text(listing_date(cat, source))}</strong>{name}'
            f'</span> <span class="rl-listing__counts">{count_label(papers, "paper")}, {new} new</span> '
            f'<code class="rl-listing__file">{markdown_text(source)}</code></li>'
        )
    return '\n<ul class="rl-listings" data-search-exclude>\n' + "\n".join(items) + "\n</ul>\n"


def tag_chips_html(cat: Catalogue, grouped: dict[str, list[Paper]], directory_urls: bool) -> str:
    """Every tag as a chip with its number of papers, most papers first."""
    tags = sorted(cat.tags, key=lambda t: (-len(grouped[t.slug]), t.name.casefold()))
    chips = " ".join(
        f'<a class="md-tag" href="{html_text(link("index.md", f"{TAGS_DIR}/{t.slug}.md", directory_urls))}">'
        f'{markdown_text(t.name)} <span class="rl-chip-count">{len(grouped[t.slug])}</span></a>'
        for t in tags
    )
    return f'\n<p class="rl-chips" data-search-exclude>{chips}</p>\n'


def render_home(
    cat: Catalogue,
    views: dict[str, CardView] | None = None,
    grouped: dict[str, list[Paper]] | None = None,
    directory_urls: bool = True,
    key_of: dict[str, str] | None = None,
) -> str:
    """The way in: newest papers, tags with counts, the top of the queue, listings, totals."""
    views = views if views is not None else card_views(cat)
    grouped = grouped if grouped is not None else papers_by_tag(cat)
    untagged = sum(1 for p in cat.papers if not cat.matches[p.key])
    queue = by_priority([n for n in cat.notes.values() if n.status in ("to-read", "reading")])
    read = sum(1 for n in cat.notes.values() if n.status == "read")
    key_of = key_of if key_of is not None else {slug: key for key, slug in cat.slugs.items()}
    parts = [
        front_matter({"title": "Reading list"}),
        "# Reading list\n",
        f"**{count_label(len(cat.papers), 'paper')}** · **{count_label(len(cat.tags), 'tag')}** · "
        f"**{count_label(len(cat.sources), 'listing')}**, deduplicated and tagged. "
        "Search titles, abstracts and tags with the box at the top (or press <kbd>/</kbd>).\n",
        "## Newest papers\n",
        card_list([views[p.key] for p in cat.papers[:HOME_CARDS]], "", directory_urls),
        f"[All {count_label(len(cat.papers), 'paper')}, newest first]({ALL_DIR}/index.md) · "
        f"[Atom feed]({exports.FEED_NAME})\n",
        # Not "Tags" nor "Reading queue": the phone menu shows these headings beside the nav's links.
        "## Browse by tag\n",
        tag_chips_html(cat, grouped, directory_urls),
        f"[All tags, by group, and two tags combined]({TAGS_DIR}/index.md)"
        + (
            f" · {count_label(untagged, 'paper')} with no tag are in [All papers]({ALL_DIR}/index.md)"
            if untagged
            else ""
        )
        + "\n",
        "## Next to read\n",
    ]
    if queue:
        top = [views[key_of[n.slug]] for n in queue[:HOME_QUEUE]]
        parts.append(card_list(top, "", directory_urls))
    else:
        parts.append("*The queue is empty.*\n")
    parts.append(
        f"[The whole queue ({len(queue)})](reading/queue.md) · [Read ({read})](reading/read.md)\n",
    )
    parts.append("## Listings\n")
    parts.append(
        "The listings the papers came from, newest first (those whose year is unknown after, in file "
        "order), with the papers each lists and how many of them it was the first to list.\n"
    )
    parts.append(listings_html(cat))
    parts.append(
        "**Downloads:** [JSON](papers.json) · [BibTeX](papers.bib) · [CSV](papers.csv). "
        "See [About](about.md) for how the list is made.\n"
    )
    return "\n".join(parts)


def listing_date(cat: Catalogue, source: str) -> str:
    """A listing's date as the home page shows it: "11 Mar 2025", "Mar 11 (year unknown)" or "no date"."""
    day, date = cat.days.get(source), cat.dates.get(source)
    if day:
        return shown_day(day)
    return f"{date} (year unknown)" if date else "no date"


def render_all(cat: Catalogue, views: dict[str, CardView], directory_urls: bool) -> dict[str, str]:
    """All papers, newest first, PAGE_SIZE a page: every paper within three clicks of home."""
    chunks = pages_of(list(cat.papers))
    paths = [f"{ALL_DIR}/index.md"] + [f"{ALL_DIR}/{i}.md" for i in range(2, len(chunks) + 1)]
    plan = {}
    pages = Pager(paths, directory_urls)
    for i, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
        # Papers have their own search entries: these pages would only repeat them.
        meta = {"title": "All papers" if i == 0 else f"All papers, page {i + 1}", "search": {"exclude": True}}
        about = (
            f"{count_label(len(cat.papers), 'paper')}, newest first: by the date a listing gives, "
            "else the date of the first listing; papers with no known date come last."
            + (f" Page {i + 1} of {len(paths)}." if len(paths) > 1 else "")
        )
        if i:  # a page after the first: its body is HTML, framed by the readinglist-pages plugin (cards.framed_place)
            plan[path] = html_page(
                meta,
                [
                    f'<h1 id="{i + 1}">All papers</h1>',  # the page's name, as its frame says
                    f"<p>{about}</p>",
                    pages.html(i, "Pages of all papers").strip("\n"),
                    card_list_html([views[p.key] for p in chunk], root_of(path, directory_urls), directory_urls),
                    pages.html(i, "Pages of all papers, again").strip("\n"),
                ],
            )
            continue
        parts = [front_matter(meta), "# All papers\n", about + "\n"]
        parts.append(pages.html(i, "Pages of all papers"))
        if chunk:
            parts.append(card_list([views[p.key] for p in chunk], root_of(path, directory_urls), directory_urls))
        else:
            parts.append("*No papers yet.*\n")
        parts.append(pages.html(i, "Pages of all papers, again"))
        plan[path] = "\n".join(parts)
    return plan


PaperFiles = tuple[bytes, bytes, bytes, bytes]  # page, papers.json line, BibTeX entry, CSV row


def make_paper_files(record: PaperRecord) -> PaperFiles:
    """A paper's page and export rows, from its record alone (see generator/records.py)."""
    view, paper = record.catalogue(), record.paper
    rows = exports.export_rows(view, (paper,), record.directory_urls)
    bib = rows.bib[paper.key].decode("utf-8")  # the page's "Cite" shows the same entry
    page = render_paper(view, paper, record.titles(), record.directory_urls, bib).encode("utf-8")
    return page, rows.json[paper.key], rows.bib[paper.key], rows.csv[paper.key]


def paper_files(cat: Catalogue, directory_urls: bool, cache: Cache | None = None, idx: Index | None = None):
    """Every paper's page and export rows, in paper order: (pages, exports.Rows).

    Made on every core (generator/parallel.py), and only for papers whose record
    is not in `cache` (`readinglist serve` keeps one cache across its runs). Pages
    come back encoded: a str holding one non-ASCII character takes 2 or 4 bytes
    per character.
    """
    return PaperFilesMaking(cat, directory_urls, cache, idx).finish()


# The paper pages' workers yield to this process, whose list pages (and `render_site`'s `meanwhile`) the run
# waits on: at 50,000 papers, 5.5 s of list pages took 8.3 s beside two workers at the same priority.
PAGE_WORKERS_NICE = 10
# Small slices, each handed out as a worker frees up: the list pages take their CPU from the workers unevenly,
# and with two slices each, one worker went on alone with its last for 0.75 s of a cold 10,000-paper run.
PAGE_PIECES_PER_WORKER = 8


class PaperFilesMaking:
    """`paper_files`, begun: workers make the files while this process renders the list pages."""

    def __init__(self, cat: Catalogue, directory_urls: bool, cache: Cache | None, idx: Index | None) -> None:
        self.cat = cat
        self.cache = cache if cache is not None else Cache()
        idx = idx if idx is not None else index(cat, directory_urls)
        self.made: dict[str, PaperFiles] = {}
        for key, record in idx.records.items():
            files = self.cache.pages.get(record)
            if files is not None:
                self.made[key] = files
        todo = [record for key, record in idx.records.items() if key not in self.made]
        workers = parallel.jobs(len(todo))
        self.pieces = parallel.chunks(todo, PAGE_PIECES_PER_WORKER * workers) if todo else []
        tasks = [partial(_make_files, p) for p in self.pieces]
        self.running = parallel.start(tasks, workers, PAGE_WORKERS_NICE, ahead=1).in_background()

    def finish(self) -> tuple[dict[str, bytes], exports.Rows]:
        made, cat = self.made, self.cat
        for piece, files in zip(self.pieces, self.running.results(), strict=True):
            for record, one in zip(piece, files, strict=True):
                made[record.paper.key] = one
                self.cache.pages.put(record, one)
        pages: dict[str, bytes] = {}
        rows = exports.Rows({}, {}, {})
        for p in cat.papers:
            page, json_line, bib, csv_line = made[p.key]
            pages[f"{PAPERS_DIR}/{cat.slugs[p.key]}.md"] = page
            rows.json[p.key], rows.bib[p.key], rows.csv[p.key] = json_line, bib, csv_line
        return pages, rows

    def cancel(self) -> None:
        self.running.cancel()


def _make_files(piece: Sequence[PaperRecord]) -> list[PaperFiles]:
    return [make_paper_files(record) for record in piece]


def render_site(
    cat: Catalogue,
    directory_urls: bool = True,
    site_url: str | None = None,
    updated: dt.datetime | None = None,
    cache: Cache | None = None,
    idx: Index | None = None,
    lists: ListPages | None = None,
    meanwhile: Callable[[], dict[str, Content]] | None = None,
) -> dict[str, Content]:
    """The complete generated part of docs/: {posix relative path: text, or a function making its bytes}.

    `site_url` makes the feed's links absolute; `updated` stamps the feed
    (default: the Unix epoch, so that the same input gives the same bytes);
    `cache` (default: a fresh one) holds the paper files of earlier runs; `idx`: the catalogue's records
    (records.index), when the caller has them already; `lists`: the list pages (`render_lists`), when the
    caller made them already (while the related papers were computed); `meanwhile`: the caller's own files,
    made in this process while the workers make the paper pages (after the list pages), planned last.
    """
    idx = idx if idx is not None else index(cat, directory_urls)
    # The paper pages are made by the workers while this process makes the list pages.
    making = PaperFilesMaking(cat, directory_urls, cache, idx)
    try:
        if lists is None:
            lists = render_lists(cat, directory_urls, site_url, updated, idx.key_of)
        more = meanwhile() if meanwhile is not None else {}
        pages, rows = making.finish()
    except BaseException:
        making.cancel()
        raise
    plan = dict(lists.before)
    plan.update(pages)
    plan.update(lists.after)  # (after the paper pages: the plan's order stays as it was)
    files = exports.export_files(cat.papers, rows)
    plan.update(files)
    if not directory_urls:  # the offline build: per-tag downloads load these from file://
        plan.update(exports.download_scripts(files))
    plan[exports.FEED_NAME] = exports.atom_feed(cat, directory_urls, site_url, lists.stamp)
    plan.update(more)
    return plan


@dataclass(frozen=True)
class ListPages:
    """The pages that list papers (home, all papers, tags and their feeds, the reading pages), in the plan's
    order: those before the paper pages, those after."""

    before: dict[str, Content]
    after: dict[str, Content]
    stamp: dt.datetime  # the feeds' date


def render_lists(
    cat: Catalogue,
    directory_urls: bool = True,
    site_url: str | None = None,
    updated: dt.datetime | None = None,
    key_of: dict[str, str] | None = None,
) -> ListPages:
    """Every page that lists papers. None of them shows related papers: they can be made before those are known
    (`cat.related` is not read). `key_of`: slug -> paper key, when the caller has it."""
    key_of = key_of if key_of is not None else {slug: key for key, slug in cat.slugs.items()}
    views = card_views(cat)
    grouped = papers_by_tag(cat)
    # Each page is kept as UTF-8 from the moment it is made: as text one non-ASCII character makes every
    # character 2 or 4 bytes (147 MB against 46 MB of list pages at 10,000 papers), and the writer wants bytes.
    plan: dict[str, Content] = {"index.md": _utf8(render_home(cat, views, grouped, directory_urls, key_of))}
    plan.update(_encoded(render_all(cat, views, directory_urls)))
    plan[f"{TAGS_DIR}/index.md"] = _utf8(render_tag_index(cat, grouped))
    whole = whole_list(cat)
    plan[f"{TAGS_DIR}/{CARDS_SCRIPT}"] = _utf8(filter_cards(cat, views, directory_urls, whole.cards_digest))
    together = co_occurrence(cat)
    stamp = updated or dt.datetime.fromtimestamp(0, dt.UTC)
    newest: dict[str, list[Paper]] = {t.slug: [] for t in cat.tags}  # each tag's papers in the feed's order
    for paper in exports.feed_order(cat):
        for match in cat.matches[paper.key]:
            newest[match.tag].append(paper)
    for tag in cat.tags:  # a tag's JSON, BibTeX and CSV are made in the browser from the whole list's
        plan.update(_encoded(render_tag(cat, tag, grouped[tag.slug], together, views, directory_urls, whole)))
        feed = exports.tag_feed(cat, tag, newest[tag.slug], directory_urls, site_url, stamp)
        plan[f"{TAGS_DIR}/{tag.slug}/{exports.FEED_NAME}"] = _utf8(feed)
    return ListPages(plan, _encoded(render_reading(cat, views, directory_urls, key_of)), stamp)


def _utf8(content: Content) -> Content:
    return content.encode("utf-8") if isinstance(content, str) else content


def _encoded(pages: dict[str, Content]) -> dict[str, Content]:
    return {path: _utf8(content) for path, content in pages.items()}
