"""The embedded taxonomy, alone in a scratch folder, for tests that build other corpora.

Files next to corpus/tags.yml (such as overrides.yml) name papers of the
embedded corpus; built with a fixture corpus they would point at papers that do
not exist. A copy of tags.yml alone gives the same tags and nothing else.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from tests.sitebuild import EMBEDDED


@cache
def tags_alone() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="readinglist-tags-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "tags.yml"
    shutil.copy(EMBEDDED / "tags.yml", target)
    return target


def abstract(topic: str) -> str:
    """A plausible abstract (several sentences, over 300 characters) about `topic`."""
    return (
        f"We study {topic} in depth. Our method improves over strong baselines on three benchmarks. "
        f"Experiments show that {topic} scales to large inputs while staying cheap to train and to run. "
        "We release code, data and trained models so that others can reproduce every number in this paper. "
        "Limitations and future work are discussed at length."
    )
