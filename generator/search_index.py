"""A leaner search_index.json: same words found, fewer bytes for the browser to fetch and index.

Material's search plugin stores the full text of every section: about 2 KB per
paper, all downloaded and indexed by lunr before the first result. This MkDocs
plugin (`readinglist-search` in mkdocs.yml, after `search`) rewrites the index
once Material has written it:

- each text keeps its first HEAD_WORDS words verbatim, so result snippets still
  start with readable prose; after them come only the words not seen before in
  that entry, in first-seen order, without the stop words lunr drops anyway;
- markup is stripped (text stays HTML-escaped as Material wrote it), and the
  result is one paragraph, the shape Material's result list styles and clamps;
- sub-sections of a page ("Listed in") no longer repeat the page's tags.

Recall is unchanged: every token lunr would index (split on the configured
separator, lower-cased, stop words removed by the configured pipeline) is still
in the entry. Only term frequencies within one entry change, which affects
ranking slightly, not what is found.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin, event_priority

from generator.writer import atomic_write

HEAD_WORDS = 30
TAG = re.compile(r"<[^>]*>")
# lunr.js's English stop word list (lunr.stopWordFilter), which Material's
# worker applies when the search pipeline includes "stopWordFilter".
STOP_WORD_LIST = """a able about across after all almost also am among an and any are as at be because been but by can
    cannot could dear did do does either else ever every for from get got had has have he her hers him his
    how however i if in into is it its just least let like likely may me might most must my neither no nor
    not of off often on only or other our own rather said say says she should since so some than that the
    their them then there these they this tis to too twas us wants was we were what when where which while
    who whom why will with would yet you your"""
STOP_WORDS = frozenset(STOP_WORD_LIST.split())


def lean_text(text: str, separator: re.Pattern[str], stop_words: frozenset[str]) -> str:
    """Markup out; the first HEAD_WORDS words exactly as written, then each further word once."""
    plain = " ".join(TAG.sub(" ", text).split())
    cut = len(plain)
    count = 0
    for gap in separator.finditer(plain):
        if gap.start() == 0:
            continue
        count += 1
        if count == HEAD_WORDS:
            cut = gap.start()
            break
    head, rest = plain[:cut], plain[cut:]
    seen = {w.lower() for w in separator.split(head) if w}
    tail = []
    for word in separator.split(rest):
        key = word.lower()
        if not word or key in seen or key in stop_words:
            continue
        seen.add(key)
        tail.append(word)
    return " ".join([head, *tail])


def lean_index(index: dict[str, Any]) -> dict[str, Any]:
    """Material's search index (parsed JSON) -> the leaner one. Pure."""
    config = index.get("config", {})
    separator = re.compile(config.get("separator") or r"[\s\-]+")
    stop_words = STOP_WORDS if "stopWordFilter" in config.get("pipeline", ()) else frozenset()
    page_tags: dict[str, list[str]] = {}
    docs = []
    for doc in index.get("docs", []):
        doc = dict(doc)
        page, _, anchor = doc.get("location", "").partition("#")
        if not anchor:
            page_tags[page] = doc.get("tags", [])
        elif "tags" in doc and page_tags.get(page) == doc["tags"]:
            del doc["tags"]  # the page entry carries them; a section adds nothing to recall
        text = lean_text(doc.get("text", ""), separator, stop_words)
        doc["text"] = f"<p>{text}</p>" if text else ""
        docs.append(doc)
    return {**index, "docs": docs}


class LeanSearchIndex(BasePlugin):
    """MkDocs plugin: rewrite site/search/search_index.json with lean_index."""

    # After Material's search plugin (priority 0) writes the index, before the
    # offline plugin (-100) inlines it into search_index.js.
    @event_priority(-50)
    def on_post_build(self, *, config) -> None:
        path = Path(config.site_dir) / "search" / "search_index.json"
        if not path.is_file():
            return
        data = lean_index(json.loads(path.read_text(encoding="utf-8")))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write(path, text.encode("utf-8"))
