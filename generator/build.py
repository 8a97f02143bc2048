"""The pipeline, top to bottom: read -> parse -> deduplicate -> tag -> render -> write."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.corpus import Merge, deduplicate
from generator.errors import GeneratorError
from generator.models import Catalogue, Entry, Problem
from generator.overrides import apply_overrides, parse_overrides
from generator.parse import parse_listing
from generator.render import render_site
from generator.slugs import assign_slugs
from generator.sources import read_listings, read_text_asset, read_yaml
from generator.tagging import tag_papers
from generator.taxonomy import load_taxonomy
from generator.writer import WriteReport, write_plan

SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_TARGET = "assets/javascripts/iframe-worker.js"
# Problem kinds that are warnings (--strict makes them errors); "info" is not.
WARNING_KINDS = ("warning", "skip", "file")


@dataclass(frozen=True)
class Options:
    sources: Path = Path("corpus/sources")
    docs: Path = Path("docs")
    tags: Path = Path("corpus/tags.yml")
    directory_urls: bool = True
    strict: bool = False
    overrides: Path | None = None  # None: overrides.yml next to the tags file (optional)

    @property
    def overrides_path(self) -> Path:
        return self.overrides if self.overrides is not None else self.tags.parent / "overrides.yml"


@dataclass(frozen=True)
class Result:
    catalogue: Catalogue
    files: int
    entries: int
    skipped: int
    merges: tuple[Merge, ...]
    problems: tuple[Problem, ...]
    report: WriteReport | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind in WARNING_KINDS)

    @property
    def skip_reasons(self) -> dict[str, int]:
        """{reason: entries skipped for it}, most frequent first."""
        counts = Counter(p.reason or p.message for p in self.problems if p.kind == "skip")
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> str:
        """Accounts for every entry: read = papers + duplicates merged + skipped."""
        cat = self.catalogue
        untagged = sum(1 for p in cat.papers if not cat.matches[p.key])
        skipped_files = sum(1 for p in self.problems if p.kind == "file")
        reasons = ", ".join(f"{n} {reason}" for reason, n in self.skip_reasons.items())
        lines = [
            f"read {self.files} listing files"
            + (f" ({skipped_files} skipped: see warnings)" if skipped_files else "")
            + f": {self.entries + self.skipped} entries = {len(cat.papers)} papers + "
            f"{len(self.merges)} duplicates merged + {self.skipped} skipped" + (f" ({reasons})" if reasons else ""),
            f"{len(cat.tags)} tags, {untagged} untagged papers; {len(self.warnings)} warnings",
        ]
        if self.report is not None:
            r = self.report
            line = f"docs: {len(r.written)} files written, {r.unchanged} unchanged, {len(r.removed)} removed"
            if not r.written and not r.removed:
                line += " (already up to date)"
            lines.append(line)
        return "\n".join(lines)


def parse_all(options: Options) -> tuple[list[Entry], list[Problem], int, int]:
    files, problems = read_listings(options.sources)
    entries: list[Entry] = []
    skipped = 0
    for source in files:
        found, issues = parse_listing(source.name, source.text)
        entries.extend(found)
        # Provenance keeps the bare file name (papers.json); messages name the path the user can open.
        problems.extend(replace(i, path=str(options.sources / i.path)) for i in issues)
        skipped += sum(1 for i in issues if i.kind == "skip")
    return entries, problems, len(files), skipped


def strict_error(warnings: tuple[Problem, ...]) -> GeneratorError:
    """--strict: every warning is an error; list them all so one run shows everything to fix."""
    if len(warnings) == 1:
        w = warnings[0]
        return GeneratorError(f"{w.message} (--strict turns warnings into errors)", w.path, w.line or None)
    listed = "\n".join(f"  {w}" for w in warnings)
    return GeneratorError(f"{len(warnings)} warnings, and --strict turns warnings into errors:\n{listed}")


def make_catalogue(options: Options) -> Result:
    """Everything up to the site plan, with no writes."""
    entries, problems, nfiles, skipped = parse_all(options)
    papers, merges, dedup_problems = deduplicate(entries)
    problems.extend(dedup_problems)
    tags = load_taxonomy(read_yaml(options.tags), str(options.tags))
    slugs = assign_slugs([(p.key, p.title) for p in papers])
    dates: dict[str, str | None] = {}
    for entry in entries:
        dates.setdefault(entry.provenance.source, entry.provenance.date)
    sources = tuple(sorted({e.provenance.source for e in entries} | set(dates)))
    where = str(options.overrides_path)
    overrides = parse_overrides(read_text_asset(options.overrides_path), where)
    matches, override_problems = apply_overrides(tag_papers(tags, papers), slugs, tags, overrides, where)
    problems.extend(override_problems)
    cat = Catalogue(tuple(papers), slugs, matches, tags, sources, dates)
    return Result(cat, nfiles, len(entries), skipped, tuple(merges), tuple(problems))


def generate(options: Options) -> Result:
    """Read the listings and write the generated pages into docs/."""
    result = make_catalogue(options)
    if options.strict and result.warnings:
        raise strict_error(result.warnings)
    plan = render_site(result.catalogue, options.directory_urls)
    notes: list[str] = []
    shim = read_text_asset(SHIM_SOURCE)
    if shim is not None:
        plan[SHIM_TARGET] = shim
    else:
        notes.append(f"{SHIM_SOURCE} is missing (run `make deps`): the offline build will not search from file://")
    report = write_plan(options.docs, plan)
    for rel in report.kept:
        notes.append(
            f"{options.docs / rel}: its paper left the corpus, but the file was edited by hand, so it was kept "
            "(it is yours now: delete it if you do not need it)"
        )
    return Result(
        result.catalogue,
        result.files,
        result.entries,
        result.skipped,
        result.merges,
        result.problems,
        report,
        tuple(notes),
    )


def mkdocs(command: str, *args: str, offline: bool = False, config: Path = Path("mkdocs.yml")) -> int:
    """Run MkDocs in a child process; the offline plugin is switched on through the environment."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", READINGLIST_OFFLINE="true" if offline else "false")
    return subprocess.call([sys.executable, "-m", "mkdocs", command, "-f", str(config), *args], env=env)


def require_shim(offline: bool) -> None:
    if offline and read_text_asset(SHIM_SOURCE) is None:
        raise GeneratorError(
            "the offline build needs the iframe-worker shim for search from file://; run `make deps` (npm ci)",
            str(SHIM_SOURCE),
        )
