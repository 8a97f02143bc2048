"""A tag's JSON, BibTeX and CSV, made in the browser from the whole-list exports, in one click:
byte for byte what generator/exports.py makes for that tag, served and offline (file://, no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import exports
from generator.build import Options, make_catalogue
from generator.models import Catalogue
from generator.render_tags import papers_by_tag
from tests.browser.helpers import PageLog, hostile_listing, offline_context, serve
from tests.isolated import tags_alone
from tests.sitebuild import EMBEDDED, build_site

NAMES = ("papers.json", "papers.bib", "papers.csv")


def expected_files(cat: Catalogue, directory_urls: bool) -> dict[str, dict[str, bytes]]:
    """{tag slug: {file name: bytes}} as the generator's own export functions make them."""
    rows = exports.export_rows(cat, cat.papers, directory_urls)
    grouped = papers_by_tag(cat)
    return {
        slug: {name: make() for name, make in exports.export_files(papers, rows).items()}
        for slug, papers in grouped.items()
    }


def download(page, name: str, tmp_path: Path) -> bytes:
    """Click the tag page's button for `name` and return the file the browser saved."""
    with page.expect_download() as info:
        page.locator(f'#rl-export button[data-export="{name}"]').click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def check_tags(page, base: str, tail: str, expected: dict, tags: list[str], tmp_path: Path) -> None:
    for slug in tags:
        page.goto(f"{base}tags/{slug}{tail}")
        for name in NAMES:
            got = download(page, name, tmp_path)
            assert got == expected[slug][name], (slug, name)
        assert page.locator(".rl-export__status").inner_text() == ""


@pytest.fixture(scope="module")
def embedded_catalogue() -> Catalogue:
    return make_catalogue(Options(sources=EMBEDDED / "sources", tags=EMBEDDED / "tags.yml")).catalogue


def test_every_tag_downloads_what_the_generator_makes(page, base_url, real_site, tmp_path):
    _, result, _ = real_site
    cat = result.catalogue
    expected = expected_files(cat, directory_urls=True)
    log = PageLog.attach(page)
    check_tags(page, base_url, "/", expected, [t.slug for t in cat.tags], tmp_path)
    assert log.problems() == []
    # The per-tag files are gone from the site: the tag page and the whole-list files hold it all.
    site, _, _ = real_site
    assert not list((site / "tags").glob("*/papers.*"))


def test_offline_tag_downloads_from_disk_without_network(browser, offline_site, embedded_catalogue, tmp_path):
    context, attempted = offline_context(browser, accept_downloads=True)
    page = context.new_page()
    log = PageLog.attach(page)
    expected = expected_files(embedded_catalogue, directory_urls=False)
    grouped = papers_by_tag(embedded_catalogue)
    largest = max(grouped, key=lambda s: len(grouped[s]))
    smallest = min(grouped, key=lambda s: len(grouped[s]))
    check_tags(page, (offline_site / "index.html").as_uri().removesuffix("index.html"), ".html", expected,
               [largest, smallest], tmp_path)  # fmt: skip
    assert attempted == [] and log.problems() == []
    context.close()


def test_hostile_text_downloads_byte_for_byte(page, tmp_path_factory, tmp_path):
    work = tmp_path_factory.mktemp("hostile-downloads")
    sources = work / "sources"
    sources.mkdir()
    (sources / "000_hostile.txt").write_text(hostile_listing(), encoding="utf-8")
    site, result = build_site(work / "project", sources=sources, tags=tags_alone())
    cat = result.catalogue
    expected = expected_files(cat, directory_urls=True)
    tagged = [slug for slug, files in expected.items() if files["papers.json"].count(b"\n") > 2]
    assert tagged
    with serve(site) as base:
        check_tags(page, base, "/", expected, tagged, tmp_path)


def test_a_newer_whole_list_is_refused_not_cut_wrong(page, base_url, real_site):
    """A page cached from an older build points into an older list: same count, other order."""
    site, result, _ = real_site
    text = (site / "papers.bib").read_text(encoding="utf-8")
    head, first, second, rest = text.split("\n@misc{", 3)
    reordered = "\n@misc{".join([head, second, first, rest])
    assert sorted(reordered) == sorted(text) and reordered != text
    page.route("**/papers.bib", lambda route: route.fulfill(body=reordered, content_type="text/plain"))
    page.goto(f"{base_url}tags/{result.catalogue.tags[0].slug}/")
    page.locator('#rl-export button[data-export="papers.bib"]').click()
    page.locator(".rl-export__status").filter(has_text="reload the page").wait_for()
