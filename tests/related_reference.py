"""The related papers of main at ed40af9 (generator/related.py before the speed-up of branch related7),
kept as the reference the fast path is held to, bit for bit (tests/test_related_fast.py).

Copied: related_papers, candidate_pairs, pair_products, tfidf (WORD.findall over the lowered text, a memo
of folded words, np.unique, the sparse products of unit_rows) and the helpers they call; only the word lists
and the constants are the generator's."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from generator.related import (
    DF_STEPS,
    GENERIC_WORDS,
    INDEX_TERMS,
    MAX_DF,
    MIN_DF_CAP,
    MIN_SCORE,
    POSTINGS_BUDGET,
    POSTINGS_CAP,
    SIZE_STEPS,
    STOP_WORDS,
    TERMS_PER_PAPER,
    TOP,
    WORD,
)

DENSE_SCRATCH = 1_000_000


def related_papers(
    docs: list[tuple[str, str]], top: int = TOP, min_score: float = MIN_SCORE
) -> dict[str, tuple[str, ...]]:
    """[(slug, text)] -> {slug: up to `top` slugs of the most similar papers, best first}.

    Not all pairs are scored: candidates come from an inverted index over each paper's
    strongest terms with capped postings (`candidate_pairs`), then every candidate pair is
    scored exactly (TF-IDF cosine). The work grows with the number of papers times
    the postings cap, not with its square."""
    result: dict[str, tuple[str, ...]] = {slug: () for slug, _ in docs}
    if len(docs) < 2:
        return result
    # Papers in slug order: every tie (postings, ranking) is broken by slug, whatever the input order.
    docs = sorted(docs)
    slugs = [slug for slug, _ in docs]
    matrix = tfidf([text for _, text in docs])
    # Each paper's TERMS_PER_PAPER strongest terms only: the sparse products cost far less, and the
    # judged precision holds. Not re-normalised: a row's length is its own, whatever the others hold.
    pruned = keep_largest(matrix.copy(), TERMS_PER_PAPER)
    first, second = candidate_pairs(keep_largest(pruned.copy(), INDEX_TERMS), postings_cap(len(slugs)))
    scores = pair_products(pruned, first, second)
    # Rounded scores: float noise in the last bits must not reorder ties.
    scores = np.round(scores, 6)
    kept = scores >= min_score
    source = np.concatenate([first[kept], second[kept]])
    other = np.concatenate([second[kept], first[kept]])
    scores = np.concatenate([scores[kept], scores[kept]])
    # Best first within each paper; ties broken by slug.
    ranked = np.lexsort((other, -scores, source))
    source, other = source[ranked], other[ranked]
    place = np.arange(len(source)) - np.searchsorted(source, source)
    shown = place < top
    source, other = source[shown], other[shown]
    bounds = np.searchsorted(source, np.arange(len(slugs) + 1))
    for i, slug in enumerate(slugs):
        result[slug] = tuple(slugs[j] for j in other[bounds[i] : bounds[i + 1]])
    return result


def candidate_pairs(keys: sp.csr_matrix, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) worth scoring: papers that both sit in the postings of one key (a column of
    `keys`), each key's postings cut to the `cap` papers where it weighs most (ties: lower row
    first). The work is at most `cap` times the index's entries, so it grows linearly with the
    corpus; a key of fewer than `cap` papers links all of them."""
    index = keep_largest(keys.tocsc(), cap)
    index.data[:] = 1.0
    linked = sp.triu(sp.csr_matrix(index) @ sp.csr_matrix(index.T), k=1).tocoo()
    order = np.lexsort((linked.col, linked.row))
    return linked.row[order].astype(np.int64), linked.col[order].astype(np.int64)


def pair_products(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Dot products of rows first[k] and second[k] of a sparse matrix, exactly; `first` ascending.

    A few rows at a time are spread into a dense scratch block; each pair then reads its
    second row's entries against it, so a pair costs one pass over one sparse row. Each sum runs
    over the second row's entries in their stored order (a term's order), one by one (bincount):
    the same two rows give the same bits whichever is first and however the rows are blocked. The
    scratch block is small (DENSE_SCRATCH entries) so that it stays in the cache."""
    n, width = matrix.shape
    out = np.zeros(len(first))
    if not len(first):
        return out
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    rows = min(256, DENSE_SCRATCH // max(1, width))
    # A wide matrix (a large corpus) would leave a row or two per block: then each block's columns are
    # numbered anew (0: none of them), so that a block of 32 rows fits the scratch block.
    compact = rows < 16
    rows = 32 if compact else max(1, rows)
    local = np.zeros(width if compact else 0, dtype=np.int64)
    scratch = np.zeros(0 if compact else rows * width)
    bounds = np.searchsorted(first, np.arange(0, n + rows, rows))
    for block, start in enumerate(range(0, n, rows)):
        lo, hi = bounds[block], bounds[block + 1]
        if lo == hi:
            continue
        stop = min(start + rows, n)
        a, b = indptr[start], indptr[stop]
        columns, step = indices[a:b], width
        if compact:
            used = np.unique(columns)
            local[used] = np.arange(1, len(used) + 1)
            columns, step = local[columns], len(used) + 1
            scratch = np.zeros((stop - start) * step)
        spread = np.repeat(np.arange(stop - start) * step, np.diff(indptr[start : stop + 1])) + columns
        scratch[spread] = data[a:b]
        others = matrix[second[lo:hi]]  # the second rows' entries, gathered in one pass
        lengths = np.diff(others.indptr)
        at = np.repeat((first[lo:hi] - start) * step, lengths)
        at += local[others.indices] if compact else others.indices
        values = scratch[at]
        values *= others.data
        out[lo:hi] = np.bincount(np.repeat(np.arange(hi - lo), lengths), weights=values, minlength=hi - lo)
        if compact:
            local[used] = 0
        else:
            scratch[spread] = 0.0
    return out


def tfidf(texts: list[str]) -> sp.csr_matrix:
    """Sublinear TF-IDF rows over the topic-bearing terms of each text (its non-generic words and
    every pair of adjacent words), L2-normalised over all of them. Then terms in one paper only or in over MAX_DF of them
    are left out (they tell no topic apart), which also keeps the matrix narrow.

    Words become numbers once (a memo: most words repeat) and word pairs are formed in numpy,
    never as strings. Columns follow the words' alphabetical order, so the matrix does not
    depend on the order of the texts."""
    ids: dict[str, int] = {}

    class Lookup(dict):
        def __missing__(self, raw: str) -> int:
            word = fold(raw)
            self[raw] = number = ids.setdefault(word, len(ids)) if word else -1
            return number

    get = Lookup().__getitem__
    flat: list[int] = []
    lengths = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        before = len(flat)
        flat.extend(map(get, WORD.findall(text.lower())))
        lengths[i] = len(flat) - before
    words = np.array(flat, dtype=np.int64)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    kept = words >= 0
    words, doc = words[kept], doc[kept]
    # Word numbers in alphabetical order: columns (words, then word pairs) follow it, so the matrix
    # and every tie broken by column do not depend on the order of the texts.
    names = sorted(ids)
    alphabetical = np.empty(len(ids), dtype=np.int64)
    alphabetical[np.array([ids[name] for name in names], dtype=np.int64)] = np.arange(len(ids))
    words = alphabetical[words] if len(words) else words
    generic = np.array([name in GENERIC_WORDS for name in names], dtype=bool)
    width = max(1, len(ids))
    single = ~generic[words]
    paired = doc[:-1] == doc[1:]
    keys = np.concatenate([words[single], width + words[:-1][paired] * width + words[1:][paired]])
    rows = np.concatenate([doc[single], doc[:-1][paired]])
    vocab, columns = np.unique(keys, return_inverse=True)
    columns = columns.ravel()
    n = stepped(len(texts), SIZE_STEPS)
    counts = sp.csr_matrix((np.ones(len(keys)), (rows, columns)), shape=(len(texts), len(vocab)))
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(vocab))
    idf = np.log((1 + n) / (1 + stepped(df, DF_STEPS))) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    # Each row's length counts all its terms, so it changes only when its own terms' weights do.
    counts = unit_rows(counts)
    # In a small corpus every topic word is in a large share of the papers: the cap starts at MIN_DF_CAP.
    kept = np.flatnonzero((df >= 2) & (df <= max(MAX_DF * n, MIN_DF_CAP)))
    return sp.csr_matrix(counts[:, kept])


def postings_cap(n: int) -> int:
    """Papers kept in each term's postings: every paper up to a total budget, then POSTINGS_CAP."""
    return max(POSTINGS_CAP, POSTINGS_BUDGET // n)


def fold(word: str) -> str:
    """A lowercase word with its plural folded to the singular ("networks" -> "network",
    "studies" -> "study"); "" for a stop word."""
    if word in STOP_WORDS:
        return ""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def stepped(x, steps: int):
    """`x` (>= 1) rounded on a log scale to `steps` steps per doubling: a statistic that moves only
    when it has grown by a good part, not with every paper added."""
    return np.exp2(np.round(np.log2(np.maximum(x, 1)) * steps) / steps)


def keep_largest(matrix: sp.csr_matrix | sp.csc_matrix, keep: int):
    """`matrix` (changed in place) with only the `keep` largest entries of each compressed row or column
    (ties: lower index first)."""
    indptr, data = matrix.indptr, matrix.data
    for i in np.flatnonzero(np.diff(indptr) > keep):
        a, b = indptr[i], indptr[i + 1]
        order = np.lexsort((matrix.indices[a:b], -data[a:b]))
        data[a + order[keep:]] = 0.0
    matrix.eliminate_zeros()
    return matrix


def unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Each row scaled to length 1 (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
