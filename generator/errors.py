"""The one exception type the generator raises for bad input or configuration."""

from __future__ import annotations

import re

# Control characters (C0 but newline, DEL, C1) and bidi overrides: a file name holding them would
# send escape sequences to the terminal, or forge a line of the summary, when a message names it.
UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, newlines: bool = True) -> str:
    """`text` with every control character shown as an escape (`\\x1b`); newlines kept when `newlines`."""
    found = UNPRINTABLE if newlines else re.compile(UNPRINTABLE.pattern[:-1] + "\n]")
    return found.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class GeneratorError(Exception):
    """A fatal problem with the input, named by path and line where there is one."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            path = printable(self.path, newlines=False)
            where = f"{path}:{self.line}: " if self.line is not None else f"{path}: "
        return where + printable(self.message)
