"""Regenerate tests/golden/ from tests/fixtures/corpus (run `make golden`, then review the diff)."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import Options, make_catalogue
from generator.models import plan_text
from generator.render import render_site

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "corpus"
TAGS = HERE / "fixtures" / "tags.yml"
GOLDEN = HERE / "golden"


def golden_plan() -> dict[str, str]:
    """The generated pages of the fixture corpus (no vendored assets)."""
    result = make_catalogue(Options(sources=FIXTURE, tags=TAGS))
    return plan_text(render_site(result.catalogue))


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, text in golden_plan().items():
        target = GOLDEN / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
