"""The command line, run in-process: exit codes, summaries and error messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "corpus"
TAGS = HERE / "fixtures" / "tags.yml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_prints_summary_and_writes_pages(tmp_path, capsys):
    docs = tmp_path / "docs"
    code, out, err = run(capsys, "generate", "--sources", str(FIXTURE), "--docs", str(docs), "--tags", str(TAGS))
    assert code == 0, err
    assert "read 2 listing files: 8 entries = 7 papers + 1 duplicates merged + 0 skipped" in out
    assert "4 tags, 3 untagged papers; 0 warnings" in out
    assert (docs / "papers" / "c-for-machine-learning.md").exists()
    assert (docs / "tags" / "index.md").exists() and (docs / "papers.json").exists()
    code, out, _ = run(capsys, "generate", "--sources", str(FIXTURE), "--docs", str(docs), "--tags", str(TAGS))
    assert code == 0 and "0 files written" in out


def test_missing_sources_folder_is_an_error_with_exit_1(tmp_path, capsys):
    code, out, err = run(
        capsys, "generate", "--sources", str(tmp_path / "nope"), "--docs", str(tmp_path / "d"), "--tags", str(TAGS)
    )
    assert code == 1
    assert err.startswith(f"error: {tmp_path / 'nope'}: sources folder does not exist")
    assert "Traceback" not in err and not (tmp_path / "d").exists()


def test_bad_taxonomy_names_file_and_tag(tmp_path, capsys):
    tags = tmp_path / "tags.yml"
    tags.write_text("tags:\n  - name: X\n    group: G\n    description: d\n    phrases: []\n", encoding="utf-8")
    code, _, err = run(
        capsys, "generate", "--sources", str(FIXTURE), "--docs", str(tmp_path / "d"), "--tags", str(tags)
    )
    assert code == 1
    assert err == f"error: {tags}: tag 'X': 'phrases' must list at least one phrase\n"


def test_invalid_yaml_names_the_line(tmp_path, capsys):
    tags = tmp_path / "tags.yml"
    tags.write_text("tags:\n  - name: [unclosed\n", encoding="utf-8")
    code, _, err = run(
        capsys, "generate", "--sources", str(FIXTURE), "--docs", str(tmp_path / "d"), "--tags", str(tags)
    )
    assert code == 1 and err.startswith(f"error: {tags}:3: invalid YAML")


def test_warnings_name_path_and_line_and_strict_makes_them_fatal(tmp_path, capsys):
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE, sources)
    with (sources / "002_compact.txt").open("a", encoding="utf-8") as handle:
        handle.write("A Title Without Abstract\n")
    docs = tmp_path / "docs"
    code, out, err = run(capsys, "generate", "--sources", str(sources), "--docs", str(docs), "--tags", str(TAGS))
    assert code == 0
    assert f"warning: {sources}/002_compact.txt:9: title with no abstract at end of file; skipped" in err
    assert "9 entries = 7 papers + 1 duplicates merged + 1 skipped" in out and "1 warnings" in out
    code, _, err = run(
        capsys, "generate", "--strict", "--sources", str(sources), "--docs", str(tmp_path / "d2"), "--tags", str(TAGS)
    )
    assert code == 1 and err.startswith(f"error: {sources}/002_compact.txt:9: title with no abstract")
    assert not (tmp_path / "d2").exists()


def test_hand_written_page_is_never_overwritten(tmp_path, capsys):
    docs = tmp_path / "docs"
    (docs / "papers").mkdir(parents=True)
    mine = docs / "papers" / "c-for-machine-learning.md"
    mine.write_text("my own notes\n", encoding="utf-8")
    code, _, err = run(capsys, "generate", "--sources", str(FIXTURE), "--docs", str(docs), "--tags", str(TAGS))
    assert code == 1 and "hand-written file" in err and str(mine) in err
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    assert not (docs / "index.md").exists()


@pytest.mark.parametrize("command", ["generate", "build", "serve"])
def test_help_on_every_command(capsys, command):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "--sources" in capsys.readouterr().out
