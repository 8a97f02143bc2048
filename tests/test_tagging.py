"""Tag matching on literal strings, and the quality of the real taxonomy against hand-decided tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Options, make_catalogue
from generator.models import Paper, Tag
from generator.tagging import MAX_TAGS, compile_tag, match_tag, phrase_pattern, tag_paper

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"  # frozen copy of corpus/


def finds(phrase: str, text: str) -> bool:
    return phrase_pattern(phrase).search(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "fine-tuning",
        "fine tuning",
        "finetuning",
        "Fine-Tuning",
        "FINE-TUNING",
        "during fine-tunings of",
        "(finetuning)",
    ],
)
def test_hyphen_space_and_closed_variants_match(text):
    assert finds("fine-tuning", text)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("diffusion model", "Diffusion Models beat GANs"),
        ("loss landscape", "loss landscapes of networks"),
        ("entropy", "several entropies"),
        ("quantization", "post-training quantisation"),
        ("optimizer", "adaptive optimisers"),
        ("GAN", "a GAN generator"),
        ("GAN", "two GANs"),
        ("GAN", "GAN-based synthesis"),
        ("RL", "deep RL agents"),
        ("RL", "model-based RL."),
        ("re:Schr(ö|o)dinger bridges?", "Light Schrodinger Bridge"),
    ],
)
def test_plural_spelling_and_acronym_variants_match(phrase, text):
    assert finds(phrase, text)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("GAN", "organ transplant"),
        ("GAN", "the organism began"),
        ("GAN", "gan"),  # acronyms are case-sensitive
        ("RL", "a URL to the code"),
        ("RL", "CURL and URLs"),
        ("RL", "non-RL baselines"),  # glued to a hyphenated prefix: another word
        ("Adam", "Adamant"),
        ("PDE", "PDEF"),
        ("graph", "paragraph"),
        ("graph", "graphene"),
        ("pruning", "data-pruning"),
    ],
)
def test_never_inside_another_word(phrase, text):
    assert not finds(phrase, text)


def tag(slug="t", phrases=(), weak=(), title_only=(), exclude=()) -> Tag:
    return Tag(slug, slug.title(), "A tag.", "Methods", tuple(phrases), tuple(exclude), tuple(weak), tuple(title_only))


def paper(title: str, abstract: str, key: str = "k") -> Paper:
    return Paper(key, title, abstract, ())


def test_phrase_in_title_gives_the_tag_with_its_explanation():
    m = match_tag(compile_tag(tag(phrases=["quantization"])), "Low-bit Quantization of ViTs", "We study things.")
    assert m is not None and (m.tag, m.phrase, m.field) == ("t", "Quantization", "title")


def test_a_passing_mention_in_the_abstract_is_not_enough():
    c = compile_tag(tag(phrases=["quantization"]))
    assert match_tag(c, "A Title", "Unlike quantization, we prune.") is None
    m = match_tag(c, "A Title", "We study quantization. Our quantization scheme is new.")
    assert m is not None and (m.phrase, m.field) == ("quantization", "abstract")


def test_title_counts_more_than_the_abstract():
    c = compile_tag(tag(phrases=["pruning"]))
    in_title = match_tag(c, "Pruning Networks", "Nothing else.")
    assert in_title is not None and in_title.field == "title"
    assert match_tag(c, "Networks", "Pruning is good.") is None  # the same single mention, in the abstract


def test_weak_words_only_support():
    c = compile_tag(tag(phrases=["image classification"], weak=["image"]))
    assert match_tag(c, "A Title", "An image here.") is None
    assert match_tag(c, "A Title", "image one, image two, image three") is not None  # three weak mentions
    assert match_tag(c, "A Title", "Image classification with image priors.") is not None  # phrase + support


def test_title_only_words_count_nothing_in_the_abstract():
    c = compile_tag(tag(phrases=["graph neural network"], title_only=["graph"]))
    assert match_tag(c, "A Title", "graph graph graph graph") is None
    m = match_tag(c, "Graph Solvers", "A graph neural network solver.")
    assert m is not None and m.field == "title"


def test_exclusions_blank_text_instead_of_vetoing_the_tag():
    c = compile_tag(tag(phrases=["diffusion"], exclude=["anisotropic diffusion"]))
    assert match_tag(c, "Anisotropic Diffusion for Image Fusion", "Anisotropic diffusion again.") is None
    m = match_tag(c, "Anisotropic Diffusion Meets Diffusion", "x")
    assert m is not None and m.phrase == "Diffusion"


def test_a_phrase_with_its_acronym_counts_once():
    c = compile_tag(tag(phrases=["neural tangent kernel", "NTK"]))
    assert match_tag(c, "A Title", "It relies on the neural tangent kernel (NTK) of a wide net.") is None
    assert match_tag(c, "A Title", "The neural tangent kernel (NTK) ... the NTK again.") is not None


def test_tags_are_ordered_strongest_first_and_capped():
    tags = tuple(tag(f"t{i}", phrases=[f"word{i}"]) for i in range(MAX_TAGS + 2))
    compiled = tuple(compile_tag(t) for t in tags)
    abstract = " ".join(f"word{i} " * (i + 2) for i in range(MAX_TAGS + 2))
    matches = tag_paper(compiled, paper("A Title", abstract))
    assert len(matches) == MAX_TAGS
    assert [m.tag for m in matches] == [f"t{i}" for i in range(MAX_TAGS + 1, 1, -1)]


def test_slam_in_language_models_is_not_robot_slam():
    """The failure the issue names: a keyword list filed a language-model paper under robot SLAM."""
    robotics = tag("slam", phrases=["SLAM", "simultaneous localization and mapping"], exclude=["re:SLAM(?=:)"])
    c = compile_tag(robotics)
    assert match_tag(c, "SLAM: Structural Linguistic Activation Marking for Language Models", "We mark LLMs.") is None
    assert match_tag(c, "Visual SLAM in the Wild", "A SLAM system.") is not None


# ---------------------------------------------------------------- the real taxonomy


@pytest.fixture(scope="module")
def real():
    """The embedded corpus through the pipeline up to tags (no site build)."""
    return make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")).catalogue


def test_text_whose_lowercase_changes_length_still_matches():
    """The fast path searches lowercased text; 'İ' lowercases to two characters, so it must fall back."""
    c = compile_tag(tag(phrases=["quantization"]))
    m = match_tag(c, "İstanbul Quantization Study", "İ quantization, İ quantization.")
    assert m is not None and m.phrase == "Quantization" and m.field == "title"
