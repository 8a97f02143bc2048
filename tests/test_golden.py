"""Golden test: the fixture corpus renders to exactly the committed pages in tests/golden/.

After an intended change to the output, run `make golden` and review the diff.
"""

from __future__ import annotations

from tests.update_golden import GOLDEN, golden_plan


def test_fixture_corpus_matches_golden_pages():
    plan = golden_plan()
    expected = {
        # newline="": CSV rows end in CRLF, and that is part of what is compared.
        p.relative_to(GOLDEN).as_posix(): p.open(encoding="utf-8", newline="").read()
        for p in GOLDEN.rglob("*")
        if p.is_file()
    }
    assert sorted(plan) == sorted(expected), "pages added or removed: run `make golden` if intended"
    for rel, text in plan.items():
        assert text == expected[rel], f"{rel} differs from tests/golden/{rel}: run `make golden` if intended"
