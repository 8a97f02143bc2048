"""Abstracts with LaTeX residue -> clean text and safe Markdown; nothing of the raw text is lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import textclean
from generator.build import Options, make_catalogue
from generator.links import find_urls
from generator.textclean import MATH_MACROS, Run, clean_markdown, clean_runs, clean_text, fold
from tests.sitebuild import EMBEDDED, ROOT


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a ``deep'' network", "a “deep” network"),
        ("the `lifts' of", "the ‘lifts’ of"),
        (r"the Fr\'echet distance", "the Fréchet distance"),
        (r"Schr\"odinger bridges", "Schrödinger bridges"),
        (r"Polyak-\L ojasiewicz", "Polyak-Łojasiewicz"),
        (r"saves 90\% of cost", "saves 90% of cost"),
        ("saves 5% of cost, & more", "saves 5% of cost, & more"),
        (r"the temperature {\tau} controls", "the temperature τ controls"),
        ("time n^{1+o(1)} here", "time n¹⁺ᵒ⁽¹⁾ here"),
        ("bounded in ell_infty norm", "bounded in ℓ_∞ norm"),
        ("rate mathcal O(K^{2/3}) and", "rate 𝒪(K^(2/3)) and"),
        ("needs O(epsilon^{-3}) queries", "needs O(ε⁻³) queries"),
        ("an epsilon-stationary point", "an ε-stationary point"),
        ("a 1{2}+epsilon approximation", "a 1/2+ε approximation"),
        ("bound O({dsqrt{k}{nepsilon}}) holds", "bound O(d√(k)/nε) holds"),
        ("a (1{2}-epsilon)-approximate solution", "a (1/2-ε)-approximate solution"),
        ("as UV^top for Uin R^{mtimes k}", "as UVᵀ for U ∈ R^(m× k)"),
        ("ScaledGD(\\lambda), a method", "ScaledGD(λ), a method"),
        ("estimation~(NCE) was", "estimation (NCE) was"),
        ("losses aux_zipf_loss and aux_k_loss", "losses aux_zipf_loss and aux_k_loss"),
        ("in the int_Omega term", "in the int_Ω term"),
        ("plain text stays plain.", "plain text stays plain."),
        ("Code: https://github.com/a/b_c{github.com/d/e}.", "Code: https://github.com/a/b_c https://github.com/d/e."),
        ("at https://seas.upenn.edu/~nkolot/x. Done", "at https://seas.upenn.edu/~nkolot/x. Done"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_emphasis_becomes_runs():
    assert clean_runs(r"a {\em finite sample} bound") == (
        Run("a "),
        Run("finite sample", "em"),
        Run(" bound"),
    )
    assert clean_runs(r"we introduce \textbf{D}irect Preference") == (
        Run("we introduce "),
        Run("D", "strong"),
        Run("irect Preference"),
    )
    assert clean_runs(r"in a fully {\it single-loop} manner")[1] == Run("single-loop", "em")


def test_markdown_escapes_every_run_and_adds_only_our_emphasis():
    md = clean_markdown(r"a {\em <script>alert(1)</script> [x](javascript:y)} and *b* <i>")
    assert "<" not in md and ">" not in md
    assert "[" not in md and "](" not in md
    assert md.count("*") == 2  # our own *...* only; the raw asterisks are escaped
    assert md.startswith("a *&lt;script&gt;")


def test_markdown_moves_spaces_out_of_emphasis():
    md = clean_markdown(r"the {\em finite sample } bound")
    assert "*finite sample* bound" in md


def test_a_line_start_cannot_become_a_list():
    assert not clean_markdown("- not a list").startswith("-")


def _words_lost(raw: str, clean: str) -> list[str]:
    """Words of `raw` (URLs aside) that are neither in `clean` nor LaTeX command names."""
    for span in reversed(find_urls(raw)):
        raw = raw[: span.start] + " " + raw[span.end :]
    folded = fold(clean)
    names = sorted([*MATH_MACROS, "em", "it", "bf", "textbf", "textit", "emph", "L"], key=len, reverse=True)
    lost = []
    for word in re.findall(r"[A-Za-z0-9]+", raw):
        if fold(word) in folded:
            continue
        rest = word
        for name in names:
            rest = rest.replace(name, " ")
        if not all(fold(piece) in folded for piece in rest.split()):
            lost.append(word)
    return lost


def test_nothing_lost_in_any_corpus_abstract():
    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")).catalogue
    changed = 0
    for paper in cat.papers:
        clean = clean_text(paper.abstract)
        changed += clean != " ".join(paper.abstract.split())
        assert _words_lost(paper.abstract, clean) == [], cat.slugs[paper.key]
        assert "\\" not in clean, cat.slugs[paper.key]
    assert changed >= 40  # the corpus has that many abstracts with residue


def test_the_lost_word_check_can_fail():
    assert _words_lost("keep these words", "keep these") == ["words"]


def test_text_without_residue_is_only_whitespace_normalised():
    assert clean_text("  A plain   abstract.\n") == "A plain abstract."


@pytest.mark.parametrize(
    "text",
    [
        "```python print('x')``` ~~~ fence ~~~",
        "~~gone~~ ^^under^^ x^2^ H~2~O ==mark== ++ctrl+c++",
        '{: #id .class onclick="alert(7)" } {#anchor}',
        "{{ 7*7 }} {% for x in y %}{{ x }}{% endfor %} {# comment #}",
        r"\*escaped\* `` double `` $math$ $$x$$ \(y\)",
        "__init__ and _under_ & 5% of #1",
    ],
)
def test_syntax_that_is_not_latex_stays_as_written(text):
    assert clean_text(text) == text


def test_hostile_fixture_reads_exactly_as_written():
    from generator.parse import fold, parse_listing

    path = ROOT / "tests" / "fixtures" / "hostile" / "000_hostile.txt"
    entries, _ = parse_listing(path.name, path.read_text(encoding="utf-8"))
    assert entries
    for entry in entries:
        assert clean_text(entry.abstract) == fold(entry.abstract)
        assert clean_text(entry.title) == fold(entry.title)


# Every character str.isspace() or the regex's \s takes for a space, among others.
SPACES_AND_WORDS = st.text(
    st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200b\u2028\u3000\ufeffab.é")),
    max_size=20,
)


@settings(max_examples=500, deadline=None)
@given(SPACES_AND_WORDS, st.sampled_from(["", "em", "strong"]))
def test_one_run_is_merged_as_the_loops_merge_it(text, style):
    # An empty run beside it sends the same text the long way (the loops skip empty runs): the oracle.
    assert textclean._merge([Run(text, style)]) == textclean._merge([Run(text, style), Run("", style)])
