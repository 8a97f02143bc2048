"""The pipeline, top to bottom: read every input -> parse -> deduplicate -> tag -> render -> write -> record the state."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import report
from generator.cache import Cache
from generator.corpus import Merge, deduplicate, paper_fingerprints, title_key
from generator.errors import GeneratorError
from generator.models import Catalogue, Entry, Paper, Problem, SourceFile, Tag, TagMatch, content_bytes
from generator.notes import load_notes
from generator.overrides import apply_overrides, parse_overrides
from generator.pages import by_date
from generator.parse import parse_listing
from generator.slugs import LOCK_NAME, base_slug, lock_text, parse_lock, resolve_slugs
from generator.slugs import assign_slugs as slug_papers
from generator.sources import (
    load_yaml,
    read_listings,
    read_slug_lock,
    read_text_asset,
    read_yaml,
    read_yaml_text,
)
from generator.state import files_untouched, input_fingerprint, pack, read_state, write_state
from generator.stored import (
    EXPORT_NAMES,
    FILES,
    Stored,
    files_record,
    keep_records,
    kept_taxonomy,
    keyed_records,
    made_files,
    reuse_pages,
    work_record,
)
from generator.stored import load as load_work
from generator.tagging import PhraseIndex, compile_taxonomy, tag_paper
from generator.taxonomy import load_taxonomy
from generator.writer import (
    WORK,
    Manifest,
    WriteReport,
    docs_lock,
    read_manifest,
    remove_dead_runs_temp,
    write_plan,
    write_slug_lock,
)

if TYPE_CHECKING:
    from generator.parallel import Started

SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_TARGET = "assets/javascripts/iframe-worker.js"
# Problem kinds that are warnings (--strict makes them errors); "info" is not.
WARNING_KINDS = ("warning", "skip", "file")
PIECES_PER_WORKER = 24  # slices of the papers to tag and clean, per worker (analyse): small, so that the workers end
# together (with 8, one worker went on alone with its last slice for 1.5 s at 50,000 papers)


@dataclass(frozen=True)
class Options:
    sources: Path = Path("corpus/sources")
    docs: Path = Path("docs")
    tags: Path = Path("corpus/tags.yml")
    directory_urls: bool = True
    strict: bool = False
    overrides: Path | None = None  # None: overrides.yml next to the tags file (optional)
    notes: Path | None = None  # the reader's notes.yml; default: beside the sources folder, if present
    year: int | None = None  # the year of listings whose file name and first line give none
    project: Path = Path(".")  # where mkdocs.yml is (build, serve: --config's folder), and node_modules/ with it

    @property
    def shim_path(self) -> Path:
        """The iframe-worker shim npm installs in the project (copied into docs/ for the offline build)."""
        return self.project / SHIM_SOURCE

    @property
    def overrides_path(self) -> Path:
        return self.overrides if self.overrides is not None else self.tags.parent / "overrides.yml"

    @property
    def notes_path(self) -> tuple[Path, bool]:
        """(path, required): an explicit --notes must exist, the default may not."""
        if self.notes is not None:
            return self.notes, True
        return self.sources.parent / "notes.yml", False

    @property
    def lock_path(self) -> Path:
        """The slug lock lives beside the sources folder, like notes.yml: one lock per corpus folder."""
        return self.sources.parent / LOCK_NAME


class Clock:
    """Wall time per pipeline stage, for `readinglist generate --timings` and the benchmark."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append((stage, now - self._last))
        self._last = now


@dataclass(frozen=True)
class Result:
    catalogue: Catalogue | None  # None when the run found docs/ up to date and stopped early
    files: int
    entries: int
    skipped: int
    merges: tuple[Merge, ...]
    problems: tuple[Problem, ...]
    report: WriteReport | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    counts: tuple[str, ...] = ()  # the summary's counting lines, when there is no catalogue
    timings: tuple[tuple[str, float], ...] = ()  # (stage, seconds) in pipeline order
    lock: str | None = None  # the slug lock's new text, when it exists and new papers extend it
    # The related papers, still being computed in a worker (catalogue_of with `later`): the catalogue's
    # `related` is NOT_YET until `with_related` waits for them.
    related_later: Started | None = None

    def with_related(self) -> Result:
        """This result with its catalogue's related papers (waiting for them when they are still computed)."""
        if self.related_later is None:
            return self
        cat = self.catalogue
        related = related_by_key(cat.papers, cat.slugs, self.related_later.results()[0])
        return replace(self, catalogue=replace(cat, related=related), related_later=None)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind in WARNING_KINDS)

    def count_lines(self) -> list[str]:
        return report.count_lines(self)

    def summary(self) -> str:
        return report.summary(self)


@dataclass(frozen=True)
class Inputs:
    """Every input file a run reads, read before any pipeline step: the steps after touch no file."""

    listings: tuple[SourceFile, ...]  # in file-name order
    unread: tuple[Problem, ...]  # listing files skipped, and why
    taxonomy: Any  # tags.yml, loaded
    lock: str | None  # slugs.lock's text; None: no lock, and none is made
    overrides: str | None  # overrides.yml's text, None when absent
    notes: str | None  # notes.yml's text, None when absent
    work: Stored = field(default_factory=Stored)  # the last run's tags and clean text (generator/stored.py)


def generate(
    options: Options,
    *,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
    cache: Cache | None = None,
) -> Result:
    """Read the listings and write the generated pages into docs/.

    One run at a time per docs/: the run holds docs/'s lock throughout (waiting for
    another run as `writer.docs_lock` says). A run whose inputs are byte-identical to
    the last successful run's, with no generated file touched since, stops before
    parsing (see `up_to_date`). `cache`: what earlier runs made (`readinglist serve`
    keeps one); default: a fresh one.
    """
    check_docs_folder(options)  # before the lock: its file goes beside docs/
    with docs_lock(options.docs, wait, on_wait):
        return generate_held(options, cache)


def generate_held(options: Options, cache: Cache | None = None) -> Result:
    """`generate`, for a caller that holds docs/'s lock (`readinglist build` holds it through MkDocs too).

    Top to bottom: stop early when nothing changed; read every input; the pure
    pipeline (catalogue, then the site plan, in memory); write docs/; record the state.
    """
    with young_collections_only():
        return _generate_held(options, cache)


FULL_COLLECTIONS_OFF = 1_000_000_000  # the oldest generation's threshold: no full collection in a run


@contextlib.contextmanager
def young_collections_only() -> Iterator[None]:
    """Python's cycle collector without its full collections for the block (its thresholds back after).

    A run makes millions of objects that live to its end (papers, records, pages); each full collection
    walked all of them again: 2.5 s of the 11 s of CPU of a 10,000-paper update. The young generations
    are still collected, so the short-lived cycles the LaTeX clean-up leaves (6 KB an abstract) are freed
    as before; forked workers inherit the setting."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTIONS_OFF)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


def _generate_held(options: Options, cache: Cache | None) -> Result:
    check_docs_folder(options)
    stamp = fingerprint_of(options)
    state = read_state(options.docs)  # read once: up_to_date, reuse_pages and the writer use it
    cached = up_to_date(options, stamp, state)
    if cached is not None:
        return cached
    clock = Clock()
    inputs, shim = read_inputs(options), read_text_asset(options.shim_path)
    one_shot = cache is None  # serve keeps its own cache of paper files, run after run
    cache = cache if cache is not None else Cache()
    result = catalogue_of(inputs, options, clock, True, cache, later=True)
    from generator import parallel
    from generator.records import index as record_index
    from generator.render import render_lists, render_site  # pylatexenc, feedgen: only when pages are made
    from generator.search_input import SEARCH_INPUT, search_input

    site_url, updated, lists = os.environ.get("SITE_URL") or None, feed_stamp(), None
    with parallel.cancelled_on_error(result.related_later):
        if options.strict and result.warnings:
            raise strict_error(result.warnings)
        if result.related_later is not None:  # an update: a worker computes them while the list pages are made
            lists = render_lists(result.catalogue, options.directory_urls, site_url, updated)
        # Read before the related papers are taken, which neither needs: in an update their worker is often still
        # computing them (the last run's paper files took 0.23 s at 10,000 papers).
        manifest = docs_manifest(options.docs)
        # A digest of each record finds the pages the last run kept; with none kept (a cold run) they are only
        # needed for the kept work, and made with it, in its worker (1.1 s at 50,000 papers).
        kept_pages = one_shot and inputs.work.usable_for(result.catalogue.tags) and bool(inputs.work.files)
        result = result.with_related()
    cat, urls = result.catalogue, options.directory_urls
    # Papers whose record the last run kept: their pages and rows are taken as made (generator/stored.py).
    records = record_index(cat, urls)  # made once, for the renderers too
    keyed = keyed_records(records.records.values()) if kept_pages else {}
    reuse_pages(inputs.work, keyed, cat.tags, options.docs, cache, manifest, state)
    # The search's input (for search only, never published) is made while the workers make the paper pages.
    plan = render_site(
        cat, urls, site_url, updated, cache, records, lists, meanwhile=lambda: {SEARCH_INPUT: search_input(cat, urls)}
    )
    if shim is not None:
        plan[SHIM_TARGET] = shim
    clock.lap("render pages")

    def kept_work() -> list[tuple[str, bytes]]:
        """The file that keeps this run's tags and clean text for the next (generator/stored.py), packed."""
        memo = cache.tagged(cat.tags)
        found = {
            inputs.work.key(p.title, p.abstract): matches
            for p in cat.papers
            if (matches := memo.get((p.title, p.abstract))) is not None
        }
        return [(WORK, pack(work_record(cat.tags, found, cat.clean, inputs.work)))]

    def kept_files(digests: dict[str, str]) -> list[tuple[str, bytes]]:
        """The file that keeps this run's paper files for the next, packed (a one-shot run's only: serve keeps
        them in its cache)."""
        if not one_shot:
            return []
        files = made_files(keyed or keyed_records(records.records.values()), cache)
        exports = {name: content_bytes(plan[name]) for name in EXPORT_NAMES if name in plan}
        return [(FILES, pack(files_record(kept_taxonomy(cat.tags, inputs.work), files, exports, digests)))]

    def kept(digests: dict[str, str]) -> list[tuple[str, bytes]]:
        return kept_work() + kept_files(digests)

    def before_write(digests: dict[str, str]) -> None:
        # The lock is written once docs/ is known to take the plan, before any page: a lock that cannot be
        # written leaves docs/ as it was, and no page is published without its slug locked.
        if result.lock is not None:
            write_slug_lock(options.lock_path, result.lock)
        for folder in (options.lock_path.parent, options.sources):  # a killed run's half-written lock or listing
            remove_dead_runs_temp(folder)

    # The kept work is made on the other cores while this process checks docs/ and writes the pages (at 50,000
    # papers, 7 s of hashing and JSON beside 3 s of checks and 6 s of writing; begun after the checks, it kept
    # the run waiting 2 s after the last page), its two files each in a worker of its own, and kept after the
    # pages, as before: the order files reach the disk in is what lets an interrupted run be resumed. The
    # paper files' record hashes the three exports itself. (Not in serve, whose threads must not be forked.)
    making: list[Started] = []
    try:
        jobs = parallel.jobs(len(cat.papers)) if one_shot else 1
        for task in (kept_work, partial(kept_files, {})):
            try:
                making.append(parallel.begin(task, jobs))
            except OSError:  # no fork (out of memory, a process limit): made in this process, after the pages
                making.append(parallel.begin(task, 1))
        written = write_plan(options.docs, plan, before_write, manifest, state)
        try:
            made = [file for started in making for file in started.results()[0]]
        except parallel.WorkerDied:  # (killed, say by the out-of-memory killer): it is a cache; made here
            for started in making:
                started.cancel()
            made = kept(written.digests)
    except BaseException:
        for started in making:
            started.cancel()
        raise
    dropped = keep_records(options.docs, made, packed=True)
    clock.lap("write (exports made here)")
    lasting = lasting_notes(result, None if shim is not None else options.shim_path)
    notes = (*lasting, *kept_notes(options.docs, written), *dropped)
    result = replace(result, report=written, notes=notes, timings=tuple(clock.laps))
    write_state(options.docs, stamp, state_summary(result, lasting), sorted(plan))
    return result


def check_docs_folder(options: Options) -> None:
    """Refuse a docs folder that is, lies inside or holds the sources folder: pages would land among the
    listings (and be read as listings), or generated files beside them."""
    docs, sources = os.path.realpath(options.docs), os.path.realpath(options.sources)
    common = os.path.commonpath([docs, sources])
    if common in (docs, sources):
        relation = "is" if docs == sources else ("holds" if common == docs else "is inside")
        raise GeneratorError(
            f"refusing to write pages here: this folder {relation} the sources folder ({options.sources}). "
            "Pass --docs with a folder of its own (default: docs)",
            f"{options.docs}/",
        )


def fingerprint_of(options: Options) -> str:
    """Everything the generated pages depend on (see state.input_fingerprint)."""
    notes_path, _ = options.notes_path
    return input_fingerprint(
        [options.tags, options.overrides_path, notes_path, options.lock_path, options.shim_path],
        options.sources,
        [str(options.directory_urls), str(options.year)],
    )


def docs_manifest(docs: Path) -> Manifest | None:
    """The writer's manifest, read once for reuse_pages and the writer; None when it is unreadable (the writer
    reads it again and says why)."""
    try:
        return read_manifest(docs)
    except GeneratorError:
        return None


def up_to_date(options: Options, stamp: str, state: dict | None) -> Result | None:
    """The last run's result when nothing it depends on changed since (`state`: docs/'s state file), else None."""
    if not state or state.get("fingerprint") != stamp:
        return None
    try:
        summary = state["summary"]
        if not files_untouched(options.docs, state["files"]):
            return None
        problems = tuple(Problem(*p) for p in summary["problems"])
        result = Result(
            None, summary["files"], summary["entries"], summary["skipped"], (), problems,
            WriteReport((), len(state["files"]), ()), tuple(summary["notes"]), tuple(summary["counts"]),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return None
    if options.strict and result.warnings:
        raise strict_error(result.warnings)
    return result


def strict_error(warnings: tuple[Problem, ...]) -> GeneratorError:
    """--strict: every warning is an error; list them all so one run shows everything to fix."""
    if len(warnings) == 1:
        w = warnings[0]
        return GeneratorError(f"{w.message} (--strict turns warnings into errors)", w.path, w.line or None)
    listed = "\n".join(f"  {w}" for w in warnings)
    return GeneratorError(f"{len(warnings)} warnings, and --strict turns warnings into errors:\n{listed}")


def read_inputs(options: Options) -> Inputs:
    """Read every input (sources.py does the reading; its errors name the file and line)."""
    listings, unread = read_listings(options.sources)
    notes_path, required = options.notes_path
    return Inputs(
        tuple(listings),
        tuple(unread),
        read_yaml(options.tags),
        read_slug_lock(options.lock_path),
        read_yaml_text(options.overrides_path, required=False),
        read_yaml_text(notes_path, required=required),
        load_work(options.docs),
    )


def make_catalogue(
    options: Options, clock: Clock | None = None, clean: bool = False, cache: Cache | None = None
) -> Result:
    """Everything up to the site plan, with no writes: read every input, then the pure pipeline.
    `clean`: also clean every abstract now (on every core), for the renderers. `cache` (default:
    a fresh one) holds earlier runs' work."""
    clock = clock or Clock()
    return catalogue_of(read_inputs(options), options, clock, clean, cache if cache is not None else Cache())


def catalogue_of(
    inputs: Inputs, options: Options, clock: Clock, clean: bool, cache: Cache, later: bool = False
) -> Result:
    """Inputs -> the catalogue and what was found on the way. Pure, apart from the cache it fills.
    `later`: the related papers may still be computing when this returns (see `analyse`): then the catalogue's
    `related` is NOT_YET, and `Result.with_related` waits for them."""
    entries, problems, skipped, titles = parse_listings(inputs, options, later_imports)
    clock.lap("read and parse")
    bases, keys = ({title: made[i] for title, made in titles.items()} for i in (0, 1))
    papers, merges, dedup_problems = deduplicate(entries, options.sources, keys)
    problems.extend(dedup_problems)
    tags = load_taxonomy(inputs.taxonomy, str(options.tags))
    slugs, new_lock = assign_slugs(papers, entries, inputs.lock, str(options.lock_path), bases, keys)
    papers = by_date(papers)  # after the slugs: listing order, not dates, decides who keeps a plain slug
    dates, days, sources = listing_dates(entries)
    where = str(options.overrides_path)
    overrides = parse_overrides(inputs.overrides, where)
    clock.lap("deduplicate, slugs, taxonomy")
    tagged, related, cleaned = analyse(tags, papers, slugs, clean, cache, inputs.work, later)
    pending = not isinstance(related, dict)  # still being computed (`later`)
    matches, override_problems = apply_overrides(tagged, slugs, tags, overrides, where)
    problems.extend(override_problems)
    clock.lap("tag, related papers" + (", clean abstracts" if clean else ""))
    key_of = {slugs[p.key]: p.key for p in papers}
    notes_path, _ = options.notes_path
    notes_data = None if inputs.notes is None else load_yaml(inputs.notes, notes_path)
    notes, note_problems = load_notes(notes_data, str(notes_path), list(key_of), inputs.notes)
    problems.extend(note_problems)
    cat = Catalogue(
        tuple(papers),
        slugs,
        matches,
        tags,
        sources,
        dates,
        NOT_YET if pending else related_by_key(papers, slugs, related),
        {key_of[slug]: note for slug, note in notes.items()},
        days,
        cleaned,
    )
    clock.lap("notes")
    return Result(
        cat, len(inputs.listings), len(entries), skipped, tuple(merges), tuple(problems), timings=tuple(clock.laps),
        lock=new_lock, related_later=related if pending else None,
    )  # fmt: skip


class NotYet(Mapping):
    """A catalogue's related papers while they are still being computed: nothing may read them yet."""

    def __getitem__(self, key: str) -> tuple[str, ...]:
        raise RuntimeError("the related papers were read before they were computed (Result.with_related)")

    def __iter__(self):
        return self[""]

    def __len__(self) -> int:
        return self[""]


NOT_YET = NotYet()


def related_by_key(
    papers: Sequence[Paper], slugs: dict[str, str], by_slug: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """related_papers' lists (slug -> slugs) as the catalogue keeps them (paper key -> paper keys)."""
    key_of = {slug: key for key, slug in slugs.items()}
    return {p.key: tuple(key_of[s] for s in by_slug[slugs[p.key]]) for p in papers}


LISTING_CHARS_PER_ENTRY = 1500  # about what a listing holds per entry (title, abstract, metadata): sizes the pool


def parse_listings(
    inputs: Inputs, options: Options, meanwhile: Callable[[], object] | None = None
) -> tuple[list[Entry], list[Problem], int, dict[str, tuple[str, str]]]:
    """Every listing's entries, the problems met (unread files first), how many entries were skipped, and each
    entry title's base slug and normalised title ({title: (slugs.base_slug, corpus.title_key)}: python-slugify
    and the normalising took 1.4 s and 0.7 s of 50,000 papers' titles on the core the run waits on; the slices'
    workers make them on every core). Large corpora are parsed on every core
    (parse_listing is pure), in slices of listings, while this process runs `meanwhile` (the imports the next
    stages need); the result is the same, in listing order."""
    from generator import parallel

    listings = inputs.listings
    workers = parallel.jobs(sum(len(s.text) for s in listings) // LISTING_CHARS_PER_ENTRY)
    year = options.year
    tasks = [partial(_parse_slice, piece, year) for piece in parallel.chunks(listings, 4 * workers)]
    started = parallel.start(tasks, workers)
    with parallel.cancelled_on_error(started):
        if meanwhile is not None:
            meanwhile()
        results = started.results()
    parsed = [found for piece, _ in results for found in piece]
    titles = {title: facts for _, made in results for title, facts in made.items()}
    entries: list[Entry] = []
    problems = list(inputs.unread)
    skipped = 0
    for found, issues in parsed:  # (in listing order)
        entries.extend(found)
        # Provenance keeps the bare file name (papers.json); messages name the path the user can open.
        problems.extend(replace(i, path=str(options.sources / i.path)) for i in issues)
        skipped += sum(1 for i in issues if i.kind == "skip")
    return entries, problems, skipped, titles


def _parse_slice(
    listings: Sequence[SourceFile], year: int | None
) -> tuple[list[tuple[list[Entry], list[Problem]]], dict[str, tuple[str, str]]]:
    parsed = [parse_listing(source.name, source.text, year) for source in listings]
    return parsed, {e.title: (base_slug(e.title), title_key(e.title)) for found, _ in parsed for e in found}


def later_imports() -> None:
    """The modules the next stages import when they run (numpy and scipy for the related papers, pylatexenc,
    the renderers), imported while the listings are parsed: half a second otherwise spent on one core."""
    import generator.related  # noqa: F401
    import generator.render  # noqa: F401
    import generator.textclean  # noqa: F401


def assign_slugs(
    papers: list[Paper],
    entries: list[Entry],
    lock_source: str | None,
    lock_path: str,
    bases: Mapping[str, str] | None = None,
    keys: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], str | None]:
    """Paper key -> slug, and the slug lock's new text when a lock exists and new papers extend it. `bases`,
    `keys`: titles' base slugs and normalised titles made already (parse_listings)."""
    if lock_source is None:  # no lock, none made: the abstracts' fingerprints name lock entries only
        return slug_papers([(p.key, p.title) for p in papers], bases=bases), None
    keys = keys or {}
    fingerprints = paper_fingerprints(papers, entries)
    slugs, lock = resolve_slugs(
        [
            (p.key, p.title, keys[p.title] if p.title in keys else title_key(p.title), fingerprints[p.key])
            for p in papers
        ],
        parse_lock(lock_source, lock_path),
        bases,
    )
    new_lock = lock_text(lock) if lock_source is not None else None
    return slugs, new_lock if new_lock != lock_source else None


def listing_dates(entries: list[Entry]) -> tuple[dict[str, str | None], dict[str, str | None], tuple[str, ...]]:
    """Each listing's date as listed and as YYYY-MM-DD (from its first entry), and the listings, sorted."""
    dates: dict[str, str | None] = {}
    days: dict[str, str | None] = {}
    for entry in entries:
        dates.setdefault(entry.provenance.source, entry.provenance.date)
        days.setdefault(entry.provenance.source, entry.provenance.day)
    return dates, days, tuple(sorted({e.provenance.source for e in entries} | set(dates)))


def analyse(
    tags: tuple[Tag, ...],
    papers: list[Paper],
    slugs: dict[str, str],
    clean: bool,
    cache: Cache,
    stored: Stored | None = None,
    later: bool = False,
) -> tuple[dict[str, tuple[TagMatch, ...]], dict[str, tuple[str, ...]] | Started, dict[str, tuple]]:
    """Tags of every paper, related papers by slug and, with `clean`, each abstract's clean text runs
    (raw abstract -> runs). The per-paper work is cut into slices that run on every core
    (generator/parallel.py), beside the related papers; papers `cache` knows are not done again.

    `later`: when few papers are left to tag (an update), the related papers, which are computed for all
    papers every time, go on in a worker of their own after this returns (a `parallel.Started`, not a dict):
    the caller makes the list pages, which do not need them, meanwhile."""
    # Imported here, not at the top: numpy/scipy and pylatexenc take longer to import than a no-op run takes.
    from generator import parallel
    from generator.related import paper_text
    from generator.textclean import latex_runs, plain_runs

    texts = [(slugs[p.key], paper_text(p.title, p.abstract)) for p in papers]

    def related(workers: int = 1) -> dict[str, tuple[str, ...]]:
        from generator.related import related_papers

        return related_papers(texts, workers=workers)

    alone = parallel.jobs(len(papers))  # the related papers' worker, when it has one of its own
    usable = stored is not None and stored.usable_for(tags)
    # An update (the last run's work is usable): few papers will be left to tag, and the related papers, computed
    # for all papers every time, are the longest task. Begun first, before the kept work is looked up.
    # In a worker of its own, the related papers' products are split over the cores (the list pages are made beside
    # them, then the run waits for them).
    early = parallel.begin(partial(related, alone), alone) if later and usable and alone > 1 else None
    with parallel.cancelled_on_error(early):
        memo = cache.tagged(tags)
        if usable:  # the last run's work, kept in docs/ (generator/stored.py), usable for these tags
            for p in papers:
                if (p.title, p.abstract) not in memo and (found := stored.tags_of(p)) is not None:
                    memo.put((p.title, p.abstract), found)
                if clean and p.abstract not in cache.clean and (runs := stored.clean_of(p.abstract)) is not None:
                    cache.clean.put(p.abstract, runs)
        todo = [p for p in papers if (p.title, p.abstract) not in memo or (clean and p.abstract not in cache.clean)]
        index = PhraseIndex(compile_taxonomy(tags))
        workers = parallel.jobs(len(todo))
        # Small slices, each handed out as a worker frees up (`ahead` 1), so that the worker that ran the related papers
        # and the others end close together.
        pieces = parallel.chunks(todo, PIECES_PER_WORKER * workers) if todo else []

        def to_clean(piece: Sequence[Paper]) -> list[str]:
            """Each abstract (a card's snippet is the start of its clean text)."""
            return [p.abstract for p in piece] if clean else []

        def tag_and_clean(piece: Sequence[Paper]) -> tuple[list[tuple[TagMatch, ...]], list]:
            # Runs in the order of to_clean(piece), None for plain text's (most): the texts themselves are not
            # sent back to this process, which has them (at 50,000 papers, 65 MB to pickle and unpickle).
            return [tag_paper(index, p) for p in piece], [latex_runs(raw, cache.tokens) for raw in to_clean(piece)]

        tasks = [partial(tag_and_clean, piece) for piece in pieces]
        if early is not None:
            results = [early, *parallel.run_all(tasks, workers, ahead=1)]
        elif later and 2 * len(todo) < len(papers) and alone > 1:
            results = [parallel.begin(partial(related, alone), alone), *parallel.run_all(tasks, workers, ahead=1)]
        else:
            results = parallel.run_all([related, *tasks], workers, ahead=1)
        tagged, cleaned = {}, {}
        for piece, (found, runs) in zip(pieces, results[1:], strict=True):
            tagged.update(zip(((p.title, p.abstract) for p in piece), found, strict=True))
            for raw, made in zip(to_clean(piece), runs, strict=True):
                cleaned[raw] = made if made is not None else plain_runs(raw)
        for key, matches in tagged.items():  # workers' results, into this process's cache
            memo.put(key, matches)
        for raw, runs in cleaned.items():
            cache.clean.put(raw, runs)
        matches = {}
        for p in papers:
            found = tagged.get((p.title, p.abstract))
            if found is None:
                found = memo.get((p.title, p.abstract))
            matches[p.key] = found if found is not None else tag_paper(index, p)  # evicted meanwhile (huge corpus)
        if clean:
            for p in papers:
                if p.abstract not in cleaned and (known := cache.clean.get(p.abstract)) is not None:
                    cleaned[p.abstract] = known
        return matches, results[0], cleaned


def lasting_notes(result: Result, missing_shim: Path | None) -> list[str]:
    """Notes true of every run on these inputs: a no-op run replays them. `missing_shim`: the shim's path, when
    it is not there."""
    notes = [str(p) for p in result.problems if p.kind == "info"]  # merged entries whose text was not kept
    if missing_shim is not None:
        notes.append(f"{missing_shim} is missing (run `make deps`): the offline build will not search from file://")
    return notes


def kept_notes(docs: Path, written: WriteReport) -> list[str]:
    """Files the writer kept rather than delete, and why."""
    kept = [
        f"{docs / rel}: the generator no longer makes it (its paper left the corpus, or its list got shorter), "
        "but the file was edited by hand, so it was kept "
        "(it is yours now: delete it if you do not need it)"
        for rel in written.kept
    ]
    kept += [
        f"{docs / rel}: an old manifest (paths, no digests) lists it, but nothing proves the generator "
        "wrote it, so it was kept (it is yours now: delete it if you do not need it)"
        for rel in written.unproven
    ]
    return kept


def state_summary(result: Result, lasting: list[str]) -> dict:
    """What a no-op run replays (see up_to_date)."""
    return {
        "files": result.files,
        "entries": result.entries,
        "skipped": result.skipped,
        "counts": result.count_lines(),
        "problems": [[p.path, p.line, p.message, p.kind, p.reason] for p in result.problems],
        "notes": lasting,
    }


def feed_stamp() -> dt.datetime | None:
    """The feed's `updated` time: SOURCE_DATE_EPOCH (reproducible builds) when set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit():  # int() would take "-5", "1_000" and " 7 "
        raise GeneratorError(f"SOURCE_DATE_EPOCH must be a Unix time in seconds, not {value!r}")
    try:
        stamp = dt.datetime.fromtimestamp(int(value), dt.UTC)
        time.gmtime(int(value))  # what numpy's f2py does with it, at import time
    except (ValueError, OverflowError, OSError) as exc:
        raise GeneratorError(f"SOURCE_DATE_EPOCH must be a Unix time in seconds, not {value!r}") from exc
    return stamp


def parse_all(options: Options) -> tuple[list[Entry], list[Problem], int, int]:
    """The listings alone, read and parsed (bench/synth.py trains on them): entries, problems, files, skipped."""
    listings, unread = read_listings(options.sources)
    inputs = Inputs(tuple(listings), tuple(unread), None, None, None, None)
    entries, problems, skipped, _titles = parse_listings(inputs, options)
    return entries, problems, len(listings), skipped


def require_shim(offline: bool, shim: Path) -> None:
    if offline and read_text_asset(shim) is None:
        raise GeneratorError(
            "the offline build needs the iframe-worker shim for search from file://; run `make deps` (npm ci)",
            str(shim),
        )
