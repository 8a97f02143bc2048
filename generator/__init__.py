"""readinglist: raw paper listings -> deduplicated corpus -> MkDocs Material site."""

from __future__ import annotations

__version__ = "0.1.0"

import os as _os

# The pipeline spreads its own work over the cores (generator/parallel.py); BLAS threads on top of
# that fight over the same cores: one 10,000 x 60 QR took 40x longer with two threads on a busy
# 2-core machine. Set before numpy is first imported; an explicit setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")
