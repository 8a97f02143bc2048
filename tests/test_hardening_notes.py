"""Notes cannot run script: links are checked in the HTML a note becomes, and that HTML is sanitised.

The red team's five bypasses of the old source-text check (a reference-style
link, one inside a numbered list, mixed case, a newline and control
characters inside the scheme) and more attacks of our own are rendered the way
the site renders them (mkdocs.yml's Markdown extensions; a real `mkdocs
build` for the slow test) and the result is parsed with html5lib, as a
browser parses it.
"""

from __future__ import annotations

import re
import shutil
from functools import cache

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from generator.errors import GeneratorError
from generator.models import Note
from generator.notes import link_scheme, note_html, validate_note
from generator.render_paper import note_admonition
from tests.sitebuild import ROOT, build_site

# The red team's five (each built with exit 0 and ran script on click).
RED_TEAM = {
    "reference": "Read the [proof][x] first.\n\n[x]:\n  javascript:alert(1)",
    "reference in a list": "1. Read the [proof][x].\n2. [x]: javascript:alert(1)",
    "mixed case": "[proof][y]\n\n[y]: <JaVaScRiPt:alert(1)>",
    "newline in scheme": "[proof](java\nscript:alert(1))",
    "control character before scheme": "[proof](\x01javascript:alert(1))",
    "vertical tab in scheme": "[proof](java\x0bscript:alert(1))",
}
# Ours: other schemes, encodings, raw HTML and images.
OURS = {
    "data": "[x](data:text/html,<script>alert(1)</script>)",
    "vbscript": "[x](vbscript:msgbox(1))",
    "tab in scheme": "[x](java\tscript:alert(1))",
    "entity-encoded": "[x](&#106;avascript:alert(1)) and [y](javascript&#58;alert(1))",
    "raw a href": '<a href="javascript:alert(1)">x</a>',
    "img onerror": "<img src=x onerror=alert(1)>",
    "image link": "![x](javascript:alert(1))",
    "svg": "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "attribute list": "Text\n{: onclick=alert(1) }",
    "autolink": "<javascript:alert(1)>",
    "script": "<script>alert(1)</script>",
}
ATTACKS = {**RED_TEAM, **OURS}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background", "cite"}
FORBIDDEN_ELEMENTS = {"script", "svg", "math", "iframe", "object", "embed", "style", "form", "img", "base", "link"}


def safe_url(value: str) -> bool:
    """An allowed scheme written plainly, or a relative URL with no scheme and no control character."""
    if re.match(r"(https?://|mailto:)", value, re.IGNORECASE):
        return not re.search(r"[\x00-\x20\x7f]", value)
    return not re.search(r"[\x00-\x20\x7f]", value) and ":" not in re.split(r"[/?#]", value, maxsplit=1)[0]


def assert_inert(fragment: BeautifulSoup) -> None:
    for element in fragment.find_all(True):
        assert element.name not in FORBIDDEN_ELEMENTS, element
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), element
            if name.lower() in URL_ATTRIBUTES:
                assert safe_url(value), f"{name}={value!r} in {element}"


@cache
def site_markdown() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def render_page(source: str) -> BeautifulSoup:
    md = site_markdown()
    md.reset()
    return BeautifulSoup(f"<body>{md.convert(source)}</body>", "html5lib").body


@pytest.mark.parametrize("name", list(ATTACKS))
def test_rendered_note_is_inert(name):
    """Even a note that skipped validation renders as inert HTML inside the page."""
    page = render_page("# Title\n\n" + note_admonition(Note("s", "reading", 1, note=ATTACKS[name])) + "\nAbstract.\n")
    assert_inert(page)
    box = page.find("div", class_="admonition")
    assert box is not None and "My reading list" in box.get_text()
    assert "Abstract." in page.get_text()


LINK_ATTACKS = [*RED_TEAM, "data", "vbscript", "tab in scheme", "entity-encoded", "image link"]


@pytest.mark.parametrize("name", LINK_ATTACKS)
def test_bad_link_in_a_note_is_an_error(name):
    """What the reader wrote as a link is checked after rendering: the five bypasses are errors."""
    with pytest.raises(GeneratorError) as err:
        validate_note("deep-residual-learning", {"note": ATTACKS[name]}, "corpus/notes.yml")
    assert str(err.value).startswith("corpus/notes.yml: deep-residual-learning: note links may use http, https")


@pytest.mark.parametrize("name", [k for k in ATTACKS if k not in LINK_ATTACKS])
def test_text_that_is_no_link_is_shown_as_written(name):
    note = validate_note("s", {"note": ATTACKS[name]}, "notes.yml")
    html = note_html(note.note)
    assert_inert(BeautifulSoup(f"<body>{html}</body>", "html5lib").body)
    assert "<a " not in html


def test_good_notes_keep_their_formatting_and_links():
    text = (
        "Check *the claim* and **this**; see [paper](https://arxiv.org/abs/1) or "
        "[mail](mailto:me@example.org), <https://example.org/x>, `a<b && c`.\n\n"
        "- one\n- two\n\n1. first\n2. [ref][r]\n\n[r]: HTTPS://Example.org/ref\n\n"
        "```\ncode <b>\n\nmore\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    validate_note("s", {"note": text}, "notes.yml")
    html = note_html(text)
    body = BeautifulSoup(f"<body>{html}</body>", "html5lib").body
    assert_inert(body)
    hrefs = [a["href"] for a in body.find_all("a")]
    assert hrefs == [
        "https://arxiv.org/abs/1",
        "mailto:me@example.org",
        "https://example.org/x",
        "HTTPS://Example.org/ref",
    ]
    assert body.find("em").get_text() == "the claim" and body.find("strong").get_text() == "this"
    assert [c.get_text() for c in body.find_all("code")][0] == "a<b && c"
    assert body.find("pre").get_text() == "code <b>\n\nmore\n"
    assert [li.get_text().strip() for li in body.find_all("li")][:2] == ["one", "two"]
    assert body.find("table") is not None
    # The page keeps it as one raw HTML block: Markdown does not re-read the note's text.
    page = render_page(note_admonition(Note("s", "read", 3, note="`[x](javascript:alert(1))` and ``*no*``")))
    assert_inert(page)
    assert "[x](javascript:alert(1))" in page.get_text() and "*no*" in page.get_text()


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://x", "https"),
        ("  JaVa\nScRiPt:alert(1)", "javascript"),
        ("\x01java\x0bscript:x", "javascript"),
        ("page.md#x", None),
        ("#top", None),
        ("a/b:c", None),
    ],
)
def test_link_scheme_reads_urls_as_a_browser_would(url, scheme):
    assert link_scheme(url) == scheme


@pytest.mark.slow
def test_built_site_note_is_inert(tmp_path):
    """A real MkDocs build of a note full of attacks that are not links: shown as text, run nothing."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "tests" / "fixtures" / "notes" / "sources", sources)
    attacks = "\n\n".join(ATTACKS[k] for k in OURS if k not in LINK_ATTACKS)
    note = attacks + "\n\nA [good link](https://example.org/ok).\n"
    (tmp_path / "notes.yml").write_text(
        yaml.safe_dump({"denoising-diffusion-models-for-image-inpainting": {"status": "reading", "note": note}}),
        encoding="utf-8",
    )
    site, _ = build_site(tmp_path / "work", sources=sources, tags=ROOT / "tests" / "fixtures" / "notes" / "tags.yml")
    page = site / "papers" / "denoising-diffusion-models-for-image-inpainting" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
    box = soup.find("div", class_="admonition")
    assert box is not None and "My reading list" in box.get_text()
    assert_inert(box)
    assert [a["href"] for a in box.find_all("a")] == ["https://example.org/ok"]
    assert "<script>alert(1)</script>" in box.get_text()
    assert "<img src=x onerror=alert(1)>" in box.get_text()


def test_linkcheck_reads_a_javascript_link_as_a_browser_does(tmp_path):
    from tests.linkcheck import check_site

    links = "".join(f'<a href="{u}">x</a>' for u in ("java&#10;script:a()", "&#1;JavaScript:a()", " vbscript:a()"))
    (tmp_path / "index.html").write_text(f'<html lang="en"><title>t</title><body>{links}</body></html>')
    assert sum("javascript: link" in line for line in check_site(tmp_path).broken) == 3
