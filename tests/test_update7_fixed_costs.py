"""The update's fixed costs (branch update7, issue 16 target 3): work every run paid over all papers that
mostly redid the last run's, cut without changing a byte of docs/.

- the cycle collector makes no full collection while a run holds its papers (its thresholds back after);
- with no slug lock (and none made), no abstract is fingerprinted;
- each paper's and abstract's key (text_key) is made once a run, not again when the work is saved;
- docs/'s manifest and state file are read once a run (they were read two and three times);
- a record's key hashes its long texts as UTF-8 instead of writing them out with repr (and still changes with
  every field a page is made of);
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from generator import build
from tests.sitebuild import docs_text, listing_project
from tests.sitebuild import generate_counting as run

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = ROOT / "tests" / "fixtures" / "listings"
FIRST, SECOND = "2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"


def fresh_docs(tmp_path: Path, listings: list[str], monkeypatch) -> dict:
    sources, docs = listing_project(tmp_path / "fresh", listings)
    run(sources, docs, monkeypatch)
    return docs_text(docs)


def test_a_run_makes_no_full_collection_and_the_thresholds_come_back(tmp_path, monkeypatch):
    seen: list[tuple[bool, tuple[int, int, int]]] = []
    real = build.catalogue_of
    monkeypatch.setattr(
        build,
        "catalogue_of",
        lambda *args, **kw: seen.append((gc.isenabled(), gc.get_threshold())) or real(*args, **kw),
    )
    sources, docs = listing_project(tmp_path / "gc", [FIRST])
    before = gc.get_threshold()
    run(sources, docs, monkeypatch)
    assert seen == [(True, (*before[:2], build.FULL_COLLECTIONS_OFF))] and gc.get_threshold() == before
    gc.set_threshold(500, 7, 3)  # a caller's own thresholds come back too
    try:
        shutil.copy(LISTINGS / SECOND, sources / SECOND)
        run(sources, docs, monkeypatch)
        assert seen[1] == (True, (500, 7, build.FULL_COLLECTIONS_OFF)) and gc.get_threshold() == (500, 7, 3)
    finally:
        gc.set_threshold(*before)
    assert docs_text(docs) == fresh_docs(tmp_path, [FIRST, SECOND], monkeypatch)


def test_without_a_slug_lock_no_fingerprint_is_made_and_the_slugs_are_the_locks_own(monkeypatch):
    from generator import corpus, parse
    from generator.slugs import resolve_slugs

    entries = []
    for name in (FIRST, SECOND):
        found, _ = parse.parse_listing(name, (LISTINGS / name).read_text(encoding="utf-8"), None)
        entries += found
    papers, _, _ = corpus.deduplicate(entries, LISTINGS)
    items = [(p.key, p.title, corpus.title_key(p.title), ("00000000",)) for p in papers]
    expected, _ = resolve_slugs(items, {})
    called: list[int] = []
    real = build.paper_fingerprints
    monkeypatch.setattr(build, "paper_fingerprints", lambda *args: called.append(1) or real(*args))
    assert build.assign_slugs(papers, entries, None, "slugs.lock") == (expected, None)
    assert called == []
    slugs, lock = build.assign_slugs(papers, entries, "", "slugs.lock")  # an empty lock is filled
    assert called == [1] and slugs == expected and lock is not None and len(slugs) == len(papers) > 3


def test_an_update_hashes_each_paper_and_abstract_once(tmp_path, monkeypatch):
    from generator import stored

    sources, docs = listing_project(tmp_path / "keys", [FIRST])
    run(sources, docs, monkeypatch)
    shutil.copy(LISTINGS / SECOND, sources / SECOND)
    hashed: list[tuple[str, ...]] = []
    real = stored.text_key
    monkeypatch.setattr(stored, "text_key", lambda *parts: hashed.append(parts) or real(*parts))
    run(sources, docs, monkeypatch)
    assert len(hashed) > 10 and len(hashed) == len(set(hashed))
    assert docs_text(docs) == fresh_docs(tmp_path, [FIRST, SECOND], monkeypatch)


def test_an_update_reads_the_manifest_and_the_state_file_once(tmp_path, monkeypatch):
    from generator import state, stored, writer

    sources, docs = listing_project(tmp_path / "once", [FIRST])
    run(sources, docs, monkeypatch)
    shutil.copy(LISTINGS / SECOND, sources / SECOND)
    reads: list[str] = []
    real_state, real_manifest = state.read_state, writer.read_manifest

    def read_state(folder):
        reads.append("state")
        return real_state(folder)

    def read_manifest(folder):
        reads.append("manifest")
        return real_manifest(folder)

    for module in (build, state, stored):
        monkeypatch.setattr(module, "read_state", read_state, raising=False)
    for module in (build, stored, writer):
        monkeypatch.setattr(module, "read_manifest", read_manifest, raising=False)
    run(sources, docs, monkeypatch)
    assert sorted(reads) == ["manifest", "state"]
    assert docs_text(docs) == fresh_docs(tmp_path, [FIRST, SECOND], monkeypatch)


def test_a_record_key_changes_with_every_field_a_page_is_made_of(tmp_path, monkeypatch):
    import dataclasses
    from dataclasses import replace

    from generator import stored
    from generator.models import Note, Paper
    from generator.records import Related, index
    from generator.textclean import Run

    assert [f.name for f in dataclasses.fields(Run)] == ["text", "style"]  # what record_key reads of a run
    sources, docs = listing_project(tmp_path / "key", [FIRST])
    _, cat = run(sources, docs, monkeypatch)
    record = next(r for r in index(cat).records.values() if r.matches and r.clean)
    record = replace(record, related=(Related("k3", "a-paper", "A paper"), *record.related))
    key = stored.record_key(record)
    assert key == stored.record_key(replace(record)) == stored.keyed_records([record]).popitem()[0]
    assert key == stored.record_key(replace(record, tags=()))  # the matches name the tags
    text = record.paper.abstract
    changed = [
        replace(record, slug=record.slug + "-2"),
        replace(record, matches=record.matches[1:]),
        replace(record, matches=(replace(record.matches[0], score=record.matches[0].score + 1), *record.matches[1:])),
        replace(record, related=record.related[1:]),
        replace(record, related=(replace(record.related[0], title="Other"), *record.related[1:])),
        replace(record, note=Note(record.slug, "read")),
        replace(record, clean=None),
        replace(record, clean=(Run("x"), *record.clean)),
        replace(record, clean=(replace(record.clean[0], style="em"), *record.clean[1:])),
        replace(record, clean=(replace(record.clean[0], text=record.clean[0].text + "."), *record.clean[1:])),
        replace(record, directory_urls=not record.directory_urls),
        # the same characters, cut otherwise between the abstract and the runs
        replace(record, paper=replace(record.paper, abstract=text[:-1]), clean=(Run(text[-1:]), *record.clean)),
    ]
    values = {"key": "k2", "title": "T", "abstract": text + "\0", "arxiv_id": "2501.00001", "authors": ("A",)}
    values |= {"authors_count": 7, "published": "2025-01-01", "published_as": "Jan 1"}
    values["provenance"] = (replace(record.paper.provenance[0], line=99999),)
    assert set(values) == {f.name for f in dataclasses.fields(Paper)}  # a new field: add it here
    changed += [replace(record, paper=replace(record.paper, **{name: value})) for name, value in values.items()]
    keys = [stored.record_key(r) for r in changed]
    assert key not in keys and len(set(keys)) == len(keys)


def test_the_kept_rows_are_found_where_the_exports_hold_them_with_any_separator():
    from generator import stored

    files = {"a": (b"", b"{A}", b"@a", b"a,1"), "b": (b"", b"{B}", b"@b", b"b,2"), "c": (b"", b"{B}", b"@c", b"c,3")}
    exports = {
        "papers.json": b"[\n{A},\n{B},\n{B}\n]\n",
        "papers.bib": b"@a\n\n@b\n@c\n",
        "papers.csv": b"h\na,1\nb,2\nc,3\n",
    }
    places = stored.row_places(files, exports)
    assert places == {"a": [2, 3, 0, 2, 2, 3], "b": [7, 3, 4, 2, 6, 3], "c": [12, 3, 7, 2, 10, 3]}
    for key, made in files.items():
        for column, name in enumerate(stored.EXPORT_NAMES):
            start, size = places[key][2 * column : 2 * column + 2]
            assert exports[name][start : start + size] == made[column + 1]
    assert stored.row_places(files, {**exports, "papers.csv": b"h\na,1\nc,3\nb,2\n"}) is None  # out of order
