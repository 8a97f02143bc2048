"""The only module that reads input files: listings, taxonomy and other YAML data."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

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
# Unicode noncharacters (U+FDD0..U+FDEF and the last two code points of every plane): never
# text, and the feed's XML refuses U+FFFE and U+FFFF, so one of them would stop the whole site.
NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef" + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]"
)
# What a YAML string may not hold: lone surrogates (from a "\udc80" escape: no UTF-8 encoder
# takes them), noncharacters, and control characters other than tab and line breaks.
UNFIT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]|" + NONCHARACTERS.pattern)


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


def might_hold_noncharacters(text: str) -> bool:
    """False when `text` surely holds none: their UTF-8 forms all contain one of these byte pairs (U+FDD0-U+FDEF
    start EF B7, every U+xFFFE and U+xFFFF ends BF BE or BF BF). Searching bytes is about 20x faster than the
    regex's character class on a 16 MB corpus."""
    if text.isascii():
        return False
    data = text.encode("utf-8", "surrogatepass")
    return b"\xef\xb7" in data or b"\xbf\xbe" in data or b"\xbf\xbf" in data


def drop_noncharacters(name: str, text: str) -> tuple[str, list[Problem]]:
    """Remove Unicode noncharacters, with a warning per line (lines counted as parse.py counts them)."""
    if not might_hold_noncharacters(text) or not NONCHARACTERS.search(text):
        return text, []
    problems = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        found = sorted(set(NONCHARACTERS.findall(line)))
        if found:
            codes = ", ".join(f"U+{ord(c):04X}" for c in found)
            problems.append(
                Problem(
                    name,
                    number,
                    f"Unicode noncharacters ({codes}) removed from this line; re-save the file without them",
                )
            )
    return NONCHARACTERS.sub("", text), problems


def shown_name(path: Path) -> str:
    """A path for messages: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


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
        shown = shown_name(path)
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
        text, found = drop_noncharacters(shown, text)
        problems.extend(found)
        name = path.name
        if shown_name(Path(name)) != name:
            # The name reaches papers.json, pages and the feed, which must be UTF-8.
            name = os.fsencode(name).decode("utf-8", "replace")
            problems.append(
                Problem(
                    shown,
                    0,
                    f"file name is not valid UTF-8; its papers are listed as coming from {name!r}. "
                    "Rename the file to silence this",
                )
            )
        files.append(SourceFile(name, text))
    if not files:
        raise GeneratorError(
            f"no readable listing files ({LISTING_GLOB}) found; add one or pass --sources DIR", str(directory)
        )
    return files, problems


class DuplicateKey(yaml.constructor.ConstructorError):
    """A mapping names one key twice: YAML says that is an error, PyYAML keeps the last silently."""

    def __init__(self, key: Any, first: yaml.Mark, again: yaml.Mark):
        super().__init__(None, None, f"duplicate key {key!r} (first at line {first.line + 1})", again)


class DataLoader(yaml.SafeLoader):
    """yaml.safe_load's loader, except that values Python or the site cannot hold (an impossible
    date, a lone surrogate) are errors with the line, not a ValueError deep in the build, and a
    key written twice in one mapping is an error, not a silent "last one wins"."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *base` overrides on purpose; a non-scalar key fails in PyYAML's own check
            key = self.construct_object(key_node)
            try:
                first = seen.setdefault(key, key_node.start_mark)
            except TypeError:
                continue
            if first is not key_node.start_mark:
                raise DuplicateKey(key, first, key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _timestamp(loader: DataLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date or time ({exc}); write it YYYY-MM-DD", node.start_mark
        ) from exc


def _text(loader: DataLoader, node: yaml.ScalarNode) -> str:
    value = yaml.SafeLoader.construct_yaml_str(loader, node)
    bad = UNFIT_TEXT.search(value)
    if bad:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"text holds U+{ord(bad.group()):04X}, a character no page or feed can hold; remove it (or its escape)",
            node.start_mark,
        )
    return value


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
DataLoader.add_constructor("tag:yaml.org,2002:str", _text)


# notes.yml, overrides.yml, tags.yml and slugs.lock are hand-kept text: a file larger than this is
# something else (a log, a dump, /dev/zero behind a link), refused before a byte of it is read.
DATA_FILE_LIMIT = 20 * 1024 * 1024


def read_data_bytes(path: Path, *, required: bool = True, what: str = "a YAML file") -> bytes | None:
    """The bytes of one hand-kept data file, None when it is absent and not `required`.

    Only a regular file is opened (a named pipe would block, a device never ends), and
    only one of at most DATA_FILE_LIMIT bytes; a symbolic link to nothing is an error,
    not an absent file (every note or override would silently disappear)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise GeneratorError(
                f"is a symbolic link to {os.readlink(path)}, which does not exist; fix the link or remove it",
                str(path),
            ) from None
        if required:
            raise GeneratorError("file not found", str(path)) from None
        return None
    except OSError as exc:
        raise GeneratorError(f"cannot read: {exc.strerror}", str(path)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise GeneratorError(f"is a folder, not {what}; pass the file's path", str(path))
    if stat.S_ISCHR(st.st_mode) and os.path.realpath(path) == os.devnull:
        return b""  # `--overrides /dev/null`: the usual way to say "none"
    if not stat.S_ISREG(st.st_mode):
        raise GeneratorError(
            f"is not a regular file (a pipe, socket or device), so it is not read; replace it with {what}", str(path)
        )
    if st.st_size > DATA_FILE_LIMIT:
        raise GeneratorError(
            f"is larger than {DATA_FILE_LIMIT // (1024 * 1024)} MB ({st.st_size:,} bytes), so it is not read; "
            f"this is not {what} kept by hand",
            str(path),
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # swapped for a pipe since stat: never block
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise GeneratorError(f"is not a regular file, so it is not read; replace it with {what}", str(path))
            data = handle.read(DATA_FILE_LIMIT + 1)
    except OSError as exc:
        raise GeneratorError(f"cannot read: {exc.strerror}", str(path)) from exc
    if len(data) > DATA_FILE_LIMIT:
        raise GeneratorError(f"is larger than {DATA_FILE_LIMIT // (1024 * 1024)} MB, so it is not read", str(path))
    return data


def read_slug_lock(path: Path) -> str | None:
    """The slug lock's text, None when there is none yet (a regular file, as read_data_bytes says)."""
    try:
        data = read_data_bytes(path, required=False, what="the slug lock (JSON)")
    except GeneratorError as exc:
        raise GeneratorError(f"cannot read the slug lock: {exc.message}", exc.path, exc.line) from exc
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GeneratorError(f"cannot read the slug lock: {exc}; restore it from git", str(path)) from exc


def read_yaml_text(path: Path, *, required: bool = True) -> str | None:
    """One YAML data file's text, checked to load (see load_yaml); None when absent and not required."""
    found = _read_yaml(path, required)
    return None if found is None else found[0]


def _read_yaml(path: Path, required: bool) -> tuple[str, Any] | None:
    """(text, data) of one YAML data file; None when absent and not required."""
    data = read_data_bytes(path, required=required)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GeneratorError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8", str(path), line
        ) from exc
    return text, load_yaml(text, path)


def load_yaml(text: str, path: Path) -> Any:
    """YAML text -> data, like yaml.safe_load; every error names the file and, where known, the line."""
    try:
        return yaml.load(text, Loader=DataLoader)  # noqa: S506 (DataLoader is a SafeLoader)
    except DuplicateKey as exc:
        raise GeneratorError(str(exc.problem), str(path), exc.problem_mark.line + 1) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise GeneratorError(f"invalid YAML: {exc.problem}", str(path), line) from exc
    except yaml.reader.ReaderError as exc:  # a raw character YAML refuses: position counts characters
        line = text.count("\n", 0, exc.position) + 1
        raise GeneratorError(
            f"invalid YAML: unacceptable character U+{exc.character:04X} ({exc.reason}); remove it", str(path), line
        ) from exc
    except RecursionError as exc:
        raise GeneratorError("invalid YAML: nested too deeply", str(path)) from exc


def read_yaml(path: Path, *, required: bool = True) -> Any:
    """Load one YAML data file as yaml.safe_load would; errors name the file and line."""
    found = _read_yaml(path, required)  # loaded once (the taxonomy took 0.2 s a load at 51 tags)
    return None if found is None else found[1]


def read_text_asset(path: Path) -> str | None:
    """A vendored text asset (installed by npm), or None when it is not installed."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def read_new_listing(path: Path | None, stdin: BinaryIO) -> tuple[str, bytes]:
    """`readinglist add`'s input: (name for messages, bytes) of a file, or of standard input when `path` is None."""
    if path is None:
        return "<stdin>", stdin.read()
    shown = shown_name(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise GeneratorError("is not a regular file; pass a listing file, or - for standard input", shown)
        return shown, path.read_bytes()
    except OSError as exc:
        raise GeneratorError(f"cannot read: {exc.strerror}", shown) from exc


def has_listings(directory: Path) -> bool:
    """True when the sources folder holds at least one `*.txt` file."""
    return directory.is_dir() and any(directory.glob(LISTING_GLOB))
