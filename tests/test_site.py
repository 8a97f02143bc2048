"""Smoke test of the real thing: the embedded corpus through `mkdocs build --strict`."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_real_corpus_builds_368_paper_pages(real_site):
    site, result, log = real_site
    pages = sorted((site / "papers").glob("*/index.html"))
    assert len(pages) == 368
    assert result.entries == 426
    assert len(result.merges) == 58
    assert "WARNING" not in log


def test_every_title_once_in_papers_json(real_site):
    site, result, _ = real_site
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    titles = [p["title"] for p in data]
    assert len(titles) == 368
    for paper in result.catalogue.papers:
        assert titles.count(paper.title) == 1
