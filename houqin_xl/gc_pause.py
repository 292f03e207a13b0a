"""Python's cyclic garbage collector, paused for the length of one check.

A check builds millions of small lists and tuples (one per row read, one per column moved) and
keeps most of them until it ends. Each of those allocations counts towards the collector's next
pass, and each full pass walks every live container — so with the collector on, transposing a
100,000-row sheet took 4× as long as with it off (bench/PROFILE.md). The check makes no
reference cycles of its own worth collecting; whatever few pandas leaves are collected as soon
as the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
