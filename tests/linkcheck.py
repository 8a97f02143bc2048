"""A small link checker for a built static site.

Every internal link (`a`/`area`/`link` href; `script`/`img`/`iframe`/`source`
src) must resolve to a file of the site, and every `#fragment` to an `id` (or
`<a name>`) in the page it points to. External links (with a scheme or `//`)
are not fetched; `javascript:` links and root-relative links (`/x`, which
break when the site is served from a sub-path or opened from disk) are always
reported, except on 404.html, which MkDocs serves for any missing URL and so
links from the site root on purpose. Each page must have a
non-empty `<title>` and a `lang` attribute on `<html>`.

    python -m tests.linkcheck site/      # prints a report, exit 1 if anything is broken
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# Served for any missing URL, so MkDocs gives it root-relative links on purpose
# (resolved here from the site root).
NOT_FOUND_PAGE = PurePosixPath("404.html")
LINK_ATTRS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
}


class PageParser(HTMLParser):
    """Collects ids, links, the title and the language of one page (stdlib parser: fast on big sites)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str]] = []  # (line, tag, url)
        self.title: list[str] = []
        self.in_title = False
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "title":
            self.in_title = True
        attr = LINK_ATTRS.get(tag)
        if attr and attr in values:
            self.links.append((self.getpos()[0], tag, values[attr]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)


@dataclass(frozen=True)
class Page:
    ids: frozenset[str]
    links: tuple[tuple[int, str, str], ...]
    title: str
    lang: str | None


def parse_page(path: Path) -> Page:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return Page(frozenset(parser.ids), tuple(parser.links), "".join(parser.title).strip(), parser.lang)


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    external: int = 0
    broken: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{self.pages} pages, {self.links} internal links checked, {self.external} external skipped, "
        head += f"{len(self.broken)} problems"
        return "\n".join([head, *self.broken])


def target_file(site: Path, page: PurePosixPath, path: str) -> Path | None:
    """The file a relative URL path names, seen from `page` (posix, relative to site)."""
    joined = page.parent / path
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            if not parts:
                return None  # climbs out of the site
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    target = site.joinpath(*parts) if parts else site
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def check_site(site: Path) -> Report:
    """Check every HTML page of a built site; see the module docstring."""
    report = Report()
    pages = {PurePosixPath(p.relative_to(site).as_posix()): p for p in sorted(site.rglob("*.html"))}
    parsed: dict[Path, Page] = {}

    def page_of(path: Path) -> Page:
        if path not in parsed:
            parsed[path] = parse_page(path)
        return parsed[path]

    for rel, path in pages.items():
        report.pages += 1
        page = page_of(path)
        if not page.title:
            report.broken.append(f"{rel}: no <title>")
        if not page.lang:
            report.broken.append(f"{rel}: no lang attribute on <html>")
        for line, tag, url in page.links:
            where = f"{rel}:{line}: <{tag}> {url!r}"
            # Read as a browser reads it: control characters and spaces in the scheme are dropped.
            if re.sub(r"[\x00-\x20\x7f]", "", url).lower().startswith(("javascript:", "vbscript:")):
                report.broken.append(f"{where}: javascript: link")
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                report.external += 1
                continue
            report.links += 1
            url_path = unquote(parts.path)
            if url_path.startswith("/"):
                if rel != NOT_FOUND_PAGE:
                    report.broken.append(f"{where}: root-relative link (breaks on a sub-path and from disk)")
                    continue
                url_path, base = url_path.lstrip("/") or ".", PurePosixPath("index.html")
            else:
                base = rel
            target = path if not url_path else target_file(site, base, url_path)
            if target is None:
                report.broken.append(f"{where}: no such file in the site")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in page_of(target).ids:
                report.broken.append(f"{where}: no id {fragment!r} in {target.relative_to(site).as_posix()}")
    return report


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    report = check_site(Path(args[0] if args else "site"))
    print(report)
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main())
