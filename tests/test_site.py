"""Smoke test of the real thing: the embedded corpus through `mkdocs build --strict`."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_real_corpus_builds_368_paper_pages(real_site):
    site, result, log = real_site
    pages = sorted((site / "papers").glob("*/index.html"))
    assert len(pages) == 368
    assert result.entries == 426
    assert len(result.merges) == 58
    assert "WARNING" not in log


def test_every_title_once_in_papers_json(real_site):
    site, result, _ = real_site
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    titles = [p["title"] for p in data]
    assert len(titles) == 368
    for paper in result.catalogue.papers:
        assert titles.count(paper.title) == 1


HOSTILE_TITLE = "A <script>alert(1)</script> *Bold* [link](javascript:alert(2)) | pipe `code` # Title"
HOSTILE_ABSTRACT_START = "<img src=x onerror=alert(3)> Abstract with **markup**, a {{ jinja }} and {% block %} tag"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    from tests.sitebuild import ROOT, build_site

    work = tmp_path_factory.mktemp("fixture")
    site, _ = build_site(
        work, sources=ROOT / "tests" / "fixtures" / "corpus", tags=ROOT / "tests" / "fixtures" / "tags.yml"
    )
    return site


def test_hostile_text_renders_literally_in_built_html(fixture_site):
    from bs4 import BeautifulSoup

    slug = "a-script-alert-1-script-bold-link-javascript-alert-2-pipe-code-title"
    soup = BeautifulSoup((fixture_site / "papers" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article.h1.get_text() == HOSTILE_TITLE
    assert soup.title.get_text().startswith(HOSTILE_TITLE)
    assert article.find("p").get_text().startswith(HOSTILE_ABSTRACT_START)
    # Nothing from the input became an element, attribute or link.
    assert not soup.find("img") and not soup.find(attrs={"onerror": True})
    assert not any("alert" in (s.string or "") for s in soup.find_all("script"))
    assert not soup.find("a", href=lambda h: h and h.startswith("javascript"))
    assert article.h1.find(True) is None and article.find("p").find(True) is None  # no child elements


def test_c_family_papers_have_three_pages(fixture_site):
    pages = {p.name for p in (fixture_site / "papers").iterdir()}
    assert {"c-for-machine-learning", "c-for-machine-learning--0baa74", "c-for-machine-learning--4371e8"} <= pages


def test_every_tag_page_and_link_resolves(real_site):
    site, result, _ = real_site
    index = (site / "tags" / "index.html").read_text(encoding="utf-8")
    for tag in result.catalogue.tags:
        assert (site / "tags" / tag.slug / "index.html").is_file()
        assert f'href="{tag.slug}/"' in index


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_site_and_repo_urls_come_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys

    from tests.sitebuild import ROOT, prepare

    prepare(tmp_path)
    env = dict(os.environ, SITE_URL="https://example.org/list/", REPO_URL="https://example.org/repo")
    fixture = ROOT / "tests" / "fixtures"
    args = ["--sources", str(fixture / "corpus"), "--tags", str(fixture / "tags.yml")]
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", *args], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/list/">' in home
    assert 'href="https://example.org/repo"' in home


def test_serve_answers_on_localhost(tmp_path):
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.sitebuild import ROOT, prepare

    prepare(tmp_path)
    port = free_port()
    fixture = ROOT / "tests" / "fixtures"
    args = ["--sources", str(fixture / "corpus"), "--tags", str(fixture / "tags.yml"), "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", *args],
        cwd=tmp_path,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/tags/", timeout=2) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.5)
        assert "Quantization" in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)
