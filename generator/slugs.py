"""Stable, unique, ASCII slugs for papers and tags.

Tie-break on collision (documented in the README): among papers whose titles
slugify to the same text, the one listed first (source file name, then line)
keeps the plain slug; each other one gets "-" plus six hex digits of a hash of
its own normalised title. A slug therefore depends only on the paper's own
title and, within a collision group, on listing order: adding or removing an
unrelated paper never changes it.
"""

from __future__ import annotations

import hashlib

from slugify import slugify

MAX_SLUG = 80
HASH_CHARS = 6


def digest(text: str, length: int = HASH_CHARS) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def base_slug(title: str, max_length: int = MAX_SLUG) -> str:
    """python-slugify: ASCII lowercase, cut at a word boundary."""
    return slugify(title, max_length=max_length, word_boundary=True, save_order=True)


def assign_slugs(items: list[tuple[str, str]], fallback: str = "paper") -> dict[str, str]:
    """[(key, title)] in priority order -> {key: unique slug}."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for key, title in items:
        slug = base_slug(title)
        if not slug:
            slug = f"{fallback}-{digest(key, 8)}"
        length = HASH_CHARS
        while slug in taken:
            short = base_slug(title, MAX_SLUG - length - 1) or fallback
            slug = f"{short}-{digest(key, length)}"
            length += 2
        taken.add(slug)
        result[key] = slug
    return result
