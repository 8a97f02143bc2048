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
from itertools import accumulate, compress, product
from typing import NamedTuple

import ahocorasick

from generator.models import Paper, Tag, TagMatch
from generator.taxonomy import REGEX_PREFIX

TITLE_WEIGHT = 3
WEAK_TITLE_WEIGHT = 1
PHRASE_WEIGHT = 2
WEAK_WEIGHT = 1
MIN_SCORE = 3
MAX_TAGS = 6

ABSTRACT_WEIGHTS = {"phrases": PHRASE_WEIGHT, "weak": WEAK_WEIGHT}  # title_only and exclude count nothing there
ACRONYM_GAP = re.compile(r"\s*\(")
KIND_PHRASE, KIND_WEAK, KIND_TITLE, KIND_EXCLUDE = "phrases", "weak", "title_only", "exclude"


def _word_pattern(word: str, last: bool, acronym: bool) -> str:
    if not last:
        return _spelling(re.escape(word), acronym)
    forms = _last_forms(word, acronym)
    return "(?:" + "|".join(_spelling(re.escape(f), acronym) for f in sorted(forms, key=lambda f: (-len(f), f))) + ")"


def _spelling(body: str, acronym: bool) -> str:
    # -ize / -ise spelling, wherever it occurs in the word (optimizer, quantization).
    return body if acronym else re.sub(r"iz(?=e|a|i)", "i[sz]", body)


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Compile one taxonomy phrase to a whole-word pattern."""
    if phrase.startswith(REGEX_PREFIX):
        return re.compile(rf"(?<!\w)(?:{phrase[len(REGEX_PREFIX) :].strip()})(?!\w)", re.IGNORECASE)
    words = [w for w in re.split(r"[\s-]+", phrase) if w]
    acronym = _is_acronym(phrase)
    body = r"[\s-]?".join(_word_pattern(w, i == len(words) - 1, acronym) for i, w in enumerate(words))
    # Never inside a word, nor glued to a hyphenated prefix ("URL", "organ", "non-RL").
    return re.compile(rf"(?<![\w-]){body}(?!\w)", 0 if acronym else re.IGNORECASE)


def required_literal(phrase: str) -> str:
    """Lowercase text every match of `phrase` contains: a cheap test that skips most regex searches.
    (For a "re:" phrase see `regex_literal`, which holds only for ASCII text.)"""
    if phrase.startswith(REGEX_PREFIX):
        return ""
    word = re.split(r"[\s-]+", phrase.strip())[0].lower()
    word = word.split("iz")[0]  # -ize / -ise
    return word[:-1] if word.endswith("y") else word


def regex_literal(pattern: re.Pattern[str]) -> str:
    """The longest run of ASCII characters every match of `pattern` holds, lowercased ("" if none, or if the
    pattern cannot be read). For ASCII text, `regex_literal(p) not in text.lower()` proves `p` finds
    nothing there: a "re:" phrase is matched case-insensitively, and outside ASCII case folding has
    exceptions (the Kelvin sign is a "k"), so other text is always searched."""
    try:
        from re import _constants as sre
        from re import _parser

        items = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a private module that may change: no shortcut, never a wrong one
        return ""
    best, run = "", ""
    for op, arg in _required_items(items, sre):
        if op is sre.LITERAL and arg < 128:
            run += chr(arg).lower()
            best = max(best, run, key=len)
        else:
            run = ""
    return best


def _required_items(items, sre) -> list:
    """The top-level items of a parsed pattern, with groups opened: a group's items are all required in turn.
    Anything else (a class, a branch, a repeat, an assertion) is a break between literals."""
    out = []
    for op, arg in items:
        if op is sre.SUBPATTERN:
            out += _required_items(arg[-1], sre)
        else:
            out.append((op, arg))
    return out


@dataclass(frozen=True)
class Rule:
    phrase: str
    pattern: re.Pattern[str] | None  # only for phrases the phrase index cannot match
    kind: str
    literal: str = ""
    ascii_literal: str = ""  # a "re:" phrase's regex_literal: a test for ASCII text only


@dataclass(frozen=True)
class CompiledTag:
    tag: Tag
    rules: tuple[Rule, ...]  # evidence first, then the `exclude` phrases (kind KIND_EXCLUDE)


def _rule(phrase: str, kind: str) -> Rule:
    # Compiling ~900 regexes costs more than tagging a few hundred papers: only
    # phrases the phrase index cannot handle get one.
    pattern = phrase_pattern(phrase) if literal_variants(phrase) is None else None
    ascii_literal = regex_literal(pattern) if pattern is not None and phrase.startswith(REGEX_PREFIX) else ""
    return Rule(phrase, pattern, kind, required_literal(phrase), ascii_literal)


def compile_tag(tag: Tag) -> CompiledTag:
    rules = [_rule(p, KIND_PHRASE) for p in tag.phrases]
    rules += [_rule(p, KIND_WEAK) for p in tag.weak]
    rules += [_rule(p, KIND_TITLE) for p in tag.title_only]
    rules += [_rule(p, KIND_EXCLUDE) for p in tag.exclude]
    return CompiledTag(tag, tuple(rules))


def compile_taxonomy(tags: tuple[Tag, ...]) -> tuple[CompiledTag, ...]:
    return tuple(compile_tag(t) for t in tags)


# ---------------------------------------------------------------- phrase index
# Literal phrases (nearly all of them) are matched in one pass over the text
# instead of one regex scan per phrase: every way a phrase can be written
# (joined or not, a space or a hyphen between words, each ending) is a key of
# an Aho-Corasick automaton (pyahocorasick, in C), and a key found where words
# start and end is a match. Texts whose lowercase changes length (rare letters)
# go through a dictionary of tokens instead: the text split into words, each
# word looking up the phrases that can start there. The rules are exactly those
# of `phrase_pattern`, which stays the reference (and is used for "re:" phrases
# and words with symbols); tests/test_tagging_index.py holds all three to the
# same answers.

TOKEN = re.compile(r"\w+")
SPLIT = re.compile(r"(\w+)")
IZ_TEXT = re.compile(r"is(?=[eai])")


def _fold(word: str) -> str:
    """Lowercase, with -ise spelt -ize (both sides of a comparison are folded alike)."""
    word = word.lower()
    return IZ_TEXT.sub("iz", word) if "is" in word else word


def _is_acronym(phrase: str) -> bool:
    return phrase.replace("-", "").replace(" ", "").isupper() and len(phrase.replace(" ", "")) <= 8


def _last_forms(word: str, acronym: bool) -> tuple[str, ...]:
    """The spellings the last word of a phrase may take: singular and plural, whichever was written
    ("penalty" also finds "penalties", and "penalties" also finds "penalty")."""
    if not word[-1:].isalpha():
        return (word,)
    forms = [word]
    low = word.lower()
    if not acronym and low.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif not acronym and low.endswith("ses") and len(word) > 4:
        forms.append(word[:-2])  # "losses" -> "loss"
    elif low.endswith("s") and not low.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])  # "networks" -> "network", "MDPs" -> "MDP"
    stem = forms[-1]
    if not acronym and stem.lower().endswith("y") and len(stem) > 2 and stem[-2].lower() not in "aeiou":
        forms.append(stem[:-1] + "ies")
    else:
        forms += [stem + "s", stem + "es"]
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class Variant:
    """One token sequence a literal phrase can appear as ("fine tuning" or "finetuning")."""

    head: tuple[str, ...]  # every token but the last, exactly
    last: frozenset[str]  # allowed spellings of the last token
    acronym: bool  # compare raw tokens (case-sensitive) instead of folded ones
    tag: int  # index of the tag in the index
    rule: int  # index of the rule in the tag's rules


def literal_variants(phrase: str) -> list[tuple[tuple[str, ...], frozenset[str], bool]] | None:
    """Token sequences for a literal phrase, or None when it needs the regex (symbols, "re:")."""
    if phrase.startswith(REGEX_PREFIX):
        return None
    words = [w for w in re.split(r"[\s-]+", phrase) if w]
    if not words or not all(TOKEN.fullmatch(w) for w in words):
        return None
    acronym = _is_acronym(phrase)
    fold = (lambda w: w) if acronym else _fold
    result = []
    for mask in range(2 ** (len(words) - 1)):  # which gaps are joined ("finetuning")
        groups = [words[0]]
        for i, word in enumerate(words[1:]):
            if mask >> i & 1:
                groups[-1] += word
            else:
                groups.append(word)
        last = frozenset(fold(f) for f in _last_forms(groups[-1], acronym))
        result.append((tuple(fold(g) for g in groups[:-1]), last, acronym))
    return result


def _joins(gap: str) -> bool:
    """Words of one phrase are separated by one space or one hyphen."""
    return len(gap) == 1 and (gap == "-" or gap.isspace())


# Every whitespace character -> " ": the automaton's keys are written with " " for any one of them. (The last
# one is U+3000: looking only that far takes 1 ms, not the 40 ms of all of Unicode, on every run, the no-op's
# included; tests/test_tagging_index.py checks that none lies beyond.)
LAST_SPACE = 0x3000
SPACES = {c: " " for c in range(LAST_SPACE + 1) if chr(c).isspace() and c != 32}
GAPS = (" ", "-")


def _written(words: tuple[str, ...]) -> list[str]:
    """Every way `words` can stand in a text as the automaton sees it: one space or one hyphen between two."""
    if not all(TOKEN.fullmatch(w) for w in words):
        return []  # folding made a character that is no word character: never a whole token, never a match
    return [
        "".join(w + g for w, g in zip(words, gaps, strict=False)) + words[-1]
        for gaps in product(GAPS, repeat=len(words) - 1)
    ]


class Span(NamedTuple):  # (a tuple: the index makes one per match, and a frozen dataclass costs 3x as much)
    start: int
    end: int
    text: str


class PhraseIndex:
    """All literal rules of many tags: in one automaton, and keyed by the folded first word.

    The automaton (`_automaton_spans`) serves nearly every text. The dictionary
    serves the rest (`_token_spans`): each key holds three kinds of variant:
    one-word phrases (the lookup is the match), longer phrases (keyed again by
    their second word, so a common first word like "learning" costs one more
    lookup, not a check of every phrase that starts with it), and acronyms
    (compared case-sensitively, one by one).
    """

    def __init__(self, tags: tuple[CompiledTag, ...]):
        self.tags = tags
        self.index: dict[str, tuple[list[Variant], dict[str, list[Variant]], list[Variant]]] = {}
        self.regex_rules: list[tuple[int, int, Rule]] = []
        for t, compiled in enumerate(tags):
            for r, rule in enumerate(compiled.rules):
                found = literal_variants(rule.phrase)
                if found is None:
                    self.regex_rules.append((t, r, rule))
                    continue
                for head, last, acronym in found:
                    self._add(Variant(head, last, acronym, t, r))
        # Quick tests of where a match can start (see `_token_spans`).
        self.starts = frozenset(key for key, (single, _, other) in self.index.items() if single or other)
        self.pairs = frozenset((key, second) for key, (_, multi, _) in self.index.items() for second in multi)
        # The automaton's keys are folded; an acronym's key also holds its spelling, compared case-sensitively.
        keys: dict[str, tuple[list[tuple[int, int]], dict[str, list[tuple[int, int]]]]] = {}
        variants = dict.fromkeys(  # a one-word variant is filed under each of its endings: once here
            v for single, multi, other in self.index.values() for vs in (single, *multi.values(), other) for v in vs
        )
        for v in variants:
            for last in sorted(v.last):
                for key in _written((*v.head, last)):
                    folded = _fold(key)
                    if len(folded) != len(key):
                        continue  # only in a text whose lowercase changes length: the token path's
                    owners, spelt = keys.setdefault(folded, ([], {}))
                    (spelt.setdefault(key, []) if v.acronym else owners).append((v.tag, v.rule))
        self.automaton = _automaton(keys)
        # What each rule can add to a tag's score (see `_tag_text`): in the title, in the abstract.
        self.weights = tuple(
            (
                tuple(r.kind != KIND_EXCLUDE for r in compiled.rules),
                tuple(ABSTRACT_WEIGHTS.get(r.kind, 0) for r in compiled.rules),
            )
            for compiled in tags
        )

    def _add(self, v: Variant) -> None:
        firsts = {v.head[0]} if v.head else set(v.last)
        for first in firsts:
            single, multi, other = self.index.setdefault(_fold(first), ([], {}, []))
            if v.acronym:
                other.append(v)
            elif not v.head:
                single.append(v)
            else:
                for second in {v.head[1]} if len(v.head) > 1 else v.last:
                    multi.setdefault(second, []).append(v)

    def spans(self, text: str, lowered: str) -> dict[int, list[tuple[Span, int]]]:
        """{tag index: [(span, rule index)]} for every rule match in `text`."""
        if len(lowered) == len(text):
            found = self._automaton_spans(text, lowered)
        else:  # lowercasing changed the length (rare letters): fold word by word
            raw = SPLIT.split(text)
            folded = [part if i % 2 == 0 else _fold(part) for i, part in enumerate(raw)]
            found = self._token_spans(text, folded, list(accumulate(map(len, raw), initial=0)))
        ascii_text = text.isascii()
        for t, r, rule in self.regex_rules:
            if rule.literal and rule.literal not in lowered:
                continue
            if ascii_text and rule.ascii_literal and rule.ascii_literal not in lowered:
                continue
            found.setdefault(t, []).extend(
                (Span(m.start(), m.end(), m.group(0)), r) for m in rule.pattern.finditer(text)
            )
        return found

    def _automaton_spans(self, text: str, lowered: str) -> dict[int, list[tuple[Span, int]]]:
        """The literal rules' matches, for a text whose lowercase has its length: every key the automata
        find that starts and ends a word (and is not glued to a hyphenated prefix, "non-RL")."""
        # Fold the whole text at once (C speed); "-ise" never spans a word boundary, and every character
        # kept its length, so positions in the folded text are positions in `text`.
        folded = IZ_TEXT.sub("iz", lowered).translate(SPACES)
        found: dict[int, list[tuple[Span, int]]] = {}
        if self.automaton is None:
            return found
        size = len(folded)
        for last, (length, owners, spelt) in self.automaton.iter(folded):
            start, end = last + 1 - length, last + 1
            if start and ((before := folded[start - 1]).isalnum() or before in "_-"):
                continue
            if end < size and ((after := folded[end]).isalnum() or after == "_"):
                continue  # (both: what `\w` matches)
            span = Span(start, end, text[start:end])
            for t, r in owners:
                found.setdefault(t, []).append((span, r))
            for key, acronyms in spelt:
                if span.text == key or span.text.translate(SPACES) == key:
                    for t, r in acronyms:
                        found.setdefault(t, []).append((span, r))
        return found

    def _token_spans(self, text: str, folded: list[str], offsets: list[int]) -> dict[int, list[tuple[Span, int]]]:
        """The literal rules' matches, from the text's words: separators at even, words at odd positions of
        `folded`. Separators are compared as folded (lowercasing leaves spaces and hyphens as they are); an
        acronym's words are compared as written, cut from `text` at `offsets`."""
        found: dict[int, list[tuple[Span, int]]] = {}
        index = self.index
        words = len(folded)
        # Only where a phrase can start, found at C speed: a word that starts a one-word phrase or an acronym,
        # or two words that start a longer phrase (most words start none; "learning" alone starts no phrase).
        odd = folded[1::2]
        at = set(compress(range(1, words, 2), map(self.starts.__contains__, odd)))
        at.update(compress(range(1, words, 2), map(self.pairs.__contains__, zip(odd, odd[1:], strict=False))))
        for i in sorted(at):
            entry = index[folded[i]]
            if folded[i - 1].endswith("-"):
                continue  # no phrase starts here, or glued to a hyphenated prefix ("non-RL")
            single, multi, other = entry
            hits = [(v, i) for v in single]
            if multi and i + 2 < words and _joins(folded[i + 1]):
                for v in multi.get(folded[i + 2], ()):
                    last = self._match(v, text, offsets, folded, i)
                    if last is not None:
                        hits.append((v, last))
            for v in other:
                last = self._match(v, text, offsets, folded, i)
                if last is not None:
                    hits.append((v, last))
            start = offsets[i]
            for v, last in hits:
                end = offsets[last + 1]
                found.setdefault(v.tag, []).append((Span(start, end, text[start:end]), v.rule))
        return found

    @staticmethod
    def _match(v: Variant, text: str, offsets: list[int], folded: list[str], i: int) -> int | None:
        """Position of the phrase's last word if `v` matches from word position `i`, else None. An acronym's
        words are compared as written (cut from `text` at `offsets`), others folded."""
        n = len(v.head)
        if i + 2 * n >= len(folded):
            return None
        acronym = v.acronym
        for j in range(n + 1):
            k = i + 2 * j
            if j and not _joins(folded[k - 1]):
                return None
            word = text[offsets[k] : offsets[k + 1]] if acronym else folded[k]
            if j < n:
                if word != v.head[j]:
                    return None
            elif word not in v.last:
                return None
        return i + 2 * n


def _automaton(
    keys: dict[str, tuple[list[tuple[int, int]], dict[str, list[tuple[int, int]]]]],
) -> ahocorasick.Automaton | None:
    """An automaton finding every folded key, each with (its length, its [(tag, rule)], and for acronyms
    ((spelling, [(tag, rule)]), ...)); None for no keys."""
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, (owners, spelt) in keys.items():
        automaton.add_word(key, (len(key), tuple(owners), tuple((k, tuple(o)) for k, o in spelt.items())))
    automaton.make_automaton()
    return automaton


def _resolve(compiled: CompiledTag, found: list[tuple[Span, int]], text: str) -> list[tuple[Span, Rule]]:
    """Drop matches inside excluded text; overlapping matches count once (the longest, then the
    earliest rule); a phrase followed by its acronym in parentheses counts once."""
    rules = compiled.rules
    if len(found) < 2:  # (most tags of a text: one match, nothing to blank out or overlap)
        return [(span, rules[r]) for span, r in found if rules[r].kind != KIND_EXCLUDE]
    blanked = [(s.start, s.end) for s, r in found if rules[r].kind == KIND_EXCLUDE]
    spans = sorted(
        (
            f
            for f in found
            if rules[f[1]].kind != KIND_EXCLUDE and not any(f[0].start < e and s < f[0].end for s, e in blanked)
        ),
        key=lambda f: (f[0].start, f[0].start - f[0].end, f[1]),
    )
    kept: list[tuple[Span, Rule]] = []
    end = -1
    for span, r in spans:
        if span.start < end:
            continue
        # "neural tangent kernel (NTK)" defines an acronym: one mention, not two.
        if not (kept and ACRONYM_GAP.fullmatch(text, end, span.start) and text.startswith(")", span.end)):
            kept.append((span, rules[r]))
        end = span.end
    return kept


def _score(
    compiled: CompiledTag, in_title: list[tuple[Span, Rule]], in_abstract: list[tuple[Span, Rule]]
) -> TagMatch | None:
    """The explaining match with its score, or None below MIN_SCORE."""
    in_abstract = [(m, r) for m, r in in_abstract if r.kind != KIND_TITLE]
    title_score = 0
    if in_title:
        title_score = TITLE_WEIGHT if any(r.kind == KIND_PHRASE for _, r in in_title) else WEAK_TITLE_WEIGHT
    score = title_score + sum(PHRASE_WEIGHT if r.kind == KIND_PHRASE else WEAK_WEIGHT for _, r in in_abstract)
    if score < MIN_SCORE:
        return None
    if in_title:
        match = max(in_title, key=lambda f: (f[1].kind == KIND_PHRASE, len(f[0].text)))[0]
        return TagMatch(compiled.tag.slug, match.text, "title", score)
    # The phrase that carried most weight in the abstract explains the tag.
    weight: dict[str, int] = {}
    first: dict[str, str] = {}
    for m, r in in_abstract:
        weight[r.phrase] = weight.get(r.phrase, 0) + (PHRASE_WEIGHT if r.kind == KIND_PHRASE else WEAK_WEIGHT)
        first.setdefault(r.phrase, m.text)
    best = max(weight, key=lambda p: weight[p])
    return TagMatch(compiled.tag.slug, first[best], "abstract", score)


def _tag_text(index: PhraseIndex, title: str, abstract: str) -> list[tuple[int, TagMatch]]:
    """[(tag index, match)] for every tag the title and abstract earn."""
    low_title, low_abstract = title.lower(), abstract.lower()
    title_spans = index.spans(title, low_title)
    abstract_spans = index.spans(abstract, low_abstract)
    result = []
    for t in sorted(title_spans.keys() | abstract_spans.keys()):
        found_title, found_abstract = title_spans.get(t, []), abstract_spans.get(t, [])
        # Resolving can only drop matches: a tag whose every match would not reach MIN_SCORE is passed over.
        counts, weights = index.weights[t]
        most = TITLE_WEIGHT if any(counts[r] for _, r in found_title) else 0
        if most + sum(weights[r] for _, r in found_abstract) < MIN_SCORE:
            continue
        compiled = index.tags[t]
        in_title = _resolve(compiled, found_title, title)
        in_abstract = _resolve(compiled, found_abstract, abstract)
        match = _score(compiled, in_title, in_abstract)
        if match is not None:
            result.append((t, match))
    return result


def match_tag(compiled: CompiledTag, title: str, abstract: str) -> TagMatch | None:
    """Score one tag on one paper: the explaining match with its score, or None below MIN_SCORE."""
    found = _tag_text(PhraseIndex((compiled,)), title, abstract)
    return found[0][1] if found else None


def tag_paper(compiled: tuple[CompiledTag, ...] | PhraseIndex, paper: Paper) -> tuple[TagMatch, ...]:
    """The tags of one paper, strongest first (ties in taxonomy order), at most MAX_TAGS."""
    index = compiled if isinstance(compiled, PhraseIndex) else PhraseIndex(tuple(compiled))
    scored = sorted(_tag_text(index, paper.title, paper.abstract), key=lambda f: (-f[1].score, f[0]))
    return tuple(m for _, m in scored[:MAX_TAGS])


def tag_papers(tags: tuple[Tag, ...], papers: list[Paper] | tuple[Paper, ...]) -> dict[str, tuple[TagMatch, ...]]:
    """{paper key: its tag matches}."""
    index = PhraseIndex(compile_taxonomy(tags))
    return {p.key: tag_paper(index, p) for p in papers}
