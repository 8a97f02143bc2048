"""Catalogue -> {relative path: file text}. Pure: builds the whole site plan in memory."""

from __future__ import annotations

import json
from collections import Counter

import yaml

from generator.escape import html_text, markdown_text
from generator.models import Catalogue, Paper, Tag

PAPERS_DIR = "papers"
TAGS_DIR = "tags"


def front_matter(meta: dict) -> str:
    """YAML front matter via safe_dump, never string formatting."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def paper_url(slug: str, directory_urls: bool) -> str:
    return f"{PAPERS_DIR}/{slug}/" if directory_urls else f"{PAPERS_DIR}/{slug}.html"


def paper_tags(cat: Catalogue, paper: Paper) -> list[Tag]:
    by_slug = {t.slug: t for t in cat.tags}
    return [by_slug[m.tag] for m in cat.matches[paper.key]]


def provenance_line(source: str, line: int, date: str | None) -> str:
    where = f"`{source}`, line {line}"
    return f"{where} (listing of {markdown_text(date)})" if date else where


def render_paper(cat: Catalogue, paper: Paper) -> str:
    tags = paper_tags(cat, paper)
    meta = {"title": html_text(paper.title), "tags": [html_text(t.name) for t in tags]}
    parts = [front_matter(meta), f"# {markdown_text(paper.title)}\n", f"{markdown_text(paper.abstract)}\n"]
    if tags:
        chips = " ".join(f"[{markdown_text(t.name)}](../{TAGS_DIR}/{t.slug}.md){{ .md-tag }}" for t in tags)
        parts.append(f'<div class="rl-tags" markdown>\n**Tags:** {chips}\n</div>\n')
    else:
        parts.append("*No tag matched this paper.*\n")
    why = "; ".join(
        f"{markdown_text(t.name)}: “{markdown_text(m.phrase)}” in the {m.field}"
        for t, m in zip(tags, cat.matches[paper.key], strict=True)
    )
    if why:
        parts.append(f"<small>Why these tags: {why}.</small>\n")
    listed = "\n".join(f"- {provenance_line(p.source, p.line, p.date)}" for p in paper.provenance)
    parts.append(f"## Listed in\n\n{listed}\n")
    return "\n".join(parts)


def papers_by_tag(cat: Catalogue) -> dict[str, list[Paper]]:
    result: dict[str, list[Paper]] = {t.slug: [] for t in cat.tags}
    for paper in cat.papers:
        for match in cat.matches[paper.key]:
            result[match.tag].append(paper)
    return result


def sort_by_title(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.key, p.title))


def count_label(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def render_tag(cat: Catalogue, tag: Tag, papers: list[Paper]) -> str:
    meta = {"title": html_text(tag.name)}
    lines = [
        front_matter(meta),
        f"# {markdown_text(tag.name)}\n",
        f"{markdown_text(tag.description)}\n",
        f"*{markdown_text(tag.group)}* · **{count_label(len(papers), 'paper')}** · [All tags](index.md)\n",
    ]
    items = [f"- [{markdown_text(p.title)}](../{PAPERS_DIR}/{cat.slugs[p.key]}.md)" for p in sort_by_title(papers)]
    lines.append("\n".join(items) + "\n" if items else "*No paper has this tag yet.*\n")
    return "\n".join(lines)


def render_tag_index(cat: Catalogue, grouped: dict[str, list[Paper]]) -> str:
    lines = [front_matter({"title": "Tags"}), "# Tags\n"]
    lines.append(
        f"{count_label(len(cat.tags), 'tag')} over {count_label(len(cat.papers), 'paper')}. "
        "A paper can have several tags.\n"
    )
    groups: dict[str, list[Tag]] = {}
    for tag in cat.tags:
        groups.setdefault(tag.group, []).append(tag)
    for group, tags in groups.items():
        lines.append(f"## {markdown_text(group)}\n")
        rows = [
            f"- [{markdown_text(t.name)}]({t.slug}.md) ({len(grouped[t.slug])}): {markdown_text(t.description)}"
            for t in tags
        ]
        lines.append("\n".join(rows) + "\n")
    return "\n".join(lines)


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
    for tag in cat.tags:
        plan[f"{TAGS_DIR}/{tag.slug}.md"] = render_tag(cat, tag, grouped[tag.slug])
    for paper in cat.papers:
        plan[f"{PAPERS_DIR}/{cat.slugs[paper.key]}.md"] = render_paper(cat, paper)
    plan["papers.json"] = papers_json(cat, directory_urls)
    return plan
