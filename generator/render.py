"""Catalogue -> {relative path: file text}. Pure: builds the whole site plan in memory.

Paper pages live in render_paper.py, tag pages in render_tags.py; this module
holds what they share, the home page and papers.json, and assembles the plan.
"""

from __future__ import annotations

import json
from collections import Counter

from generator.escape import markdown_text
from generator.models import Catalogue
from generator.pages import PAPERS_DIR, TAGS_DIR, count_label, front_matter, paper_url
from generator.render_paper import render_paper
from generator.render_tags import co_occurrence, papers_by_tag, render_tag, render_tag_index


def render_home(cat: Catalogue) -> str:
    untagged = sum(1 for p in cat.papers if not cat.matches[p.key])
    listed = Counter(prov.source for p in cat.papers for prov in p.provenance)
    rows = "\n".join(
        f"| `{s}` | {markdown_text(cat.dates.get(s) or 'no date')} | {listed.get(s, 0)} |" for s in cat.sources
    )
    return "\n".join(
        [
            front_matter({"title": "Reading list"}),
            "# Reading list\n",
            f"A searchable reading list of **{count_label(len(cat.papers), 'paper')}** "
            f"collected from {count_label(len(cat.sources), 'listing')} of research papers, "
            f"deduplicated and sorted into **{count_label(len(cat.tags), 'tag')}**.\n",
            "## Find a paper\n",
            "- **Search:** type in the search box at the top of every page (or press ++s++ or ++slash++). "
            "Titles, abstracts and tag names are searched.\n"
            "- **Browse by topic:** open [Tags](tags/index.md) to see every tag with its number of papers, "
            "then a tag to see its papers.\n"
            "- Each paper page shows the abstract, its tags and the listings it came from.\n",
            "## Listings\n",
            "| Listing | Date | Entries kept |\n|---|---|---|\n" + rows + "\n",
            f"{count_label(untagged, 'paper')} matched no tag. See [About](about.md) for how the list is made.\n",
        ]
    )


def papers_json(cat: Catalogue, directory_urls: bool) -> str:
    """Machine-readable export of every paper; fields documented in the README."""
    records = [
        {
            "slug": cat.slugs[p.key],
            "url": paper_url(cat.slugs[p.key], directory_urls),
            "title": p.title,
            "abstract": p.abstract,
            "tags": [m.tag for m in cat.matches[p.key]],
            "tag_matches": [{"tag": m.tag, "phrase": m.phrase, "field": m.field} for m in cat.matches[p.key]],
            "provenance": [{"source": v.source, "line": v.line, "date": v.date} for v in p.provenance],
        }
        for p in cat.papers
    ]
    return json.dumps({"papers": records}, ensure_ascii=False, indent=1) + "\n"


def render_site(cat: Catalogue, directory_urls: bool = True) -> dict[str, str]:
    """The complete generated part of docs/: {posix relative path: text}."""
    plan: dict[str, str] = {"index.md": render_home(cat)}
    grouped = papers_by_tag(cat)
    plan[f"{TAGS_DIR}/index.md"] = render_tag_index(cat, grouped)
    together = co_occurrence(cat)
    for tag in cat.tags:
        plan[f"{TAGS_DIR}/{tag.slug}.md"] = render_tag(cat, tag, grouped[tag.slug], together)
    for paper in cat.papers:
        plan[f"{PAPERS_DIR}/{cat.slugs[paper.key]}.md"] = render_paper(cat, paper)
    plan["papers.json"] = papers_json(cat, directory_urls)
    return plan
