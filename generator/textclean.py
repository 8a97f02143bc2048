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

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import LatexCharsNode, LatexGroupNode, LatexMacroNode, LatexWalker, LatexWalkerError
from pylatexenc.latexwalker import get_default_latex_context_db as get_walker_context_db

from generator.escape import markdown_text
from generator.links import find_urls

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
EMPHASIS_SWITCHES = {"em": "em", "it": "em", "sl": "em", "itshape": "em", "bf": "strong", "bfseries": "strong"}
EMPHASIS_MACROS = {"emph": "em", "textit": "em", "textsl": "em", "textbf": "strong"}

# Macros that take an argument: restored with a space, the others with {} so
# that pylatexenc does not eat the space that follows them.
ARG_MACROS = {"mathcal", "mathfrak", "mathsf", "mathbb", "mathrm", "mathbf", "sqrt", "frac", "widetilde", "tilde"}
_MACRO_ALT = "|".join(sorted(MATH_MACROS, key=len, reverse=True))
# Glued names must not run on into a word: "approximate" holds no \approx.
_END = rf"(?!(?!(?:{_MACRO_ALT}))[a-z])"
GLUED_MACRO = re.compile(rf"(?<![\\A-Za-z])({_MACRO_ALT}){_END}|(?<=[A-Za-z0-9])({_MACRO_ALT}){_END}")
# snake_case names (aux_zipf_loss) are code, not subscripts.
IDENTIFIER = re.compile(
    r"(?<![\w\\])[A-Za-z][A-Za-z0-9]+(?:_[A-Za-z0-9]+)*_(?!(?:" + _MACRO_ALT + r")\b)[a-z][A-Za-z0-9]+\b"
)
SINGLE_QUOTES = re.compile(r"(?<!`)`([^`'\n]{1,80})'(?![A-Za-z'])")
WORD_MACRO = re.compile(rf"(?<![\\\w])({'|'.join(sorted(WORD_MACROS, key=len, reverse=True))})(?![A-Za-z])")
# A token is maths when it has sub/superscripts or relations, or braces with a
# digit, a lost \frac ("}{"), or a macro name right after a brace.
MATHY = re.compile(rf"[\^_|=<>]|(?=.*[{{}}])(?:.*\d|.*\}}\{{|.*[{{(](?:{_MACRO_ALT})(?![a-z]))")
REAL_MACRO = re.compile(r"\\[A-Za-z]")
DIGIT_MACRO = re.compile(r"(?<=\d)(leq|geq|ll|gg|times|cdot)(?![A-Za-z])")
SET_MEMBER = re.compile(r"\b([A-Za-z])in(?= (?:R\b|R\^|\\mathbb))")
SCRIPT_GROUP = re.compile(r"([\^_])\{((?:[^{}]|\{\})*)\}")
# A script needs a base right before it: "_under_" is not a subscript.
SCRIPT_ONE = re.compile(r"(?<=[\w)}\]|'*])([\^_])(\\[A-Za-z]+|[A-Za-z0-9*+\-])")
# Template syntax ({{ name }}, {% tag %}) is not LaTeX: it is kept as written.
TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
TEXT_LATEX = re.compile(r"[\\{}~$&#%]|``|''")
TRAILING_MACRO = re.compile(r"\\[A-Za-z]+\s*$")
LATEX_HINT = re.compile(r"[\\{}^_~`$]|''")
PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")

SUPERSCRIPT = dict(
    zip("0123456789+-−=()nijkmpstTuvxyzabcdeo*⋆†⊤", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱʲᵏᵐᵖˢᵗᵀᵘᵛˣʸᶻᵃᵇᶜᵈᵉᵒ*⋆†ᵀ", strict=True)
)
SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))


@dataclass(frozen=True)
class Run:
    """A piece of clean text and its style: "" (plain), "em" or "strong"."""

    text: str
    style: str = ""


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    # \widetilde{O} would lose its tilde; \log and friends would glue to the next word.
    extra = [MacroTextSpec("widetilde", simplify_repl=r"%s" + "\u0303")]
    extra.append(MacroTextSpec("epsilon", simplify_repl="ε"))  # the reader's epsilon, not the lunate one
    db = db.filter_context()  # a copy: the default database is shared
    db.add_context_category("readinglist", macros=extra, prepend=True)
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


@lru_cache(maxsize=1)
def _walker_context():
    """The parser's macro database, built once (LatexWalker rebuilds it on every call otherwise)."""
    return get_walker_context_db()


def restore_backslashes(text: str) -> str:
    """Put back the backslash of macro names in maths-looking tokens (and a few unambiguous words)."""
    text = DIGIT_MACRO.sub(lambda m: _macro(m.group(1)), text)
    text = SET_MEMBER.sub(r"\1 \\in{}", text)
    tokens = re.split(r"(\s+)", text)
    out = []
    for token in tokens:
        if REAL_MACRO.search(token) or "\ue000" in token:
            pass  # the source kept its backslashes here (or it is a URL)
        elif MATHY.search(token):
            token = GLUED_MACRO.sub(lambda m: _macro(m.group(1) or m.group(2)), token)
            # A lost \frac leaves two groups side by side: {a}{b} or 1{2}.
            token = re.sub(r"\}\{|(?<=\d)\{(?=\d)", lambda m: "}/{" if m.group() == "}{" else "/{", token)
        else:
            token = WORD_MACRO.sub(lambda m: _macro(m.group(1)), token)
        out.append(token)
    return "".join(out)


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
        return _converter().latex_to_text(source)
    except LatexWalkerError:
        return source


def escape_text_specials(text: str) -> str:
    """Characters LaTeX would swallow in running text: % starts a comment, & and # are syntax."""
    text = re.sub(r"(?<!\\)([%&#])", r"\\\1", text)
    if len(re.findall(r"(?<!\\)\$", text)) % 2:
        text = re.sub(r"(?<!\\)\$", r"\\$", text)  # a lone dollar is money, not maths
    return text


def _walk(nodes, style: str, runs: list[Run]) -> None:
    conv = _converter()
    i = 0
    nodes = list(nodes or [])
    while i < len(nodes):
        node = nodes[i]
        if isinstance(node, LatexGroupNode):
            children = [c for c in node.nodelist if not (isinstance(c, LatexCharsNode) and not c.chars.strip())]
            first = children[0] if children else None
            if isinstance(first, LatexMacroNode) and first.macroname in EMPHASIS_SWITCHES:
                rest = node.nodelist[node.nodelist.index(first) + 1 :]
                _walk(rest, EMPHASIS_SWITCHES[first.macroname], runs)
            else:
                _walk(node.nodelist, style, runs)
        elif isinstance(node, LatexMacroNode) and node.macroname in EMPHASIS_MACROS and node.nodeargd:
            for arg in node.nodeargd.argnlist:
                if arg is not None:
                    _walk([arg], EMPHASIS_MACROS[node.macroname], runs)
        elif isinstance(node, LatexMacroNode) and node.macroname in EMPHASIS_SWITCHES:
            # A switch outside a group applies to the rest of the text.
            _walk(nodes[i + 1 :], EMPHASIS_SWITCHES[node.macroname], runs)
            return
        else:
            runs.append(Run(conv.nodelist_to_text([node]), style))
        i += 1


def _merge(runs: list[Run]) -> tuple[Run, ...]:
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


@lru_cache(maxsize=65536)
def clean_runs(raw: str) -> tuple[Run, ...]:
    """Raw abstract -> runs of clean Unicode text with their emphasis."""
    if not _needs_latex(raw):
        return (Run(" ".join(raw.split())),) if raw.strip() else ()
    spans = find_urls(raw)
    urls: list[str] = []
    pieces: list[str] = []
    last = 0
    for span in spans:
        pieces.append(raw[last : span.start])
        pieces.append(f"\ue000{len(urls)}\ue001")
        urls.append(" ".join(span.urls) + (f" {span.text}" if span.text else ""))
        last = span.end
    pieces.append(raw[last:])
    # URLs and code identifiers go through untouched, behind placeholders.
    source = TEMPLATE.sub(lambda m: _hold(m.group(), urls), "".join(pieces))
    source = IDENTIFIER.sub(lambda m: _hold(m.group(), urls), source)
    source = SINGLE_QUOTES.sub("\u2018\\1\u2019", source)
    source = escape_text_specials(source)
    source = scripts_to_unicode(restore_backslashes(source))
    runs: list[Run] = []
    for is_latex, text in _segments(source):
        if not is_latex:
            runs.append(Run(text))
            continue
        found: list[Run] = []
        try:
            nodes, _, _ = LatexWalker(text, latex_context=_walker_context(), tolerant_parsing=True).get_latex_nodes()
            _walk(nodes, "", found)
        except (LatexWalkerError, KeyError, IndexError, TypeError):
            found = [Run(text)]  # a fragment pylatexenc cannot make sense of stays as written
        runs.extend(found)
    return tuple(Run(PLACEHOLDER.sub(lambda m: urls[int(m.group(1))], r.text), r.style) for r in _merge(runs))


def _hold(text: str, held: list[str]) -> str:
    held.append(text)
    return f"\ue000{len(held) - 1}\ue001"


def _segments(source: str) -> list[tuple[bool, str]]:
    """Split into stretches that need the LaTeX parser and plain ones that do not.

    pylatexenc reads character by character; most of an abstract is plain
    words, so only words with LaTeX syntax (and whatever a brace group spans)
    go through it. This keeps 10,000 abstracts to seconds.
    """
    segments: list[list] = []
    depth = 0
    wants_argument = False  # a macro at the end of the previous word takes this word as argument
    for token in re.findall(r"\S+\s*|\s+", source):
        latex = depth > 0 or wants_argument or bool(TEXT_LATEX.search(token))
        if segments and segments[-1][0] == latex:
            segments[-1][1] += token
        else:
            segments.append([latex, token])
        depth = max(0, depth + token.count("{") - token.count("}"))
        if token.strip():
            wants_argument = bool(TRAILING_MACRO.search(token))
    return [(latex, text) for latex, text in segments]


def _needs_latex(raw: str) -> bool:
    """Most abstracts are plain text: only those with something LaTeX-like go through the parser."""
    return bool(LATEX_HINT.search(raw) or WORD_MACRO.search(raw) or DIGIT_MACRO.search(raw) or SET_MEMBER.search(raw))


def clean_text(raw: str) -> str:
    """Raw abstract -> plain clean text (no markup)."""
    return "".join(run.text for run in clean_runs(raw))


def clean_markdown(raw: str) -> str:
    """Raw abstract -> Markdown: every run escaped, emphasis added as our own markup only."""
    parts = []
    for run in clean_runs(raw):
        if not run.style:
            parts.append(markdown_text(run.text) if not parts else _inline(run.text))
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip())]
        trail = run.text[len(run.text.rstrip()) :]
        mark = "*" if run.style == "em" else "**"
        parts.append(f"{lead}{mark}{_inline(run.text.strip())}{mark}{trail}")
    return "".join(parts)


def _inline(text: str) -> str:
    """Escape a run that does not start the line (block syntax cannot apply mid-line)."""
    return markdown_text("x" + text)[1:]


def fold(text: str) -> str:
    """Accents and case folded away: for comparing raw and clean words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
