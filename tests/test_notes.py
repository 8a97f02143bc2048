"""notes.yml validation: types, keys, unknown slugs (with a suggestion), and disarmed Markdown."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.errors import GeneratorError
from generator.models import Note
from generator.notes import by_priority, load_notes, note_html
from generator.render_paper import note_admonition

SLUGS = ["attention-is-all-you-need", "deep-residual-learning", "adam-a-method-for-stochastic-optimization"]
PATH = "corpus/notes.yml"


def test_valid_notes_load_with_defaults():
    data = {
        "attention-is-all-you-need": {
            "status": "reading",
            "priority": 1,
            "rating": 5,
            "added": dt.date(2026, 11, 2),
            "tags": ["transformers", "to-reproduce"],
            "note": "Read *section 3* again.\n",
        },
        "deep-residual-learning": None,
        "adam-a-method-for-stochastic-optimization": {"status": "read", "added": "2026-01-05", "tags": "optim"},
    }
    notes, problems = load_notes(data, PATH, SLUGS)
    assert problems == []
    assert notes["attention-is-all-you-need"] == Note(
        "attention-is-all-you-need",
        "reading",
        1,
        5,
        "2026-11-02",
        "Read *section 3* again.",
        ("transformers", "to-reproduce"),
    )
    assert notes["deep-residual-learning"] == Note("deep-residual-learning", "to-read")
    assert notes["adam-a-method-for-stochastic-optimization"].tags == ("optim",)
    assert load_notes(None, PATH, SLUGS) == ({}, [])


def test_unknown_slug_is_a_warning_with_line_and_closest_slug():
    text = "deep-residual-learning: {}\nattention-is-all-you-needed:\n  status: read\n"
    notes, problems = load_notes(yaml.safe_load(text), PATH, SLUGS, text)
    assert list(notes) == ["deep-residual-learning"]  # the unknown one is ignored, the rest stands
    [problem] = problems
    assert str(problem).startswith("corpus/notes.yml:2: unknown paper slug 'attention-is-all-you-needed'")
    assert "did you mean 'attention-is-all-you-need'?" in problem.message and problem.kind == "warning"


def test_unknown_slug_with_nothing_close():
    _, [problem] = load_notes({"zzz": {}}, PATH, SLUGS)
    assert "slugs are the file names" in problem.message


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("just text", "expected a mapping"),
        ({"stat": "read"}, "unknown key(s) stat"),
        ({"status": "done"}, "status must be one of to-read, reading, read, not 'done'"),
        ({"priority": 0}, "priority must be a whole number from 1 to 5"),
        ({"priority": "high"}, "priority must be a whole number from 1 to 5"),
        ({"rating": 6}, "rating must be a whole number from 1 to 5"),
        ({"rating": True}, "rating must be a whole number from 1 to 5"),
        ({"added": "yesterday"}, "added must be a date written YYYY-MM-DD"),
        ({"added": 20261102}, "added must be a date written YYYY-MM-DD"),
        ({"note": ["a", "b"]}, "note must be text"),
        ({"note": "[x](javascript:alert(1))"}, "note links may use http, https or mailto, not 'javascript'"),
        ({"note": "[x]: data:text/html,hi"}, "not 'data'"),
        ({"tags": [1, 2]}, "tags must be a list of short words"),
        ({"tags": ["<script>"]}, "tags must be a list of short words"),
    ],
)
def test_invalid_entries_name_file_and_slug(item, message):
    with pytest.raises(GeneratorError) as err:
        load_notes({"deep-residual-learning": item}, PATH, SLUGS)
    text = str(err.value)
    assert text.startswith("corpus/notes.yml: deep-residual-learning")
    assert message in text


def test_top_level_must_be_a_mapping():
    with pytest.raises(GeneratorError, match="expected a mapping of paper slug"):
        load_notes(["a"], PATH, SLUGS)


def test_note_html_cannot_inject_html_or_attributes():
    html = note_html('<script>alert(1)</script> & <img src=x onerror=alert(1)>\n\nText{: onclick="x()" }')
    assert "<script" not in html and "<img" not in html and "onclick=" not in html.replace("{: onclick", "")
    assert "&lt;script&gt;" in html and "&amp;" in html and '<p>Text{: onclick="x()" }</p>' in html


def test_admonition_indents_the_note_and_shows_the_state():
    note = Note("s", "read", 2, 4, "2026-01-01", "line one\n\n- item", ("x",))
    text = note_admonition(note)
    assert text.startswith('<div class="admonition success">\n<p class="admonition-title">My reading list</p>\n')
    assert "<p><strong>Read</strong> · priority 2 · rated ★★★★☆" in text
    assert "<p>line one</p>\n<ul>\n<li>item</li>\n</ul>" in text


def test_queue_order():
    notes = [
        Note("c", "to-read", 1, added="2026-02-01"),
        Note("b", "to-read", 1, added="2026-01-01"),
        Note("a", "to-read", 3),
        Note("d", "reading", 5),
    ]
    assert [n.slug for n in by_priority(notes)] == ["d", "b", "c", "a"]


def test_cli_warns_about_a_note_for_no_paper_and_strict_stops(tmp_path, capsys, root):
    from generator.cli import main

    notes = tmp_path / "notes.yml"
    notes.write_text("graph-contrastive-learning-with-meta-path:\n  status: read\n", encoding="utf-8")
    before = notes.read_bytes()
    sources = root / "tests" / "fixtures" / "notes" / "sources"
    tags = str(sources.parent / "tags.yml")
    args = ["generate", "--sources", str(sources), "--tags", tags, "--notes", str(notes)]
    code = main([*args, "--docs", str(tmp_path / "docs")])
    err = capsys.readouterr().err
    assert code == 0
    assert f"warning: {notes}:1: unknown paper slug 'graph-contrastive-learning-with-meta-path'" in err
    assert "did you mean 'graph-contrastive-learning-with-meta-paths'?" in err
    assert (tmp_path / "docs" / "papers.json").exists()
    code = main([*args, "--docs", str(tmp_path / "strict"), "--strict"])
    err = capsys.readouterr().err
    assert code == 1 and f"error: {notes}:1: unknown paper slug" in err
    assert not (tmp_path / "strict").exists()
    assert notes.read_bytes() == before


def test_cli_requires_an_explicit_notes_file_to_exist(tmp_path, capsys, root):
    from generator.cli import main

    sources = root / "tests" / "fixtures" / "notes" / "sources"
    tags = str(sources.parent / "tags.yml")
    docs = str(tmp_path / "d")
    code = main(
        ["generate", "--sources", str(sources), "--tags", tags, "--docs", docs, "--notes", str(tmp_path / "x.yml")]
    )
    assert code == 1
    assert "x.yml: file not found" in capsys.readouterr().err
