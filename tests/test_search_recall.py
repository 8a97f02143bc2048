"""Search recall: our worker on the prebuilt index finds what Material's lunr worker finds, and more.

Both workers run in Node (bench/search_queries.js) on the embedded corpus:
our site, and the same pages built with Material's own search index
(`readinglist-search` left out of mkdocs.yml).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys

import pytest

from generator.search_index import STOP_WORDS, trim
from tests.sitebuild import ROOT

pytestmark = pytest.mark.slow
NODE = shutil.which("node")
SEP = re.compile(r"[\s\-]+")
TAG = re.compile(r"<[^>]*>")


def run_queries(site, queries: list[str]) -> list[dict]:
    if NODE is None:
        pytest.skip("node is not installed")
    proc = subprocess.run(
        [NODE, str(ROOT / "bench" / "search_queries.js"), str(site)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


# Paper pages carry no search markup (our plugin indexes papers from search's own input and
# skips their pages). For Material's own index to hold what a paper is searched by (title,
# note, abstract, tags), the reference build marks the rest as the pages once did.
PAPER_PAGE_HOOK = """
import re

def on_page_markdown(markdown, page, config, files):
    page.meta.pop("template", None)  # paper.html is in generator/theme/, which only our plugin adds
    return markdown

def on_page_content(html, page, config, files):
    if not page.file.src_uri.startswith("papers/"):
        return html
    html = re.sub(r'<h2 id="(links|related-papers|cite|listed-in)">', r'<h2 data-search-exclude id="\\1">', html)
    return re.sub(r'<div class="rl-(facts|tags|why)">', r'<div class="rl-\\1" data-search-exclude>', html)
"""


@pytest.fixture(scope="session")
def material_site(real_site):
    """The same generated pages built with Material's own search index and worker."""
    site, _, _ = real_site
    work = site.parent
    config = (work / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - readinglist-search\n" in config
    (work / "mkdocs-material.yml").write_text(
        config.replace("  - readinglist-search\n", "").replace("  - readinglist-pages\n", "")
        + "hooks:\n  - recall_hooks.py\n",
        encoding="utf-8",
    )
    (work / "recall_hooks.py").write_text(PAPER_PAGE_HOOK, encoding="utf-8")
    target = work / "site-material"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs-material.yml"), "-d", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def lunr_tokens(text: str) -> set[str]:
    """The terms Material's lunr indexes for an entry's HTML: split between tags and on the separator,
    lower-cased, stop words out."""
    tokens = set()
    for chunk in TAG.split(text):
        for word in SEP.split(chunk):
            key = word.lower()
            if key and key not in STOP_WORDS:
                tokens.add(key)
    return tokens


@pytest.fixture(scope="session")
def words_by_paper(material_site) -> dict[str, set[str]]:
    """Paper page -> every word lunr indexes for it (title, abstract, tags), as a reader would type it."""
    index = json.loads((material_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    words: dict[str, set[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        if not page.startswith("papers/"):
            continue
        # Boilerplate, left out of our index on purpose: not a title, tag or abstract word.
        text = doc["text"].replace("<p>No tag matched this paper.</p>", "")
        tokens = lunr_tokens(doc["title"]) | lunr_tokens(text)
        for tag in doc.get("tags", []):
            tokens |= lunr_tokens(html.escape(tag))
        words.setdefault(page, set()).update(t for t in (trim(html.unescape(t)) for t in tokens) if t)
    assert len(words) == 368
    return words


def test_every_title_tag_and_abstract_word_finds_its_paper(real_site, words_by_paper):
    site, _, _ = real_site
    expected: dict[str, set[str]] = {}
    for page, words in words_by_paper.items():
        for word in words:
            expected.setdefault(word, set()).add(page)
    # A word with a double quote inside ('"the roughness"concept') cannot be typed as one
    # word: both workers read quotes as phrase marks. Its parts are words of their own.
    queries = sorted(q for q in expected if '"' not in q)
    assert len(queries) > 5000
    missing = []
    for query, answer in zip(queries, run_queries(site, queries), strict=True):
        lost = expected[query] - set(answer["pages"])
        if lost:
            missing.append((query, sorted(lost)[:3]))
    assert not missing, f"{len(missing)} words miss papers, e.g. {missing[:10]}"


def material_queries(words_by_paper: dict[str, set[str]]) -> list[str]:
    """A sample of single words, every prefix typed on the way to some words, stop words, multi-word queries."""
    vocabulary = sorted(set().union(*words_by_paper.values()))
    sample = vocabulary[::40]
    prefixes = [
        w[:n] for w in ("intrinsic", "diffusion", "convergence", "transformer", "ℓ") for n in range(1, len(w) + 1)
    ]
    stop_words = ["the", "of", "and", "a", "is", "with", "the of"]
    multi = [
        "intrinsic dimension",
        "gradient descent",
        "stochastic gradient descent convergence",
        "Diffusion Models",
        "graph neural networks",
        "large language models",
        '"neural tangent kernel"',
        "+gradient +descent",
        "title:diffusion",
        "tags:quantization",
        "reinforce learn",
        "self-supervised",
        "1",
        "90%",
    ]
    return sample + prefixes + stop_words + multi


def test_hits_are_a_superset_of_material_lunr_worker(real_site, material_site, words_by_paper):
    site, _, _ = real_site
    queries = material_queries(words_by_paper)
    ours = run_queries(site, queries)
    theirs = run_queries(material_site, queries)
    fewer = []
    for query, a, b in zip(queries, ours, theirs, strict=True):
        # Tag pages are found by their name and description, no longer by the titles they list
        # (the papers themselves are found by those words).
        lost = {p for p in set(b["pages"]) - set(a["pages"]) if not re.fullmatch(r"tags/[^/]+/", p)}
        if lost:
            fewer.append((query, sorted(lost)[:3]))
    assert not fewer, f"{len(fewer)} queries find less than Material's worker: {fewer[:10]}"
    # Not vacuous: Material's worker found papers for most of these queries.
    assert sum(1 for b in theirs if b["pages"]) > 0.9 * len(queries)


def test_punctuation_at_word_ends_no_longer_hides_a_word(real_site, material_site):
    """lunr (as Material configures it) indexes "(CIFAR-10)" as "(cifar": typing "cifar" misses it; ours does not."""
    site, _, _ = real_site
    ours, theirs = run_queries(site, ["cifar"]), run_queries(material_site, ["cifar"])
    assert set(theirs[0]["pages"]) < set(ours[0]["pages"])


def test_query_syntax(real_site):
    site, _, _ = real_site
    intrinsic = "papers/measuring-the-intrinsic-dimension-of-objective-landscapes/"
    queries = ["intrinsic dimension", "+intrinsic +dimension", "intrinsic -landscapes", "title:landscapes", "intr"]
    both, required, excluded, title, prefix = run_queries(site, queries)
    assert intrinsic in both["pages"] and intrinsic in required["pages"] and intrinsic in title["pages"]
    assert set(required["pages"]) <= set(both["pages"])
    assert intrinsic not in excluded["pages"] and excluded["pages"]
    assert intrinsic in prefix["pages"] and prefix["suggest"] == ["intrinsic"]
