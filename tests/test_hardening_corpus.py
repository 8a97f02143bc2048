"""Hardening of the corpus stages (red-team findings): parser positions, dedup of same-title papers,
reserved and locked slugs, notes and overrides for papers in no listing."""

from __future__ import annotations

import pytest

from generator.parse import MAX_TITLE_CHARS, parse_listing
from tests.isolated import abstract

LONG_TITLE = (
    "A Very Long Title About Graph Neural Networks, Message Passing, Oversmoothing, Oversquashing, Positional "
    "Encodings, Spectral Filters, Higher-Order Structure, Expressivity Beyond the Weisfeiler-Leman Hierarchy, "
    "Scalability to Billion-Edge Graphs, Robustness to Adversarial Edits and Fairness Across Communities: "
    "A Unified Survey"
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
