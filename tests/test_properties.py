"""Property-based tests (hypothesis) of the parser, the escaper and the slugger.

Any text either round-trips or gives a clean answer (entries plus problems,
never a traceback). The escaper is checked against the real Markdown set-up:
the extensions come from mkdocs.yml, so enabling one that reads another
character as syntax makes these tests fail.
"""

from __future__ import annotations

import html
import re
from functools import cache

import markdown
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from generator.escape import html_text, markdown_text
from generator.parse import BOILERPLATE, LISTING_DATE, MAX_TITLE_CHARS, SENTENCES, fold, line_kind, parse_listing
from generator.slugs import MAX_SLUG, RESERVED, assign_slugs, base_slug
from tests.sitebuild import ROOT

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Decoded listings never hold surrogates; everything else may appear.
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
# Markdown, HTML, YAML and Jinja syntax, over-represented so that hypothesis tries it often.
SYNTAX = list("\\`*_{}[]()#+-.!|~^=$:<>&\"'%@;,/?") + ["---", "```", "++", "{{", "{%", "<!--", "](", "&#", "1."]
LINE_TEXT = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.text(ANY_CHAR, max_size=6), st.sampled_from(["a", "Z", "9", " "])),
    max_size=40,
).map("".join)
PLAIN_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # python-slugify's output: never "--"
SLUG = re.compile(r"^[a-z0-9]+(?:--?[a-z0-9]+)*$")  # plus "--<hash>" on a collision (generator/slugs.py)


def one_line(text: str) -> str:
    """What the parser hands on: control characters gone, whitespace folded."""
    return fold(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text))


# --- parser -----------------------------------------------------------------------------------------


@SETTINGS
@given(st.text(ANY_CHAR, max_size=2000))
def test_parser_accepts_any_text(text):
    entries, problems = parse_listing("x.txt", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for entry in entries:
        assert entry.title and entry.abstract
        assert entry.title == fold(entry.title) and len(entry.title) <= MAX_TITLE_CHARS
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", entry.title + entry.abstract)
        assert 1 <= entry.provenance.line <= len(lines)
    for problem in problems:
        assert 0 <= problem.line <= len(lines) and problem.message


TITLE_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=".!?")
TITLE = st.text(TITLE_CHARS, min_size=1, max_size=120).map(fold)
ABSTRACT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=301, max_size=700).map(fold)


def is_plain_title(title: str) -> bool:
    return (
        bool(title)
        and title.lower() not in BOILERPLATE
        and not LISTING_DATE.match(title)
        and not title.startswith("Subscribe")
        and not SENTENCES.search(title)
        and line_kind(title) == "text"  # not page furniture, metadata or a date
    )


@SETTINGS
@given(
    st.lists(st.one_of(TITLE.map(lambda t: ("title", t)), ABSTRACT.map(lambda a: ("abstract", a))), max_size=12),
    st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\r\n\r\n"]),
)
def test_parser_round_trips_a_listing_and_accounts_for_every_line(items, newline):
    """A model of the rules: a title pairs with the abstract right after it; any other line is a skip."""
    assume(all(len(a) > MAX_TITLE_CHARS for kind, a in items if kind == "abstract"))
    assume(all(is_plain_title(t) for kind, t in items if kind == "title"))
    step = newline.count("\n") + newline.replace("\r\n", "\n").count("\r") or 1
    expected, skipped, pending = [], [], None
    for index, (kind, text) in enumerate(items):
        line = 1 + index * step
        if kind == "abstract":
            if pending is None:
                skipped.append(line)
            else:
                expected.append((pending[1], text, pending[0]))
                pending = None
        else:
            if pending is not None:
                skipped.append(pending[0])
            pending = (line, text)
    if pending is not None:
        skipped.append(pending[0])
    entries, problems = parse_listing("x.txt", newline.join(text for _, text in items))
    assert [(e.title, e.abstract, e.provenance.line) for e in entries] == expected
    assert sorted(p.line for p in problems if p.kind == "skip") == sorted(skipped)
    assert 2 * len(entries) + len(skipped) == len(items)


# --- escaper ----------------------------------------------------------------------------------------


@cache
def markdown_renderer() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def render(source: str) -> BeautifulSoup:
    md = markdown_renderer()
    md.reset()
    return BeautifulSoup(f"<body>{md.convert(source)}</body>", "html5lib").body


def elements(root) -> list[str]:
    return [el.name for el in root.find_all(True)]


@SETTINGS
@given(LINE_TEXT)
def test_markdown_text_renders_exactly_the_text_in_every_context(raw):
    text = one_line(raw)
    assume(text)
    escaped = markdown_text(text)
    assert "\n" not in escaped
    paragraph = render(f"{escaped}\n")
    assert elements(paragraph) == ["p"] and paragraph.get_text() == text
    heading = render(f"# {escaped}\n")
    assert elements(heading) == ["h1"] and heading.get_text() == text
    item = render(f"- [{escaped}](../papers/x.md)\n")
    assert elements(item) == ["ul", "li", "a"] and item.get_text().strip() == text
    assert item.find("a")["href"] == "../papers/x.md"


@SETTINGS
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=300))
def test_html_text_round_trips_and_makes_no_markup(text):
    """Control characters never get here: the parser removes them (see test_parser_accepts_any_text)."""
    escaped = html_text(text)
    assert not re.search(r"[<>\"']", escaped)
    assert html.unescape(escaped) == text
    parsed = BeautifulSoup(f'<body><span title="{escaped}">{escaped}</span></body>', "html5lib").body
    assert elements(parsed) == ["span"]
    assert parsed.span.get_text() == text and parsed.span["title"] == text


@SETTINGS
@given(st.text(ANY_CHAR, max_size=200))
def test_front_matter_title_round_trips_through_yaml(text):
    """Titles and tag names reach front matter as single lines (the parser folds line breaks such as NEL)."""
    from generator.pages import front_matter

    meta = {"title": html_text(one_line(text)), "tags": [html_text(one_line(text[:20]))]}
    block = front_matter(meta)
    assert block.startswith("---\n") and block.endswith("---\n")
    assert yaml.safe_load(block[4:-4]) == meta


# --- slugger ----------------------------------------------------------------------------------------


@SETTINGS
@given(st.text(ANY_CHAR, max_size=300))
def test_base_slug_is_url_safe_for_any_title(title):
    slug = base_slug(title)
    assert slug == "" or PLAIN_SLUG.match(slug)
    assert len(slug) <= MAX_SLUG


@SETTINGS
@given(st.lists(st.one_of(LINE_TEXT, st.sampled_from(["A", "a", "A.", "ä", "C++", "C#", "---", ""])), max_size=25))
def test_assign_slugs_is_unique_stable_and_local(titles):
    items = [(f"key-{i}-{t}", t) for i, t in enumerate(titles)]
    slugs = assign_slugs(items)
    assert len(set(slugs.values())) == len(items)
    for key, _ in items:
        slug = slugs[key]
        assert SLUG.match(slug) and len(slug) <= MAX_SLUG, slug
    assert assign_slugs(items) == slugs  # deterministic
    # The first paper with a given base slug keeps it.
    firsts: dict[str, str] = {}
    for key, title in items:
        firsts.setdefault(base_slug(title), key)
    for base, key in firsts.items():
        if base and base not in RESERVED:
            assert slugs[key] == base
    # Removing a paper changes no slug outside its own collision group.
    if items:
        gone_key, gone_title = items[0]
        rest = assign_slugs(items[1:])
        for key, title in items[1:]:
            if base_slug(title) != base_slug(gone_title):
                assert rest[key] == slugs[key]
