"""papers.csv (whole list and per tag) cannot carry a spreadsheet formula: risky cells start with a quote.

OWASP's CSV injection advice: a cell starting with =, +, -, @, tab or carriage
return is read as a formula by Excel, LibreOffice and Google Sheets; prefixing
a single quote makes it text.
"""

from __future__ import annotations

import csv
import io

import pytest

from generator import exports
from generator.build import Options, generate, make_catalogue
from generator.exports import csv_cell
from generator.render_tags import papers_by_tag
from tests.sitebuild import ROOT

TAGS = ROOT / "tests" / "fixtures" / "notes" / "tags.yml"
ABSTRACT = (
    "denoising diffusion models for image synthesis in a new setting. "
    "The sampler needs fewer steps than earlier work, and a user study prefers its completions."
)
PAPERS = {
    '=HYPERLINK("https://evil.example","click") diffusion models': "=1+1 We study " + ABSTRACT,
    "+cmd|' /C calc'!A0 diffusion models": "+2 We study " + ABSTRACT,
    "-2+3 diffusion models": "-3 We study " + ABSTRACT,
    "@SUM(A1:A9) diffusion models": "@4 We study " + ABSTRACT,
}
RISKY = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("a=1", "a=1"),
        ("", ""),
        (3, 3),
    ],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_exported_csv_reads_back_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the generator copies the search shim from node_modules/
    sources = tmp_path / "sources"
    sources.mkdir()
    listing = "\n\n".join(f"{title}\n\n{abstract}" for title, abstract in PAPERS.items()) + "\n"
    (sources / "=cmd|' calc'!A0.txt").write_text(listing, encoding="utf-8")
    (sources / "\t@tab.txt").write_text("Another diffusion models paper\n\nWe study " + ABSTRACT + "\n")
    docs = tmp_path / "docs"
    generate(Options(sources=sources, docs=docs, tags=TAGS))
    # Each tag's CSV is made in the browser, byte for byte as exports.papers_csv makes it for the tag's
    # papers (tests/browser/test_size_downloads.py): check what that function makes.
    cat = make_catalogue(Options(sources=sources, tags=TAGS)).catalogue
    rows_of = exports.export_rows(cat, cat.papers, True)
    texts = {"papers.csv": (docs / "papers.csv").read_text(encoding="utf-8")}
    for slug, tagged in papers_by_tag(cat).items():
        texts[f"tags/{slug}/papers.csv"] = exports.papers_csv(tagged, rows_of).decode("utf-8")
    counted = 0
    for path, text in texts.items():
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        counted += len(rows)
        for row in rows:
            for name, cell in row.items():
                assert not cell.startswith(RISKY), (path, name, cell)
    assert counted > 2 * len(PAPERS)  # the whole list and at least one tag's list
    rows = list(csv.DictReader(io.StringIO((docs / "papers.csv").read_text(encoding="utf-8"), newline="")))
    titles = {row["title"] for row in rows}
    assert {f"'{t}" for t in PAPERS} <= titles and "Another diffusion models paper" in titles
    assert {row["listings"] for row in rows} == {"'=cmd|' calc'!A0.txt", "'\t@tab.txt"}
    assert all(row["abstract"].startswith("'") for row in rows if row["title"] in {f"'{t}" for t in PAPERS})
