"""Abstract text with LaTeX residue -> clean text a reader expects.

Listings copy abstracts from arXiv with their LaTeX half-digested: ``deep'',
Fr\\'echet, {\\em finite sample}, 90\\%, and maths whose backslashes were eaten
on the way (`mathcal O(epsilon^{-2})`, `ell_infty`). pylatexenc does the LaTeX
-> Unicode work; this module only prepares its input (puts back the eaten
backslashes where the context says "maths", turns sub/superscript groups into
Unicode) and keeps emphasis as separate runs, so that Markdown is built from
escaped text plus our own `*...*`. URLs are left alone (see links.py).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator.cache import Cache, Lru
from generator.escape import markdown_text
from generator.links import find_urls

# pylatexenc logs its own complaints ("macro '\\frac' failed") to stderr, outside our
# `warning: path:line` format; a fragment it cannot convert stays as written, which is all we need.
logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)

# Macro names whose backslash often went missing. Inside a maths-looking token
# any of them is restored, even glued to its neighbours (`nepsilon`, `Ain`);
# the longest name wins, so `min` is \min and not m + \in.
MATH_MACROS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
    "mathcal",
    "mathfrak",
    "mathsf",
    "mathbb",
    "mathrm",
    "mathbf",
    "sqrt",
    "frac",
    "infty",
    "leq",
    "geq",
    "neq",
    "times",
    "cdot",
    "circ",
    "in",
    "subset",
    "subseteq",
    "ll",
    "gg",
    "rightarrow",
    "leftarrow",
    "ldots",
    "cdots",
    "widetilde",
    "tilde",
    "propto",
    "dagger",
    "top",
    "star",
    "sum",
    "prod",
    "min",
    "max",
    "log",
    "exp",
    "left",
    "right",
    "approx",
    "ell",
    "partial",
    "nabla",
]
# Outside maths tokens only names that are not English words are restored.
WORD_MACROS = set(MATH_MACROS) - {"in", "top", "sum", "prod", "min", "max", "log", "exp", "star", "left", "right"}
WORD_MACROS -= {"times", "subset", "approx", "partial", "mu", "nu", "xi", "pi", "eta", "chi", "Pi", "Xi"}
WORD_MACROS -= {"beta", "rho", "iota", "upsilon", "Upsilon", "dagger", "mathrm", "mathbf", "mathsf", "prod"}
EMPHASIS_STYLES = {"em": "em", "it": "em", "sl": "em", "itshape": "em", "bf": "strong", "bfseries": "strong"}
EMPHASIS_STYLES.update({"emph": "em", "textit": "em", "textsl": "em", "textbf": "strong"})
# {\em text} and \emph{text} (no nested braces inside).
EMPHASIS = re.compile(r"\{\\(em|it|sl|itshape|bf|bfseries)\s+([^{}]*)\}|\\(emph|textit|textsl|textbf)\{([^{}]*)\}")

# Macros that take an argument: restored with a space, the others with {} so
# that pylatexenc does not eat the space that follows them.
ARG_MACROS = {"mathcal", "mathfrak", "mathsf", "mathbb", "mathrm", "mathbf", "sqrt", "frac", "widetilde", "tilde"}
MACRO_ALT = "|".join(sorted(MATH_MACROS, key=len, reverse=True))
# Glued names must not run on into a word: "approximate" holds no \approx.
MACRO_END = rf"(?!(?!(?:{MACRO_ALT}))[a-z])"
GLUED_MACRO = re.compile(rf"(?<![\\A-Za-z])({MACRO_ALT}){MACRO_END}|(?<=[A-Za-z0-9])({MACRO_ALT}){MACRO_END}")
# snake_case names (aux_zipf_loss) are code, not subscripts.
IDENTIFIER = re.compile(
    r"(?<![\w\\])[A-Za-z][A-Za-z0-9]+(?:_[A-Za-z0-9]+)*_(?!(?:" + MACRO_ALT + r")\b)[a-z][A-Za-z0-9]+\b"
)
SINGLE_QUOTES = re.compile(r"(?<!`)`([^`'\n]{1,80})'(?![A-Za-z'])")
WORD_MACRO = re.compile(rf"(?<![\\\w])({'|'.join(sorted(WORD_MACROS, key=len, reverse=True))})(?![A-Za-z])")
# A token is maths when it has sub/superscripts or relations, or braces with a
# digit, a lost \frac ("}{"), or a macro name right after a brace.
MATHY = re.compile(rf"[\^_]|(?=.*[{{}}])(?:.*\d|.*\}}\{{|.*[{{(](?:{MACRO_ALT})(?![a-z]))")
REAL_MACRO = re.compile(r"\\[A-Za-z]")
DIGIT_MACRO = re.compile(r"(?<=\d)(leq|geq|ll|gg|times|cdot)(?![A-Za-z])")
# For _needs_latex: every run of letters that starts a word; DIGIT_MACRO without its look-behind.
WORD_START = re.compile(r"(?<![\\\w])[A-Za-z]+")
DIGIT_NAME = re.compile(r"\d(?:leq|geq|ll|gg|times|cdot)(?![A-Za-z])")
SET_MEMBER = re.compile(r"\b([A-Za-z])in(?= (?:R\b|R\^|\\mathbb))")
SCRIPT_GROUP = re.compile(r"([\^_])\{((?:[^{}]|\{\})*)\}")
# A script needs a base right before it: "_under_" is not a subscript.
SCRIPT_ONE = re.compile(r"(?:(?<=[^\W_])|(?<=[)}\]|'*]))([\^_])(\\[A-Za-z]+|[A-Za-z0-9*+\-])")
# Template syntax ({{ name }}, {% tag %}) is not LaTeX: it is kept as written.
TEMPLATE = re.compile(r"\{\{[^{}\n]*\}\}|\{%.*?%\}|\{#.*?#\}")
# Markdown code spans (`a_1`) and HTML tags (<img src="a_1.png">) are code, not LaTeX: held as written.
CODE_SPAN = re.compile(r"(?<!`)`[^`'\n]+`(?!`)")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Macros pylatexenc knows but that must not run on an abstract: they read or set document state
# (\today prints the build date, \author{X} leaks into the next \maketitle) or drop their argument
# (\cite{key} -> "<cit.>", \includegraphics{f} -> nothing). A token holding one stays as written.
UNSAFE_MACROS = frozenset(
    [
        "today",
        "maketitle",
        "author",
        "title",
        "date",
        "thanks",
        "and",
        "address",
        "email",
        "affiliation",
        "keywords",
        "cite",
        "citep",
        "citet",
        "citealt",
        "citealp",
        "citeauthor",
        "citeyear",
        "nocite",
        "ref",
        "eqref",
        "cref",
        "Cref",
        "autoref",
        "pageref",
        "label",
        "input",
        "include",
        "includeonly",
        "includegraphics",
        "graphicspath",
        "bibliography",
        "bibliographystyle",
        "hspace",
        "vspace",
        "hskip",
        "vskip",
        "textcolor",
        "color",
        "colorbox",
        "fbox",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
        "subparagraph",
        "chapter",
        "part",
        "appendix",
        "footnote",
        "footnotemark",
        "footnotetext",
        "caption",
        "item",
        "newcommand",
        "renewcommand",
        "providecommand",
        "def",
        "let",
        "usepackage",
        "documentclass",
        "url",
        "href",
        "tableofcontents",
        "listoffigures",
        "listoftables",
        "newpage",
        "clearpage",
        "pagebreak",
        "linebreak",
    ]
)
# A token longer than this, or with groups ({ or [) nested deeper, stays as written (see too_hard).
MAX_TOKEN = 200
MAX_DEPTH = 6
# What pylatexenc is asked to convert: macros, accents and escaped specials.
LATEX_ESCAPE = re.compile(r"\\(?:[A-Za-z]+|['\"`^~=.]|[%&#_$])")
# Backslashes that are not LaTeX residue we know (\* \( \[): the token stays as written.
UNHANDLED_BACKSLASH = re.compile(r"\\(?![A-Za-z'\"`^~=.%&#_${}])")
# A Windows path (C:\\Users) is not LaTeX, whatever macro names its folders spell.
WINDOWS_PATH = re.compile(r"(?<![A-Za-z])[A-Za-z]:\\")
MACRO_NAME = re.compile(r"\\([A-Za-z]+)")
UNSAFE_USE = re.compile(r"\\(?:" + "|".join(sorted(UNSAFE_MACROS, key=len, reverse=True)) + r")(?![A-Za-z])")
# Accents that take an argument: LaTeX writes \v{c} and \'e; code writes \d+, \u00e9, \"%d, \.txt.
ACCENT_USE = re.compile(
    r"\\[bcdHkruv](?![A-Za-z])(?!\{(?:[A-Za-z]|\\[ij]))"  # a letter accent without its {letter}
    r"|\\\.(?!\{)"  # \. only as \.{z}: \.txt is a regex
    r"""|\\['"`^~=](?![A-Za-z{]|\\[ij])"""  # a symbol accent before no letter
)
# Markup of other languages in a token (^^x^^, x^2^, ~~x~~, ==x==, ++x++): not LaTeX.
MARKUP_PAIRS = re.compile(r"\^\^|\^[A-Za-z0-9]+\^(?![{\w])|~[A-Za-z0-9]*~|==|\+\+")
DOUBLE_QUOTES = re.compile(r"(?<!`)``(?!`)([^`']{1,300}?)(?<!')''(?!')")
# ``word" with a plain closing quote; ``code`` (Markdown's code span) is no quote.
OPEN_QUOTES = re.compile(r'(?<![`\w])``(?=\w[^`"\n]{0,300}")')
CLOSE_QUOTES = re.compile(r"(?<=[\w.,])''(?![\w'])")
TIE = re.compile(r"(?<=[\w.,])~(?=[\w(\ue000])")
# {word group} with plain words inside loses its braces; {: attr}, {#id}, {{ x }} do not match.
WORD_GROUP = re.compile(r"(?<![^\s(])\{([A-Za-z][A-Za-z0-9 ,.;:'’()/\-]{0,600})\}|(?<=\w)\{([-–/])\}(?=\w)")
SPACED_ARGUMENT = re.compile(
    r"(?<![\\\w])(mathcal|mathfrak|mathsf|mathbb|tilde|widetilde|sqrt)\s+([A-Za-z]|[A-Z][a-z]+)(?![\w])"
)
LETTER_MACRO = re.compile(r"\\(L|l|o|O|ss|ae|AE|oe|OE|aa|AA|i|j)\s+(?=[a-z])")
LATEX_HINT = re.compile(r"[\\{}^_~`$]|''")
PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
# Private-use characters are held like URLs, so that none can pose as a placeholder.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")

SUPERSCRIPT = dict(
    zip("0123456789+-−=()nijkmpstTuvxyzabcdeo*⋆†⊤", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱʲᵏᵐᵖˢᵗᵀᵘᵛˣʸᶻᵃᵇᶜᵈᵉᵒ*⋆†ᵀ", strict=True)
)
SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))


@dataclass(frozen=True)
class Run:
    """A piece of clean text and its style: "" (plain), "em" or "strong"."""

    text: str
    style: str = ""


def make_converter() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    # \widetilde{O} would lose its tilde; \log and friends would glue to the next word.
    extra = [MacroTextSpec("widetilde", simplify_repl=r"%s" + "\u0303")]
    extra.append(MacroTextSpec("epsilon", simplify_repl="ε"))  # the reader's epsilon, not the lunate one
    db = db.filter_context()  # a copy: the default database is shared
    db.add_context_category("readinglist", macros=extra, prepend=True)
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


CONVERTER = make_converter()  # built once at import (16 ms); textclean is imported only when pages are made


def _macro(name: str) -> str:
    return f"\\{name} " if name in ARG_MACROS else f"\\{name}{{}}"


def _script(mark: str, content: str) -> str:
    table = SUPERSCRIPT if mark == "^" else SUBSCRIPT
    content = content.strip()
    if content and all(c in table for c in content):
        return "".join(table[c] for c in content)
    if len(content) == 1:
        return mark + content
    return f"{mark}({content})"


def scripts_to_unicode(text: str) -> str:
    """^{...} and _{...} (innermost first), then ^x and _x: Unicode where it exists, else ^(...)."""
    while True:
        new = SCRIPT_GROUP.sub(lambda m: _script(m.group(1), latex_to_text(m.group(2))), text)
        if new == text:
            break
        text = new
    return SCRIPT_ONE.sub(lambda m: _script(m.group(1), latex_to_text(m.group(2)).strip()), text)


def latex_to_text(source: str) -> str:
    try:
        return CONVERTER.latex_to_text(source)
    except Exception:  # noqa: BLE001 - pylatexenc raises many kinds (AttributeError on a bare \\author; RecursionError)
        return source  # a fragment pylatexenc cannot make sense of stays as written


def too_hard(token: str) -> bool:
    """A token pylatexenc must never see: its parser recurses once per nested group (a RecursionError
    at ~1,000) and backtracks over unclosed ones (time doubles with each `\\frac{`). Real LaTeX in an
    abstract is short and shallow."""
    if len(token) > MAX_TOKEN:
        return True
    depth = deepest = 0
    for char in token:
        if char in "{[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "}]" and depth:
            depth -= 1
    return deepest > MAX_DEPTH


def convert_token(token: str) -> str:
    """One whitespace-free token: LaTeX residue -> Unicode; anything else is left exactly as written."""
    if "\ue000" in token or MARKUP_PAIRS.search(token) or UNHANDLED_BACKSLASH.search(token):
        return token
    if ("{" in token or "[" in token or len(token) > MAX_TOKEN) and too_hard(token):
        return token
    if "\\" in token and not _latex_backslashes(token) or UNSAFE_USE.search(token):
        return token  # code, a path or a regex: \n, C:\Windows, \d+ are not LaTeX
    work = token
    if MATHY.search(work) and not REAL_MACRO.search(work):
        # A lost \frac leaves two groups side by side: {a}{b} or 1{2}.
        work = re.sub(r"\}\{|(?<=\d)\{(?=\d)", lambda m: "}/{" if m.group() == "}{" else "/{", work)
        work = GLUED_MACRO.sub(lambda m: _macro(m.group(1) or m.group(2)), work)
    elif not REAL_MACRO.search(work):
        work = DIGIT_MACRO.sub(lambda m: _macro(m.group(1)), work)
        work = WORD_MACRO.sub(lambda m: _macro(m.group(1)), work)
    if SCRIPT_GROUP.search(work) or SCRIPT_ONE.search(work):
        work = scripts_to_unicode(work)
    if LATEX_ESCAPE.search(work):
        # Only here does pylatexenc see the token; % & # would be syntax to it.
        try:
            work = CONVERTER.latex_to_text(re.sub(r"(?<!\\)([%&#$])", r"\\\1", work))
            if "%s" in work and "%s" not in token:
                return token  # a macro missing its arguments (\frac{1}) leaks pylatexenc's template
        except Exception:  # noqa: BLE001 - pylatexenc raises many kinds (AttributeError on a bare \\author; RecursionError)
            return token  # a fragment pylatexenc cannot make sense of stays as written
    elif work != token:
        work = re.sub(r"\{([^{}\\]*)\}", r"\1", work)  # maths groups, now plain
    return work


def known_macros() -> frozenset[str]:
    """Every macro name the conversion knows: pylatexenc's, ours, the emphasis commands."""
    db = get_default_latex_context_db()
    names = {spec.macroname for spec in db.iter_macro_specs(db.category_list)}
    return frozenset((names | set(MATH_MACROS) | set(EMPHASIS_STYLES)) - UNSAFE_MACROS)


KNOWN_MACROS = known_macros()


def _latex_backslashes(token: str) -> bool:
    """Whether every backslash in the token starts LaTeX we know, used the way LaTeX uses it."""
    if WINDOWS_PATH.search(token) or ACCENT_USE.search(token):
        return False
    return all(name in KNOWN_MACROS for name in MACRO_NAME.findall(token))


def convert_plain(text: str, tokens: Lru | None = None) -> str:
    """A stretch of running text (no emphasis inside): quotes, ties, groups, then token by token.

    Each substitution runs only when the text holds the character it needs:
    most abstracts have a little LaTeX, and a regex scan costs more than `in`.
    """
    if "``" in text:
        text = DOUBLE_QUOTES.sub("\u201c\\1\u201d", text)
    if "`" in text:
        text = SINGLE_QUOTES.sub("\u2018\\1\u2019", text)
    if "~" in text:
        text = TIE.sub(_tie, text)
    if "{" in text:
        text = WORD_GROUP.sub(lambda m: m.group(1) or m.group(2), text)
    if "``" in text:
        text = OPEN_QUOTES.sub("\u201c", text)
    if "''" in text:
        text = CLOSE_QUOTES.sub("\u201d", text)
    if "in R" in text or "in \\mathbb" in text:
        text = SET_MEMBER.sub(r"\1 \\in{}", text)
    if "\\" in text:
        text = LETTER_MACRO.sub(r"\\\1{}", text)  # \L ojasiewicz is one word: Łojasiewicz
    if "math" in text or "tilde" in text or "sqrt" in text:
        text = SPACED_ARGUMENT.sub(r"\1{\2}", text)  # "mathcal O(" -> "mathcal{O}(": one token
    parts = _tokens(text)
    # Tokens are converted once per distinct token (convert_token is pure), and with `tokens`
    # (the run's cache) once per run; a text none of whose tokens changes is returned as it is.
    changed: dict[str, str] = {}
    for token in set(parts):
        if not token or token.isspace():
            continue  # the spaces between tokens stay as they are
        if token.isascii() and token.isalpha() and token not in WORD_MACROS:
            continue  # a plain word (most tokens): convert_token changes it only when it is a macro's name
        converted = None if tokens is None else tokens.get(token)
        if converted is None:
            converted = convert_token(token)
            if tokens is not None:
                tokens.put(token, converted)
        if converted != token:
            changed[token] = converted
    if not changed:
        return "".join(parts)
    return "".join([changed.get(t, t) for t in parts])


def _tokens(text: str) -> list[str]:
    """Split at whitespace outside braces: a brace group ({m times k}) stays one token."""
    parts = re.split(r"(\s+)", text)
    if "{" not in text or all(p.count("{") <= p.count("}") for p in parts if "{" in p):
        return parts  # no token leaves a brace open: nothing to join
    tokens: list[str] = []
    depth = 0
    for part in parts:
        if tokens and depth > 0:
            tokens[-1] += part
        else:
            tokens.append(part)
        if not part.isspace():
            depth = max(0, depth + part.count("{") - part.count("}"))
    return tokens


def _tie(match: re.Match[str]) -> str:
    """A LaTeX tie (~) between words is a space; ~x~ and ~~x~~ are someone's markup, left alone."""
    before, after = match.string[: match.start()], match.string[match.end() :]
    if re.match(r"[^\s~]*~", after) or re.search(r"~[^\s~]*$", before):
        return match.group()
    return " "


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    if len(runs) == 1:  # (most texts: no emphasis) its words, single-spaced: what the loops below make of it
        words = " ".join(runs[0].text.split())  # (str.split and the regex's \s: the same whitespace)
        return (Run(words, runs[0].style),) if words else ()
    merged: list[Run] = []
    for run in runs:
        text = run.text.replace("\u00a0", " ")
        if not text:
            continue
        if merged and merged[-1].style == run.style:
            merged[-1] = Run(merged[-1].text + text, run.style)
        else:
            merged.append(Run(text, run.style))
    # Collapse spaces across run borders, and trim the ends.
    out: list[Run] = []
    previous_space = True
    for run in merged:
        text = re.sub(r"\s+", " ", run.text)
        if previous_space:
            text = text.lstrip(" ")
        if text:
            out.append(Run(text, run.style))
            previous_space = text.endswith(" ")
    if out:
        out[-1] = Run(out[-1].text.rstrip(), out[-1].style)
    return tuple(r for r in out if r.text)


def clean_runs(raw: str, cache: Cache | None = None) -> tuple[Run, ...]:
    """Raw abstract -> runs of clean Unicode text with their emphasis.

    Only recognised LaTeX residue changes; text that is not LaTeX (Markdown,
    templates, HTML, code) stays exactly as written. With `cache`, each abstract
    and each token is converted once for as long as the cache lives.
    """
    if cache is None:
        return _clean_runs(raw, None)
    return cache.clean.memo(raw, lambda: _clean_runs(raw, cache.tokens))


def plain_runs(raw: str) -> tuple[Run, ...]:
    """The runs of text with nothing LaTeX-like in it: its words, single-spaced."""
    return (Run(" ".join(raw.split())),) if raw.strip() else ()


def _clean_runs(raw: str, tokens: Lru | None) -> tuple[Run, ...]:
    runs = latex_runs(raw, tokens)
    return plain_runs(raw) if runs is None else runs


def latex_runs(raw: str, tokens: Lru | None = None) -> tuple[Run, ...] | None:
    """`clean_runs(raw)` when the text holds something LaTeX-like; None for plain text (most abstracts), whose
    runs are `plain_runs(raw)`: a worker sends back only the runs it made, not the texts it was given."""
    if not _needs_latex(raw):
        return None
    held: list[str] = []
    pieces: list[str] = []
    last = 0
    for span in find_urls(raw):
        pieces.append(_hold_private_use(raw[last : span.start], held))
        pieces.append(_hold(" ".join(span.urls) + (f" {span.text}" if span.text else ""), held))
        last = span.end
    pieces.append(_hold_private_use(raw[last:], held))
    # URLs, template syntax and code identifiers go through untouched, behind placeholders.
    source = "".join(pieces)
    if "`" in source:
        source = CODE_SPAN.sub(lambda m: _hold(m.group(), held), source)
    if "<" in source:
        source = HTML_TAG.sub(lambda m: _hold(m.group(), held), source)
    if "{" in source:
        source = TEMPLATE.sub(lambda m: _hold(m.group(), held), source)
    if "_" in source:
        source = IDENTIFIER.sub(lambda m: _hold(m.group(), held), source)
    runs: list[Run] = []
    last = 0
    for match in EMPHASIS.finditer(source) if "\\" in source else ():
        runs.append(Run(convert_plain(source[last : match.start()], tokens)))
        style = EMPHASIS_STYLES[match.group(1) or match.group(3)]
        runs.append(Run(convert_plain(match.group(2) if match.group(1) else match.group(4), tokens), style))
        last = match.end()
    runs.append(Run(convert_plain(source[last:], tokens)))
    if not held:
        return _merge(runs)
    return tuple(Run(PLACEHOLDER.sub(lambda m: held[int(m.group(1))], r.text), r.style) for r in _merge(runs))


def _hold(text: str, held: list[str]) -> str:
    held.append(text)
    return f"\ue000{len(held) - 1}\ue001"


def _hold_private_use(text: str, held: list[str]) -> str:
    if not PRIVATE_USE.search(text):
        return text
    return PRIVATE_USE.sub(lambda m: _hold(m.group(), held), text)


def _needs_latex(raw: str) -> bool:
    """Most abstracts are plain text: only those with something LaTeX-like go the long way.

    The same answer as searching LATEX_HINT, WORD_MACRO, DIGIT_MACRO and SET_MEMBER, found faster: a
    WORD_MACRO match is a whole run of letters that starts a word (WORD_START finds them all), a
    DIGIT_MACRO match a digit then a name (DIGIT_NAME), and SET_MEMBER needs "in R" or "in \\mathbb".
    """
    return bool(
        LATEX_HINT.search(raw)
        or not WORD_MACROS.isdisjoint(WORD_START.findall(raw))
        or DIGIT_NAME.search(raw)
        or (("in R" in raw or "in \\mathbb" in raw) and SET_MEMBER.search(raw))
    )


def known_runs(raw: str, known: Mapping[str, tuple[Run, ...]] | None) -> tuple[Run, ...]:
    """`raw`'s runs from `known` (raw abstract -> runs, as the catalogue carries them), else made now."""
    runs = known.get(raw) if known else None
    return runs if runs is not None else clean_runs(raw)


def clean_text(raw: str, known: Mapping[str, tuple[Run, ...]] | None = None) -> str:
    """Raw abstract -> plain clean text (no markup)."""
    return "".join(run.text for run in known_runs(raw, known))


def clean_markdown(raw: str, known: Mapping[str, tuple[Run, ...]] | None = None) -> str:
    """Raw abstract -> Markdown: every run escaped, emphasis added as our own markup only."""
    parts = []
    for run in known_runs(raw, known):
        if not run.style:
            parts.append(markdown_text(run.text) if not parts else _inline(run.text))
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip())]
        trail = run.text[len(run.text.rstrip()) :]
        mark = "*" if run.style == "em" else "**"
        parts.append(f"{lead}{mark}{_inline(run.text.strip())}{mark}{trail}")
    return "".join(parts)


def clean_html(raw: str, known: Mapping[str, tuple[Run, ...]] | None = None) -> str:
    """Raw abstract -> HTML text: every run escaped (character references), emphasis as <em>/<strong>."""
    parts = []
    for run in known_runs(raw, known):
        text = markdown_text(run.text)
        parts.append(f"<{run.style}>{text}</{run.style}>" if run.style else text)  # style: "em" or "strong"
    return "".join(parts)


def _inline(text: str) -> str:
    """Escape a run that does not start the line (block syntax cannot apply mid-line)."""
    return markdown_text("x" + text)[1:]


def fold(text: str) -> str:
    """Accents and case folded away: for comparing raw and clean words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
