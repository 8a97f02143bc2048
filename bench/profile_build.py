"""Where MkDocs build time goes: cProfile self time grouped by the package that spends it.

    python bench/profile_build.py PROJECT [--config mkdocs.yml] [--top 15]

PROJECT is a scratch project made by bench/run.py (for example
artifacts/bench/project-1000, whose docs/ already holds the generated pages).
Prints a Markdown table of self time per area (Jinja templates, Python-Markdown,
Material's search plugin, our plugin, YAML, file I/O, ...) and the top functions.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# First matching fragment of a function's file path names its area.
AREAS = (
    ("generator/search_index", "readinglist-search plugin (ours)"),
    ("generator/", "readinglist generator (ours)"),
    ("material/plugins/search", "Material search plugin (page text -> index)"),
    ("material/plugins", "other Material plugins"),
    ("jinja2", "Jinja templates (theme, nav)"),
    ("<template>", "Jinja templates (theme, nav)"),
    (".html", "Jinja templates (theme, nav)"),
    ("markdown/", "Python-Markdown conversion"),
    ("pymdownx", "Python-Markdown conversion"),
    ("yaml", "YAML (front matter, config)"),
    ("mkdocs/structure", "MkDocs pages, files, nav"),
    ("mkdocs/", "MkDocs other"),
    ("html/parser", "HTML parsing (search plugin, MkDocs)"),
    ("_markupbase", "HTML parsing (search plugin, MkDocs)"),
    ("json/", "JSON"),
    ("{built-in method io.open}", "file I/O"),
    ("{method 'write'", "file I/O"),
    ("{method 'read'", "file I/O"),
    ("{built-in method posix", "file I/O"),
    ("re/", "regular expressions"),
    ("of 're.Pattern' objects", "regular expressions"),
)
# Stages of a build, by the cumulative time of the function that runs each one.
STAGES = (
    ("mkdocs/commands/build.py", "build", "whole build"),
    ("markdown/core.py", "convert", "Markdown -> HTML (Python-Markdown, all pages)"),
    ("jinja2/environment.py", "render", "theme templates (Jinja, all pages)"),
    ("material/plugins/search/plugin.py", "on_page_context", "Material search: collect page text"),
    ("material/plugins/search/plugin.py", "on_post_build", "Material search: write the index"),
    ("generator/search_index.py", "on_post_build", "readinglist-search: lean index (ours)"),
    ("mkdocs/structure/pages.py", "read_source", "read pages + front matter"),
    ("mkdocs/commands/build.py", "_build_theme_template", "theme-only pages (404, sitemap)"),
    ("mkdocs/structure/files.py", "copy_file", "copy static files"),
)


def area(filename: str, name: str) -> str:
    where = f"{filename}:{name}" if filename != "~" else name
    for fragment, label in AREAS:
        if fragment in where:
            return label
    return "other (Python built-ins, stdlib)"


def summarise(stats_file: Path, top: int) -> str:
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt
    by_area: dict[str, float] = {}
    functions = []
    for (filename, _line, name), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
        label = area(filename, name)
        by_area[label] = by_area.get(label, 0.0) + tottime
        functions.append((tottime, cumtime, f"{Path(filename).name}:{name}" if filename != "~" else name))
    lines = [f"Total profiled time: {total:.1f} s (cProfile slows Python code down; shares matter, not seconds).", ""]
    lines += ["| stage | cumulative | share |", "|---|---|---|"]
    for fragment, func, label in STAGES:
        cum = sum(v[3] for (filename, _line, name), v in stats.stats.items() if name == func and fragment in filename)
        if fragment.endswith("build.py") and func == "build":
            cum = max(
                (v[3] for (f, _l, n), v in stats.stats.items() if n == "build" and f.endswith(fragment)), default=0
            )
        lines.append(f"| {label} | {cum:.1f} s | {100 * cum / total:.0f}% |")
    lines += ["", "Self time by package:", ""]
    lines += ["| area | self time | share |", "|---|---|---|"]
    for label, seconds in sorted(by_area.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {label} | {seconds:.1f} s | {100 * seconds / total:.0f}% |")
    lines += ["", "| function | self time | cumulative |", "|---|---|---|"]
    for tottime, cumtime, label in sorted(functions, reverse=True)[:top]:
        lines.append(f"| `{label}` | {tottime:.2f} s | {cumtime:.2f} s |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="scratch project folder with generated docs/")
    parser.add_argument("--config", default="mkdocs.yml", help="config file inside the project")
    parser.add_argument("--top", type=int, default=15, help="how many functions to list")
    parser.add_argument("--save", type=Path, help="keep the raw cProfile data here (for snakeviz, pstats)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build.prof"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", READINGLIST_OFFLINE="false")
        command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "--quiet"]
        command += ["-f", args.config, "-d", str(Path(tmp) / "site")]
        subprocess.run(command, cwd=args.project, env=env, check=True)
        print(summarise(out, args.top))
        if args.save:
            shutil.copy(out, args.save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
