"""The only module that reads input files: listings, taxonomy and other YAML data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.errors import GeneratorError
from generator.models import Problem, SourceFile

LISTING_GLOB = "*.txt"


def decode_listing(name: str, data: bytes) -> tuple[str, list[Problem]]:
    """Bytes of a listing -> text. UTF-8 (with or without BOM); anything else is
    decoded as Windows-1252 with a warning naming the first bad line."""
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(name, line, "not valid UTF-8; decoded as Windows-1252. Re-save the file as UTF-8 to silence this")
        )
        text = data.decode("cp1252", errors="replace")
    return text, problems


def read_listings(directory: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Read every `*.txt` listing in `directory`, in file-name order."""
    if not directory.exists():
        raise GeneratorError("sources folder does not exist; pass --sources DIR", str(directory))
    if not directory.is_dir():
        raise GeneratorError("sources path is not a folder; pass --sources DIR", str(directory))
    files: list[SourceFile] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob(LISTING_GLOB)):
        if path.is_dir():
            problems.append(Problem(path.name, 0, "is a folder, not a listing file; skipped"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise GeneratorError(f"cannot read listing: {exc.strerror}", str(path)) from exc
        text, found = decode_listing(path.name, data)
        problems.extend(found)
        files.append(SourceFile(path.name, text))
    if not files:
        raise GeneratorError(f"no listing files ({LISTING_GLOB}) found; add one or pass --sources DIR", str(directory))
    return files, problems


def read_yaml(path: Path, *, required: bool = True) -> Any:
    """Load one YAML data file with safe_load; errors name the file and line."""
    if not path.exists():
        if required:
            raise GeneratorError("file not found", str(path))
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise GeneratorError(f"invalid YAML: {exc.problem}", str(path), line) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise GeneratorError(f"cannot read: {exc}", str(path)) from exc


def read_text_asset(path: Path) -> str | None:
    """A vendored text asset (installed by npm), or None when it is not installed."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
