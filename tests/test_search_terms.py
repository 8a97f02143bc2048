"""The search index of an update: the last build's words are kept, and the index is what a full build writes.

Issue 16 (a new listing published in seconds): finding every paper's words again
and reading the whole index back took about 3 s of a 10,000-paper update. The
search plugin now keeps each paper's words, and the other pages' entries, in
docs/.readinglist-search-terms.json, and builds the index with loops fit for a
million (term, document) pairs; these tests hold both to what the plain way gives.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil

from hypothesis import given
from hypothesis import strategies as st

from generator import search_index as si
from generator.search_index import (
    STOP_WORDS,
    TEXT,
    TITLE,
    Entry,
    build_index,
    encode_postings,
    paper_entries,
    read_terms,
    stored_pages,
    stored_words,
    terms_header,
    utf16_key,
    words_key,
)
from generator.search_input import SEARCH_TERMS
from generator.state import seal, unseal
from tests.sitebuild import build_site, mkdocs_build
from tests.test_search_index import CONFIG, FIXTURE, SEP


def plain_index(config: dict, entries: list[Entry]) -> dict:
    """build_index as first written (one dict entry per word, sorted postings): the reference."""
    tag_numbers: dict[str, int] = {}
    postings: dict[str, dict[int, int]] = {}
    for number, entry in enumerate(entries):
        for fields, terms in ((TITLE, entry.title_terms), (TEXT, entry.text_terms)):
            for term in terms:
                docs = postings.setdefault(term, {})
                docs[number] = docs.get(number, 0) | fields
    vocabulary = sorted(postings, key=utf16_key)
    docs = []
    for entry in entries:
        doc = {"location": entry.location, "title": entry.title, "text": f"<p>{entry.text}</p>" if entry.text else ""}
        if entry.tags:
            doc["tags"] = [tag_numbers.setdefault(name, len(tag_numbers)) for name in entry.tags]
        docs.append(doc)
    index = {
        "format": si.FORMAT,
        "tags": list(tag_numbers),
        "terms": " ".join(vocabulary),
        "postings": " ".join(encode_postings(sorted(postings[t].items())) for t in vocabulary),
    }
    return {"config": {**config, "readinglist": index}, "docs": docs}


def test_the_index_is_what_the_plain_loops_make():
    rng = random.Random(16)
    words = ["model", "ntk", "é", "ℓ", "x²", "a-b", "deep", "zeta", "Ωmega", "𝔼"] + [f"w{i}" for i in range(300)]
    entries = []
    for i in range(3000):
        title = [rng.choice(words) for _ in range(rng.randrange(0, 6))]
        text = [rng.choice(words) for _ in range(rng.randrange(0, 40))]
        entries.append(
            Entry(f"papers/p{i}/", f"P{i}", f"snip {i}" if i % 7 else "", ["T1"] if i % 3 else [], title, text)
        )
    assert build_index(CONFIG, entries) == plain_index(CONFIG, entries)
    # Gaps past three posting digits (45**3 = 91,125 = gap * 3 + fields): the encoder's slow path.
    far = [Entry("a/", "A", "", [], ["far"], ["far"])] + [Entry(f"e{i}/", "E", "", [], [], []) for i in range(31000)]
    far.append(Entry("z/", "Z", "", [], [], ["far"]))
    assert build_index(CONFIG, far) == plain_index(CONFIG, far)


def record(title: str, abstract: str, **extra) -> dict:
    return {"page": f"papers/{title.lower()}.md", "url": f"papers/{title.lower()}/", "title": title,
            "abstract": abstract, "tags": [], **extra}  # fmt: skip


def test_a_papers_words_are_found_once_and_then_taken_from_the_record():
    papers = [record("Kernels", "The neural tangent kernel (NTK), again."), record("Noted", "Text.", note="my note")]
    found: dict = {}
    fresh = paper_entries(papers, {}, SEP, STOP_WORDS, None, found)
    assert fresh[0].title_terms == ["kernels"] and fresh[0].text_terms == [
        "neural",
        "tangent",
        "kernel",
        "ntk",
        "again",
    ]
    assert set(found) == {
        words_key("Kernels", " The neural tangent kernel (NTK), again."),
        words_key("Noted", "my note Text."),
    }
    # The record is trusted for what its key names: equal title and text, equal words.
    known = dict(found)
    known[words_key("Kernels", " The neural tangent kernel (NTK), again.")] = (["kept"], ["words"])
    again = paper_entries(papers, {}, SEP, STOP_WORDS, known, {})
    assert (again[0].title_terms, again[0].text_terms) == (["kept"], ["words"])
    assert again[1] == fresh[1]


def test_a_record_made_another_way_or_damaged_is_not_used(tmp_path):
    header = terms_header(SEP.pattern, True)
    data = {
        **header,
        "index": "0" * 64,
        "papers": {"k": ["a b", ""]},
        "pages": {"about/": [["about/", "A", "t", [], "a", ""]]},
    }
    assert stored_words(data, header) == {"k": (["a", "b"], [])}
    assert stored_words({**data, "code": "another generator"}, header) == {}
    assert stored_words({**data, "separator": r"[\s]+"}, header) == {}
    assert stored_words({**data, "stop": False}, header) == {}
    assert stored_words({**data, "papers": {"k": "not a pair"}}, header) == {}
    # Pages' entries only with the very index they were recorded with, and only entries that index holds (their
    # text is HTML the search box shows: a record sealed anew must not bring in any other).
    index = json.dumps({"docs": [{"location": "about/", "title": "A", "text": "<p>t</p>"}]}).encode()
    assert stored_pages(data, index) is None
    data["index"] = hashlib.sha256(index).hexdigest()
    assert stored_pages(data, index) == {"about/": [Entry("about/", "A", "t", [], ["a"], [])]}
    planted = {**data, "pages": {"about/": [["about/", "A", "<img src=x onerror=alert(1)>", [], "a", ""]]}}
    assert stored_pages(planted, index) is None
    path = tmp_path / SEARCH_TERMS
    for damage in (b"{", b"[]", b'{"format": "other"}', b"\xff"):
        path.write_bytes(damage)
        assert read_terms(path) == {}
    # A record whose bytes were changed after it was written (its seal no longer matches) is not used either.
    good = json.dumps({**data, "format": si.TERMS_FORMAT}).encode()
    path.write_bytes(seal(good))
    assert read_terms(path)["papers"] == {"k": ["a b", ""]}
    sealed = seal(good)
    for edited in (good, sealed[:-3] + bytes([sealed[-3] ^ 1]) + sealed[-2:]):
        path.write_bytes(edited)
        assert read_terms(path) == {}
    path.unlink()
    path.mkdir()
    assert read_terms(path) == {}


def test_an_update_takes_unchanged_papers_words_from_the_record_and_equals_a_full_build(tmp_path):
    work = tmp_path / "work"
    site, _ = build_site(work, sources=FIXTURE / "corpus", tags=FIXTURE / "tags.yml")
    docs = work / "docs"
    kept = json.loads(unseal((docs / SEARCH_TERMS).read_bytes()))
    index = (site / "search" / "search_index.json").read_bytes()
    assert stored_pages(kept, index)  # the record names the index it was written with
    assert stored_words(kept, terms_header(kept["separator"], kept["stop"]))
    full = tmp_path / "full"
    shutil.copytree(site, full)

    # A dirty build over the same docs/ gives the full build's index, byte for byte.
    mkdocs_build(work / "mkdocs.yml", site, "--dirty")
    assert (site / "search" / "search_index.json").read_bytes() == (full / "search" / "search_index.json").read_bytes()

    # And the words it used are the record's: a word planted in the record shows up in the index.
    papers = kept["papers"]
    first = sorted(papers)[0]
    papers[first] = [papers[first][0], papers[first][1] + " zzrecordedword"]
    (docs / SEARCH_TERMS).write_bytes(seal(json.dumps(kept).encode()))  # sealed anew: the record as written
    mkdocs_build(work / "mkdocs.yml", site, "--dirty")
    terms = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "zzrecordedword" in terms["config"]["readinglist"]["terms"].split(" ")


def test_the_records_are_not_published_and_the_deploy_workflow_brings_them_back(tmp_path):
    from generator.incremental import KEPT, restore
    from generator.stored import FILES

    assert SEARCH_TERMS in KEPT and FILES in KEPT
    saved = tmp_path / "saved"
    (saved / "docs").mkdir(parents=True)
    (saved / "site").mkdir()
    for name in KEPT:
        (saved / "docs" / name).write_text(name, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    assert restore(saved, docs, tmp_path / "site") == len(KEPT)
    for name in KEPT:
        assert (docs / name).read_text(encoding="utf-8") == name
        assert name.startswith(".")  # MkDocs leaves dot-files of docs/ out of the site


def test_the_records_do_not_count_as_hand_written_pages(tmp_path):
    """Else every build after the first would change the site key, and be a full one."""
    from generator.incremental import site_key

    docs = tmp_path / "docs"
    docs.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    before = site_key(config, docs, False)
    from generator.incremental import KEPT

    for name in KEPT:
        (docs / name).write_text("{}", encoding="utf-8")
    assert site_key(config, docs, False) == before
    (docs / "notes.md").write_text("mine\n", encoding="utf-8")
    assert site_key(config, docs, False) != before


def plain_terms(text: str, separator, stop_words: frozenset[str]) -> list[str]:
    """terms_of as first written (one word at a time, through the separator): the reference."""
    terms = []
    for word in separator.split(text):
        key = word.lower()
        if key and key not in stop_words and si.trim(key):
            terms.append(si.trim(key))
    return terms


# Every kind of character the default separator or str.split() could treat apart: ASCII and Unicode spaces,
# the information separators \x1c-\x1f (str.isspace, so \s too), hyphens and dashes, punctuation, letters.
WORDY = st.text(
    st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000-\u2010\u2013(),.'Aaİßé1_")), max_size=60
)


@given(WORDY, st.booleans())
def test_the_terms_of_a_text_are_the_plain_ways_whatever_the_separator(text, stop):
    stop_words = STOP_WORDS if stop else frozenset()
    known = si.Terms(stop_words)  # shared, as paper_entries shares it between papers
    for pattern in (si.DEFAULT_SEPARATOR, r"[\s]+", r"[\s\-,]+"):
        separator = re.compile(pattern)
        assert si.terms_of(text, separator, stop_words) == plain_terms(text, separator, stop_words)
        assert si.terms_of(text, separator, stop_words, known) == plain_terms(text, separator, stop_words)
        assert si.terms_of(text + " the And", separator, stop_words, known) == plain_terms(
            text + " the And", separator, stop_words
        )
