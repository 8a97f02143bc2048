"""Shortcuts taken for speed (branch speed5) give the same results as the slow paths they skip."""

from __future__ import annotations

from generator.sources import NONCHARACTERS, drop_noncharacters, might_hold_noncharacters

EVERY_NONCHARACTER = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]


def test_the_byte_precheck_sees_every_noncharacter():
    assert len(EVERY_NONCHARACTER) == 66
    for char in EVERY_NONCHARACTER:
        assert NONCHARACTERS.fullmatch(char)
        assert might_hold_noncharacters(f"caf\u00e9 {char} na\u00efve"), f"U+{ord(char):04X}"
        assert drop_noncharacters("x.txt", f"\u00e9\n{char}")[0] == "\u00e9\n"


def test_the_byte_precheck_passes_text_without_them():
    assert not might_hold_noncharacters("plain ASCII")
    assert not might_hold_noncharacters("caf\u00e9, \u4e2d\u6587, \U0001f600, \u00ff \ufffd")
    assert drop_noncharacters("x.txt", "caf\u00e9 \ufffd") == ("caf\u00e9 \ufffd", [])
