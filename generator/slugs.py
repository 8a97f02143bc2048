"""Stable, unique, ASCII slugs for papers and tags, and the slug lock that keeps them.

Scheme (documented in the README, "Slugs"):

- A paper's slug is its title slugified (python-slugify: ASCII, lowercase, words
  joined by one "-", at most 80 characters).
- When that slug is taken, or reserved (`index`, `readme`: MkDocs would serve
  `index.md` as the folder's own page), the paper gets the slug of a shorter
  cut of its title, "--" and six hex digits of a hash of its own key (eight,
  ten ... if even that is taken). python-slugify never writes "--", so a
  suffixed slug can never equal a plain one: a title that happens to end in
  six hex digits ("Foo Bar db7329") keeps its plain slug and takes nobody's.
- A title with no letters or digits gets `paper--` and eight hex digits.
- The slug lock (`slugs.lock`) records every slug ever published. Locked slugs
  win; a new paper's slug avoids every locked slug, even those of papers no
  longer listed, so a slug is never reused. Without a lock, the paper listed
  first in a collision keeps the plain slug.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping

from slugify import slugify

from generator.errors import GeneratorError

MAX_SLUG = 80
HASH_CHARS = 6
SUFFIX = "--"  # between a cut title and its hash; never produced by python-slugify
# Slugs MkDocs treats specially inside docs/papers/: index.md (and README.md, which
# MkDocs reads as index.md; "readme" too, for case-insensitive file systems).
RESERVED = frozenset({"index", "readme"})
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$")
# A lock key: the paper's normalised title, " #" and 8 hex digits naming its abstract's words.
IDENTITY_RE = re.compile(r"^\S.* #[0-9a-f]{8}$")
LOCK_NAME = "slugs.lock"


def digest(text: str, length: int = HASH_CHARS) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def base_slug(title: str, max_length: int = MAX_SLUG) -> str:
    """python-slugify: ASCII lowercase, cut at a word boundary."""
    return slugify(title, max_length=max_length, word_boundary=True, save_order=True)


def assign_slugs(
    items: list[tuple[str, str]],
    fallback: str = "paper",
    locked: Mapping[str, str] | None = None,
    avoid: Collection[str] = (),
    bases: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """[(key, title)] in priority order -> {key: unique slug}.

    `locked` ({key: slug}, from the slug lock) wins; every other slug avoids the
    locked ones, `avoid` (stale lock entries) and the reserved names. `bases`:
    {title: base_slug(title)} made already, for some titles (the parse workers').
    """
    locked = locked or {}
    bases = bases or {}
    taken = set(RESERVED) | set(avoid) | set(locked.values())
    result: dict[str, str] = {}
    for key, title in items:
        if key in locked:
            result[key] = locked[key]
            continue
        slug = bases[title] if title in bases else base_slug(title)
        if not slug:
            slug = f"{fallback}{SUFFIX}{digest(key, 8)}"
        length = HASH_CHARS
        while slug in taken:
            short = base_slug(title, MAX_SLUG - length - len(SUFFIX)) or fallback
            slug = f"{short}{SUFFIX}{digest(key, length)}"
            length += 2
        taken.add(slug)
        result[key] = slug
    return result


# --- the slug lock ---------------------------------------------------------------------------------


def identity(title_key: str, fingerprint: str) -> str:
    """A paper's key in the slug lock: normalised title and its abstract's fingerprint."""
    return f"{title_key} #{fingerprint}"


def parse_lock(text: str | None, path: str) -> dict[str, str]:
    """The lock file's text (None: no file, nothing published yet) -> {identity: slug}.

    Any damage is an error naming the file and line: a lock that cannot be trusted
    must not silently re-slug published papers.
    """
    if text is None or not text.strip():
        return {}
    pairs_seen: list[list[tuple[str, object]]] = []

    def keep_pairs(pairs: list[tuple[str, object]]) -> dict:
        pairs_seen.append(pairs)
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=keep_pairs)
    except json.JSONDecodeError as exc:
        raise GeneratorError(
            f"slug lock is not valid JSON ({exc.msg}); fix that line, or restore the file from git", path, exc.lineno
        ) from exc
    except RecursionError as exc:  # `[[[[...` a hundred thousand deep: the JSON parser's own stack runs out
        raise GeneratorError(
            "slug lock is not valid: nested too deeply for one object of slugs; restore the file from git", path
        ) from exc
    if not isinstance(data, dict) or len(pairs_seen) != 1:
        raise GeneratorError('slug lock must be one JSON object of "normalised title #fingerprint": "slug"', path, 1)
    lines = _key_lines(text)
    lock: dict[str, str] = {}
    owner: dict[str, str] = {}
    for key, slug in pairs_seen[0]:
        places = lines.get(key, [1])
        line = places[1] if key in lock and len(places) > 1 else places[0]
        if key in lock:
            raise GeneratorError(f"{key!r} is listed twice in the slug lock; keep one", path, line)
        if not IDENTITY_RE.match(key):
            raise GeneratorError(
                f"{key!r} is not a slug-lock key (normalised title, ' #' and 8 hex digits)", path, line
            )
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            raise GeneratorError(f"{slug!r} is not a slug (lowercase letters and digits joined by '-')", path, line)
        if slug in RESERVED:
            raise GeneratorError(f"{slug!r} is reserved (MkDocs serves {slug}.md as the folder's page)", path, line)
        if slug in owner:
            raise GeneratorError(f"slug {slug!r} is locked for two papers ({owner[slug]!r} and {key!r})", path, line)
        lock[key] = slug
        owner[slug] = key
    return lock


def _key_lines(text: str) -> dict[str, list[int]]:
    """{key: its lines} for a lock written one entry per line (the only layout the generator writes)."""
    found: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r'\s*("(?:[^"\\]|\\.)*")\s*:', line)
        if match:
            try:
                found.setdefault(json.loads(match.group(1)), []).append(number)
            except ValueError:
                continue
    return found


def lock_text(lock: Mapping[str, str]) -> str:
    """The lock file: a JSON object, one entry per line, sorted, so that git diffs are one line per paper."""
    return json.dumps(dict(sorted(lock.items())), indent=0, ensure_ascii=False) + "\n"


def resolve_slugs(
    papers: list[tuple[str, str, str, tuple[str, ...]]], lock: Mapping[str, str], bases: Mapping[str, str] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Slugs for papers given the lock, and the lock to write back.

    `papers`: (key, title, normalised title, abstract fingerprints with the kept
    abstract's first), in listing order. A paper takes the locked slug of its
    title whose fingerprint matches one of its abstracts; failing that, when its
    title has exactly one unclaimed lock entry and one unmatched paper, that one
    (its first abstract was edited). Such an entry is re-keyed to the paper's
    current fingerprint. New papers get new slugs, added to the lock; entries of
    papers no longer listed stay, so their slugs are never reused. `bases`: as assign_slugs takes them.
    """
    by_title: dict[str, list[str]] = {}
    for ident in sorted(lock):
        by_title.setdefault(ident.rsplit(" #", 1)[0], []).append(ident)
    groups: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for key, _, title_key, fps in papers:
        groups.setdefault(title_key, []).append((key, fps))
    matched: dict[str, str] = {}  # paper key -> lock identity
    for title_key, members in groups.items():
        candidates = by_title.get(title_key, [])
        if not candidates:
            continue
        claimed: set[str] = set()
        for key, fps in members:
            for fp in fps:
                ident = identity(title_key, fp)
                if ident in lock and ident not in claimed:
                    claimed.add(ident)
                    matched[key] = ident
                    break
        unmatched = [key for key, _ in members if key not in matched]
        unclaimed = [ident for ident in candidates if ident not in claimed]
        if len(unmatched) == 1 and len(unclaimed) == 1:
            matched[unmatched[0]] = unclaimed[0]
    locked = {key: lock[ident] for key, ident in matched.items()}
    slugs = assign_slugs([(key, title) for key, title, _, _ in papers], locked=locked, avoid=lock.values(), bases=bases)
    new_lock = dict(lock)
    for key, _, title_key, fps in papers:
        current = identity(title_key, fps[0])
        old = matched.get(key)
        if old is None:
            new_lock.setdefault(current, slugs[key])
        elif old != current and current not in new_lock:
            del new_lock[old]
            new_lock[current] = slugs[key]
    return slugs, new_lock
