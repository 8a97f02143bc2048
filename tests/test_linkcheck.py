"""The link checker finds what it must (on a tiny hand-made site), and the real site has nothing to find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.isolated import tags_alone
from tests.linkcheck import check_site, main
from tests.sitebuild import ROOT, build_site

PAGE = '<!doctype html><html lang="en"><head><title>{title}</title></head><body>{body}</body></html>'


def page(site: Path, rel: str, body: str, title: str = "T", lang: bool = True) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    html = PAGE.format(title=title, body=body)
    path.write_text(html if lang else html.replace(' lang="en"', ""), encoding="utf-8")


def test_a_sound_site_has_no_problems(tmp_path):
    page(tmp_path, "papers/a/index.html", '<h1 id="top">A</h1><a href="../../">home</a><img src="../../x.png">')
    page(tmp_path, "404.html", '<link href="/x.png" rel="icon"><a id="me" href="https://example.org/">out</a>')
    (tmp_path / "x.png").write_bytes(b"png")
    page(
        tmp_path, "index.html", '<a id="me" href="papers/a/">a</a> <a href="papers/a/#top">top</a> <a href="#me">m</a>'
    )
    report = check_site(tmp_path)
    assert report.broken == []
    assert (report.pages, report.links, report.external) == (3, 6, 1)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('<a href="papers/b/">b</a>', "index.html:1: <a> 'papers/b/': no such file in the site"),
        ('<a href="papers/a/#nope">a</a>', "index.html:1: <a> 'papers/a/#nope': no id 'nope' in papers/a/index.html"),
        ('<a href="#nope">a</a>', "no id 'nope' in index.html"),
        ('<img src="missing.png">', "<img> 'missing.png': no such file in the site"),
        ('<script src="app.js"></script>', "<script> 'app.js': no such file in the site"),
        ("<a href=\"JavaScript:alert('x')\">x</a>", "javascript: link"),
        ('<a href="/papers/a/">a</a>', "root-relative link (breaks on a sub-path and from disk)"),
        ('<a href="../../../etc/passwd">x</a>', "no such file in the site"),
    ],
)
def test_each_kind_of_problem_is_found(tmp_path, body, problem):
    page(tmp_path, "papers/a/index.html", '<h1 id="top">A</h1>')
    page(tmp_path, "index.html", body)
    report = check_site(tmp_path)
    assert len(report.broken) == 1 and problem in report.broken[0], report.broken


def test_missing_title_and_lang_are_found(tmp_path):
    page(tmp_path, "index.html", "x", title=" ")
    page(tmp_path, "other.html", "x", lang=False)
    assert check_site(tmp_path).broken == ["index.html: no <title>", "other.html: no lang attribute on <html>"]


def test_command_line_exit_code(tmp_path, capsys):
    page(tmp_path, "index.html", '<a href="gone.html">x</a>')
    assert main([str(tmp_path)]) == 1
    assert "1 problems" in capsys.readouterr().out


@pytest.mark.slow
def test_real_site_has_no_broken_links_and_every_page_a_title_and_lang(real_site):
    site, _, _ = real_site
    report = check_site(site)
    assert report.broken == [], str(report)
    assert report.pages >= 368 + 38 and report.links > 5000
    print(report)


@pytest.mark.slow
def test_real_site_carries_no_absolute_path_of_the_build_machine(real_site):
    site, _, _ = real_site
    work = site.parent
    leaks = [str(work), str(work.resolve()), str(ROOT), "/tmp/", "file:///"]
    for path in sorted(site.rglob("*")):
        if path.suffix not in {".html", ".json", ".xml", ".txt", ".md"}:
            continue
        text = path.read_text(encoding="utf-8")
        for leak in leaks:
            assert leak not in text, f"{path.relative_to(site)} contains {leak!r}"
        assert not re.search(r"[\"'(=]/(?:root|home|tmp|work|usr)/", text), path.relative_to(site)


@pytest.mark.slow
def test_offline_build_of_the_hostile_fixture_has_no_broken_links(tmp_path):
    """The offline build links pages as papers/<slug>.html; hostile titles must not break that either."""
    site, _ = build_site(
        tmp_path / "offline", sources=ROOT / "tests" / "fixtures" / "hostile", tags=tags_alone(), offline=True
    )
    report = check_site(site)
    assert report.broken == [], str(report)
    assert (site / "papers").is_dir() and report.pages >= 17 + 38
