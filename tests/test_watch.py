"""`clopos.orders.watch()` against FakeClopos while orders are created and change status."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from clopos_async import (
    AsyncClopos,
    AuthenticationError,
    NewOrder,
    NewOrderCustomer,
    NewOrderProduct,
    OrderEvent,
    OrderStatus,
    RetryPolicy,
)
from clopos_async.testing import FakeClopos, FaultPlan

from .background_watch import BackgroundWatch, polls_done, watching
from .conftest import client_for


def a_new_order(comment: str) -> NewOrder:
    return NewOrder(sale_type_id=2, venue_id=1, comment=comment,
                    sale_type_name="Delivery", venue_name="Main",
                    customer=NewOrderCustomer(id=7, name="Watcher"),
                    products=[NewOrderProduct(product_id=1, product_name="Tea", count=1,
                                              price=Decimal("1.5"))])


def watch_orders(clopos: AsyncClopos, **options: Any) -> AsyncIterator[OrderEvent]:
    return clopos.orders.watch(interval=0.02, **options)


async def test_new_orders_and_status_changes_each_yield_one_event(api_version: str) -> None:
    async with FakeClopos(orders=10, api_version=api_version) as fake:
        async with client_for(fake) as clopos, watching(watch_orders(clopos)) as watch:
            await polls_done(fake, 2)  # the first poll has taken stock
            created = [await clopos.orders.create(a_new_order(f"w{n}")) for n in range(3)]
            await watch.until(3)
            await clopos.orders.ignore(created[0].id)
            fake.set_status(created[1].id, "RECEIVED")
            await watch.until(5)
            await polls_done(fake, 4)  # more polls: nothing may be reported twice
            events = list(watch.seen)
    created_events = [e for e in events if e.kind == "created"]
    changes = [e for e in events if e.kind == "status_changed"]
    assert sorted(e.order.id for e in created_events) == sorted(o.id for o in created)
    assert sorted((e.order.id, e.order.status) for e in changes) == sorted(
        [(created[0].id, OrderStatus.IGNORE), (created[1].id, OrderStatus.RECEIVED)]
    )
    assert all(e.previous_status == OrderStatus.PENDING for e in changes)
    assert len(events) == 5


async def test_existing_orders_are_reported_when_asked() -> None:
    async with FakeClopos(orders=0) as fake, client_for(fake) as clopos:
        first = await clopos.orders.create(a_new_order("before"))
        async with watching(watch_orders(clopos, include_existing=True)) as watch:
            await watch.until(1)
            await polls_done(fake, 3)
            events = list(watch.seen)
    assert [(e.kind, e.order.id) for e in events] == [("created", first.id)]


async def test_the_watch_survives_transient_failures() -> None:
    async with FakeClopos(orders=0) as fake:
        async with client_for(fake, retry=RetryPolicy(max_retries=1)) as clopos:
            async with watching(watch_orders(clopos)) as watch:
                await polls_done(fake, 2)
                fake.faults = FaultPlan(rate_503=1.0, seed=1)
                await polls_done(fake, 4)  # whole polls fail, retries included
                fake.faults = None
                order = await clopos.orders.create(a_new_order("after the outage"))
                await watch.until(1)
    assert [(e.kind, e.order.id) for e in watch.seen] == [("created", order.id)]


async def test_authentication_failure_ends_the_watch() -> None:
    async with FakeClopos(orders=0) as fake:
        async with AsyncClopos(token=fake.issue_token(), base_url=fake.url) as clopos:
            watch = BackgroundWatch(watch_orders(clopos))
            await polls_done(fake, 1)
            fake.expire_tokens()
            with pytest.raises(AuthenticationError):
                await watch.until(1)
            await watch.stop()


def test_bad_watch_arguments_raise_at_once() -> None:
    clopos = AsyncClopos(token="t")
    with pytest.raises(ValueError, match="interval"):
        clopos.orders.watch(interval=0)
    with pytest.raises(ValueError, match="window"):
        clopos.orders.watch(window=timedelta(0))
    with pytest.raises(ValueError, match="status"):
        clopos.orders.watch(status="SHIPPED")
