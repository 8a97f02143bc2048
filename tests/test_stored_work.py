"""The last run's tags and clean text, kept in docs/ for the next one-shot run (generator/stored.py).

A new listing must not mean tagging and cleaning every paper again; and what is
kept must never change a page: a run that takes the kept work writes exactly
what a run without it writes, and a kept file that is damaged, made by other
code or for another taxonomy is ignored.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from generator import build, stored
from generator.build import Options, generate
from generator.state import seal, unseal
from generator.writer import WORK
from tests.sitebuild import docs_text, listing_project

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = ROOT / "tests" / "fixtures" / "listings"
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"
TAG_PAPER = build.tag_paper  # the real one: each run wraps it anew


def run(tmp_path: Path, name: str, listings: list[str], monkeypatch, work: bytes | None = None) -> tuple[Path, list]:
    """generate into a fresh docs/ (with `work` as the kept work file); the titles tagged."""
    sources, docs = listing_project(tmp_path / name, listings)
    if work is not None:
        (docs / WORK).write_bytes(work)
    calls: list[str] = []
    monkeypatch.setattr(build, "tag_paper", lambda index, paper: calls.append(paper.title) or TAG_PAPER(index, paper))
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    generate(Options(sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml")))
    return docs, calls


def test_the_next_run_tags_only_new_papers_and_writes_the_same_pages(tmp_path, monkeypatch):
    first, second = "2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"
    docs, calls = run(tmp_path, "one", [first], monkeypatch)
    assert calls and (docs / WORK).is_file()
    kept = (docs / WORK).read_bytes()
    data = json.loads(unseal(kept))
    assert data["format"] == stored.FORMAT and len(data["tags"]) == len(calls)

    again, new_calls = run(tmp_path, "two", [first, second], monkeypatch, work=kept)
    fresh, all_calls = run(tmp_path, "fresh", [first, second], monkeypatch)
    assert set(new_calls) == set(all_calls) - set(calls) and new_calls
    assert docs_text(again) == docs_text(fresh)


def test_a_damaged_foreign_or_other_taxonomy_work_file_is_ignored(tmp_path, monkeypatch):
    first = "2025-01-07-hf-daily.txt"
    docs, calls = run(tmp_path, "one", [first], monkeypatch)
    raw = (docs / WORK).read_bytes()
    kept = json.loads(unseal(raw))
    fresh = docs_text(docs)
    wrong_tags = dict(kept, tags={k: [["no-such-tag", "x", "title", 1]] for k in kept["tags"]})
    hostile_style = dict(kept, clean={k: [["x", "img src=x onerror=alert(1) x"]] for k in kept["clean"]})

    def sealed(data: dict) -> bytes:
        return seal(json.dumps(data).encode())

    cases = {
        "damaged": b'{"format": 1, "code": ',
        "one-byte-flipped": raw[:-40] + bytes([raw[-40] ^ 1]) + raw[-39:],
        "edited-unsealed": json.dumps(kept).encode(),  # valid JSON, right digests, but no seal: an edit
        "other-code": sealed(dict(kept, code="0" * 64)),
        "other-taxonomy": sealed(dict(kept, taxonomy="0" * 64)),
        "wrong-shape": sealed(dict(kept, tags={"a": "b"})),
        # Sealed anew (a forger who knows the format): still checked for what a page can be made of.
        "unknown-tag": sealed(wrong_tags),
        "style-not-em-or-strong": sealed(hostile_style),
        "field-not-the-taggers": sealed(
            dict(
                kept,
                tags={
                    k: [[m[0], m[1], "<img src=x onerror=alert(1)>", m[3]] for m in v] for k, v in kept["tags"].items()
                },
            )
        ),
        "score-infinite": seal(_infinite(kept)),
        "not-a-file": None,
    }
    assert b"1e400]" in unseal(cases["score-infinite"]) and b"onerror" in unseal(cases["field-not-the-taggers"])
    for name, work in cases.items():
        if work is None:
            target = tmp_path / name / "docs"
            target.mkdir(parents=True)
            (target / WORK).mkdir()
            sources = tmp_path / name / "sources"
            sources.mkdir()
            shutil.copy(LISTINGS / first, sources / first)
            generate(Options(sources=sources, docs=target, tags=EMBEDDED / "tags.yml", overrides=Path("/none.yml")))
            continue
        again, again_calls = run(tmp_path, name, [first], monkeypatch, work=work)
        assert sorted(again_calls) == sorted(calls), name  # everything tagged again
        assert docs_text(again) == fresh, name
    # Tags naming a tag of this taxonomy are trusted only with the digests of this code and taxonomy:
    forged, _ = run(tmp_path, "forged", [first], monkeypatch, work=json.dumps(dict(wrong_tags, code="x")).encode())
    assert docs_text(forged) == fresh


def test_build_full_uses_nothing_kept_from_earlier_runs(tmp_path):
    """`readinglist build --full` is the way out of any kept record: the work, the paper files, the search words
    and the state that lets a run stop early all go before it generates; the manifest stays."""
    from generator.cli import forget_work
    from generator.search_input import SEARCH_TERMS
    from generator.writer import MANIFEST, STATE

    docs = tmp_path / "docs"
    docs.mkdir()
    names = (STATE, WORK, stored.FILES, SEARCH_TERMS, MANIFEST, "about.md")
    for name in names:
        (docs / name).write_text("x", encoding="utf-8")
    forget_work(docs)
    assert sorted(p.name for p in docs.iterdir()) == sorted([MANIFEST, "about.md"])
    forget_work(docs)  # nothing to forget: no error


def _infinite(kept: dict) -> bytes:
    """The work file's JSON with every tag score written as 1e400 (Python reads it as infinity; int() raises)."""
    import re

    text = json.dumps(kept)
    return re.sub(r'("(?:title|abstract|override)", )\d+\]', r"\g<1>1e400]", text).encode()
