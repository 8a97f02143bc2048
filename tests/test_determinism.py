"""Determinism: the same input gives byte-identical docs/ and site/; file order changes no slug
except the documented collision tie-break (README "Slugs")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import generator.build as build
from generator.build import Options, make_catalogue
from generator.slugs import base_slug
from generator.writer import STATE
from tests.isolated import abstract, tags_alone
from tests.sitebuild import EMBEDDED, ROOT, build_site

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
CORPUS = EMBEDDED / "sources"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, except the no-op cache (it records file times by design)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != STATE
    }


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    """Two full builds in different folders: docs/ and site/ identical, file for file."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("SITE_URL", raising=False)
    site_a, _ = build_site(tmp_path / "a", sources=HOSTILE, tags=tags_alone())
    site_b, _ = build_site(tmp_path / "b", sources=HOSTILE, tags=tags_alone())
    assert differing(tree(tmp_path / "a" / "docs"), tree(tmp_path / "b" / "docs")) == []
    site_files = tree(site_a)
    assert len(site_files) > 100
    # sitemap.xml.gz stores the build *date* in its gzip header: equal unless the builds straddle midnight UTC.
    assert set(differing(site_files, tree(site_b))) <= {"sitemap.xml.gz"}


@pytest.mark.slow
def test_only_the_sitemap_depends_on_the_clock(tmp_path, monkeypatch):
    """With site_url set, the sitemap carries lastmod dates; SOURCE_DATE_EPOCH pins them.
    Nothing else in site/ depends on when the build ran."""
    monkeypatch.setenv("SITE_URL", "https://example.org/reading/")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site_a, _ = build_site(tmp_path / "a", sources=HOSTILE, tags=tags_alone())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    site_b, _ = build_site(tmp_path / "b", sources=HOSTILE, tags=tags_alone())
    changed = differing(tree(site_a), tree(site_b))
    feeds = [f for f in changed if f == "feed.xml" or (f.startswith("tags/") and f.endswith("/feed.xml"))]
    assert feeds and "feed.xml" in feeds  # the site's and each tag's feed: <updated>
    assert sorted(set(changed) - set(feeds)) == ["sitemap.xml", "sitemap.xml.gz"]
    assert "<lastmod>2023-11-14</lastmod>" in (site_a / "sitemap.xml").read_text(encoding="utf-8")


def slugs_by_key(sources: Path, monkeypatch) -> tuple[dict[str, str], dict[str, str]]:
    """{paper key: slug} and {paper key: title}, without the (slow, slug-irrelevant) tagging."""
    monkeypatch.setattr(build, "tag_paper", lambda index, paper: ())
    cat = make_catalogue(Options(sources=sources, tags=tags_alone())).catalogue
    return dict(cat.slugs), {p.key: p.title for p in cat.papers}


def shuffled_copy(source: Path, target: Path, order: list[int]) -> Path:
    """Copy the listings renamed so that they sort in `order` (file-name order is listing order)."""
    target.mkdir()
    files = sorted(source.glob("*.txt"))
    for rank, index in enumerate(order):
        shutil.copy(files[index], target / f"{rank:03d}_{files[index].name}")
    return target


@pytest.mark.parametrize("order", [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 2, 3, 4, 0]])
def test_file_order_changes_no_slug_on_the_embedded_corpus(tmp_path, monkeypatch, order):
    before, titles = slugs_by_key(CORPUS, monkeypatch)
    after, _ = slugs_by_key(shuffled_copy(CORPUS, tmp_path / "shuffled", order), monkeypatch)
    assert after == before
    assert len(before) == 368


def test_file_order_only_moves_the_collision_tie_break(tmp_path, monkeypatch):
    """'C++ for Graphs' and 'C for Graphs' both slugify to c-for-graphs: the one listed first keeps it."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text(f"C++ for Graphs\n{abstract('C++')}\nUnique Paper\n{abstract('x')}\n")
    (folder / "b.txt").write_text(f"C for Graphs\n{abstract('C')}\n")
    first, titles = slugs_by_key(folder, monkeypatch)
    (folder / "a.txt").rename(folder / "c.txt")  # now listed after b.txt
    second, _ = slugs_by_key(folder, monkeypatch)
    keys = {titles[k]: k for k in titles}
    assert first[keys["C++ for Graphs"]] == "c-for-graphs" == second[keys["C for Graphs"]]
    assert first[keys["C for Graphs"]].startswith("c-for-graphs-")
    assert second[keys["C++ for Graphs"]].startswith("c-for-graphs-")
    assert first[keys["Unique Paper"]] == second[keys["Unique Paper"]] == "unique-paper"
    # Outside the collision group, nothing moved.
    group = {k for k in titles if base_slug(titles[k]) == "c-for-graphs"}
    assert {k: v for k, v in first.items() if k not in group} == {k: v for k, v in second.items() if k not in group}
