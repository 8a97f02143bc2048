"""Validate the tag taxonomy (corpus/tags.yml, already loaded) into Tag values."""

from __future__ import annotations

import re
from typing import Any

from generator.errors import GeneratorError
from generator.models import Tag
from generator.slugs import base_slug

RULE_KEYS = ("phrases", "weak", "title_only")  # at least one phrase among these
TAG_KEYS = {"name", "slug", "group", "description", "exclude", *RULE_KEYS}
REGEX_PREFIX = "re:"
GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
# tags/index.md is the tag index, tags/filter.md the two-tag filter; MkDocs reads README.md as
# index.md ("readme" too, for case-insensitive file systems), as for papers (slugs.RESERVED).
RESERVED_SLUGS = {"index", "filter", "readme"}


def load_taxonomy(data: Any, path: str) -> tuple[Tag, ...]:
    """Raw YAML data -> tags. Errors name the file and the tag."""
    if not isinstance(data, dict) or set(data) != {"tags"} or not isinstance(data["tags"], list):
        raise GeneratorError("expected a mapping with one key, 'tags', holding a list of tags", path)
    tags: list[Tag] = []
    seen: dict[tuple[str, str], str] = {}
    for index, item in enumerate(data["tags"], start=1):
        label = f"tag #{index}"
        if not isinstance(item, dict):
            raise GeneratorError(f"{label}: expected a mapping with name, group, description, phrases", path)
        name = item.get("name")
        if isinstance(name, str) and name.strip():
            label = f"tag {name!r}"
        unknown = sorted(set(item) - TAG_KEYS, key=str)
        if unknown:
            raise GeneratorError(
                f"{label}: unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(sorted(TAG_KEYS))}",
                path,
            )
        for key in ("name", "group", "description"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise GeneratorError(f"{label}: '{key}' must be a non-empty string", path)
        rules = {key: _phrase_list(item.get(key, []), label, key, path) for key in RULE_KEYS}
        if not any(rules.values()):
            raise GeneratorError(f"{label}: 'phrases' must list at least one phrase", path)
        exclude = _phrase_list(item.get("exclude", []), label, "exclude", path)
        slug = item.get("slug") or base_slug(name)
        if not slug:
            raise GeneratorError(
                f"{label}: name has no letter or digit to make a slug (the tag's page address) from; "
                "add one, or set 'slug'",
                path,
            )
        if not isinstance(slug, str) or slug != base_slug(slug):
            raise GeneratorError(f"{label}: slug {slug!r} must be lowercase ASCII words joined by '-'", path)
        if slug in RESERVED_SLUGS:
            raise GeneratorError(f"{label}: slug {slug!r} is reserved; set another 'slug'", path)
        for key in (("slug", slug), ("name", name.strip().casefold())):
            if key in seen:
                raise GeneratorError(f"{label}: duplicate of tag {seen[key]!r} (same {key[0]})", path)
            seen[key] = name
        tags.append(
            Tag(
                slug,
                name.strip(),
                " ".join(item["description"].split()),
                item["group"].strip(),
                rules["phrases"],
                exclude,
                rules["weak"],
                rules["title_only"],
            )
        )
    return tuple(tags)


def _phrase_list(value: Any, label: str, key: str, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise GeneratorError(f"{label}: '{key}' must be a list of non-empty strings", path)
    phrases = []
    for phrase in value:
        if phrase.startswith(REGEX_PREFIX):
            written = phrase[len(REGEX_PREFIX) :].strip()
            body = scoped_flags(written)
            try:
                pattern = re.compile(body)
                re.compile(rf"(?<!\w)(?:{body})(?!\w)")  # as tagging.py wraps it
            except re.error as exc:
                raise GeneratorError(f"{label}: malformed regex {phrase!r} in '{key}': {exc}", path) from exc
            if not body or pattern.fullmatch(""):
                raise GeneratorError(f"{label}: regex {phrase!r} in '{key}' matches empty text", path)
            phrases.append(phrase.strip() if body == written else REGEX_PREFIX + body)
        else:
            phrases.append(" ".join(phrase.split()))
    return tuple(phrases)


def scoped_flags(body: str) -> str:
    """`(?i)rest` -> `(?i:rest)`: a leading global flag is a valid regex on its own, but not inside the
    group the matcher wraps every regex in; scoped to the whole pattern it means the same."""
    match = GLOBAL_FLAGS.match(body)
    return f"(?{match.group(1)}:{body[match.end() :]})" if match else body
