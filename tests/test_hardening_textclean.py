"""The LaTeX clean-up converts only recognised LaTeX: code, paths, regexes, backticks and private-use text stay.

Red-team cases: an abstract about code lost its backslashes (`\\n`, `\\t`,
`C:\\Windows\\System32`, `\\d+` vanished or became accents), private-use
characters were replaced by the abstract's URL (they collided with the
placeholders that hold URLs), and a Markdown double-backtick code span became a
typographic quote. A private-use character next to a URL, or a URL with a
bracket in its host, crashed with a traceback.
"""

from __future__ import annotations

import pytest

from generator.links import abstract_links, clean_url
from generator.textclean import clean_markdown, clean_text

AS_WRITTEN = [
    r"We split lines on \n and fields on \t in the parser.",
    r"Logs go to C:\Windows\System32 and C:\Users\me\theta.txt by default.",
    r"The regex \d+ and \w+ and \s* with \b anchors and \.txt$ files.",
    r"Escapes \x41 and \u00e9 and \0 and \\ and \r\n end lines.",
    r'printf("%d\n") and \foo{bar} and \mycommand are code.',
    r"Use \d{3}-\d{4} to match numbers and \v or \f in strings.",
    r"A share \\server\share\alpha holds it.",
    "Run ``make test`` and ``code`` before `merge`.",
    "Private \ue000 and \uf8ff and \ue0010\ue001 stay.",
]


@pytest.mark.parametrize("raw", AS_WRITTEN)
def test_text_that_is_not_latex_stays_as_written(raw):
    assert clean_text(raw) == raw
    # And with real LaTeX residue beside it, which still converts.
    assert clean_text(raw + r" Fr\'echet, 90\% and {\em this}.") == raw + " Fréchet, 90% and this."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (r"the \alpha and \frac{1}{2} and \emph{x}", "the α and 1/2 and x"),
        (r"Ko\v{c}isk\'y and Gar\c{c}on and Erd\H{o}s and \u{a}", "Kočiský and Garçon and Erdős and ă"),
        (r"the \L ojasiewicz and \o{} and \ss{} words", "the Łojasiewicz and ø and ß words"),
        ("a ``deep'' and `lifted' net", "a “deep” and ‘lifted’ net"),
        (r"costs \$5 and 90\% and R\&D and \#1 and a\_b", "costs $5 and 90% and R&D and #1 and a_b"),
        ("needs O(epsilon^{-3}) queries", "needs O(ε⁻³) queries"),
    ],
)
def test_recognised_latex_still_converts(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "Private \ue000 text. Code: https://github.com/a/b.",
        "Private \ue0000\ue001 text and {\\em this}. Code: https://github.com/a/b.",
        "x\ue0005\ue001 and \\alpha, see https://github.com/a/b{github.com/c/d}.",
        "\ue001\ue000 https://x.org/\ue000 and \\emph{y} \ue0009\ue001",
        "See https://github.com/a/b\ue000c and $x$ \\alpha.",
    ],
)
def test_private_use_characters_stay_and_never_become_a_url(raw):
    clean = clean_text(raw)  # no traceback
    for ch in "\ue000\ue001\uf8ff":
        assert clean.count(ch) == raw.count(ch)
    assert clean.count("https://") == raw.count("https://") + raw.count("{github.com")
    assert clean_markdown(raw)


@pytest.mark.parametrize("raw", ["see https://[x.org/ now", "see https://x.org]/ and \\alpha"])
def test_url_with_a_bracket_in_its_host_is_no_traceback(raw):
    assert abstract_links(raw) == ()
    assert clean_text(raw).startswith("see https://")
    assert clean_url("https://[::1/") is None
