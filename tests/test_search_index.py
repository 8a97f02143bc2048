"""generator/search_index.py: the prebuilt index our search worker loads."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from generator.search_index import (
    SNIPPET_CHARS,
    STOP_WORDS,
    Entry,
    build_index,
    decode_numbers,
    decode_postings,
    encode_number,
    encode_postings,
    read_entries,
    snippet,
    terms_of,
    trim,
)
from tests.sitebuild import ROOT, build_site

FIXTURE = ROOT / "tests" / "fixtures"
SEP = re.compile(r"[\s\-]+")
CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"], "fields": {}}


def test_numbers_and_postings_round_trip():
    numbers = [0, 1, 44, 45, 46, 2024, 91124, 10**6]
    assert decode_numbers("".join(encode_number(n) for n in numbers)) == numbers
    postings = [(0, 1), (1, 2), (3, 3), (1000, 2), (1001, 1)]
    encoded = encode_postings(postings)
    assert decode_postings(encoded) == postings
    assert len(encoded) <= 8  # small gaps take one character
    assert not set(encoded) & set(' "\\')  # nothing JSON escapes, no separator


def test_terms_are_lunr_words_trimmed_of_punctuation():
    text = "The model, (NTK) is a “deep” re-weighting of CIFAR-10; the, ℓ_∞ x²"
    assert terms_of(text, SEP, STOP_WORDS) == [
        "model",
        "ntk",
        "deep",
        "re",
        "weighting",
        "cifar",
        "10",
        "the",
        "ℓ",
        "x²",
    ]
    # "the," is not a stop word for lunr (it compares whole tokens), so it stays, as "the".
    assert trim("(ntk),") == "ntk" and trim("...") == "" and trim("café́") == "café́"
    assert terms_of("the of and", SEP, frozenset()) == ["the", "of", "and"]


def test_snippet_cuts_at_a_word():
    text = "word " * 100
    cut = snippet(text)
    assert len(cut) <= SNIPPET_CHARS + 2 and cut.endswith(" …") and "wor …" not in cut
    assert snippet("  short\n text ") == "short text"


def test_build_index_keeps_materials_shape_and_encodes_fields():
    entries = [
        Entry("papers/a/", "A &lt;b&gt;", "snip", ["Tag one"], ["a", "b"], ["b", "c"]),
        Entry("papers/b/", "B", "", [], ["c"], []),
    ]
    data = build_index(CONFIG, entries)
    assert data["docs"] == [
        {"location": "papers/a/", "title": "A &lt;b&gt;", "text": "<p>snip</p>", "tags": [0]},
        {"location": "papers/b/", "title": "B", "text": ""},
    ]
    extra = data["config"].pop("readinglist")
    assert data["config"] == CONFIG
    terms = extra["terms"].split(" ")
    postings = dict(zip(terms, (decode_postings(p) for p in extra["postings"].split(" ")), strict=True))
    assert terms == ["a", "b", "c"]
    assert postings == {"a": [(0, 1)], "b": [(0, 3)], "c": [(0, 2), (1, 1)]}
    assert extra["tags"] == ["Tag one"]
    data["config"]["readinglist"] = extra
    assert read_entries(data) == entries  # what a dirty rebuild reads back


def test_vocabulary_is_in_javascript_order():
    entries = [Entry("x", "x", "", [], ["𝒪", "ｚ", "z", "é"], [])]
    terms = build_index(CONFIG, entries)["config"]["readinglist"]["terms"].split(" ")
    # UTF-16 code units: the astral 𝒪 (a surrogate pair, 0xD835...) sorts before the fullwidth ｚ (0xFF5A).
    assert terms == ["z", "é", "𝒪", "ｚ"]


def test_built_site_index_is_small_and_complete(real_site):
    site, result, _ = real_site
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["config"]["readinglist"]["format"] == "readinglist-search/1"
    docs = {d["location"]: d for d in data["docs"]}
    for paper in result.catalogue.papers:
        slug = result.catalogue.slugs[paper.key]
        assert docs[f"papers/{slug}/"]["title"]
    # Tag pages keep their own entry, not the lists of titles they show.
    assert "tags/quantization/" in docs and not any(loc.startswith("tags/quantization/#") for loc in docs)
    per_paper = (site / "search" / "search_index.json").stat().st_size / len(result.catalogue.papers)
    assert per_paper < 1200


def test_pages_point_materials_search_ui_at_our_worker(real_site):
    site, _, _ = real_site
    page = (site / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S)[1])
    assert config["search"].endswith("assets/javascripts/workers/readinglist-search.js")
    assert (site / "assets" / "javascripts" / "workers" / "readinglist-search.js").is_file()


@pytest.mark.slow
def test_dirty_rebuild_keeps_every_page_searchable(tmp_path):
    """`mkdocs build --dirty` renders only changed pages; the index must still hold every page.

    --no-strict: MkDocs warns about every dirty build.
    """
    work = tmp_path / "work"
    site, result = build_site(work, sources=FIXTURE / "corpus", tags=FIXTURE / "tags.yml")
    before = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    about = work / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nZanzibarword.\n", encoding="utf-8")
    later = time.time() + 60
    os.utime(about, (later, later))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", READINGLIST_OFFLINE="false")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--dirty",
            "--no-strict",
            "-f",
            str(work / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    after = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].partition("#")[0] for d in after["docs"]}
    assert locations == {d["location"].partition("#")[0] for d in before["docs"]}
    assert len([loc for loc in locations if loc.startswith("papers/")]) == len(result.catalogue.papers)
    assert "zanzibarword" in after["config"]["readinglist"]["terms"].split(" ")
    assert len(after["config"]["readinglist"]["terms"]) > len(before["config"]["readinglist"]["terms"])


def test_materials_search_skips_the_pages_of_the_search_input_only(tmp_path):
    """Papers are indexed from search's own input, so Material's plugin is told to skip their pages
    (it would parse 10,000 pages' HTML for nothing); any other page is left to it."""
    from types import SimpleNamespace

    from generator.search_index import LeanSearchIndex
    from generator.search_input import FORMAT, SEARCH_INPUT

    data = {"format": FORMAT, "papers": [{"page": "papers/a-paper.md"}]}
    (tmp_path / SEARCH_INPUT).write_text(json.dumps(data), encoding="utf-8")
    plugin = LeanSearchIndex()
    plugin.on_files([], config=SimpleNamespace(docs_dir=str(tmp_path)))

    def meta_after(src_uri: str, meta: dict) -> dict:
        page = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), meta=meta)
        assert plugin.on_page_markdown("text", page=page, config=None, files=None) == "text"
        return page.meta

    assert meta_after("papers/a-paper.md", {"title": "A"}) == {"title": "A", "search": {"exclude": True}}
    assert meta_after("papers/my-own-page.md", {}) == {}  # hand-written, not in the search input
    assert meta_after("about.md", {"search": {"boost": 2}}) == {"search": {"boost": 2}}
