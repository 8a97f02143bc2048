"""Hostile or damaged input gives `error: path:line: message` (or a warning), never a traceback."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.isolated import abstract

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "corpus"
TAGS = HERE / "fixtures" / "tags.yml"
SLUG = "graph-neural-networks-for-molecules"  # a paper of the fixture corpus


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "sources")
    shutil.copy(TAGS, tmp_path / "tags.yml")
    return tmp_path


def run(capsys, project: Path, *extra: str) -> tuple[int, str, str]:
    args = ["generate", "--sources", str(project / "sources"), "--docs", str(project / "docs")]
    args += ["--tags", str(project / "tags.yml"), *extra]
    code = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def papers(project: Path) -> dict[str, dict]:
    data = json.loads((project / "docs" / "papers.json").read_text(encoding="utf-8"))
    return {p["slug"]: p for p in data["papers"]}


# --- listings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\ufdd0", "\U0001fffe"])
def test_unicode_noncharacter_in_a_title_is_dropped_with_a_warning(project, capsys, char):
    listing = project / "sources" / "003_odd.txt"
    listing.write_text(f"Mar 12\n\nNoncharacter{char} Networks\n\n{abstract('noncharacters')}\n", encoding="utf-8")
    code, out, err = run(capsys, project)
    assert code == 0, err
    assert f"warning: {listing}:3: Unicode noncharacters (U+{ord(char):04X}) removed from this line" in err
    assert "noncharacter-networks" in papers(project)
    assert papers(project)["noncharacter-networks"]["title"] == "Noncharacter Networks"
    assert char not in (project / "docs" / "feed.xml").read_text(encoding="utf-8")


def test_noncharacter_line_numbers_follow_cr_and_crlf(project, capsys):
    listing = project / "sources" / "003_odd.txt"
    text = f"Mar 12\r\n\r\nOdd\uffff Title Here\r\r{abstract('odd things')}\n"
    listing.write_bytes(text.encode("utf-8"))
    code, _, err = run(capsys, project)
    assert code == 0 and f"{listing}:3: Unicode noncharacters" in err


def test_listing_name_that_is_not_utf8_is_read_with_a_warning(project, capsys):
    sources = os.fsencode(project / "sources")
    name = sources + b"/003_caf\xe9.txt"
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(f"Mar 12\n\nByte Named Networks\n\n{abstract('byte names')}\n")
    code, _, err = run(capsys, project)
    assert code == 0, err
    shown = f"{project / 'sources'}/003_caf\\xe9.txt"
    assert f"warning: {shown}: file name is not valid UTF-8" in err
    paper = papers(project)["byte-named-networks"]
    assert paper["provenance"][0]["source"] == "003_caf\ufffd.txt"


def test_folder_nested_1000_deep_in_the_sources_is_ignored(project, capsys):
    fd = os.open(project / "sources", os.O_RDONLY)
    fds = [fd]
    try:
        for _ in range(1000):  # os.makedirs (and shutil.rmtree) recurse once per level
            os.mkdir("d", dir_fd=fds[-1])
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        code, out, err = run(capsys, project)
    finally:
        os.close(fds.pop())
        while fds:  # remove the tree bottom-up, so that pytest's clean-up need not recurse through it
            parent = fds.pop()
            os.rmdir("d", dir_fd=parent)
            os.close(parent)
    assert code == 0, err
    assert "read 2 listing files" in out


# --- YAML data files ------------------------------------------------------------------------------


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["notes", "overrides"])
def test_impossible_date_names_file_and_line(project, capsys, kind):
    if kind == "notes":
        path = write(project / "notes.yml", f"{SLUG}:\n  status: reading\n  added: 2026-02-30\n")
    else:
        path = write(project / "overrides.yml", f"{SLUG}:\n  add: [vision]\n  note: 2026-02-30\n")
    code, _, err = run(capsys, project, f"--{kind}", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}:3: invalid YAML: '2026-02-30' is not a real date"), err


@pytest.mark.parametrize("kind", ["notes", "overrides", "tags"])
def test_lone_surrogate_escape_names_file_and_line(project, capsys, kind):
    if kind == "notes":
        path = write(project / "notes.yml", f'{SLUG}:\n  status: reading\n  note: "bad \\udc80 text"\n')
        line = 3
    elif kind == "overrides":
        path = write(project / "overrides.yml", f'{SLUG}:\n  add: [vision]\n  note: "\\udc80"\n')
        line = 3
    else:
        path = project / "tags.yml"
        text = TAGS.read_text(encoding="utf-8").replace("Images and video.", '"Images \\udc80"')
        write(path, text)
        line = 1 + text.splitlines().index('    description: "Images \\udc80"')
    code, _, err = run(capsys, project, f"--{kind}", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}:{line}: invalid YAML: text holds U+DC80"), err


def test_raw_noncharacter_in_yaml_names_the_line(project, capsys):
    path = write(project / "notes.yml", f"{SLUG}:\n  status: reading\n  note: a\uffffb\n")
    code, _, err = run(capsys, project, "--notes", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}:3: invalid YAML: unacceptable character U+FFFF"), err


def test_escaped_noncharacter_in_yaml_names_the_line(project, capsys):
    path = write(project / "notes.yml", f'{SLUG}:\n  note: "a\\uffffb"\n')
    code, _, err = run(capsys, project, "--notes", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}:2: invalid YAML: text holds U+FFFF"), err


def test_yaml_nested_too_deep_is_an_error(project, capsys):
    path = write(project / "notes.yml", "x: " + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = run(capsys, project, "--notes", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}:"), err


@pytest.mark.parametrize("kind", ["notes", "overrides", "tags"])
def test_yaml_file_that_is_not_utf8_names_the_line(project, capsys, kind):
    path = project / f"{kind}.yml"
    if kind == "tags":
        data = TAGS.read_bytes().replace(b"Images and video.", b"Images and vid\xe9o.")
        line = 1 + data.split(b"\n").index(b"    description: Images and vid\xe9o.")
    else:
        data, line = b"# my notes\n# caf\xe9\n", 2
    write(path, data)
    code, _, err = run(capsys, project, f"--{kind}", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}:{line}: not valid UTF-8"), err


@pytest.mark.parametrize("kind", ["notes", "overrides", "tags"])
def test_yaml_path_that_is_a_folder_is_an_error(project, capsys, kind):
    path = project / f"{kind}.yml"
    path.unlink(missing_ok=True)
    path.mkdir()
    code, _, err = run(capsys, project, f"--{kind}", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}: is a folder, not a YAML file"), err


def test_default_overrides_that_is_not_utf8_is_an_error(project, capsys):
    path = write(project / "overrides.yml", b"\xff\xfe\x00garbage")
    code, _, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {path}:1: not valid UTF-8"), err


# --- tags.yml -------------------------------------------------------------------------------------


def test_regex_with_a_leading_inline_flag_works(project, capsys):
    path = project / "tags.yml"
    write(path, TAGS.read_text(encoding="utf-8").replace("[graph neural network,", "['re:(?i)graph\\s+neural', "))
    code, _, err = run(capsys, project)
    assert code == 0, err
    assert "graph-learning" in papers(project)[SLUG]["tags"]


def test_regex_with_an_inline_flag_in_the_middle_is_a_taxonomy_error(project, capsys):
    path = project / "tags.yml"
    write(path, TAGS.read_text(encoding="utf-8").replace("[graph neural network,", '["re:graph(?i)neural", '))
    code, _, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {path}: tag 'Graph learning': malformed regex 're:graph(?i)neural'"), err


@pytest.mark.parametrize("name", ["???", "—", "..."])
def test_tag_name_without_letters_or_digits_is_a_taxonomy_error(project, capsys, name):
    path = project / "tags.yml"
    write(path, TAGS.read_text(encoding="utf-8").replace("name: Vision", f'name: "{name}"'))
    code, _, err = run(capsys, project)
    assert code == 1
    assert err.startswith(f"error: {path}: tag {name!r}: name has no letter or digit to make a slug"), err
    assert "internal error" not in err
