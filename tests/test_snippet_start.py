"""Issue 16: a card's snippet splits only the start of a long abstract; it must be what splitting the whole
text gave, for any text (Unicode spaces, runs of blanks, leading and trailing blanks, one long word, texts
shorter and longer than the part it splits)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cards import SNIPPET_CHARS, snippet

WORD = st.one_of(
    st.text(st.characters(blacklist_categories=("Zs", "Cc")), min_size=1, max_size=12),
    st.just("x"),
    st.text(st.just("y"), min_size=150, max_size=450),  # one word longer than the cut
)
BLANKS = st.text(st.sampled_from([" ", "\n", "\t", "\u00a0", "\u2003", "\x0b", "\x1c"]), min_size=1, max_size=40)


def whole(text: str, limit: int) -> str:
    """The reference: the snippet made from the whole text, split whole."""
    plain = " ".join(text.split())
    if len(plain) <= limit:
        return plain
    cut = plain.rfind(" ", 0, limit)
    return plain[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


@settings(max_examples=500, deadline=None)
@given(st.lists(WORD, max_size=80), st.sampled_from([SNIPPET_CHARS, 40, 7]), st.data())
def test_a_snippet_is_what_the_whole_text_split_gives(words, limit, data):
    text = data.draw(BLANKS) if data.draw(st.booleans()) else ""
    for word in words:
        text += word + data.draw(BLANKS)
    if data.draw(st.booleans()):
        text = text.rstrip()
    assert snippet(text, limit) == whole(text, limit)


def test_a_long_abstract_is_cut_with_an_ellipsis():
    text = "word " * 30 + "\n" * 500 + "tail " * 100
    assert snippet(text) == whole(text, SNIPPET_CHARS)
    assert snippet(text).endswith(" …") and len(snippet(text)) <= SNIPPET_CHARS + 2
