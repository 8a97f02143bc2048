"""pair_products: exact dot products, the same bits whatever the block layout (wide matrices renumber each
block's columns) and whichever row of a pair comes first: ties in the related lists break the same way."""

from __future__ import annotations

import random

import numpy as np
import scipy.sparse as sp

from generator import related

WORDS = [f"w{i}" for i in range(400)]


def corpus_matrix(seed: int, papers: int) -> sp.csr_matrix:
    rng = random.Random(seed)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))) for _ in range(papers)]
    return related.keep_largest(related.tfidf(texts), related.TERMS_PER_PAPER)


def all_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    first, second = np.triu_indices(n, k=1)
    return first.astype(np.int64), second.astype(np.int64)


def test_pair_products_are_the_dot_products():
    matrix = corpus_matrix(3, 70)
    first, second = all_pairs(70)
    dense = matrix.toarray()
    assert np.allclose(related.pair_products(matrix, first, second), (dense[first] * dense[second]).sum(axis=1))


def test_pair_products_give_the_same_bits_on_every_block_layout_and_either_way_round(monkeypatch):
    matrix = corpus_matrix(11, 90)
    first, second = all_pairs(90)
    want = related.pair_products(matrix, first, second)
    width = matrix.shape[1]
    assert width > 32
    for scratch in (1, width * 3, width * 20, 10**7):  # compact blocks of 32 rows, blocks of 3 and 20 rows, one
        monkeypatch.setattr(related, "DENSE_SCRATCH", scratch)
        assert np.array_equal(related.pair_products(matrix, first, second), want), scratch
    order = np.argsort(second, kind="stable")
    assert np.array_equal(related.pair_products(matrix, second[order], first[order]), want[order])


def test_pair_products_of_no_pairs():
    matrix = corpus_matrix(5, 10)
    empty = np.zeros(0, dtype=np.int64)
    assert related.pair_products(matrix, empty, empty).shape == (0,)
