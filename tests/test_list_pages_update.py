"""List pages in MkDocs' build (generator/paper_pages.py): less work per page, the same site.

Issue 16 (a new listing published in seconds): a 50-paper listing shifts every
page of "All papers" and of the tags it touches, about 520 pages at 10,000
papers, which MkDocs renders again. Two costs of each were not the page's own:
holding the card lists out of Python-Markdown with a regular expression (0.7 ms
per 100 KB page, now str.find), and Material's search plugin parsing and
scanning those card lists, which it skips anyway (data-search-exclude), now
put back after it has read the page. And one that was: Python-Markdown's HTML
parsers on raw HTML blocks with long lines (the pager of All papers, 50 ms a
page), now held out of it as the card lists are.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from generator import paper_pages
from generator.cards import HTML_END, HTML_START
from generator.paper_pages import HTML_BLOCK, hold_blocks, hold_raw_blocks, skipped_by_search
from tests.sitebuild import EMBEDDED, ROOT, prepare, site_tree

FIXTURE = ROOT / "tests" / "fixtures"


def test_holding_blocks_by_find_is_the_regular_expression():
    pieces = [HTML_START, HTML_END, "\n", "x", "<ul>", "\n\n", f"{HTML_START}\n", f"\n{HTML_END}", "y\n", "é"]
    rng = random.Random(16)
    for _ in range(50_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        assert hold_blocks(text, lambda html: f"[{html}]") == HTML_BLOCK.sub(lambda m: f"[{m.group(1)}]", text), text


def test_only_blocks_that_materials_search_skips_whole_are_put_back_late():
    cards = '<ul class="rl-cards" data-search-exclude>\n<li class="rl-card"><p>A</p></li>\n</ul>'
    assert skipped_by_search(cards)
    assert not skipped_by_search(cards.replace(" data-search-exclude", ""))
    assert not skipped_by_search(cards.replace("<p>A</p>", '<p data-search-boost="2">A</p>'))  # Material edits it
    assert not skipped_by_search(cards + "\n<p>after</p>")  # a second element, which search reads
    assert not skipped_by_search(cards.replace("<p>A</p>", "<ul><li>x</li></ul>"))  # nested: where does it end?
    assert not skipped_by_search('<ul class="x">\n<li data-search-exclude>A</li>\n</ul>')


def build_in_process(project: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def spy(hold, seen: list[str]):
    def held(block: str) -> str:
        seen.append(block)
        return hold(block)

    return held


def test_raw_blocks_held_are_plainly_one_element():
    def held(text: str) -> list[str]:
        found: list[str] = []
        hold_raw_blocks(text, lambda block: found.append(block.removesuffix("\n")) or "HELD")
        return found

    pager = '<nav class="rl-pager" aria-label="Pages">\n<a href="2/">Next</a>\n<ol><li>1</li></ol>\n</nav>'
    assert held(f"# T\n\n{pager}\n\ntext\n") == [pager]
    assert held(f"{pager}\n") == [pager]
    assert held(f"text\n{pager}\n\n") == []  # no blank line before: part of a paragraph
    assert held(f"{pager}\nmore\n") == []  # no blank line after
    assert held(f"```\n\n{pager}\n\n```\n") == []  # in a fenced block
    assert held(pager.replace("<nav class", '<nav id="x" class') + "\n") == []  # an anchor MkDocs checks
    assert held('<div markdown="1">\n*x*\n</div>\n') == []
    assert held("<div>\n<div>x</div>\n</div>\n") == []  # nested
    assert held('<p class="rl-chips" data-search-exclude><a href="t/">T</a></p>\n') == [
        '<p class="rl-chips" data-search-exclude><a href="t/">T</a></p>'
    ]


def test_the_site_is_the_same_with_blocks_held_and_put_back_late(tmp_path, monkeypatch):
    """The embedded corpus: pages of All papers and of tags with pagers, the home page's chips and listings."""
    from generator.build import Options, generate

    monkeypatch.setenv("READINGLIST_OFFLINE", "false")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    docs = prepare(tmp_path)
    monkeypatch.chdir(tmp_path)
    generate(Options(sources=EMBEDDED / "sources", docs=docs, tags=EMBEDDED / "tags.yml"))
    late: list[str] = []
    raw: list[str] = []
    real, real_raw = paper_pages.skipped_by_search, paper_pages.hold_raw_blocks
    monkeypatch.setattr(paper_pages, "skipped_by_search", lambda block: real(block) and not late.append(block))
    monkeypatch.setattr(paper_pages, "hold_raw_blocks", lambda text, hold: real_raw(text, spy(hold, raw)))
    build_in_process(tmp_path, tmp_path / "late")
    assert late  # the card lists of the home, "All papers" and tag pages
    assert any('class="rl-pager"' in block for block in raw) and any("rl-chips" in block for block in raw)
    monkeypatch.setattr(paper_pages, "skipped_by_search", lambda block: False)
    monkeypatch.setattr(paper_pages, "hold_raw_blocks", lambda text, hold: text)
    build_in_process(tmp_path, tmp_path / "early")
    late_tree, early_tree = site_tree(tmp_path / "late"), site_tree(tmp_path / "early")
    assert sorted(late_tree) == sorted(early_tree)
    assert [rel for rel in early_tree if late_tree[rel] != early_tree[rel]] == []
    shutil.rmtree(tmp_path / "early")
