"""Tag and related-paper quality against labels made blind by independent readers.

An evaluation set (tests/fixtures/tag_eval/*.yml) holds papers (title and
abstract), the tags each reader gave them working alone, and the settled labels
(both readers agree, or a third blind reading decided). Each paper belongs to
the `tune` half (rules may be tuned on it) or the `test` half (the figure that
counts). Everything here is pure: the caller reads the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import GeneratorError
from generator.models import Paper, Tag
from generator.tagging import PhraseIndex, compile_taxonomy, tag_paper

HALVES = ("tune", "test")


@dataclass(frozen=True)
class EvalPaper:
    id: str
    half: str
    title: str
    abstract: str
    readers: tuple[frozenset[str], ...]  # each reader's tags, in reader order
    settled: frozenset[str]  # the gold
    slug: str = ""  # the paper's slug in the corpus it came from ("" for outside papers)


@dataclass(frozen=True)
class EvalSet:
    name: str
    description: str
    papers: tuple[EvalPaper, ...]


@dataclass(frozen=True)
class Score:
    """Micro-averaged precision and recall; `decisions` are the tags behind each figure."""

    true_positives: int
    false_positives: int
    false_negatives: int
    papers: int

    @property
    def precision(self) -> float:
        given = self.true_positives + self.false_positives
        return self.true_positives / given if given else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> Score:
    """[(given, wanted)] -> micro precision/recall of `given` against `wanted`."""
    tp = fp = fn = n = 0
    for given, wanted in pairs:
        tp += len(given & wanted)
        fp += len(given - wanted)
        fn += len(wanted - given)
        n += 1
    return Score(tp, fp, fn, n)


def load_eval_set(data: Any, path: str, tags: Iterable[str]) -> EvalSet:
    """Validate one evaluation set; tag slugs must exist in `tags` (the taxonomy it was labelled with)."""
    known = set(tags)
    if not isinstance(data, dict) or not isinstance(data.get("papers"), list) or not data["papers"]:
        raise GeneratorError("expected a mapping with 'name' and a non-empty list 'papers'", path)
    papers = []
    seen: set[str] = set()
    for n, item in enumerate(data["papers"], start=1):
        label = f"paper #{n}"
        if not isinstance(item, dict):
            raise GeneratorError(f"{label}: expected a mapping", path)
        pid = item.get("id")
        if not isinstance(pid, str) or not pid or pid in seen:
            raise GeneratorError(f"{label}: 'id' must be a unique non-empty string", path)
        seen.add(pid)
        if item.get("half") not in HALVES:
            raise GeneratorError(f"{pid}: 'half' must be one of {', '.join(HALVES)}", path)
        for key in ("title", "abstract"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise GeneratorError(f"{pid}: '{key}' must be a non-empty string", path)
        readers = item.get("readers")
        if not isinstance(readers, dict) or len(readers) < 2:
            raise GeneratorError(f"{pid}: 'readers' must map at least two readers to their tags", path)
        reader_tags = tuple(_tag_set(readers[r], f"{pid}: reader {r}", path, known) for r in sorted(readers))
        settled = _tag_set(item.get("settled"), f"{pid}: settled", path, known)
        papers.append(
            EvalPaper(pid, item["half"], item["title"], item["abstract"], reader_tags, settled, item.get("slug") or "")
        )
    return EvalSet(str(data.get("name") or path), str(data.get("description") or ""), tuple(papers))


def _tag_set(value: Any, label: str, path: str, known: set[str]) -> frozenset[str]:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise GeneratorError(f"{label}: expected a list of tag slugs", path)
    unknown = sorted(set(value) - known)
    if unknown:
        raise GeneratorError(f"{label}: unknown tag(s) {', '.join(unknown)}", path)
    return frozenset(value)


def rule_tags(tags: tuple[Tag, ...], papers: Iterable[EvalPaper]) -> dict[str, frozenset[str]]:
    """{paper id: the tags the rules give it} (no overrides: they are corrections of corpus papers)."""
    index = PhraseIndex(compile_taxonomy(tags))
    return {p.id: frozenset(m.tag for m in tag_paper(index, Paper(p.id, p.title, p.abstract, ()))) for p in papers}


def rules_score(eval_set: EvalSet, given: Mapping[str, frozenset[str]], half: str | None = None) -> Score:
    return score((given[p.id], p.settled) for p in eval_set.papers if half in (None, p.half))


def agreement(eval_set: EvalSet, half: str | None = None) -> Score:
    """How far the first two readers agree: reader 1's tags scored against reader 2's (F1 is symmetric)."""
    return score((p.readers[0], p.readers[1]) for p in eval_set.papers if half in (None, p.half))


# ------------------------------------------------------------ related papers


@dataclass(frozen=True)
class RelatedScore:
    shown: int  # related papers shown for the judged sources
    judged_good: int
    unjudged: int  # shown but never judged: they must be judged before the figure counts
    sources: int

    @property
    def precision(self) -> float:
        judged = self.shown - self.unjudged
        return self.judged_good / judged if judged else 1.0

    @property
    def per_paper(self) -> float:
        return self.shown / self.sources if self.sources else 0.0


def load_judgements(data: Any, path: str) -> dict[str, tuple[str, dict[str, bool]]]:
    """{source slug: (half, {candidate slug: worth reading next})}; a candidate is worth reading
    when any judge said so (votes are stored one per judge)."""
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        raise GeneratorError("expected a mapping with 'sources': {slug: {half, judged: {slug: [votes]}}}", path)
    result = {}
    for slug, item in data["sources"].items():
        if not isinstance(item, dict) or item.get("half") not in HALVES or not isinstance(item.get("judged"), dict):
            raise GeneratorError(f"{slug}: expected 'half' (tune or test) and 'judged': {{slug: [votes]}}", path)
        judged = {}
        for other, votes in item["judged"].items():
            if not isinstance(votes, list) or not votes or not all(isinstance(v, bool) for v in votes):
                raise GeneratorError(f"{slug}: {other}: votes must be a non-empty list of true/false", path)
            judged[str(other)] = any(votes)
        result[str(slug)] = (item["half"], judged)
    return result


def related_score(
    judgements: Mapping[str, tuple[str, Mapping[str, bool]]],
    related: Mapping[str, tuple[str, ...]],
    half: str | None = None,
) -> RelatedScore:
    """Precision over the related papers shown for each judged source present in `related`."""
    shown = good = unjudged = sources = 0
    for slug, (where, judged) in judgements.items():
        if half not in (None, where) or slug not in related:
            continue
        sources += 1
        for other in related[slug]:
            shown += 1
            if other not in judged:
                unjudged += 1
            elif judged[other]:
                good += 1
    return RelatedScore(shown, good, unjudged, sources)


def judge_agreement(data: Any) -> Score:
    """The first two judges of a related-papers file, one scored against the other (F1 is symmetric)."""
    pairs = [
        (frozenset([other] if votes[0] else []), frozenset([other] if votes[1] else []))
        for item in data["sources"].values()
        for other, votes in item["judged"].items()
        if len(votes) >= 2
    ]
    return score(pairs)


def format_quality(
    tags: tuple[Tag, ...],
    sets: list[EvalSet],
    judgements: Mapping[str, tuple[str, Mapping[str, bool]]] | None = None,
    related: Mapping[str, tuple[str, ...]] | None = None,
    judges: Score | None = None,
) -> str:
    """The figures `readinglist tags --gold` prints: every set and half, with the readers' agreement."""
    lines = [
        "tag rules against blind labels (micro precision / recall; given = tags the rules gave, wanted = settled tags):"
    ]
    for eval_set in sets:
        given = rule_tags(tags, eval_set.papers)
        for half in (None, *HALVES):
            s = rules_score(eval_set, given, half)
            if not s.papers or (half is not None and s.papers == len(eval_set.papers)):
                continue
            a = agreement(eval_set, half)
            lines.append(
                f"  {eval_set.name + (' ' + half if half else ''):18} {s.papers:4} papers  "
                f"precision {s.precision:.3f} ({s.true_positives}/{s.true_positives + s.false_positives} given)  "
                f"recall {s.recall:.3f} ({s.true_positives}/{s.true_positives + s.false_negatives} wanted)  "
                f"readers agree F1 {a.f1:.3f} (P {a.precision:.3f}, R {a.recall:.3f})"
            )
    live = {t.slug for t in tags}
    lacking = Counter(t for eval_set in sets for p in eval_set.papers for t in p.settled if t not in live)
    if lacking:
        lines.append(
            "  settled tags this taxonomy lacks (counted as missed): "
            + ", ".join(f"{t} ({n})" for t, n in sorted(lacking.items(), key=lambda kv: (-kv[1], kv[0])))
        )
    if judgements is not None and related is not None:
        lines.append("related papers against blind judgements (worth reading next):")
        for half in (None, *HALVES):
            r = related_score(judgements, related, half)
            lines.append(
                f"  {'all' if half is None else half:18} {r.sources:4} papers  precision {r.precision:.3f} "
                f"({r.judged_good}/{r.shown - r.unjudged} judged)  {r.per_paper:.2f} shown per paper"
                + (f"  {r.unjudged} shown but never judged: judge them before trusting this" if r.unjudged else "")
            )
        if judges is not None:
            lines.append(f"  judges agree F1 {judges.f1:.3f} (P {judges.precision:.3f}, R {judges.recall:.3f})")
    return "\n".join(lines)
