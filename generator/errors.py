"""The one exception type the generator raises for bad input or configuration."""

from __future__ import annotations


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
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return where + self.message
