from __future__ import annotations

from pathlib import Path

import pytest

from tests import liveguard

# READINGLIST_REQUIRE_BROWSER=1 (.ci/run): browser tests must run, see tests/require_browser.py.
from tests.require_browser import pytest_collection_modifyitems, require_run  # noqa: F401 (a hook)
from tests.sitebuild import EMBEDDED, ROOT, build_site

# Every test reads fixtures, never the owner's live corpus/ (see tests/liveguard.py).
liveguard.install()


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish() -> None:
    liveguard.active = False  # the tests are over; pytest's own clean-up may walk any folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    require_run(item, report)
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _no_live_corpus_reads(request: pytest.FixtureRequest):
    """Fail the test that touched corpus/, even if the code under test swallowed the error."""
    before = len(liveguard.reads)
    yield
    touched = liveguard.reads[before:]
    del liveguard.reads[before:]
    if touched and not request.node.stash.get(CALL_FAILED, False):  # a failed test already says why
        pytest.fail(
            f"read the live corpus ({touched[0]}, {len(touched)} time(s)); "
            "tests use the frozen copy in tests/fixtures/embedded/",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory):
    """The frozen embedded corpus (tests/fixtures/embedded) built once per test session:
    (site dir, generator result, build log)."""
    work = tmp_path_factory.mktemp("real")
    site, result = build_site(work, sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")
    return site, result, (work / "mkdocs-build.log").read_text(encoding="utf-8")


@pytest.fixture
def root() -> Path:
    return ROOT
