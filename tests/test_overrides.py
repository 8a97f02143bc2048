"""Per-paper tag overrides: parsing, errors with file and line, and how they change the tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Options, make_catalogue
from generator.errors import GeneratorError
from generator.models import Tag, TagMatch
from generator.overrides import OVERRIDE_FIELD, OVERRIDE_PHRASE, apply_overrides, parse_overrides

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"  # frozen copy of corpus/
PATH = "corpus/overrides.yml"
TAGS = tuple(Tag(s, s.title(), "A tag.", "Methods", (s,)) for s in ("quantization", "pruning", "vision"))
SLUGS = {"k1": "low-bit-vits", "k2": "sparse-nets"}
RULES = {
    "k1": (TagMatch("quantization", "Quantization", "title", 3),),
    "k2": (TagMatch("pruning", "pruning", "abstract", 4), TagMatch("vision", "images", "abstract", 3)),
}


def apply(text: str):
    return apply_overrides(RULES, SLUGS, TAGS, parse_overrides(text, PATH), PATH)


def test_add_and_remove_tags_overrides_win():
    text = "low-bit-vits:\n  add: [vision]\nsparse-nets:\n  remove: [vision]\n  note: the images are a dataset\n"
    matches, problems = apply(text)
    assert problems == []
    assert matches["k1"] == (TagMatch("vision", OVERRIDE_PHRASE, OVERRIDE_FIELD), RULES["k1"][0])
    assert matches["k2"] == (RULES["k2"][0],)
    assert OVERRIDE_PHRASE == "added by override" and OVERRIDE_FIELD == "override"


def test_unknown_paper_is_a_warning_with_line_and_closest_slug_and_is_ignored():
    matches, problems = apply("# comment\nlow-bit-vit:\n  add: [vision]\nsparse-nets:\n  remove: [vision]\n")
    assert matches["k1"] == RULES["k1"] and matches["k2"] == (RULES["k2"][0],)
    [problem] = problems
    assert problem.kind == "warning"
    assert str(problem).startswith(f"{PATH}:2: unknown paper slug 'low-bit-vit' (no listing has that paper; ")
    assert "did you mean 'low-bit-vits'?" in problem.message and "this override is ignored" in problem.message


def test_unknown_tag_is_an_error_with_line_and_closest_tag():
    with pytest.raises(GeneratorError) as info:
        apply("low-bit-vits:\n  add: [vision]\nsparse-nets:\n  remove: [prunning]\n")
    assert str(info.value) == f"{PATH}:3: sparse-nets: unknown tag 'prunning'; did you mean 'pruning'?"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- a\n- b\n", "expected a mapping of paper slug"),
        ("low-bit-vits: [vision]\n", "expected a mapping with 'add' and/or 'remove'"),
        ("low-bit-vits:\n  ad: [vision]\n", "unknown key(s) ad"),
        ("low-bit-vits:\n  add: vision\n", "'add' must be a list of tag slugs"),
        ("low-bit-vits:\n  add: []\n", "must add or remove at least one tag"),
        ("low-bit-vits:\n  add: [vision]\n  remove: [vision]\n", "both added and removed"),
        ("low-bit-vits:\n  add: [vision\n", "invalid YAML"),
    ],
)
def test_shape_errors_name_the_file(text, fragment):
    with pytest.raises(GeneratorError) as info:
        apply(text)
    assert str(info.value).startswith(f"{PATH}:") and fragment in str(info.value)


def test_no_op_overrides_warn_so_they_do_not_rot():
    _, problems = apply("low-bit-vits:\n  add: [quantization]\n  remove: [pruning]\n")
    assert [str(p) for p in problems] == [
        f"{PATH}:1: low-bit-vits: the rules already give 'quantization'; drop it from 'add'",
        f"{PATH}:1: low-bit-vits: the rules do not give 'pruning'; drop it from 'remove'",
    ]


def test_missing_or_empty_file_means_no_overrides():
    assert parse_overrides(None, PATH) == ()
    assert parse_overrides("# nothing yet\n", PATH) == ()


def test_real_overrides_apply_cleanly_and_reach_papers_json(tmp_path):
    result = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml"))
    assert not [p for p in result.problems if p.path.endswith("overrides.yml")]
    cat = result.catalogue
    key = next(k for k, s in cat.slugs.items() if s == "utility-probability-duality-of-neural-networks")
    assert cat.matches[key][0] == TagMatch("deep-learning-theory", OVERRIDE_PHRASE, OVERRIDE_FIELD)


def test_overrides_next_to_the_tags_file_are_found(tmp_path):
    (tmp_path / "tags.yml").write_text((ROOT / "tests" / "fixtures" / "tags.yml").read_text(), encoding="utf-8")
    (tmp_path / "overrides.yml").write_text("no-such-paper:\n  add: [vision]\n", encoding="utf-8")
    result = make_catalogue(Options(sources=ROOT / "tests" / "fixtures" / "corpus", tags=tmp_path / "tags.yml"))
    assert any("unknown paper slug 'no-such-paper'" in p.message for p in result.warnings)
