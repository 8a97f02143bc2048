"""Helpers every page renderer shares: paths, front matter, labels, ordering."""

from __future__ import annotations

import yaml

from generator.models import Paper

SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

PAPERS_DIR = "papers"
TAGS_DIR = "tags"


def front_matter(meta: dict) -> str:
    """YAML front matter via safe_dump, never string formatting."""
    # libyaml's safe dumper when present: same output, ~10x faster at 10,000 pages.
    text = yaml.dump(meta, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + text + "---\n"


def paper_url(slug: str, directory_urls: bool) -> str:
    return f"{PAPERS_DIR}/{slug}/" if directory_urls else f"{PAPERS_DIR}/{slug}.html"


def count_label(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def sort_by_title(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.key, p.title))
