"""Related papers without the all-pairs product: bounded candidate pairs, exact scores, same TF-IDF.

generator/related.py scores only the pairs an inverted index proposes (each paper's strongest
terms, postings capped). These tests hold the pieces to their promises: the number of scored
pairs grows linearly when every paper shares the same words, the pair scores equal a
brute-force computation, and the TF-IDF matrix equals a plain string-based one (same columns in
the same order).
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
import scipy.sparse as sp

import generator.related as related
from generator.related import (
    GENERIC_WORDS,
    MAX_DF,
    MIN_DF_CAP,
    STOP_WORDS,
    candidate_pairs,
    pair_products,
    paper_text,
    related_papers,
    stepped,
    tfidf,
    unit_rows,
)


def crowded_corpus(n: int, seed: int = 3) -> list[tuple[str, str]]:
    """n papers on one topic: every paper shares most of a 40-word vocabulary with every other."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghij") for _ in range(7)) for _ in range(40)]
    docs = []
    for i in range(n):
        words = [rng.choice(vocab) for _ in range(60)]
        docs.append((f"p{i:05d}", paper_text(" ".join(words[:8]), " ".join(words))))
    return docs


def scored_pairs(monkeypatch, docs) -> int:
    seen = []
    real = related.pair_products

    def spy(matrix, first, second):
        seen.append(len(first))
        return real(matrix, first, second)

    monkeypatch.setattr(related, "pair_products", spy)
    related_papers(docs)
    return sum(seen)


def test_scored_pairs_grow_linearly_when_every_paper_shares_every_word(monkeypatch):
    """All-pairs scoring would score n(n-1)/2 pairs (4.5 million at 3,000); the capped index
    scores at most cap / 2 pairs per index entry, so 3,000 papers cost about three times 1,000."""
    small = scored_pairs(monkeypatch, crowded_corpus(1000))
    large = scored_pairs(monkeypatch, crowded_corpus(3000))
    entries = 3000 * related.INDEX_TERMS
    assert large <= entries * related.postings_cap(3000) / 2
    assert large < 0.1 * 3000 * 2999 / 2
    assert large <= 4 * small


def test_candidate_pairs_keep_each_keys_postings_to_the_cap():
    keys = sp.csr_matrix(np.ones((50, 1)))  # one key shared by 50 papers
    first, second = candidate_pairs(keys, cap=5)
    assert len(first) == 5 * 4 // 2  # the 5 papers kept link pairwise, nobody else
    assert (first < second).all()
    weighted = sp.csr_matrix(np.arange(1.0, 51.0).reshape(50, 1))
    first, second = candidate_pairs(weighted, cap=3)
    assert set(first) | set(second) == {47, 48, 49}  # where the key weighs most


def test_pair_products_are_exact():
    rng = np.random.default_rng(7)
    matrix = sp.random(300, 2000, density=0.03, format="csr", random_state=rng)
    first = np.sort(rng.integers(0, 300, 5000))
    second = rng.integers(0, 300, 5000)
    dense = matrix.toarray()
    expected = np.einsum("ij,ij->i", dense[first], dense[second])
    np.testing.assert_allclose(pair_products(matrix, first, second), expected, rtol=1e-12, atol=1e-15)


def test_pair_products_with_a_small_scratch_block(monkeypatch):
    monkeypatch.setattr(related, "DENSE_SCRATCH", 1)  # one row at a time
    rng = np.random.default_rng(8)
    matrix = sp.random(40, 300, density=0.1, format="csr", random_state=rng)
    first, second = np.sort(rng.integers(0, 40, 400)), rng.integers(0, 40, 400)
    dense = matrix.toarray()
    expected = np.einsum("ij,ij->i", dense[first], dense[second])
    np.testing.assert_allclose(pair_products(matrix, first, second), expected, rtol=1e-12, atol=1e-15)


def reference_tfidf(texts: list[str]) -> sp.csr_matrix:
    """The string-based TF-IDF (terms as strings; columns: the words alphabetically, then the word pairs)."""
    word = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]")

    def tokens(text):
        out = []
        for w in word.findall(text.lower()):
            if w in STOP_WORDS:
                continue
            if w.endswith("ies") and len(w) > 4:
                w = w[:-3] + "y"
            elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
                w = w[:-1]
            out.append(w)
        return out

    per_doc = []
    for text in texts:
        words = tokens(text)
        pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        per_doc.append([w for w in words if w not in GENERIC_WORDS] + pairs)
    # Columns: the words in alphabetical order, then the word pairs in order of (first, second) word.
    names = sorted({t for terms in per_doc for t in terms}, key=lambda t: (" " in t, t.split(" ")))
    vocab = {t: i for i, t in enumerate(names)}
    rows, cols = [], []
    for i, terms in enumerate(per_doc):
        for t in terms:
            rows.append(i)
            cols.append(vocab[t])
    n = len(texts)
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(vocab)))
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(vocab))
    size = 2 ** (round(2 * np.log2(n)) / 2)  # corpus size in half-doublings, df in doublings
    idf = np.log((1 + size) / (1 + 2.0 ** np.round(np.log2(df)))) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    counts = unit_rows(counts)  # each row's length over all its terms, before the rare and common go
    kept = np.flatnonzero((df >= 2) & (df <= max(MAX_DF * size, MIN_DF_CAP)))
    return sp.csr_matrix(counts[:, kept])


def test_stepped_moves_only_in_steps():
    assert list(stepped(np.array([1, 2, 3, 5, 6, 11, 12]), 1)) == [1, 2, 4, 4, 8, 8, 16]
    assert stepped(368, 2) == stepped(371, 2)


@pytest.mark.parametrize("n", [2, 30, 400])
def test_tfidf_equals_the_string_based_one_column_for_column(n):
    rng = random.Random(n)
    words = ["network", "networks", "studies", "study", "the", "of", "noise", "model", "glass", "graph", "graphs"]
    words += ["".join(rng.choice("klmnop") for _ in range(5)) for _ in range(60)]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(n)]
    texts[0] = ""  # an empty text too
    ours, reference = tfidf(texts), reference_tfidf(texts)
    assert ours.shape == reference.shape
    assert abs(ours - reference).max() == 0.0 if ours.nnz or reference.nnz else True


def test_same_answer_on_every_run():
    docs = crowded_corpus(600, seed=5)
    assert related_papers(docs) == related_papers(list(docs))
