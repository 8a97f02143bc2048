"""Hand corrections to the rule tags (corpus/overrides.yml), keyed by paper slug.

```yaml
some-paper-slug:
  add: [deep-learning-theory]      # tags the rules missed
  remove: [optimization-algorithms] # tags the rules gave wrongly
  note: why, for the next reader    # optional
```

Overrides win over rules. An unknown tag is an error naming the file and line,
with the closest known name as a suggestion; an unknown paper slug (a paper in
no listing) is a warning in the same form, and that entry is ignored. An override that
no longer changes anything (adding a tag the rules now give, removing one they
no longer give) is a warning, so stale corrections get noticed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import GeneratorError
from generator.models import Problem, Tag, TagMatch

OVERRIDE_KEYS = {"add", "remove", "note"}
OVERRIDE_PHRASE = "added by override"
OVERRIDE_FIELD = "override"


@dataclass(frozen=True)
class Override:
    """One paper's correction, with the line it was read from."""

    slug: str
    add: tuple[str, ...]
    remove: tuple[str, ...]
    note: str
    line: int


def parse_overrides(text: str | None, path: str) -> tuple[Override, ...]:
    """YAML text (None: no file) -> overrides. Shape errors name the file and line."""
    if text is None or not text.strip():
        return ()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise GeneratorError(f"invalid YAML: {exc.problem}", path, mark.line + 1 if mark else None) from exc
    if data is None:
        return ()
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise GeneratorError("expected a mapping of paper slug -> {add: [...], remove: [...], note: ...}", path, 1)
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value if isinstance(key, yaml.ScalarNode)}
    result: list[Override] = []
    for slug, body in data.items():
        line = lines.get(str(slug), 1)
        if not isinstance(slug, str):
            raise GeneratorError(f"paper slug {slug!r} must be a string", path, line)
        if not isinstance(body, dict) or not body:
            raise GeneratorError(f"{slug}: expected a mapping with 'add' and/or 'remove'", path, line)
        unknown = sorted(set(map(str, body)) - OVERRIDE_KEYS)
        if unknown:
            raise GeneratorError(
                f"{slug}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(OVERRIDE_KEYS))}", path, line
            )
        add = _tag_list(body.get("add", []), slug, "add", path, line)
        remove = _tag_list(body.get("remove", []), slug, "remove", path, line)
        if not add and not remove:
            raise GeneratorError(f"{slug}: an override must add or remove at least one tag", path, line)
        both = sorted(set(add) & set(remove))
        if both:
            raise GeneratorError(f"{slug}: tag(s) {', '.join(both)} both added and removed", path, line)
        note = body.get("note", "")
        if not isinstance(note, str):
            raise GeneratorError(f"{slug}: 'note' must be text", path, line)
        result.append(Override(slug, add, remove, " ".join(note.split()), line))
    return tuple(result)


def _tag_list(value: Any, slug: str, key: str, path: str, line: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GeneratorError(f"{slug}: '{key}' must be a list of tag slugs", path, line)
    return tuple(dict.fromkeys(v.strip() for v in value))


def unknown_slug_message(slug: str, known: list[str], what: str) -> str:
    """The warning for a note or override whose paper is in no listing (shared with notes.py)."""
    close = difflib.get_close_matches(slug, known, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else "slugs are the file names in docs/papers/"
    return (
        f"unknown paper slug {slug!r} (no listing has that paper; {hint}); this {what} is ignored. "
        "Fix the slug, or remove the entry if the paper is gone"
    )


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def apply_overrides(
    matches: dict[str, tuple[TagMatch, ...]],
    slugs: dict[str, str],
    tags: tuple[Tag, ...],
    overrides: tuple[Override, ...],
    path: str,
) -> tuple[dict[str, tuple[TagMatch, ...]], list[Problem]]:
    """Rule matches + overrides -> final matches (override-added tags first) and warnings for no-op entries."""
    key_of = {slug: key for key, slug in slugs.items()}
    known_tags = [t.slug for t in tags]
    result = dict(matches)
    problems: list[Problem] = []
    for o in overrides:
        for tag in (*o.add, *o.remove):
            if tag not in known_tags:
                raise GeneratorError(f"{o.slug}: unknown tag {tag!r}{_suggest(tag, known_tags)}", path, o.line)
        if o.slug not in key_of:
            # A paper in no listing (an old listing removed, another --sources): the rest of the build stands.
            problems.append(Problem(path, o.line, unknown_slug_message(o.slug, list(key_of), "override")))
            continue
        key = key_of[o.slug]
        given = {m.tag for m in result[key]}
        for tag in o.add:
            if tag in given:
                problems.append(Problem(path, o.line, f"{o.slug}: the rules already give {tag!r}; drop it from 'add'"))
        for tag in o.remove:
            if tag not in given:
                problems.append(
                    Problem(path, o.line, f"{o.slug}: the rules do not give {tag!r}; drop it from 'remove'")
                )
        added = tuple(TagMatch(t, OVERRIDE_PHRASE, OVERRIDE_FIELD) for t in o.add if t not in given)
        kept = tuple(m for m in result[key] if m.tag not in o.remove)
        result[key] = added + kept
    return result, problems
