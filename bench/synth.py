"""Synthetic listing dumps for benchmarks: N unique papers, deterministic for (seed, N).

    python bench/synth.py --n 10000 --seed 1 --out DIR

Writes `DIR/NNNNN_<hex>.txt` files in the two layouts of the real dumps in
corpus/sources/: the blank-line layout (page chrome, a listing date, then
title and abstract blocks separated by blank lines) and, for every fifth file,
the compact layout (two chrome lines, the first title glued to `Subscribe`,
no blank lines, no date). Files hold about 100 entries, like the real ones.

Text is realistic rather than random: abstracts and title tails are walks of a
word-bigram chain trained on the embedded corpus (about 1.3 KB per abstract,
spread like the real 320-1,920 characters), each paper gets its own method
name (so the vocabulary grows with N as in real listings), and 1-3 tags per
paper are planted by writing one of the tag's phrases from corpus/tags.yml
into the title or twice into the abstract. About 12% of entries are repeats
of an earlier paper, listed again a few listings later: most verbatim, some
with a different title case or a trailing period, some with a revised
abstract, as in the real dumps.

Counts are exact: N unique papers (under the generator's title
normalisation) and DUPLICATE_SHARE * N (rounded) repeated entries, so a test
can check the generator reads back exactly N papers and N + duplicates
entries. Only the standard library and the generator's own reader are used.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build import Options, parse_all  # noqa: E402
from generator.corpus import normalise_title  # noqa: E402
from generator.sources import read_yaml  # noqa: E402
from generator.taxonomy import REGEX_PREFIX, load_taxonomy  # noqa: E402

DUPLICATE_SHARE = 0.12
ENTRIES_PER_FILE = 100
COMPACT_EVERY = 5  # every fifth listing uses the compact layout
ABSTRACT_CHARS = (700, 1800)  # target length drawn per paper; mean about 1.3 KB
MAX_SENTENCE_WORDS = 45
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
SYLLABLES = (  # noqa: SIM905 - a word list reads better as one string
    "ada ban cor dex fin gra hel ion kap lum mor nex opt pra quo ros syn tra ul vex wav xen yol zet "
    "al bi ca do el fo ga hi ja ko li mu ne po ra si tu vi"
).split()
START = "<s>"


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str


class Chain:
    """A word-bigram chain; `walk` draws one sentence."""

    def __init__(self, texts: list[str]) -> None:
        table: dict[str, list[str]] = {}
        for text in texts:
            prev = START
            for word in text.split():
                table.setdefault(prev, []).append(word)
                prev = START if word.endswith(".") else word
        self.table = table

    def walk(self, rng: random.Random, start: str = START, max_words: int = MAX_SENTENCE_WORDS) -> list[str]:
        words: list[str] = []
        prev = start
        rand = rng.random
        table = self.table
        while len(words) < max_words:
            options = table.get(prev)
            if not options:
                break
            word = options[int(rand() * len(options))]
            words.append(word)
            if word.endswith("."):
                return words
            prev = word
        if words:
            words[-1] = words[-1].rstrip(",;:") + "."
        return words


# The listings the word chains learn from; tests point it at their frozen copy of the corpus.
TRAINING = ROOT / "corpus" / "sources"


@functools.cache
def training_text() -> tuple[list[str], list[str]]:
    """Titles and abstracts of the embedded corpus, read by the generator's own parser."""
    entries, _problems, _files, _skipped = parse_all(Options(sources=TRAINING))
    titles = sorted({e.title for e in entries})
    abstracts = sorted({e.abstract for e in entries})
    return titles, abstracts


def tag_phrases(tags_file: Path) -> list[list[str]]:
    """Per tag, its plain (non-regex) phrases."""
    tags = load_taxonomy(read_yaml(tags_file), str(tags_file))
    result = []
    for tag in tags:
        plain = [p for p in tag.phrases if not p.startswith(REGEX_PREFIX)]
        if plain:
            result.append(plain)
    return result


def method_name(rng: random.Random) -> str:
    """A made-up method name such as 'Luminex' or 'SynTra': one new word per paper."""
    parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))]
    if rng.random() < 0.3:
        return "".join(p.upper() for p in parts)[:7]
    if rng.random() < 0.5:
        return "".join(p.capitalize() for p in parts)
    return "".join(parts).capitalize()


def clean_title(words: list[str]) -> str:
    title = " ".join(words).rstrip(".,;:")
    return re.sub(r"[.!?](?=\s)", "", title)  # one phrase, never two sentences


def make_paper(rng: random.Random, titles: Chain, abstracts: Chain, phrases: list[list[str]], weights: list[float]):
    """One paper: (title, abstract). Tag phrases are planted so the tagger finds 1-3 tags."""
    name = method_name(rng)
    planted = []
    for _ in range(rng.choices((1, 2, 3), (2, 4, 3))[0]):
        planted.append(rng.choice(rng.choices(phrases, weights)[0]))
    tail = titles.walk(rng, max_words=rng.randint(5, 14))
    head = f"{name}: " if rng.random() < 0.6 else ""
    in_title = planted[0] if rng.random() < 0.5 else None
    title = clean_title([*(f"{head}{in_title[0].upper()}{in_title[1:]} for" if in_title else head).split(), *tail])
    intro = f"We propose {name}, a method for {planted[0]}."
    body_phrases = [p for p in planted if p != in_title]
    outro = [f"Our results show that {p} benefits from {name}; {p} remains the key." for p in body_phrases]
    target = rng.randint(*ABSTRACT_CHARS) - sum(len(s) + 1 for s in [intro, *outro])
    sentences: list[str] = []
    length = 0
    while length < target:
        sentence = " ".join(abstracts.walk(rng))
        if length and length + len(sentence) > target + 200:
            continue  # a long last sentence would overshoot the drawn length
        sentences.append(sentence)
        length += len(sentence) + 1
    sentences.insert(rng.randint(0, min(2, len(sentences))), intro)
    sentences.extend(outro)
    return title[:280], " ".join(sentences)


def title_variant(rng: random.Random, title: str) -> str:
    """How a repeated listing may spell the same title: equal after normalisation."""
    roll = rng.random()
    if roll < 0.5:
        return title + "."
    return title.upper() if roll < 0.75 else title.lower()


def make_papers(n: int, seed: int, tags_file: Path) -> list[Paper]:
    rng = random.Random(seed)
    title_text, abstract_text = training_text()
    titles, abstracts = Chain(title_text), Chain(abstract_text)
    phrases = tag_phrases(tags_file)
    # Tag sizes vary as in real corpora: a few big topics, a long tail.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(phrases))]
    rng.shuffle(weights)
    papers: list[Paper] = []
    seen: set[str] = set()
    while len(papers) < n:
        title, abstract = make_paper(rng, titles, abstracts, phrases, weights)
        key = normalise_title(title)
        if not key or key in seen:
            continue  # titles must be unique so the paper count is exact
        seen.add(key)
        papers.append(Paper(title, abstract))
    return papers


def listing_order(rng: random.Random, papers: list[Paper]) -> list[Paper]:
    """Every paper once, plus about DUPLICATE_SHARE * N repeats a few listings after the first."""
    n = len(papers)
    duplicates = round(DUPLICATE_SHARE * n)
    slots: list[tuple[float, int, Paper]] = [(float(i), 0, p) for i, p in enumerate(papers)]
    for number, source in enumerate(sorted(rng.sample(range(n), duplicates))):
        original = papers[source]
        roll = rng.random()
        if roll < 0.8:
            repeat = original
        elif roll < 0.9:
            repeat = Paper(title_variant(rng, original.title), original.abstract)
        else:
            repeat = Paper(original.title, original.abstract + " We release the code and the revised results.")
        later = source + rng.uniform(1, 3 * ENTRIES_PER_FILE)
        slots.append((later, 1 + number, repeat))
    slots.sort(key=lambda s: (s[0], s[1]))
    return [p for _, _, p in slots]


def listing_date(index: int) -> str:
    day = index % 365
    for month, days in zip(MONTHS, DAYS_IN_MONTH, strict=True):
        if day < days:
            return f"{month} {day + 1}"
        day -= days
    raise AssertionError("unreachable")


def render_listing(index: int, papers: list[Paper]) -> str:
    if index % COMPACT_EVERY == COMPACT_EVERY - 1:
        lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
        body = [line for p in papers for line in (p.title, p.abstract)]
        body[0] = "Subscribe" + body[0]
        return "\n".join(lines + body)
    chrome = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community"]
    blocks = [*chrome, listing_date(index), *(line for p in papers for line in (p.title, p.abstract))]
    return "\n\n".join(blocks)


def synthesize(n: int, seed: int, tags_file: Path = ROOT / "corpus" / "tags.yml") -> dict[str, str]:
    """{file name: listing text} for N unique papers. Pure apart from reading the training corpus."""
    if n < 1:
        raise ValueError("n must be at least 1")
    papers = make_papers(n, seed, tags_file)
    order = listing_order(random.Random(f"{seed}:order"), papers)
    files: dict[str, str] = {}
    for index, start in enumerate(range(0, len(order), ENTRIES_PER_FILE)):
        digest = hashlib.sha1(f"{seed}:{n}:{index}".encode()).hexdigest()[:16]
        files[f"{index:05d}_{digest}.txt"] = render_listing(index, order[start : start + ENTRIES_PER_FILE])
    return files


def expected_counts(n: int) -> tuple[int, int]:
    """(papers, entries) the generator must read back from synthesize(n, ...)."""
    return n, n + round(DUPLICATE_SHARE * n)


def write(out: Path, files: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.txt"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="number of unique papers")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed and N: same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the listing files (*.txt)")
    parser.add_argument("--tags", type=Path, default=ROOT / "corpus" / "tags.yml", help="tag taxonomy to plant")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    files = synthesize(args.n, args.seed, args.tags)
    write(args.out, files)
    papers, entries = expected_counts(args.n)
    print(f"wrote {len(files)} listing files to {args.out}: {entries} entries, {papers} unique papers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
