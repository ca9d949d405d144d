"""A scoped, restored relaxation of CPython's cyclic garbage collector for bulk collecting.

Why: while ``collect()`` piles up thousands of typed orders, every young-generation
collection (by default one per 700 tracked allocations on 3.10-3.12, 2,000 on 3.13) walks the
new objects, and every older one rescans what the list already holds: measured at two thirds
of the client's CPU for 20,000 orders on 3.11. Raising the first generation's threshold for
the duration of the bulk call makes collections rarer without turning the collector off, so
real reference cycles are still freed.

Rules, because the collector belongs to the whole interpreter, not to this library:

- The caller's thresholds come back when the last scope ends (a reference count, so nested
  and concurrently running scopes, e.g. two ``collect()`` calls under ``asyncio.gather``,
  relax once and restore once, whichever ends first).
- If someone changes the thresholds while a scope is open, their setting wins: the scope
  does not restore over it.
- A threshold already higher than ours, or a disabled collector, is left alone.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BULK_GEN0_THRESHOLD", "relaxed_gc"]

# Measured (benchmarks/README.md): 10,000 gives nearly all of the win of pausing the
# collector; 100,000 was no better (bigger young generations cost more per pass).
BULK_GEN0_THRESHOLD = 10_000

_lock = threading.Lock()  # scopes may open from several threads' event loops
_open_scopes = 0
_saved: tuple[int, int, int] | None = None  # the caller's thresholds, while we changed them
_ours: tuple[int, int, int] | None = None  # what we set, to notice someone else's change


@contextmanager
def relaxed_gc(enabled: bool = True) -> Iterator[None]:
    """Raise the collector's first threshold to `BULK_GEN0_THRESHOLD` inside the block.

    ``enabled=False`` makes it a no-op (the switch users get as ``relax_gc=False``).
    """
    if not enabled:
        yield
        return
    _enter()
    try:
        yield
    finally:
        _exit()


def _enter() -> None:
    global _open_scopes, _saved, _ours
    with _lock:
        _open_scopes += 1
        if _open_scopes > 1:
            return
        current = gc.get_threshold()
        # A threshold of 0 means the collector is disabled; a higher one is someone's choice.
        if current[0] == 0 or current[0] >= BULK_GEN0_THRESHOLD:
            return
        _saved = current
        _ours = (BULK_GEN0_THRESHOLD, current[1], current[2])
        gc.set_threshold(*_ours)


def _exit() -> None:
    global _open_scopes, _saved, _ours
    with _lock:
        _open_scopes -= 1
        if _open_scopes > 0 or _saved is None:
            return
        if gc.get_threshold() == _ours:  # otherwise someone set their own: keep theirs
            gc.set_threshold(*_saved)
        _saved = _ours = None
