"""The tag health report behind `readinglist tags`: counts, limits, candidates, precision.

Pure: takes the catalogue (and the rule-only matches) and returns values and
text; the command line prints them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from generator.models import Catalogue, Paper

# The limits `readinglist tags --check` enforces (issue 3).
MIN_COVERAGE = 0.97  # share of papers with at least one tag
MAX_TAG_SHARE = 0.30  # no tag on more than this share of papers
MIN_TAG_PAPERS = 3  # every tag on at least this many papers
MAX_TAGS_PER_PAPER = 6
TAXONOMY_SIZE = (25, 60)

CANDIDATES = 15
STOPWORDS_TEXT = """
a about above across after again against all almost along also although always among an and any are as at
based be because been before being below between both but by can could do does doing done due during each
either et etc even every few for from further given has have having here how however i if in into is it its
itself just large less like many may more most much must new no nor not novel of often on one only or other
our out over paper per propose proposed provide recent recently same several should show shows significant
significantly since so some such than that the their them then there these they this those through thus to
two under up upon us use used using various very via was we well were what when where whether which while
who whose why will with within without work would yet approach approaches method methods results problem
problems model models learning data existing demonstrate experiments performance framework first
state art study studies different high low better including suggests large-scale deep neural network networks
training trained train show shown achieve achieves task tasks set sets
"""
STOPWORDS = frozenset(STOPWORDS_TEXT.split())
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


@dataclass(frozen=True)
class TagCount:
    slug: str
    name: str
    group: str
    papers: int
    problem: str  # "" when within the limits


@dataclass(frozen=True)
class Report:
    papers: int
    coverage: float
    per_paper: dict[int, int]  # number of tags -> number of papers
    tags: tuple[TagCount, ...]
    untagged: tuple[Paper, ...]
    weak: tuple[Paper, ...]  # a single tag, found only in the abstract
    overridden: int
    candidates: tuple[tuple[str, int], ...]  # (phrase, papers) among untagged and weakly tagged
    broken: tuple[str, ...]  # limits broken, one line each

    @property
    def largest(self) -> TagCount:
        return max(self.tags, key=lambda t: t.papers)

    @property
    def smallest(self) -> TagCount:
        return min(self.tags, key=lambda t: t.papers)


def tag_counts(cat: Catalogue) -> Counter[str]:
    return Counter(m.tag for p in cat.papers for m in cat.matches[p.key])


def build_report(cat: Catalogue) -> Report:
    """Everything `readinglist tags` prints, computed from the final tags (rules + overrides)."""
    n = len(cat.papers)
    counts = tag_counts(cat)
    per_paper = Counter(len(cat.matches[p.key]) for p in cat.papers)
    untagged = tuple(p for p in cat.papers if not cat.matches[p.key])
    weak = tuple(p for p in cat.papers if len(cat.matches[p.key]) == 1 and cat.matches[p.key][0].field == "abstract")
    coverage = (n - len(untagged)) / n if n else 0.0
    rows: list[TagCount] = []
    broken: list[str] = []
    for tag in cat.tags:
        c = counts[tag.slug]
        problem = ""
        if n and c > MAX_TAG_SHARE * n:
            problem = f"over {MAX_TAG_SHARE:.0%} of papers"
        elif c < MIN_TAG_PAPERS:
            problem = f"under {MIN_TAG_PAPERS} papers"
        if problem:
            broken.append(f"tag {tag.slug!r} has {c} papers: {problem}")
        rows.append(TagCount(tag.slug, tag.name, tag.group, c, problem))
    if coverage < MIN_COVERAGE:
        broken.append(f"coverage {coverage:.1%} is under {MIN_COVERAGE:.0%} ({len(untagged)} untagged papers)")
    crowded = [p for p in cat.papers if len(cat.matches[p.key]) > MAX_TAGS_PER_PAPER]
    for paper in crowded:
        broken.append(
            f"paper {cat.slugs[paper.key]!r} has {len(cat.matches[paper.key])} tags (max {MAX_TAGS_PER_PAPER})"
        )
    low, high = TAXONOMY_SIZE
    if not low <= len(cat.tags) <= high:
        broken.append(f"the taxonomy has {len(cat.tags)} tags; keep it between {low} and {high}")
    overridden = sum(1 for p in cat.papers if any(m.field == "override" for m in cat.matches[p.key]))
    return Report(
        n,
        coverage,
        dict(sorted(per_paper.items())),
        tuple(rows),
        untagged,
        weak,
        overridden,
        candidate_phrases(cat, untagged + weak),
        tuple(broken),
    )


def _ngrams(text: str) -> set[str]:
    words = [w.lower() for w in WORD.findall(text)]
    grams: set[str] = set()
    # Two- and three-word terms without function words: single words are too vague to name a tag.
    for size in (2, 3):
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if any(w in STOPWORDS or len(w) < 3 for w in gram):
                continue
            grams.add(" ".join(gram))
    return grams


def candidate_phrases(
    cat: Catalogue, papers: tuple[Paper, ...], limit: int = CANDIDATES
) -> tuple[tuple[str, int], ...]:
    """Terms shared by several of `papers` that no tag phrase covers yet: ideas for new tags or phrases.

    Ranked by how many of those papers use the term, discounted by how common
    the term is in the whole corpus, so generic words sink.
    """
    if not papers:
        return ()
    known = {
        " ".join(WORD.findall(p.lower()))
        for t in cat.tags
        for p in (*t.phrases, *t.weak, *t.title_only)
        if not p.startswith("re:")
    }
    known_words = {w for k in known for w in k.split()}
    everywhere: Counter[str] = Counter()
    for paper in cat.papers:
        everywhere.update(_ngrams(f"{paper.title}\n{paper.abstract}"))
    here: Counter[str] = Counter()
    for paper in papers:
        here.update(_ngrams(f"{paper.title}\n{paper.abstract}"))
    scored = []
    for gram, df in here.items():
        if df < 2 or gram in known or gram in known_words:
            continue
        share = df / len(papers)
        background = everywhere[gram] / len(cat.papers)
        scored.append((share / (background + 0.02) * (1 + gram.count(" ")), df, gram))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return tuple((gram, df) for _, df, gram in scored[:limit])


def format_report(report: Report, cat: Catalogue) -> str:
    lines = [
        f"{report.papers} papers, {len(cat.tags)} tags; "
        f"{report.papers - len(report.untagged)} tagged ({report.coverage:.1%}), "
        f"{report.overridden} with a hand override",
        "tags per paper: " + ", ".join(f"{k}: {v}" for k, v in report.per_paper.items()),
    ]
    if report.tags:
        lines.append(
            f"largest tag: {report.largest.slug} ({report.largest.papers}); "
            f"smallest tag: {report.smallest.slug} ({report.smallest.papers})"
        )
    group = None
    width = max((len(t.slug) for t in report.tags), default=0)
    for row in report.tags:
        if row.group != group:
            group = row.group
            lines.append(f"\n{group}")
        flag = f"  <- {row.problem}" if row.problem else ""
        lines.append(f"  {row.slug:<{width}} {row.papers:4d}{flag}")
    lines.append(f"\nuntagged papers ({len(report.untagged)}):")
    lines.extend(f"  {cat.slugs[p.key]}" for p in report.untagged)
    lines.append(f"weakly tagged papers (one tag, from the abstract only): {len(report.weak)}")
    lines.append("candidate phrases among untagged and weakly tagged papers (papers using it):")
    lines.extend(f"  {gram} ({df})" for gram, df in report.candidates)
    if report.broken:
        lines.append(f"\nlimits broken ({len(report.broken)}):")
        lines.extend(f"  {b}" for b in report.broken)
    else:
        lines.append("\nall limits hold")
    return "\n".join(lines)
