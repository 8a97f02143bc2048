"""A kept site/ rebuilt in place: `readinglist build` after a new listing redoes only what changed.

MkDocs' dirty build (`mkdocs build --dirty`) renders only the pages whose
Markdown file is newer than their HTML, and the generator rewrites only the
docs/ files whose bytes changed, so after a new listing only its papers, the
papers whose related lists changed, and the list pages they appear on are
rendered again (paper pages are framed by generator/paper_pages.py, which
writes only pages whose bytes changed and removes what no build made).

That is only right while everything else that goes into every page is what the
last build used. The site key covers it: mkdocs.yml, every file of the
generator and its theme, the MkDocs and Material versions, the hand-written
pages of docs/ (by size and modification time), the offline switch and the
environment mkdocs.yml reads. A build with the same key as the one that made
site/ is incremental; any other (or no record, or a build that stopped midway)
is a full one. The key is kept in site/ as a dot-file, which MkDocs neither
publishes from docs/ nor deletes when it empties site/.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import generator
from generator import toolchain
from generator.writer import OWN_FILES, atomic_write, read_manifest

KEY_FILE = ".readinglist-build"
ENVIRONMENT = ("SITE_URL", "REPO_URL", "SOURCE_DATE_EPOCH")  # what mkdocs.yml and the build read


def site_key(config: Path, docs: Path, offline: bool) -> str:
    """What every page of a build depends on besides its own Markdown file (see the module doc)."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogateescape")
            digest.update(len(data).to_bytes(8, "little") + data)

    add("readinglist site key 1", sys.version, offline)
    for name in toolchain.SUPPORTED:
        add(name, toolchain.installed_version(name) or "")
    for name in ENVIRONMENT:
        add(name, os.environ.get(name, "\0unset"))
    add(config.read_bytes() if config.is_file() else b"")
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            add(path.relative_to(package).as_posix(), path.read_bytes())
    generated = set(read_manifest(docs)) if docs.is_dir() else set()
    for path in sorted(docs.rglob("*")) if docs.is_dir() else ():
        rel = path.relative_to(docs).as_posix()
        if rel in generated or rel in OWN_FILES or not path.is_file():
            continue
        add(rel, path.read_bytes())  # by content: a fresh checkout gives every file a new time
    return digest.hexdigest()


def can_update(site: Path, key: str) -> bool:
    """True when site/ was made by a finished build with this key."""
    try:
        return (site / KEY_FILE).read_text(encoding="ascii").strip() == key and (site / "index.html").is_file()
    except (OSError, UnicodeDecodeError):
        return False


def forget(site: Path) -> None:
    """Before MkDocs writes: a build that stops midway leaves no key, so the next one is full."""
    (site / KEY_FILE).unlink(missing_ok=True)


def remember(site: Path, key: str) -> None:
    atomic_write(site / KEY_FILE, (key + "\n").encode("ascii"))
