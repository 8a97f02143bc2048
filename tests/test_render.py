from __future__ import annotations

import markdown
import yaml

from generator.escape import html_text, markdown_text
from generator.pages import front_matter

HOSTILE = [
    "<script>alert(1)</script>",
    "*bold* _em_ `code` [x](javascript:alert(1))",
    "# heading",
    "- list item",
    "1. ordered",
    "> quote",
    "| a | b |",
    "<b>raw</b> &amp; &lt;",
    "{{ jinja }} {% block %}",
    "```python",
    "~~~",
    "\\backslash\\",
    "==mark== ^sup^ ~sub~ $x$",
    ": definition",
    "{: .class }",
    "[^1] footnote",
]
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables", "toc", "fenced_code"]  # what MkDocs renders with


def visible_text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text()


def test_markdown_text_renders_exactly_as_written():
    for text in HOSTILE:
        html = markdown.markdown(markdown_text(text), extensions=EXTENSIONS)
        assert html.startswith("<p>") and html.endswith("</p>"), (text, html)
        assert visible_text(html) == text, (text, html)


def test_markdown_text_in_a_heading_stays_one_heading():
    for text in HOSTILE:
        html = markdown.markdown("# " + markdown_text(text), extensions=EXTENSIONS)
        assert html.startswith("<h1") and html.count("<") == 2, (text, html)
        assert visible_text(html) == text


def test_the_extensions_are_the_ones_mkdocs_yml_enables():
    from mkdocs.config import load_config

    from tests.sitebuild import ROOT

    assert sorted(load_config(str(ROOT / "mkdocs.yml")).markdown_extensions) == sorted(EXTENSIONS)


def test_html_text_escapes_markup_and_quotes():
    assert html_text('<img src=x onerror="a">&') == "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;"


def test_front_matter_is_yaml_that_round_trips():
    meta = {"title": "---\nkey: value: 'x' \"y\" & * ! - #", "tags": ["a: b", "- c"]}
    text = front_matter(meta)
    assert text.startswith("---\n") and text.endswith("---\n")
    assert yaml.safe_load(text[len("---\n") : -len("---\n")]) == meta
