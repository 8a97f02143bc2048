from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import ROOT, build_site


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory):
    """The embedded corpus built once per test session: (site dir, generator result, build log)."""
    work = tmp_path_factory.mktemp("real")
    site, result = build_site(work)
    return site, result, (work / "mkdocs-build.log").read_text(encoding="utf-8")


@pytest.fixture
def root() -> Path:
    return ROOT
