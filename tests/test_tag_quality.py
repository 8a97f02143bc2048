"""Tag and related-paper quality on labels made blind by readers who never saw the rules.

The evaluation sets, the taxonomy the readers saw and the rules they were scored
with are frozen under tests/fixtures/tag_eval/ (see its GUIDE.md). These tests hold
the tagging and related-paper code to the committed figures: a change that
lowers them beyond MARGIN fails. `readinglist tags --gold tests/fixtures/tag_eval`
prints the same figures for the live corpus/tags.yml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.build import Options, make_catalogue
from generator.cli import main
from generator.errors import GeneratorError
from generator.models import Tag
from generator.tag_eval import (
    EvalPaper,
    agreement,
    judge_agreement,
    load_eval_set,
    load_judgements,
    related_score,
    rule_tags,
    rules_score,
    score,
)
from generator.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "fixtures" / "tag_eval"
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"
MARGIN = 0.01

# Figures of the frozen rules (rules.yml) when they were committed: (precision, recall).
COMMITTED = {
    ("corpus", "tune"): (0.852, 0.859),
    ("corpus", "test"): (0.730, 0.745),
    ("outside", "test"): (0.712, 0.587),
    ("corpus-rest", "tune"): (0.764, 0.777),
}
# Related papers on the frozen embedded corpus: precision on the judged pool, papers shown per paper.
COMMITTED_RELATED = {"tune": (0.444, 3.15), "test": (0.410, 3.05)}


def yml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules() -> tuple[Tag, ...]:
    return load_taxonomy(yml(EVAL / "rules.yml"), "rules.yml")


@pytest.fixture(scope="module")
def sets():
    slugs = [t["slug"] for t in yml(EVAL / "taxonomy.yml")]
    return {
        name: load_eval_set(yml(EVAL / f"{name}.yml"), name, slugs) for name in ("corpus", "corpus-rest", "outside")
    }


def test_evaluation_sets_are_as_documented(sets):
    corpus = sets["corpus"].papers
    assert len(corpus) == 180 and len(sets["outside"].papers) >= 40 and len(sets["corpus-rest"].papers) == 188
    halves = [p.half for p in corpus]
    assert 80 <= halves.count("test") <= 100
    assert {p.half for p in sets["outside"].papers} == {"test"}
    # The sets never overlap, and the outside papers are in no listing of the corpus.
    assert not {p.slug for p in corpus} & {p.slug for p in sets["corpus-rest"].papers}
    listed = " ".join(p.read_text(encoding="utf-8") for p in (EMBEDDED / "sources").glob("*.txt")).casefold()
    assert not [p.title for p in sets["outside"].papers if p.title.casefold() in listed]


def test_readers_agree_as_reported(sets):
    for eval_set in sets.values():
        assert agreement(eval_set).f1 >= 0.9


@pytest.mark.parametrize(("name", "half"), sorted(COMMITTED))
def test_rule_tags_hold_their_committed_figures(rules, sets, name, half):
    eval_set = sets[name]
    figures = rules_score(eval_set, rule_tags(rules, eval_set.papers), half)
    precision, recall = COMMITTED[name, half]
    assert figures.precision >= precision - MARGIN, f"{name} {half}: precision {figures.precision:.3f}"
    assert figures.recall >= recall - MARGIN, f"{name} {half}: recall {figures.recall:.3f}"


@pytest.fixture(scope="module")
def related(tmp_path_factory) -> dict[str, tuple[str, ...]]:
    """Related papers of the frozen embedded corpus, by slug."""
    empty = tmp_path_factory.mktemp("no-overrides") / "overrides.yml"
    empty.write_text("{}\n", encoding="utf-8")
    options = Options(EMBEDDED / "sources", tags=EVAL / "rules.yml", overrides=empty, notes=EMBEDDED / "notes.yml")
    cat = make_catalogue(options).catalogue
    return {cat.slugs[k]: tuple(cat.slugs[o] for o in others) for k, others in cat.related.items()}


@pytest.mark.parametrize("half", sorted(COMMITTED_RELATED))
def test_related_papers_hold_their_committed_figures(related, half):
    judgements = load_judgements(yml(EVAL / "related.yml"), "related.yml")
    figures = related_score(judgements, related, half)
    precision, shown = COMMITTED_RELATED[half]
    assert figures.unjudged == 0, "a related paper no judge has seen: judge it before it counts"
    assert figures.precision >= precision - MARGIN
    assert figures.per_paper >= 3.0 and figures.per_paper >= shown - 0.25


def test_judges_of_related_papers_agree():
    assert judge_agreement(yml(EVAL / "related.yml")).f1 >= 0.8


def test_score_is_micro_averaged():
    s = score([(frozenset("ab"), frozenset("a")), (frozenset(), frozenset("c"))])
    assert (s.true_positives, s.false_positives, s.false_negatives) == (1, 1, 1)
    assert s.precision == 0.5 and s.recall == 0.5


@pytest.mark.parametrize(
    ("papers", "message"),
    [
        ([{"id": "x", "half": "middle", "title": "T", "abstract": "A", "readers": {"1": [], "2": []}}], "half"),
        ([{"id": "x", "half": "test", "title": "T", "abstract": "A", "readers": {"1": []}}], "two readers"),
        (
            [{"id": "x", "half": "test", "title": "T", "abstract": "A", "readers": {"1": ["nope"], "2": []}}],
            "unknown tag",
        ),
        ([{"id": "x", "half": "test", "title": "", "abstract": "A", "readers": {"1": [], "2": []}}], "title"),
    ],
)
def test_a_malformed_evaluation_set_names_the_file_and_paper(papers, message):
    with pytest.raises(GeneratorError) as err:
        load_eval_set({"name": "s", "papers": papers}, "sets/s.yml", ["known"])
    assert message in str(err.value) and "sets/s.yml" in str(err.value)


def test_rule_tags_need_no_corpus():
    tag = Tag("quantization", "Quantization", "Low-bit.", "Efficiency", ("quantization",))
    paper = EvalPaper("p", "test", "Post-training quantization of transformers", "An abstract.", (), frozenset())
    assert rule_tags((tag,), [paper]) == {"p": frozenset({"quantization"})}


def test_tags_gold_prints_every_set_half_and_the_agreement(capsys, tmp_path):
    empty = tmp_path / "overrides.yml"
    empty.write_text("{}\n", encoding="utf-8")
    code = main(
        [
            "tags",
            "--sources",
            str(EMBEDDED / "sources"),
            "--tags",
            str(EVAL / "rules.yml"),
            "--overrides",
            str(empty),
            "--notes",
            str(EMBEDDED / "notes.yml"),
            "--gold",
            str(EVAL),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    for label in ("corpus tune", "corpus test", "outside", "corpus-rest", "readers agree F1", "judges agree F1"):
        assert label in out
    assert "related papers against blind judgements" in out


def test_tags_gold_refuses_a_file(capsys, tmp_path):
    code = main(["tags", "--sources", str(EMBEDDED / "sources"), "--tags", str(EVAL / "rules.yml"),
                 "--overrides", "/dev/null", "--gold", str(EVAL / "corpus.yml")])  # fmt: skip
    assert code == 1
    assert "expected a folder of evaluation sets" in capsys.readouterr().err


def test_the_frozen_rules_name_their_tags_as_the_readers_saw_them(rules):
    """The readers' taxonomy is data: each tag has exactly slug, group, name and description, and the
    frozen rules call every tag they share by the same name (a comma once cut "Bilevel, minimax and
    constrained optimization" to "Bilevel" in both)."""
    readers = yml(EVAL / "taxonomy.yml")
    assert all(set(t) == {"slug", "group", "name", "description"} for t in readers)
    names = {t["slug"]: t["name"] for t in readers}
    assert {t.slug: t.name for t in rules if t.slug in names} == {t.slug: names[t.slug] for t in rules}
