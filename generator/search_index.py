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
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from generator import jsonbytes
from generator.search_input import FORMAT as INPUT_FORMAT
from generator.search_input import SEARCH_INPUT, SEARCH_TERMS
from generator.state import keep, read_kept
from generator.toolchain import (
    add_theme_dir,
    after_material_search,
    exclude_from_search,
    material_search_config,
    material_search_entries,
    search_index_file,
    take_early_search,
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


# Material's default word separator. \s is what str.isspace() finds, as str.split() splits on.
DEFAULT_SEPARATOR = r"[\s\-]+"


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


class Terms(dict):
    """A word as the separator left it -> the term lunr would index for it ("" for none): each distinct word is
    worked out once (a paper's words are mostly words other papers have)."""

    def __init__(self, stop_words: frozenset[str]) -> None:
        super().__init__()
        self.stop_words = stop_words

    def __missing__(self, word: str) -> str:
        key = word.lower()
        self[word] = term = "" if not key or key in self.stop_words else trim(key)
        return term


def terms_of(
    text: str, separator: re.Pattern[str], stop_words: frozenset[str], known: Terms | None = None
) -> list[str]:
    """The words lunr would index for plain `text`, each trimmed of punctuation, in order. `known`: the terms
    of the words met so far, for these stop words (filled in)."""
    known = known if known is not None else Terms(stop_words)
    if separator.pattern == DEFAULT_SEPARATOR and separator.flags == re.UNICODE:
        words = text.replace("-", " ").split()  # the same words but the empty ones, three times faster
    else:
        words = separator.split(text)
    return [term for term in map(known.__getitem__, words) if term]


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


@dataclass
class IndexPart:
    """`build_index`'s work on the first entries (the papers'), made beforehand: their docs, the tag names they
    number (in order), and each term's postings, encoded, with the last of these entries holding it."""

    docs: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    terms: dict[str, tuple[str, int]] = field(default_factory=dict)


def index_part(entries: list[Entry]) -> IndexPart:
    """The part of the index the first `entries` make, for `build_index(config, rest, first=...)`. Pure."""
    tag_numbers: dict[str, int] = {}
    docs = index_docs(entries, tag_numbers)
    return IndexPart(docs, list(tag_numbers), {t: (encode_flat(p), p[-2]) for t, p in postings_of(entries).items()})


def build_index(config: dict[str, Any], entries: list[Entry], first: IndexPart | None = None) -> dict[str, Any]:
    """Entries -> the search_index.json data. Pure. `first`: the `index_part` of entries that come before
    these, made already (an update makes the papers' part while MkDocs renders its pages): the same data as
    build_index of all of them."""
    first = first if first is not None else IndexPart()
    postings = postings_of(entries, len(first.docs))
    vocabulary = sorted(first.terms.keys() | postings.keys(), key=utf16_key)
    if any(" " in term for term in vocabulary):
        raise PluginError("readinglist-search: the search separator must split on spaces")
    tag_numbers = {name: number for number, name in enumerate(first.tags)}
    docs = first.docs + index_docs(entries, tag_numbers)

    def encoded(term: str) -> str:
        head, last = first.terms.get(term, ("", -1))
        tail = postings.get(term)
        return head + encode_flat(tail, last) if tail else head

    index = {
        "format": FORMAT,
        "tags": list(tag_numbers),
        "terms": " ".join(vocabulary),
        "postings": " ".join(map(encoded, vocabulary)),
    }
    return {"config": {**config, "readinglist": index}, "docs": docs}


def postings_of(entries: list[Entry], start: int = 0) -> dict[str, list[int]]:
    """term -> [doc, fields, doc, fields, ...] in doc order, the entries numbered from `start`.

    About 1.2 million (term, document) pairs at 10,000 papers: the loop is written for that (one dict of
    fields per document, flat posting lists), and gives what the plain loop would."""
    postings: dict[str, list[int]] = {}
    known = postings.get
    for number, entry in enumerate(entries, start):
        fields = dict.fromkeys(entry.title_terms, TITLE)
        for term in entry.text_terms:
            fields[term] = fields.get(term, 0) | TEXT
        for term, flags in fields.items():
            docs = known(term)
            if docs is None:
                postings[term] = [number, flags]
            else:
                docs += (number, flags)
    return postings


def index_docs(entries: list[Entry], tag_numbers: dict[str, int]) -> list[dict[str, Any]]:
    """Each entry's result as the worker shows it; tag names numbered in `tag_numbers` (filled in order)."""
    docs = []
    for entry in entries:
        # One paragraph of escaped text, as Material's entries hold it.
        text = f"<p>{entry.text}</p>" if entry.text else ""
        doc: dict[str, Any] = {"location": entry.location, "title": entry.title, "text": text}
        if entry.tags:
            doc["tags"] = [tag_numbers.setdefault(name, len(tag_numbers)) for name in entry.tags]
        docs.append(doc)
    return docs


SMALL = tuple(encode_number(value) for value in range(BASE**3))  # every number of at most three digits


def encode_flat(pairs: list[int], previous: int = -1) -> str:
    """encode_postings of [doc, fields, doc, fields, ...] (docs ascending, after `previous`)."""
    out, small, limit = [], SMALL, len(SMALL)
    for i in range(0, len(pairs), 2):
        doc = pairs[i]
        value = (doc - previous - 1) * 3 + pairs[i + 1] - 1
        out.append(small[value] if value < limit else encode_number(value))
        previous = doc
    return "".join(out)


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
    known: dict[str, tuple[list[str], list[str]]] | None = None,
    found: dict[str, tuple[list[str], list[str]]] | None = None,
) -> list[Entry]:
    """Search input records (generator/search_input.py) -> entries: title, clean abstract, the reader's note, tags.

    `known`: words found before (the last build's, read_terms), by words_key of the title and
    text; each paper's words go into `found`, by the same key."""
    known = known or {}
    found = {} if found is None else found
    terms = Terms(stop_words)
    entries = []
    for paper in papers:
        text = " ".join([paper.get("note", ""), paper["abstract"] or paper.get("raw", "")])
        key = words_key(paper["title"], text)
        words = known.get(key)
        if words is None:
            words = (
                unique(terms_of(paper["title"], separator, stop_words, terms)),
                unique(terms_of(text, separator, stop_words, terms)),
            )
        found[key] = words
        entries.append(
            Entry(
                location=locations.get(paper["page"], paper["url"]),
                title=html.escape(paper["title"], quote=False),
                text=html.escape(snippet(paper["abstract"]), quote=False),
                tags=list(paper["tags"]),
                title_terms=words[0],
                text_terms=words[1],
            )
        )
    return entries


def search_settings(search: dict[str, Any]) -> tuple[re.Pattern[str], frozenset[str]]:
    """Material's search config (lang, separator, pipeline) -> (word separator, stop words)."""
    if "stemmer" in search.get("pipeline", ()) or search.get("lang", ["en"]) != ["en"]:
        raise PluginError("readinglist-search supports Material's English search without the stemmer")
    separator = re.compile(search.get("separator") or DEFAULT_SEPARATOR)
    return separator, STOP_WORDS if "stopWordFilter" in search.get("pipeline", ()) else frozenset()


@dataclass
class Early:
    """The papers' part of the index, begun in a worker (`papers_part`), and the settings it was begun with."""

    header: dict[str, Any]
    job: Any  # parallel.Started
    locations: dict[str, str]  # the papers' URLs it was begun with


@dataclass
class Prepared:
    """The papers' part begun before the build (`prepare_papers_part`), and everything it was begun from."""

    papers: list[dict[str, Any]]
    header: dict[str, Any]
    known: dict[str, tuple[list[str], list[str]]]
    locations: dict[str, str]
    job: Any  # parallel.Started

    def taken_for(self, papers: list, header: dict, known: dict, locations: dict) -> bool:
        """True when the build would begin this very job (papers_part of equal arguments: equal results)."""
        return (self.header, self.locations, self.papers, self.known) == (header, locations, papers, known)


def prepare_papers_part(config) -> Prepared | None:
    """In `readinglist build`'s early MkDocs child (toolchain.EarlyMkDocs.prepare_search), once docs/ is written
    and before the build starts: the papers' part begun in a worker, from search's input and the last build's
    words as they are on disk now, with the settings of the config the child loaded, and each paper's URL as the
    input gives it. `begin_early` takes it when the build finds the same of each (else it is cancelled)."""
    from generator import parallel

    docs = Path(config.docs_dir)
    search = material_search_config(config)
    papers = read_search_input(docs) if search is not None else []
    workers = parallel.jobs(len(papers))
    if not papers or workers < 2:
        return None
    separator, stop_words = search_settings(search)
    header = terms_header(separator.pattern, bool(stop_words))
    known = stored_words(read_terms(docs / SEARCH_TERMS), header)
    locations = {paper["page"]: page_url(paper["url"]) for paper in papers}
    job = partial(papers_part, papers, locations, separator, stop_words, known)
    return Prepared(papers, header, known, locations, parallel.begin(job, workers))


def papers_part(
    papers: list[dict[str, Any]],
    locations: dict[str, str],
    separator: re.Pattern[str],
    stop_words: frozenset[str],
    known: dict[str, tuple[list[str], list[str]]],
) -> tuple[IndexPart, dict[str, tuple[list[str], list[str]]], list[str]]:
    """The papers' entries made into the first part of the index (a worker's task): (the part, the words of
    papers `known` did not have, every paper's words_key in order)."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    part = index_part(paper_entries(papers, locations, separator, stop_words, known, found))
    return part, {key: words for key, words in found.items() if key not in known}, list(found)


def unique(terms: list[str]) -> list[str]:
    """Each term once, in order: all the index records of a field's words."""
    return list(dict.fromkeys(terms))


def words_key(title: str, text: str) -> str:
    return hashlib.blake2b(f"{title}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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


def read_search_input(docs_dir: Path) -> list[dict[str, Any]]:
    """The papers of search's own input; none when there is none (a site without the generator)."""
    path = docs_dir / SEARCH_INPUT
    if not path.is_file():
        return []
    try:
        data = jsonbytes.loads(path.read_bytes())
        if data.get("format") != INPUT_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, not {INPUT_FORMAT!r}")
        return data["papers"]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PluginError(f"readinglist-search: {path}: {exc}; run `readinglist generate` again") from exc


TERMS_FORMAT = "readinglist-search-terms/1"


def terms_header(separator: str, stop_words: bool) -> dict[str, Any]:
    """What a build's words were found with: equal headers find equal words in equal text."""
    from generator.state import code_fingerprint

    return {"format": TERMS_FORMAT, "code": code_fingerprint(), "separator": separator, "stop": stop_words}


def read_terms(path: Path) -> dict[str, Any]:
    """The last build's record of words (see save_terms); {} when there is none or it is damaged: it is a cache."""
    body = read_kept(path)
    try:
        data = None if body is None else jsonbytes.loads(body)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == TERMS_FORMAT else {}


def stored_words(data: dict[str, Any], header: dict[str, Any]) -> dict[str, tuple[list[str], list[str]]]:
    """Each paper's words (words_key -> title terms, text terms) from a record made with this header."""
    if not data or any(data.get(name) != value for name, value in header.items()):
        return {}
    try:
        papers = {}
        for key, words in data["papers"].items():
            # A list of two texts, or the record is not used: a string of two characters or a dict of two keys
            # would unpack into two runs of words too.
            title, text = jsonbytes.items(words, 2)
            papers[key] = (split_words(title), split_words(text))
        return papers
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}


def stored_pages(data: dict[str, Any], index: bytes) -> dict[str, list[Entry]] | None:
    """The other pages' entries recorded with the index whose bytes are `index`; None when the record is not
    that index's (then the index itself is read back, read_entries)."""
    if not data or data.get("index") != hashlib.sha256(index).hexdigest():
        return None
    try:
        pages = {
            page: [
                Entry(
                    *map(jsonbytes.text, (loc, title, text)),
                    list(map(jsonbytes.text, jsonbytes.items(tags))),
                    split_words(a),
                    split_words(b),
                )
                for loc, title, text, tags, a, b in map(partial(jsonbytes.items, count=6), jsonbytes.items(rows))
            ]
            for page, rows in data["pages"].items()
        }
        # Each entry's text is HTML the search box shows: only ever what that index itself holds.
        held = {(d["location"], d["title"], d["text"]) for d in jsonbytes.loads(index)["docs"]}
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError):
        return None
    if any(
        (e.location, e.title, f"<p>{e.text}</p>" if e.text else "") not in held for es in pages.values() for e in es
    ):
        return None
    return pages


def split_words(joined: str) -> list[str]:
    """A kept run of terms, one space between each: text (TypeError else), terms never hold a space (build_index
    checks), and none is empty (ValueError: two spaces, or one at an end, are not what save_terms writes)."""
    words = joined.split(" ") if jsonbytes.text(joined) else []
    if "" in words:
        raise ValueError("an empty term in a kept run of terms")
    return words


def save_terms(
    path: Path,
    header: dict[str, Any],
    words: dict[str, tuple[list[str], list[str]]],
    pages: dict[str, list[Entry]],
    index: bytes,
) -> None:
    """Keep this build's words for the next one: every paper's (by words_key of its title and text), the other
    pages' entries, and the digest of the index they made. Plain JSON in docs/ (a dot-file: never published);
    rewritten only when its bytes change."""
    data = {
        **header,
        "index": hashlib.sha256(index).hexdigest(),
        "papers": {key: [" ".join(title), " ".join(text)] for key, (title, text) in sorted(words.items())},
        "pages": {
            page: [
                [e.location, e.title, e.text, e.tags, " ".join(unique(e.title_terms)), " ".join(unique(e.text_terms))]
                for e in entries
            ]
            for page, entries in sorted(pages.items())
        },
    }
    keep(path, jsonbytes.dumps(data))


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
        self.keep = False  # record this build's words in docs/ for the next build (not under serve)
        self.stored: dict[str, Any] = {}  # the last build's record of words, as read (read_terms)
        self.header: dict[str, Any] = {}  # what self.words were found with
        self.words: dict[str, tuple[list[str], list[str]]] = {}  # the papers' words, by words_key
        self.early: Early | None = None  # the papers' part of the index, begun in on_files

    def on_startup(self, *, command, dirty) -> None:
        problem = version_problem()  # a bare `mkdocs build` meets the check here
        if problem is not None:
            raise PluginError(problem)
        self.dirty = dirty
        self.keep = command == "build"  # serve keeps its words in this process

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
        if self.keep:
            self.stored = read_terms(Path(config.docs_dir) / SEARCH_TERMS)
        if self.dirty and not self.previous and path.is_file():
            # `mkdocs build --dirty` in a new process: the pages it skips keep their entries
            # from the last build's record of them, or else from the index on disk (serve
            # --dirty keeps them in self.previous instead).
            with contextlib.suppress(ValueError, KeyError, TypeError, OSError):
                index = path.read_bytes()
                kept = stored_pages(self.stored, index)
                if kept is not None:
                    self.previous = kept
                    return
                for entry in read_entries(jsonbytes.loads(index)):
                    self.previous.setdefault(entry.location.partition("#")[0], []).append(entry)

    def on_files(self, files, *, config):
        self.files = files
        self.papers = read_search_input(Path(config.docs_dir))
        self.paper_pages = {paper["page"] for paper in self.papers}
        self.begin_early(config)
        return files

    def begin_early(self, config) -> None:
        """The papers' part of the index begun in a worker (when there are workers), while MkDocs reads and renders
        its pages: index() takes it when Material's index turns out to have the settings it was made with, and
        the papers' URLs are still those it was begun with (a plugin after this one may change the files)."""
        from generator import parallel

        self.cancel_early()
        prepared = take_early_search()  # begun before the build (`readinglist build`), taken or cancelled below
        search = material_search_config(config)
        workers = parallel.jobs(len(self.papers))
        try:
            if search is None or not self.papers or workers < 2:
                return
            try:
                separator, stop_words = search_settings(search)
            except PluginError:
                return  # index() says why
            header = self.words_for(separator, stop_words)
            locations = self.locations()
            if prepared is not None and prepared.taken_for(self.papers, header, self.words, locations):
                self.early, prepared = Early(header, prepared.job, locations), None
                return
            job = partial(papers_part, self.papers, locations, separator, stop_words, self.words)
            self.early = Early(header, parallel.begin(job, workers), locations)
        finally:
            if prepared is not None:
                prepared.job.cancel()

    def on_build_error(self, *, error) -> None:
        self.cancel_early()

    def cancel_early(self) -> None:
        if self.early is not None:
            self.early.job.cancel()
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
        material = jsonbytes.loads(path.read_bytes())
        data = self.index(material, config)
        text = jsonbytes.dumps(data)
        try:
            atomic_write(path, text)
            if self.keep:
                save_terms(Path(config.docs_dir) / SEARCH_TERMS, self.header, self.words, self.previous, text)
        except OSError as exc:
            raise PluginError(
                f"readinglist-search: cannot write {exc.filename or path}: {exc.strerror or exc}"
            ) from exc

    def locations(self) -> dict[str, str]:
        """Each paper's page (docs path) -> its URL as Material's locations have them (none without files)."""
        locations = {}
        files = self.files.src_uris if self.files else {}  # (get_file_from_path makes a PurePath a call: 0.1 s)
        for paper in self.papers if files else ():
            file = files.get(paper["page"])
            if file is not None:
                locations[paper["page"]] = page_url(file.url)
        return locations

    def words_for(self, separator: re.Pattern[str], stop_words: frozenset[str]) -> dict[str, Any]:
        """The header of words found with these settings; self.words become the last build's, when they were
        found the same way (else the record's, or none)."""
        header = terms_header(separator.pattern, bool(stop_words))
        if header != self.header:
            self.header, self.words = header, stored_words(self.stored, header)
        return header

    def index(self, material: dict[str, Any], config) -> dict[str, Any]:
        search = material.get("config", {})
        separator, stop_words = search_settings(search)
        docs_dir = Path(config.docs_dir)
        files = self.files
        # Page URLs as Material's locations have them (the home page is "", not "./").
        src_of = {page_url(f.url): f.src_uri for f in files.documentation_pages()} if files else {}
        papers = self.papers if self.files is not None else read_search_input(docs_dir)
        locations = self.locations()
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

        header = self.words_for(separator, stop_words)
        pages = [entry for page in sorted(by_page) for entry in by_page[page]]
        config_out = {k: v for k, v in search.items() if k != "readinglist"}
        early, self.early = self.early, None
        if early is not None and early.header == header and early.locations == locations:  # made as it would be now
            part, new, keys = early.job.results()[0]
            self.words = {key: self.words[key] if key in self.words else new[key] for key in keys}
            return build_index(config_out, pages, part)
        if early is not None:
            early.job.cancel()
        words: dict[str, tuple[list[str], list[str]]] = {}
        entries = paper_entries(papers, locations, separator, stop_words, self.words, words)
        self.words = words  # this build's papers only
        return build_index(config_out, entries + pages)
