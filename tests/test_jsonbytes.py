"""generator/jsonbytes.py writes the bytes the json module wrote before it, and reads them back."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import jsonbytes

# What the generator writes as JSON: text (any character, control characters, U+2028 and astral ones
# included), whole numbers, booleans, None, and lists and dicts of them with text keys.
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
SCALARS = st.one_of(TEXT, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5), max_leaves=30
)


def json_module(value, sort_keys=False) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys).encode("utf-8")


@given(VALUES, st.booleans())
def test_same_bytes_as_the_json_module(value, sort_keys):
    assert jsonbytes.dumps(value, sort_keys=sort_keys) == json_module(value, sort_keys)


@given(VALUES)
def test_reads_back_what_it_writes_and_what_the_json_module_wrote(value):
    assert jsonbytes.loads(jsonbytes.dumps(value)) == value
    assert jsonbytes.loads(json.dumps(value)) == value  # ASCII-escaped, with spaces
    assert jsonbytes.loads(json.dumps(value).encode()) == value


def test_control_characters_and_separators_are_escaped_as_before():
    text = "".join(chr(c) for c in range(0x20)) + '"\\\u2028\u2029\x7f</script>'
    assert jsonbytes.dumps({"a": [text]}) == json_module({"a": [text]})
    assert b"\n" not in jsonbytes.dumps(text)  # one line per record in papers.json and the kept files


@pytest.mark.parametrize("data", [b"{", b"NaN", b'"\xff"', b'"\\ud800"', b"[" * 2000 + b"]" * 2000, b""])
def test_what_it_cannot_read_is_a_value_error(data):
    with pytest.raises(ValueError):
        jsonbytes.loads(data)
