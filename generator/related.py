"""The most related papers of each paper: TF-IDF over words and word pairs, with global
statistics that move only in steps, so that a new listing leaves most lists alone.

Chosen by measurement on blind judgements (tests/fixtures/tag_eval/related.yml,
`readinglist tags --gold`), tuned on the tune half: 44% of the related papers
shown were judged worth reading next at 3.15 per paper (test half: 41% at
3.05). The judges found only 16% of an 800-candidate pool worth reading next:
many papers of a small corpus have no close neighbour, so a list stops early
(MIN_SCORE) rather than show papers from other fields.

- word pairs ("neural collapse", "mirror descent") carry topic where single
  words do not;
- words that say nothing about topic in this field ("implicit", "noise",
  "invariant", "surrogate", "ensemble", "model") are dropped, and so are words
  in more than MAX_DF of the papers or in only one;
- stable lists (issue 16: every changed list rewrites a paper page): the corpus
  size and each term's document frequency enter the IDF only rounded on a log
  scale, and a paper's vector length counts all its own terms (also those in
  one paper only), so adding papers changes the vectors of the papers that
  share a term whose rounded frequency moved, and nothing else. An LSA blend
  (fitted to the whole corpus, it changed 339 of 368 lists when 3 papers were
  added) was dropped: its gain on the judged pool (4 points on the test half)
  was within the noise of 60 judged papers per half.

Not every pair is scored (that grew with the square of the corpus): an inverted
index over each paper's INDEX_TERMS strongest terms proposes candidates, each
term's postings cut to the papers where it weighs most (POSTINGS_CAP, or more
while the corpus is small), and every candidate pair is then scored exactly.
The work grows with the corpus times the cap.

Only the text decides: which listing a paper came from plays no part. Papers are
taken in slug order and columns in alphabetical order, scores are rounded before
ranking and ties are broken by slug, so the answer is the same on every run and
machine, whatever order the papers come in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import numpy as np
import scipy.sparse as sp

from generator import parallel

try:  # numpy >= 2
    from numpy._core.multiarray import _set_madvise_hugepage
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core.multiarray import _set_madvise_hugepage

TOP = 5
# Blended similarity below which a paper is not shown as related: fewer related
# papers is more honest than papers from another field.
MIN_SCORE = 0.0395
# Candidate pairs: each term's postings keep the POSTINGS_CAP papers where it weighs most, or more
# while the corpus is small (up to POSTINGS_BUDGET / papers): a small corpus is scored exactly.
POSTINGS_CAP = 16
POSTINGS_BUDGET = 64_000
INDEX_TERMS = 40  # each paper's strongest terms that go into the index
PARALLEL_PAIRS = 200_000  # fewer candidate pairs are scored in one process (see `products`)
DENSE_SCRATCH = 1_000_000  # entries of the scratch block pair_products spreads rows into (8 MB)
PACKED_BITS = 63  # several keys are sorted packed in one int64 while they fit
MAX_DF = 0.3  # a term in this share of the papers says nothing about topic
MIN_DF_CAP = 10
TERMS_PER_PAPER = 100
# Global statistics move in steps, so that a new listing leaves the weights of most papers alone:
# the corpus size in half-doublings, a term's document frequency in doublings.
SIZE_STEPS = 2
DF_STEPS = 1

WORD = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]")
# tfidf finds WORD's matches without it: every byte but [a-z0-9-] becomes a space (so does every non-ASCII
# character), the text is split, and each run is cut to its match (`word_of`); several times faster.
SPACES = bytes(c if c in b"abcdefghijklmnopqrstuvwxyz0123456789-" else ord(" ") for c in range(256))
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


# Words common in abstracts of every ML topic: shared, they make papers look related that are not.
GENERIC_WORDS = frozenset(
    [
        "implicit",
        "noise",
        "noisy",
        "invariant",
        "surrogate",
        "ensemble",
        "ensembles",
        "model",
        "models",
        "learning",
        "learn",
        "learned",
        "neural",
        "network",
        "networks",
        "deep",
        "data",
        "training",
        "train",
        "trained",
        "performance",
        "problem",
        "problems",
        "task",
        "tasks",
        "framework",
        "algorithm",
        "algorithms",
        "analysis",
        "theoretical",
        "empirical",
        "experiments",
        "experimental",
        "demonstrate",
        "novel",
        "provide",
        "study",
        "significantly",
        "improve",
        "improves",
        "improved",
        "improvement",
        "state-of-the-art",
        "achieve",
        "achieves",
        "key",
        "different",
        "various",
        "large",
        "small",
        "high",
        "low",
        "well",
        "often",
        "many",
        "one",
        "two",
        "first",
        "second",
        "prove",
        "theory",
        "setting",
        "settings",
        "general",
        "simple",
        "effective",
        "efficient",
    ]
)


def related_papers(
    docs: list[tuple[str, str]], top: int = TOP, min_score: float = MIN_SCORE, workers: int = 1
) -> dict[str, tuple[str, ...]]:
    """[(slug, text)] -> {slug: up to `top` slugs of the most similar papers, best first}.

    Not all pairs are scored: candidates come from an inverted index over each paper's
    strongest terms with capped postings (`candidate_pairs`), then every candidate pair is
    scored exactly (TF-IDF cosine). The work grows with the number of papers times
    the postings cap, not with its square. `workers`: processes the pair products may be
    split over (see `products`); the result is the same."""
    result: dict[str, tuple[str, ...]] = {slug: () for slug, _ in docs}
    if len(docs) < 2:
        return result
    with small_pages():
        return ranked_lists(docs, result, top, min_score, workers)


def ranked_lists(
    docs: list[tuple[str, str]], result: dict[str, tuple[str, ...]], top: int, min_score: float, workers: int = 1
) -> dict[str, tuple[str, ...]]:
    """`result` filled in: related_papers' work."""
    # Papers in slug order: every tie (postings, ranking) is broken by slug, whatever the input order.
    docs = sorted(docs)
    slugs = [slug for slug, _ in docs]
    matrix = tfidf([text for _, text in docs])
    # Each paper's TERMS_PER_PAPER strongest terms only: the sparse products cost far less, and the
    # judged precision holds. Not re-normalised: a row's length is its own, whatever the others hold.
    pruned = keep_largest(matrix.copy(), TERMS_PER_PAPER)
    first, second = candidate_pairs(keep_largest(pruned.copy(), INDEX_TERMS), postings_cap(len(slugs)))
    scores = products(pruned, first, second, workers)
    # Rounded scores: float noise in the last bits must not reorder ties.
    scores = np.round(scores, 6)
    kept = scores >= min_score
    source = np.concatenate([first[kept], second[kept]])
    other = np.concatenate([second[kept], first[kept]])
    scores = np.concatenate([scores[kept], scores[kept]])
    # Best first within each paper; ties broken by slug. (paper, -score, other paper) are packed in one number
    # and sorted as numbers, three times faster than a lexsort: the rounded scores are whole millionths.
    millionths = np.rint(scores * 1e6).astype(np.int64)
    levels, papers = int(millionths.max(initial=0)) + 1, len(slugs)
    if papers * papers * levels < 2**PACKED_BITS:
        packed = np.sort((source * levels + (levels - 1 - millionths)) * papers + other)
        source, other = packed // papers // levels, packed % papers
    else:
        ranked = np.lexsort((other, -scores, source))
        source, other = source[ranked], other[ranked]
    place = np.arange(len(source)) - np.searchsorted(source, source)
    shown = place < top
    source, other = source[shown], other[shown]
    bounds = np.searchsorted(source, np.arange(len(slugs) + 1))
    for i, slug in enumerate(slugs):
        result[slug] = tuple(slugs[j] for j in other[bounds[i] : bounds[i + 1]])
    return result


def postings_cap(n: int) -> int:
    """Papers kept in each term's postings: every paper up to a total budget, then POSTINGS_CAP."""
    return max(POSTINGS_CAP, POSTINGS_BUDGET // n)


def candidate_pairs(keys: sp.csr_matrix, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) worth scoring: papers that both sit in the postings of one key (a column of
    `keys`), each key's postings cut to the `cap` papers where it weighs most (ties: lower row
    first). The work is at most `cap` times the index's entries, so it grows linearly with the
    corpus; a key of fewer than `cap` papers links all of them."""
    index = keep_largest(keys.tocsc(), cap)
    index.data[:] = 1.0
    linked = (sp.csr_matrix(index) @ sp.csr_matrix(index.T)).tocoo()
    upper = linked.row < linked.col
    # In order of (first, second): one sort of one number per pair (a lexsort of two keys took twice as long).
    papers = index.shape[0]
    pairs = np.sort(linked.row[upper].astype(np.int64) * papers + linked.col[upper])
    return pairs // papers, pairs % papers


def products(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray, workers: int) -> np.ndarray:
    """`pair_products`, the pairs cut into `workers` runs each scored in a forked process (which inherits the
    matrix: nothing is pickled on the way in) when there are PARALLEL_PAIRS pairs or more. An update's related
    papers run alone beside the list pages: at 10,000 papers the products took 2.57 of their 4.40 s in one
    process. The same bits: each pair's sum is its own (see pair_products)."""
    if workers < 2 or len(first) < PARALLEL_PAIRS:
        return pair_products(matrix, first, second)
    cuts = [len(first) * i // workers for i in range(workers + 1)]
    tasks = [partial(pair_products, matrix, first[a:b], second[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    return np.concatenate(parallel.run_all(tasks, workers))


def pair_products(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Dot products of rows first[k] and second[k] of a sparse matrix, exactly; `first` ascending.

    A few rows at a time are spread into a dense scratch block; each pair then reads its
    second row's entries against it, so a pair costs one pass over one sparse row. Each sum runs
    over the second row's entries in their stored order (a term's order), one by one (cumsum):
    the same two rows give the same bits whichever is first and however the rows are blocked. The
    scratch block is small (DENSE_SCRATCH entries) so that it stays in the cache.

    The rows are laid out once as a table of `padded` rows (columns, values), so that a block's
    second rows are gathered as whole table rows and summed along them; a short row's padding
    reads a scratch entry that is always 0 and adds +0.0, which leaves a sum of non-negative
    terms as it is."""
    n, width = matrix.shape
    out = np.zeros(len(first))
    if not len(first):
        return out
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    columns_of, values_of = padded(matrix, width)
    rows = min(256, DENSE_SCRATCH // max(1, width))
    # A wide matrix (a large corpus) would leave a row or two per block: then each block's columns are
    # numbered anew (0: none of them, which the padding column `width` keeps), so that a block of 32 rows fits the
    # scratch block.
    compact = rows < 16
    rows = 32 if compact else max(1, rows)
    local = np.zeros(width + 1, dtype=np.int32) if compact else np.arange(width + 1, dtype=np.int32)
    step = width + 1
    scratch = np.zeros(0 if compact else rows * step)
    bounds = np.searchsorted(first, np.arange(0, n + rows, rows))
    for block, start in enumerate(range(0, n, rows)):
        lo, hi = bounds[block], bounds[block + 1]
        if lo == hi:
            continue
        stop = min(start + rows, n)
        a, b = indptr[start], indptr[stop]
        columns = indices[a:b]
        if compact:
            # Any distinct number per column will do (a column repeated in the block keeps one of its numbers).
            local[columns] = np.arange(1, b - a + 1, dtype=np.int32)
            step = b - a + 1
            scratch = np.zeros((stop - start) * step)
        spread = np.repeat(np.arange(stop - start, dtype=np.int32) * step, np.diff(indptr[start : stop + 1]))
        spread += local[columns]
        scratch[spread] = data[a:b]
        others = second[lo:hi]
        at = local[columns_of[others]]
        at += ((first[lo:hi] - start) * step).astype(np.int32)[:, None]
        values = scratch[at]
        values *= values_of[others]
        out[lo:hi] = np.cumsum(values, axis=1)[:, -1]
        if compact:
            local[columns] = 0
        else:
            scratch[spread] = 0.0
    return out


def padded(matrix: sp.csr_matrix, pad: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's columns and values in their stored order, as the rows of two tables as wide as the longest row
    (int32 columns, float values); a shorter row is padded with column `pad` and value 0."""
    lengths = np.diff(matrix.indptr)
    inside = np.arange(lengths.max(initial=0)) < lengths[:, None]
    columns = np.full(inside.shape, pad, dtype=np.int32)
    values = np.zeros(inside.shape)
    columns[inside] = matrix.indices
    values[inside] = matrix.data
    return columns, values


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


def tokens(text: str) -> list[str]:
    """Lowercase words, stop words dropped, plurals folded to the singular ("networks" -> "network")."""
    return [w for w in map(fold, WORD.findall(text.lower())) if w]


def word_of(run: bytes) -> str:
    """WORD's match in a run of [a-z0-9-] (a run holds one at most): from its first letter to its last
    letter or digit, if that is two characters or more; else ""."""
    word = run.lstrip(b"0123456789-").rstrip(b"-")
    return word.decode("ascii") if len(word) > 1 else ""


def tfidf(texts: list[str]) -> sp.csr_matrix:
    """Sublinear TF-IDF rows over the topic-bearing terms of each text (its non-generic words and
    every pair of adjacent words), L2-normalised over all of them. Then terms in one paper only or in over MAX_DF of them
    are left out (they tell no topic apart), which also keeps the matrix narrow.

    Words become numbers once (a memo: most words repeat) and word pairs are formed in numpy,
    never as strings. Columns follow the words' alphabetical order, so the matrix does not
    depend on the order of the texts."""
    ids: dict[str, int] = {}

    class Lookup(dict):
        def __missing__(self, run: bytes) -> int:
            word = fold(word_of(run))
            self[run] = number = ids.setdefault(word, len(ids)) if word else -1
            return number

    get = Lookup().__getitem__
    flat: list[int] = []
    lengths = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        before = len(flat)
        flat.extend(map(get, text.lower().encode("ascii", "replace").translate(SPACES).split()))
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
    term, row, occurrences = term_counts(keys, rows, len(texts))
    # Columns: the terms in order (a term's number counts the different terms before it).
    columns = np.cumsum(np.concatenate([[0], term[1:] != term[:-1]]))[: len(term)]
    n = stepped(len(texts), SIZE_STEPS)
    # (Entries in order of column, then row: the rows' columns come out in order, nothing to sort or sum.)
    shape = (len(texts), int(columns[-1]) + 1 if len(columns) else 0)
    counts = sp.csr_matrix((occurrences.astype(np.float64), (row, columns)), shape=shape)
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=shape[1])
    idf = np.log((1 + n) / (1 + stepped(df, DF_STEPS))) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    # Each row's length counts all its terms, so it changes only when its own terms' weights do.
    counts = unit_rows(counts)
    # In a small corpus every topic word is in a large share of the papers: the cap starts at MIN_DF_CAP.
    kept = np.flatnonzero((df >= 2) & (df <= max(MAX_DF * n, MIN_DF_CAP)))
    return sp.csr_matrix(counts[:, kept])


def term_counts(keys: np.ndarray, rows: np.ndarray, papers: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How often each term (`keys`) occurs in each paper (`rows`): (term, paper, occurrences) in order of term,
    then paper. Term and paper are packed into one number and sorted as numbers (np.unique's argsort took
    five times as long); an index too wide to pack is sorted by lexsort."""
    shift = max(1, papers - 1).bit_length()
    if len(keys) and int(keys.max()) >= 2 ** (PACKED_BITS - shift):
        order = np.lexsort((rows, keys))
        term, row = keys[order], rows[order]
    else:
        packed = np.sort((keys << shift) | rows)
        term, row = packed >> shift, packed & ((1 << shift) - 1)
    starts = np.flatnonzero(np.concatenate([[len(term) > 0], (term[1:] != term[:-1]) | (row[1:] != row[:-1])]))
    return term[starts], row[starts], np.diff(np.append(starts, len(term)))


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


@contextmanager
def small_pages() -> Iterator[None]:
    """numpy's new arrays on ordinary pages while the block runs, then the process's setting back.

    numpy asks the kernel for huge pages for every large array (madvise). Where the kernel then compacts
    memory to find them (transparent_hugepage/defrag "madvise", the Linux default, on a machine whose memory
    is fragmented by other work), each new array costs more in the kernel than the work done with it: at
    50,000 papers related_papers took 7.4 s of system time with them and 1.5 s without (44 s of wall time
    and 23), on a 10,000-paper corpus up to 1.4 s of 3.5 s. The arithmetic is the same either way."""
    before = _set_madvise_hugepage(False)
    try:
        yield
    finally:
        _set_madvise_hugepage(before)


def paper_text(title: str, abstract: str) -> str:
    """What similarity is computed on: the title counts twice, being the densest description."""
    return f"{title}\n{title}\n{abstract}"
