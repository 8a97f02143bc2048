"""Build a complete site from any sources folder into a scratch project folder.

Used by the smoke, hostile-text and browser tests: copies the project's
mkdocs.yml and hand-written docs into `work`, generates pages there and runs
`mkdocs build --strict`, all without touching the repository's own docs/.
By default it builds EMBEDDED, the frozen copy of the embedded corpus in
tests/fixtures/embedded/ (never the owner's live corpus/, which changes daily).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.build import Options, Result, generate

ROOT = Path(__file__).resolve().parents[1]
# corpus/ as it was on 1 Dec 2026: sources/*.txt, tags.yml, overrides.yml, notes.yml (same layout).
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"
HAND_WRITTEN = ("about.md", "stylesheets", "javascripts")


def prepare(work: Path) -> Path:
    """A scratch project: mkdocs.yml, hand-written docs, and the npm shim."""
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    docs = work / "docs"
    docs.mkdir(exist_ok=True)
    for name in HAND_WRITTEN:
        source = ROOT / "docs" / name
        if source.is_dir():
            shutil.copytree(source, docs / name, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy(source, docs / name)
    modules = work / "node_modules"
    if not modules.exists() and (ROOT / "node_modules").exists():
        modules.symlink_to(ROOT / "node_modules")
    return docs


def build_site(
    work: Path,
    sources: Path = EMBEDDED / "sources",
    tags: Path = EMBEDDED / "tags.yml",
    offline: bool = False,
) -> tuple[Path, Result]:
    """Generate and build; returns (site folder, generator result). Raises on a failed build."""
    docs = prepare(work)
    cwd = os.getcwd()
    os.chdir(work)  # the generator finds node_modules/ relative to the project
    try:
        result = generate(Options(sources=sources, docs=docs, tags=tags, directory_urls=not offline))
    finally:
        os.chdir(cwd)
    site = work / "site"
    log = mkdocs_build(work / "mkdocs.yml", site, "--strict", offline=offline)
    (work / "mkdocs-build.log").write_text(log, encoding="utf-8")
    return site, result


def mkdocs_build(config: Path, site: Path, *flags: str, offline: bool = False) -> str:
    """`mkdocs build` of `config` into `site` in a child process, from the config's folder; its log.
    Raises on a failed build."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", READINGLIST_OFFLINE="true" if offline else "false")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *flags, "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
    )
    if proc.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{proc.stderr[-5000:]}")
    return proc.stderr


def listing_project(folder: Path, listings: list[str]) -> tuple[Path, Path]:
    """An empty docs/ and a sources/ holding these fixture listings (tests/fixtures/listings): (sources, docs)."""
    sources = folder / "sources"
    sources.mkdir(parents=True)
    for listing in listings:
        shutil.copy(ROOT / "tests" / "fixtures" / "listings" / listing, sources / listing)
    docs = folder / "docs"
    docs.mkdir()
    return sources, docs


def docs_text(docs: Path) -> dict[str, bytes]:
    """Every file of a docs/ folder but the generator's own records (.readinglist-*)."""
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and not p.name.startswith(".readinglist-")
    }


def site_tree(site: Path) -> dict[str, bytes]:
    """Every file of a site but the dot-files at its top (marker and key, which name the build)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not (p.parent == site and p.name.startswith("."))
    }


def generate_counting(sources: Path, docs: Path, monkeypatch) -> tuple[list[str], object]:
    """generate on one core with the embedded taxonomy; the slugs of the papers it rendered, and its catalogue."""
    from generator import render

    make = render.make_paper_files  # the real one
    made: list[str] = []
    monkeypatch.setattr(render, "make_paper_files", lambda record: made.append(record.slug) or make(record))
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    options = Options(sources=sources, docs=docs, tags=EMBEDDED / "tags.yml", overrides=Path("/nonexistent.yml"))
    return made, generate(options).catalogue
