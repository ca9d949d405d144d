"""Polling for receipts that became closed (REFERENCE §4.13: "closed receipts" is the planned
webhook event; until then, poll). The loop and its failure policy are `polling.poll_every`.

Each poll lists closed receipts created within the window, most recently closed first, and
reads only as far back as the previous poll's latest ``closed_at`` (less a margin). A receipt
is reported once: its id is remembered while it is inside the window, then forgotten, so
memory is bounded by the receipts of the window.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from ..models.receipts import Receipt, ReceiptStatus
from .polling import newest_first_since, poll_every, utc_now

if TYPE_CHECKING:
    from .receipts import ReceiptsResource

__all__ = ["ReceiptEvent", "watch_closed_receipts"]



@attrs.frozen
class ReceiptEvent:
    """A receipt that became closed since the previous poll (``receipt.closed_at`` says when)."""

    receipt: Receipt
    kind: str = "closed"


async def watch_closed_receipts(
    receipts: ReceiptsResource,
    *,
    interval: float,
    window: timedelta,
    include_existing: bool,
    limit: int,
) -> AsyncGenerator[ReceiptEvent, None]:
    """The generator behind ``clopos.receipts.watch()``; see there."""
    seen: dict[int | str, date | None] = {}  # id -> the day it was created
    latest: datetime | None = None
    first = True
    since = (utc_now() - window).date()

    async def poll() -> list[Receipt]:
        nonlocal since
        since = (utc_now() - window).date()
        listing = receipts.list(status=ReceiptStatus.CLOSED, date_from=since, sort="-closed_at",
                                limit=limit)
        return await newest_first_since(listing, lambda receipt: receipt.closed_at, latest)

    async with contextlib.aclosing(poll_every(interval, poll, what="receipt watch")) as polls:
        async for closed in polls:
            for receipt in closed:
                if receipt.closed_at is not None and (latest is None
                                                      or receipt.closed_at > latest):
                    latest = receipt.closed_at
                if receipt.id in seen:
                    continue
                seen[receipt.id] = receipt.created_at.date() if receipt.created_at else None
                if first and not include_existing:
                    continue
                yield ReceiptEvent(receipt)
            first = False
            for receipt_id in [key for key, day in seen.items() if day is not None and day < since]:
                del seen[receipt_id]
