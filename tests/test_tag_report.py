"""The tag report and `readinglist tags`, and the tag pages on the built site (counts, chart, related tags, filter)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.models import Catalogue, Paper, Tag, TagMatch
from generator.render_tags import filter_data, related_tags, render_tag, render_tag_index
from generator.tag_report import build_report, candidate_phrases, format_report
from tests.sitebuild import build_site

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED = ROOT / "tests" / "fixtures" / "embedded"  # frozen copy of corpus/
FIXTURE = ROOT / "tests" / "fixtures"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def catalogue(tags_of: list[list[str]], ntags: int = 30, titles: list[str] | None = None) -> Catalogue:
    """A catalogue with one paper per entry of `tags_of`, tagged as given, and `ntags` tags t0, t1, ..."""
    tags = tuple(
        Tag(f"t{i}", f"Tag {i}", f"Tag number {i}.", "Methods" if i % 2 else "Theory", (f"w{i}",)) for i in range(ntags)
    )
    papers = tuple(
        Paper(f"k{i}", (titles or [])[i] if titles else f"Paper {i}", "An abstract.", ()) for i in range(len(tags_of))
    )
    matches = {p.key: tuple(TagMatch(t, "w", "title", 3) for t in tags_of[i]) for i, p in enumerate(papers)}
    slugs = {p.key: f"paper-{i}" for i, p in enumerate(papers)}
    return Catalogue(papers, slugs, matches, tags, ("a.txt",), {"a.txt": None})


def healthy() -> list[list[str]]:
    """100 papers, 30 tags, each tag on 6-7 papers, every paper with two tags."""
    return [[f"t{i % 30}", f"t{(i + 7) % 30}"] for i in range(100)]


def test_healthy_catalogue_breaks_no_limit():
    report = build_report(catalogue(healthy()))
    assert report.broken == ()
    assert report.coverage == 1.0 and report.per_paper == {2: 100}
    assert "all limits hold" in format_report(report, catalogue(healthy()))


def test_each_limit_is_reported():
    papers = healthy()
    papers[:40] = [["t0", "t1"]] * 35 + [[]] * 5  # t0 on > 30%, five untagged papers
    papers[40] = [f"t{i}" for i in range(7)]  # seven tags on one paper
    cat = catalogue(papers, ntags=31)  # t30 has no paper
    broken = build_report(cat).broken
    assert any(b.startswith("tag 't0' has") and "over 30% of papers" in b for b in broken)
    assert "tag 't30' has 0 papers: under 3 papers" in broken
    assert any(b.startswith("coverage 95.0% is under 97%") for b in broken)
    assert "paper 'paper-40' has 7 tags (max 6)" in broken
    assert build_report(catalogue(healthy(), ntags=61)).broken[-1].startswith("the taxonomy has 61 tags")


def test_candidate_phrases_come_from_untagged_papers_and_skip_known_phrases():
    titles = ["Gradient Boosting Trees", "Gradient Boosting at Scale", "Logistic Regression Again", "Tagged"]
    cat = catalogue([[], [], [], ["t1"]], titles=titles)
    found = dict(candidate_phrases(cat, cat.papers[:3]))
    assert found == {"gradient boosting": 2}
    known = Tag("gb", "GB", "Boosting.", "Methods", ("gradient boosting",))
    cat2 = Catalogue(cat.papers, cat.slugs, cat.matches, (*cat.tags, known), cat.sources, cat.dates)
    assert "gradient boosting" not in dict(candidate_phrases(cat2, cat2.papers[:3]))


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_tags_command_on_the_real_corpus_holds_every_limit(capsys):
    code, out, err = run(
        capsys,
        "tags",
        "--check",
        "--sources",
        str(EMBEDDED / "sources"),
        "--tags",
        str(EMBEDDED / "tags.yml"),
    )
    assert code == 0, out + err
    assert out.startswith("368 papers, ")
    assert "all limits hold" in out
    counts = [int(n) for n in re.findall(r"^  [a-z0-9-]+ +(\d+)$", out, re.M)]
    assert counts and max(counts) <= 0.3 * 368 and min(counts) >= 3


def test_tags_check_fails_on_a_broken_limit(capsys):
    # The small golden fixture: 4 tags (under 25), 3 of 7 papers untagged, tags on over 30% or under 3 papers.
    code, out, err = run(
        capsys, "tags", "--check", "--sources", str(FIXTURE / "corpus"), "--tags", str(FIXTURE / "tags.yml")
    )
    assert code == 1
    assert "limits broken" in out and "the taxonomy has 4 tags" in out
    assert err.strip().endswith("error: 6 tag limit(s) broken (see above)")
    code, _, _ = run(capsys, "tags", "--sources", str(FIXTURE / "corpus"), "--tags", str(FIXTURE / "tags.yml"))
    assert code == 0  # without --check the report is information only


# ---------------------------------------------------------------- pages


def test_tag_page_shows_description_count_related_tags_and_papers():
    cat = catalogue([["t1", "t2"], ["t1", "t2"], ["t1", "t3"], ["t2"]])
    assert [(t.slug, n) for t, n in related_tags(cat, "t1")] == [("t2", 2), ("t3", 1)]
    page = render_tag(cat, cat.tags[1], [cat.papers[0], cat.papers[1], cat.papers[2]])["tags/t1.md"]
    assert "Tag number 1." in page and "**3 papers**" in page
    assert "- [Tag 2](t2.md) · [2 together](index.md?a=t1&b=t2#combine-two-tags)" in page
    assert page.index("## Related tags") < page.index("## Papers") < page.index('href="../../papers/paper-0/"')


def test_index_has_groups_bars_and_safe_filter_data():
    hostile = "</script><script>alert(1)</script> & <!--"
    cat = catalogue([["t1"], ["t1", "t2"], []], titles=["A", hostile, "C"])
    grouped = {t.slug: [p for p in cat.papers if any(m.tag == t.slug for m in cat.matches[p.key])] for t in cat.tags}
    page = render_tag_index(cat, grouped)
    assert "## Methods" in page and "## Theory" in page and "## Combine two tags" in page
    assert '<span class="rl-bar" aria-hidden="true"><span style="width: 100.0%"></span></span>' in page
    assert '<span class="rl-bar" aria-hidden="true"><span style="width: 50.0%"></span></span>' in page
    script = re.search(r'<script type="application/json" id="rl-tag-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["papers"] == [[1], [1, 2]]  # tag numbers; the titles come with the cards (tags/cards.js)
    assert len(data["papers"]) == 2  # untagged papers cannot be filtered to
    assert filter_data(cat) == script


@pytest.mark.slow
def test_built_site_tag_pages(real_site):
    site, result, _ = real_site
    index = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert index.count('class="rl-bar"') == len(result.catalogue.tags)
    for group in (
        "Optimization",
        "Theory",
        "Models",
        "Learning settings",
        "Efficiency",
        "Trustworthy ML",
        "Applications",
    ):
        assert f">{group}</h2>" in index
    assert 'id="rl-tag-data"' in index and 'id="rl-tag-filter"' in index
    assert "javascripts/tag-filter.js" in index
    page = (site / "tags" / "quantization" / "index.html").read_text(encoding="utf-8")
    assert 'id="related-tags"' in page and "?a=quantization&amp;b=" in page
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "rl-tag-data" not in search and '"papers":[[' not in search  # the filter data is not indexed


@pytest.mark.browser
@pytest.mark.slow
def test_two_tag_filter_works_offline_from_disk(tmp_path):
    """Open the offline build from file:// with the network unreachable; the filter lists the shared papers."""
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium")
    site, result = build_site(tmp_path / "work", sources=FIXTURE / "corpus", tags=FIXTURE / "tags.yml", offline=True)
    cat = result.catalogue
    both = [p for p in cat.papers if {"quantization", "vision"} <= {m.tag for m in cat.matches[p.key]}]
    assert both, "the fixture corpus needs a paper tagged quantization and vision"
    url = (site / "tags" / "index.html").as_uri() + "?a=quantization&b=vision#combine-two-tags"
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
         "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    count = re.search(r'id="rl-tag-filter-count"[^>]*>([^<]*)<', dom)
    assert (
        count and count.group(1) == f"{len(both)} paper{'s have' if len(both) > 1 else ' has'} Quantization and Vision."
    )
    links = re.findall(r'<ul id="rl-tag-filter-results"[^>]*>(.*?)</ul>', dom, re.S)[0]
    for paper in both:
        assert f'href="../papers/{cat.slugs[paper.key]}.html"' in links
