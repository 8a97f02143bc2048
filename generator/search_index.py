"""A prebuilt search index, so that search is ready as soon as the index is parsed.

Material's search worker builds a lunr index from the full text of every page
in the browser before the first result: about 13 s at 10,000 papers in
Chromium. This MkDocs plugin (`readinglist-search` in mkdocs.yml, after
`search`) rewrites `search/search_index.json` once Material has written it,
and the theme override in `generator/theme/` (added by the plugin) points Material's search UI at our
own worker (`assets/javascripts/workers/readinglist-search.js`), which speaks
the same messages as Material's worker but only parses the prebuilt index.

The file keeps Material's shape, `{"config": ..., "docs": [...]}`, because
Material's main thread fetches it (or, offline, `search_index.js`) and hands
exactly `config` and `docs` to the worker:

- `docs`: one entry per result, `{"location", "title", "text", "tags"}`. Title
  and text are HTML-escaped plain text, the text a short snippet in one `<p>`
  (the worker unescapes, marks the matches and escapes again); `tags` are
  numbers into `config.readinglist.tags`.
- `config.readinglist`: the inverted index. `terms` is the sorted vocabulary
  (UTF-16 order, as JavaScript sorts) joined by spaces; `postings` has, in the
  same order and also space-separated, each term's documents as delta-coded
  numbers (`encode_postings`) with the field (title, text or both); `tags`
  holds the tag names, whose words the worker matches itself.

Terms are what lunr indexes with Material's English configuration (split on the
configured separator, lower-cased, lunr's stop words out; Material leaves
lunr's stemmer and trimmer out of the pipeline), then trimmed of punctuation at
both ends, so "models," and "(NTK)" are found by "models" and "ntk", which
Material's lunr misses. Queries match terms by prefix, as Material's worker
does while typing; tests/test_search_recall.py compares both on the whole
embedded corpus.

Papers are indexed from search's own input, which the generator writes
(`docs/.readinglist-search.json`, generator/search_input.py; never published),
not from the pages MkDocs rendered nor from the public papers.json: an
incremental (`--dirty`) build still indexes every paper, and the exports can
change without changing search. Other pages come from Material's entries, and
pages that a dirty rebuild skipped keep the entries of the previous build in
this process. Every use of MkDocs' and Material's internals goes through
generator/toolchain.py.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from generator import parallel
from generator.search_input import FORMAT as INPUT_FORMAT
from generator.search_input import SEARCH_INPUT
from generator.toolchain import (
    add_theme_dir,
    after_material_search,
    exclude_from_search,
    material_search_entries,
    material_search_settings,
    run_at,
    search_index_file,
    version_problem,
)
from generator.writer import atomic_write

FORMAT = "readinglist-search/1"
THEME = Path(__file__).parent / "theme"
SNIPPET_CHARS = 160
TAG = re.compile(r"<[^>]*>")
# lunr.js's English stop word list (lunr.stopWordFilter), which Material's
# worker applies when the search pipeline includes "stopWordFilter".
STOP_WORD_LIST = """a able about across after all almost also am among an and any are as at be because been but by can
    cannot could dear did do does either else ever every for from get got had has have he her hers him his
    how however i if in into is it its just least let like likely may me might most must my neither no nor
    not of off often on only or other our own rather said say says she should since so some than that the
    their them then there these they this tis to too twas us wants was we were what when where which while
    who whom why will with would yet you your"""
STOP_WORDS = frozenset(STOP_WORD_LIST.split())
TITLE, TEXT = 1, 2
# Posting digits: printable ASCII that JSON never escapes, minus the space (the
# list separator). The first BASE mark the last digit of a number, the next BASE
# a digit with more to come.
DIGITS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')[:90]
BASE = 45


def _kept(char: str) -> bool:
    """Letters, marks and numbers: what the worker's /[\\p{L}\\p{M}\\p{N}]/u keeps at a word's ends."""
    return unicodedata.category(char)[0] in "LMN"


def trim(word: str) -> str:
    """`word` without the punctuation at either end ("(ntk)," -> "ntk"); the worker trims queries alike."""
    if word and word[0].isalnum() and word[-1].isalnum():
        return word
    start, end = 0, len(word)
    while start < end and not _kept(word[start]):
        start += 1
    while end > start and not _kept(word[end - 1]):
        end -= 1
    return word[start:end]


def terms_of(text: str, separator: re.Pattern[str], stop_words: frozenset[str]) -> list[str]:
    """The words lunr would index for plain `text`, each trimmed of punctuation, in order."""
    terms = []
    for word in separator.split(text):
        key = word.lower()
        if not key or key in stop_words:
            continue
        term = trim(key)
        if term:
            terms.append(term)
    return terms


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of `text` (whitespace collapsed), cut at a word boundary, for the result list."""
    plain = " ".join(text.split())
    if len(plain) <= limit:
        return plain
    cut = plain.rfind(" ", 0, limit)
    return plain[: cut if cut > limit // 2 else limit] + " …"


def encode_number(value: int) -> str:
    digits = [DIGITS[value % BASE]]
    value //= BASE
    while value:
        digits.append(DIGITS[BASE + value % BASE])
        value //= BASE
    return "".join(reversed(digits))


def decode_numbers(text: str) -> list[int]:
    """Inverse of encode_number over a run of numbers (the worker has the same loop)."""
    numbers, value = [], 0
    for char in text:
        digit = DIGITS.index(char)
        if digit >= BASE:
            value = value * BASE + digit - BASE
        else:
            numbers.append(value * BASE + digit)
            value = 0
    return numbers


def encode_postings(postings: Iterable[tuple[int, int]]) -> str:
    """(doc number, fields) pairs in doc order -> one number each: (gap - 1) * 3 + fields - 1."""
    previous = -1
    out = []
    for doc, fields in postings:
        out.append(encode_number((doc - previous - 1) * 3 + fields - 1))
        previous = doc
    return "".join(out)


def decode_postings(text: str) -> list[tuple[int, int]]:
    doc, out = -1, []
    for number in decode_numbers(text):
        doc += number // 3 + 1
        out.append((doc, number % 3 + 1))
    return out


def utf16_key(term: str) -> bytes:
    """Sort key giving JavaScript's string order (UTF-16 code units), which the worker's binary search needs."""
    return term.encode("utf-16-be", "surrogatepass")


@dataclass
class Entry:
    """One search result before encoding: escaped title and snippet, tag numbers, and its words."""

    location: str
    title: str  # HTML-escaped, as Material writes titles
    text: str  # HTML-escaped snippet
    tags: list[str] = field(default_factory=list)  # names
    title_terms: list[str] = field(default_factory=list)
    text_terms: list[str] = field(default_factory=list)


def build_index(config: dict[str, Any], entries: list[Entry]) -> dict[str, Any]:
    """Entries -> the search_index.json data. Pure."""
    tag_numbers: dict[str, int] = {}
    postings: dict[str, dict[int, int]] = {}
    for number, entry in enumerate(entries):
        for fields, terms in ((TITLE, entry.title_terms), (TEXT, entry.text_terms)):
            for term in terms:
                docs = postings.setdefault(term, {})
                docs[number] = docs.get(number, 0) | fields
    vocabulary = sorted(postings, key=utf16_key)
    if any(" " in term for term in vocabulary):
        raise PluginError("readinglist-search: the search separator must split on spaces")
    docs = []
    for entry in entries:
        # One paragraph of escaped text, as Material's entries hold it.
        text = f"<p>{entry.text}</p>" if entry.text else ""
        doc: dict[str, Any] = {"location": entry.location, "title": entry.title, "text": text}
        if entry.tags:
            doc["tags"] = [tag_numbers.setdefault(name, len(tag_numbers)) for name in entry.tags]
        docs.append(doc)
    index = {
        "format": FORMAT,
        "tags": list(tag_numbers),
        "terms": " ".join(vocabulary),
        "postings": " ".join(encode_postings(sorted(postings[t].items())) for t in vocabulary),
    }
    return {"config": {**config, "readinglist": index}, "docs": docs}


def read_entries(data: dict[str, Any]) -> list[Entry]:
    """Inverse of build_index: the entries of an index this plugin wrote (for dirty rebuilds)."""
    index = data["config"]["readinglist"]
    entries = [
        Entry(
            location=doc["location"],
            title=doc["title"],
            text=doc["text"].removeprefix("<p>").removesuffix("</p>"),
            tags=[index["tags"][number] for number in doc.get("tags", [])],
        )
        for doc in data["docs"]
    ]
    if index["terms"]:
        for term, encoded in zip(index["terms"].split(" "), index["postings"].split(" "), strict=True):
            for number, fields in decode_postings(encoded):
                if fields & TITLE:
                    entries[number].title_terms.append(term)
                if fields & TEXT:
                    entries[number].text_terms.append(term)
    return entries


def paper_entries(
    papers: list[dict[str, Any]],
    locations: dict[str, str],
    separator: re.Pattern[str],
    stop_words: frozenset[str],
) -> list[Entry]:
    """Search input records (generator/search_input.py) -> entries: title, clean abstract, the reader's note, tags."""
    entries = []
    for paper in papers:
        text = " ".join([paper.get("note", ""), paper["abstract"] or paper.get("raw", "")])
        entries.append(
            Entry(
                location=locations.get(paper["page"], paper["url"]),
                title=html.escape(paper["title"], quote=False),
                text=html.escape(snippet(paper["abstract"]), quote=False),
                tags=list(paper["tags"]),
                title_terms=terms_of(paper["title"], separator, stop_words),
                text_terms=terms_of(text, separator, stop_words),
            )
        )
    return entries


def page_entry(doc: dict[str, Any], separator: re.Pattern[str], stop_words: frozenset[str]) -> Entry:
    """One of Material's entries (a page or a section of it) -> an entry; its text keeps only a snippet."""
    title = html.unescape(TAG.sub("", doc.get("title", "")))
    text = html.unescape(TAG.sub(" ", doc.get("text", "")))
    return Entry(
        location=doc["location"],
        title=html.escape(title, quote=False),
        text=html.escape(snippet(text), quote=False),
        tags=[str(name) for name in doc.get("tags", [])],
        title_terms=terms_of(title, separator, stop_words),
        text_terms=terms_of(text, separator, stop_words),
    )


def page_docs_to_keep(doc: dict[str, Any], src: str | None) -> bool:
    """Tag pages list their papers' titles and related tags: the papers' own entries hold those words."""
    page, _, anchor = doc.get("location", "").partition("#")
    is_tag_page = src is not None and src.startswith("tags/") and src != "tags/index.md"
    return not (is_tag_page and anchor)


def page_url(url: str) -> str:
    return "" if url in (".", "./") else url


def search_rules(search: dict[str, Any]) -> tuple[re.Pattern[str], frozenset[str]]:
    """Material's search settings -> (word separator, stop words) as lunr applies them."""
    if "stemmer" in search.get("pipeline", ()) or search.get("lang", ["en"]) != ["en"]:
        raise PluginError("readinglist-search supports Material's English search without the stemmer")
    separator = re.compile(search.get("separator") or r"[\s\-]+")
    return separator, STOP_WORDS if "stopWordFilter" in search.get("pipeline", ()) else frozenset()


def paper_locations(papers: list[dict[str, Any]], files) -> dict[str, str]:
    """Search input page -> the page's URL as Material's locations have it."""
    locations = {}
    for paper in papers:
        file = files.get_file_from_path(paper["page"]) if files else None
        if file is not None:
            locations[paper["page"]] = page_url(file.url)
    return locations


def read_search_input(docs_dir: Path) -> list[dict[str, Any]]:
    """The papers of search's own input; none when there is none (a site without the generator)."""
    path = docs_dir / SEARCH_INPUT
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != INPUT_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, not {INPUT_FORMAT!r}")
        return data["papers"]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PluginError(f"readinglist-search: {path}: {exc}; run `readinglist generate` again") from exc


class LeanSearchIndex(BasePlugin):
    """MkDocs plugin: replace site/search/search_index.json with the prebuilt index (see the module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self.dirty = False
        self.files = None
        self.built: set[str] = set()  # page URLs rendered in this build
        self.papers: list[dict[str, Any]] = []  # search input's papers, read once per build
        self.paper_pages: set[str] = set()  # src_uri of the pages the search input describes
        self.fresh: dict[str, list[dict]] = {}  # page URL -> the entries Material made for it in this build
        self.seen = 0  # how many entries Material had made when the last page was done
        self.previous: dict[str, list[Entry]] = {}  # page URL -> its entries in the last index (not papers)
        self.early: tuple[dict, parallel.Started] | None = None  # papers' entries begun in on_env (settings, work)

    def on_startup(self, *, command, dirty) -> None:
        problem = version_problem()  # a bare `mkdocs build` meets the check here
        if problem is not None:
            raise PluginError(problem)
        self.dirty = dirty

    def on_config(self, config):
        # The worker and the one-line template override travel with the plugin, so any
        # project folder using the plugin (tests, benchmarks) gets them, without custom_dir.
        add_theme_dir(config, THEME)
        return config

    def on_pre_build(self, *, config) -> None:
        self.built = set()
        self.fresh = {}
        self.seen = 0
        path = search_index_file(config)
        if self.dirty and not self.previous and path.is_file():
            # `mkdocs build --dirty` in a new process: the pages it skips keep their entries
            # from the index on disk (serve --dirty keeps them in self.previous instead).
            with contextlib.suppress(ValueError, KeyError, TypeError):
                data = json.loads(path.read_text(encoding="utf-8"))
                for entry in read_entries(data):
                    self.previous.setdefault(entry.location.partition("#")[0], []).append(entry)

    def on_files(self, files, *, config):
        self.files = files
        self.papers = read_search_input(Path(config.docs_dir))
        self.paper_pages = {paper["page"] for paper in self.papers}
        return files

    @run_at(-100)  # after every plugin that changes the files
    def on_env(self, env, *, config, files):
        # The papers' entries depend only on search's input and Material's settings, both final now: forked
        # workers make them while MkDocs renders its pages (index() takes them if the settings still hold).
        self.early = None
        settings = material_search_settings(config)
        if settings is not None and self.papers:
            rules = search_rules(settings)
            locations = paper_locations(self.papers, files)
            workers = parallel.jobs(len(self.papers))
            tasks = [
                partial(paper_entries, piece, locations, *rules) for piece in parallel.chunks(self.papers, workers)
            ]
            self.early = (settings, parallel.start(tasks, workers))
        return env

    def on_build_error(self, *, error) -> None:
        if self.early is not None:
            self.early[1].cancel()
            self.early = None

    def on_page_markdown(self, markdown, *, page, config, files):
        # Papers are indexed from search's own input (see index()): Material's search plugin
        # need not parse their pages' HTML for entries that would be thrown away
        # (`search.exclude`, its own front matter switch, set here and not in the
        # page files, so other tools reading those pages index them as usual).
        if page.file.src_uri in self.paper_pages:
            exclude_from_search(page)
        return markdown

    @after_material_search  # Material's search plugin has seen the page
    def on_page_context(self, context, *, page, config, nav):
        self.built.add(page.url)
        # The entries Material made for this page just now. Its index on disk cannot
        # tell them apart after a dirty rebuild under serve: Material merges its last
        # index back in and drops the old entries of only the first page rebuilt.
        made = material_search_entries(config)
        if made is not None:
            self.fresh[page_url(page.url)] = made[self.seen :]
            self.seen = len(made)
        return context

    # After Material's search plugin writes the index, before its offline plugin inlines it into search_index.js.
    @after_material_search
    def on_post_build(self, *, config) -> None:
        path = search_index_file(config)
        if not path.is_file():
            return
        material = json.loads(path.read_text(encoding="utf-8"))
        data = self.index(material, config)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write(path, text.encode("utf-8"))

    def index(self, material: dict[str, Any], config) -> dict[str, Any]:
        search = material.get("config", {})
        separator, stop_words = search_rules(search)
        docs_dir = Path(config.docs_dir)
        files = self.files
        # Page URLs as Material's locations have them (the home page is "", not "./").
        src_of = {page_url(f.url): f.src_uri for f in files.documentation_pages()} if files else {}
        papers = self.papers if self.files is not None else read_search_input(docs_dir)
        locations = paper_locations(papers, files)
        paper_urls = set(locations.values())

        # Material's entries of the pages built now; a dirty rebuild keeps the last index's for the others.
        by_page: dict[str, list[Entry]] = {}
        docs = material.get("docs", [])
        if self.fresh:  # Material's entries as made in this build, page by page
            docs = [doc for page in sorted(self.fresh) for doc in self.fresh[page]]
        for doc in docs:
            page = doc.get("location", "").partition("#")[0]
            if page in self.built and page not in paper_urls and page_docs_to_keep(doc, src_of.get(page)):
                by_page.setdefault(page, []).append(page_entry(doc, separator, stop_words))
        for page, entries in self.previous.items():
            if page not in self.built and page in src_of and page not in paper_urls:
                by_page[page] = entries
        self.previous = by_page

        early, self.early = self.early, None
        if early is not None and all(search.get(k) == v for k, v in early[0].items()) and papers is self.papers:
            entries = [entry for piece in early[1].results() for entry in piece]
        else:
            if early is not None:
                early[1].cancel()
            entries = paper_entries(papers, locations, separator, stop_words)
        for page in sorted(by_page):
            entries.extend(by_page[page])
        config_out = {k: v for k, v in search.items() if k != "readinglist"}
        return build_index(config_out, entries)
