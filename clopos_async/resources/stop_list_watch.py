"""Polling the stop list for changes (the API has no webhooks: REFERENCE §4.5, §4.13).

Each poll reads the whole stop list (it is one unpaginated answer) and compares it with the
previous one: a product that joined it, changed its limit or left it is one change each.
Memory holds exactly one snapshot, so it is bounded by the stop list itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping

from ..models.stop_list import StopListChange, StopListEntry
from .polling import poll_every

__all__ = ["diff_stop_lists", "watch_stop_list"]

Snapshot = Mapping[int | str, StopListEntry]


def diff_stop_lists(before: Snapshot, after: Snapshot) -> list[StopListChange]:
    """The changes from one stop list to the next, in the new list's order, then those that
    left it. A new ``timestamp`` with the same ``limit`` is no change: the stock did not move.

    >>> old = {1: StopListEntry(product_id=1, limit=0)}
    >>> [c.kind for c in diff_stop_lists(old, {2: StopListEntry(product_id=2, limit=3)})]
    ['limited', 'available']
    """
    changes: list[StopListChange] = []
    for product_id, entry in after.items():
        previous = before.get(product_id)
        if previous is None:
            changes.append(StopListChange(kind="limited", product_id=product_id, entry=entry))
        elif previous.limit != entry.limit:
            changes.append(StopListChange(kind="limit_changed", product_id=product_id,
                                          entry=entry, previous=previous))
    changes += [StopListChange(kind="available", product_id=product_id, previous=previous)
                for product_id, previous in before.items() if product_id not in after]
    return changes


async def watch_stop_list(
    fetch: Callable[[], Awaitable[list[StopListEntry]]],
    *,
    interval: float,
    include_existing: bool,
) -> AsyncGenerator[StopListChange, None]:
    """The generator behind ``clopos.products.watch_stop_list()``; see there."""
    known: Snapshot = {}
    first = True
    async with contextlib.aclosing(poll_every(interval, fetch, what="stop list watch")) as polls:
        async for entries in polls:
            current = {entry.product_id: entry for entry in entries}
            if include_existing or not first:  # the first poll only takes stock
                for change in diff_stop_lists(known, current):
                    yield change
            known, first = current, False
