"""The only module that writes output files.

Promises (each one tested in tests/test_writer.py):

- The whole plan is checked before the first write: if any planned path holds
  a file the generator did not write (or one edited by hand since), nothing is
  written and the error lists every such file.
- Each file is written atomically (temporary file in the same folder +
  os.replace); files whose content is unchanged are not touched (mtime stays).
- Generated files that left the plan are removed; a user's file never is. A
  manifest (docs/.readinglist-manifest.json) records every generated path with
  the SHA-256 of what was written, so "generated" is a fact, not a guess. An
  entry with no digest (a version-1 manifest: paths only) proves nothing: its
  file is never deleted, and overwritten only when it already holds exactly
  what would be written.
- Killed half-way, a run leaves a docs/ the next run repairs: the manifest is
  widened to cover both the old and the new content of every path *before*
  the first write, so every file a dead run left behind is recognised as ours.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.models import Content, content_bytes

MANIFEST = ".readinglist-manifest.json"
STATE = ".readinglist-state.json"  # the last run's input fingerprint, summary and file stats
MANIFEST_VERSION = 2
TMP_SUFFIX = ".rl-tmp"
# Made-on-demand files up to this size are kept from hashing to writing instead of made twice (tag feeds).
KEEP_MADE_BYTES = 2 * 1024 * 1024
WORK = ".readinglist-work.json"  # the last run's tags and clean text (generator/stored.py)
OWN_FILES = (MANIFEST, STATE, WORK)
LOCK_SUFFIX = ".readinglist-lock"  # beside docs/: `.docs.readinglist-lock` (git-ignored, never published)
LOCK_WAIT = 10.0  # seconds a run waits for another run on the same docs/ before it gives up


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    kept: tuple[str, ...] = ()  # generated files that left the plan but were edited by hand: left alone
    unproven: tuple[str, ...] = ()  # left the plan, listed with no digest (version-1 manifest): left alone
    digests: dict[str, str] | None = None  # planned path -> SHA-256 of its bytes (what the manifest now records)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Kept:
    """A planned file that is already in docs/ with this digest, as the last run wrote it (generator/stored.py
    checked it by the size and time that run recorded, as `current_digest` does): the writer takes the digest
    without making the bytes, so an update does not read 10,000 unchanged paper pages. Called, it reads the
    file, which must still have that digest."""

    __slots__ = ("path", "digest")

    def __init__(self, path: str, digest: str) -> None:
        self.path = path
        self.digest = digest

    def __call__(self) -> bytes:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise GeneratorError(f"cannot read: {exc.strerror}; run again", self.path) from exc
        if sha256(data) != self.digest:
            raise GeneratorError("changed while the generator was running; run again", self.path)
        return data


# {relative path: accepted SHA-256 digests}; an empty set (version-1 manifest) proves no content ours.
Manifest = dict[str, frozenset[str]]
MANIFEST_MAX_BYTES = 256 * 2**20  # about 100 bytes a file: far beyond any real site


def read_manifest(docs: Path) -> Manifest:
    """The manifest's {path: digests}; every path is checked to lie inside docs/ (see check_recorded)."""
    path = docs / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        # A pipe would block the run and /dev/zero exhaust memory: only a regular file is read.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MANIFEST_MAX_BYTES:
            raise ValueError("not a regular file of at most 256 MB")
        data = json.loads(path.read_text(encoding="utf-8"))
        generated = data["generated"]
        if isinstance(generated, list):  # version 1: paths only
            manifest = {p: frozenset() for p in generated}
        else:
            manifest = {p: frozenset(str(h) for h in hashes) for p, hashes in generated.items()}
    except (ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        if isinstance(exc, RecursionError):
            exc = ValueError("nested too deeply")
        raise GeneratorError(
            f"manifest is unreadable ({exc}); delete it only if docs/ holds no hand-written pages "
            "(the next run then refuses to touch files it cannot prove it wrote, and says which)",
            str(path),
        ) from exc
    check_recorded(docs, manifest, path)
    return manifest


def path_problem(rel: object) -> str | None:
    """Why a path recorded in docs/ (manifest, state) or planned there is not a plain relative path, or None."""
    if not isinstance(rel, str):
        return "is not a path"
    if not rel:
        return "is empty"
    if "\x00" in rel:
        return "holds a NUL byte"
    if "\\" in rel:
        return "holds a backslash"
    if rel.startswith("/") or os.path.isabs(rel):
        return "is an absolute path"
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return "has an empty, '.' or '..' part"
    if rel in OWN_FILES:
        return "names one of the generator's own records"
    return None


def folder_escapes(docs: Path, rel: str, resolved: dict[str, bool]) -> bool:
    """True when the folder holding `rel` resolves, through symbolic links, to a place outside docs/."""
    folder = rel.rpartition("/")[0]
    if not folder:
        return False
    if folder not in resolved:
        root = os.path.realpath(docs)
        real = os.path.realpath(os.path.join(root, folder))
        resolved[folder] = os.path.commonpath([root, real]) != root
    return resolved[folder]


def check_recorded(docs: Path, paths: Iterable[object], record: Path) -> None:
    """Every path a record (manifest, state) names must lie inside docs/: a planted or edited record
    must never make the generator read, overwrite or delete a file elsewhere."""
    resolved: dict[str, bool] = {}
    for rel in paths:
        problem = path_problem(rel)
        if problem is None and folder_escapes(docs, rel, resolved):
            problem = "leads through a symbolic link to a folder outside docs/"
        if problem is not None:
            raise GeneratorError(
                f"entry {rel!r} {problem}; the generator only records files it wrote inside docs/, so this "
                "record was edited or planted. Nothing was written or deleted: remove the entry and run again",
                str(record),
            )


def write_manifest(docs: Path, manifest: Manifest) -> None:
    text = manifest_text(manifest)
    target = docs / MANIFEST
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        atomic_write(target, text.encode("utf-8"))


def manifest_text(manifest: Manifest) -> str:
    """The manifest file's text: json.dumps({"version": ..., "generated": {path: sorted digests}}, indent=0,
    sort_keys=True) + newline, one string a line. Written out here with json's own string encoder: with an
    indent, json.dumps runs its encoder in Python (0.28 s against 0.12 s for 52,000 paths, before the first page
    is written, on the core the run waits on)."""
    quote = json.encoder.encode_basestring_ascii  # what json.dumps quotes strings with (ensure_ascii)

    def digests(rel: str) -> str:
        found = sorted(manifest[rel])
        return "[\n" + ",\n".join(map(quote, found)) + "\n]" if found else "[]"

    records = ",\n".join(f"{quote(rel)}: {digests(rel)}" for rel in sorted(manifest))
    generated = "{\n" + records + "\n}" if manifest else "{}"
    return f'{{\n"generated": {generated},\n"version": {MANIFEST_VERSION}\n}}\n'


def atomic_write(path: Path | str, *chunks: bytes) -> None:
    """Write the chunks, one after the other, via a temporary file in the same folder and os.replace: readers
    see old or new, never half.

    One temporary name per process and folder (no random names, no mkdir unless
    the folder is missing): the least system calls per file, for 10,000 pages.
    """
    path = os.fspath(path)
    folder = os.path.dirname(path)
    tmp = os.path.join(folder, f".{os.getpid()}{TMP_SUFFIX}")
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                for data in chunks:
                    handle.write(data)
                os.fchmod(fd, 0o644)  # whatever the umask: pages are ordinary readable files (by descriptor: no lookup)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        if exc.filename not in (tmp, None):
            raise
        # Named after the file being written, not its temporary (gone) or nothing (a failed write(2)).
        raise OSError(exc.errno, exc.strerror or str(exc), path) from exc


def current_digest(name: str, known: tuple[list[int], str] | None = None) -> str | None:
    """SHA-256 of the file at a planned path, None if absent. Raises GeneratorError for a folder or link there.

    `known`: the size and mtime the last successful run recorded for this file,
    with the digest it wrote; a file that still has both is not read again.
    """
    try:
        st = os.lstat(name)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise GeneratorError("is a symbolic link where the generator wants to write a page; remove it", name)
    if not stat.S_ISREG(st.st_mode):
        raise GeneratorError(
            "is a folder (or other non-file) where the generator wants to write a page; rename or move it", name
        )
    if known is not None and known[0] == [st.st_size, st.st_mtime_ns]:
        return known[1]
    with open(name, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def last_written(docs: Path, owned: Manifest, state: dict | None = None) -> dict[str, tuple[list[int], str]]:
    """{path: ([size, mtime], digest)} for each file as the last successful run left it (see write_state).
    `state`: the state file as this run already read it (default: read here)."""
    from generator.state import read_state  # state.py builds on this module

    state = (state if state is not None else read_state(docs)) or {}
    stats = state.get("files")
    if not isinstance(stats, dict):
        return {}
    known = {}
    for rel, stat_pair in stats.items():
        digests = owned.get(rel)
        if digests and len(digests) == 1 and isinstance(stat_pair, list):
            known[rel] = (stat_pair, next(iter(digests)))
    return known


def check_plan_paths(plan: dict[str, Content]) -> None:
    for rel in plan:
        if path_problem(rel) is not None:
            raise GeneratorError(f"internal error: planned path {rel!r} is outside docs/")


def check_parents(docs: Path, rel: str, seen: set[str]) -> None:
    """Every folder on the way to a planned file is a folder or absent, and inside docs/ even through
    symbolic links (each good folder checked once)."""
    folder = rel.rpartition("/")[0]
    if folder in seen:
        return
    parents = folder.split("/") if folder else []
    for depth in range(1, len(parents) + 1):
        path = docs / "/".join(parents[:depth])
        if path.exists() and not path.is_dir():
            raise GeneratorError("is a file where the generator needs a folder; rename or move it", str(path))
    if folder_escapes(docs, rel, {}):
        raise GeneratorError(
            "is a symbolic link to a folder outside docs/, where the generator wants to write pages; remove it",
            str(docs / folder),
        )
    seen.add(folder)


def check_ownership(
    docs: Path, digests: dict[str, str], owned: Manifest, known: dict[str, tuple[list[int], str]] | None = None
) -> dict[str, str | None]:
    """Refuse, before writing anything, to overwrite a file the generator did not write
    (or wrote and someone edited since). Returns the current digest of every planned path."""
    current: dict[str, str | None] = {}
    refused: list[str] = []
    folders: set[str] = set()
    root = str(docs)
    for rel in sorted(digests):
        target = os.path.join(root, rel)  # strings, not Paths: this loop runs once per page
        try:
            check_parents(docs, rel, folders)
            digest = current_digest(target, known.get(rel) if known else None)
        except GeneratorError as exc:
            if str(exc) not in refused:  # a file in place of a folder stands in the way of every page in it
                refused.append(str(exc))
            continue
        except OSError as exc:
            raise GeneratorError(f"cannot read: {exc.strerror}", str(target)) from exc
        current[rel] = digest
        if digest is None or digest == digests[rel]:
            continue  # absent, or identical: adopting it loses nothing
        if rel in owned and not owned[rel]:
            refused.append(
                f"{target}: is listed by an old manifest without a digest, so nothing proves the generator "
                "wrote this text; if it is a generated page, delete it (it is regenerated), else rename or move it"
            )
        elif rel in owned:
            if digest in owned[rel]:
                continue
            refused.append(
                f"{target}: was edited by hand after the generator wrote it; copy your changes elsewhere "
                "and delete the file (it is regenerated), or rename it"
            )
        else:
            refused.append(
                f"{target}: is a hand-written file where the generator wants to write a page; rename or move it"
            )
    if refused:
        listed = "\n".join(f"  {r}" for r in refused)
        raise GeneratorError(
            f"refusing to write: {len(refused)} file(s) in the way; nothing was written "
            f"(the generator never overwrites files it did not write):\n{listed}",
            str(docs),
        )
    return current


def remove_stale_temp(docs: Path) -> None:
    """Temporary files left by an interrupted run (only names atomic_write makes)."""
    for tmp in docs.rglob(f".*{TMP_SUFFIX}"):
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink(missing_ok=True)


# The temporary names atomic_write (and save_listing) make: a dot, the writing process's pid, the suffix.
DEAD_RUN_TEMP = re.compile(r"\.(\d+)(?:\.add)?" + re.escape(TMP_SUFFIX))


def remove_dead_runs_temp(folder: Path) -> None:
    """Temporary files a killed run left in `folder` (not its subfolders) outside docs/: corpus/ (the slug lock),
    the sources folder (`readinglist add`), site/ (the build's records). Another run may be writing there (two
    docs/ folders can share one corpus/), so only the names atomic_write makes, only regular files, and only
    those of a process that no longer exists."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = DEAD_RUN_TEMP.fullmatch(entry.name)
        if found is None or _process_exists(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # (another user's process, or a number no pid can be: leave the file)
    return True


def write_plan(
    docs: Path,
    plan: dict[str, Content],
    before_write: Callable[[dict[str, str]], None] | None = None,
    owned: Manifest | None = None,
    state: dict | None = None,
) -> WriteReport:
    """Bring docs/ in line with the plan; see the module docstring for the promises.

    `before_write` runs once every check has passed, before the first write into docs/, with the planned files'
    digests ({path: SHA-256}): if it raises, docs/ is exactly as it was (build.py writes the slug lock there,
    and starts a worker on the kept work, which needs the digests, while the files are written).
    `owned`, `state`: the manifest and state file as this run read them (it holds docs/'s lock), not read
    again (each is 10,000 paths to parse and check); default: read here."""
    check_plan_paths(plan)
    try:
        return _write_plan(docs, plan, before_write, owned, state)
    except OSError as exc:
        where = exc.filename or docs
        raise GeneratorError(
            f"cannot write: {exc.strerror or exc}. Fix the cause and run again: the next run finishes the job",
            str(where),
        ) from exc


def _write_plan(
    docs: Path,
    plan: dict[str, Content],
    before_write: Callable[[dict[str, str]], None] | None,
    owned: Manifest | None,
    state: dict | None,
) -> WriteReport:
    docs.mkdir(parents=True, exist_ok=True)
    owned = read_manifest(docs) if owned is None else owned
    # Text is encoded once and kept; made-on-demand content is made and hashed, and kept only when it is
    # small (a tag's feed, capped at TAG_FEED_LIMIT papers): a big file is made again if it must be written.
    encoded = {rel: content_bytes(c) for rel, c in plan.items() if not callable(c)}
    digests = {}
    for rel, c in plan.items():
        if rel in encoded:
            digests[rel] = sha256(encoded[rel])
            continue
        if isinstance(c, Kept):  # made again only if it must be written, which a kept page never is
            digests[rel] = c.digest
            continue
        data = content_bytes(c)
        digests[rel] = sha256(data)
        if len(data) <= KEEP_MADE_BYTES:
            encoded[rel] = data
        del data  # before the next file is made: two big exports never exist at once
    current = check_ownership(docs, digests, owned, last_written(docs, owned, state))
    if before_write is not None:
        before_write(digests)
    (docs / STATE).unlink(missing_ok=True)  # a run that dies half-way must not leave a state claiming docs/ is current
    remove_stale_temp(docs)
    # Before the first write, accept both the old and the new content of every
    # path: whatever a killed run leaves behind, the next run knows it is ours.
    widened = dict(owned)
    for rel, digest in digests.items():
        widened[rel] = owned.get(rel, frozenset()) | {digest}
    if widened != owned:
        write_manifest(docs, widened)

    written: list[str] = []
    unchanged = 0
    root = str(docs)
    for rel, content in plan.items():
        if current[rel] == digests[rel]:
            unchanged += 1
            continue
        atomic_write(os.path.join(root, rel), encoded[rel] if rel in encoded else content_bytes(content))
        written.append(rel)

    removed: list[str] = []
    kept: list[str] = []
    unproven: list[str] = []
    for rel in sorted(set(owned) - set(plan)):
        target = docs / rel
        if target.is_symlink() or not target.is_file():
            continue
        if not owned[rel]:
            unproven.append(rel)  # no digest: it may be a hand-written page an old manifest named
            continue
        if sha256(target.read_bytes()) not in owned[rel]:
            kept.append(rel)  # edited by hand: from now on it is the user's file
            continue
        target.unlink()
        removed.append(rel)
        _prune_empty_dirs(docs, target.parent)
    final = {rel: frozenset({digest}) for rel, digest in digests.items()}
    # docs/ holds `widened` now (written above, or equal to what was there): a cold run's is already final.
    if final != widened or not (docs / MANIFEST).exists():
        write_manifest(docs, final)
    return WriteReport(tuple(written), unchanged, tuple(removed), tuple(kept), tuple(unproven), digests)


def _prune_empty_dirs(docs: Path, folder: Path) -> None:
    while folder != docs and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


# ---------------------------------------------------------------- no-op runs
# When the inputs are byte-for-byte those of the last successful run and no
# generated file was touched since, the plan would be the same: the run can
# stop before parsing. File stats (size, mtime) detect hand edits and deletions.


def write_slug_lock(path: Path, text: str) -> None:
    """Write the slug lock (corpus/slugs.lock) atomically: the one file outside docs/ the generator writes."""
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise GeneratorError(f"cannot write the slug lock: {exc.strerror}", str(path)) from exc


# ---------------------------------------------------------------- the site folder
# MkDocs empties its site folder before every build (all but dot-files). `readinglist build`
# therefore builds only into a folder that is new, empty, or marked as made by an earlier build.

SITE_MARKER = ".readinglist-site"  # a dot-file: MkDocs' clean-up keeps it, and never copies it from docs/
# What every site this project built holds: such a folder, made before the marker existed, is adopted.
BUILT_SITE = ("404.html", "sitemap.xml", "papers.json", "search/search_index.json")


def check_site_folder(site: Path, inputs: Iterable[tuple[str, Path]], docs: Path) -> None:
    """Refuse a site folder MkDocs would empty when it is, or holds, one of `inputs` ((label, path)),
    lies inside docs/, or holds files no build made."""
    real = os.path.realpath(site)
    for label, path in inputs:
        other = os.path.realpath(path)
        if real == other or os.path.commonpath([real, other]) == real:
            relation = "is" if real == other else "holds"
            raise GeneratorError(
                f"refusing to build the site here: MkDocs empties the site folder before every build, and this "
                f"folder {relation} {label} ({path}). Pass --site with a folder of its own (default: site)",
                str(site),
            )
    root = os.path.realpath(docs)
    if os.path.commonpath([real, root]) == root:
        raise GeneratorError(
            f"refusing to build the site inside the docs folder ({docs}): MkDocs would publish it. "
            "Pass --site with a folder outside it (default: site)",
            str(site),
        )
    try:
        entries = os.listdir(site)
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise GeneratorError("is a file, not a folder; pass --site with a folder (default: site)", str(site)) from None
    except OSError as exc:
        raise GeneratorError(f"cannot list the site folder: {exc.strerror}", str(site)) from exc
    doomed = [e for e in entries if not e.startswith(".")]  # MkDocs' clean-up keeps dot-files (a .git, say)
    if not doomed or SITE_MARKER in entries or all(os.path.isfile(os.path.join(site, p)) for p in BUILT_SITE):
        return
    raise GeneratorError(
        f"refusing to build the site here: the folder is not empty and was not made by `readinglist build` "
        f"(it has no {SITE_MARKER}), and MkDocs empties the site folder before every build. Pass --site with a "
        "new or empty folder, or empty this one yourself",
        str(site),
    )


def claim_site_folder(site: Path) -> None:
    """Mark the site folder as the build's own, before MkDocs writes into it (its clean-up keeps dot-files)."""
    try:
        os.makedirs(site, exist_ok=True)
        marker = os.path.join(site, SITE_MARKER)
        if not os.path.exists(marker):
            atomic_write(marker, b"Made by `readinglist build`, which empties and rebuilds this folder.\n")
    except OSError as exc:
        raise GeneratorError(f"cannot write into the site folder: {exc.strerror}", str(site)) from exc


# ---------------------------------------------------------------- one run per docs/
# Two runs writing one docs/ at once (say `serve` regenerating while `make site` runs) interleave
# their writes, manifests and state records: pages end up with the wrong text while the next
# run finds docs/ "already up to date". So every run holds a lock for as long as it reads or
# writes docs/. The lock is a file beside docs/ (inside it, it would change docs/ itself), held
# with flock through the filelock library: the kernel releases it when its holder dies, even by
# kill -9, so a dead run never blocks the next one.


def lock_path(docs: Path) -> Path:
    """Named after the real folder (symbolic links resolved): one folder has one lock, whatever path reaches it."""
    folder = Path(os.path.realpath(docs))
    return folder.parent / f".{folder.name or 'root'}{LOCK_SUFFIX}"


def lock_holder(path: Path) -> str:
    """The pid the lock's holder recorded in the lock file, or '?' when there is none yet."""
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return "?"
    return pid if pid.isdigit() else "?"


@contextlib.contextmanager
def docs_lock(docs: Path, wait: float | None = None, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of `docs` (or of any folder: `readinglist build` locks its site folder too) for the duration
    of the block.

    When another run holds it: call `on_wait(pid)` once, then wait up to `wait` seconds
    (None: LOCK_WAIT; math.inf: without limit); after that, a GeneratorError naming the other run.
    """
    from filelock import FileLock, Timeout  # only when docs/ is used

    wait = LOCK_WAIT if wait is None else wait
    path = lock_path(docs)
    lock = FileLock(path, thread_local=False)
    try:
        try:
            lock.acquire(blocking=False)
        except Timeout:
            if on_wait is not None:
                on_wait(lock_holder(path))
            lock.acquire(timeout=wait)
    except Timeout:
        raise GeneratorError(
            f"another readinglist run is using this folder (pid {lock_holder(path)}); wait for it or stop it",
            f"{docs}/",
        ) from None
    except OSError as exc:
        raise GeneratorError(f"cannot create the lock file {path}: {exc.strerror or exc}", f"{docs}/") from exc
    try:
        _record_holder(path, str(os.getpid()))
        yield
    finally:
        _record_holder(path, "")
        lock.release()


def _record_holder(path: Path, pid: str) -> None:
    """Write who holds the lock into the lock file (a second descriptor: the lock is on the file, not on it)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.ftruncate(fd, 0)
            os.write(fd, pid.encode("ascii"))
        finally:
            os.close(fd)


# ---------------------------------------------------------------- a new listing (readinglist add)


def save_listing(folder: Path, stem: str, text: str) -> Path:
    """Save a new listing as `folder/<stem>.txt`, or `<stem>-2.txt`, `-3` ... when that name is taken:
    never over an existing file. The text is written to a temporary dot-file first (never read as a
    listing) and then hard-linked to the free name, which fails rather than replace a file, so a
    reader never sees half a listing."""
    if not folder.is_dir():
        raise GeneratorError("sources folder does not exist; create it or pass --sources DIR", str(folder))
    tmp = folder / f".{os.getpid()}.add{TMP_SUFFIX}"
    try:
        atomic_write(tmp, text.encode("utf-8"))
        for n in range(1, 10_000):
            target = folder / (f"{stem}.txt" if n == 1 else f"{stem}-{n}.txt")
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system: exclusive create instead
                try:
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
                except FileExistsError:
                    continue
                with os.fdopen(fd, "wb") as handle:
                    handle.write(text.encode("utf-8"))
            return target
        raise GeneratorError(f"no free file name for {stem}.txt; pass another --title", str(folder))
    except OSError as exc:
        raise GeneratorError(f"cannot save the listing: {exc.strerror}", str(folder)) from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
