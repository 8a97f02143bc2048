"""The GitHub workflow files validate against the GitHub workflow schema (offline, vendored)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parents[1] / ".github" / "workflows").glob("*.yml"))


def test_workflows_validate_against_schema():
    assert WORKFLOWS
    check = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run(
        [str(check), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_deploy_uses_official_pages_actions_and_pip_cache():
    deploy = yaml.safe_load((WORKFLOWS[0].parent / "deploy.yml").read_text(encoding="utf-8"))
    steps = [s.get("uses", "") for job in deploy["jobs"].values() for s in job["steps"]]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert any(s.startswith(action + "@") for s in steps), action
    setup = next(s for s in deploy["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    assert deploy[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True


def test_pull_requests_build_strictly():
    build = yaml.safe_load((WORKFLOWS[0].parent / "build.yml").read_text(encoding="utf-8"))
    assert "pull_request" in build[True]
    runs = [s.get("run", "") for s in build["jobs"]["build"]["steps"]]
    assert "make site" in runs  # `readinglist build` always runs mkdocs with --strict
