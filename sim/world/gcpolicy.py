"""Garbage collection while the clock runs.

Why: a long run accumulates long-lived objects (trace records, layers, images) and CPython
rescans all of them at every full collection, which happens each time they grow by a
quarter: on a 1,000-host fleet that rescanning cost as much as the simulation itself. While
the clock runs, full collections are deferred; young collections still reclaim the short-lived
cycles (generators, events) and the first full collection after the run reclaims the rest.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

DEFERRED = 1_000_000  # young-generation collections between two full ones, while running
_depth = 0


@contextlib.contextmanager
def deferred_full_gc() -> Iterator[None]:
    """Defer full (generation 2) collections inside the block; nests."""
    global _depth
    before = gc.get_threshold()
    if _depth == 0:
        gc.set_threshold(before[0], before[1], max(before[2], DEFERRED))
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.set_threshold(*before)
