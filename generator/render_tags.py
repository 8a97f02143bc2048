"""Tag pages and the tag index."""

from __future__ import annotations

from generator.escape import html_text, markdown_text
from generator.exports import export_links_markdown
from generator.models import Catalogue, Paper, Tag
from generator.pages import PAPERS_DIR, count_label, front_matter, sort_by_title


def papers_by_tag(cat: Catalogue) -> dict[str, list[Paper]]:
    result: dict[str, list[Paper]] = {t.slug: [] for t in cat.tags}
    for paper in cat.papers:
        for match in cat.matches[paper.key]:
            result[match.tag].append(paper)
    return result


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
    lines.append(export_links_markdown(tag.slug))  # tags/<slug>/papers.{json,bib,csv}
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
