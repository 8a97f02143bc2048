"""Listings as people copy them today: Hugging Face pages with author counts and dates, hard-wrapped
arXiv text with identifiers and `Authors:` lines, a year for every date, and `readinglist add`.

The fixtures in tests/fixtures/listings/ are written for these tests (made-up papers), one per layout.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import Options, generate, make_catalogue
from generator.cli import main
from generator.corpus import words
from generator.escape import markdown_text
from generator.parse import join_wrapped, parse_listing

HERE = Path(__file__).resolve().parent
LISTINGS = HERE / "fixtures" / "listings"
TAGS = HERE / "fixtures" / "tags.yml"
HF = "2025-01-07-hf-daily.txt"


def parse(name: str, year: int | None = None):
    return parse_listing(name, (LISTINGS / name).read_text(encoding="utf-8"), year)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- the layouts -------------------------------------------------------------------------------------


def test_hugging_face_page_keeps_author_counts_and_dates_and_drops_its_furniture():
    entries, problems = parse(HF)
    assert problems == []
    assert [e.title for e in entries] == [
        "Sparse Mixtures of Tiny Experts for On-Device Speech Recognition",
        "Counting Objects in Cluttered Scenes with Point Supervision",
        "A Benchmark for Long-Horizon Planning in Language Agents",
    ]
    assert [e.authors_count for e in entries] == [6, 3, 11]
    # "Jan 3" has no year: the listing's (from its file name); "Dec 30, 2024" keeps its own.
    assert [e.published for e in entries] == ["2025-01-06", "2025-01-03", "2024-12-30"]
    assert entries[0].abstract.endswith("We release the code and the trained routers.")
    assert {e.provenance.day for e in entries} == {"2025-01-07"}


def test_arxiv_listing_page_joins_wrapped_titles_and_abstracts_and_keeps_ids_and_authors():
    entries, problems = parse("listing-page.txt")
    assert problems == []
    first = entries[0]
    assert first.title == (
        "Adaptive Step Sizes for Stochastic Gradient Descent Without Knowing the Smoothness Constant"
    )
    assert first.abstract.startswith(
        "Choosing the step size of stochastic gradient descent usually needs the smoothness"
    )
    assert first.abstract.endswith("it needs no tuning and matches a tuned schedule.")
    assert [e.arxiv_id for e in entries] == ["2503.06789", "2503.06801", "2503.07010"]
    assert first.authors == ("Alice Example", "Bob Sample", "Carol Placeholder")
    # No date in the file name: the dated first line gives the listing's date, year included.
    assert first.provenance.day == "2025-03-11"
    assert "Weisfeiler-Leman hierarchy" in entries[1].abstract  # a hyphen inside a line stays


def test_arxiv_mailing_keeps_ids_authors_and_submission_dates():
    entries, problems = parse("2025-03-12-math-oc.txt")
    assert problems == []
    assert [e.arxiv_id for e in entries] == ["2503.08123", "2503.08200", "2503.06789"]
    assert entries[0].title == (
        "A Primal-Dual Method for Nonsmooth Bilevel Optimization with Linear Lower-Level Constraints"
    )
    assert entries[1].authors == ("Ida Example", "Jonas Sample", "Karl Placeholder")  # wrapped, affiliation out
    assert [e.published for e in entries] == ["2025-03-11", "2025-03-12", "2025-03-10"]


def test_metadata_dump_with_bare_ids_and_unprefixed_wrapped_titles():
    entries, problems = parse("dump.txt")
    assert problems == []
    assert [e.title for e in entries] == [
        "Learning to Rank Candidate Molecules with Pairwise Preferences from Chemists",
        "Self-Supervised Pretraining for Weather Radar Nowcasting",
    ]
    assert [e.arxiv_id for e in entries] == ["2502.11111", "2502.12222"]
    assert entries[0].provenance.day is None  # no date anywhere, no default year


def test_compact_and_one_line_blank_layouts_are_not_joined():
    abstract = "We study a thing. " * 30
    compact = f"Title One\n{abstract}\nTitle Two\n{abstract}\n"
    entries, problems = parse_listing("c.txt", compact)
    assert [e.title for e in entries] == ["Title One", "Title Two"] and problems == []


# --- dates and years ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_line", "year", "day"),
    [
        ("2025-03-11.txt", "Mar 11", None, "2025-03-11"),
        ("2025-03-11-cs-lg.txt", "2024-01-01", None, "2025-03-11"),  # the file name wins
        ("x.txt", "2024-01-01", 2023, "2024-01-01"),  # a dated first line beats the default
        ("x.txt", "Mar 11", 2023, "2023-03-11"),  # the default year only for what has none
        ("x.txt", "Mar 11", None, None),  # otherwise the year stays unknown
    ],
)
def test_a_listing_date_takes_its_year_first_found_wins(name, first_line, year, day):
    text = f"{first_line}\n\nA Title\n\n" + "We study a thing at length. " * 15
    entries, problems = parse_listing(name, text, year)
    assert problems == [] and entries[0].provenance.day == day


def test_a_date_after_the_listing_date_is_from_the_year_before():
    text = "Jan 7\n\nA Title\n\n" + "We study a thing at length. " * 15 + "\n\n• 2 authors\n·\nDec 30\n"
    entries, _ = parse_listing("2025-01-07.txt", text)
    assert entries[0].published == "2024-12-30"


def test_year_unknown_is_said_on_the_pages_and_papers_sort_by_date(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in (HF, "dump.txt"):
        shutil.copy(LISTINGS / name, sources / name)
    abstract = "We study a thing at length and in depth. " * 10
    (sources / "undated.txt").write_text(f"Mar 11\n\nA Paper With No Year\n\n{abstract}\n", encoding="utf-8")
    cat = make_catalogue(Options(sources=sources, tags=TAGS)).catalogue
    assert [p.day for p in cat.papers] == ["2025-01-06", "2025-01-03", "2024-12-30", None, None, None]
    assert [p.title for p in cat.papers][3:] == [  # undated last, in listing order
        "Learning to Rank Candidate Molecules with Pairwise Preferences from Chemists",
        "Self-Supervised Pretraining for Weather Radar Nowcasting",
        "A Paper With No Year",
    ]
    monkeypatch.chdir(HERE.parent)
    docs = tmp_path / "docs"
    generate(Options(sources=sources, docs=docs, tags=TAGS))
    page = (docs / "papers" / "a-paper-with-no-year.md").read_text(encoding="utf-8")
    assert '<small class="rl-date">Mar 11 (year unknown)</small>' in page
    sparse = (docs / "papers" / "sparse-mixtures-of-tiny-experts-for-on-device-speech-recognition.md").read_text()
    assert '<small class="rl-date">6 Jan 2025</small>' in sparse and "6 authors" in sparse
    assert "<li>7 Jan 2025 · hf-daily (<code>" in sparse  # provenance by date and title
    record = json.loads((docs / "papers.json").read_text(encoding="utf-8"))["papers"][0]
    assert (record["authors_count"], record["published"], record["date"]) == (6, "2025-01-06", "2025-01-06")
    assert record["provenance"][0]["day"] == "2025-01-07" and record["provenance"][0]["listing"] == "hf-daily"
    feed = (docs / "feed.xml").read_text(encoding="utf-8")
    assert "<published>2025-01-06T00:00:00+00:00</published>" in feed
    # With --year, the undated listing's "Mar 11" gets a year.
    cat = make_catalogue(Options(sources=sources, tags=TAGS, year=2024)).catalogue
    assert next(p for p in cat.papers if p.title == "A Paper With No Year").day == "2024-03-11"


# --- authors and identifiers -------------------------------------------------------------------------


def test_one_arxiv_identifier_is_one_paper_whatever_its_titles(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("listing-page.txt", "2025-03-12-math-oc.txt"):
        shutil.copy(LISTINGS / name, sources / name)
    result = make_catalogue(Options(sources=sources, tags=TAGS))
    assert result.count_lines()[0] == "read 2 listing files: 6 entries = 5 papers + 1 duplicates merged + 0 skipped"
    assert not result.warnings
    monkeypatch.chdir(HERE.parent)
    docs = tmp_path / "docs"
    generate(Options(sources=sources, docs=docs, tags=TAGS))
    page = (docs / "papers" / "adaptive-step-sizes-for-stochastic-gradient-descent-without-knowing-the.md").read_text()
    assert '<strong>Paper:</strong> <a href="https://arxiv.org/abs/2503.06789">arXiv:2503&#46;06789</a>' in page
    assert "Look up:" not in page and "Semantic Scholar" not in page
    bib = (docs / "papers.bib").read_text(encoding="utf-8")
    assert "author = {{Alice Example} and {Bob Sample} and {Carol Placeholder}}" in bib
    assert "eprint = {2503.06789}" in bib and "archivePrefix = {arXiv}" in bib
    record = next(r for r in json.loads((docs / "papers.json").read_text())["papers"] if r["arxiv_id"] == "2503.06789")
    assert record["authors"] == ["Alice Example", "Bob Sample", "Carol Placeholder"]
    assert len(record["provenance"]) == 2


def test_two_entries_with_one_title_but_different_arxiv_ids_stay_two_papers():
    abstract = "We study a thing at length and in depth. " * 10
    text = f"arXiv:2501.00001\nTitle: Same Title\n\n{abstract}\n\narXiv:2501.00002\nTitle: Same Title\n\n{abstract}\n"
    (entries, _) = parse_listing("a.txt", text)
    from generator.corpus import deduplicate

    papers, merges, problems = deduplicate(entries)
    assert len(papers) == 2 and not merges
    assert "arXiv identifier (2501.00002) differs" in problems[0].message


# --- wrapped text: no word lost ----------------------------------------------------------------------

WORD = st.from_regex(r"[A-Za-z]{1,10}(-[a-z]{1,8})?", fullmatch=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.lists(WORD, min_size=3, max_size=14).map(" ".join),
            st.lists(st.lists(WORD, min_size=8, max_size=25).map(lambda w: " ".join(w) + "."), min_size=3, max_size=6),
        ),
        min_size=1,
        max_size=5,
    ),
    st.integers(min_value=40, max_value=90),
)
def test_joining_wrapped_lines_loses_no_word_and_moves_none(papers, width):
    blocks = []
    for title, sentences in papers:
        abstract = " ".join(s[0].upper() + s[1:] for s in sentences)
        blocks += [textwrap.fill(title, width), textwrap.fill(abstract, width)]
    text = "\n\n".join(blocks) + "\n"
    entries, problems = parse_listing("w.txt", text)
    wanted = [(title, " ".join(s[0].upper() + s[1:] for s in sentences)) for title, sentences in papers]
    got = [(e.title, e.abstract) for e in entries]
    if got != wanted:  # only a title that happens to look like a short abstract may be read otherwise
        assert problems
    # Whatever the reading, every word of the file is in the entries or named by a problem's line.
    kept = [w for e in entries for w in words(e.title + " " + e.abstract)]
    if not problems:
        assert kept == [w for t, a in wanted for w in words(t + " " + a)]


def test_join_wrapped_rejoins_a_word_broken_at_its_hyphen():
    assert join_wrapped(["a self-", "supervised model"]) == "a self-supervised model"
    assert join_wrapped(["ends with -", "dash"]) == "ends with - dash"


# --- readinglist add ---------------------------------------------------------------------------------


class Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(LISTINGS / "listing-page.txt", folder / "listing-page.txt")
    return folder


def test_add_saves_a_file_under_its_date_and_says_what_is_new(sources, capsys):
    code, out, err = run(capsys, "add", str(LISTINGS / "2025-03-12-math-oc.txt"), "--sources", str(sources))
    assert code == 0, err
    assert f"saved {sources / '2025-03-12-math-oc.txt'}: 3 entries = 2 new papers + 1 already listed" in out
    assert (sources / "2025-03-12-math-oc.txt").read_text() == (LISTINGS / "2025-03-12-math-oc.txt").read_text()


def test_add_from_standard_input_with_a_title_never_overwrites(sources, capsys, monkeypatch):
    data = (LISTINGS / HF).read_bytes()
    for expected in ("2025-01-07-hf daily.txt", "2025-01-07-hf daily-2.txt"):
        monkeypatch.setattr(sys, "stdin", Stdin(data))
        code, out, err = run(capsys, "add", "-", "--title", "hf daily", "--sources", str(sources))
        assert code == 0, err
        assert (sources / expected).read_bytes() == data
    assert "3 entries = 0 new papers + 3 already listed" in out  # the second time


def test_add_takes_the_year_from_the_papers_dates_when_the_listing_has_none(sources, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Stdin((LISTINGS / HF).read_bytes()))  # "Jan 7"; papers of 2025
    assert run(capsys, "add", "--sources", str(sources))[0] == 0
    assert (sources / "2025-01-07.txt").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the listing is empty"),
        (b"  \n\n ", "the listing is empty"),
        (bytes(range(256)) * 8, "is a binary file"),
        (b"hello world\n", "no entries found"),
    ],
)
def test_add_refuses_input_with_no_listing_and_writes_nothing(sources, capsys, monkeypatch, data, message):
    monkeypatch.setattr(sys, "stdin", Stdin(data))
    before = sorted(p.name for p in sources.iterdir())
    code, out, err = run(capsys, "add", "--sources", str(sources), "--date", "2025-03-11")
    assert code == 1 and err.startswith("error: <stdin>: ") and message in err and "nothing was saved" in err
    assert sorted(p.name for p in sources.iterdir()) == before


def test_a_hostile_title_from_a_file_name_is_escaped_on_the_site(tmp_path, capsys, monkeypatch):
    sources = tmp_path / "sources"
    sources.mkdir()
    monkeypatch.setattr(sys, "stdin", Stdin((LISTINGS / HF).read_bytes()))
    title = "<img src=x onerror=alert(1)> | `x` [a](b)"
    assert run(capsys, "add", "--sources", str(sources), "--title", title)[0] == 0
    (saved,) = sources.iterdir()
    assert saved.name == f"2025-01-07-{title}.txt"
    monkeypatch.chdir(HERE.parent)
    docs = tmp_path / "docs"
    generate(Options(sources=sources, docs=docs, tags=TAGS))
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert markdown_text(title) in home and "<img" not in home
    page = (docs / "papers" / "counting-objects-in-cluttered-scenes-with-point-supervision.md").read_text()
    prose = page.split('<h2 id="cite">')[0] + page.split('<h2 id="listed-in">')[1]  # BibTeX is a code block: text
    assert f"7 Jan 2025 · {markdown_text(title)}" in prose and "<img" not in prose


def test_a_title_loses_path_separators_and_control_characters():
    from generator.adding import clean_title

    assert clean_title("../a/b\\c\nd") == "a-b-c-d"
    assert clean_title("...") is None
    assert len(clean_title("é" * 200).encode()) <= 120
