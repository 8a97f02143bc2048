"""Issue 16: a card's snippet source splits only the words it keeps; it must be what splitting the whole
abstract gave, for any text (Unicode spaces, leading and trailing blanks, fewer or more words than kept)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cards import SNIPPET_WORDS, snippet_source

WORD = st.one_of(st.text(st.characters(blacklist_categories=("Zs", "Cc")), min_size=1, max_size=4), st.just("x"))
WORDS = st.one_of(  # short abstracts, and those around the number of words kept
    st.lists(WORD, max_size=8), st.lists(WORD, min_size=SNIPPET_WORDS - 3, max_size=SNIPPET_WORDS + 15)
)
BLANKS = st.text(st.sampled_from([" ", "\n", "\t", "\u00a0", "\u2003", "\x0b", "\x1c"]), min_size=1, max_size=3)


@settings(max_examples=400, deadline=None)
@given(WORDS, st.data())
def test_the_snippet_source_is_the_first_words_of_the_whole_abstract(words, data):
    text = data.draw(BLANKS) if data.draw(st.booleans()) else ""
    for word in words:
        text += word + data.draw(BLANKS)
    if data.draw(st.booleans()):
        text = text.rstrip()
    assert snippet_source(text) == " ".join(text.split()[:SNIPPET_WORDS])
