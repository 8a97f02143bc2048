"""The only module that writes output files.

Writes a site plan into docs/ atomically (temporary file + os.replace), skips
files whose content is unchanged (their mtime stays), removes generated files
that left the plan, and never touches a file it did not write itself: a
manifest records what the generator owns.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError

MANIFEST = ".readinglist-manifest.json"
TMP_SUFFIX = ".rl-tmp"


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def read_manifest(docs: Path) -> set[str]:
    path = docs / MANIFEST
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(p) for p in data["generated"]}
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise GeneratorError(
            f"manifest is unreadable ({exc}); delete it only if docs/ holds no hand-written pages", str(path)
        ) from exc


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_manifest(docs: Path, paths: set[str]) -> None:
    text = json.dumps({"generated": sorted(paths)}, indent=0) + "\n"
    target = docs / MANIFEST
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        atomic_write(target, text.encode("utf-8"))


def check_ownership(docs: Path, plan: dict[str, str], owned: set[str]) -> None:
    """Refuse, before writing anything, to overwrite a file the generator did not write."""
    for rel in sorted(plan):
        target = docs / rel
        if rel in owned or not target.exists():
            continue
        if target.is_file() and target.read_bytes() == plan[rel].encode("utf-8"):
            continue  # identical content: adopting it loses nothing
        raise GeneratorError(
            "is a hand-written file where the generator wants to write a page; "
            "rename or move it (the generator never overwrites files it did not write)",
            str(target),
        )


def remove_stale_temp(docs: Path) -> None:
    """Temporary files left by an interrupted run."""
    for tmp in docs.rglob(f"*{TMP_SUFFIX}"):
        tmp.unlink(missing_ok=True)


def write_plan(docs: Path, plan: dict[str, str]) -> WriteReport:
    """Bring docs/ in line with the plan; see the module docstring for the promises."""
    docs.mkdir(parents=True, exist_ok=True)
    owned = read_manifest(docs)
    check_ownership(docs, plan, owned)
    remove_stale_temp(docs)
    # Record every path we may create before creating it, so that an
    # interrupted run leaves nothing the next run does not know it owns.
    write_manifest(docs, owned | set(plan))
    written: list[str] = []
    unchanged = 0
    for rel, text in plan.items():
        target = docs / rel
        data = text.encode("utf-8")
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        atomic_write(target, data)
        written.append(rel)
    removed = []
    for rel in sorted(owned - set(plan)):
        target = docs / rel
        if target.is_file():
            target.unlink()
            removed.append(rel)
        _prune_empty_dirs(docs, target.parent)
    write_manifest(docs, set(plan))
    return WriteReport(tuple(written), unchanged, tuple(removed))


def _prune_empty_dirs(docs: Path, folder: Path) -> None:
    while folder != docs and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def copy_file(source: Path, target: Path) -> bool:
    """Copy a vendored asset into place if it differs; True when written."""
    data = source.read_bytes()
    if target.is_file() and target.read_bytes() == data:
        return False
    atomic_write(target, data)
    return True
