"""What the fourteenth round's red team broke in the kept files (README: "all are caches: damaged or made by
other code, they are ignored"), each as a test. Every file below carries a valid seal: a forger who knows the
format. Since this round the files are read by orjson (generator/jsonbytes.py)."""

from __future__ import annotations

import hashlib
import json

import pytest

from generator import search_index, stored
from generator.state import code_fingerprint, seal, unseal
from generator.writer import WORK
from tests.sitebuild import docs_text, listing_project
from tests.sitebuild import generate_counting as run_counting
from tests.test_stored_work import run

FIRST = "2025-01-07-hf-daily.txt"


def _with(kept: dict, field: str, key: str, value) -> bytes:
    return seal(json.dumps(dict(kept, **{field: dict(kept[field], **{key: value})})).encode())


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    try:
        docs, calls = run(tmp_path_factory.mktemp("first"), "one", [FIRST], monkeypatch)
    finally:
        monkeypatch.undo()
    return json.loads(unseal((docs / WORK).read_bytes())), calls, docs_text(docs)


def work_cases(kept: dict) -> dict[str, bytes]:
    tag_key = min(key for key, rows in kept["tags"].items() if rows)
    row = kept["tags"][tag_key][0]  # [tag, phrase, field, score]
    clean_key = sorted(kept["clean"])[0]

    def tag_row(**change) -> bytes:
        fields = dict(zip(("tag", "phrase", "field", "score"), row, strict=True), **change)
        return _with(kept, "tags", tag_key, [list(fields.values()), *kept["tags"][tag_key][1:]])

    return {
        # A score beyond 64 bits was read (int() of orjson's float) and stopped the next write of the work file.
        "score-2**64": tag_row(score=2**64),
        "score-10**25": tag_row(score=10**25),
        "score-float": tag_row(score=1e20),
        "score-text": tag_row(score="9" * 30),
        "score-bool": tag_row(score=True),
        "score-negative": tag_row(score=-1),
        # Any JSON value was made text with str(): a phrase of null was shown as "None".
        "phrase-null": tag_row(phrase=None),
        "phrase-number": tag_row(phrase=12345),
        "phrase-list": tag_row(phrase=[row[1]]),
        "row-a-dict": _with(kept, "tags", tag_key, [dict(zip("abcd", row, strict=True))]),
        "rows-a-string": _with(kept, "tags", tag_key, "abcd"),
        # A clean-up run given as a dict unpacked its two keys as text and style.
        "run-a-dict": _with(kept, "clean", clean_key, [{"We prove": 0, "strong": 0}]),
        "run-a-string": _with(kept, "clean", clean_key, ["xy"]),
        "run-text-number": _with(kept, "clean", clean_key, [[123, ""]]),
        "runs-a-string": _with(kept, "clean", clean_key, "ab"),
    }


@pytest.mark.parametrize("name", list(work_cases({"tags": {"k": [["t", "p", "title", 1]]}, "clean": {"c": None}})))
def test_a_sealed_work_file_with_a_field_of_another_type_is_not_used(first_run, name, tmp_path, monkeypatch):
    kept, calls, fresh = first_run
    work = work_cases(kept)[name]
    docs, again = run(tmp_path, name, [FIRST], monkeypatch, work=work)
    assert sorted(again) == sorted(calls), name  # every paper tagged again: none of the file was used
    assert docs_text(docs) == fresh, name
    assert json.loads(unseal((docs / WORK).read_bytes()))["tags"] == kept["tags"]  # replaced by this run's


def test_kept_rows_that_share_bytes_are_not_used(tmp_path, monkeypatch):
    sources, docs = listing_project(tmp_path / "kept", [FIRST])
    _, cat = run_counting(sources, docs, monkeypatch)
    expected, slugs = docs_text(docs), sorted(cat.slugs.values())
    data = unseal((docs / stored.FILES).read_bytes())
    assert data.startswith(stored.FILES_HEAD_2)  # rows as places in the exports
    head_end = data.index(b"\n", len(stored.FILES_HEAD_2))
    head = json.loads(data[len(stored.FILES_HEAD_2) : head_end])
    first, second = sorted(head["files"])[:2]
    # [page digest, then start and size in papers.json, papers.bib, papers.csv]: the second paper's JSON line
    # is said to start where the first's does (all rows together still fit: only a check for shared bytes finds it).
    moved = list(head["files"][second])
    moved[1] = head["files"][first][1]
    line = json.dumps(dict(head, files=dict(head["files"], **{second: moved}))).encode()
    (docs / stored.FILES).write_bytes(seal(data[: len(stored.FILES_HEAD_2)] + line + data[head_end:]))
    taxonomy = json.loads(unseal((docs / WORK).read_bytes()))["taxonomy"]
    assert stored.load_files(docs, taxonomy) == {}
    (docs / ".readinglist-state.json").unlink()
    made, _ = run_counting(sources, docs, monkeypatch)
    assert sorted(made) == slugs
    assert docs_text(docs) == expected


@pytest.mark.parametrize("row", [b'{"a":"\xff"}', b'{"a":"\xed\xa0\x80"}', "é".encode()[:1]])
def test_kept_rows_that_are_not_utf8_are_not_used(tmp_path, row):
    """The inline layout carries the rows' bytes: bytes that are not text would be copied into the exports."""
    docs = tmp_path / "docs"
    docs.mkdir()

    def kept(rows: tuple[bytes, bytes, bytes]) -> dict:
        places = {"k": ["0" * 64, 0, *map(len, rows)]}
        line = json.dumps({"code": code_fingerprint(), "taxonomy": "t", "files": places}).encode()
        (docs / stored.FILES).write_bytes(seal(stored.FILES_HEAD + line + b"\n" + b"".join(rows)))
        return stored.load_files(docs, "t")

    good = (b'{"a":"\xc3\xa9"}', b"@article{k}", b"k,\xc3\xa9")
    assert kept(good) == {"k": ("0" * 64, *good)}
    assert kept((row, good[1], good[2])) == {}
    assert kept((good[0], good[1], row)) == {}
    assert kept((good[0], b"", good[2])) == {}  # an empty row: none is ever written


HEADER = {"format": search_index.TERMS_FORMAT, "code": "c", "separator": "s", "stop": True}


@pytest.mark.parametrize(
    "words",
    ["ab", [0, False], {"a b": 1, "c": 2}, ["a  b", "c"], ["a b ", "c"], ["a", "b", "c"], [None, "c"], []],
)
def test_kept_search_words_of_another_shape_are_not_used(words):
    assert search_index.stored_words(dict(HEADER, papers={"k": ["a b", "c"]}), HEADER) == {"k": (["a", "b"], ["c"])}
    assert search_index.stored_words(dict(HEADER, papers={"k": words}), HEADER) == {}


@pytest.mark.parametrize(
    "row",
    [
        ["l", "t", "x", "abc", "a b", "c"],  # tags as a string: three tags a, b, c
        ["l", "t", "x", [1], "a b", "c"],
        ["l", "t", "x", ["tag"], ["a"], "c"],
        ["l", "t", "x", ["tag"], "a  b", "c"],
        ["l", None, "x", ["tag"], "a b", "c"],
        {"l": 0, "t": 0, "x": 0, "tags": 0, "a b": 0, "c": 0},
        ["l", "t", "x", ["tag"], "a b"],
    ],
)
def test_kept_search_entries_of_another_shape_are_not_used(row):
    index = json.dumps({"docs": [{"location": "l", "title": "t", "text": "<p>x</p>"}]}).encode()
    record = {"index": hashlib.sha256(index).hexdigest()}
    good = search_index.stored_pages(dict(record, pages={"p": [["l", "t", "x", ["tag"], "a b", "c"]]}), index)
    assert good == {"p": [search_index.Entry("l", "t", "x", ["tag"], ["a", "b"], ["c"])]}
    assert search_index.stored_pages(dict(record, pages={"p": [row]}), index) is None
