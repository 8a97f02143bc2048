"""The token index finds exactly what the reference regexes (`phrase_pattern`) find."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import Options, make_catalogue
from generator.models import Tag
from generator.tagging import PhraseIndex, compile_tag, phrase_pattern
from tests.sitebuild import EMBEDDED


@functools.cache
def compiled_index(phrases: tuple[str, ...]) -> PhraseIndex:
    return PhraseIndex((compile_tag(Tag("t", "T", "d", "g", phrases)),))


@functools.cache
def pattern(phrase: str):
    return phrase_pattern(phrase)


def index_spans(phrases: tuple[str, ...], text: str) -> set[tuple[int, int, str]]:
    index = compiled_index(phrases)
    found = index.spans(text, text.lower()).get(0, [])
    return {(s.start, s.end, index.tags[0].rules[r].phrase) for s, r in found}


def regex_spans(phrases: tuple[str, ...], text: str) -> set[tuple[int, int, str]]:
    return {(m.start(), m.end(), p) for p in phrases for m in pattern(p).finditer(text)}


@pytest.fixture(scope="module")
def real():
    return make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")).catalogue


def test_index_agrees_with_regexes_on_the_real_corpus(real):
    phrases = tuple(sorted({p for t in real.tags for p in (*t.phrases, *t.weak, *t.title_only)}))
    for paper in real.papers[::4]:
        for text in (paper.title, paper.abstract):
            assert index_spans(phrases, text) == regex_spans(phrases, text), paper.title


TRICKY = (
    "fine-tuning",
    "GAN",
    "RL",
    "graph neural network",
    "policy",
    "optimize",
    "neural tangent kernel",
    "NTK",
    "C++",
    "re:Adam(?=\\s+et\\s+al)",
    "ISA",  # an acronym the -ise fold changes ("isa" -> "iza"): still compared as written
    "RL HF",  # an acronym of two words
)
WORDS = st.sampled_from(
    [
        "fine",
        "tuning",
        "finetuning",
        "fine-tunings",
        "GAN",
        "GANs",
        "organ",
        "gan",
        "URL",
        "RL",
        "HF",
        "ISA",
        "isa",
        "ISAs",
        "Isa",
        "non-RL",
        "rl",
        "graph",
        "neural",
        "networks",
        "Graph-Neural",
        "network",
        "policy",
        "policies",
        "policys",
        "optimise",
        "optimize",
        "optimizes",
        "NTK",
        "NTKs",
        "C++",
        "Adam",
        "et",
        "al",
        "-",
        "İ",  # lowercases to two characters: the text's folded length differs, words are folded one by one
        "RLİ",
        "Ⓡ",  # not a word character, lowercased all the same
        "ǅ",
    ]
)
SEPARATORS = st.sampled_from([" ", "-", "  ", ", ", "", "\n", "(", ")", "\u00a0", "\u2013", "Ⓛ"])
LEADING = st.sampled_from(["", "-", " ", "("])


@settings(max_examples=300, deadline=None)
@given(LEADING, st.lists(st.tuples(WORDS, SEPARATORS), max_size=12))
def test_index_agrees_with_regexes_on_tricky_text(lead, parts):
    text = lead + "".join(w + s for w, s in parts)
    assert index_spans(TRICKY, text) == regex_spans(TRICKY, text)


def test_the_automaton_and_the_token_path_agree_on_the_real_corpus(real):
    # The token path serves texts whose lowercase changes length; here both see every text of the corpus.
    from generator.tagging import SPLIT, _fold

    index = PhraseIndex(tuple(compile_tag(t) for t in real.tags))
    for paper in real.papers[1::3]:
        for text in (paper.title, paper.abstract):
            parts = SPLIT.split(text)
            folded = [part if i % 2 == 0 else _fold(part) for i, part in enumerate(parts)]
            offsets = [sum(map(len, parts[:i])) for i in range(len(parts) + 1)]
            by_tokens = index._token_spans(text, folded, offsets)
            by_automaton = index._automaton_spans(text, text.lower())
            assert {t: sorted(f) for t, f in by_tokens.items()} == {t: sorted(f) for t, f in by_automaton.items()}


def test_no_whitespace_lies_beyond_the_last_one_the_automaton_folds():
    import sys

    from generator.tagging import LAST_SPACE, SPACES

    beyond = [c for c in range(LAST_SPACE + 1, sys.maxunicode + 1) if chr(c).isspace()]
    assert beyond == []
    assert chr(LAST_SPACE).isspace()
    assert set(SPACES) == {c for c in range(LAST_SPACE + 1) if chr(c).isspace() and c != 32}
