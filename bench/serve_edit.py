"""Edit -> served latency of `readinglist serve` on N synthetic papers (a benchmark, not a test).

    python bench/serve_edit.py --n 1000 [--edits 5] [--work artifacts/bench]

Sets up a scratch project like bench/run.py (synthetic listings from bench/synth.py,
seed 1, the real taxonomy with `--overrides /dev/null`, the repository's mkdocs.yml
and hand-written docs, plus a notes.yml), starts `readinglist serve` on a free port,
waits for the first build, then edits one note and one listing entry --edits times
each (after one untimed warm-up edit of each) and prints medians of:

- total: file written -> the live-reload request a browser keeps open returns
  and the page, fetched again, holds the change (what someone editing sees);
- http: file written -> polling the page over HTTP first shows the change
  (MkDocs writes the page before it finishes the build);
- detect: file written -> serve reports the change (file watching + debounce);
- generate / mkdocs: the two steps' own times, as serve prints them;
- reload: the rest (after the build: live-reload signal, page fetch, and overhead).

It also reports what a dirty rebuild leaves in search_index.json and sitemap.xml.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import prepare as prepare_project  # noqa: E402
from bench.run import synthetic_sources  # noqa: E402

BIN = Path(sys.executable).parent
LIVERELOAD = re.compile(r"livereload\((\d+), (\d+)\)")
GENERATE = re.compile(r"serve: generate ([\d.]+) s")
MKDOCS = re.compile(r"serve: mkdocs build ([\d.]+) s")
TIMEOUT = 600.0


@dataclass
class Edit:
    total: float
    http: float
    detect: float
    generate: float
    mkdocs: float

    @property
    def reload(self) -> float:
        return self.total - self.detect - self.generate - self.mkdocs


@dataclass
class Server:
    proc: subprocess.Popen
    base: str
    lines: list[tuple[float, str]] = field(default_factory=list)

    def read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))
            if os.environ.get("SERVE_EDIT_ECHO"):
                print(f"    | {line.rstrip()}", file=sys.stderr)

    def get(self, path: str, timeout: float = 30) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_line(self, pattern: re.Pattern[str], after: float) -> tuple[float, re.Match[str]]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("serve exited:\n" + "\n".join(line for _, line in self.lines[-40:]))
            for at, line in list(self.lines):
                match = pattern.search(line)
                if at >= after and match:
                    return at, match
            time.sleep(0.02)
        raise SystemExit(f"serve never printed {pattern.pattern!r}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(project: Path, sources: Path) -> None:
    """bench/run.py's scratch project, plus a copy of the listings and an empty notes file to edit."""
    prepare_project(project)
    shutil.copytree(sources, project / "sources")  # edited below: the shared synthetic dump stays as made
    (project / "notes.yml").write_text("# bench notes\n", encoding="utf-8")


def timed_edit(server: Server, write, page: str, marker: str) -> Edit:
    """Write, then wait as a browser would (live-reload long poll) and as a poller would (GET loop)."""
    html = server.get(page) or ""
    epoch, request = LIVERELOAD.search(html).groups()
    reloaded: list[float] = []

    def browser() -> None:
        current = epoch
        while True:
            answer = server.get(f"livereload/{current}/{request}", timeout=120)
            if answer is not None and float(answer) > float(current):
                fresh = server.get(page) or ""
                if marker in fresh:
                    reloaded.append(time.monotonic())
                    return
                current = answer.strip()  # a rebuild that did not carry the change yet

    watcher = threading.Thread(target=browser, daemon=True)
    start = time.monotonic()
    write()
    watcher.start()
    http = None
    deadline = start + TIMEOUT
    while http is None and time.monotonic() < deadline:
        text = server.get(page)
        if text is not None and marker in text:
            http = time.monotonic()
        else:
            time.sleep(0.02)
    watcher.join(TIMEOUT)
    if http is None or not reloaded:
        raise SystemExit(f"{page}: {marker} never served")
    detect, _ = server.wait_line(re.compile("Detected file changes"), start)
    _, gen = server.wait_line(GENERATE, detect)
    _, built = server.wait_line(MKDOCS, detect)
    return Edit(reloaded[0] - start, http - start, detect - start, float(gen.group(1)), float(built.group(1)))


def find_abstract(sources: Path) -> tuple[Path, int]:
    first = sorted(sources.glob("*.txt"))[0]
    for i, line in enumerate(first.read_text(encoding="utf-8").split("\n")):
        if len(line) > 300:
            return first, i
    raise SystemExit(f"no abstract in {first}")


def set_line_marker(path: Path, index: int, marker: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[index] = re.sub(r" Zzbench\w+\.$", "", lines[index]) + f" {marker}."
    path.write_text("\n".join(lines), encoding="utf-8")


def note_yaml(slug: str, marker: str) -> str:
    return f"{slug}:\n  status: reading\n  priority: 1\n  tags: [{marker}]\n  note: Bench note {marker}.\n"


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}"


def summarize(kind: str, edits: list[Edit]) -> str:
    cols = ("total", "http", "detect", "generate", "mkdocs", "reload")
    cells = [median([getattr(e, c) for e in edits]) for c in cols]
    return f"| {kind} ({len(edits)} edits) | " + " | ".join(cells) + " |"


def observe_dirty(server: Server, project: Path, marked_slug: str, marker: str) -> list[str]:
    """What the dirty rebuilds left behind in the search index and the sitemap."""
    notes = []
    raw = server.get("search/search_index.json")
    if raw:
        docs = json.loads(raw)["docs"]
        pages = {d["location"].partition("#")[0] for d in docs}
        papers = {p for p in pages if p.startswith("papers/") and p != "papers/"}
        edited = [d for d in docs if d["location"].startswith(f"papers/{marked_slug}/")]
        locations = [d["location"] for d in docs]
        repeated = sorted(loc for loc, k in Counter(locations).items() if k > 1)
        notes.append(
            f"search_index.json: {len(docs)} entries, {len(pages)} pages, {len(papers)} paper pages; "
            f"{len(locations) - len(set(locations))} entries repeat a location ({', '.join(repeated[:8]) or 'none'}); "
            f"edited paper: {len(edited)} entries, "
            f"{sum(marker in d.get('text', '') for d in edited)} with the last edit"
        )
    sitemap = server.get("sitemap.xml")
    if sitemap:
        notes.append(f"sitemap.xml: {sitemap.count('<url>')} urls")
    return notes


def run(n: int, edits: int, work: Path, log) -> list[str]:
    sources = synthetic_sources(work, n)
    project = work / f"serve-{n}"
    prepare(project, sources)
    port = free_port()
    cmd = [str(BIN / "readinglist"), "serve", "--sources", "sources", "--tags", str(ROOT / "corpus" / "tags.yml")]
    cmd += ["--overrides", os.devnull, "--notes", "notes.yml", "--port", str(port)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Server(proc, f"http://127.0.0.1:{port}/")
    threading.Thread(target=server.read, daemon=True).start()
    rows: list[str] = []
    try:
        while server.get("") is None:
            if proc.poll() is not None or time.monotonic() - started > TIMEOUT:
                raise SystemExit("serve did not start:\n" + "\n".join(line for _, line in server.lines[-40:]))
            time.sleep(0.2)
        first = time.monotonic() - started
        _, gen = server.wait_line(GENERATE, started)
        _, built = server.wait_line(MKDOCS, started)
        log(
            f"N={n}: first page served {first:.1f} s after start (generate {gen.group(1)} s, mkdocs {built.group(1)} s)"
        )
        rows.append(f"first build: served after {first:.1f} s (generate {gen.group(1)} s, mkdocs {built.group(1)} s)")

        slug = sorted(p.stem for p in (project / "docs" / "papers").glob("*.md"))[0]
        notes_file = project / "notes.yml"
        listing, line = find_abstract(project / "sources")
        # Warm-up (untimed medians): the listing edit also tells which paper page the abstract is on.
        timed_edit(server, lambda: notes_file.write_text(note_yaml(slug, "zzwarm"), encoding="utf-8"),
                   "reading/queue/", "zzwarm")  # fmt: skip
        set_line_marker(listing, line, "Zzbenchwarm")
        server.wait_line(MKDOCS, time.monotonic())
        hits = [p.stem for p in (project / "docs" / "papers").glob("*.md") if "Zzbenchwarm" in p.read_text("utf-8")]
        if len(hits) != 1:
            raise SystemExit(f"warm-up listing edit reached {len(hits)} paper pages")
        listed = hits[0]
        time.sleep(1)

        note_runs: list[Edit] = []
        listing_runs: list[Edit] = []
        for i in range(edits):
            marker = f"zznote{i}"
            e = timed_edit(server, lambda m=marker: notes_file.write_text(note_yaml(slug, m), encoding="utf-8"),
                           "reading/queue/", marker)  # fmt: skip
            paper = server.get(f"papers/{slug}/") or ""
            assert f"Bench note {marker}" in paper, "the note did not reach its paper page"
            note_runs.append(e)
            log(f"  note edit {i + 1}: {fmt(e)}")
            time.sleep(1)
            marker = f"Zzbench{i}"
            e = timed_edit(server, lambda m=marker: set_line_marker(listing, line, m), f"papers/{listed}/", marker)
            listing_runs.append(e)
            log(f"  listing edit {i + 1}: {fmt(e)}")
            time.sleep(1)
        rows.append("| edit | total | http | detect | generate | mkdocs | reload |")
        rows.append("|---|---|---|---|---|---|---|")
        rows.append(summarize("note", note_runs))
        rows.append(summarize("listing entry", listing_runs))
        rows += observe_dirty(server, project, listed, f"Zzbench{edits - 1}")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    return rows


def fmt(e: Edit) -> str:
    return (
        f"total {e.total:.2f} s (http {e.http:.2f}): detect {e.detect:.2f}, generate {e.generate:.2f}, "
        f"mkdocs {e.mkdocs:.2f}, reload {e.reload:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Edit -> served latency of `readinglist serve`.")
    parser.add_argument("--n", default="1000", help="paper counts, comma-separated")
    parser.add_argument("--edits", type=int, default=5, help="timed edits of each kind (medians are reported)")
    parser.add_argument("--work", type=Path, default=ROOT / "artifacts" / "bench", help="scratch folder")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    for n in (int(s.replace("_", "")) for s in args.n.split(",") if s.strip()):
        rows = run(n, args.edits, args.work, log)
        print(f"\n{n:,} papers, medians in seconds:")
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
