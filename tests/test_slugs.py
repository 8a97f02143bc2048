from __future__ import annotations

from generator.slugs import MAX_SLUG, assign_slugs


def test_slugs_are_ascii_lowercase_and_short():
    slugs = assign_slugs(
        [("k", "Fréchet Cumulative Covariance Net for Deep Nonlinear Sufficient Dimension Reduction " * 2)]
    )
    slug = slugs["k"]
    assert slug.isascii() and slug == slug.lower() and len(slug) <= MAX_SLUG
    assert not slug.endswith("-") and slug.startswith("frechet-cumulative")


def test_collisions_get_deterministic_suffixes_and_first_keeps_plain_slug():
    items = [("c++ for x", "C++ for X"), ("c# for x", "C# for X"), ("c for x", "C for X")]
    slugs = assign_slugs(items)
    assert slugs["c++ for x"] == "c-for-x"
    assert len(set(slugs.values())) == 3
    assert assign_slugs(items) == slugs
    assert all(len(s) <= MAX_SLUG for s in slugs.values())


def test_adding_or_removing_an_unrelated_paper_changes_no_slug():
    base = [("a", "Alpha Paper"), ("b", "Beta Paper"), ("c++ for x", "C++ for X"), ("c for x", "C for X")]
    before = assign_slugs(base)
    after = assign_slugs([("z", "Zeta Paper"), *base[:1], *base[2:]])
    for key in ("a", "c++ for x", "c for x"):
        assert after[key] == before[key]


def test_symbol_only_title_gets_a_stable_fallback():
    slugs = assign_slugs([("???", "???"), ("!!!", "!!!")])
    assert slugs["???"].startswith("paper-") and slugs["!!!"].startswith("paper-")
    assert slugs["???"] != slugs["!!!"]
    assert assign_slugs([("???", "???")])["???"] == slugs["???"]


def test_long_colliding_titles_stay_within_limit():
    title = "word " * 40
    slugs = assign_slugs([("one", title), ("two", title + "!")])
    assert len(set(slugs.values())) == 2
    assert all(len(s) <= MAX_SLUG for s in slugs.values())


def test_base_slugs_made_already_are_taken_and_give_the_same_slugs():
    from generator.slugs import base_slug, resolve_slugs

    items = [("c++ for x", "C++ for X"), ("c for x", "C for X"), ("a", "Alpha Paper"), ("???", "???")]
    bases = {title: base_slug(title) for _, title in items}
    assert assign_slugs(items, bases=bases) == assign_slugs(items)
    assert assign_slugs([("a", "Alpha Paper")], bases={"Alpha Paper": "given"}) == {"a": "given"}  # (taken)
    papers = [(key, title, title.lower(), ("fp",)) for key, title in items]
    assert resolve_slugs(papers, {}, bases) == resolve_slugs(papers, {})
