"""READINGLIST_REQUIRE_BROWSER=1 (set by .ci/run): the browser tests must run, not skip.

Without Chromium the browser tests skip with the reason, so a developer's machine still
runs the rest. In CI a skip would leave the run green with the browser tests unrun, so
there a skipped browser test is reported as failed, with the skip's reason, and a run
that selected no browser test at all stops with a usage error. tests/conftest.py imports
these hooks.
"""

from __future__ import annotations

import os

import pytest

VARIABLE = "READINGLIST_REQUIRE_BROWSER"


def required() -> bool:
    return os.environ.get(VARIABLE, "") not in ("", "0")


@pytest.hookimpl(trylast=True)  # after -m/-k deselection and after tests/browser/ adds the marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if required() and not any(item.get_closest_marker("browser") for item in items):
        raise pytest.UsageError(f"{VARIABLE}=1 but no browser test was selected: run the whole suite (make test)")


def require_run(item: pytest.Item, report: pytest.TestReport) -> None:
    """Turn the skip of a browser test into a failure that gives the skip's reason."""
    if not (required() and report.skipped and item.get_closest_marker("browser")):
        return
    if hasattr(report, "wasxfail"):
        return  # an expected failure is not a test that did not run
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"{VARIABLE}=1: this browser test did not run: {reason}"
