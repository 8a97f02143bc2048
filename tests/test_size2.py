"""Issue 16, site size, second round: by-title order made in the browser, leaner papers.json."""

from __future__ import annotations

import json
import re

from generator import exports
from generator.models import plan_text
from generator.render import render_site
from generator.render_tags import by_title
from tests.cardsjs import run_cards_js
from tests.test_cards import catalogue, paper

MIXED = ("beta", "Alpha", "alpha", "Gamma", "_under", "Éclair", "beta")


def test_no_static_by_title_pages_and_the_first_page_names_cards_in_title_order():
    papers = [paper(i, title=t) for i, t in enumerate(MIXED)]
    cat = catalogue(papers, [["t0"], ["t0", "t1"], [], ["t1"], ["t0"], ["t0"], ["t0"]])
    for directory_urls in (True, False):
        plan = plan_text(render_site(cat, directory_urls=directory_urls))
        assert not [p for p in plan if "by-title" in p]
        cards, digest = run_cards_js(plan["tags/cards.js"])
        nav = re.search(r'<nav class="rl-sort"[^>]*>', plan["tags/t0.md"]).group()
        assert " hidden" in nav and f'data-digest="{digest}"' in nav
        assert (
            'data-cards="../tags/cards.js"' in nav if not directory_urls else 'data-cards="../../tags/cards.js"' in nav
        )
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


def test_paper_frame_icons_become_one_stylesheet_and_the_page_parts_stay_as_they_are():
    from generator.paper_pages import ICONS_CSS, icons_css, lighten

    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>'
    head = '<head>\n    <link rel="stylesheet" href="../../assets/stylesheets/main.1.min.css">\n\n  </head>'
    parts = (f"{head}<label>  {svg}  </label>\n\n   <h1>", "RLPAGETITLEMARKER", f"<pre>  {svg}\n\n  x</pre>")
    icons: dict[str, str] = {}
    light = lighten(parts, icons)
    assert light[1] == parts[1]  # the markers are untouched
    assert svg not in light[0] and '<svg viewBox="0 0 24 24" class="rl-i rl-i-' in light[0]
    assert f'<link rel="stylesheet" href="../../{ICONS_CSS}">' in light[0] and "\n\n" not in light[0]
    css = icons_css(icons)
    (name,) = icons
    assert f'.{name}{{--rl-i:url("data:image/svg+xml,%3Csvg' in css and "mask:var(--rl-i)" in css
