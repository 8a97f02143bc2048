"""Papers + taxonomy -> tags per paper, each with the phrase that matched and where.

Matching. Phrases match case-insensitively on whole words; an all-capitals
acronym ("GAN", "RL") matches case-sensitively, so it cannot fire inside
"organ" or "URL" (nor on "rl" in running text). Spaces and hyphens inside a
phrase are interchangeable or may be absent ("fine-tuning", "fine tuning",
"finetuning"); the last word may take a plural ending ("-s", "-es", "-y" ->
"-ies"); "-ize" also finds "-ise". A phrase written as "re: ..." is a regular
expression, used as is (but still whole-word).

Evidence. `exclude` phrases are blanked out first, so "anisotropic diffusion"
never counts as "diffusion". Overlapping matches count once (the longest), and
so does a phrase followed by its acronym in parentheses ("neural tangent
kernel (NTK)"). Scores:

- one of the tag's `phrases` in the title: TITLE_WEIGHT (the tag is given);
- only `weak` or `title_only` phrases in the title: WEAK_TITLE_WEIGHT;
- each mention in the abstract: PHRASE_WEIGHT for `phrases`, WEAK_WEIGHT for
  `weak`; `title_only` phrases count nothing there.

A tag is given at MIN_SCORE: a real phrase in the title, two mentions of real
phrases in the abstract (a passing mention is not enough), one plus support,
or three weak mentions. A paper keeps at most MAX_TAGS, strongest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.models import Paper, Tag, TagMatch
from generator.taxonomy import REGEX_PREFIX

TITLE_WEIGHT = 3
WEAK_TITLE_WEIGHT = 1
PHRASE_WEIGHT = 2
WEAK_WEIGHT = 1
MIN_SCORE = 3
MAX_TAGS = 6

ACRONYM_GAP = re.compile(r"\s*\(")
KIND_PHRASE, KIND_WEAK, KIND_TITLE = "phrases", "weak", "title_only"


def _word_pattern(word: str, last: bool, acronym: bool) -> str:
    body = re.escape(word)
    if not acronym:
        # -ize / -ise spelling, wherever it occurs in the word (optimizer, quantization).
        body = re.sub(r"iz(?=e|a|i)", "i[sz]", body)
    if not last or not word[-1:].isalpha():
        return body
    if not acronym and word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return body[:-1] + "(?:y|ies)"
    return body + "(?:s|es)?"


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Compile one taxonomy phrase to a whole-word pattern."""
    if phrase.startswith(REGEX_PREFIX):
        return re.compile(rf"(?<!\w)(?:{phrase[len(REGEX_PREFIX) :].strip()})(?!\w)", re.IGNORECASE)
    words = [w for w in re.split(r"[\s-]+", phrase) if w]
    acronym = phrase.replace("-", "").replace(" ", "").isupper() and len(phrase.replace(" ", "")) <= 8
    body = r"[\s-]?".join(_word_pattern(w, i == len(words) - 1, acronym) for i, w in enumerate(words))
    # Never inside a word, nor glued to a hyphenated prefix ("URL", "organ", "non-RL").
    return re.compile(rf"(?<![\w-]){body}(?!\w)", 0 if acronym else re.IGNORECASE)


def required_literal(phrase: str) -> str:
    """Lowercase text every match of `phrase` contains: a cheap test that skips most regex searches."""
    if phrase.startswith(REGEX_PREFIX):
        return ""
    word = re.split(r"[\s-]+", phrase.strip())[0].lower()
    word = word.split("iz")[0]  # -ize / -ise
    return word[:-1] if word.endswith("y") else word


@dataclass(frozen=True)
class Rule:
    phrase: str
    pattern: re.Pattern[str]
    kind: str
    literal: str = ""


@dataclass(frozen=True)
class CompiledTag:
    tag: Tag
    rules: tuple[Rule, ...]
    exclude: tuple[tuple[str, re.Pattern[str]], ...]  # (required literal, pattern)


def compile_tag(tag: Tag) -> CompiledTag:
    rules = [Rule(p, phrase_pattern(p), KIND_PHRASE, required_literal(p)) for p in tag.phrases]
    rules += [Rule(p, phrase_pattern(p), KIND_WEAK, required_literal(p)) for p in tag.weak]
    rules += [Rule(p, phrase_pattern(p), KIND_TITLE, required_literal(p)) for p in tag.title_only]
    return CompiledTag(tag, tuple(rules), tuple((required_literal(p), phrase_pattern(p)) for p in tag.exclude))


def compile_taxonomy(tags: tuple[Tag, ...]) -> tuple[CompiledTag, ...]:
    return tuple(compile_tag(t) for t in tags)


def _blank(text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _matches(rules: tuple[Rule, ...], text: str) -> list[tuple[re.Match[str], Rule]]:
    """Every rule match in `text`, overlapping matches resolved to the longest (then earliest rule)."""
    found = []
    lowered = text.lower()
    for rule in rules:
        if not rule.literal or len(lowered) != len(text):
            found.extend((m, rule) for m in rule.pattern.finditer(text))
            continue
        # Try the pattern only where its first word starts: much faster than a regex scan.
        at = lowered.find(rule.literal)
        while at >= 0:
            match = rule.pattern.match(text, at)
            if match:
                found.append((match, rule))
            at = lowered.find(rule.literal, at + 1)
    found.sort(key=lambda f: (f[0].start(), -(f[0].end() - f[0].start())))
    kept: list[tuple[re.Match[str], Rule]] = []
    end = -1
    for match, rule in found:
        if match.start() < end:
            continue
        # "neural tangent kernel (NTK)" defines an acronym: one mention, not two.
        if not (kept and ACRONYM_GAP.fullmatch(text, end, match.start()) and text.startswith(")", match.end())):
            kept.append((match, rule))
        end = match.end()
    return kept


def match_tag(compiled: CompiledTag, title: str, abstract: str, lowered: str | None = None) -> TagMatch | None:
    """Score one tag on one paper: the explaining match with its score, or None below MIN_SCORE.

    `lowered` is title + abstract in lowercase, shared across tags to skip phrases that cannot match.
    """
    lowered = f"{title}\n{abstract}".lower() if lowered is None else lowered
    rules = tuple(r for r in compiled.rules if r.literal in lowered)
    if not rules:
        return None
    exclude = tuple(pattern for literal, pattern in compiled.exclude if literal in lowered)
    title = _blank(title, exclude)
    abstract = _blank(abstract, exclude)
    in_title = _matches(rules, title)
    in_abstract = [(m, r) for m, r in _matches(rules, abstract) if r.kind != KIND_TITLE]
    title_score = 0
    if in_title:
        title_score = TITLE_WEIGHT if any(r.kind == KIND_PHRASE for _, r in in_title) else WEAK_TITLE_WEIGHT
    score = title_score + sum(PHRASE_WEIGHT if r.kind == KIND_PHRASE else WEAK_WEIGHT for _, r in in_abstract)
    if score < MIN_SCORE:
        return None
    if in_title:
        match = max(in_title, key=lambda f: (f[1].kind == KIND_PHRASE, len(f[0].group(0))))[0]
        return TagMatch(compiled.tag.slug, match.group(0), "title", score)
    # The phrase that carried most weight in the abstract explains the tag.
    weight: dict[str, int] = {}
    first: dict[str, str] = {}
    for m, r in in_abstract:
        weight[r.phrase] = weight.get(r.phrase, 0) + (PHRASE_WEIGHT if r.kind == KIND_PHRASE else WEAK_WEIGHT)
        first.setdefault(r.phrase, m.group(0))
    best = max(weight, key=lambda p: weight[p])
    return TagMatch(compiled.tag.slug, first[best], "abstract", score)


def tag_paper(compiled: tuple[CompiledTag, ...], paper: Paper) -> tuple[TagMatch, ...]:
    """The tags of one paper, strongest first (ties in taxonomy order), at most MAX_TAGS."""
    scored = []
    lowered = f"{paper.title}\n{paper.abstract}".lower()
    for order, c in enumerate(compiled):
        match = match_tag(c, paper.title, paper.abstract, lowered)
        if match is not None:
            scored.append((-match.score, order, match))
    scored.sort(key=lambda s: (s[0], s[1]))
    return tuple(m for _, _, m in scored[:MAX_TAGS])


def tag_papers(tags: tuple[Tag, ...], papers: list[Paper] | tuple[Paper, ...]) -> dict[str, tuple[TagMatch, ...]]:
    """{paper key: its tag matches}."""
    compiled = compile_taxonomy(tags)
    return {p.key: tag_paper(compiled, p) for p in papers}
