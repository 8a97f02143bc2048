"""Issue 16, site size, second round: by-title order made in the browser, leaner papers.json."""

from __future__ import annotations

import json
import re

from generator import exports
from generator.models import plan_text
from generator.render import render_site
from generator.render_tags import by_title
from tests.test_cards import catalogue, paper

MIXED = ("beta", "Alpha", "alpha", "Gamma", "_under", "Éclair", "beta")


def test_no_static_by_title_pages_and_the_first_page_names_cards_in_title_order():
    papers = [paper(i, title=t) for i, t in enumerate(MIXED)]
    cat = catalogue(papers, [["t0"], ["t0", "t1"], [], ["t1"], ["t0"], ["t0"], ["t0"]])
    for directory_urls in (True, False):
        plan = plan_text(render_site(cat, directory_urls=directory_urls))
        assert not [p for p in plan if "by-title" in p]
        cards = json.loads(plan["tags/cards.js"].removeprefix("window.rlCards = ").split(";\n")[0])
        digest = re.search(r'rlCardsDigest = "([0-9a-f]{8})"', plan["tags/cards.js"]).group(1)
        nav = re.search(r'<nav class="rl-sort"[^>]*>', plan["tags/t0.md"]).group()
        assert " hidden" in nav and f'data-digest="{digest}"' in nav
        assert 'data-cards="../tags/cards.js"' in nav if not directory_urls else 'data-cards="../../tags/cards.js"' in nav
        order = [int(n) for n in re.search(r'data-by-title="([^"]*)"', nav).group(1).split()]
        shown = [re.search(r'<a href="[^"]*/papers/(paper-\d+)', cards[n]).group(1) for n in order]
        t0 = [p for p in cat.papers if any(m.tag == "t0" for m in cat.matches[p.key])]
        assert shown == [cat.slugs[p.key] for p in by_title(t0)]
        assert 'src="../../javascripts/tag-sort.js"' in plan["tags/t0.md"] or not directory_urls


def test_papers_json_is_compact_and_abstract_clean_is_null_when_it_would_repeat_abstract():
    plain = paper(0, abstract="Plain words only.")
    latex = paper(1, abstract="We get 90\\% with {\\em fewer steps}.")
    cat = catalogue([plain, latex], [["t0"], []])
    rows = exports.export_rows(cat, cat.papers, True)
    text = exports.papers_json(cat.papers, rows).decode()
    first, second = text.splitlines()[1:3]
    assert first.startswith('{"slug":"paper-0","url":') and '", "' not in first
    records = json.loads(text)["papers"]
    assert records[0]["abstract"] == "Plain words only." and records[0]["abstract_clean"] is None
    assert "90%" in records[1]["abstract_clean"] and "\\%" in records[1]["abstract"]
    assert list(records[0]) == list(records[1])  # every field still there, in the same order
