from __future__ import annotations

from generator.parse import parse_listing

ABSTRACT = (
    "We study a problem at length. This abstract is long enough to be an abstract: it has several sentences, "
    "and more than three hundred characters, which no title in a real listing comes close to. It goes on for a "
    "while longer so that the shape-based classification has no doubt about it at all, none whatsoever."
)
BLANK_LAYOUT = "\n".join(
    [
        "new",
        "",
        "Get trending papers in your email inbox!",
        "",
        "Subscribe",
        "",
        "byAK and the research community",
        "",
        "Mar 11",
        "",
        "First Paper Title",
        "",
        ABSTRACT,
        "",
        "Second Paper Title",
        "",
        ABSTRACT + " Two.",
    ]
)
COMPACT_LAYOUT = "\n".join(
    [
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "SubscribeAn adaptively inexact method",
        ABSTRACT,
        "Another Title",
        ABSTRACT,
    ]
)


def titles(entries):
    return [e.title for e in entries]


def test_blank_line_layout_drops_boilerplate_and_keeps_date():
    entries, problems = parse_listing("a.txt", BLANK_LAYOUT)
    assert titles(entries) == ["First Paper Title", "Second Paper Title"]
    assert entries[0].abstract == ABSTRACT
    assert entries[0].provenance.date == "Mar 11"
    assert entries[0].provenance.line == 11
    assert entries[1].provenance.line == 15
    assert problems == []


def test_compact_layout_splits_title_glued_to_subscribe():
    entries, problems = parse_listing("b.txt", COMPACT_LAYOUT)
    assert titles(entries) == ["An adaptively inexact method", "Another Title"]
    assert entries[0].provenance == entries[0].provenance.__class__("b.txt", 3, None)
    assert problems == []


def test_crlf_bom_and_stray_whitespace():
    text = "\ufeff" + BLANK_LAYOUT.replace("First Paper Title", "  First   Paper\tTitle  ").replace("\n", "\r\n")
    entries, problems = parse_listing("c.txt", text.lstrip("\ufeff"))
    assert titles(entries) == ["First Paper Title", "Second Paper Title"]
    assert problems == []


def test_bom_is_removed_when_decoding():
    from generator.sources import decode_listing

    text, problems = decode_listing("d.txt", ("\ufeff" + COMPACT_LAYOUT).encode("utf-8"))
    assert not text.startswith("\ufeff") and problems == []
    assert titles(parse_listing("d.txt", text)[0])[0] == "An adaptively inexact method"


def test_missing_abstract_costs_one_entry_not_a_shift():
    text = "\n".join(["Title One", ABSTRACT, "Title Without Abstract", "Title Three", ABSTRACT])
    entries, problems = parse_listing("e.txt", text)
    assert titles(entries) == ["Title One", "Title Three"]
    assert [(p.line, p.kind) for p in problems] == [(3, "skip")]
    assert "e.txt:3: title with no abstract" in str(problems[0])


def test_title_at_end_of_file_and_orphan_abstract_are_reported():
    text = "\n".join([ABSTRACT, "Good Title", ABSTRACT, "Dangling Title"])
    entries, problems = parse_listing("f.txt", text)
    assert titles(entries) == ["Good Title"]
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (1, "abstract with no title before it"),
        (4, "title with no abstract at end of file"),
    ]


def test_short_abstract_after_a_title_is_still_an_abstract():
    short = "We propose a method. It works well on two benchmarks."
    entries, problems = parse_listing("g.txt", f"A Title\n{short}\n")
    assert [(e.title, e.abstract) for e in entries] == [("A Title", short)]
    assert problems == []


def test_question_titles_stay_titles():
    text = "\n".join(["Is Fast Adaptation All You Need?", ABSTRACT, "Do X? Yes!", ABSTRACT])
    entries, _ = parse_listing("h.txt", text)
    assert titles(entries) == ["Is Fast Adaptation All You Need?", "Do X? Yes!"]


def test_boilerplate_words_as_titles_after_first_entry_are_flagged():
    text = "\n".join(["A Title", ABSTRACT, "Subscribe", "Next Title", ABSTRACT])
    entries, problems = parse_listing("i.txt", text)
    assert titles(entries) == ["A Title", "Next Title"]
    assert problems[0].line == 3 and "boilerplate" in problems[0].message
