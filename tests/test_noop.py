"""A run whose inputs did not change stops early, and says the same as a full run would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import Options, generate
from generator.errors import GeneratorError

HERE = Path(__file__).resolve().parent


@pytest.fixture
def project(tmp_path: Path) -> Options:
    shutil.copytree(HERE / "fixtures" / "corpus", tmp_path / "sources")
    shutil.copy(HERE / "fixtures" / "tags.yml", tmp_path / "tags.yml")
    return Options(sources=tmp_path / "sources", docs=tmp_path / "docs", tags=tmp_path / "tags.yml")


def test_unchanged_inputs_stop_before_parsing_with_the_same_summary(project):
    first = generate(project)
    second = generate(project)
    assert first.catalogue is not None and second.catalogue is None
    assert second.count_lines() == first.count_lines()
    assert second.report.written == () and second.report.unchanged == len(first.report.written)
    assert "already up to date" in second.summary()


@pytest.mark.parametrize(
    "change",
    [
        lambda o: (o.sources / "002_compact.txt").write_text("New Title\n" + "Word. " * 80 + "\n", encoding="utf-8"),
        lambda o: (o.sources / "003_new.txt").write_text("Other Title\n" + "Word. " * 80 + "\n", encoding="utf-8"),
        lambda o: o.tags.write_text(o.tags.read_text(encoding="utf-8").replace("Low-bit", "Few-bit"), encoding="utf-8"),
        lambda o: (o.docs / "papers" / "c-for-machine-learning.md").unlink(),
    ],
    ids=["edited listing", "new listing", "edited taxonomy", "deleted page"],
)
def test_any_change_to_inputs_or_outputs_runs_in_full(project, change):
    generate(project)
    change(project)
    again = generate(project)
    assert again.catalogue is not None
    assert again.report.written, "the change must reach docs/"
    assert (project.docs / "papers" / "c-for-machine-learning.md").exists()


def test_hand_edit_of_a_generated_page_is_still_refused(project):
    generate(project)
    page = project.docs / "papers" / "c-for-machine-learning.md"
    page.write_text("my notes\n", encoding="utf-8")
    (project.sources / "002_compact.txt").write_text("Other Title\n" + "Word. " * 80 + "\n", encoding="utf-8")
    with pytest.raises(GeneratorError, match="refusing to write"):
        generate(project)
    assert page.read_text(encoding="utf-8") == "my notes\n"


def test_strict_still_fails_on_the_warnings_of_an_unchanged_corpus(project):
    with (project.sources / "002_compact.txt").open("a", encoding="utf-8") as handle:
        handle.write("Dangling Title\n")
    generate(project)
    with pytest.raises(GeneratorError, match="title with no abstract"):
        generate(Options(**{**project.__dict__, "strict": True}))
    replay = generate(project)
    assert replay.catalogue is None
    assert [(w.line, w.kind) for w in replay.warnings] == [(9, "skip")]


def test_a_full_run_reads_back_only_the_files_touched_since_the_last_run(project, monkeypatch):
    """Files with the size and mtime the last run recorded are not read again; a touched one is."""
    import hashlib

    from generator import writer

    generate(project)
    touched = project.docs / "papers" / "c-for-machine-learning.md"
    touched.write_text(touched.read_text(encoding="utf-8"), encoding="utf-8")  # same bytes, new mtime
    (project.sources / "003_new.txt").write_text("Other Title\n" + "Word. " * 80 + "\n", encoding="utf-8")
    read: list[str] = []
    real = hashlib.file_digest

    def counting(handle, digest):
        read.append(handle.name)
        return real(handle, digest)

    monkeypatch.setattr(writer.hashlib, "file_digest", counting)
    again = generate(project)
    assert again.catalogue is not None and again.report.written
    assert read == [str(touched)]
