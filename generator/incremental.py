"""A kept site/ rebuilt in place: `readinglist build` after a new listing redoes only what changed.

MkDocs' dirty build (`mkdocs build --dirty`) renders only the pages whose
Markdown file is newer than their HTML, and the generator rewrites only the
docs/ files whose bytes changed, so after a new listing only its papers, the
papers whose related lists changed, and the list pages they appear on are
rendered again (paper pages are framed by generator/paper_pages.py, which
writes only pages whose bytes changed and removes what no build made).

That is only right while everything else that goes into every page is what the
last build used, and while site/ is what that build left. The site key covers
the first: mkdocs.yml and the files it names (those it INHERITs, its hooks, its
theme's custom_dir), every file of the generator and its theme, every
installed Python distribution and its version (MkDocs, Material, Markdown,
Jinja2...), the hand-written files of docs/ (by content), the offline switch
and the environment mkdocs.yml reads. A digest of site/'s files (path, size,
modification time in seconds), taken when the build ends, covers the second: a file
edited, added or deleted in site/ since then means a full build. A build with
the same key and an untouched site/ is incremental; any other (or no record, or
a build that stopped midway) is a full one. Both are kept in site/ as a
dot-file, which MkDocs neither publishes from docs/ nor deletes when it empties
site/.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import time
from importlib import metadata
from pathlib import Path

import generator
from generator.errors import GeneratorError
from generator.search_input import SEARCH_INPUT, SEARCH_TERMS
from generator.stored import FILES as WORK_FILES
from generator.toolchain import config_files
from generator.writer import (
    OWN_FILES,
    atomic_write,
    folder_escapes,
    path_problem,
    read_manifest,
    remove_dead_runs_temp,
)

KEY_FILE = ".readinglist-build"
BUILT_FILE = ".readinglist-built"  # the generated docs/ files the last build read, by digest
KEPT = (SEARCH_TERMS, WORK_FILES)  # the work kept in docs/ besides the writer's own files (never published)
ENVIRONMENT = ("SITE_URL", "REPO_URL", "SOURCE_DATE_EPOCH")  # what mkdocs.yml and the build read


def site_key(config: Path, docs: Path, offline: bool) -> str:
    """What every page of a build depends on besides its own Markdown file (see the module doc)."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogateescape")
            digest.update(len(data).to_bytes(8, "little") + data)

    add("readinglist site key 2", sys.version, offline)
    for name, version in sorted(installed()):
        add(name, version)
    for name in ENVIRONMENT:
        add(name, os.environ.get(name, "\0unset"))
    add(config.read_bytes() if config.is_file() else b"")
    for path in config_files(config):  # what mkdocs.yml INHERITs, its hooks, its theme's custom_dir
        add(os.path.relpath(path, config.parent), path.read_bytes() if path.is_file() else b"\0missing")
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            add(path.relative_to(package).as_posix(), path.read_bytes())
    generated = set(read_manifest(docs)) if docs.is_dir() else set()
    for rel in hand_written(docs, generated):
        add(rel, (docs / rel).read_bytes())  # by content: a fresh checkout gives every file a new time
    return digest.hexdigest()


def hand_written(docs: Path, generated: set[str]) -> list[str]:
    """The files of docs/ (links to files too) that are neither generated nor kept work, in the order of their
    paths' parts (pathlib's order: what sorted(docs.rglob("*")) gave, without 10,000 Path objects)."""
    found = []
    root = str(docs)
    for folder, _dirs, names in os.walk(root):
        prefix = "" if folder == root else os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        for name in names:
            rel = prefix + name
            if rel in generated or rel in OWN_FILES or rel in KEPT or not os.path.isfile(os.path.join(folder, name)):
                continue
            found.append(rel)
    return sorted(found, key=lambda rel: rel.split("/"))


def installed() -> set[tuple[str, str]]:
    """Every Python distribution this run can import, with its version."""
    return {(d.metadata["Name"] or "", d.version or "") for d in metadata.distributions()}


def site_digest(site: Path) -> str:
    """Every file of site/ but its top dot-files, by path, size and modification time (in os.walk's order), and
    every symbolic link by its target: one planted in site/ means a full build, which removes it."""
    digest = hashlib.sha256()

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError:
            return  # as os.walk: a folder that cannot be listed is left out
        folders = []
        for entry in entries:
            if not prefix and entry.name.startswith(".") and not entry.is_dir(follow_symlinks=False):
                continue  # the top dot-files: this record, and what other tools keep there
            if entry.is_symlink():  # a link, to a folder too (a build would write through it), is a change
                digest.update(
                    f"{prefix}{entry.name}\0link\0{os.readlink(entry.path)}\n".encode("utf-8", "surrogateescape")
                )
                continue
            if entry.is_dir():
                folders.append(entry)
                continue
            info = entry.stat(follow_symlinks=False)
            # Whole seconds: a cache that keeps the site between CI runs may not keep finer times.
            digest.update(f"{prefix}{entry.name}\0{info.st_size}\0{int(info.st_mtime)}\n".encode())
        for entry in folders:
            walk(entry.path, f"{prefix}{entry.name}/")

    walk(str(site), "")
    return digest.hexdigest()


def can_update(site: Path, key: str, docs: Path | None = None) -> bool:
    """True when site/ was made by a finished build with this key, and nothing in it changed since. With `docs`,
    the generated files of docs/ that differ from the ones that build read, and are not newer than it, are
    marked newer (see `mark_changed`)."""
    try:
        recorded = (site / KEY_FILE).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return False
    if recorded[:2] != [key, site_digest(site)] or not (site / "index.html").is_file():
        return False
    return docs is None or mark_changed(site, docs)


def mark_changed(site: Path, docs: Path) -> bool:
    """MkDocs' dirty build renders a page only when its Markdown is newer than its HTML, and copies a file only
    when it is newer than its copy: times, not bytes. A generated docs/ file whose bytes differ from those the
    last build read (recorded in BUILT_FILE) but whose time is not newer than that build (an older docs/ put
    back with its times, say) is given the present time, so that it is built again. False (a full build) when
    the record is missing or damaged."""
    try:
        built = json.loads((site / BUILT_FILE).read_bytes())
        files, ended = built["files"], built["ended"]
        if not isinstance(files, dict) or type(ended) is not int:
            return False
        for rel, digests in read_manifest(docs).items():
            if files.get(rel) == sorted(digests):
                continue
            path = docs / rel
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and info.st_mtime_ns <= ended:
                os.utime(path)
    except (OSError, ValueError, KeyError, TypeError, GeneratorError):
        return False
    return True


def forget(site: Path) -> None:
    """Before MkDocs writes: a build that stops midway leaves no key, so the next one is full."""
    (site / KEY_FILE).unlink(missing_ok=True)


def remember(site: Path, key: str, docs: Path | None = None) -> None:
    """After MkDocs succeeded: the key, the digest of site/ and, with `docs`, the generated docs/ files it read."""
    if docs is not None:
        files = {rel: sorted(digests) for rel, digests in read_manifest(docs).items()}
        record = {"ended": time.time_ns(), "files": files}
        atomic_write(site / BUILT_FILE, json.dumps(record, sort_keys=True, separators=(",", ":")).encode())
    for folder in (site, site / "search"):  # where this code writes into site/ (MkDocs' clean-up keeps dot-files)
        remove_dead_runs_temp(folder)
    atomic_write(site / KEY_FILE, f"{key}\n{site_digest(site)}\n".encode("ascii"))


def restore(saved: Path, docs: Path, site: Path) -> int:
    """Bring back a build kept by the deploy workflow: its site/, and of its docs/ only what the generator made
    (the files its manifest lists, and its own state files), never a hand-written file: one the new commit
    deleted must not come back. Times are kept (MkDocs compares them). Returns the number of docs/ files."""
    old_docs, old_site = saved / "docs", saved / "site"
    if not old_site.is_dir() or not old_docs.is_dir():
        return 0
    generated = [*read_manifest(old_docs), *OWN_FILES, SEARCH_INPUT, *KEPT]
    count = 0
    resolved: dict[str, bool] = {}
    for rel in generated:
        source = old_docs / rel
        if (rel not in OWN_FILES and path_problem(rel) is not None) or folder_escapes(docs, rel, resolved):
            continue  # a path no generator run writes, or one that leads out of docs/
        # lexists: a link of the commit's (dangling too) is the commit's file; copying would follow it.
        if source.is_file() and not source.is_symlink() and not os.path.lexists(docs / rel):
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, docs / rel)
            count += 1
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(old_site, site, symlinks=True)  # copy2: times kept
    return count


if __name__ == "__main__":  # python -m generator.incremental restore SAVED DOCS SITE (the deploy workflow)
    if len(sys.argv) != 5 or sys.argv[1] != "restore":
        sys.exit("usage: python -m generator.incremental restore SAVED DOCS SITE")
    found = restore(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    print(f"restored the last build: {found} generated docs/ files and site/")
