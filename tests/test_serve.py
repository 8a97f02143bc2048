"""`readinglist serve` follows edits: the real command on a free port, a small project, HTTP polling.

These prove that an edit reaches the served site, not how fast (bench/serve_edit.py
measures that): every wait is generous, so a loaded machine makes them slow, not flaky.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.sitebuild import ROOT, prepare

pytestmark = pytest.mark.slow

FIXTURE = ROOT / "tests" / "fixtures" / "notes"
WAIT = 180.0  # seconds; a change normally shows up in about one


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """A running `readinglist serve`, its output collected line by line."""

    def __init__(self, project: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--sources", "sources", "--tags", "tags.yml"]
            + ["--notes", "notes.yml", "--port", str(self.port)],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, path: str, text: str, present: bool = True) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"serve exited with {self.proc.returncode}:\n{self.output}")
            page = self.get(path)
            if page is not None and (text in page) == present:
                return page
            time.sleep(0.2)
        pytest.fail(f"{path}: {text!r} {'never appeared' if present else 'never went away'}:\n{self.output}")

    def wait_output(self, text: str, after: int = 0) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines[after:]):
                return
            time.sleep(0.1)
        pytest.fail(f"serve never printed {text!r}:\n{self.output}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


@pytest.fixture
def project(tmp_path: Path) -> Path:
    prepare(tmp_path)
    shutil.copytree(FIXTURE / "sources", tmp_path / "sources")
    shutil.copy(FIXTURE / "tags.yml", tmp_path / "tags.yml")
    shutil.copy(FIXTURE / "notes.yml", tmp_path / "notes.yml")
    return tmp_path


@pytest.fixture
def served(project: Path):
    server = Served(project)
    try:
        server.wait_for("", "Reading list")
        yield server
    finally:
        code = server.stop()
        assert code == 0, server.output


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PAPER = "papers/denoising-diffusion-models-for-image-inpainting/"
GRAPH_PAPER = "papers/graph-contrastive-learning-with-meta-paths/"


def test_an_edited_note_reaches_its_paper_page_and_the_reading_queue(served, project):
    # The queue's cards show each paper's reading state; the paper page shows the whole note.
    assert "priority 4" not in served.get("reading/queue/")
    replace_in(project / "notes.yml", "priority: 2", "priority: 4")
    replace_in(project / "notes.yml", "tags: [diffusion]", "tags: [zzqueuetag]")
    replace_in(project / "notes.yml", "Compare with *guidance*.", "Compare with *zznotetext*.")
    served.wait_for("reading/queue/", "priority 4")
    served.wait_for(PAPER, "zznotetext")
    assert "zzqueuetag" in served.get(PAPER)


def test_an_edited_listing_reaches_the_paper_page_and_its_tag_pages(served, project):
    # Two phrases of the Image synthesis tag (enough to give it): the paper joins that tag's page.
    assert "Graph Contrastive Learning" not in served.get("tags/image-synthesis/")
    replace_in(
        project / "sources" / "001_older.txt",
        "on heterogeneous graphs.",
        "on heterogeneous graphs. Zzlistingword: the same embeddings guide image inpainting and image synthesis.",
    )
    served.wait_for(GRAPH_PAPER, "Zzlistingword")
    served.wait_for("tags/image-synthesis/", "Graph Contrastive Learning")
    # The page MkDocs did not rebuild is still there and still whole.
    assert "Classifier Guidance" in served.get("papers/classifier-guidance-for-denoising-diffusion-models/")


def test_a_broken_edit_is_reported_and_the_last_good_site_stays_served(served, project):
    notes = project / "notes.yml"
    good = notes.read_text(encoding="utf-8")
    before = len(served.lines)
    notes.write_text(good.replace("tags: [diffusion]", "tags: [zzbroken"), encoding="utf-8")
    served.wait_output("error: notes.yml:", after=before)
    served.wait_output("still serving the last good site", after=before)
    assert served.proc.poll() is None
    page = served.get(PAPER)  # the note's own tags show on its paper page
    assert page is not None and "diffusion" in page and "zzbroken" not in page
    # Fixed, the next save is served as usual.
    notes.write_text(good.replace("tags: [diffusion]", "tags: [zzfixed]"), encoding="utf-8")
    served.wait_for(PAPER, "zzfixed")


def test_a_listing_problem_is_reported_with_its_file_and_line(served, project):
    before = len(served.lines)
    with (project / "sources" / "002_newer.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nDangling Title With No Abstract\n")
    served.wait_output("warning: sources/002_newer.txt:", after=before)
    assert served.proc.poll() is None
    assert "Denoising Diffusion" in served.get(PAPER)


def test_a_save_without_changes_rebuilds_nothing(served, project):
    before = len(served.lines)
    notes = project / "notes.yml"
    notes.write_text(notes.read_text(encoding="utf-8"), encoding="utf-8")
    served.wait_output("serve: no page changed; nothing to rebuild", after=before)
    assert not any("serve: mkdocs build" in line for line in served.lines[before:])


def test_rebuilds_leave_no_stale_search_entries(served, project):
    """Each dirty rebuild replaces the entries of the pages it rebuilt: no old text stays searchable."""
    import json
    from collections import Counter

    before = "diffusion"
    for word in ("zzfirstedit", "zzsecondedit"):
        replace_in(project / "notes.yml", f"tags: [{before}]", f"tags: [{word}]")
        served.wait_for(PAPER, word)
        before = word
    # One edit that changes two listing pages at once: the paper leaves the queue for "Read".
    replace_in(project / "notes.yml", "  status: reading\n", "  status: read\n")
    title = "Denoising Diffusion Models for Image Inpainting"
    served.wait_for("reading/read/", title)
    served.wait_for("reading/queue/", title, present=False)
    index = json.loads(served.get("search/search_index.json"))
    locations = Counter(d["location"] for d in index["docs"])
    assert [loc for loc, n in locations.items() if n > 1] == []
    assert "reading/queue/" in locations and "reading/read/" in locations
