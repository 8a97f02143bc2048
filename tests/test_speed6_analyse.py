"""Issue 16 (speed): the quick tests in tagging and abstract cleaning give the answers the slow ones gave."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import Tag
from generator.tagging import PhraseIndex, compile_tag, phrase_pattern, regex_literal
from generator.textclean import DIGIT_MACRO, LATEX_HINT, SET_MEMBER, WORD_MACRO, _needs_latex

# The taxonomy's "re:" phrases (corpus/tags.yml), and a few more shapes.
REGEXES = (
    "re:(?-i:Lion)",
    "re:Adam(?=\\s+et\\s+al)",
    "re:\\w+-constrained",
    "re:trained (?:via|with|by|using) (?:\\w+ )?gradient (?:descent|flow)",
    "re:dynamics",
    "re:(?:continuous|discrete)-time dynamics",
    "re:(?:scene|mesh|numerical|floating-point|3D|shape|field) representations?",
    "re:k(?:elvin)?",
    "re:[a-z]+",
)


def test_regex_literal_is_text_every_match_holds():
    found = {p: regex_literal(phrase_pattern(p)) for p in REGEXES}
    assert found == {
        "re:(?-i:Lion)": "lion",
        "re:Adam(?=\\s+et\\s+al)": "adam",
        "re:\\w+-constrained": "-constrained",
        "re:trained (?:via|with|by|using) (?:\\w+ )?gradient (?:descent|flow)": "gradient ",
        "re:dynamics": "dynamics",
        "re:(?:continuous|discrete)-time dynamics": "-time dynamics",
        "re:(?:scene|mesh|numerical|floating-point|3D|shape|field) representations?": " representation",
        "re:k(?:elvin)?": "k",
        "re:[a-z]+": "",
    }


def spans(phrases: tuple[str, ...], text: str) -> set[tuple[int, int, str]]:
    index = PhraseIndex((compile_tag(Tag("t", "T", "d", "g", phrases)),))
    return {(s.start, s.end, index.tags[0].rules[r].phrase) for s, r in index.spans(text, text.lower()).get(0, [])}


def regex_spans(phrases: tuple[str, ...], text: str) -> set[tuple[int, int, str]]:
    return {(m.start(), m.end(), p) for p in phrases for m in phrase_pattern(p).finditer(text)}


WORDS = st.sampled_from(
    ["Lion", "LION", "lion", "Adam", "et", "al", "box-constrained", "constrained", "trained", "via", "SGD",
     "gradient", "descent", "flow", "dynamics", "DYNAMICS", "continuous-time", "discrete", "time", "scene",
     "3D", "representation", "representations", "\u212aelvin", "kelvin", "K", "dynamic\u017f", "é", "-"]
)  # fmt: skip
SEPARATORS = st.sampled_from([" ", "-", "  ", "\n", "(", ")", ""])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=12))
def test_regex_phrases_find_what_their_regexes_find(parts):
    text = "".join(w + s for w, s in parts)
    assert spans(REGEXES, text) == regex_spans(REGEXES, text)


def test_non_ascii_text_is_always_searched():
    # Case-insensitive matching folds the Kelvin sign to "k" and the long s to "s": lowercasing does not.
    assert spans(("re:kelvin",), "\u212aelvin") == {(0, 6, "re:kelvin")}
    assert spans(("re:dynamics",), "dynamic\u017f") == {(0, 8, "re:dynamics")}


def slow_needs_latex(raw: str) -> bool:
    return bool(LATEX_HINT.search(raw) or WORD_MACRO.search(raw) or DIGIT_MACRO.search(raw) or SET_MEMBER.search(raw))


TOKENS = st.sampled_from(
    ["alpha", "epsilon", "varepsilon", "ll", "all", "tau", "taught", "in", "xin", "R", "R^", "\\mathbb", "2",
     "3leq", "leq", "cdot", "x", "_", "\\", "é", "\u212a", "mathcal", "O", "ell", "well", "gg", "egg", "A"]
)  # fmt: skip
GAPS = st.sampled_from([" ", "", "\n", "-", "(", ".", "  "])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(TOKENS, GAPS), max_size=10))
def test_needs_latex_agrees_with_the_four_regexes(parts):
    text = "".join(t + g for t, g in parts)
    assert _needs_latex(text) == slow_needs_latex(text)


def slow_words(text: str) -> list[str]:
    import unicodedata

    from generator.corpus import WORD

    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_words_of_ascii_text_are_what_the_regex_finds(text):
    from generator.corpus import words

    assert words(text) == slow_words(text)


def test_words_of_every_ascii_character():
    from generator.corpus import words

    for code in range(128):
        text = f"Ab{chr(code)}9_z"
        assert words(text) == slow_words(text), code
