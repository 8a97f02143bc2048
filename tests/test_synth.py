"""bench/synth.py: deterministic synthetic listings that the generator reads back exactly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import synth
from generator.build import Options, make_catalogue
from generator.parse import parse_listing
from tests.sitebuild import ROOT

N = 600


EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"  # frozen copy of corpus/
TAGS = EMBEDDED / "tags.yml"


@pytest.fixture(scope="module", autouse=True)
def frozen_training():
    """Learn from the frozen copy of the corpus, not the owner's live corpus/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(synth, "TRAINING", EMBEDDED / "sources")
        synth.training_text.cache_clear()
        yield
    synth.training_text.cache_clear()


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return synth.synthesize(N, seed=7, tags_file=TAGS)


def test_same_seed_and_n_give_the_same_bytes(corpus):
    assert synth.synthesize(N, seed=7, tags_file=TAGS) == corpus


def test_another_seed_gives_other_papers(corpus):
    other = synth.synthesize(N, seed=8, tags_file=TAGS)
    assert set(other.values()).isdisjoint(corpus.values())


def test_reads_back_to_the_expected_counts(corpus, tmp_path: Path):
    synth.write(tmp_path, corpus)
    # The real taxonomy without the embedded corpus's overrides (they name its papers).
    result = make_catalogue(Options(sources=tmp_path, tags=TAGS, overrides=Path(os.devnull)))
    papers, entries = synth.expected_counts(N)
    assert (len(result.catalogue.papers), result.entries) == (papers, entries)
    assert len(result.merges) == entries - papers == round(0.12 * N)
    assert result.skipped == 0 and not result.warnings, result.warnings[:3]
    # Some repeats carry a revised abstract, like real re-listings.
    assert 0 < sum(not m.same_abstract for m in result.merges) < len(result.merges) // 4
    tagged = [p for p in result.catalogue.papers if result.catalogue.matches[p.key]]
    assert len(tagged) >= 0.95 * N
    # Realistic abstract lengths: about 1.3 KB on average, all inside the real 320-1,920 range.
    lengths = [len(p.abstract) for p in result.catalogue.papers]
    assert 1100 <= sum(lengths) / len(lengths) <= 1500
    assert min(lengths) > 320


def test_both_real_layouts_occur(corpus):
    texts = list(corpus.values())
    compact = [t for t in texts if "\nSubscribe" in t and "\n\n" not in t]
    blank = [t for t in texts if t.startswith("new\n\nGet trending papers")]
    assert compact and blank
    entries, problems = parse_listing("compact.txt", compact[0])
    assert len(entries) == synth.ENTRIES_PER_FILE and not problems
    assert entries[0].provenance.date is None


def test_cli_writes_the_files(tmp_path: Path, capsys):
    assert synth.main(["--n", "30", "--seed", "1", "--out", str(tmp_path), "--tags", str(TAGS)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == sorted(synth.synthesize(30, 1, tags_file=TAGS))
    assert "34 entries, 30 unique papers" in capsys.readouterr().out
