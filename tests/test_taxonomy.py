"""Validation of the taxonomy: errors name the file and the tag; the real taxonomy is well formed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.errors import GeneratorError
from generator.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
PATH = "corpus/tags.yml"


def one(**fields) -> dict:
    base = {"name": "Graph learning", "group": "Methods", "description": "Graphs.", "phrases": ["graph neural network"]}
    base.update(fields)
    return {"tags": [{k: v for k, v in base.items() if v is not None}]}


def error(data) -> str:
    with pytest.raises(GeneratorError) as info:
        load_taxonomy(data, PATH)
    return str(info.value)


def test_valid_tag_loads_with_all_rule_kinds():
    (tag,) = load_taxonomy(one(weak=["graph"], title_only=["graphs"], exclude=["computational graph"]), PATH)
    assert tag.slug == "graph-learning"
    assert (tag.phrases, tag.weak, tag.title_only, tag.exclude) == (
        ("graph neural network",),
        ("graph",),
        ("graphs",),
        ("computational graph",),
    )


def test_unknown_key_names_file_tag_and_allowed_keys():
    message = error(one(phrase=["typo"]))
    assert message.startswith(f"{PATH}: tag 'Graph learning': unknown key(s) phrase; allowed:")
    assert "weak" in message and "title_only" in message


def test_duplicate_tag_names_file_and_both_tags():
    data = {"tags": one()["tags"] + [dict(one()["tags"][0], slug="graphs-again", name="graph learning")]}
    assert error(data) == f"{PATH}: tag 'graph learning': duplicate of tag 'Graph learning' (same name)"
    data = {"tags": one()["tags"] + [dict(one()["tags"][0], name="Graph learning 2", slug="graph-learning")]}
    assert error(data) == f"{PATH}: tag 'Graph learning 2': duplicate of tag 'Graph learning' (same slug)"


def test_empty_rule_set_is_an_error():
    assert error(one(phrases=[])) == f"{PATH}: tag 'Graph learning': 'phrases' must list at least one phrase"
    load_taxonomy(one(phrases=None, weak=["graph"]), PATH)  # weak words alone are a rule set


@pytest.mark.parametrize("key", ["phrases", "weak", "title_only", "exclude"])
def test_malformed_regex_names_file_tag_and_key(key):
    message = error(one(**{key: ["re:(unclosed"], **({} if key == "phrases" else {"phrases": ["x"]})}))
    assert message.startswith(f"{PATH}: tag 'Graph learning': malformed regex 're:(unclosed' in '{key}'")


def test_regex_that_matches_empty_text_is_an_error():
    assert "matches empty text" in error(one(phrases=["re:a*"]))


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"description": ""}, "'description' must be a non-empty string"),
        ({"phrases": "graph"}, "'phrases' must be a list of non-empty strings"),
        ({"phrases": ["ok", ""]}, "'phrases' must be a list of non-empty strings"),
        ({"slug": "Not A Slug"}, "must be lowercase ASCII words"),
        ({"slug": "index"}, "is reserved"),
        ({"slug": "filter"}, "is reserved"),
    ],
)
def test_other_shape_errors_name_the_tag(fields, fragment):
    message = error(one(**fields))
    assert message.startswith(f"{PATH}: tag 'Graph learning': ") and fragment in message


def test_unnamed_tag_is_named_by_position():
    assert error({"tags": ["just a string"]}).startswith(f"{PATH}: tag #1: expected a mapping")


def test_real_taxonomy_is_well_formed():
    # The frozen copy of corpus/tags.yml: the owner's live file is checked by `make check-corpus`.
    real = ROOT / "tests" / "fixtures" / "embedded" / "tags.yml"
    tags = load_taxonomy(yaml.safe_load(real.read_text(encoding="utf-8")), PATH)
    assert 25 <= len(tags) <= 60
    assert {t.group for t in tags} == set(
        ("Optimization", "Theory", "Models", "Learning settings", "Efficiency", "Trustworthy ML", "Applications")
    )
    for tag in tags:
        assert tag.description.endswith(".") and tag.description.count(". ") == 0, tag.name  # one sentence
        assert tag.phrases, f"{tag.name}: needs at least one phrase that can give it alone"
