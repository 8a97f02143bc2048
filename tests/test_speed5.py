"""Shortcuts taken for speed (branch speed5) give the same results as the slow paths they skip."""

from __future__ import annotations

from generator.sources import NONCHARACTERS, drop_noncharacters, might_hold_noncharacters

EVERY_NONCHARACTER = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]


def test_the_byte_precheck_sees_every_noncharacter():
    assert len(EVERY_NONCHARACTER) == 66
    for char in EVERY_NONCHARACTER:
        assert NONCHARACTERS.fullmatch(char)
        assert might_hold_noncharacters(f"caf\u00e9 {char} na\u00efve"), f"U+{ord(char):04X}"
        assert drop_noncharacters("x.txt", f"\u00e9\n{char}")[0] == "\u00e9\n"


def test_the_byte_precheck_passes_text_without_them():
    assert not might_hold_noncharacters("plain ASCII")
    assert not might_hold_noncharacters("caf\u00e9, \u4e2d\u6587, \U0001f600, \u00ff \ufffd")
    assert drop_noncharacters("x.txt", "caf\u00e9 \ufffd") == ("caf\u00e9 \ufffd", [])


def test_started_tasks_run_while_the_caller_works_and_come_back_in_order():
    import os
    import time

    from generator import parallel

    me = os.getpid()
    began = time.monotonic()
    running = parallel.start([lambda i=i: (i, os.getpid(), time.monotonic()) for i in range(3)], 3)
    time.sleep(0.3)  # the caller's own work: the workers are not waiting for it
    results = running.results()
    assert [i for i, _pid, _t in results] == [0, 1, 2]
    assert all(pid != me and t - began < 0.3 for _i, pid, t in results)
    one = parallel.start([lambda: os.getpid()], 1)
    assert one.results() == [me]  # one worker: run by results(), in this process


def test_cancelled_workers_end():
    import time

    from generator import parallel

    running = parallel.start([lambda: time.sleep(60), lambda: time.sleep(60)], 2)
    processes = list(running.pool.processes)
    began = time.monotonic()
    running.cancel()
    assert time.monotonic() - began < 5
    assert not any(p.is_alive() for p in processes)


def test_paper_pages_written_by_workers_equal_those_written_in_one_process(tmp_path, monkeypatch):
    """The readinglist-pages plugin writes paper pages in forked workers from on_env: same site, byte for byte."""
    from tests.sitebuild import build_site, mkdocs_build

    monkeypatch.setenv("READINGLIST_JOBS", "1")
    site, _ = build_site(tmp_path / "work")
    monkeypatch.setenv("READINGLIST_JOBS", "3")
    other = tmp_path / "site-3"
    mkdocs_build(tmp_path / "work" / "mkdocs.yml", other, "--strict")

    def files(root):
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.suffix != ".gz"}

    one, three = files(site), files(other)
    assert sorted(one) == sorted(three) and sum(1 for p in one if p.parts[0] == "papers") > 300
    assert [p for p in one if one[p] != three[p]] == []


def test_a_small_made_on_demand_file_is_made_once_a_big_one_twice(tmp_path):
    from generator import writer

    calls = {"small": 0, "big": 0}

    def made(name: str, size: int):
        def make() -> bytes:
            calls[name] += 1
            return b"x" * size

        return make

    plan = {"small.xml": made("small", 1000), "big.json": made("big", writer.KEEP_MADE_BYTES + 1)}
    report = writer.write_plan(tmp_path / "docs", plan)
    assert sorted(report.written) == ["big.json", "small.xml"]
    assert calls == {"small": 1, "big": 2}  # the big one is hashed, dropped, and made again to be written
    assert (tmp_path / "docs" / "small.xml").read_bytes() == b"x" * 1000


def test_paper_fingerprints_on_every_core_equal_one_by_one(monkeypatch):
    from generator.build import Options, parse_all
    from generator.corpus import deduplicate, fingerprint, paper_fingerprints
    from tests.sitebuild import ROOT

    entries, *_ = parse_all(Options(sources=ROOT / "tests" / "fixtures" / "corpus"))
    papers, _merges, _problems = deduplicate(entries)
    expected = {}
    owner = {prov: p.key for p in papers for prov in p.provenance}
    for p in papers:
        expected[p.key] = {fingerprint(p.abstract): None}
    for e in entries:
        expected[owner[e.provenance]][fingerprint(e.abstract)] = None
    expected = {k: tuple(v) for k, v in expected.items()}
    for jobs in ("1", "3"):
        monkeypatch.setenv("READINGLIST_JOBS", jobs)
        assert paper_fingerprints(papers, entries) == expected


def test_only_whole_search_excluded_blocks_are_kept_from_materials_search_parser():
    from generator.cards import html_block
    from generator.paper_pages import HTML_BLOCK, skipped_by_search

    def block(html: str) -> str:
        return HTML_BLOCK.search(html_block(html)).group(1)

    assert skipped_by_search(block('<ul class="rl-cards" data-search-exclude>\n<li>a</li>\n</ul>')) is True
    assert skipped_by_search(block('<ul class="rl-cards">\n<li>a</li>\n</ul>')) is False  # searched
    assert skipped_by_search(block('<ul title="a data-search-exclude b">\n<li>a</li>\n</ul>')) is False
    assert skipped_by_search(block("<ul data-search-exclude><li><ul><li>a</li></ul></li></ul>")) is False  # nested
    assert skipped_by_search(block('<div data-search-exclude><h2 id="x">X</h2></div>')) is False  # a heading
    assert skipped_by_search(block("<ul data-search-exclude><li>a</li></ul>\n<p>b</p>")) is False  # more after it


def test_card_lists_skip_materials_search_parser_and_come_back_unchanged(tmp_path):
    """The built tag pages hold their card lists, and Material's search index holds none of their text."""
    import json

    from tests.sitebuild import build_site

    site, _ = build_site(tmp_path / "work")
    page = (site / "tags" / "computer-vision" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="rl-card"') > 3 and "rlheld" not in page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "rlheld" not in json.dumps(index) and "rl-card" not in json.dumps(index)
