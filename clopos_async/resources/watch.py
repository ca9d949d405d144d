"""Polling for order changes (the API has no webhooks: REFERENCE §3.10, §4.13).

Each poll lists orders newest-update first within a date window and reads only as far as
the changes go: orders whose ``updated_at`` is older than the last poll's newest one (less a
safety margin) end the poll. What changed since the last poll becomes one event each.
Memory is bounded by the orders inside the date window: older ones are forgotten.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import attrs

from ..models.enums import OrderStatus
from ..models.orders import Order
from .polling import newest_first_since, poll_every, utc_now

if TYPE_CHECKING:
    from .orders import OrdersResource

__all__ = ["OrderEvent", "watch_orders"]

EventKind = Literal["created", "status_changed"]


@attrs.frozen
class OrderEvent:
    """A new order, or an order whose status changed since the previous poll."""

    kind: EventKind
    order: Order
    previous_status: OrderStatus | str | None = None


@attrs.define
class _Seen:
    status: OrderStatus | str | None
    created_at: datetime | None


async def watch_orders(
    orders: OrdersResource,
    *,
    status: str | OrderStatus | None,
    interval: float,
    window: timedelta,
    include_existing: bool,
    limit: int,
) -> AsyncGenerator[OrderEvent, None]:
    """The generator behind ``clopos.orders.watch()``; see there."""
    seen: dict[int | str, _Seen] = {}
    newest: datetime | None = None
    first = True
    since = (utc_now() - window).date()

    async def poll() -> list[Order]:
        nonlocal since
        # Whole UTC days, as the API's date filter has them: what the server stops listing
        # is exactly what we forget.
        since = (utc_now() - window).date()
        listing = orders.list(status=status, date_from=since, sort="-updated_at", limit=limit)
        return await newest_first_since(listing, lambda order: order.updated_at, newest)

    async with contextlib.aclosing(poll_every(interval, poll, what="order watch")) as polls:
        async for changes in polls:
            for order in changes:
                if order.updated_at is not None and (newest is None or order.updated_at > newest):
                    newest = order.updated_at
                known = seen.get(order.id)
                seen[order.id] = _Seen(order.status, order.created_at)
                if first and not include_existing:
                    continue
                if known is None:
                    yield OrderEvent("created", order)
                elif known.status != order.status:
                    yield OrderEvent("status_changed", order, previous_status=known.status)
            first = False
            _forget_older_than(seen, since)


def _forget_older_than(seen: dict[int | str, _Seen], since: date) -> None:
    for order_id in [key for key, value in seen.items()
                     if value.created_at is not None and value.created_at.date() < since]:
        del seen[order_id]
