"""Code and project links found in abstracts, and look-up links built from a title.

Abstracts carry URLs the way they were pasted from a PDF: with the sentence's
full stop glued on (`https://github.com/a/b.`), with LaTeX `\\href` residue
(`https://github.com/a/b{github.com/c/b}.`, `...README.md{here.}`), with a
`.git` suffix, or without a scheme (`github.com/a/b`). This module finds them
and gives each its clean form. Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

# A URL starts at a scheme, or at a bare well-known code host, and runs to the next space.
URL_START = re.compile(r"https?://|(?<![\w./@-])(?:www\.|github\.com/|gitlab\.com/)", re.IGNORECASE)
TRAILING = ".,;:!?'\""
# Where code lives; anything else is a project page.
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co", "anonymous.4open.science")
REVIEW_HOSTS = ("anonymous.4open.science",)


@dataclass(frozen=True)
class Link:
    """A cleaned URL and what it points to: "code" or "project"."""

    url: str
    kind: str

    @property
    def label(self) -> str:
        if self.host in REVIEW_HOSTS:
            return "Code (anonymous review copy)"
        return "Code" if self.kind == "code" else "Project page"

    @property
    def host(self) -> str:
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


@dataclass(frozen=True)
class UrlSpan:
    """One URL as it stands in the raw text: where, the clean URLs it gave, and leftover words."""

    start: int
    end: int
    urls: tuple[str, ...]
    text: str  # link text that was inside LaTeX braces ("here"), kept for the reader


def find_urls(text: str) -> list[UrlSpan]:
    """Every URL token in `text`, with its clean form(s)."""
    spans: list[UrlSpan] = []
    lowered = text.lower()
    if "http" not in lowered and "www." not in lowered and "github.com" not in lowered and "gitlab.com" not in lowered:
        return spans  # most abstracts: skip the regex scan
    for match in URL_START.finditer(text):
        if spans and match.start() < spans[-1].end:
            continue  # a URL inside the braces of the previous one
        end = match.start()
        # A URL ends at a space, or at a character no URL may hold (raw HTML around it).
        while end < len(text) and not text[end].isspace() and text[end] not in '"<>`':
            end += 1
        urls, words = clean_token(text[match.start() : end])
        # Keep the sentence's punctuation outside the span.
        token_end = end
        while not words and token_end > match.start():
            tail = text[token_end - 1]
            piece = text[match.start() : token_end]
            if tail in TRAILING or (tail == ")" and piece.count(")") > piece.count("(")):
                token_end -= 1
            else:
                break
        if urls:
            spans.append(UrlSpan(match.start(), token_end, urls, words))
    return spans


def clean_token(token: str) -> tuple[tuple[str, ...], str]:
    """A raw URL token -> (clean URLs, leftover link text)."""
    parts = re.split(r"[{}]", token)
    urls: list[str] = []
    words: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        url = clean_url(part)
        if url is not None:
            if url not in urls:
                urls.append(url)
        elif urls:
            text = part.strip()
            if text.strip(TRAILING):
                words.append(text)
    return tuple(urls), " ".join(words)


def clean_url(raw: str) -> str | None:
    """One URL-looking string -> its canonical form, or None when it is not a URL."""
    url = raw.strip().rstrip(TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(TRAILING)
    if not re.match(r"https?://", url, re.IGNORECASE):
        if not re.match(r"(www\.|github\.com/|gitlab\.com/)", url, re.IGNORECASE):
            return None
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # "https://[x.org": a bracket where only an IPv6 address may stand
        return None
    if "." not in host:
        return None
    path = parts.path
    if host in ("github.com", "www.github.com", "gitlab.com") and path.endswith(".git"):
        path = path[: -len(".git")]  # a clone URL; the page is the same repository
    rebuilt = f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"
    if parts.query:
        rebuilt += "?" + parts.query
    if parts.fragment:
        rebuilt += "#" + parts.fragment
    return rebuilt


def link_kind(url: str) -> str:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return "code" if host in CODE_HOSTS else "project"


def abstract_links(text: str, known: Mapping[str, tuple[Link, ...]] | None = None) -> tuple[Link, ...]:
    """The distinct code/project links of one abstract, in order of appearance (from `known`, raw
    abstract -> links, when it has them: a paper's page and export rows all show them)."""
    found = known.get(text) if known else None
    if found is not None:
        return found
    seen: list[str] = []
    for span in find_urls(text):
        for url in span.urls:
            if url not in seen:
                seen.append(url)
    return tuple(Link(url, link_kind(url)) for url in seen)


def safe_href(url: str) -> str:
    """A URL made safe for a Markdown link target: no spaces, quotes, brackets or parentheses."""
    return quote(url, safe=":/?#@!$&*+,;=%~-._")


LOOKUPS = (
    ("arXiv", "https://arxiv.org/search/?searchtype=title&query={q}"),
    ("Semantic Scholar", "https://www.semanticscholar.org/search?q={q}"),
    ("Google Scholar", "https://scholar.google.com/scholar?q={q}"),
    ("Hugging Face", "https://huggingface.co/papers?q={q}"),
)


def lookup_links(title: str) -> tuple[tuple[str, str], ...]:
    """(site name, search URL) pairs that look the title up on public paper sites."""
    q = quote(" ".join(title.split()), safe="")
    return tuple((name, pattern.format(q=q)) for name, pattern in LOOKUPS)


def arxiv_url(arxiv_id: str) -> str:
    """The paper's arXiv abstract page."""
    return f"https://arxiv.org/abs/{quote(arxiv_id, safe='/.')}"
