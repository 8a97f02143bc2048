"""Search's own input: what the `readinglist-search` plugin indexes each paper from.

The generator writes it as docs/.readinglist-search.json, through the writer (manifest,
digests) like every generated file. MkDocs leaves files whose names start with a dot
out of the site (its default `exclude_docs`), so it is never published, and the public
exports (papers.json) can change without changing search. The text is plain and
unescaped: the plugin escapes what it puts into the index.

    {"format": FORMAT, "papers": [
    {"page": "papers/<slug>.md", "url": ..., "title": ..., "abstract": <clean text>,
     "tags": [<tag names>], "note": <the reading-list box's words>, "raw": <raw abstract>},
    ...]}

`note` is there only for papers with a note, `raw` only when the clean abstract is
empty but the listing's is not (its words are indexed then). One paper per line.
"""

from __future__ import annotations

from generator import jsonbytes
from generator.models import Catalogue, Note, framed
from generator.pages import PAPERS_DIR, paper_url

SEARCH_INPUT = ".readinglist-search.json"
FORMAT = "readinglist-search-input/1"
# The search plugin's own record of the last build's words (generator/search_index.py): a cache, never published.
SEARCH_TERMS = ".readinglist-search-terms.json"


def note_words(note: Note | None) -> str:
    """The words of the reading-list box a paper page shows above the abstract (render_paper.py)."""
    if note is None:
        return ""
    words = ["My reading list", note.status.replace("-", " ")]
    for value, prefix in ((note.priority, "priority"), (note.rating, "rated"), (note.added, "added")):
        if value is not None:
            words.append(f"{prefix} {value}")
    if note.tags:
        words.append("your tags: " + " ".join(note.tags))
    words.append(note.note or "")
    return " ".join(words)


def search_input(cat: Catalogue, directory_urls: bool) -> bytes:
    """The file's bytes, papers in catalogue order."""
    # Imported here: pylatexenc is slow to import, and the plugin imports this module for its names.
    from generator.textclean import clean_text

    names = {t.slug: t.name for t in cat.tags}
    lines = []
    for paper in cat.papers:
        slug = cat.slugs[paper.key]
        clean = clean_text(paper.abstract, cat.clean)  # cleaned once, on every core, by the pipeline
        record: dict = {
            "page": f"{PAPERS_DIR}/{slug}.md",
            "url": paper_url(slug, directory_urls),
            "title": paper.title,
            "abstract": clean,
            "tags": [names[m.tag] for m in cat.matches[paper.key]],
        }
        note = cat.notes.get(paper.key)
        if note is not None:
            record["note"] = note_words(note)
        if not clean and paper.abstract:
            record["raw"] = paper.abstract
        lines.append(jsonbytes.dumps(record))
    head = b'{"format": ' + jsonbytes.dumps(FORMAT) + b', "papers": [\n'
    return framed(head, lines, b",\n", b"\n]}\n" if lines else b"]}\n")
