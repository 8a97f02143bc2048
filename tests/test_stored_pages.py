"""Paper pages and export rows kept from one run to the next (generator/stored.py): a new listing renders only
the papers whose record changed, and docs/ comes out exactly as a run that renders everything writes it.

Issue 16 (a new listing published in seconds): every one-shot run rendered all 10,000 paper pages and
their rows again (about 6 s of CPU), though a listing changes few of them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from generator import stored
from generator.build import Options, generate
from generator.records import index
from generator.state import pack, seal, unseal
from generator.writer import WORK
from tests.sitebuild import docs_text, listing_project
from tests.sitebuild import generate_counting as run

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = ROOT / "tests" / "fixtures" / "listings"
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"


def kept_files(docs: Path) -> dict:
    work = json.loads(unseal((docs / WORK).read_bytes()))
    return stored.load_files(docs, work["taxonomy"])


def test_a_new_listing_renders_only_the_papers_whose_record_changed(tmp_path, monkeypatch):
    first, second = "2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"
    sources, docs = listing_project(tmp_path / "kept", [first])
    made, cat = run(sources, docs, monkeypatch)
    assert sorted(made) == sorted(cat.slugs.values())
    kept = set(kept_files(docs))

    shutil.copy(LISTINGS / second, sources / second)
    made, cat = run(sources, docs, monkeypatch)
    records = index(cat).records.values()
    changed = sorted(r.slug for r in records if stored.record_key(r) not in kept)
    assert sorted(made) == changed
    assert len(changed) < len(cat.papers)  # the first listing's papers whose related list stayed are reused

    fresh_sources, fresh = listing_project(tmp_path / "fresh", [first, second])
    run(fresh_sources, fresh, monkeypatch)
    assert docs_text(docs) == docs_text(fresh)
    assert (docs / WORK).read_bytes() == (fresh / WORK).read_bytes()
    assert (docs / stored.FILES).read_bytes() == (fresh / stored.FILES).read_bytes()


def test_a_page_missing_from_docs_or_a_damaged_record_is_rendered_again(tmp_path, monkeypatch):
    sources, docs = listing_project(tmp_path / "kept", ["2025-01-07-hf-daily.txt"])
    _, cat = run(sources, docs, monkeypatch)
    expected = docs_text(docs)
    slugs = sorted(cat.slugs.values())
    gone = docs / "papers" / f"{slugs[0]}.md"
    gone.unlink()
    (docs / ".readinglist-state.json").unlink()  # else the run stops early: nothing it reads changed
    made, _ = run(sources, docs, monkeypatch)
    assert made == [slugs[0]]
    assert docs_text(docs) == expected

    # A kept row that does not match the page it names: that paper is made again.
    data = unseal((docs / stored.FILES).read_bytes())
    head_end = data.index(b"\n", len(stored.FILES_HEAD))
    head = json.loads(data[len(stored.FILES_HEAD) : head_end])
    key = sorted(head["files"])[0]
    head["files"][key][0] = "0" * 64
    line = json.dumps(head).encode()
    (docs / stored.FILES).write_bytes(seal(data[: len(stored.FILES_HEAD)] + line + data[head_end:]))
    (docs / ".readinglist-state.json").unlink()
    made, _ = run(sources, docs, monkeypatch)
    assert len(made) == 1
    assert docs_text(docs) == expected

    # Any other damage: every paper is made again.
    good = (docs / stored.FILES).read_bytes()
    flipped = good[:-5] + bytes([good[-5] ^ 1]) + good[-4:]  # a byte of a kept row: same size, seal kept
    seal_end = good.index(b"\n") + 1
    kept_body = unseal(good)
    moved = json.loads(kept_body[len(stored.FILES_HEAD) :].split(b"\n", 1)[0])
    first = sorted(moved["files"])[0]
    moved["files"][first][1] += 1  # a row's start moved by one in the head, not sealed anew
    rest = kept_body[kept_body.index(b"\n", len(stored.FILES_HEAD)) :]
    offset = good[:seal_end] + pack(stored.FILES_HEAD + json.dumps(moved).encode() + rest)
    renamed = good[:seal_end] + pack(kept_body.replace(b'"taxonomy"', b'"taxonomz"', 1))  # edited, not sealed anew
    damages = (good[:-10], good[:40], b"", renamed, b"\xff" + good, flipped)
    # Sealed anew, with starts and sizes no writer makes: a negative start (rows from the end of the file), a
    # size written as true, a start too large for a whole number.
    body = unseal(good)
    head_end = body.index(b"\n", len(stored.FILES_HEAD))
    head = json.loads(body[len(stored.FILES_HEAD) : head_end])
    key = sorted(head["files"])[-1]
    resealed = []
    for start, size in ((-30, None), (None, True), ("1e400", None)):
        entry = list(head["files"][key])
        if start is not None:
            entry[1] = start
        if size is not None:
            entry[2] = size
        line = json.dumps(dict(head, files=dict(head["files"], **{key: entry}))).replace('"1e400"', "1e400")
        resealed.append(seal(body[: len(stored.FILES_HEAD)] + line.encode() + body[head_end:]))
    for damage in (*damages, offset, *resealed):
        assert damage != good
        (docs / stored.FILES).write_bytes(damage)
        (docs / ".readinglist-state.json").unlink()
        made, _ = run(sources, docs, monkeypatch)
        assert sorted(made) == slugs
        assert docs_text(docs) == expected


def test_serve_keeps_paper_files_in_its_cache_not_in_docs(tmp_path, monkeypatch):
    """readinglist serve passes its own cache: a run neither reads nor rewrites the kept paper files
    (72 MB at 10,000 papers, on every edit)."""
    from generator.cache import Cache

    sources, docs = listing_project(tmp_path / "served", ["2025-01-07-hf-daily.txt"])
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    options = Options(sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml"))
    generate(options, cache=Cache())
    assert (docs / WORK).is_file() and not (docs / stored.FILES).exists()
    loaded: list[Path] = []
    real = stored.load_files
    monkeypatch.setattr(stored, "load_files", lambda d, t, *known: loaded.append(d) or real(d, t, *known))
    (docs / ".readinglist-state.json").unlink()
    generate(options, cache=Cache())
    assert loaded == [] and not (docs / stored.FILES).exists()
    (docs / ".readinglist-state.json").unlink()
    generate(options)  # a one-shot run keeps them
    assert (docs / stored.FILES).is_file()


def test_a_page_edited_by_hand_is_not_taken_even_when_the_kept_record_vouches_for_it(tmp_path, monkeypatch):
    """The kept file's page digest is not proof enough: the page must also be one the writer's manifest records,
    or the edit would be published as the generator's (red team round 5: a <script> added to a page and its
    digest written into the kept record, sealed anew)."""
    import hashlib

    import pytest

    from generator.errors import GeneratorError

    sources, docs = listing_project(tmp_path / "kept", ["2025-01-07-hf-daily.txt"])
    _, cat = run(sources, docs, monkeypatch)
    slug = sorted(cat.slugs.values())[0]
    page = docs / "papers" / f"{slug}.md"
    edited = page.read_bytes() + b"\n<script>alert(1)</script>\n"
    page.write_bytes(edited)
    data = unseal((docs / stored.FILES).read_bytes())
    old = hashlib.sha256(page.read_bytes().replace(b"\n<script>alert(1)</script>\n", b"")).hexdigest()
    data = data.replace(old.encode(), hashlib.sha256(edited).hexdigest().encode(), 1)
    (docs / stored.FILES).write_bytes(seal(data))
    (docs / ".readinglist-state.json").unlink()
    with pytest.raises(GeneratorError, match="by hand"):
        run(sources, docs, monkeypatch)
    assert page.read_bytes() == edited  # left as the owner left it, and reported
