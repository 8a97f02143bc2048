"""The faster related.py (branch related7) against main's, held in tests/related_reference.py: the same
TF-IDF matrix, candidate pairs and pair scores bit for bit, so the same related lists for every paper.

A float change in the last bits could reorder tied scores, so equality here is of bytes, not of values
within a tolerance. The corpora are the frozen embedded corpus (tests/fixtures/tag_eval) and synthetic
ones shaped like bench/bench_related.py's (topic words over a shared vocabulary, with hyphens, digits
and non-ASCII characters in the text), wide enough for pair_products' compact blocks.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
import yaml

from generator import related
from generator.related import WORD, paper_text
from tests import related_reference as reference

EVAL = Path(__file__).resolve().parent / "fixtures" / "tag_eval"
ODD = ["3d-vision", "x--y", "a-", "-b2b-", "42", "İstanbul", "Kelvin", "naïve", "co-training", "l2-norm", "ß", "a\x00b"]


def embedded() -> list[tuple[str, str]]:
    docs = []
    for name in ("corpus", "corpus-rest"):
        for p in yaml.safe_load((EVAL / f"{name}.yml").read_text(encoding="utf-8"))["papers"]:
            docs.append((p["slug"], paper_text(p["title"], p["abstract"])))
    return sorted(docs)


def synthetic(n: int, seed: int) -> list[tuple[str, str]]:
    """n papers over 60 topics of 30 words each, a 3,000-word general vocabulary, filler and odd tokens."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))

    general = [word() for _ in range(3000)]
    topics = [[word() for _ in range(30)] for _ in range(60)]
    filler = ["the", "of", "and", "we", "networks", "studies", "model", "noise", "is", "a"] + ODD
    docs = []
    for i in range(n):
        topic = topics[rng.randrange(len(topics))]
        pool = [topic, general, filler]
        text = [rng.choice(pool[min(2, int(rng.random() * 3.3))]) for _ in range(rng.randint(0, 120))]
        docs.append((f"p-{i:05d}", paper_text(" ".join(text[:9]).title(), " ".join(text) + rng.choice(".,;: ()"))))
    return docs


def same_bits(a: sp.csr_matrix, b: sp.csr_matrix) -> bool:
    return a.shape == b.shape and all(
        x.dtype == y.dtype and x.tobytes() == y.tobytes()
        for x, y in ((a.indptr, b.indptr), (a.indices, b.indices), (a.data, b.data))
    )


def test_words_are_the_matches_of_the_regular_expression():
    rng = random.Random(16)
    alphabet = "abcxyz0129-- \n\t.,;()'\"_/+İKßéñ\x00\u2013\u00a0ABZ"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    texts += ODD + [" ".join(ODD), "", "-", "a", "ab", "a1", "1a", "a-1", "--ab--", "ab--cd-"]
    for text in texts:
        runs = text.lower().encode("ascii", "replace").translate(related.SPACES).split()
        found = [word for word in map(related.word_of, runs) if word]
        assert found == WORD.findall(text.lower()), repr(text)


@pytest.mark.parametrize("docs", [embedded(), synthetic(1500, 1)], ids=["embedded", "synthetic"])
def test_tfidf_is_mains_bit_for_bit(docs):
    texts = [text for _, text in docs]
    assert same_bits(related.tfidf(texts), reference.tfidf(texts))


@pytest.mark.parametrize("scratch", [10**7, 1_000_000, 3000, 1])  # one block, blocks of rows, compact blocks
def test_pair_products_are_mains_bit_for_bit(monkeypatch, scratch):
    monkeypatch.setattr(related, "DENSE_SCRATCH", scratch)
    monkeypatch.setattr(reference, "DENSE_SCRATCH", scratch)
    docs = synthetic(1500, 2)
    matrix = related.keep_largest(related.tfidf([text for _, text in docs]), related.TERMS_PER_PAPER)
    first, second = related.candidate_pairs(related.keep_largest(matrix.copy(), related.INDEX_TERMS), 16)
    rng = np.random.default_rng(3)  # and pairs of no shared term, a row with itself, empty rows
    more = rng.integers(0, len(docs), (2, 5000))
    first, second = np.concatenate([first, more[0]]), np.concatenate([second, more[1]])
    order = np.argsort(first, kind="stable")
    first, second = first[order], second[order]
    want = reference.pair_products(matrix, first, second)
    assert related.pair_products(matrix, first, second).tobytes() == want.tobytes()


@pytest.mark.parametrize("cap", [2, 16, 200])
def test_candidate_pairs_are_mains(cap):
    docs = synthetic(800, 4)
    keys = related.keep_largest(related.tfidf([text for _, text in docs]), related.INDEX_TERMS)
    ours, theirs = related.candidate_pairs(keys.copy(), cap), reference.candidate_pairs(keys.copy(), cap)
    assert all(a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))


@pytest.mark.parametrize(
    "docs", [embedded(), synthetic(3000, 5), synthetic(40, 6)[:2]], ids=["embedded", "synthetic", "two"]
)
def test_related_lists_are_mains(docs):
    assert related.related_papers(docs) == reference.related_papers(docs)


def test_related_papers_runs_on_ordinary_pages_and_puts_the_setting_back(monkeypatch):
    from numpy._core.multiarray import _get_madvise_hugepage, _set_madvise_hugepage

    seen = []
    real = related.tfidf

    def spy(texts):
        seen.append(_get_madvise_hugepage())
        return real(texts)

    monkeypatch.setattr(related, "tfidf", spy)
    before = _set_madvise_hugepage(True)
    try:
        related.related_papers(synthetic(50, 7))
        assert seen == [False]
        assert _get_madvise_hugepage() is True
    finally:
        _set_madvise_hugepage(before)


def test_tfidf_of_empty_texts_and_of_terms_too_wide_to_pack(monkeypatch):
    for texts in ([""], ["", "the of"], ["", "alpha beta", "beta gamma"]):
        assert same_bits(related.tfidf(texts), reference.tfidf(texts)), texts
    texts = [text for _, text in synthetic(300, 8)]
    monkeypatch.setattr(related, "PACKED_BITS", 20)  # (term, paper) sorted by lexsort, not packed
    assert same_bits(related.tfidf(texts), reference.tfidf(texts))


def test_related_lists_when_nothing_fits_packed(monkeypatch):
    docs = synthetic(600, 9)
    want = reference.related_papers(docs)
    monkeypatch.setattr(related, "PACKED_BITS", 20)  # the lexsorts of main, for an index too wide to pack
    assert related.related_papers(docs) == want
