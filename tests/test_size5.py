"""Issue 16, site size, fifth round: paper pages' shared chrome in one cached script, short list links,
the look-up links after arXiv's added by that script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import chrome
from generator.cards import folder_of, pager, short_link
from generator.links import LOOKUPS, lookup_links
from generator.paper_pages import CONTENT, MARKERS, SLUG, TITLE, fill
from generator.render_paper import link_lines
from tests.test_cards import paper

THEME = Path(__file__).resolve().parents[1] / "generator" / "theme"

FRAME = (
    "<head><title>",
    TITLE,
    ' - Reading list</title><link rel="stylesheet" href="../../assets/stylesheets/main.1.min.css"></head>'
    '<body><div class="skip"><a href="#',
    SLUG,
    '">Skip</a></div><!--rl:chrome--><header><span class="topic">',
    TITLE,
    "</span><script>window.ran=(window.ran||0)+1</script></header><!--/rl:chrome--><main>",
    f"<h1>{CONTENT}",
    '</main><!--rl:chrome--><footer>Made with</footer><!--/rl:chrome--><script src="bundle.js"></script>',
)


def test_chrome_leaves_the_frame_and_the_page_calls_it_back_in_place():
    parts, script = chrome.externalize(FRAME, MARKERS, TITLE)
    page = fill(parts, "a-paper", "A &lt;b&gt; paper", "<h1>A &lt;b&gt; paper</h1>")
    assert "<header>" not in page and "<footer>" not in page and "rl:chrome" not in page
    assert '<script src="../../assets/javascripts/readinglist-paper.js"></script><main>' in page
    assert "</main><script>rlChrome(1)</script><script src=" in page
    assert page.count("A &lt;b&gt; paper") == 2  # the <title> and the h1; the header's title is the script's
    assert 'href="#a-paper"' in page  # what differs from paper to paper stays in the page
    # The script holds the regions (as JavaScript strings), the header's title as the marker it fills in,
    # and runs the region's inline script as a function.
    assert "\\u003cheader\\u003e" in script and "\\u003cfooter\\u003eMade with" in script
    assert f'.split("{TITLE}")' in script and "function(){\nwindow.ran=(window.ran||0)+1\n}" in script
    assert "</script" not in script and "<!--" not in script
    assert 'a=" - Reading list"' in script


def test_chrome_refuses_a_region_holding_what_differs_from_paper_to_paper():
    frame = list(FRAME)
    frame[4] = '">Skip</a></div><!--rl:chrome--><header><a href="#'
    frame[5] = SLUG
    with pytest.raises(chrome.ChromeError):
        chrome.externalize(tuple(frame), MARKERS, TITLE)
    with pytest.raises(chrome.ChromeError):
        chrome.externalize(tuple(p.replace("rl:chrome", "x") for p in FRAME), MARKERS, TITLE)


def test_the_chrome_script_runs_in_node(tmp_path):
    """The script's page title: `document.title` without the site name, escaped, in the header's place."""
    node = pytest.importorskip("shutil").which("node")
    if node is None:
        pytest.skip("node is not installed")
    _, script = chrome.externalize(FRAME, MARKERS, TITLE)
    harness = (
        "const inserted = []; const el = {insertAdjacentHTML: (where, html) => inserted.push([where, html])};\n"
        'globalThis.document = {title: "<img src=x onerror=alert(1)> & Co - Reading list", currentScript: el};\n'
        "globalThis.window = globalThis;\n" + script + "rlChrome(1);\n"
        "console.log(JSON.stringify({inserted, ran: window.ran}));\n"
    )
    (tmp_path / "run.js").write_text(harness, encoding="utf-8")
    import subprocess

    out = json.loads(subprocess.run([node, str(tmp_path / "run.js")], capture_output=True, check=True).stdout)
    assert out["ran"] == 1
    (where, header), (_, footer) = out["inserted"]
    assert where == "beforebegin" and footer == "<footer>Made with</footer>"
    assert '<span class="topic">&lt;img src=x onerror=alert(1)&gt; &amp; Co</span>' in header
    assert "<script" not in header  # run by the script, not inserted


def test_paper_template_marks_its_chrome_and_lists_the_lookups_of_links_py():
    text = re.sub(r"\{#.*?#\}", "", (THEME / "paper.html").read_text(encoding="utf-8"), flags=re.DOTALL)
    assert text.count(chrome.CHROME_START) == text.count(chrome.CHROME_END) == 4
    listed = re.findall(r'\["([^"]+)","(https://[^"]+)"\]', text)
    assert [(name, url + "{q}") for name, url in listed] == list(LOOKUPS[1:])
    assert LOOKUPS[0][0] == "arXiv" and LOOKUPS[0][1].endswith("&query={q}")


def test_paper_page_writes_the_first_lookup_only():
    html = link_lines(paper(0, title="A & B: (C)"))
    (name, url), *_ = lookup_links("A & B: (C)")
    assert (
        html == f'<p class="rl-lookup"><strong>Look up:</strong> <a href="{url.replace("&", "&amp;")}">{name}</a></p>\n'
    )


@pytest.mark.parametrize("directory_urls", [True, False])
def test_short_links_lead_where_the_long_ones_did(directory_urls):
    from posixpath import normpath

    from generator.cards import link, page_url

    pages = ["tags/x.md", "tags/x/newest-2.md", "tags/x/newest-3.md", "all/index.md", "all/2.md", "index.md"]
    for a in pages:
        here = page_url(a, directory_urls)
        folder = here if not here or here.endswith("/") else here.rsplit("/", 1)[0] + "/"
        for b in pages:
            short, long = short_link(a, b, directory_urls), link(a, b, directory_urls)
            assert len(short) <= len(long)
            assert normpath("/" + folder + short) == normpath("/" + folder + long), (a, b)
    assert folder_of("tags/x/newest-2.md", "tags/", directory_urls) == ("../../" if directory_urls else "../")


def test_a_pager_link_costs_a_few_bytes_whatever_the_list():
    paths = [f"tags/a-long-tag-name/newest-{i}.md" for i in range(2, 502)]
    html = pager(["tags/a-long-tag-name.md", *paths], 250, True, "Pages of A long tag name")
    assert html.count("<li>") == 501
    assert len(html) / 501 < 45  # was 86 bytes a link: ../../../tags/a-long-tag-name/newest-N/ and a label


def test_bibtex_entries_cite_without_the_abstract_which_json_and_csv_keep():
    import bibtexparser

    from generator import exports
    from tests.test_cards import catalogue

    cat = catalogue([paper(0, abstract="We get 90\\% with {\\em fewer steps}. Two sentences.")], [["t0"]])
    rows = exports.export_rows(cat, cat.papers, True)
    entry = bibtexparser.parse_string(exports.papers_bib(cat.papers, rows).decode()).entries[0]
    assert "abstract" not in entry.fields_dict and entry.fields_dict["title"].value == "{Paper 0}"
    assert "fewer steps" in rows.csv["k0"].decode() and "fewer steps" in rows.json["k0"].decode()


@pytest.mark.parametrize("directory_urls", [True, False])
def test_cards_js_makes_exactly_the_cards_of_card_html(directory_urls):
    """tags/cards.js holds data and a renderer; what it makes is card_html's HTML, hostile text included."""
    from generator.cards import card_html, card_views, folder_of, root_of
    from generator.models import Note
    from generator.render_tags import filter_cards
    from tests.cardsjs import run_cards_js
    from tests.test_cards import HOSTILE, catalogue

    papers = [
        paper(0, title=HOSTILE, day="2025-03-10", sources=(("a.txt", "2025-03-11"),)),
        paper(1, title="Plain", abstract="x " * 300),
        paper(2, title="Untagged"),
        paper(3, title="A 'quoted' \"title\" \u2028 with a line separator"),
    ]
    notes = {"k0": Note("paper-0", "reading", 1, 4, "2025-03-12", "A note.", ("mine",))}
    cat = catalogue(papers, [["t1", "t0"], ["t0"], [], ["t1"]], notes=notes, sources=("a.txt",))
    views = card_views(cat)
    cards, _ = run_cards_js(filter_cards(cat, views, directory_urls))
    index = "tags/index.md"
    root, tags = root_of(index, directory_urls), folder_of(index, "tags/", directory_urls)
    expected = [card_html(views[p.key], root, directory_urls, tags) for p in papers if cat.matches[p.key]]
    assert cards == expected and "rl-card__meta" in expected[0] and "rl-state" in expected[0]
