"""What a run tells its user: warnings, notes and the summary, printed in one place.

`readinglist generate`, `build`, `serve` and `tags` all report through here,
so a warning reads the same (`warning: path:line: message`) whoever prints it.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from generator.models import Problem

if TYPE_CHECKING:
    from generator.build import Result


def print_problems(problems: Iterable[Problem]) -> None:
    """Every problem but the "info" ones (kept for the record), as `warning: path:line: message`."""
    for problem in problems:
        if problem.kind != "info":
            print(f"warning: {problem}", file=sys.stderr)


def print_result(result: Result, timings: bool = False) -> None:
    """A generate run's warnings and notes (standard error), then its summary (standard output)."""
    print_problems(result.problems)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    print(summary(result), flush=True)
    if timings:
        for stage, seconds in result.timings:
            print(f"  {seconds:7.2f} s  {stage}")


def skip_reasons(problems: Iterable[Problem]) -> dict[str, int]:
    """{reason: entries skipped for it}, most frequent first."""
    counts = Counter(p.reason or p.message for p in problems if p.kind == "skip")
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def count_lines(result: Result) -> list[str]:
    """Accounts for every entry: read = papers + duplicates merged + skipped."""
    if result.catalogue is None:
        return list(result.counts)
    cat = result.catalogue
    untagged = sum(1 for p in cat.papers if not cat.matches[p.key])
    skipped_files = sum(1 for p in result.problems if p.kind == "file")
    reasons = ", ".join(f"{n} {reason}" for reason, n in skip_reasons(result.problems).items())
    return [
        f"read {result.files} listing files"
        + (f" ({skipped_files} skipped: see warnings)" if skipped_files else "")
        + f": {result.entries + result.skipped} entries = {len(cat.papers)} papers + "
        f"{len(result.merges)} duplicates merged + {result.skipped} skipped" + (f" ({reasons})" if reasons else ""),
        f"{len(cat.tags)} tags, {untagged} untagged papers; {len(result.warnings)} warnings",
    ]


def summary(result: Result) -> str:
    """The counting lines, and what the run did to docs/."""
    lines = count_lines(result)
    if result.report is not None:
        r = result.report
        line = f"docs: {len(r.written)} files written, {r.unchanged} unchanged, {len(r.removed)} removed"
        if not r.written and not r.removed:
            line += " (already up to date)"
        lines.append(line)
    return "\n".join(lines)
