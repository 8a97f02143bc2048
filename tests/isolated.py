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

from tests.sitebuild import ROOT


@cache
def tags_alone() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="readinglist-tags-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "tags.yml"
    shutil.copy(ROOT / "corpus" / "tags.yml", target)
    return target
