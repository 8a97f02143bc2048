"""Issue 16, round 12: fewer copies and fewer bytes on the core the run waits on.

The whole-list exports and the search input are joined with one copy, not one per `+` (three copies of
papers.json's 164 MB at 50,000 papers); a kept record is written as its seal line and its bytes, not joined to
them; and the kept records a worker makes are stored deflated, packed in that worker (59 MB of JSON become
24 MB for the run to unpickle and write at 50,000 papers).
"""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zlib
from pathlib import Path

import pytest

from generator import state
from generator.exports import Rows, papers_bib, papers_csv, papers_json
from generator.models import framed
from generator.state import keep, pack, read_kept, seal, seal_line, unseal
from generator.writer import atomic_write


def test_framed_is_head_items_joined_and_tail():
    for items in ([], [b"a"], [b"a", b"bc"], [b"a", b"", b"c", b"d"]):
        for sep in (b"", b",\n"):
            assert framed(b"[", items, sep, b"]") == b"[" + sep.join(items) + b"]"
    items = [b"x", b"y"]
    framed(b"(", items, b"", b")")
    assert items == [b"x", b"y"]  # the caller's list is left as it was


class _Paper:
    def __init__(self, key: str) -> None:
        self.key = key


def test_a_whole_list_export_is_made_with_one_copy_of_its_rows():
    # At 50,000 papers papers.json is 160 MB: `head + join + tail` held two or three copies of it at once.
    papers = [_Paper(f"p{i}") for i in range(2000)]
    row = b'{"title": "' + b"x" * 1000 + b'"}'
    rows = Rows({p.key: row for p in papers}, {p.key: row for p in papers}, {p.key: row for p in papers})
    for make in (papers_json, papers_bib, papers_csv):
        tracemalloc.start()
        try:
            made = make(papers, rows)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(made) > 2000 * 1000
        assert peak < 1.3 * len(made), make.__name__


def test_a_kept_record_is_stored_deflated_and_read_back(tmp_path):
    data = json.dumps({"clean": {f"k{i}": ["the same words again"] * 20 for i in range(500)}}).encode()
    # Packed where it was made (a worker): deflated, written as given, not packed again.
    path = tmp_path / "kept"
    assert keep(path, pack(data), packed=True) is None
    raw = path.read_bytes()
    assert len(raw) < len(data) / 4
    assert raw == seal_line(pack(data)) + pack(data)
    assert unseal(raw) == data and read_kept(path) == data
    # Made on the run's own core (the search terms): stored, not compressed (no time spent on it), read alike.
    other = tmp_path / "other"
    assert keep(other, data) is None
    assert len(data) < len(other.read_bytes()) < len(data) + 1000
    assert other.read_bytes() == seal(data) and read_kept(other) == data


def test_a_kept_record_that_does_not_inflate_or_inflates_too_far_is_not_used(tmp_path, monkeypatch):
    garbage = b"not deflated at all"
    assert unseal(seal_line(garbage) + garbage) is None  # sealed anew, but not what seal makes
    packed = pack(b"x" * 10_000)
    assert unseal(seal_line(packed + b"tail") + packed + b"tail") is None  # bytes after the stream
    assert unseal(seal_line(packed[:-4]) + packed[:-4]) is None  # a stream cut short, sealed anew
    # A small file that inflates beyond the cap (a planted record) is refused, not inflated whole.
    monkeypatch.setattr(state, "KEPT_MAX_BYTES", 1000)
    assert unseal(seal(b"x" * 10_000)) is None
    assert unseal(seal(b"x" * 1000)) == b"x" * 1000
    assert zlib.decompress(packed) == b"x" * 10_000


def test_atomic_write_writes_its_chunks_in_order(tmp_path):
    path = tmp_path / "f"
    atomic_write(path, b"head\n", b"", b"body")
    assert path.read_bytes() == b"head\nbody"
    atomic_write(path, b"one")
    assert path.read_bytes() == b"one"


def test_a_generate_keeps_its_records_packed_by_the_worker(tmp_path, monkeypatch):
    from generator import stored
    from generator.build import Options, generate
    from tests.sitebuild import EMBEDDED

    seen: list[bool] = []
    keep_as_it_was = stored.keep

    def recording(path: Path, data: bytes, packed: bool = False) -> str | None:
        seen.append(packed)
        if packed:
            zlib.decompress(data)  # what pack made: deflated already
        return keep_as_it_was(path, data, packed)

    monkeypatch.setattr(stored, "keep", recording)
    docs = tmp_path / "docs"
    generate(Options(sources=EMBEDDED / "sources", docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/none")))
    assert seen and all(seen)
    assert read_kept(docs / stored.FILES) is not None
    assert json.loads(read_kept(docs / stored.WORK_FILE))["format"]


@pytest.mark.parametrize("name", ["papers.json", "papers.bib", "papers.csv"])
def test_framed_exports_match_the_plain_join(name):
    papers = [_Paper(f"p{i}") for i in range(3)]
    rows = Rows(
        {p.key: f"j{p.key}".encode() for p in papers},
        {p.key: f"b{p.key}".encode() for p in papers},
        {p.key: f"c{p.key}".encode() for p in papers},
    )
    made = {"papers.json": papers_json, "papers.bib": papers_bib, "papers.csv": papers_csv}[name]
    if name == "papers.json":
        assert made(papers, rows) == b'{"papers": [\njp0,\njp1,\njp2\n]}\n'
        assert made([], rows) == b'{"papers": [\n]}\n'
    elif name == "papers.bib":
        assert made(papers, rows).endswith(b"bp0\nbp1\nbp2")
    else:
        assert made(papers, rows).endswith(b"cp0cp1cp2")


def test_a_planted_record_that_inflates_far_or_escapes_a_surrogate_is_not_used():
    # Red team, round 12: a 170 KB record of 20 million empty lists (57 MB of JSON) held 1.5 GB once parsed; an
    # escaped lone surrogate, sealed anew, crashed the run where a page was encoded.
    spaces = pack(b" " * 20_000_000)
    assert unseal(seal_line(spaces) + spaces) is None  # ratio far beyond KEPT_RATIO
    # What this code packs: entries keyed by a SHA-256, a few times smaller deflated.
    keyed = {hashlib.sha256(str(i).encode()).hexdigest(): [["tag", "a phrase", "title", 1.0]] for i in range(50_000)}
    text = json.dumps(keyed).encode()
    assert len(text) > 2**21 and len(text) / len(pack(text)) < 4
    assert unseal(seal_line(pack(text)) + pack(text)) == text
    assert unseal(seal(b'{"a": "x\\ud800y"}')) is None
    assert unseal(seal(b'{"a": "\\udfff"}')) is None
    assert unseal(seal(b'{"a": "caf\\u00e9"}')) == b'{"a": "caf\\u00e9"}'


def test_kept_rows_that_overlap_are_not_used(tmp_path):
    from generator import stored
    from generator.state import code_fingerprint

    def plant(files: dict) -> dict:
        head = {"code": code_fingerprint(), "taxonomy": "T", "files": files}
        body = stored.FILES_HEAD + json.dumps(head).encode() + b"\n" + b"abcdef"
        assert keep(tmp_path / stored.FILES, body) is None
        return stored.load_files(tmp_path, "T")

    assert plant({"k1": ["d1", 0, 1, 1, 1], "k2": ["d2", 3, 1, 1, 1]}) == {
        "k1": ("d1", b"a", b"b", b"c"),
        "k2": ("d2", b"d", b"e", b"f"),
    }
    # Every row pointing at the same bytes (a planted head made the run copy a 60 MB blob once a row).
    assert plant({f"k{i}": [f"d{i}", 0, 2, 2, 2] for i in range(3)}) == {}
