"""Related papers on a small fixture: topic decides, listing does not; deterministic ties."""

from __future__ import annotations

import random

from generator import parallel, related
from generator.related import paper_text, related_papers

# Three topics; the "listing" each paper came from is deliberately mixed: it must play no part.
PAPERS = {
    "diffusion-inpainting": (
        "Diffusion models for image inpainting",
        "We train a denoising diffusion model that fills masked image regions with a score-based sampler.",
    ),
    "diffusion-guidance": (
        "Classifier guidance for diffusion models",
        "Guidance steers the denoising diffusion sampler towards a class using the gradient of a classifier.",
    ),
    "diffusion-fast-sampling": (
        "Fast sampling of diffusion models",
        "Fewer denoising steps for the diffusion sampler with a distilled score network.",
    ),
    "graph-contrastive": (
        "Contrastive learning on heterogeneous graphs",
        "Graph contrastive learning with meta-paths builds node embeddings from positive and negative samples.",
    ),
    "graph-embeddings": (
        "Fast node embeddings for large graphs",
        "Random projection gives node embeddings of a graph with millions of edges.",
    ),
    "adam-convergence": (
        "On the convergence of Adam",
        "Adam can diverge; a variant with a maximum of past squared gradients converges in convex optimization.",
    ),
    "rmsprop-convergence": (
        "Convergence of RMSProp and Adam under affine noise",
        "We prove convergence of adaptive optimizers such as RMSProp and Adam for non-convex optimization.",
    ),
}
LISTING = {  # same listing, different topics
    "listing-1": ["diffusion-inpainting", "graph-contrastive", "adam-convergence"],
    "listing-2": ["diffusion-guidance", "graph-embeddings", "rmsprop-convergence", "diffusion-fast-sampling"],
}


def docs() -> list[tuple[str, str]]:
    return [(slug, paper_text(title, abstract)) for slug, (title, abstract) in PAPERS.items()]


def test_related_papers_share_a_topic_not_a_listing():
    related = related_papers(docs())
    assert set(related["diffusion-inpainting"][:2]) == {"diffusion-guidance", "diffusion-fast-sampling"}
    assert related["graph-contrastive"][0] == "graph-embeddings"
    assert related["adam-convergence"][0] == "rmsprop-convergence"
    for slug, found in related.items():
        assert slug not in found
        assert len(found) <= 5
    # Papers of listing-1 have nothing in common but the listing: none lists another.
    for slug in LISTING["listing-1"]:
        assert not set(related[slug]) & (set(LISTING["listing-1"]) - {slug})


def test_unrelated_paper_gets_no_related_papers():
    extra = docs() + [("volcano", "Lava flows of Etna\nLava flows of Etna\nBasalt eruptions measured by seismometers.")]
    assert related_papers(extra)["volcano"] == ()


def test_at_most_top_and_best_first():
    related = related_papers(docs(), top=2)
    assert all(len(v) <= 2 for v in related.values())
    assert related["diffusion-fast-sampling"][0] in {"diffusion-inpainting", "diffusion-guidance"}


def test_ties_are_broken_by_slug_whatever_the_input_order():
    same = "Twin papers about sparse attention\nSparse attention for long sequences."
    items = [("twin-c", same), ("twin-a", same), ("twin-b", same), *docs()]
    first = related_papers(items)
    assert first["twin-c"][:2] == ("twin-a", "twin-b")
    assert first["twin-b"][:2] == ("twin-a", "twin-c")
    assert related_papers(list(reversed(items))) == first


def test_degenerate_inputs():
    assert related_papers([]) == {}
    assert related_papers([("only", "One paper")]) == {"only": ()}
    assert related_papers([("a", "the of and"), ("b", "the of and")]) == {"a": (), "b": ()}


def test_pair_products_split_over_workers_give_the_same_lists(monkeypatch):
    rng = random.Random(5)
    words = [f"w{n}x" for n in range(400)]
    many = [(f"p{i:03d}", " ".join(rng.choices(words[(i % 8) * 50 : (i % 8) * 50 + 80], k=60))) for i in range(240)]
    alone = related_papers(many)
    split: list[int] = []
    run_all = parallel.run_all

    def counted(tasks, workers, *args):
        split.append(len(tasks))
        return run_all(tasks, workers, *args)

    monkeypatch.setattr(related, "PARALLEL_PAIRS", 1)
    monkeypatch.setattr(parallel, "run_all", counted)
    assert related_papers(many, workers=3) == alone
    assert split == [3]
    assert sum(len(found) for found in alone.values()) > 600
