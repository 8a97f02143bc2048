"""URL extraction and cleaning: every URL of the embedded corpus against its expected clean form."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.links import abstract_links, clean_token, find_urls, lookup_links, safe_href

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"  # frozen copy of corpus/
EXPECTED = ROOT / "tests" / "fixtures" / "links" / "corpus_urls.tsv"


def expected_rows() -> list[tuple[str, int, str, tuple[str, ...], str]]:
    rows = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        name, number, raw, urls, text = line.split("\t")
        rows.append((name, int(number), raw, tuple(urls.split()), text))
    return rows


def found_rows() -> list[tuple[str, int, str, tuple[str, ...], str]]:
    rows = []
    for path in sorted((EMBEDDED / "sources").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for span in find_urls(line):
                end = span.end
                while end < len(line) and not line[end].isspace():
                    end += 1
                rows.append((path.name, number, line[span.start : end], span.urls, span.text))
    return rows


def test_every_corpus_url_has_its_expected_clean_form():
    expected = expected_rows()
    assert len(expected) == 79
    assert found_rows() == expected


def test_no_url_in_the_corpus_is_missed():
    lines_with_urls = set()
    for path in sorted((EMBEDDED / "sources").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            lines_with_urls.update((path.name, number) for _ in re.finditer(r"https?://|github\.com/", line))
    assert lines_with_urls == {(name, number) for name, number, *_ in expected_rows()}


def test_clean_urls_carry_no_residue():
    urls = {url for *_, clean, _ in expected_rows() for url in clean}
    assert len(urls) == 72
    for url in urls:
        assert re.fullmatch(r"https?://[^\s{}]+", url), url
        assert url[-1] not in ".,;:", url
        assert not url.endswith(".git"), url


@pytest.mark.parametrize(
    ("token", "urls", "text"),
    [
        ("https://github.com/a/b.", ("https://github.com/a/b",), ""),
        ("https://github.com/a/b,", ("https://github.com/a/b",), ""),
        (
            "https://github.com/henryqin1997/InfoBatch{github.com/NUS-HPC-AI-Lab/InfoBatch}.",
            ("https://github.com/henryqin1997/InfoBatch", "https://github.com/NUS-HPC-AI-Lab/InfoBatch"),
            "",
        ),
        ("https://dnmp.github.io/{https://dnmp.github.io/}.", ("https://dnmp.github.io/",), ""),
        ("https://anonymous.4open.science/r/X-1{here.}", ("https://anonymous.4open.science/r/X-1",), "here."),
        ("https://github.com/x/EQ-Net.git{https://github.com/x/EQ-Net}.", ("https://github.com/x/EQ-Net",), ""),
        ("github.com/edwardjhu/TP4.", ("https://github.com/edwardjhu/TP4",), ""),
    ],
)
def test_clean_token(token, urls, text):
    found, words = clean_token(token)
    assert found == urls
    assert words == text


def test_links_are_classified_and_labelled():
    text = (
        "Code at https://github.com/a/b. Project page: https://a.github.io/p/. "
        "Review copy: https://anonymous.4open.science/r/X{here}. Again https://github.com/a/b"
    )
    links = abstract_links(text)
    assert [(link.url, link.kind) for link in links] == [
        ("https://github.com/a/b", "code"),
        ("https://a.github.io/p/", "project"),
        ("https://anonymous.4open.science/r/X", "code"),
    ]
    assert [link.label for link in links] == ["Code", "Project page", "Code (anonymous review copy)"]


def test_find_urls_keeps_sentence_punctuation_outside():
    text = "Code: https://github.com/a/b. Next sentence."
    (span,) = find_urls(text)
    assert text[span.end :] == ". Next sentence."


def test_unbalanced_closing_parenthesis_stays_in_the_text():
    text = "(see https://example.org/a_(b)), then"
    (span,) = find_urls(text)
    assert span.urls == ("https://example.org/a_(b)",)
    assert text[span.end :] == "), then"


def test_lookup_links_encode_the_title():
    title = 'Attention & "Is" All/You Need? #1'
    links = dict(lookup_links(title))
    assert set(links) == {"arXiv", "Semantic Scholar", "Google Scholar", "Hugging Face"}
    for url in links.values():
        assert " " not in url and '"' not in url
        query = parse_qs(urlsplit(url).query)
        assert title in [v for values in query.values() for v in values]


def test_safe_href_cannot_close_a_markdown_link():
    href = safe_href('https://x.org/a) "b" <c>')
    assert not set(href) & set(' ()<>"')
