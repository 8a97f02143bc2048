"""The work of the last run, kept in docs/ for the next one: tags, clean abstracts, paper pages and rows.

A one-shot run (`readinglist build` after a new listing) starts with an empty
Cache (generator/cache.py), so every paper was tagged and every abstract's
LaTeX cleaned again: 5 s of a 10,000-paper update. This file keeps both from
one run to the next, keyed by a digest of the paper's title and abstract (of the
raw text, for clean text), together with a digest of the generator's code and
of the taxonomy they were made with: a change to either, or any damage to the
file, means the file is ignored and everything is made again. It holds plain
JSON (never code), only this corpus's papers, and only clean text that the
LaTeX clean-up changed. `.readinglist-work.json` in docs/: MkDocs does not
publish dot-files, and the deploy workflow keeps it with the generator's other
state files.

Paper pages and export rows too: a paper's page and its papers.json, BibTeX and
CSV rows are a pure function of its record (generator/records.py), so
`.readinglist-work-files` keeps, by a digest of each record, the SHA-256 of the
page it made and the three rows (one JSON line naming them, then the rows' bytes:
7 KB a paper, which as JSON text took longer to write and read than to render).
A paper whose record is unchanged takes its page from docs/ (when the file there
still has that digest) and its rows from there, instead of being rendered again
(about 6 s of CPU at 10,000 papers, on every update).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
import stat
from collections.abc import Callable, Iterable
from functools import partial
from itertools import pairwise
from pathlib import Path

from generator import jsonbytes
from generator.errors import GeneratorError
from generator.models import Paper, Tag, TagMatch
from generator.overrides import OVERRIDE_FIELD
from generator.pages import PAPERS_DIR
from generator.state import KEPT_MAX_BYTES, code_fingerprint, keep, read_kept, read_state
from generator.writer import WORK as WORK_FILE
from generator.writer import Kept, read_manifest

FORMAT = 1
RUN_STYLES = frozenset({"", "em", "strong"})  # generator/textclean.py Run.style
# Above any score the tagger gives (a sum of a few small weights): a kept one beyond it is damage.
MAX_SCORE = 2**31 - 1
MATCH_FIELDS = frozenset({"title", "abstract", OVERRIDE_FIELD})  # generator/tagging.py, overrides.py
FILES = ".readinglist-work-files"  # paper pages' digests and export rows, beside WORK_FILE
FILES_HEAD = b"readinglist-work-files/1\n"  # the rows' bytes follow
FILES_HEAD_2 = b"readinglist-work-files/2\n"  # the rows are places in the exports in docs/
EXPORT_NAMES = ("papers.json", "papers.bib", "papers.csv")  # exports.EXPORT_NAMES (not imported: feedgen is slow)


def text_key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def taxonomy_digest(tags: Iterable[Tag]) -> str:
    return text_key(repr(tuple(tags)))


class Stored:
    """The last run's work, as read: tags by (title, abstract) digest, clean runs by raw-text digest (None: the
    text needed no LaTeX clean-up), and the taxonomy they were made with."""

    def __init__(
        self, taxonomy: str = "", tags: dict | None = None, clean: dict | None = None, docs: Path | None = None
    ) -> None:
        self.taxonomy = taxonomy
        self.tags: dict[str, tuple[TagMatch, ...]] = tags or {}
        self.clean: dict[str, tuple | None] = clean or {}
        self.docs = docs  # where FILES is, read when first needed (serve never needs it)
        self._files: dict[str, tuple[str, bytes, bytes, bytes]] | None = None
        self._known: bool | None = None
        self._keys: dict[tuple[str, ...], str] = {}  # text_key's digests this run made: save needs them again

    def key(self, *parts: str) -> str:
        """text_key(*parts), made once a run: a paper's and each abstract's key are looked up when the work is
        used and again when it is saved (30,000 SHA-256s at 10,000 papers)."""
        found = self._keys.get(parts)
        if found is None:
            found = self._keys[parts] = text_key(*parts)
        return found

    @property
    def files(self) -> dict[str, tuple[str, bytes, bytes, bytes]]:
        """Record digest -> (page SHA-256, JSON line, BibTeX entry, CSV row), read from FILES."""
        if self._files is None:
            self._files = load_files(self.docs, self.taxonomy) if self.docs is not None and self.taxonomy else {}
        return self._files

    def taxonomy_of(self, tags: tuple[Tag, ...]) -> str:
        """taxonomy_digest(tags), made once a run (the work is checked against it four times)."""
        return self.key(repr(tuple(tags)))

    def usable_for(self, tags: tuple[Tag, ...]) -> bool:
        if not self.taxonomy or self.taxonomy != self.taxonomy_of(tags):
            return False
        if self._known is None:  # every kept tag is one of this taxonomy's, or none of the work is used
            slugs = {t.slug for t in tags}
            self._known = all(m.tag in slugs for matches in self.tags.values() for m in matches)
        return self._known

    def tags_of(self, paper: Paper) -> tuple[TagMatch, ...] | None:
        return self.tags.get(self.key(paper.title, paper.abstract))

    def clean_of(self, raw: str) -> tuple | None:
        """The raw text's clean runs, or None when they are not known."""
        from generator.textclean import Run

        key = self.key(raw)
        if key not in self.clean:
            return None
        runs = self.clean[key]
        if runs is None:  # plain text: what clean_runs makes of it without LaTeX
            return (Run(" ".join(raw.split())),) if raw.strip() else ()
        return runs


def load(docs: Path) -> Stored:
    """The last run's work for this code; empty when there is none or it cannot be trusted. Reads JSON only."""
    from generator.textclean import Run

    try:
        body = read_kept(docs / WORK_FILE)
        if body is None:
            return Stored()  # damaged or edited by hand: the work is done again
        data = jsonbytes.loads(body)
        if (
            data.get("format") != FORMAT
            or data.get("code") != code_fingerprint()
            or not isinstance(data["taxonomy"], str)
        ):
            return Stored()
        # Every field has the type the tagger and the clean-up give it, or none of the work is used: a phrase
        # read as null must not be shown as "None", nor a score beyond 64 bits stop the next write.
        tags = {
            key: tuple(
                TagMatch(
                    jsonbytes.text(t), jsonbytes.text(phrase), jsonbytes.text(field), jsonbytes.whole(score, MAX_SCORE)
                )
                for t, phrase, field, score in map(partial(jsonbytes.items, count=4), jsonbytes.items(rows))
            )
            for key, rows in data["tags"].items()
        }
        clean = {
            key: None
            if runs is None
            else tuple(
                Run(jsonbytes.text(words), jsonbytes.text(style))
                for words, style in map(partial(jsonbytes.items, count=2), jsonbytes.items(runs))
            )
            for key, runs in data["clean"].items()
        }
        if any(m.field not in MATCH_FIELDS for matches in tags.values() for m in matches):
            return Stored()  # a field is words on the page: only the tagger's and the overrides' own
        if any(run.style not in RUN_STYLES for runs in clean.values() if runs for run in runs):
            return Stored()  # a style is an HTML tag name on the page: only the clean-up's own
        return Stored(data["taxonomy"], tags, clean, docs)
    except (
        OSError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        UnicodeDecodeError,
        RecursionError,
        OverflowError,
    ):
        return Stored()


def record_key(record, paper_fields: Callable[[Paper], tuple] | None = None) -> str:
    """A digest of what a paper's files are made of: its record but the tags themselves, which the matches name
    (the file is only used with the same taxonomy). The long texts (the abstract, its clean runs' text) are
    hashed as UTF-8, not written out by repr (a third of 10,000 records' keys, 0.15 s): repr gives the rest,
    with the long texts' lengths, and holds no NUL, which separates the two."""
    r = record
    paper_fields = paper_fields or record_fields()
    runs = r.clean or ()
    texts = [r.paper.abstract, *(run.text for run in runs)]
    rest = (
        paper_fields(r.paper),
        r.slug,
        r.matches,
        r.note,
        r.related,
        None if r.clean is None else tuple(run.style for run in runs),
        tuple(map(len, texts)),
        r.directory_urls,
    )
    digest = hashlib.sha256(repr(rest).encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def record_fields() -> Callable[[Paper], tuple]:
    """A paper's fields but its abstract (dataclasses.fields: a field added later is in the key)."""
    return operator.attrgetter(*(f.name for f in dataclasses.fields(Paper) if f.name != "abstract"))


def keyed_records(records: Iterable) -> dict[str, object]:
    """Record digest -> record (generator/records.py's PaperRecord)."""
    paper_fields = record_fields()
    return {record_key(record, paper_fields): record for record in records}


def reuse_pages(
    stored: Stored,
    keyed: dict[str, object],
    tags: tuple[Tag, ...],
    docs: Path,
    cache,
    written: dict[str, frozenset[str]] | None = None,
    state: dict | None = None,
) -> int:
    """Put into `cache` the files of every paper whose record the last run kept, when its page in docs/ is still
    the one that run wrote (by digest): the renderer then skips it (render.paper_files). Returns how many.

    A page that still has the size and time the last run recorded for it (its state file), with the one digest
    the manifest records, is the page that run wrote: it is not read (writer.Kept), as the writer does not read
    such a file either. Any other page is read and its digest compared. `written`, `state`: the manifest and
    state file as this run read them (default: read here)."""
    if not keyed or not stored.usable_for(tags):
        return 0
    try:  # the writer's own record of what it wrote: a page the kept file vouches for must be one of them
        written = read_manifest(docs) if written is None else written
        state = (state if state is not None else read_state(docs)) or {}
    except GeneratorError:
        return 0
    stats = state.get("files") if isinstance(state.get("files"), dict) else {}
    if not stored.files:
        return 0
    root = str(docs)
    count = 0
    known = len(cache.pages) > 0  # (hashing 10,000 records to find none in an empty cache took 0.2 s)
    for key, record in keyed.items():
        row = stored.files.get(key)
        if row is None or (known and record in cache.pages):  # (serve's cache holds what its earlier runs made)
            continue
        rel = f"{PAPERS_DIR}/{record.slug}.md"
        accepted = written.get(rel, ())
        if row[0] not in accepted:
            continue  # not what the writer wrote there: made again (and the writer says what it may overwrite)
        path = os.path.join(root, rel)
        if len(accepted) == 1 and stats.get(rel) is not None:
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and [info.st_size, info.st_mtime_ns] == stats[rel]:
                cache.pages.put(record, (Kept(path, row[0]), *row[1:]))
                count += 1
                continue
        try:
            page = Path(path).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(page).hexdigest() != row[0]:
            continue  # edited, damaged or missing: made again (and the writer says what it may overwrite)
        cache.pages.put(record, (page, *row[1:]))
        count += 1
    return count


def made_files(keyed: dict[str, object], cache) -> dict[str, tuple[bytes, bytes, bytes, bytes]]:
    """Record digest -> the paper's files (page, JSON, BibTeX, CSV row), as this run made or reused them."""
    found = {}
    for key, record in keyed.items():
        files = cache.pages.get(record)
        if files is not None:
            found[key] = files
    return found


def load_files(docs: Path, taxonomy: str) -> dict[str, tuple[str, bytes, bytes, bytes]]:
    """The kept paper files made by this code with this taxonomy; {} when there are none or they cannot be
    trusted (see files_record for the two layouts)."""
    try:
        data = read_kept(docs / FILES)
        if data is None or not data.startswith((FILES_HEAD, FILES_HEAD_2)):
            return {}
        inline = data.startswith(FILES_HEAD)
        begin = len(FILES_HEAD if inline else FILES_HEAD_2)
        end = data.index(b"\n", begin)
        head = jsonbytes.loads(data[begin:end])
        if head.get("code") != code_fingerprint() or head.get("taxonomy") != taxonomy:
            return {}
        if inline:  # the rows' bytes follow the head, one after the other
            blobs = [memoryview(data)[end + 1 :]] * 3
        else:  # the rows are where the last run put them in its exports, which must still be those bytes
            blobs = [read_export(docs, name, head["exports"][name]) for name in EXPORT_NAMES]
            if any(blob is None for blob in blobs):
                return {}
        files = {}
        # Rows never overlap (a planted head pointing every row at a whole 60 MB blob made the run copy it once a
        # row): all of them together fit in what holds them, checked as they are read, and no two share a byte,
        # checked once all are known.
        room = [len(blobs[0])] if inline else [len(blob) for blob in blobs]
        spans: list[list[tuple[int, int]]] = [[] for _ in room]
        for key, row in head["files"].items():
            digest, *places = jsonbytes.items(row)
            if any(type(number) is not int or number < 0 for number in places):
                raise ValueError("a row's start or size is not a whole non-negative number of bytes")
            if inline:  # [start, size of the JSON line, of the BibTeX entry, of the CSV row]
                starts = [places[0] + sum(places[1 : 1 + i]) for i in range(3)] if len(places) == 4 else []
                sizes = places[1:]
            else:  # [start, size] in papers.json, then in papers.bib, then in papers.csv
                starts, sizes = places[0::2], places[1::2]
            if len(starts) != 3 or len(sizes) != 3:
                continue
            parts = []
            for i, (blob, at, size) in enumerate(zip(blobs, starts, sizes, strict=True)):
                if at + size > len(blob):
                    raise ValueError("a row beyond the end of the file")
                holder = 0 if inline else i
                room[holder] -= size
                if room[holder] < 0:
                    raise ValueError("rows that overlap")
                if not size:  # every JSON line, BibTeX entry and CSV row holds something
                    raise ValueError("an empty row")
                spans[holder].append((at, at + size))
                part = bytes(blob[at : at + size])
                part.decode("utf-8")  # a row cut inside a character, or bytes that are not text: not published
                parts.append(part)
            files[key] = (jsonbytes.text(digest), *parts)
        for held in spans:
            held.sort()
            if any(start < end for (_, end), (start, _) in pairwise(held)):
                raise ValueError("rows that overlap")
        return files
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError):
        return {}


def read_export(docs: Path, name: str, digest: object) -> bytes | None:
    """An export in docs/ (papers.json ...), when it is a regular file that still has the digest the last run
    recorded for it; else None. Always hashed (0.06 s for the 56 MB of exports at 10,000 papers): an edit may
    keep a file's size and time, and the rows cut from it go into the site."""
    path = docs / name
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > KEPT_MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return data if isinstance(digest, str) and hashlib.sha256(data).hexdigest() == digest else None


EXPORT_GAP = 4096  # at most this many bytes between two rows of an export (its header, separators)


def row_places(files: dict[str, tuple], exports: dict[str, bytes]) -> dict[str, list[int]] | None:
    """Record digest -> [start, size] of its JSON line in papers.json, BibTeX entry in papers.bib and CSV row in
    papers.csv, found in `exports` (the files as this run wrote them) in the order of `files` (the papers');
    None when a row is not where that order puts it."""
    places: dict[str, list[int]] = {key: [] for key in files}
    for column, name in enumerate(EXPORT_NAMES, start=1):
        data = exports.get(name)
        if data is None:
            return None
        at, gap = 0, -1
        for key, made in files.items():
            row = made[column]
            if row and gap >= 0 and data.startswith(row, at + gap):
                found = at + gap  # the same separator as before it: compared, not searched for
            else:
                found = data.find(row, at, at + len(row) + EXPORT_GAP) if row else -1
            if found < 0:
                return None
            places[key] += [found, len(row)]
            gap, at = found - at, found + len(row)
    return places


def files_record(
    taxonomy: str,
    files: dict[str, tuple[bytes, bytes, bytes, bytes]],
    exports: dict[str, bytes] | None = None,
    digests: dict[str, str] | None = None,
) -> bytes:
    """FILES' bytes, in one of two layouts. When every paper's rows are found in `exports` (papers.json, papers.bib and
    papers.csv as this run wrote them into docs/, `files` in the papers' order): FILES_HEAD_2 and one line of
    JSON ({"code", "taxonomy", "exports": {name: SHA-256}, "files": {record digest: [page SHA-256, start and size
    of the JSON line in papers.json, of the BibTeX entry in papers.bib, of the CSV row in papers.csv]}}): the
    rows are not written twice (57 MB at 10,000 papers). Else FILES_HEAD, one line of JSON ({"code", "taxonomy",
    "files": {record digest: [page SHA-256, start, size of the JSON line, of the BibTeX entry, of the CSV
    row]}}), then the rows' bytes, in that order."""

    def page_digest(page) -> str:
        return page.digest if isinstance(page, Kept) else hashlib.sha256(page).hexdigest()

    places = row_places(files, exports) if exports is not None else None
    if places is not None:
        head = {key: [page_digest(files[key][0]), *places[key]] for key in sorted(files)}
        digests = digests or {}  # the writer's, or made here
        found = {name: digests.get(name) or hashlib.sha256(exports[name]).hexdigest() for name in EXPORT_NAMES}
        line = jsonbytes.dumps(
            {"code": code_fingerprint(), "taxonomy": taxonomy, "exports": found, "files": head}, sort_keys=True
        )
        return b"".join([FILES_HEAD_2, line, b"\n"])
    head, chunks, at = {}, [], 0
    for key in sorted(files):
        page, *rows = files[key]
        head[key] = [page_digest(page), at, *(len(row) for row in rows)]
        chunks += rows
        at += sum(len(row) for row in rows)
    line = jsonbytes.dumps({"code": code_fingerprint(), "taxonomy": taxonomy, "files": head}, sort_keys=True)
    return b"".join([FILES_HEAD, line, b"\n", *chunks])


def keep_records(docs: Path, made: list[tuple[str, bytes]], packed: bool = False) -> list[str]:
    """Keep what `work_record` and `files_record` made in docs/, in its order: the work, then the paper files
    (`packed`: each passed through state.pack, in the worker that made them). Returns a note for each file a
    failed write left out (the run still succeeds: it is a cache)."""
    notes = []
    for name, data in made:
        why = keep(docs / name, data, packed)
        if why is not None:
            notes.append(
                f"{docs / name}: not written ({why}); it only keeps this run's work for the next, "
                "which will do that work again"
            )
    return notes


def kept_taxonomy(tags: tuple[Tag, ...], previous: Stored | None = None) -> str:
    """The taxonomy digest the kept files record (`previous` makes it once a run)."""
    return previous.taxonomy_of(tags) if previous is not None else taxonomy_digest(tags)


def work_record(
    tags: tuple[Tag, ...],
    tagged: dict[str, tuple[TagMatch, ...]],
    clean: dict[str, tuple],
    previous: Stored | None = None,
) -> bytes:
    """WORK_FILE's bytes: this run's tags ((title, abstract) digest -> matches) and clean runs (raw digest -> runs;
    None when the clean-up left the text as plain text).
    `previous`: the work this run read (load), usable for `tags`: a text it knew as plain is plain (this code
    made it), not compared again with its clean runs (20,000 texts split and joined took 0.2 s)."""
    from generator.textclean import Run

    plain_before = previous.clean if previous is not None and previous.usable_for(tags) else {}
    key_of = previous.key if previous is not None else text_key

    def runs_of(key: str, raw: str, runs: tuple) -> list | None:
        if key in plain_before:
            before = plain_before[key]
            if before is None:
                return None
            if runs is before:  # the runs it read: not plain (7,000 texts split and joined took 0.08 s)
                return [[r.text, r.style] for r in runs]
        plain = (Run(" ".join(raw.split())),) if raw.strip() else ()
        return None if tuple(runs) == plain else [[r.text, r.style] for r in runs]

    data = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "taxonomy": kept_taxonomy(tags, previous),
        "tags": {key: [[m.tag, m.phrase, m.field, m.score] for m in matches] for key, matches in tagged.items()},
        "clean": {key: runs_of(key, raw, runs) for raw, runs in clean.items() for key in (key_of(raw),)},
    }
    return jsonbytes.dumps(data, sort_keys=True)
