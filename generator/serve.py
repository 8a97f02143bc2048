"""`readinglist serve`: a live preview that follows edits to the corpus as well as to docs/.

One process, one rebuild loop (MkDocs' own LiveReloadServer):

    corpus/ or docs/ edited -> debounce -> generate (in-process) -> dirty MkDocs build -> browsers reload

- generate rewrites only the docs/ files whose text changed (writer.py), so
  MkDocs' dirty build (`mkdocs serve --dirty`: a page is rebuilt when its source
  is newer than its output) renders just those pages;
- generate and the MkDocs build run one after the other in the same loop, so a
  build never sees docs/ half-written;
- the generator's own writes into docs/ (pages in its manifest, its state and
  temporary files) do not trigger another rebuild: the rebuild that wrote them
  builds them;
- when only generator inputs changed and generate rewrote nothing (a save
  without changes), the MkDocs build is skipped;
- a generate error (`error: path:line: message`) leaves docs/ as it was; the
  build is skipped and the last good site stays served until the input is fixed.

Files are watched with watchdog's native observer (inotify on Linux): MkDocs
polls instead, which at 10,000 papers means listing docs/ (0.2 s) every 0.5 s,
in the process that builds. The polling observer stays as the fallback.
"""

from __future__ import annotations

import math
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from generator.build import Options, generate
from generator.cache import Cache
from generator.errors import GeneratorError
from generator.report import print_result
from generator.state import code_fingerprint
from generator.toolchain import LOG as log
from generator.toolchain import Preview
from generator.writer import MANIFEST, STATE, TMP_SUFFIX, read_manifest


class Watch:
    """One watched folder: every file under it, or only the named files directly in it."""

    def __init__(self, folder: Path, names: frozenset[str] | None = None, suffix: str = "", is_input: bool = True):
        self.folder = folder.resolve()
        self.names = names
        self.suffix = suffix
        self.is_input = is_input  # read by the generator (else: by MkDocs)

    def wants(self, path: str) -> bool:
        if self.names is None and not self.suffix:
            return True
        parent, name = os.path.split(path)
        if parent != str(self.folder):
            return False
        return (self.names is None or name in self.names) and name.endswith(self.suffix)


def input_watches(options: Options) -> list[Watch]:
    """The generator's inputs. Files are watched through their folder (not recursively), so
    an editor that saves by renaming a new file over the old one, or a file created later, is still seen."""
    files: dict[Path, set[str]] = {}
    notes, _ = options.notes_path
    for path in (options.tags, options.overrides_path, notes):
        path = path.absolute()
        if path.exists() and not path.is_file():
            continue  # /dev/null as "no overrides": nothing to watch
        if path.parent.is_dir():
            files.setdefault(path.parent.resolve(), set()).add(path.name)
    watches = [Watch(folder, frozenset(names)) for folder, names in files.items()]
    if options.sources.is_dir():
        watches.append(Watch(options.sources, suffix=".txt"))
    return watches


def extra_watch(path: Path) -> Watch:
    """An entry of mkdocs.yml's `watch:` list: a folder, or a file (watched through its folder)."""
    if path.is_file():
        return Watch(path.parent, frozenset({path.name}), is_input=False)
    return Watch(path, is_input=False)


class GeneratedFiles:
    """Which paths under docs/ the generator wrote: its manifest, re-read when the manifest changes."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs.resolve()
        self._stamp: tuple[int, int] | None = None
        self._paths: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def __contains__(self, path: str) -> bool:
        rel = os.path.relpath(path, self.docs)
        name = os.path.basename(rel)
        if name in (MANIFEST, STATE) or name.endswith(TMP_SUFFIX):
            return True
        return rel.replace(os.sep, "/") in self._current()

    def _current(self) -> frozenset[str]:
        with self._lock:
            try:
                st = os.stat(self.docs / MANIFEST)
            except OSError:
                return self._paths
            stamp = (st.st_mtime_ns, st.st_size)
            if stamp != self._stamp:
                try:
                    # Kept once seen: a page generate deletes may be reported after the manifest dropped it.
                    self._paths |= frozenset(read_manifest(self.docs))
                    self._stamp = stamp
                except GeneratorError:
                    pass  # half-written or damaged: keep the last good list; generate reports it
            return self._paths


def start_observer(watches: list[Watch], docs: Watch, generated: GeneratedFiles, changed: Callable[[bool], None]):
    """A running watchdog observer calling `changed(is_input)` for every event that is not the generator
    writing docs/; is_input is True for the generator's inputs, False for docs/ and other watched files."""
    import watchdog.events
    import watchdog.observers
    import watchdog.observers.polling

    def relevant(path: str) -> bool | None:
        """None: not ours to follow; True: a generator input; False: anything else MkDocs builds from."""
        if path.startswith(str(docs.folder) + os.sep):
            return None if path in generated else False
        hits = [w.is_input for w in watches if w.wants(path)]
        return any(hits) if hits else None

    class Handler(watchdog.events.FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                return
            paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
            kinds = {relevant(p) for p in paths if p} - {None}
            if kinds:
                changed(all(kinds))

    handler = Handler()
    folders = [(docs.folder, True)] + [
        (folder, any(w.names is None and not w.suffix for w in watches if w.folder == folder))
        for folder in sorted({w.folder for w in watches})
    ]
    try:
        observer = watchdog.observers.Observer()
        for folder, recursive in folders:
            observer.schedule(handler, str(folder), recursive=recursive)
        observer.start()
        return observer
    except OSError as exc:  # e.g. the inotify watch limit
        log.warning(f"native file watching failed ({exc}); polling instead")
    observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
    for folder, recursive in folders:
        observer.schedule(handler, str(folder), recursive=recursive)
    observer.start()
    return observer


def report_generate(result, seconds: float) -> None:
    print_result(result)
    print(f"serve: generate {seconds:.2f} s", file=sys.stderr, flush=True)


def serve(options: Options, port: int, config_file: Path) -> int:
    """Generate, build into a temporary folder and serve it on 127.0.0.1:port until interrupted."""
    started_with = code_stamp()
    host = "127.0.0.1"
    check_port(host, port)  # before minutes of building, not after
    cache = Cache()  # what every generate of this serve remembers: only what an edit changed is made again

    def run_generate():
        """In-process: no interpreter start or numpy/scipy import per edit (about 0.5 s). None on error."""
        started = time.perf_counter()
        try:
            if code_stamp() != started_with:
                # This process still runs the old code: its pages would not be what the new code writes.
                raise GeneratorError("the generator's code changed since serve started: restart `readinglist serve`")
            result = generate(options, wait=math.inf, on_wait=waiting, cache=cache)
        except Exception as exc:  # a bug must not stall the server either: MkDocs would hold every request
            if isinstance(exc, GeneratorError):
                print(f"error: {exc}", file=sys.stderr)
            else:
                traceback.print_exc()
            print("serve: still serving the last good site; fix the input and save again", file=sys.stderr, flush=True)
            return None
        report_generate(result, time.perf_counter() - started)
        return result

    started = time.perf_counter()
    # an error here ends the command
    report_generate(generate(options, wait=math.inf, on_wait=waiting, cache=cache), time.perf_counter() - started)
    preview = Preview(config_file, host, port)

    def mkdocs_build(first: bool = False) -> None:
        started = time.perf_counter()
        preview.build(first)
        print(f"serve: mkdocs build {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)

    def builder() -> None:
        only_inputs = inputs_only.is_set() and not others.is_set()
        inputs_only.clear()
        others.clear()
        result = run_generate()
        if result is None:
            return
        if only_inputs and result.report is not None and not (result.report.written or result.report.removed):
            print("serve: no page changed; nothing to rebuild", file=sys.stderr, flush=True)
            return
        mkdocs_build()

    preview.start(builder)

    # Only generator inputs changed since the last rebuild, and generate rewrote nothing (a save
    # without changes): then there is nothing for MkDocs to do (about 3 s at 10,000 papers).
    inputs_only = threading.Event()
    others = threading.Event()

    def changed(is_input: bool) -> None:
        (inputs_only if is_input else others).set()
        preview.rebuild_soon()

    docs = Watch(preview.docs_dir)
    watches = input_watches(options) + [extra_watch(p) for p in preview.watched]
    previous = signal.signal(signal.SIGTERM, _interrupt)
    # Started before the first build, so that edits made while it runs are not lost.
    observer = start_observer(watches, docs, GeneratedFiles(options.docs), changed)
    try:
        mkdocs_build(first=True)  # generate has just run
        preview.serve(builder, ", ".join(sorted({str(w.folder) for w in [docs, *watches]})))
    finally:
        observer.stop()
        signal.signal(signal.SIGTERM, previous)
        preview.close()
    return 0


def waiting(pid: str) -> None:
    """serve waits for another run on docs/ (`make site`, say) without limit: it ends, and then serve goes on."""
    print(f"serve: another readinglist run (pid {pid}) is using docs/; waiting for it", file=sys.stderr, flush=True)


def check_port(host: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no obstacle
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise GeneratorError(f"cannot serve on {host}:{port}: {exc.strerror}; pass --port N") from exc


def code_stamp() -> str:
    """The generator's own code: what this process imported must be what a fresh `generate` would run."""
    return code_fingerprint()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
