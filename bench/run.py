"""The pipeline benchmark behind `make bench`: prints a table and writes bench/README.md.

    python bench/run.py [--sizes 1000,10000,50000] [--runs 3] [--build-max 10000] [--out bench/README.md]

For each size N it synthesises N papers (bench/synth.py, seed 1), sets up a
scratch project (the repository's mkdocs.yml and hand-written docs) and
measures, as medians of --runs runs, each run a fresh child process:

- generate, cold (empty docs/), and its peak RSS;
- generate again on the unchanged corpus (the no-op run) and files rewritten;
- generate after changing one paper's abstract, and files rewritten;
- the full `readinglist build` (cold generate + mkdocs build --strict), its peak RSS;
- search_index.json size (total and per paper), site size and file count;
- three references on the same generated pages, in the same run so that ratios
  survive a noisy machine: a bare `mkdocs build` with MkDocs' own theme, one
  with bare Material (no features, palette or extensions) and the same short nav,
  and Hugo (when installed; Debian's `hugo`) building the same paper pages with a
  one-line template (issue 16's yardstick: a cold build within 5x Hugo).

MkDocs builds are skipped above --build-max papers (a 50,000-paper build takes
many minutes); the generate figures are measured at every size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HAND_WRITTEN = ("about.md", "stylesheets", "javascripts")
TRASH = "trash"  # under the work folder: generated files of earlier runs, deleted at the end
SHORT_NAV = "nav:\n  - Home: index.md\n  - Tags: tags/index.md\n  - About: about.md\n"
WRITTEN = re.compile(r"docs: (\d+) files written, (\d+) unchanged, (\d+) removed")
STAGE = re.compile(r"^ +([\d.]+) s  (.+)$", re.MULTILINE)  # `--timings` lines


@dataclass
class Run:
    seconds: float
    rss_mb: float
    written: int | None = None
    cpu: float | None = None  # user + system seconds of the process and the workers it waited for (wait4)


@dataclass
class Figures:
    n: int
    entries: int = 0
    cold: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    change: list[Run] = field(default_factory=list)
    build: list[Run] = field(default_factory=list)
    stages: list[dict[str, float]] = field(default_factory=list)  # cold generate, per run: {stage: seconds}
    build_generate: list[float] = field(default_factory=list)  # the generate part of each build
    bare_mkdocs: list[Run] = field(default_factory=list)
    bare_material: list[Run] = field(default_factory=list)
    hugo: list[Run] = field(default_factory=list)
    update: list[Run] = field(default_factory=list)  # a 50-paper listing added, site/ kept
    update_same: str | None = None  # the updated site against a full build of the same input
    index_bytes: int | None = None
    bare_index_bytes: int | None = None
    ready: dict | None = None
    bare_ready: dict | None = None
    site_bytes: int | None = None
    site_files: int | None = None


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[Run, str]:
    """Run a child process; wall time, peak RSS and CPU time of it and its children (wait4)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", READINGLIST_OFFLINE="false", **(env or {}))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed (exit {proc.returncode}):\n{text[-3000:]}")
    match = WRITTEN.search(text)
    written = int(match.group(1)) if match else None
    return Run(seconds, usage.ru_maxrss / 1024, written, usage.ru_utime + usage.ru_stime), text


def prepare(project: Path) -> None:
    """A scratch project: mkdocs.yml, hand-written docs, the npm shim, and two reference configs."""
    set_aside(project)
    (project / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in HAND_WRITTEN:
        source = ROOT / "docs" / name
        if source.is_dir():
            shutil.copytree(source, project / "docs" / name)
        elif source.exists():
            shutil.copy(source, project / "docs" / name)
    if (ROOT / "node_modules").exists():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    # Paper pages name their template (paper.html, in generator/theme/, which only our plugins add):
    # the references render them with their theme's main.html.
    (project / "bench_hooks.py").write_text(
        'def on_page_markdown(markdown, page, config, files):\n    page.meta.pop("template", None)\n    return markdown\n',
        encoding="utf-8",
    )
    common = "site_name: Reading list\ndocs_dir: docs\nhooks:\n  - bench_hooks.py\n" + SHORT_NAV
    (project / "bare-mkdocs.yml").write_text(common + "theme:\n  name: mkdocs\n", encoding="utf-8")
    (project / "bare-material.yml").write_text(common + "theme:\n  name: material\n", encoding="utf-8")


HUGO_CONFIG = """baseURL = "/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true
"""
HUGO_SINGLE = "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"
HUGO_LIST = '<!doctype html><html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>\n'


def prepare_hugo(project: Path) -> Path | None:
    """A Hugo project whose content is the generated paper pages (front matter + body), minimal templates."""
    if shutil.which("hugo") is None:
        return None
    hugo = project / "hugo"
    (hugo / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (hugo / "content").mkdir(exist_ok=True)
    (hugo / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (hugo / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (hugo / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    link = hugo / "content" / "papers"
    if not link.is_symlink():
        link.symlink_to(project / "docs" / "papers")
    return hugo


def clear_generated(project: Path) -> None:
    """Back to a cold docs/: only the hand-written files stay (the rest is set aside, see set_aside)."""
    docs = project / "docs"
    trash = project.parent / TRASH / f"{project.name}-{time.monotonic_ns()}"
    trash.mkdir(parents=True)
    for child in docs.iterdir():
        if child.name not in HAND_WRITTEN:
            child.rename(trash / child.name)
    if (project / "site").exists():  # a kept site would be updated, not built cold
        (project / "site").rename(trash / "site")
    os.sync()


def set_aside(path: Path) -> None:
    """Move a folder of earlier output into the trash (beside it), deleted when the benchmark ends.

    Nothing is deleted while runs are timed. ext4 does not hand out an inode freed in the last one to five
    minutes while it can find another: it reads each one it passes over. Right after 50,000 files were
    deleted, creating 50,000 files took 31 s of system time instead of 3.4 s (bench/ANALYSIS.md, "The twelfth
    round"): a cost of the benchmark's own clean-up, which fell on whatever it timed next (Hugo, after
    its last output was deleted; the cold build, after the full build it is compared with; the update, after
    MkDocs emptied the last run's bare sites)."""
    if path.exists():
        trash = path.parent / TRASH / f"{path.name}-{time.monotonic_ns()}"
        trash.parent.mkdir(parents=True, exist_ok=True)
        path.rename(trash)


def empty_trash(work: Path) -> None:
    shutil.rmtree(work / TRASH, ignore_errors=True)


def change_one_paper(sources: Path) -> None:
    """Toggle one word at the end of the first abstract of the first listing."""
    first = sorted(sources.glob("*.txt"))[0]
    text = first.read_text(encoding="utf-8")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > 300:  # the first abstract
            lines[i] = line[: -len(" (revised)")] if line.endswith(" (revised)") else line + " (revised)"
            break
    first.write_text("\n".join(lines), encoding="utf-8")


def folder_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            total += os.path.getsize(os.path.join(dirpath, name))
            count += 1
    return total, count


def synthetic_sources(work: Path, n: int) -> Path:
    """The synthetic listings of N papers (seed 1) in `work`, made by bench/synth.py the first time."""
    sources = work / f"sources-{n}"
    if not sources.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "synth.py"), "--n", str(n), "--seed", "1", "--out", str(sources)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return sources


def measure(n: int, runs: int, build_max: int, cold_only_above: int, work: Path, log, figures: Figures) -> Figures:
    """Fill `figures` in place; `log` also republishes the table after each step."""
    sources = synthetic_sources(work, n)
    project = work / f"project-{n}"
    prepare(project)
    readinglist = [str(BIN / "readinglist")]
    # The real taxonomy, without the embedded corpus's overrides (they name its papers).
    inputs = ["--sources", str(sources), "--tags", str(ROOT / "corpus" / "tags.yml"), "--overrides", os.devnull]
    inputs += ["--docs", "docs"]
    gen = [*readinglist, "generate", *inputs]
    for r in range(runs):
        clear_generated(project)
        run, text = timed([*gen, "--timings"], project)
        figures.cold.append(run)
        figures.stages.append({stage: float(s) for s, stage in STAGE.findall(text)})
        entries = re.search(r"(\d+) entries", text)
        figures.entries = int(entries.group(1)) if entries else 0
        log(f"  N={n} run {r + 1}: generate cold {run.seconds:.2f} s, {run.rss_mb:.0f} MB")
        if n > cold_only_above:
            continue
        run, _ = timed(gen, project)
        figures.noop.append(run)
        log(f"  N={n} run {r + 1}: no-op generate {run.seconds:.2f} s, {run.written} files written")
        change_one_paper(sources)
        run, _ = timed(gen, project)
        figures.change.append(run)
        log(f"  N={n} run {r + 1}: generate after one change {run.seconds:.2f} s, {run.written} files written")
    if n > build_max:
        return figures
    mkdocs = [str(BIN / "python"), "-m", "mkdocs", "build", "--quiet"]
    for r in range(runs):
        clear_generated(project)
        build = [*readinglist, "build", *inputs, "--site", "site", "--timings"]
        run, text = timed(build, project)
        figures.build.append(run)
        figures.build_generate.append(sum(float(s) for s, _ in STAGE.findall(text)))
        log(f"  N={n} run {r + 1}: readinglist build {run.seconds:.2f} s ({run.cpu:.1f} s CPU), {run.rss_mb:.0f} MB")
        # MkDocs empties its site folder before it builds: the last run's bare sites (10,000 pages each) are set
        # aside first, or their deletion would slow what is timed after them (Hugo, the update; see set_aside).
        set_aside(project / "site-bare-mkdocs")
        run, _ = timed([*mkdocs, "-f", "bare-mkdocs.yml", "-d", "site-bare-mkdocs"], project)
        figures.bare_mkdocs.append(run)
        log(f"  N={n} run {r + 1}: bare mkdocs theme {run.seconds:.2f} s")
        set_aside(project / "site-bare-material")
        run, _ = timed([*mkdocs, "-f", "bare-material.yml", "-d", "site-bare-material"], project)
        figures.bare_material.append(run)
        log(f"  N={n} run {r + 1}: bare Material {run.seconds:.2f} s")
        hugo = prepare_hugo(project)
        if hugo is not None:
            set_aside(project / "hugo-public")
            run, _ = timed(["hugo", "--quiet", "-s", str(hugo), "-d", str(project / "hugo-public")], project)
            figures.hugo.append(run)
            log(f"  N={n} run {r + 1}: Hugo, same paper pages {run.seconds:.2f} s ({run.cpu:.1f} s CPU)")
        # Last: the references above build the same N papers as the cold build.
        run, same = update_with_listing(project, sources, readinglist, inputs, r, check=r == 0)
        figures.update.append(run)
        figures.update_same = same or figures.update_same
        log(f"  N={n} run {r + 1}: a 50-paper listing added, build with site/ kept {run.seconds:.2f} s ({same or ''})")
    # Sizes of the N-paper site: one more full build (the last run's update added 50 papers), into a new folder:
    # MkDocs would otherwise empty the kept one, right before the next size's cold runs (see set_aside).
    set_aside(project / "site")
    timed([*readinglist, "build", *inputs, "--site", "site", "--full"], project)
    figures.index_bytes = (project / "site" / "search" / "search_index.json").stat().st_size
    figures.bare_index_bytes = (project / "site-bare-material" / "search" / "search_index.json").stat().st_size
    figures.ready = search_ready(project / "site", log)
    figures.bare_ready = search_ready(project / "site-bare-material", log)
    figures.site_bytes, figures.site_files = folder_size(project / "site")
    return figures


NEW_LISTING = "zz-bench-new-listing"


def update_with_listing(
    project: Path, sources: Path, readinglist: list[str], inputs: list[str], run: int, check: bool
) -> tuple[Run, str | None]:
    """Add a 50-paper synthetic listing and run `readinglist build` with site/ kept (issue 16: seconds).

    With `check`, also build the same input in full into another folder and compare the two sites
    file by file. The listing is taken away again afterwards (the next cold run starts from N papers)."""
    extra = project.parent / f"listing-50-{run}"
    if not extra.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "synth.py"),
                "--n",
                "50",
                "--seed",
                str(1000 + run),
                "--out",
                str(extra),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    added = []
    for i, listing in enumerate(sorted(extra.glob("*.txt"))):
        target = sources / f"{NEW_LISTING}-{i}.txt"
        shutil.copy(listing, target)
        added.append(target)
    try:
        result, text = timed([*readinglist, "build", *inputs, "--site", "site"], project)
        if "(updated:" not in text:
            raise SystemExit(f"bench: the build with site/ kept was not an update:\n{text[-2000:]}")
        same = None
        if check:
            set_aside(project / "site-full")
            timed([*readinglist, "build", *inputs, "--site", "site-full", "--full"], project)
            a, b = site_files(project / "site"), site_files(project / "site-full")
            differ = sorted(set(a) ^ set(b)) + sorted(k for k in set(a) & set(b) if a[k] != b[k])
            same = "byte-identical to a full build" if not differ else f"{len(differ)} files differ from a full build"
            set_aside(project / "site-full")
    finally:
        for target in added:
            target.unlink()
    return result, same


def site_files(site: Path) -> dict[str, str]:
    """A site's files and their digests, but the dot-files at its top (the marker and key name the build)."""
    import hashlib

    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file() and not (p.parent == site and p.name.startswith("."))
    }


def search_ready(site: Path, log) -> dict | None:
    """The site's own search worker (ours or Material's) in Node on its index: seconds until ready, memory."""
    node = shutil.which("node")
    if node is None:
        log("  node not found: search readiness not measured")
        return None
    proc = subprocess.run(
        [node, str(ROOT / "bench" / "search_ready.js"), str(site), "learning", "gradient descent"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        log(f"  search_ready.js failed: {proc.stderr[-500:]}")
        return None
    data = json.loads(proc.stdout)
    log(f"  {site.name}: search ready in {data['ready_s']:.2f} s (parse {data['parse_s']:.2f} s)")
    return data


def median(runs: list[Run], attr: str = "seconds") -> float | None:
    values = [getattr(r, attr) for r in runs if getattr(r, attr) is not None]
    return statistics.median(values) if values else None


def fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{unit}"


def table(results: list[Figures]) -> str:
    head = "| measure | " + " | ".join(f"{f.n:,} papers" for f in results) + " |"
    rule = "|---|" + "---|" * len(results)
    rows: list[tuple[str, list[str]]] = [
        ("entries read", [f"{f.entries:,}" for f in results]),
        ("generate, cold", [fmt(median(f.cold), ".2f", " s") for f in results]),
        ("generate, cold: peak RSS", [fmt(median(f.cold, "rss_mb"), ".0f", " MB") for f in results]),
        ("generate, no-op", [fmt(median(f.noop), ".2f", " s") for f in results]),
        ("no-op: files rewritten", [fmt(median(f.noop, "written"), ".0f") for f in results]),
        ("generate after one paper changed", [fmt(median(f.change), ".2f", " s") for f in results]),
        ("one change: files rewritten", [fmt(median(f.change, "written"), ".0f") for f in results]),
        ("`readinglist build` (cold)", [fmt(median(f.build), ".1f", " s") for f in results]),
        ("`readinglist build`: peak RSS", [fmt(median(f.build, "rss_mb"), ".0f", " MB") for f in results]),
        ("bare `mkdocs build`, MkDocs theme", [fmt(median(f.bare_mkdocs), ".1f", " s") for f in results]),
        ("bare `mkdocs build`, Material, short nav", [fmt(median(f.bare_material), ".1f", " s") for f in results]),
        ("a 50-paper listing added: build with site/ kept", [fmt(median(f.update), ".1f", " s") for f in results]),
        ("updated site", [f.update_same or "–" for f in results]),
        ("Hugo, the same paper pages, minimal template", [fmt(median(f.hugo), ".1f", " s") for f in results]),
        ("build / Hugo", [ratio(f.build, f.hugo) for f in results]),
        ("CPU time (user + system): build, Hugo", [cpu_pair(f.build, f.hugo) for f in results]),
        ("build / Hugo, in CPU time", [ratio(f.build, f.hugo, "cpu") for f in results]),
        ("build / bare Material", [ratio(f.build, f.bare_material) for f in results]),
        ("build, MkDocs part only / bare Material", [mkdocs_ratio(f) for f in results]),
        ("build / bare MkDocs theme", [ratio(f.build, f.bare_mkdocs) for f in results]),
        ("search_index.json", [fmt(mb(f.index_bytes), ".1f", " MB") for f in results]),
        ("search index per paper", [fmt(per(f.index_bytes, f.n), ".2f", " KB") for f in results]),
        (
            "same pages, Material's own index, per paper",
            [fmt(per(f.bare_index_bytes, f.n), ".2f", " KB") for f in results],
        ),
        ("search ready in Node (parse + setup): ours, prebuilt index", [ready(f.ready) for f in results]),
        ("search ready in Node: bare Material (lunr built at load)", [ready(f.bare_ready) for f in results]),
        ("site size", [fmt(mb(f.site_bytes), ".0f", " MB") for f in results]),
        ("site size per paper", [fmt(per(f.site_bytes, f.n), ".1f", " KB") for f in results]),
        ("site files", [fmt(f.site_files, ",") for f in results]),
    ]
    return "\n".join([head, rule, *(f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows)])


def mkdocs_ratio(f: Figures) -> str:
    """Our build minus its generate stages, against bare Material: what our config and pages add to MkDocs."""
    if not f.build or not f.bare_material or len(f.build_generate) < len(f.build):
        return "–"
    pairs = zip(f.build, f.build_generate, f.bare_material, strict=False)
    return f"{statistics.median((b.seconds - g) / m.seconds for b, g, m in pairs):.2f}×"


def stage_table(results: list[Figures]) -> str:
    """Cold generate, stage by stage (medians of the runs), from `readinglist generate --timings`."""
    names: list[str] = []
    for f in results:
        for run in f.stages:
            names += [n for n in run if n not in names]
    if not names:
        return ""
    head = "| cold generate, stage | " + " | ".join(f"{f.n:,} papers" for f in results) + " |"
    rule = "|---|" + "---|" * len(results)
    lines = [head, rule]
    for name in names:
        cells = []
        for f in results:
            values = [run[name] for run in f.stages if name in run]
            cells.append(fmt(statistics.median(values) if values else None, ".2f", " s"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratio(ours: list[Run], base: list[Run], attr: str = "seconds") -> str:
    # Median of per-run ratios: each pair ran back to back, so load affects both alike.
    # (While a run is in progress, the last build may not have its reference yet.)
    pairs = [(getattr(a, attr), getattr(b, attr)) for a, b in zip(ours, base, strict=False)]
    pairs = [(a, b) for a, b in pairs if a is not None and b]
    if not pairs:
        return "–"
    return f"{statistics.median(a / b for a, b in pairs):.2f}×"


def cpu_pair(ours: list[Run], base: list[Run]) -> str:
    """The medians of two measures' CPU time. CPU time does not count the time a process waited for a core,
    so it moves less than wall time when a neighbour takes the machine's cores; it does count work that ran
    on both cores at once."""
    a, b = median(ours, "cpu"), median(base, "cpu")
    return "–" if a is None or b is None else f"{a:.1f} s, {b:.1f} s"


def ready(data: dict | None) -> str:
    if data is None:
        return "–"
    return f"{data['parse_s'] + data['ready_s']:.2f} s, {data['rss_mb']:.0f} MB"


def mb(value: int | None) -> float | None:
    return None if value is None else value / 1e6


def per(value: int | None, n: int) -> float | None:
    return None if value is None else value / n / 1000


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        ram = f"{int(mem) / 1024 / 1024:.1f} GB RAM"
    except OSError:
        ram = "unknown RAM"
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("mkdocs", "mkdocs-material", "pyyaml"))
    if shutil.which("hugo"):
        hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()
        versions += f", Hugo {hugo[1].lstrip('v').split('+')[0]}" if len(hugo) > 1 else ""
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {versions}. Load average at the end of the run: {load}."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the whole pipeline on synthetic corpora.")
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated paper counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (medians are reported)")
    parser.add_argument("--build-max", type=int, default=10000, help="largest N that gets MkDocs builds")
    parser.add_argument(
        "--cold-only-above", type=int, default=10**9, help="above this N, measure only the cold generate"
    )
    parser.add_argument("--work", type=Path, default=ROOT / "artifacts" / "bench", help="scratch folder")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "README.md", help="Markdown table output")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = [Figures(n) for n in sizes]
    command = f"python bench/run.py --sizes {','.join(map(str, sizes))} --runs {args.runs} --build-max {args.build_max}"
    if args.cold_only_above < 10**9:
        command += f" --cold-only-above {args.cold_only_above}"

    def progress(message: str) -> None:
        # Rewrite the page after every step, so an interrupted long run still leaves its figures.
        log(message)
        text = table(results) + "\n\n" + stage_table(results)
        args.out.write_text(render_doc(text, command, started, partial=True), encoding="utf-8")

    try:  # (an interrupted run's trash is deleted at the end of this one: never just before a timed run)
        for figures in results:
            measure(figures.n, args.runs, args.build_max, args.cold_only_above, args.work, progress, figures)
    finally:
        empty_trash(args.work)
    text = table(results) + "\n\n" + stage_table(results)
    print(text)
    args.out.write_text(render_doc(text, command, started), encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


def render_doc(text: str, command: str, started: str, partial: bool = False) -> str:
    """bench/README.md: the table and the machine, plus the analysis kept in bench/ANALYSIS.md."""
    analysis = ROOT / "bench" / "ANALYSIS.md"
    notes = analysis.read_text(encoding="utf-8") if analysis.exists() else ""
    return (
        "# Benchmarks\n\n"
        "The developers' measurements (not part of the site). "
        "How the pipeline scales, measured on synthetic corpora (`bench/synth.py`: realistic titles, "
        "~1.3 KB abstracts, ~12% repeated entries, tags from `corpus/tags.yml`). "
        'Regenerate this file with `make bench` (`make bench BENCH_ARGS="--sizes 1000 --runs 1"` for a short run).\n\n'
        f"Measured {started} with `{command}`: medians of the runs; ratios are medians of per-run ratios "
        "(each pair ran back to back).\n\n"
        f"Machine: {machine()}\n\n"
        + ("**Partial: the run was still going (or was stopped) when this was written.**\n\n" if partial else "")
        + f"{text}\n\n"
        "A dash means not measured at that size (MkDocs builds stop at `--build-max`).\n\n"
        f"{notes}"
    )


if __name__ == "__main__":
    sys.exit(main())
