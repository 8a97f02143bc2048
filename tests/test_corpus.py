from __future__ import annotations

from generator.corpus import deduplicate, normalise_title
from generator.models import Entry, Provenance


def entry(title: str, source: str = "a.txt", line: int = 1, abstract: str = "Same abstract.") -> Entry:
    return Entry(title, abstract, Provenance(source, line, None))


def test_normalisation_unifies_case_space_quotes_dashes_and_trailing_punctuation():
    variants = [
        "Don’t Stop — Pretraining.",
        "don't stop - pretraining",
        "DON'T  STOP – PRETRAINING!",
        "Don\u2019t stop \u2014 pretraining ?",
        "Ｄon't stop - pretraining",  # full-width letter, folded by NFKC
    ]
    assert len({normalise_title(v) for v in variants}) == 1


def test_symbols_that_change_meaning_survive():
    keys = {normalise_title(t) for t in ["C++ for X", "C# for X", "C for X"]}
    assert len(keys) == 3


def test_merges_keep_every_provenance_and_first_text():
    papers, merges, problems = deduplicate(
        [entry("Paper A", "a.txt", 3), entry("Paper B", "a.txt", 7), entry("paper a.", "b.txt", 5)]
    )
    assert [p.title for p in papers] == ["Paper A", "Paper B"]
    assert [(v.source, v.line) for v in papers[0].provenance] == [("a.txt", 3), ("b.txt", 5)]
    assert len(merges) == 1 and merges[0].same_abstract
    assert problems == []


def test_different_abstract_on_a_duplicate_is_reported_not_lost():
    first, edited = "We study one thing in depth, with care.", "We study one thing in depth, with great care."
    papers, merges, problems = deduplicate([entry("T", abstract=first), entry("T", "b.txt", 9, abstract=edited)])
    assert len(papers) == 1 and not merges[0].same_abstract
    assert problems[0].path == "b.txt" and problems[0].line == 9 and problems[0].kind == "info"


def test_c_family_titles_stay_three_papers():
    papers, merges, _ = deduplicate([entry("C++ for X"), entry("C# for X"), entry("C for X")])
    assert len(papers) == 3 and merges == []


def test_normalised_titles_made_already_are_taken_and_give_the_same_papers():
    from generator.corpus import title_key

    entries = [entry("C++ for X"), entry("C# for X", "b.txt", 9), entry("C for X", "c.txt", 3), entry("Other")]
    keys = {e.title: title_key(e.title) for e in entries}
    assert deduplicate(entries, None, keys) == deduplicate(entries)
    papers, _, _ = deduplicate([entry("C++ for X"), entry("Other")], None, {"Other": title_key("C++ for X")})
    assert len(papers) == 1  # (taken: the two titles were given one key)
