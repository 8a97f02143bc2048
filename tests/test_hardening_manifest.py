"""A planted manifest or state file never makes the generator touch anything outside docs/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import GeneratorError
from generator.writer import MANIFEST, STATE, read_manifest, write_plan

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "corpus"
TAGS = HERE / "fixtures" / "tags.yml"


def plant(docs: Path, entries: list[str]) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    generated = {rel: [] for rel in entries}  # no digest: "any content is ours" (version-1 semantics)
    (docs / MANIFEST).write_text(json.dumps({"version": 2, "generated": generated}), encoding="utf-8")


def victim(tmp_path: Path) -> Path:
    target = tmp_path / "README.md"
    target.write_text("precious\n", encoding="utf-8")
    return target


@pytest.mark.parametrize(
    "entry",
    [
        "../README.md",
        "papers/../../README.md",
        "ABSOLUTE",
        "",
        ".",
        "papers/./a.md",
        "papers//a.md",
        "papers\\..\\..\\README.md",
        "a\x00.md",
        MANIFEST,
    ],
)
def test_manifest_entry_outside_docs_is_an_error_and_deletes_nothing(tmp_path, capsys, entry):
    target = victim(tmp_path)
    docs = tmp_path / "docs"
    entry = str(target) if entry == "ABSOLUTE" else entry
    plant(docs, [entry])
    code = main(["generate", "--sources", str(FIXTURE), "--docs", str(docs), "--tags", str(TAGS)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith(f"error: {docs / MANIFEST}: entry {entry!r}"), err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert not (docs / "index.md").exists()  # nothing written either


def test_manifest_entry_through_a_symlinked_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.md").write_text("precious\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "link").symlink_to(outside, target_is_directory=True)
    plant(docs, ["link/a.md"])
    with pytest.raises(GeneratorError, match=r"entry 'link/a.md' .*outside docs/"):
        read_manifest(docs)
    with pytest.raises(GeneratorError, match=r"entry 'link/a.md'"):
        write_plan(docs, {"index.md": "# Home\n"})
    assert (outside / "a.md").read_text(encoding="utf-8") == "precious\n"


def test_symlink_inside_docs_to_a_folder_inside_docs_is_fine(tmp_path):
    docs = tmp_path / "docs"
    (docs / "real").mkdir(parents=True)
    (docs / "alias").symlink_to(docs / "real", target_is_directory=True)
    plant(docs, ["alias/a.md"])
    assert set(read_manifest(docs)) == {"alias/a.md"}


def test_planned_page_under_a_symlinked_folder_pointing_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "papers").symlink_to(outside, target_is_directory=True)
    with pytest.raises(GeneratorError, match="outside docs/"):
        write_plan(docs, {"papers/a.md": "# A\n"})
    assert list(outside.iterdir()) == []


def test_non_string_manifest_entry_is_an_error(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / MANIFEST).write_text('{"version": 1, "generated": [3]}', encoding="utf-8")
    with pytest.raises(GeneratorError, match=r"entry 3 is not a path"):
        read_manifest(docs)


def test_state_file_entry_outside_docs_is_an_error(tmp_path, capsys):
    target = victim(tmp_path)
    docs = tmp_path / "docs"
    args = ["generate", "--sources", str(FIXTURE), "--docs", str(docs), "--tags", str(TAGS)]
    assert main(args) == 0
    state = json.loads((docs / STATE).read_text(encoding="utf-8"))
    st = os.stat(target)
    state["files"]["../README.md"] = [st.st_size, st.st_mtime_ns]
    (docs / STATE).write_text(json.dumps(state), encoding="utf-8")
    capsys.readouterr()
    code = main(args)
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith(f"error: {docs / STATE}: entry '../README.md'"), err
    assert target.read_text(encoding="utf-8") == "precious\n"
