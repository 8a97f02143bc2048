"""What the second red team broke with hostile text, each case held here so it stays fixed."""

from __future__ import annotations

import csv
import io

import pytest

from generator.errors import GeneratorError
from generator.exports import CSV_FIELDS, LINE_END, csv_cell
from generator.models import Problem
from generator.notes import note_html
from generator.textclean import clean_text


@pytest.mark.parametrize(
    "text",
    [
        r"We thank the \author of this work.",
        r"x \title y",
        r"x \date",
        r"Built on \today and \maketitle here.",
        r"As shown by \cite{smith2020deep} and \input{/etc/passwd} and \includegraphics{figure_1.png}, we",
        r"See \ref{fig} and \eqref{eq:1} and \cref{sec} in \section{Intro} with \hspace{1cm} \textcolor{red}{word}",
        r"a \frac{1} b",
        "`a_1` and `x^2` are code",
        '<sub>x_1</sub> <img src="a_1.png">',
        "{{pi}} {{x_1}} {%if%}",
    ],
)
def test_text_that_is_not_safe_latex_stays_as_written(text):
    """No traceback, no build date, no dropped argument, no code turned into maths."""
    assert clean_text(text) == " ".join(text.split())


def test_one_abstract_cannot_leak_into_another():
    """pylatexenc keeps \\author and \\title between calls: such macros are never run."""
    first = clean_text(r"paper A \author{Mallory} sets an author")
    second = clean_text(r"paper B \maketitle prints a title")
    assert "Mallory" not in second and "Mallory" in first
    assert second == r"paper B \maketitle prints a title"


def test_recognised_latex_still_converts():
    assert clean_text(r"Fr\'echet and $O(\epsilon^{-2})$ and \frac{a}{b}") == "Fréchet and $O(ε⁻²)$ and a/b"


def test_a_carriage_return_cannot_start_a_new_csv_row():
    row = {name: "" for name in CSV_FIELDS}
    row["title"] = "\r=2+5+cmd|' /C calc'!A0"
    row["listings"] = "x\r=HYPERLINK(1)"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator=LINE_END)
    writer.writeheader()
    writer.writerow({k: csv_cell(v) for k, v in row.items()})
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 2
    assert rows[1][CSV_FIELDS.index("title")].startswith("'")
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[1])


def test_a_note_cannot_open_a_fenced_block_on_its_page():
    html = note_html("text\n\n    ```\n    x\n    ```\n\nafter ~~~ and `code` and [l](https://a.example/~u)")
    assert "```" not in html and "~~~" not in html
    assert "&#96;&#96;&#96;" in html and 'href="https://a.example/&#126;u"' in html


def test_messages_never_print_control_characters():
    name = "a\nread 1 listing files: 0 entries\x1b]0;PWNED\x07\x1b[2J.txt"
    shown = str(Problem(name, 3, "warning about \x1b[31mred"))
    assert "\n" not in shown and "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b" in shown
    error = str(GeneratorError("two\n  lines \x1b[2J", name, 2))
    assert error.count("\n") == 1 and "\x1b" not in error
