"""generator/search_index.py: a smaller search index that still finds every word."""

from __future__ import annotations

import json
import re

from generator.search_index import HEAD_WORDS, STOP_WORDS, lean_index, lean_text
from generator.textclean import clean_text

SEP = re.compile(r"[\s\-]+")
CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"], "fields": {}}


def lunr_terms(text: str, stop_words=STOP_WORDS) -> set[str]:
    """The terms lunr indexes for a text: markup out, separator split, lower case, stop words out."""
    words = SEP.split(re.sub(r"<[^>]*>", " ", text))
    return {w.lower() for w in words if w and w.lower() not in stop_words}


ABSTRACT = (
    "<p>We propose Adaban, a method for out-of-distribution generalization. The method is simple: "
    + " ".join(f"the model learns the task {i} and the model generalizes" for i in range(40))
    + " with &lt;script&gt; tokens kept escaped.</p> <p>Tags: Generalization</p>"
)


def test_lean_text_keeps_every_indexed_term_and_a_readable_head():
    lean = lean_text(ABSTRACT, SEP, STOP_WORDS)
    assert lunr_terms(lean) == lunr_terms(ABSTRACT)
    assert len(lean) < len(ABSTRACT) / 2
    assert lean.startswith("We propose Adaban, a method for out-of-distribution generalization. The method is simple:")
    assert "<p>" not in lean and "&lt;script&gt;" in lean and "<script" not in lean
    tail = lean.split()[HEAD_WORDS:]
    assert len({w.lower() for w in tail}) == len(tail)  # no repeats after the head
    assert not STOP_WORDS & {w.lower() for w in tail}


def test_stop_words_stay_when_the_pipeline_keeps_them():
    text = "a " * 40 + "the end of the story"
    lean = lean_text(text, SEP, frozenset())
    assert lunr_terms(lean, frozenset()) == lunr_terms(text, frozenset())


def test_lean_index_drops_repeated_section_tags_only():
    index = {
        "config": CONFIG,
        "docs": [
            {"location": "papers/x/", "title": "X", "text": ABSTRACT, "tags": ["Generalization"]},
            {
                "location": "papers/x/#listed-in",
                "title": "Listed in",
                "text": "<ul><li>a.txt</li></ul>",
                "tags": ["Generalization"],
            },
            {"location": "papers/y/#other", "title": "Other", "text": "b", "tags": ["Other"]},
        ],
    }
    lean = lean_index(index)
    assert lean["config"] == CONFIG
    assert [d.get("tags") for d in lean["docs"]] == [["Generalization"], None, ["Other"]]
    assert [d["title"] for d in lean["docs"]] == ["X", "Listed in", "Other"]
    assert lean["docs"][1]["text"] == "<p>a.txt</p>"  # one paragraph, as Material styles results
    assert index["docs"][1]["tags"] == ["Generalization"]  # input untouched (pure)


def test_built_site_index_is_lean_and_finds_every_title_and_abstract_word(real_site):
    site, result, _ = real_site
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in data["docs"]}
    for paper in result.catalogue.papers:
        slug = result.catalogue.slugs[paper.key]
        entry = docs[f"papers/{slug}/"]
        assert entry["title"]
        indexed = lunr_terms(entry["text"])
        # Words of the abstract as the page shows it (LaTeX residue cleaned), as lunr sees them in
        # the escaped HTML text (& < > become entities).
        escaped = clean_text(paper.abstract).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        missing = lunr_terms(escaped) - indexed
        assert not missing, (slug, sorted(missing)[:5])
    per_paper = len(json.dumps(data, ensure_ascii=False).encode()) / len(result.catalogue.papers)
    assert per_paper < 2000
