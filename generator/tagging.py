"""Papers + taxonomy -> tags per paper, each with the phrase that matched and where.

Phrases match case-insensitively on whole words; an all-capitals acronym
("GAN", "RL") matches case-sensitively, so it cannot fire inside "organ" or
"URL". Spaces and hyphens inside a phrase are interchangeable or may be absent
("fine-tuning", "fine tuning", "finetuning"), and the last word may take a
plural ending. A phrase written as "re: ..." is a regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.models import Paper, Tag, TagMatch
from generator.taxonomy import REGEX_PREFIX

TITLE_WEIGHT = 3
ABSTRACT_WEIGHT = 1
# A tag needs a title match, or at least this many abstract mentions.
MIN_SCORE = 2
MAX_TAGS = 6


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Compile one taxonomy phrase to a whole-word pattern."""
    if phrase.startswith(REGEX_PREFIX):
        return re.compile(rf"(?<!\w)(?:{phrase[len(REGEX_PREFIX) :].strip()})(?!\w)", re.IGNORECASE)
    words = re.split(r"[\s-]+", phrase)
    body = r"[\s-]?".join(re.escape(w) for w in words)
    if words[-1][-1:].isalpha():
        body += r"(?:s|es)?"
    acronym = phrase.isupper() and len(phrase.replace(" ", "")) <= 8
    return re.compile(rf"(?<![\w-]){body}(?![\w])", 0 if acronym else re.IGNORECASE)


@dataclass(frozen=True)
class CompiledTag:
    tag: Tag
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    exclude: tuple[re.Pattern[str], ...]


def compile_taxonomy(tags: tuple[Tag, ...]) -> tuple[CompiledTag, ...]:
    return tuple(
        CompiledTag(t, tuple((p, phrase_pattern(p)) for p in t.phrases), tuple(phrase_pattern(p) for p in t.exclude))
        for t in tags
    )


def match_tag(compiled: CompiledTag, title: str, abstract: str) -> tuple[int, TagMatch | None]:
    """Score one tag on one paper; return (score, the best explaining match)."""
    text = f"{title}\n{abstract}"
    if any(p.search(text) for p in compiled.exclude):
        return 0, None
    score = 0
    best: TagMatch | None = None
    for _phrase, pattern in compiled.phrases:
        in_title = pattern.search(title)
        hits = len(pattern.findall(abstract))
        score += TITLE_WEIGHT * bool(in_title) + ABSTRACT_WEIGHT * hits
        if in_title and (best is None or best.field != "title"):
            best = TagMatch(compiled.tag.slug, in_title.group(0), "title")
        elif hits and best is None:
            best = TagMatch(compiled.tag.slug, pattern.search(abstract).group(0), "abstract")
    return score, best


def tag_paper(compiled: tuple[CompiledTag, ...], paper: Paper) -> tuple[TagMatch, ...]:
    """The tags of one paper, strongest first (ties in taxonomy order), at most MAX_TAGS."""
    scored = []
    for order, c in enumerate(compiled):
        score, match = match_tag(c, paper.title, paper.abstract)
        if match is not None and (score >= MIN_SCORE or match.field == "title"):
            scored.append((-score, order, match))
    scored.sort(key=lambda s: (s[0], s[1]))
    return tuple(m for _, _, m in scored[:MAX_TAGS])


def tag_papers(tags: tuple[Tag, ...], papers: list[Paper]) -> dict[str, tuple[TagMatch, ...]]:
    """{paper key: its tag matches}."""
    compiled = compile_taxonomy(tags)
    return {p.key: tag_paper(compiled, p) for p in papers}
