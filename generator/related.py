"""The most related papers of each paper: TF-IDF cosine similarity over title and abstract.

Only the text decides: which listing a paper came from plays no part, so two
papers that share a listing but not a topic are not related. Ties are broken by
slug and scores are rounded before ranking, so the answer is the same on every
run and machine.

Built on numpy and scipy.sparse rather than a text-mining library: tokenising
with str.translate + split and counting with sparse matrices keeps 10,000 papers
to a couple of seconds (bench/bench_related.py).
"""

from __future__ import annotations

import re
import string
from itertools import chain

import numpy as np
import scipy.sparse as sp

TOP = 5
# Below this cosine two papers share only a word or two of vocabulary; showing
# fewer related papers is more honest than showing unrelated ones.
MIN_SCORE = 0.05
# Each paper keeps only its most distinctive terms: less noise from words it
# merely mentions, and a much cheaper similarity product.
TERMS_PER_PAPER = 40
BLOCK = 1024  # rows of the similarity matrix computed at a time (bounded memory)
MAX_DF = 0.5  # a word in half the papers says nothing about topic

PUNCTUATION = str.maketrans({c: " " for c in string.punctuation if c != "-"})
WORD = re.compile(r"[^\W\d_][\w-]*[^\W_]")
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "paper",
        "propose",
        "proposed",
        "show",
        "shows",
        "results",
        "method",
        "methods",
        "approach",
        "approaches",
        "new",
        "using",
        "use",
        "used",
        "based",
        "work",
        "existing",
    ]
)


def related_papers(
    docs: list[tuple[str, str]], top: int = TOP, min_score: float = MIN_SCORE
) -> dict[str, tuple[str, ...]]:
    """[(slug, text)] -> {slug: up to `top` slugs of the most similar papers, best first}."""
    slugs = [slug for slug, _ in docs]
    if len(docs) < 2:
        return {slug: () for slug in slugs}
    matrix = tfidf([text for _, text in docs])
    # Rank of each slug in sorted order: the deterministic tie-break.
    order = np.empty(len(slugs), dtype=np.int64)
    order[np.array(sorted(range(len(slugs)), key=slugs.__getitem__), dtype=np.int64)] = np.arange(len(slugs))
    transposed = matrix.T.tocsr()
    result: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(slugs), BLOCK):
        block = sp.csr_matrix(matrix[start : start + BLOCK] @ transposed)
        # Rounded scores: float noise in the last bits must not reorder ties.
        block.data = np.round(block.data.astype(np.float64), 6)
        block.data[block.data < min_score] = 0.0
        block.eliminate_zeros()
        for offset in range(block.shape[0]):
            i = start + offset
            a, b = block.indptr[offset], block.indptr[offset + 1]
            candidates, scores = block.indices[a:b], block.data[a:b]
            mine = candidates != i
            candidates, scores = candidates[mine], scores[mine]
            ranked = candidates[np.lexsort((order[candidates], -scores))][:top]
            result[slugs[i]] = tuple(slugs[j] for j in ranked)
    return result


def tokens(text: str) -> list[str]:
    return text.lower().translate(PUNCTUATION).split()


def tfidf(texts: list[str]) -> sp.csr_matrix:
    """Sublinear TF-IDF rows, pruned to each paper's top terms, L2-normalised."""
    per_doc = [tokens(t) for t in texts]
    flat = list(chain.from_iterable(per_doc))
    vocab = {w: i for i, w in enumerate(sorted(set(flat)))}
    words = sorted(vocab, key=vocab.__getitem__)
    valid = np.fromiter(
        (w not in STOP_WORDS and WORD.fullmatch(w) is not None for w in words), dtype=bool, count=len(words)
    )
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(texts)), [len(d) for d in per_doc])
    mask = valid[ids] if len(words) else np.zeros(0, dtype=bool)
    counts = sp.csr_matrix(
        (np.ones(int(mask.sum()), dtype=np.float32), (rows[mask], ids[mask])), shape=(len(texts), len(words))
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(words))
    n = len(texts)
    idf = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
    idf[df > MAX_DF * n] = 0.0  # too common to tell topics apart
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    prune_rows(counts, TERMS_PER_PAPER)
    counts.eliminate_zeros()
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms.astype(np.float32)) @ counts)


def prune_rows(matrix: sp.csr_matrix, keep: int) -> None:
    """Zero all but the `keep` largest entries of each row (ties: lower column first)."""
    indptr, data = matrix.indptr, matrix.data
    for i in np.flatnonzero(np.diff(indptr) > keep):
        a, b = indptr[i], indptr[i + 1]
        order = np.lexsort((matrix.indices[a:b], -data[a:b]))
        data[a + order[keep:]] = 0.0


def paper_text(title: str, abstract: str) -> str:
    """What similarity is computed on: the title counts twice, being the densest description."""
    return f"{title}\n{title}\n{abstract}"
