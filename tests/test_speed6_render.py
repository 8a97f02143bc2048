"""Issue 16 (speed): the fast ways of making list pages give the bytes the plain ways gave."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cards import html_text, pager, short_link
from generator.render import ALL_DIR
from generator.render_tags import tag_page_paths


def reference_pager(paths, current, directory_urls, label):
    """The pager as it was written before `pager_links`: short_link for every link."""
    if len(paths) < 2:
        return ""
    here = paths[current]

    def to(i):
        return html_text(short_link(here, paths[i], directory_urls))

    parts = [f'\n<nav class="rl-pager" aria-label="{html_text(label)}">']
    if current > 0:
        parts.append(f'<a class="rl-pager__step" rel="prev" href="{to(current - 1)}">← Previous</a>')
    parts.append(f'<span class="rl-pager__where">Page {current + 1} of {len(paths)}</span>')
    if current < len(paths) - 1:
        parts.append(f'<a class="rl-pager__step" rel="next" href="{to(current + 1)}">Next →</a>')
    numbers = "".join(
        f'<li><a href="{to(i)}" aria-current="page">{i + 1}</a></li>'
        if i == current
        else f'<li><a href="{to(i)}">{i + 1}</a></li>'
        for i in range(len(paths))
    )
    parts.append(f'<ol class="rl-pager__pages">{numbers}</ol>')
    parts.append("</nav>\n")
    return "\n".join(parts)


PATH_SETS = [
    [f"{ALL_DIR}/index.md"] + [f"{ALL_DIR}/{i}.md" for i in range(2, 8)],
    tag_page_paths("deep-learning", 5),
    tag_page_paths("a&b", 3),
    ["index.md", "x/index.md", "x/y/z.md", "x/../w.md", "./v.md", "a//b.md", "tags/./t.md", "reading/queue.md"],
    ["tags/x.md", "tags/x/newest-2.md"],
]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("paths", PATH_SETS)
def test_pager_is_the_short_link_pager(paths, directory_urls):
    for current in range(len(paths)):
        for label in ("Pages of all papers", "Pages of <A & B>"):
            assert pager(paths, current, directory_urls, label) == reference_pager(
                paths, current, directory_urls, label
            )


def test_results_taken_in_the_background_come_in_order_while_the_caller_works():
    import os
    import time

    from generator import parallel

    me = os.getpid()
    collecting = parallel.start([lambda i=i: (i, os.getpid()) for i in range(5)], 2).in_background()
    time.sleep(0.2)  # the caller's own work
    assert [(i, pid != me) for i, pid in collecting.results()] == [(i, True) for i in range(5)]
    alone = parallel.start([lambda: os.getpid()], 1).in_background()
    assert alone.results() == [me]  # one worker: run by results(), in this process


def test_a_task_error_reaches_the_caller_through_the_background():
    from generator import parallel

    def fails():
        raise ValueError("bad paper")

    collecting = parallel.start([lambda: 1, fails, lambda: 3], 2).in_background()
    with pytest.raises(ValueError, match="bad paper"):
        collecting.results()


def test_cancelled_background_workers_end():
    import time

    from generator import parallel

    running = parallel.start([lambda: time.sleep(60), lambda: time.sleep(60)], 2)
    processes = list(running.pool.processes)
    collecting = running.in_background()
    began = time.monotonic()
    collecting.cancel()
    assert time.monotonic() - began < 5
    assert not any(p.is_alive() for p in processes)


def test_a_failing_list_page_ends_the_paper_page_workers(monkeypatch):
    """render_site makes paper pages on the workers while it makes the list pages: if a list page fails,
    the workers must not outlive the error."""
    import multiprocessing

    from generator import render
    from generator.build import Options, make_catalogue
    from tests.sitebuild import EMBEDDED

    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml"), clean=True).catalogue
    monkeypatch.setenv("READINGLIST_JOBS", "2")

    def broken(*args, **kwargs):
        raise RuntimeError("list page")

    monkeypatch.setattr(render, "render_home", broken)
    with pytest.raises(RuntimeError, match="list page"):
        render.render_site(cat)
    assert not multiprocessing.active_children()


def test_render_site_on_workers_equals_one_process(monkeypatch):
    from generator import render
    from generator.build import Options, make_catalogue
    from generator.models import plan_text
    from tests.sitebuild import EMBEDDED

    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml"), clean=True).catalogue
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    alone = render.render_site(cat)
    monkeypatch.setenv("READINGLIST_JOBS", "2")
    shared = render.render_site(cat)
    assert list(alone) == list(shared)
    assert plan_text(alone) == plan_text(shared)


CELLS = st.lists(st.one_of(st.text(alphabet="ab ,\"\r\n\t='é;"), st.integers()), min_size=17, max_size=17)


@settings(max_examples=300, deadline=None)
@given(CELLS)
def test_csv_line_is_what_dictwriter_writes(cells):
    import csv
    import io

    from generator.exports import CSV_FIELDS, LINE_END, csv_line

    out = io.StringIO()
    csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator=LINE_END).writerow(
        dict(zip(CSV_FIELDS, cells, strict=True))
    )
    assert csv_line(cells) == out.getvalue()


def test_a_paper_page_given_its_bib_entry_is_the_page_made_without_it():
    from generator.build import Options, make_catalogue
    from generator.exports import bib_entry
    from generator.records import index
    from generator.render import make_paper_files
    from generator.render_paper import render_paper
    from tests.sitebuild import EMBEDDED

    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml"), clean=True).catalogue
    for record in list(index(cat).records.values())[::7]:
        view, paper = record.catalogue(), record.paper
        page = render_paper(view, paper, record.titles(), True)
        assert render_paper(view, paper, record.titles(), True, bib_entry(view, paper)) == page
        assert make_paper_files(record)[0] == page.encode()


def dumped(meta):
    import yaml

    from generator.pages import SAFE_DUMPER

    return "---\n" + yaml.dump(meta, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


SCALARS = st.text(alphabet="aZ09 :?#'\",.-&;=_[]{}!|>%@`*~\t\n\r\u0085\u2028é中\ufeff\U0001f600", max_size=12)
META = st.dictionaries(
    st.sampled_from(["title", "tags", "template", "description", "yes", "a b", ""]),
    st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.sampled_from(["Yes", "null", "No", "y", "3D", "x" * 600])),
    max_size=3,
)


@settings(max_examples=1500, deadline=None)
@given(META)
def test_front_matter_is_what_the_yaml_dumper_writes(meta):
    from generator.pages import front_matter

    assert front_matter(meta) == dumped(meta)


def test_front_matter_of_every_page_of_the_embedded_corpus_is_the_dumpers(tmp_path):
    from generator.build import Options, make_catalogue
    from generator.models import plan_text
    from generator.render import render_site
    from tests.sitebuild import EMBEDDED

    cat = make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml"), clean=True).catalogue
    import yaml

    for path, text in plan_text(render_site(cat)).items():
        if path.endswith(".md") and text.startswith("---\n"):
            head = text[4 : text.index("\n---\n", 3) + 1]
            assert dumped(yaml.safe_load(head)) == "---\n" + head + "---\n", path


@pytest.mark.parametrize("paths", PATH_SETS)
def test_one_pager_for_every_page_of_a_list(paths):
    from generator.cards import Pager

    pages = Pager(paths, True)
    for current in [*range(len(paths)), 0, len(paths) - 1]:
        for label in ("top", "bottom"):
            assert pages.html(current, label) == reference_pager(paths, current, True, label)
