"""The update path's kept work, issue 16 target 3 (branch update6): what an update no longer reads or writes,
and that a kept file that is stale, edited or made by other code still gives exactly a full run's docs/.

- paper pages that still have the size and time the last run recorded are not read (writer.Kept);
- the kept export rows are places in the exports in docs/ (FILES_HEAD_2), not a second copy of them;
- site_digest walks site/ with scandir, with os.walk's digest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from generator import incremental, stored
from generator.errors import GeneratorError
from generator.state import seal, unseal
from generator.writer import Kept
from tests.sitebuild import docs_text, listing_project
from tests.sitebuild import generate_counting as run

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = ROOT / "tests" / "fixtures" / "listings"
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"
FIRST, SECOND = "2025-01-07-hf-daily.txt", "2025-03-12-math-oc.txt"
STATE = ".readinglist-state.json"


def fresh_docs(tmp_path: Path, listings: list[str], monkeypatch) -> dict:
    sources, docs = listing_project(tmp_path / "fresh", listings)
    run(sources, docs, monkeypatch)
    return docs_text(docs)


def test_the_kept_rows_are_places_in_the_exports_and_an_update_equals_a_full_run(tmp_path, monkeypatch):
    sources, docs = listing_project(tmp_path / "kept", [FIRST])
    run(sources, docs, monkeypatch)
    body = unseal((docs / stored.FILES).read_bytes())
    assert body.startswith(stored.FILES_HEAD_2) and body.count(b"\n") == 2  # the head alone: no row twice
    shutil.copy(LISTINGS / SECOND, sources / SECOND)
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    made, cat = run(sources, docs, monkeypatch)
    monkeypatch.setattr(Path, "read_bytes", real)
    assert len(made) < len(cat.papers)
    assert not [name for name in read if name.endswith(".md") and Path(docs / "papers" / name).exists()]
    assert docs_text(docs) == fresh_docs(tmp_path, [FIRST, SECOND], monkeypatch)


@pytest.mark.parametrize("damage", ["edited", "deleted", "folder", "digest"])
def test_an_export_that_is_not_the_last_runs_means_every_paper_is_made_again(tmp_path, monkeypatch, damage):
    sources, docs = listing_project(tmp_path / "kept", [FIRST])
    _, cat = run(sources, docs, monkeypatch)
    expected = docs_text(docs)
    export = docs / "papers.csv"
    if damage == "edited":  # same size, one byte flipped, mtime kept
        data = bytearray(export.read_bytes())
        data[-3] ^= 1
        info = export.stat()
        export.write_bytes(bytes(data))
        os.utime(export, ns=(info.st_atime_ns, info.st_mtime_ns))
    elif damage == "deleted":
        export.unlink()
    elif damage == "folder":
        export.unlink()
        export.mkdir()
    else:  # the kept head names another digest for it, sealed anew
        body = unseal((docs / stored.FILES).read_bytes())
        head = json.loads(body[len(stored.FILES_HEAD_2) :])
        head["exports"]["papers.csv"] = hashlib.sha256(b"other").hexdigest()
        (docs / stored.FILES).write_bytes(seal(stored.FILES_HEAD_2 + json.dumps(head).encode() + b"\n"))
    assert stored.load_files(docs, json.loads(unseal((docs / ".readinglist-work.json").read_bytes()))["taxonomy"]) == {}
    (docs / STATE).unlink()
    if damage == "edited":
        with pytest.raises(GeneratorError, match="by hand"):  # the writer's own rule for an edited file
            run(sources, docs, monkeypatch)
        export.unlink()
    elif damage == "folder":
        export.rmdir()
    made, _ = run(sources, docs, monkeypatch)
    assert sorted(made) == sorted(cat.slugs.values())
    assert docs_text(docs) == expected


def test_rows_kept_in_the_first_layout_are_still_read(tmp_path, monkeypatch):
    """Rows whose places cannot be found in the exports are kept inline, as before (FILES_HEAD)."""
    sources, docs = listing_project(tmp_path / "kept", [FIRST])
    _, cat = run(sources, docs, monkeypatch)
    taxonomy = json.loads(unseal((docs / ".readinglist-work.json").read_bytes()))["taxonomy"]
    files = stored.load_files(docs, taxonomy)
    assert len(files) == len(cat.papers)
    as_made = {key: (b"page", *rows) for key, (_digest, *rows) in files.items()}
    exports = {"papers.json": b"", "papers.bib": b"", "papers.csv": b""}
    stored.keep_records(docs, [(stored.FILES, stored.files_record(taxonomy, as_made, exports))])
    assert unseal((docs / stored.FILES).read_bytes()).startswith(stored.FILES_HEAD)
    again = stored.load_files(docs, taxonomy)
    assert {key: rows for key, (_d, *rows) in again.items()} == {key: rows for key, (_d, *rows) in files.items()}


def test_a_kept_page_whose_size_or_time_changed_is_read_and_checked(tmp_path, monkeypatch):
    sources, docs = listing_project(tmp_path / "kept", [FIRST])
    _, cat = run(sources, docs, monkeypatch)
    expected = docs_text(docs)
    slug = sorted(cat.slugs.values())[0]
    page = docs / "papers" / f"{slug}.md"
    os.utime(page, ns=(0, page.stat().st_mtime_ns + 10**9))  # touched: read, and its digest still matches
    (docs / "index.md").write_bytes((docs / "index.md").read_bytes())  # (the run must not stop early)
    (docs / STATE).unlink()
    made, _ = run(sources, docs, monkeypatch)
    assert made == [] and docs_text(docs) == expected


def test_a_kept_page_changed_behind_the_writer_is_an_error_not_a_traceback(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"one")
    kept = Kept(str(page), hashlib.sha256(b"one").hexdigest())
    assert kept() == b"one"
    page.write_bytes(b"two")
    with pytest.raises(GeneratorError, match="changed while"):
        kept()
    page.unlink()
    with pytest.raises(GeneratorError, match="cannot read"):
        kept()


def test_site_digest_is_os_walks(tmp_path):
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    for rel in (".hidden", "index.html", "a/.x", "a/z.html", "a/b/c.css", "ab.txt"):
        (site / rel).write_text(rel)
    (site / "link").symlink_to(site / "a")

    (site / "a" / "page.html").symlink_to(site / "index.html")

    def walked(folder: Path) -> str:
        """os.walk's files by path, size and time; links (to folders too: red team round 6) by target."""
        digest = hashlib.sha256()
        for at, dirs, names in os.walk(folder):
            dirs.sort()
            links = [d for d in dirs if os.path.islink(os.path.join(at, d))]
            for name in sorted(names + links):
                if at == str(folder) and name.startswith("."):
                    continue
                path = os.path.join(at, name)
                rel = os.path.relpath(path, folder)
                if os.path.islink(path):
                    digest.update(f"{rel}\0link\0{os.readlink(path)}\n".encode())
                    continue
                info = os.lstat(path)
                digest.update(f"{rel}\0{info.st_size}\0{int(info.st_mtime)}\n".encode())
        return digest.hexdigest()

    assert incremental.site_digest(site) == walked(site)


def test_remove_stale_keeps_what_the_build_made_however_its_path_is_written(tmp_path):
    from generator.paper_pages import remove_stale

    real = tmp_path / "real"
    (real / "papers" / "a").mkdir(parents=True)
    (real / "old").mkdir()
    for rel in (".readinglist-build", "index.html", "papers/a/index.html", "old/gone.html", "stale.html"):
        (real / rel).write_text(rel)
    site = tmp_path / "site"
    site.symlink_to(real)
    kept = {str(site / "index.html"), str(real / "papers" / "a" / "index.html")}  # as written, and resolved
    remove_stale(site, kept)
    left = sorted(str(p.relative_to(real)) for p in real.rglob("*"))
    assert left == [".readinglist-build", "index.html", "papers", "papers/a", "papers/a/index.html"]


def test_the_site_key_reads_the_hand_written_files_in_pathlibs_order(tmp_path):
    docs = tmp_path / "docs"
    for rel in ("a-b.md", "a/b.md", "a/c/d.md", "about.md", "papers/x.md", "z.css", ".readinglist-manifest.json"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(rel)
    (docs / "link.md").symlink_to(docs / "about.md")
    (docs / "dangling.md").symlink_to(docs / "nowhere.md")
    generated = {"papers/x.md"}
    expected = [
        p.relative_to(docs).as_posix()
        for p in sorted(docs.rglob("*"))
        if p.is_file()
        and p.relative_to(docs).as_posix() not in generated | {".readinglist-manifest.json"} | set(incremental.KEPT)
    ]
    assert incremental.hand_written(docs, generated) == expected
    assert "a-b.md" in expected and "link.md" in expected and "dangling.md" not in expected


def test_an_export_is_taken_only_with_the_digest_the_last_run_recorded(tmp_path):
    export = tmp_path / "papers.json"
    export.write_bytes(b'{"papers": []}\n')
    digest = hashlib.sha256(export.read_bytes()).hexdigest()
    assert stored.read_export(tmp_path, "papers.json", digest) == export.read_bytes()
    assert stored.read_export(tmp_path, "papers.json", "0" * 64) is None  # another digest: refused
    export.write_bytes(b'{"papers": [1]}\n')  # another size: refused
    assert stored.read_export(tmp_path, "papers.json", digest) is None
    assert stored.read_export(tmp_path, "papers.json", 5) is None


def test_a_records_hash_is_an_equal_records_and_pickling_keeps_both(tmp_path, monkeypatch):
    import pickle
    from dataclasses import replace

    from generator.records import index

    sources, docs = listing_project(tmp_path / "kept", [FIRST])
    _, cat = run(sources, docs, monkeypatch)
    first = next(iter(index(cat).records.values()))
    again = replace(first)  # equal, another object
    assert first == again and hash(first) == hash(again) and first is not again
    copied = pickle.loads(pickle.dumps(first))
    assert copied == first and hash(copied) == hash(first)
    other = replace(first, slug=first.slug + "-x")
    assert other != first
    unrelated = replace(first, directory_urls=not first.directory_urls)  # same paper, other files: == tells them apart
    assert unrelated != first and len({first: 1, unrelated: 2, again: 3}) == 2
    assert repr(first) == repr(again)  # record_key reads fields only
    assert stored.record_key(first) == stored.record_key(copied)
