"""Issue 13, part A: one explicit cache, one record per paper, inputs read first, one report module."""

from __future__ import annotations

import os
import re
import signal
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator import parallel
from generator.build import Clock, Inputs, Options, catalogue_of, make_catalogue, read_inputs
from generator.cache import Cache, Lru
from generator.cli import main
from generator.models import SourceFile, plan_text
from generator.records import index
from generator.render import render_site

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parent / "generator"
FIXTURE = HERE / "fixtures" / "corpus"
TAGS = HERE / "fixtures" / "tags.yml"
# The done-when check: a module-level name bound to a fresh container, or a memo decorator.
MEMO = re.compile(r"^_[a-zA-Z_]+ *(:.*)?= *(\{|\[|set\(|dict\(|\(\))|lru_cache|functools.cache", re.MULTILINE)


def test_no_module_level_memo_in_the_generator():
    found = [
        f"{path.name}: {m.group()}" for path in sorted(GENERATOR.glob("*.py")) for m in MEMO.finditer(path.read_text())
    ]
    assert found == []


def test_lru_forgets_the_least_recently_used_first():
    lru = Lru(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "b" is now the least recently used
    lru.put("c", 3)
    assert len(lru) == 2 and "b" not in lru and lru.get("a") == 1 and lru.get("c") == 3
    assert lru.memo("d", lambda: 4) == 4 and lru.memo("d", lambda: 5) == 4
    with pytest.raises(ValueError):
        Lru(0)


def test_a_taxonomy_change_empties_the_tags_region():
    cache = Cache()
    cache.tagged(("one",)).put(("title", "abstract"), ())
    assert ("title", "abstract") in cache.tagged(("one",))
    assert len(cache.tagged(("two",))) == 0


def test_the_pipeline_after_read_inputs_reads_no_file(tmp_path):
    """catalogue_of runs on literal inputs: every path in the options points nowhere."""
    nowhere = tmp_path / "nowhere"
    options = Options(sources=nowhere / "sources", tags=nowhere / "tags.yml", notes=nowhere / "notes.yml")
    listing = (FIXTURE / "001_blank.txt").read_text(encoding="utf-8")
    taxonomy = yaml.safe_load(TAGS.read_text(encoding="utf-8"))
    inputs = Inputs((SourceFile("001_blank.txt", listing),), (), taxonomy, None, None, None)
    result = catalogue_of(inputs, options, Clock(), True, Cache())
    assert not nowhere.exists()
    from_files = make_catalogue(Options(sources=FIXTURE, tags=TAGS, overrides=Path(os.devnull)))
    first = [p for p in from_files.catalogue.papers if any(v.source == "001_blank.txt" for v in p.provenance)]
    assert [p.title for p in result.catalogue.papers] == [p.title for p in first]
    assert result.catalogue.clean  # the clean text the renderers use was made by the pipeline


def test_read_inputs_reads_every_input(tmp_path):
    inputs = read_inputs(Options(sources=FIXTURE, tags=TAGS, overrides=Path(os.devnull)))
    assert [s.name for s in inputs.listings] == ["001_blank.txt", "002_compact.txt"]
    assert inputs.taxonomy["tags"][0]["name"] == "Graph learning" and inputs.lock is None


@pytest.mark.parametrize("data", [b"x:\n  add: [a\xff]\n", b"\xc3", b"# fine\n\xff\xfe\n"])
def test_overrides_that_are_not_utf8_are_an_error_not_a_traceback(tmp_path, capsys, data):
    overrides = tmp_path / "overrides.yml"
    overrides.write_bytes(data)
    code = main(
        ["generate", "--sources", str(FIXTURE), "--docs", str(tmp_path / "docs"), "--tags", str(TAGS)]
        + ["--overrides", str(overrides)]
    )
    err = capsys.readouterr().err
    line = data[: data.index(b"\xff") if b"\xff" in data else len(data)].count(b"\n") + 1
    assert code == 1 and "Traceback" not in err
    assert err.startswith(f"error: {overrides}:{line}: not valid UTF-8"), err
    assert not (tmp_path / "docs").exists()


def test_a_page_is_made_again_when_its_related_paper_is_renamed():
    """The page memo is keyed on the record, which holds the related papers' titles."""
    cache = Cache()
    cat = make_catalogue(Options(sources=FIXTURE, tags=TAGS, overrides=Path(os.devnull))).catalogue
    source, target = next((k, related[0]) for k, related in cat.related.items() if related)
    first = plan_text(render_site(cat, cache=cache))
    renamed = tuple(replace(p, title="A Renamed Paper") if p.key == target else p for p in cat.papers)
    second = plan_text(render_site(replace(cat, papers=renamed), cache=cache))
    page = f"papers/{cat.slugs[source]}.md"
    assert "A Renamed Paper" not in first[page] and "A Renamed Paper" in second[page]
    assert second == plan_text(render_site(replace(cat, papers=renamed)))  # what a fresh cache makes


def test_records_hold_what_a_page_reads():
    cat = make_catalogue(Options(sources=FIXTURE, tags=TAGS, overrides=Path(os.devnull)), clean=True).catalogue
    idx = index(cat)
    assert list(idx.records) == [p.key for p in cat.papers]
    for paper in cat.papers:
        record = idx.records[paper.key]
        assert record.slug == cat.slugs[paper.key] and idx.key_of[record.slug] == paper.key
        assert [t.slug for t in record.tags] == [m.tag for m in cat.matches[paper.key]]
        assert [r.key for r in record.related] == list(cat.related.get(paper.key, ()))
        assert record.clean == cat.clean[paper.abstract]
        view = record.catalogue()
        assert view.papers == (paper,) and set(view.slugs) == {paper.key, *(r.key for r in record.related)}


def test_a_task_that_fails_with_an_unpicklable_exception_still_fails_the_run():
    class Odd(Exception):
        def __reduce__(self):
            raise TypeError("cannot pickle this")

    def broken() -> int:
        raise Odd("strange failure")

    with pytest.raises(RuntimeError, match="Odd: strange failure"):
        parallel.run_all([lambda: 1, broken], 2)


def test_a_worker_that_dies_fails_the_run():
    with pytest.raises(RuntimeError, match="ended abruptly"):
        parallel.run_all([lambda: 1, lambda: os.kill(os.getpid(), signal.SIGKILL)], 2)


def test_more_tasks_than_workers_all_run_in_order():
    assert parallel.run_all([lambda i=i: i * i for i in range(25)], 3) == [i * i for i in range(25)]
