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
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import attrs

from ..models.receipts import Receipt, ReceiptStatus
from .polling import poll_every

if TYPE_CHECKING:
    from .receipts import ReceiptsResource

__all__ = ["ReceiptEvent", "watch_closed_receipts"]

# Receipts closed this long before the previous poll's latest closing are re-read, in case
# near-simultaneous closings are listed out of order.
_OVERLAP = timedelta(seconds=60)


@attrs.frozen
class ReceiptEvent:
    """A receipt that became closed since the previous poll (``receipt.closed_at`` says when)."""

    receipt: Receipt
    kind: str = "closed"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


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
    since = (_utc_now() - window).date()

    async def poll() -> list[Receipt]:
        nonlocal since
        since = (_utc_now() - window).date()
        return await _closed_since(receipts, since=since, latest=latest, limit=limit)

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


async def _closed_since(
    receipts: ReceiptsResource, *, since: date, latest: datetime | None, limit: int
) -> list[Receipt]:
    """Closed receipts, latest closing first, as far back as the previous poll reached."""
    stop_before = latest - _OVERLAP if latest is not None else None
    found: list[Receipt] = []
    listing = receipts.list(status=ReceiptStatus.CLOSED, date_from=since, sort="-closed_at",
                            limit=limit)
    async with contextlib.aclosing(listing.pages()) as pages:
        async for page in pages:
            for receipt in page.items:
                if (stop_before is not None and receipt.closed_at is not None
                        and receipt.closed_at < stop_before):
                    return found
                found.append(receipt)
    return found
