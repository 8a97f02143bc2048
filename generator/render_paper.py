"""One page per paper: title, abstract, tag chips with the reason for each tag, provenance."""

from __future__ import annotations

from generator.escape import html_text, markdown_text
from generator.models import Catalogue, Paper, Tag
from generator.pages import TAGS_DIR, front_matter


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
