"""Our search worker's output, as Material's result list will insert it (innerHTML): marks, and nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from tests.browser.helpers import HOSTILE, build_hostile_site
from tests.sitebuild import ROOT

pytestmark = pytest.mark.slow
NODE = shutil.which("node")


def items_for(site, queries: list[str]) -> list[list[dict]]:
    """Per query, the result items (flattened over pages) that the worker sends to the page."""
    if NODE is None:
        pytest.skip("node is not installed")
    proc = subprocess.run(
        [NODE, str(ROOT / "bench" / "search_queries.js"), str(site), "--items"],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        check=True,
    )
    return [[item for group in answer["items"] for item in group] for answer in json.loads(proc.stdout)]


def fragment(html: str):
    return BeautifulSoup(f"<div>{html}</div>", "html5lib").div


def test_results_mark_the_query_words(real_site):
    site, _, _ = real_site
    (items,) = items_for(site, ["intrinsic dimension"])
    first = items[0]
    assert first["location"] == "papers/measuring-the-intrinsic-dimension-of-objective-landscapes/"
    assert "<mark>Intrinsic</mark> <mark>Dimension</mark>" in first["title"]
    assert first["terms"] == {"intrinsic": True, "dimension": True}
    assert first["text"].startswith("<p>") and first["text"].endswith("</p>")
    # Ranking: papers with both words in the title come before papers with one word in the abstract.
    both = [i for i in items if i["title"].count("<mark>") >= 2]
    assert items[: len(both)] == both


def test_hostile_titles_come_back_as_escaped_text(tmp_path):
    site = build_hostile_site(tmp_path)
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    words = [
        "img",
        "script",
        "onerror",
        "alert",
        "svg",
        "onload",
        "click",
        "bold",
        "jerry",
        "title",
        "iframe",
        "models",
    ]
    seen = set()
    for items in items_for(site, words):
        for item in items:
            for html in [item["title"], item["text"], *item.get("tags", [])]:
                root = fragment(html)
                assert {el.name for el in root.find_all(True)} <= {"p", "mark"}, html
            title = fragment(item["title"]).get_text()
            if item["location"].startswith("papers/"):
                seen.add(title)
    assert seen == {title for title, _ in HOSTILE} == {p["title"] for p in papers}
