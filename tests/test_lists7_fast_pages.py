"""Issue 16: framed pages' front matter read back without YAML, and their files written with fewer calls.

What must hold: `pages.simple_meta` gives what YAML reads, or None (then YAML reads it), for the generator's
own front matter and for any edit of it; write_if_changed writes every page, in new folders too, and leaves
an equal file alone.
"""

from __future__ import annotations

import os
import re

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.pages import _simple, _simple_front_matter, front_matter, simple_meta
from generator.paper_pages import split_page, write_if_changed

WORDS = st.text(alphabet=st.sampled_from("Aab z:#'-,.()&é\u00e9\U0001f600\"[]{}*!|>%@`\\\t"), min_size=0, max_size=12)
VALUES = st.one_of(WORDS, st.lists(WORDS, max_size=4))
KEYS = st.sampled_from(["title", "tags", "template", "description", "a", "Title", "x:y", "yes"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=4))
def test_the_generators_front_matter_reads_back_as_yaml_reads_it(meta):
    text = front_matter(meta)
    body = text[len("---\n") : -len("---\n")]
    found = simple_meta(body)
    if _simple_front_matter(meta) is not None:
        assert found == meta  # the fast path's own text is always read back
    if found is not None:
        assert found == yaml.safe_load(body)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=4), st.integers(0, 200), st.sampled_from(list("'-: #\n[]x")))
def test_any_edit_is_read_as_yaml_reads_it_or_left_to_yaml(meta, at, char):
    text = front_matter(meta)[len("---\n") : -len("---\n")]
    edited = text[:at] + char + text[at:]
    found = simple_meta(edited)
    if found is not None:
        assert found == yaml.safe_load(edited)


# What `pages._simple` tells without it: the string YAML writes plain or in single quotes (see pages.py).
SIMPLE = re.compile(r"[A-Za-z](?:[A-Za-z0-9,.()/+&;'=_:?#\-]|(?<! ) (?! )|[^\x00-\x7f])*(?<! )")
ANY_CHAR = st.one_of(
    st.sampled_from("Aa  "),
    st.sampled_from("Aa0 :#'-,.()/+&;=_?!\"$%*<>@[]\\^`{|}~\t\n\x00\x7f\x80\u00a0\u2028é"),
    st.characters(),
)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(["A", "a", "Z", "0", " ", "é", ""]), st.text(alphabet=ANY_CHAR, max_size=12))
@example("A", "  b")
@example("A", "b ")
def test_simple_is_the_expressions_answer(first, rest):
    value = first + rest
    assert _simple(value) == bool(SIMPLE.fullmatch(value))


def test_odd_front_matter_is_left_to_yaml():
    for text in (
        "title: 2024\n",
        "title: a\ntitle: b\n",
        "tags:\n- a\n-  b\n",
        "search:\n  exclude: true\n",
        "x\n",
        "",
    ):
        assert simple_meta(text) is None, text
    assert simple_meta("title: A paper\ntags:\n- Vision\ntemplate: paper.html\n") == {
        "title": "A paper",
        "tags": ["Vision"],
        "template": "paper.html",
    }
    meta, body = split_page("---\ntitle: 'A: b'\ntags: []\n---\n<h1>x</h1>\n", "x.md")
    assert meta == {"title": "A: b", "tags": []} and body == "<h1>x</h1>\n"


def test_write_if_changed_makes_new_folders_and_leaves_equal_files(tmp_path):
    deep = tmp_path / "a" / "b" / "c" / "index.html"
    assert write_if_changed(str(deep), b"one") and deep.read_bytes() == b"one"
    page = tmp_path / "a" / "d" / "index.html"  # a new folder in an existing one
    assert write_if_changed(str(page), b"two") and page.read_bytes() == b"two"
    before = os.stat(page).st_mtime_ns
    os.utime(page, ns=(before - 10**9, before - 10**9))
    assert not write_if_changed(str(page), b"two")
    assert os.stat(page).st_mtime_ns == before - 10**9  # not rewritten
    assert write_if_changed(str(page), b"three") and page.read_bytes() == b"three"
