"""Compact JSON in and out, through orjson.

The generator's largest JSON (each paper's papers.json line, the kept work, the
search input and index) went through the json module: at 50,000 papers about
5 s of a cold run's CPU, half of it in one process. orjson, a compiled encoder
and decoder, makes the same bytes several times faster.

The same bytes: for text, whole numbers within 64 bits, booleans, None, and
lists and dicts with text keys, `dumps` gives exactly
`json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()`
(tests/test_jsonbytes.py checks it with hypothesis). The generator writes no
float; one read from Material's index goes back out in its shortest form, as
json writes it, but for some exponents (orjson writes 1e-05 as 0.00001).
`loads` reads what json.loads reads, except NaN, Infinity and unpaired
surrogates, which it refuses (orjson.JSONDecodeError, a ValueError), as it refuses
bytes that are not UTF-8.
"""

from __future__ import annotations

from typing import Any

import orjson


def dumps(value: Any, sort_keys: bool = False) -> bytes:
    """`value` as compact UTF-8 JSON (no spaces, non-ASCII as is); `sort_keys` sorts every dict's keys."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0)


def loads(data: bytes | str) -> Any:
    """JSON text (UTF-8 bytes or str) -> Python values."""
    return orjson.loads(data)


# A kept file's fields, read back: each must have the type the generator wrote, or the file is not used.


def text(value: object) -> str:
    """A kept field that must be text, as it was written (TypeError for any other JSON value)."""
    if type(value) is not str:
        raise TypeError(f"a kept field is {type(value).__name__}, not text")
    return value


def whole(value: object, limit: int) -> int:
    """A kept field that must be a whole number from 0 to `limit` (a bool is not one)."""
    if type(value) is not int or not 0 <= value <= limit:
        raise ValueError("a kept number is not a whole number in range")
    return value


def items(value: object, count: int | None = None) -> list:
    """A kept field that must be a JSON list (of `count` items); a dict or a string would unpack as one."""
    if type(value) is not list or (count is not None and len(value) != count):
        raise TypeError("a kept row is not a list of the expected length")
    return value
