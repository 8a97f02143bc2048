"""What the last run saw and left: the input fingerprint and docs/'s state file.

A run whose inputs fingerprint the same as the last successful run's, with no
generated file touched since, stops before parsing (build.up_to_date). The
fingerprint covers every input byte, the generator's code, the settings and
the environment that change the pages. The state file (`.readinglist-state.json`
in docs/) records that fingerprint, the run's summary and each written file's
size and mtime; it is a cache, so any damage means a full run. The writer's
file safety (what it may overwrite or delete) stays in writer.py, which reads
the state's digests through read_state.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zlib
from collections.abc import Callable
from pathlib import Path

from generator.sources import DATA_FILE_LIMIT, LISTING_GLOB
from generator.writer import STATE, atomic_write, check_recorded

FINGERPRINT_VERSION = "1"


def input_fingerprint(files: list[Path], sources: Path, settings: list[str]) -> str:
    """Everything the generated pages depend on: input files, the listings, generator code, settings, environment."""
    code = sorted(Path(__file__).parent.glob("*.py"))
    return fingerprint(
        [*files, *code],
        [sources],
        [FINGERPRINT_VERSION, *settings, os.environ.get("SITE_URL", ""), os.environ.get("SOURCE_DATE_EPOCH", "")],
    )


def code_fingerprint() -> str:
    """The generator's own code (its modules, by name and content): what a run's work was made with."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(paths: list[Path], folders: list[Path], extra: list[str]) -> str:
    """SHA-256 over input files (missing ones count as absent), the `*.txt` entries directly
    in `folders` (what read_listings reads: links, folders and pipes by kind, never opened;
    no other file in the folder is ever opened), and `extra` strings: equal fingerprints
    mean equal inputs."""
    digest = hashlib.sha256()
    entries = list(paths)
    for folder in folders:
        entries += sorted(folder.glob(LISTING_GLOB)) if folder.is_dir() else [folder]
    for path in entries:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_entry_digest(path))
    for value in extra:
        digest.update(value.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _entry_digest(path: Path) -> bytes:
    kind = b""
    try:
        if path.is_symlink():
            kind = b"link:" + os.fsencode(os.readlink(path)) + b"\0"
        st = path.stat()
    except FileNotFoundError:
        return kind + b"<absent>"
    except OSError as exc:
        return kind + f"<unreadable {exc.errno}>".encode()
    if stat.S_ISDIR(st.st_mode):
        return kind + b"<folder>"
    if not stat.S_ISREG(st.st_mode):
        return kind + b"<special>"  # a pipe would block, a device never ends: never opened
    if st.st_size > DATA_FILE_LIMIT and path.suffix != ".txt":
        # Refused unread by the run (read_data_bytes): size and time stand for the content.
        return kind + f"<large {st.st_size} {st.st_mtime_ns}>".encode()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return kind + b"<special>"
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            return kind + digest.digest()
    except OSError as exc:
        return kind + f"<unreadable {exc.errno}>".encode()


def read_state(docs: Path) -> dict | None:
    """The last run's record, None when absent, unreadable or not shaped as write_state writes it
    (it is a cache: any damage means a full run); a path in it that is not inside docs/ is an
    error, as in the manifest."""
    path = docs / STATE
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("files"), dict):
        check_recorded(docs, data["files"], path)
    return data if state_shape_ok(data) else None


def _list_of(value: object, check: Callable[[object], bool]) -> bool:
    return isinstance(value, list) and all(check(item) for item in value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problem_ok(row: object) -> bool:
    """[path, line, message, kind, reason], as generate_held records a Problem."""
    return (
        isinstance(row, list)
        and len(row) == 5
        and _is_int(row[1])
        and all(isinstance(row[i], str) for i in (0, 2, 3, 4))
    )


def state_shape_ok(data: object) -> bool:
    """True when `data` has every field, of every type, that write_state writes."""
    if not isinstance(data, dict) or not isinstance(data.get("fingerprint"), str):
        return False
    files, summary = data.get("files"), data.get("summary")
    if not isinstance(files, dict) or not all(_list_of(pair, _is_int) and len(pair) == 2 for pair in files.values()):
        return False
    return (
        isinstance(summary, dict)
        and all(_is_int(summary.get(key)) for key in ("files", "entries", "skipped"))
        and _list_of(summary.get("counts"), lambda line: isinstance(line, str))
        and _list_of(summary.get("notes"), lambda line: isinstance(line, str))
        and _list_of(summary.get("problems"), _problem_ok)
    )


def files_untouched(docs: Path, stats: dict[str, list[int]]) -> bool:
    """True when every file recorded in `stats` still has its size and mtime."""
    try:
        for rel, (size, mtime) in stats.items():
            st = os.stat(docs / rel)
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
    except (OSError, ValueError, TypeError):
        return False
    return True


def write_state(docs: Path, fingerprint: str, summary: dict, paths: list[str]) -> None:
    """Record the run that just brought docs/ up to date."""
    stats = {}
    root = str(docs)
    for rel in paths:
        st = os.stat(os.path.join(root, rel))  # (a Path for each of 52,000 files took 0.7 s, a string 0.3 s)
        stats[rel] = [st.st_size, st.st_mtime_ns]
    text = json.dumps({"fingerprint": fingerprint, "summary": summary, "files": stats}, sort_keys=True)
    atomic_write(docs / STATE, text.encode("utf-8"))


SEAL = b"readinglist-seal sha256:"


# Kept records are JSON, stored deflated: at 50,000 papers the tags and clean text are 60 MB as JSON and 24 MB
# deflated. This process reads them back from the worker that makes them and writes them last, after every page,
# so each byte less is a byte less to unpickle and write on the core the run waits on.
KEPT_LEVEL = 1  # zlib's fastest: level 6 took three times as long for 15% less
# A record made on the run's own core (the search terms, in the MkDocs build) is stored without compression
# (deflate's "stored" blocks: the bytes and 5 bytes a 64 KB, made at memory speed): at 10,000 papers level 1
# took 0.12 s of an update that must finish in seconds, for 6 MB less to write.
STORED_LEVEL = 0


def pack(data: bytes, level: int = KEPT_LEVEL) -> bytes:
    """A kept record's bytes as they are stored (deflated), for `keep(..., packed=True)`."""
    return zlib.compress(data, level)


def seal(data: bytes) -> bytes:
    """A kept file's bytes, in deflate's format (see keep), under one line holding the SHA-256 of what follows
    it: unseal finds any change made to them (a flipped byte, a hand edit, a write cut short) that did not also
    rewrite that line."""
    packed = pack(data, STORED_LEVEL)
    return seal_line(packed) + packed


def seal_line(packed: bytes) -> bytes:
    """The line `seal` puts above the deflated bytes."""
    return SEAL + hashlib.sha256(packed).hexdigest().encode("ascii") + b"\n"


def unseal(raw: bytes) -> bytes | None:
    """The bytes `seal` sealed, or None when there is no seal, it does not match, they do not inflate to at most
    KEPT_RATIO times their size (and KEPT_MAX_BYTES), or they escape a surrogate."""
    end = len(SEAL) + 64
    if not raw.startswith(SEAL) or raw[end : end + 1] != b"\n":
        return None
    packed = memoryview(raw)[end + 1 :]
    if hashlib.sha256(packed).hexdigest().encode("ascii") != raw[len(SEAL) : end]:
        return None
    inflate = zlib.decompressobj()
    try:
        data = inflate.decompress(packed, min(KEPT_MAX_BYTES, KEPT_RATIO * len(packed) + 2**20))
    except zlib.error:
        return None
    if not inflate.eof or inflate.unconsumed_tail or inflate.unused_data:
        return None
    # A record this code wrote never escapes a surrogate (its JSON is written with ensure_ascii=False, or holds
    # only ASCII); a planted one would be parsed into text no page can be encoded from.
    return None if SURROGATE_ESCAPE.search(data) else data


KEPT_MAX_BYTES = 512 * 2**20  # a kept record larger than this is not read (it is a cache: the work is redone)
# Inflated, a record may be at most this many times its stored size (plus 1 MB): the records this code packs
# shrink 2-3 times (each entry is keyed by a SHA-256), and a planted 170 KB record of 20 million empty lists
# (57 MB of JSON, 335 times its size) held 1.5 GB once parsed.
KEPT_RATIO = 32
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def read_kept(path: Path) -> bytes | None:
    """A kept record's bytes (generator/stored.py, the search words), or None when there is no such regular file
    (a symlink, a folder or a pipe is never read), it is over KEPT_MAX_BYTES or unreadable, or its seal does
    not match."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > KEPT_MAX_BYTES:
            return None
        return unseal(path.read_bytes())
    except OSError:
        return None


def keep(path: Path, data: bytes, packed: bool = False) -> str | None:
    """Write a kept record, sealed, only when its bytes change (a run that changed nothing rewrites nothing);
    never over a symlink or anything but a file, and a write that fails is dropped: it is a cache. Returns why
    it was not written when a write failed (the disk full, say), else None. `packed`: `data` is what `pack`
    made of the record, where it was made (a worker); else the record is stored as it is (STORED_LEVEL)."""
    packed = data if packed else pack(data, STORED_LEVEL)
    line = seal_line(packed)  # written before the bytes, not joined to them (a copy of tens of MB)
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return None
        if path.is_file() and path.stat().st_size == len(line) + len(packed):
            old = path.read_bytes()
            if old.startswith(line) and memoryview(old)[len(line) :] == packed:
                return None
        atomic_write(path, line, packed)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
