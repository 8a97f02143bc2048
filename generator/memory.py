"""The C allocator told to keep the memory a run frees, for the length of the run (glibc's `mallopt`).

A cold run at 50,000 papers touches about 3 GB and frees much of it on the way:
export files of 100-160 MB made and dropped, pages encoded, workers' results
unpickled. By default glibc gives every block over 32 MB (and, above a moving
threshold, much smaller ones) its own `mmap`, returned to the kernel when freed,
and trims the heap's free top: the next allocation faults fresh pages in again,
one by one. On the 2-core machine of `bench/` such a run took 3.0 million page
faults and 22.5 s of system time; with this setting 1.8 million and 13.5 s
(bench/ANALYSIS.md). Within `kept_memory()` blocks come from the heap and
freed ones stay there for reuse; on the way out the settings go back to glibc's
defaults and the free memory is handed back (`malloc_trim`), so a long-lived
`readinglist serve` does not keep its peak.

Elsewhere (another C library, no `mallopt`) this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator

M_TRIM_THRESHOLD = -1  # <malloc.h>
M_MMAP_MAX = -4
DEFAULT_TRIM_THRESHOLD = 128 * 1024  # glibc's defaults, restored after the run
DEFAULT_MMAP_MAX = 65536
KEEP_ALL = 2**31 - 1  # a trim threshold no run reaches


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
        if not (hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") and hasattr(libc, "gnu_get_libc_version")):
            return None
    except (OSError, AttributeError):
        return None
    return libc


@contextlib.contextmanager
def kept_memory() -> Iterator[bool]:
    """Within the block, freed memory stays with the process (no mmap per big block, no trimming); yields
    whether the allocator took the setting."""
    libc = _glibc()
    if libc is None or libc.mallopt(M_MMAP_MAX, 0) != 1:
        yield False
        return
    libc.mallopt(M_TRIM_THRESHOLD, KEEP_ALL)
    try:
        yield True
    finally:
        libc.mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX)
        libc.mallopt(M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD)
        libc.malloc_trim(0)
