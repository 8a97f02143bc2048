"""readinglist: raw paper listings -> deduplicated corpus -> MkDocs Material site."""

from __future__ import annotations

__version__ = "0.1.0"
