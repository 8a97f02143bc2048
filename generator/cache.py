"""What a run remembers, in one object its caller creates and passes down.

A one-shot run (`readinglist generate`, `build`) gets a fresh `Cache`;
`readinglist serve` keeps one for its whole life, so that after an edit only
the papers the edit changed are tagged, cleaned and rendered again. Nothing
lives in module globals: a test, or a caller that wants a cold run, passes a
new `Cache()`.

Every region is an LRU bounded by entries (`Lru`); the bounds, per region:

    tags    (title, abstract) -> tag matches, for one taxonomy    PAPER_LIMIT
    clean   raw abstract, and its card's start -> clean runs      2 x PAPER_LIMIT
    tokens  LaTeX token -> its Unicode text (textclean)           TOKEN_LIMIT
    pages   paper record -> its page and export rows (render)     PAPER_LIMIT

PAPER_LIMIT is twice the largest corpus benchmarked (50,000 papers), so a
corpus that fits is never evicted between two runs of `serve`; past the bound
the least recently used entries go, and are made again when needed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

PAPER_LIMIT = 100_000
TOKEN_LIMIT = 262_144  # words repeat across abstracts: most tokens are converted once


class Lru:
    """A mapping bounded by `limit` entries that forgets the least recently used first."""

    __slots__ = ("limit", "_items")

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"an Lru holds at least one entry, not {limit}")
        self.limit = limit
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, default: Any = None) -> Any:
        try:
            self._items.move_to_end(key)
        except KeyError:
            return default
        return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.limit:
            self._items.popitem(last=False)

    def memo(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value for `key`, made (and remembered) when missing."""
        found = self.get(key, MISSING)
        if found is MISSING:
            found = make()
            self.put(key, found)
        return found

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()


MISSING = object()


class Cache:
    """Every region a run may remember (see the module docstring for what each holds and its bound)."""

    def __init__(self, paper_limit: int = PAPER_LIMIT, token_limit: int = TOKEN_LIMIT) -> None:
        self.clean = Lru(2 * paper_limit)
        self.tokens = Lru(token_limit)
        self.pages = Lru(paper_limit)
        self._tags = Lru(paper_limit)
        self._taxonomy: tuple = ()

    def tagged(self, taxonomy: tuple) -> Lru:
        """The tags region for this taxonomy: emptied when the taxonomy changed since the last run."""
        if taxonomy != self._taxonomy:
            self._tags.clear()
            self._taxonomy = taxonomy
        return self._tags
