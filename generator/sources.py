"""The only module that reads input files: listings, taxonomy and other YAML data."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml

from generator.errors import GeneratorError
from generator.models import Problem, SourceFile

LISTING_GLOB = "*.txt"
# A listing is text: a file where more than this share of the first bytes are
# control characters (other than tab, LF, CR, FF) is some other kind of file.
BINARY_SAMPLE = 8192
BINARY_SHARE = 0.10
TEXT_CONTROLS = frozenset(b"\t\n\r\f")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def looks_binary(data: bytes) -> bool:
    """True for images, archives, executables; False for text, even with a few NULs."""
    sample = data[:BINARY_SAMPLE]
    if not sample:
        return False
    controls = sum(1 for b in sample if (b < 0x20 and b not in TEXT_CONTROLS) or b == 0x7F)
    return controls / len(sample) > BINARY_SHARE


def decode_listing(name: str, data: bytes) -> tuple[str, list[Problem]]:
    """Bytes of a listing -> text. UTF-8 (with or without BOM) or UTF-16 with a BOM;
    anything else is decoded as Windows-1252 with a warning naming the first bad line."""
    problems: list[Problem] = []
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), problems
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: fall through to the byte-oriented decoders
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        text = data.decode("cp1252", errors="replace")
        undecodable = text.count("\ufffd") - data.decode("cp1252", errors="ignore").count("\ufffd")
        extra = f"; {undecodable} bytes had no Windows-1252 meaning and became U+FFFD" if undecodable else ""
        problems.append(
            Problem(
                name,
                line,
                f"not valid UTF-8; decoded as Windows-1252{extra}. Re-save the file as UTF-8 to silence this",
            )
        )
    return text, problems


def read_listings(directory: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Read every `*.txt` listing in `directory`, in file-name order.

    Problems name files by their path as given (`directory/name`). A file that
    cannot be read is fatal: going on would drop its papers and delete their pages.
    """
    if not directory.exists():
        raise GeneratorError("sources folder does not exist; create it or pass --sources DIR", str(directory))
    if not directory.is_dir():
        raise GeneratorError("sources path is not a folder; pass --sources DIR", str(directory))
    files: list[SourceFile] = []
    problems: list[Problem] = []
    try:
        paths = sorted(directory.glob(LISTING_GLOB))
    except OSError as exc:
        raise GeneratorError(f"cannot list the sources folder: {exc.strerror}", str(directory)) from exc
    for path in paths:
        shown = str(path)
        try:
            mode = path.stat().st_mode  # follows symlinks: a broken one raises here
        except OSError as exc:
            raise GeneratorError(
                f"cannot read listing: {exc.strerror}; fix the file (or the link) or move it out of the sources folder",
                shown,
            ) from exc
        if stat.S_ISDIR(mode):
            problems.append(
                Problem(
                    shown,
                    0,
                    "is a folder, not a listing file; skipped. Rename it so that its name does not end in .txt",
                    kind="file",
                )
            )
            continue
        if not stat.S_ISREG(mode):
            # A FIFO or device would block or never end: never open it.
            problems.append(
                Problem(
                    shown,
                    0,
                    "is not a regular file (pipe, socket or device); skipped. Move it out of the sources folder",
                    kind="file",
                )
            )
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise GeneratorError(
                f"cannot read listing: {exc.strerror}; fix its permissions or move it out of the sources folder",
                shown,
            ) from exc
        if looks_binary(data) and not data.startswith(UTF16_BOMS):
            problems.append(
                Problem(
                    shown,
                    0,
                    "is a binary file, not a text listing; skipped. Move it out of the sources folder",
                    kind="file",
                )
            )
            continue
        text, found = decode_listing(shown, data)
        problems.extend(found)
        files.append(SourceFile(path.name, text))
    if not files:
        raise GeneratorError(
            f"no readable listing files ({LISTING_GLOB}) found; add one or pass --sources DIR", str(directory)
        )
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
