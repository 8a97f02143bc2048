"""Hardening of the corpus stages (red-team findings): parser positions, dedup of same-title papers,
reserved and locked slugs, notes and overrides for papers in no listing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.corpus import deduplicate, similarity, words
from generator.models import Entry, Provenance
from generator.parse import MAX_TITLE_CHARS, parse_listing
from generator.slugs import LOCK_NAME, assign_slugs, lock_text
from tests.isolated import abstract, tags_alone
from tests.sitebuild import ROOT, build_site

LONG_TITLE = (
    "A Very Long Title About Graph Neural Networks, Message Passing, Oversmoothing, Oversquashing, Positional "
    "Encodings, Spectral Filters, Higher-Order Structure, Expressivity Beyond the Weisfeiler-Leman Hierarchy, "
    "Scalability to Billion-Edge Graphs, Robustness to Adversarial Edits and Fairness Across Communities: "
    "A Unified Survey"
)
UNRELATED = (
    "Protein folding remains hard for physics simulators. We train a diffusion model on crystal structures, "
    "and it predicts side-chain packing better than Rosetta on every CASP target we tried. Code is released."
)


def long_abstract(topic: str) -> str:
    return abstract(topic) + " " + abstract(topic + " again")


# --- 5. titles over 300 characters ------------------------------------------------------------------


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["compact", "blank-line"])
def test_title_over_300_characters_followed_by_its_abstract_is_kept(gap):
    assert len(LONG_TITLE) > MAX_TITLE_CHARS
    text = gap.join(["Mar 11", "Short Title", abstract("short"), LONG_TITLE, long_abstract("graphs"), "Last One"])
    text += gap + abstract("last")
    entries, problems = parse_listing("a.txt", text)
    assert [(e.title, e.abstract) for e in entries] == [
        ("Short Title", abstract("short")),
        (LONG_TITLE, long_abstract("graphs")),
        ("Last One", abstract("last")),
    ]
    assert problems == []


def test_long_line_before_a_title_is_still_an_abstract_with_no_title():
    text = "\n".join(["Short Title", abstract("short"), LONG_TITLE, "Next Title", abstract("next")])
    entries, problems = parse_listing("a.txt", text)
    assert [e.title for e in entries] == ["Short Title", "Next Title"]
    assert [(p.line, p.kind) for p in problems] == [(3, "skip")]
    assert "a.txt:3: abstract with no title before it (a line of" in str(problems[0])


def test_long_line_at_end_of_file_is_reported():
    entries, problems = parse_listing("a.txt", "\n".join(["Short Title", abstract("short"), LONG_TITLE]))
    assert [e.title for e in entries] == ["Short Title"]
    assert [(p.line, p.reason) for p in problems] == [(3, "abstract with no title")]


def test_orphan_abstract_followed_by_another_abstract_stays_two_skips():
    """An abstract is prose: where a title belongs, it never becomes one."""
    text = "\n".join(["Short Title", abstract("short"), abstract("orphan"), long_abstract("orphan two")])
    entries, problems = parse_listing("a.txt", text)
    assert [e.title for e in entries] == ["Short Title"]
    assert [p.line for p in problems if p.kind == "skip"] == [3, 4]


def test_two_titles_in_a_row_still_warn():
    text = "\n".join(["A Title Broken", "In Two Lines", abstract("broken")])
    entries, problems = parse_listing("a.txt", text)
    assert [e.title for e in entries] == ["In Two Lines"]
    assert "a.txt:1: title with no abstract (line 2 is another title)" in str(problems[0])


# --- helpers for whole runs -------------------------------------------------------------------------


def listing(*papers: tuple[str, str]) -> str:
    return "Mar 11\n\n" + "\n\n".join(f"{title}\n\n{text}" for title, text in papers) + "\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch corpus folder (corpus/sources, corpus/tags.yml) as the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus" / "sources").mkdir(parents=True)
    shutil.copy(tags_alone(), tmp_path / "corpus" / "tags.yml")
    return tmp_path


def generate(capsys: pytest.CaptureFixture[str], *extra: str, docs: str = "docs") -> tuple[int, str, str]:
    code = main(["generate", "--sources", "corpus/sources", "--tags", "corpus/tags.yml", "--docs", docs, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def papers_json(project: Path, docs: str = "docs") -> list[dict]:
    return json.loads((project / docs / "papers.json").read_text(encoding="utf-8"))["papers"]


def slugs_by_title(project: Path) -> dict[str, str]:
    return {p["title"]: p["slug"] for p in papers_json(project)}


# --- 1. two papers with one title -------------------------------------------------------------------


def entry(title: str, text: str, source: str = "a.txt", line: int = 1) -> Entry:
    return Entry(title, text, Provenance(source, line, None))


def test_word_sets_decide_same_paper_at_half_shared():
    assert words("Don't STOP—pre-training, ok?") == ["don", "t", "stop", "pre", "training", "ok"]
    assert similarity("a b c", "a b d") == 0.5  # 2 shared of 4: one paper
    assert similarity("a b c", "a d e") == 0.2
    assert similarity("", "...") == 1.0


def test_same_title_with_unrelated_abstracts_is_two_papers_and_a_warning():
    papers, merges, problems = deduplicate(
        [entry("Deep Nets", abstract("graphs"), "a.txt", 3), entry("deep nets.", UNRELATED, "b.txt", 9)],
        Path("corpus/sources"),
    )
    assert [(p.title, p.abstract) for p in papers] == [("Deep Nets", abstract("graphs")), ("deep nets.", UNRELATED)]
    assert papers[0].key == "deep nets" and papers[1].key.startswith("deep nets #")
    assert merges == []
    [problem] = problems
    assert problem.kind == "warning"
    assert str(problem).startswith("corpus/sources/b.txt:9: same title as corpus/sources/a.txt:3, but the abstracts")
    assert "kept as two papers" in problem.message


def test_same_title_with_an_edited_abstract_is_one_paper_and_the_merge_names_the_other():
    edited = abstract("graphs").replace("three benchmarks", "four benchmarks and a new one")
    papers, merges, problems = deduplicate(
        [entry("Deep Nets", abstract("graphs"), "a.txt", 3), entry("Deep Nets", edited, "b.txt", 9)],
        Path("corpus/sources"),
    )
    assert len(papers) == 1 and papers[0].abstract == abstract("graphs")
    assert [(m.provenance.source, m.provenance.line, m.same_abstract) for m in merges] == [("b.txt", 9, False)]
    assert str(problems[0]).startswith("corpus/sources/b.txt:9: duplicate of corpus/sources/a.txt:3 with a different")


def test_two_papers_with_one_title_reach_every_output_with_stable_slugs(project, capsys):
    sources = project / "corpus" / "sources"
    (sources / "a.txt").write_text(listing(("Deep Nets", abstract("graphs"))), encoding="utf-8")
    (sources / "b.txt").write_text(listing(("Deep Nets", UNRELATED), ("Other", abstract("x"))), encoding="utf-8")
    code, out, err = generate(capsys)
    assert code == 0
    assert "warning: corpus/sources/b.txt:3: same title as corpus/sources/a.txt:3" in err
    assert "3 entries = 3 papers + 0 duplicates merged + 0 skipped" in out
    papers = papers_json(project)
    assert sorted(p["abstract"] for p in papers if p["title"] == "Deep Nets") == sorted([abstract("graphs"), UNRELATED])
    slugs = [p["slug"] for p in papers if p["title"] == "Deep Nets"]
    assert slugs[0] == "deep-nets" and slugs[1].startswith("deep-nets--")
    # Stable: a second run gives the same slugs, and --strict stops on the warning.
    assert generate(capsys, docs="docs2")[0] == 0 and [p["slug"] for p in papers_json(project, "docs2")][:2] == slugs
    code, _, err = generate(capsys, "--strict", docs="docs3")
    assert code == 1 and "error: corpus/sources/b.txt:3: same title as corpus/sources/a.txt:3" in err


def test_merged_entry_with_a_different_abstract_is_printed(project, capsys):
    edited = abstract("graphs").replace("three benchmarks", "four benchmarks")
    (project / "corpus" / "sources" / "a.txt").write_text(
        listing(("Deep Nets", abstract("graphs")), ("Deep Nets", edited)), encoding="utf-8"
    )
    code, out, err = generate(capsys)
    assert code == 0 and "2 entries = 1 papers + 1 duplicates merged" in out
    assert "note: corpus/sources/a.txt:7: duplicate of corpus/sources/a.txt:3 with a different abstract" in err
    # A no-op rerun replays it.
    code, out, err = generate(capsys)
    assert "already up to date" in out and "note: corpus/sources/a.txt:7: duplicate of" in err


@pytest.mark.slow
def test_embedded_corpus_still_merges_its_58_duplicates(tmp_path, capsys, monkeypatch):
    """A frozen copy of the embedded corpus (tests must not depend on the live one changing)."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "tests" / "fixtures" / "embedded" / "sources", tmp_path / "corpus" / "sources")
    shutil.copy(tags_alone(), tmp_path / "corpus" / "tags.yml")
    code, out, err = generate(capsys)
    assert code == 0, err
    assert "read 5 listing files: 426 entries = 368 papers + 58 duplicates merged + 0 skipped" in out
    assert "warning" not in err


# --- 2. reserved slugs ------------------------------------------------------------------------------


def test_reserved_titles_never_get_the_folder_index_slug():
    slugs = assign_slugs([("index", "Index"), ("readme", "README"), ("readme2", "Read Me")])
    assert slugs["index"].startswith("index--") and slugs["readme"].startswith("readme--")
    assert slugs["readme2"] == "read-me"


@pytest.mark.slow
def test_papers_json_urls_match_built_pages_for_an_index_paper(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text(
        listing(("Index", abstract("indexes")), ("README", abstract("readmes")), ("Normal", abstract("n"))),
        encoding="utf-8",
    )
    for offline in (False, True):
        site, _ = build_site(tmp_path / f"site-{offline}", sources=sources, tags=tags_alone(), offline=offline)
        papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
        assert len(papers) == 3 and not any(p["slug"] in ("index", "readme") for p in papers)
        for paper in papers:
            page = site / (paper["url"] + "index.html" if paper["url"].endswith("/") else paper["url"])
            assert page.is_file(), paper["url"]
            assert paper["title"] in page.read_text(encoding="utf-8")
        assert not (site / "papers" / "index.html").exists()  # no paper page posing as the folder's index


# --- 3. the slug lock -------------------------------------------------------------------------------


def test_plain_slug_ending_in_hex_cannot_take_a_suffixed_slug():
    """The red team's case: a new paper whose plain slug equalled another's hash-suffixed one moved it."""
    items = [("foo bar", "Foo Bar"), ("foo-bar", "Foo-Bar")]
    slugs = assign_slugs(items)
    assert slugs["foo bar"] == "foo-bar" and slugs["foo-bar"].startswith("foo-bar--")
    lookalike = slugs["foo-bar"].replace("--", " ")  # "foo-bar db7329...": a title ending in the same hex
    after = assign_slugs([("new", lookalike), *items])  # listed first, no lock
    assert after["new"] == slugs["foo-bar"].replace("--", "-")
    assert {k: after[k] for k in slugs} == slugs


def published(project: Path, capsys) -> dict[str, str]:
    """Publish b.txt's papers (with a lock) and return their slugs."""
    sources = project / "corpus" / "sources"
    (sources / "b.txt").write_text(
        listing(("Foo Bar", abstract("foo")), ("Foo: Bar", abstract("colons")), ("Solo", abstract("solo"))),
        encoding="utf-8",
    )
    (project / "corpus" / LOCK_NAME).write_text("", encoding="utf-8")
    code, _, err = generate(capsys)
    assert code == 0, err
    return slugs_by_title(project)


def test_a_colliding_paper_in_an_earlier_listing_changes_no_published_slug(project, capsys):
    before = published(project, capsys)
    assert before["Foo Bar"] == "foo-bar" and before["Foo: Bar"].startswith("foo-bar--")
    lock = (project / "corpus" / LOCK_NAME).read_text(encoding="utf-8")
    assert sorted(json.loads(lock).values()) == sorted(before.values())
    lines = lock.splitlines()
    assert lines[0] == "{" and lines[-1] == "}" and lines[1:-1] == sorted(lines[1:-1])  # one entry a line, sorted
    # An older listing, sorting earlier, with a paper whose title slugifies the same, and one with the same title.
    (project / "corpus" / "sources" / "a.txt").write_text(
        listing(("FOO-BAR", abstract("dashes")), ("Foo Bar", UNRELATED)), encoding="utf-8"
    )
    code, _, err = generate(capsys)
    assert code == 0, err
    after = slugs_by_title(project)
    assert {t: after[t] for t in before} == before
    new = [p["slug"] for p in papers_json(project) if p["slug"] not in before.values()]
    assert len(new) == 2 and all(s.startswith("foo-bar--") for s in new)
    extended = json.loads((project / "corpus" / LOCK_NAME).read_text(encoding="utf-8"))
    assert set(extended.items()) > set(json.loads(lock).items()) and len(extended) == 5


def test_without_a_lock_listing_order_decides_and_no_lock_is_created(project, capsys):
    published(project, capsys)
    (project / "corpus" / LOCK_NAME).unlink()
    (project / "corpus" / "sources" / "a.txt").write_text(listing(("FOO-BAR", abstract("dashes"))), encoding="utf-8")
    code, _, _ = generate(capsys)
    assert code == 0
    after = slugs_by_title(project)
    assert after["FOO-BAR"] == "foo-bar" and after["Foo Bar"].startswith("foo-bar--")  # the old tie-break
    assert not (project / "corpus" / LOCK_NAME).exists()


def test_stale_lock_entries_stay_and_their_slugs_are_never_reused(project, capsys):
    before = published(project, capsys)
    (project / "corpus" / "sources" / "b.txt").write_text(listing(("Solo", abstract("solo"))), encoding="utf-8")
    (project / "corpus" / "sources" / "c.txt").write_text(listing(("Foo-Bar", abstract("new"))), encoding="utf-8")
    code, _, err = generate(capsys)
    assert code == 0 and "warning" not in err
    after = slugs_by_title(project)
    assert after["Solo"] == before["Solo"]
    assert after["Foo-Bar"] not in before.values() and after["Foo-Bar"].startswith("foo-bar--")
    lock = json.loads((project / "corpus" / LOCK_NAME).read_text(encoding="utf-8"))
    assert set(before.values()) < set(lock.values())


def test_the_slug_follows_its_paper_when_its_first_abstract_changes(project, capsys):
    before = published(project, capsys)
    edited = abstract("solo").replace("three benchmarks", "five benchmarks")
    (project / "corpus" / "sources" / "a.txt").write_text(listing(("Solo", edited)), encoding="utf-8")
    (project / "corpus" / "sources" / "b.txt").write_text(listing(("Solo", abstract("solo"))), encoding="utf-8")
    assert generate(capsys)[0] == 0
    assert slugs_by_title(project)["Solo"] == before["Solo"]
    (project / "corpus" / "sources" / "b.txt").unlink()  # the abstract the lock knew is gone
    assert generate(capsys)[0] == 0
    assert slugs_by_title(project)["Solo"] == before["Solo"]


def test_a_lock_entry_wins_over_the_listing_order(project, capsys):
    sources = project / "corpus" / "sources"
    (sources / "a.txt").write_text(listing(("Foo Bar", abstract("foo")), ("Foo-Bar", abstract("x"))), encoding="utf-8")
    from generator.corpus import fingerprint

    lock = {
        f"foo-bar #{fingerprint(abstract('x'))}": "foo-bar",
        f"foo bar #{fingerprint(abstract('foo'))}": "foo-bar--abc123",
    }
    (project / "corpus" / LOCK_NAME).write_text(lock_text(lock), encoding="utf-8")
    assert generate(capsys)[0] == 0
    assert slugs_by_title(project) == {"Foo Bar": "foo-bar--abc123", "Foo-Bar": "foo-bar"}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('{\n"foo bar #0123abcd": "foo-bar",\n"solo #0123abce": "solo"\n"x #0123abcf": "x"\n}\n', 4, "not valid JSON"),
        ('{\n"foo bar #0123abcd": "foo-bar",\n"solo #0123abce": "foo-bar"\n}\n', 3, "locked for two papers"),
        ('{\n"foo bar #0123abcd": "Foo Bar"\n}\n', 2, "is not a slug"),
        ('{\n"foo bar": "foo-bar"\n}\n', 2, "is not a slug-lock key"),
        ('{\n"foo bar #0123abcd": "foo-bar",\n"foo bar #0123abcd": "foo-bar-2"\n}\n', 3, "listed twice"),
        ('{\n"index #0123abcd": "index"\n}\n', 2, "reserved"),
        ('["foo-bar"]\n', 1, "one JSON object"),
    ],
)
def test_a_damaged_lock_is_an_error_naming_the_line(project, capsys, text, line, fragment):
    (project / "corpus" / "sources" / "a.txt").write_text(listing(("Solo", abstract("solo"))), encoding="utf-8")
    (project / "corpus" / LOCK_NAME).write_text(text, encoding="utf-8")
    code, _, err = generate(capsys)
    assert code == 1
    assert err.startswith(f"error: corpus/{LOCK_NAME}:{line}: ") and fragment in err, err
    assert not (project / "docs").exists()
    assert (project / "corpus" / LOCK_NAME).read_text(encoding="utf-8") == text


# --- 4. notes and overrides for papers in no listing ------------------------------------------------


def test_override_and_note_for_a_paper_in_no_listing_warn_and_the_build_goes_on(project, capsys):
    (project / "corpus" / "sources" / "a.txt").write_text(
        listing(("Graph Networks", abstract("graph neural networks"))), encoding="utf-8"
    )
    overrides = "# old paper, its listing was removed\n\nold-paper:\n  add: [computer-vision]\n"
    notes = "graph-network:\n  status: read\n"
    (project / "corpus" / "overrides.yml").write_text(overrides, encoding="utf-8")
    (project / "corpus" / "notes.yml").write_text(notes, encoding="utf-8")
    code, out, err = generate(capsys)
    assert code == 0
    assert "warning: corpus/overrides.yml:3: unknown paper slug 'old-paper' (no listing has that paper; " in err
    assert "this override is ignored" in err
    assert "warning: corpus/notes.yml:1: unknown paper slug 'graph-network' (no listing has that paper; " in err
    assert "did you mean 'graph-networks'?" in err and "2 warnings" in out
    assert papers_json(project)[0]["note"] is None
    code, _, err = generate(capsys, "--strict", docs="strict")
    assert code == 1 and "corpus/overrides.yml:3: unknown paper slug 'old-paper'" in err
    assert (project / "corpus" / "overrides.yml").read_text(encoding="utf-8") == overrides
    assert (project / "corpus" / "notes.yml").read_text(encoding="utf-8") == notes


@pytest.mark.parametrize("damage", ["folder", "bytes"])
def test_an_unreadable_lock_is_an_error_not_a_traceback(project, capsys, damage):
    (project / "corpus" / "sources" / "a.txt").write_text(listing(("Solo", abstract("solo"))), encoding="utf-8")
    lock = project / "corpus" / LOCK_NAME
    if damage == "folder":
        lock.mkdir()
    else:
        lock.write_bytes(b'{\n"solo #0123abcd": "so\xff"\n}\n')
    code, _, err = generate(capsys)
    assert code == 1 and err.startswith(f"error: corpus/{LOCK_NAME}: cannot read the slug lock")
