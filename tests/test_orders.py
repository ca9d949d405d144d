"""`clopos.orders` end to end against FakeClopos over loopback, on both API versions."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from clopos_async import (
    AsyncClopos,
    BadRequestError,
    NewOrder,
    NewOrderCustomer,
    NewOrderModifier,
    NewOrderProduct,
    NotFoundError,
    Order,
    OrderReceipt,
    OrderStatus,
)
from clopos_async.testing import FakeClopos

from .conftest import RequestLog, client_for


def new_order(**overrides: Any) -> NewOrder:
    fields: dict[str, Any] = {
        "sale_type_id": 2,
        "venue_id": 1,
        "customer": NewOrderCustomer(id=9, name="Rahid Akhundzada", phone="+994705401040"),
        "products": [
            NewOrderProduct(
                product_id=101, product_name="Pizza", count=2, price=Decimal("8.5"),
                modifiers=[NewOrderModifier(modifier_id=501, modifier_name="Extra Cheese",
                                            price=Decimal("0.5"))],
            )
        ],
        "comment": "Leave at the door",
        "sale_type_name": "Delivery",
        "venue_name": "Main",
    }
    fields.update(overrides)
    return NewOrder(**fields)


# -- listing ------------------------------------------------------------------------------


async def test_list_page_fields(clopos: AsyncClopos, fake: FakeClopos) -> None:
    page = await clopos.orders.list_page(page=1, limit=50)
    assert page.page == 1 and page.limit == 50
    assert page.total == len(fake.orders) == 120
    assert page.total_pages == 3 and page.has_next
    assert len(page.items) == 50 and all(isinstance(o, Order) for o in page.items)
    last = await clopos.orders.list_page(page=3, limit=50)
    assert len(last.items) == 20 and not last.has_next


async def test_list_every_order_exactly_once(clopos: AsyncClopos, fake: FakeClopos) -> None:
    orders = await clopos.orders.list(limit=7).collect()
    assert sorted(str(o.id) for o in orders) == sorted(str(o["id"]) for o in fake.orders_list())
    assert len({str(o.id) for o in orders}) == len(orders) == 120


@pytest.mark.parametrize("concurrency", [2, 8])
async def test_concurrent_listing_matches_sequential(
    clopos: AsyncClopos, concurrency: int
) -> None:
    sequential = [o.id for o in await clopos.orders.list(limit=9).collect()]
    concurrent = [o.id for o in await clopos.orders.list(limit=9,
                                                         concurrency=concurrency).collect()]
    assert concurrent == sequential and len(concurrent) == 120


async def test_pages_and_max_items(clopos: AsyncClopos, fake: FakeClopos) -> None:
    pages = [p async for p in clopos.orders.list(limit=25).pages()]
    assert [len(p.items) for p in pages] == [25, 25, 25, 25, 20]
    assert len(await clopos.orders.list(limit=10, max_items=33).collect()) == 33
    requests_before = fake.counters.requests
    await clopos.orders.list(limit=10, max_items=5).collect()
    assert fake.counters.requests - requests_before == 1


async def test_status_filter_case_insensitive(clopos: AsyncClopos, fake: FakeClopos) -> None:
    status = "pending" if fake.api_version == "v2" else "PENDING"
    orders = await clopos.orders.list(status=status, limit=100).collect()
    assert orders and all(o.status == OrderStatus.PENDING for o in orders)
    assert len(orders) == sum(1 for o in fake.orders_list() if o["status"] == "PENDING")


async def test_enum_status_filter(clopos: AsyncClopos, fake: FakeClopos) -> None:
    status = OrderStatus.IGNORE if fake.api_version == "v2" else OrderStatus.CANCELLED
    orders = await clopos.orders.list(status=status, limit=100).collect()
    assert orders and all(o.status == OrderStatus.IGNORE for o in orders)


async def test_sort_date_and_filters(clopos: AsyncClopos, fake: FakeClopos) -> None:
    ascending = await clopos.orders.list(sort="id", limit=100).collect()
    assert [o.id for o in ascending] == sorted(o.id for o in ascending)
    descending = await clopos.orders.list(sort="-id", limit=100).collect()
    assert [o.id for o in descending] == list(reversed([o.id for o in ascending]))

    some_day = ascending[len(ascending) // 2].created_at
    assert some_day is not None
    day = some_day.astimezone(timezone.utc).date()
    same_day = await clopos.orders.list(date_from=day, date_to=day.isoformat()).collect()
    assert same_day and all(
        o.created_at is not None and o.created_at.date() == day for o in same_day
    )

    by_sale_type = await clopos.orders.list(filters={"sale_type_id": 2}).collect()
    assert by_sale_type and all(
        o.payload is not None and o.payload.service is not None
        and o.payload.service.sale_type_id == 2 for o in by_sale_type
    )
    two = [ascending[0].id, ascending[1].id]
    in_list = await clopos.orders.list(filters=[("id", two)]).collect()
    assert sorted(o.id for o in in_list) == sorted(two)


async def test_with_customer_relation_is_sent(
    clopos: AsyncClopos, request_log: RequestLog
) -> None:
    await clopos.orders.list_page(with_=["customer"], limit=5)
    assert request_log.requests[-1].query.get("with[0]") == "customer"


# -- bad arguments never reach the server -------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"limit": 0}, ValueError, "limit"),
        ({"limit": 101}, ValueError, "limit"),
        ({"limit": "50"}, TypeError, "limit"),
        ({"page": 0}, ValueError, "page"),
        ({"status": "SHIPPED"}, ValueError, "status must be one of"),
        ({"sort": "-price"}, ValueError, "sort"),
        ({"sort": "created at"}, ValueError, "sort"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, ValueError, "date_from"),
        ({"date_from": "31.01.2026"}, ValueError, "date_from"),
        ({"filters": {"id": None}}, ValueError, "filters"),
        ({"with_": [""]}, ValueError, "with_"),
    ],
)
async def test_bad_list_arguments_raise_before_sending(
    clopos: AsyncClopos, fake: FakeClopos, kwargs: dict[str, Any], error: type[Exception],
    names: str,
) -> None:
    with pytest.raises(error, match=names):
        await clopos.orders.list_page(**kwargs)
    list_kwargs = {("start_page" if key == "page" else key): v for key, v in kwargs.items()}
    with pytest.raises(error, match=names):
        clopos.orders.list(**list_kwargs)
    assert fake.counters.requests == 0


async def test_status_error_names_the_versions_values(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    wrong = "DELIVERED" if fake.api_version == "v1" else "completed"
    with pytest.raises(ValueError) as caught:
        await clopos.orders.list_page(status=wrong)
    expected = ("pending, confirmed, completed, cancelled" if fake.api_version == "v1"
                else "PENDING, RECEIVED, IGNORE, DELIVERED")
    assert expected in str(caught.value)
    assert fake.counters.requests == 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_items": 0}, ValueError),
        ({"concurrency": 0}, ValueError),
        ({"start_page": 0}, ValueError),
        ({"concurrency": 2.5}, TypeError),
    ],
)
async def test_bad_paginator_arguments(
    clopos: AsyncClopos, fake: FakeClopos, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error, match=next(iter(kwargs))):
        clopos.orders.list(**kwargs)
    assert fake.counters.requests == 0


async def test_bad_ids_and_bodies_raise_before_sending(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    with pytest.raises(TypeError, match="order_id"):
        await clopos.orders.get(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="order_id"):
        await clopos.orders.ignore("  ")
    with pytest.raises(TypeError, match="order"):
        await clopos.orders.create(["not", "an", "order"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="idempotency_key"):
        await clopos.orders.create(new_order(), idempotency_key="")
    assert fake.counters.requests == 0


async def test_v1_create_requires_names(fake: FakeClopos) -> None:
    async with client_for(fake) as clopos:
        incomplete = new_order(sale_type_name=None)
        if fake.api_version == "v1":
            with pytest.raises(ValueError, match="sale_type_name"):
                await clopos.orders.create(incomplete)
            assert fake.counters.requests == 0
        else:
            created = await clopos.orders.create(incomplete)
            assert created.status == OrderStatus.PENDING


# -- get ----------------------------------------------------------------------------------


async def test_get_matches_the_listing(clopos: AsyncClopos) -> None:
    listed = (await clopos.orders.list_page(limit=3)).items[1]
    fetched = await clopos.orders.get(listed.id)
    assert fetched == listed


async def test_get_with_receipt(clopos: AsyncClopos, fake: FakeClopos) -> None:
    with_receipt = next(o for o in fake.orders_list() if o.get("receipt"))
    without = next(o for o in fake.orders_list() if not o.get("receipt"))
    order = await clopos.orders.get(with_receipt["id"], with_receipt=True)
    assert isinstance(order.receipt, OrderReceipt)
    assert order.receipt.service_notification_id == with_receipt["id"]
    assert (await clopos.orders.get(without["id"], with_receipt=True)).receipt is None


async def test_get_sends_the_documented_receipt_selector(
    clopos: AsyncClopos, request_log: RequestLog
) -> None:
    await clopos.orders.get(1, with_receipt=True)
    assert request_log.requests[-1].rel_url.raw_query_string == (
        "with%5B0%5D=receipt%3Aid%2Cservice_notification_id%2Cstatus"
    )


async def test_get_unknown_order_is_not_found(clopos: AsyncClopos) -> None:
    with pytest.raises(NotFoundError) as caught:
        await clopos.orders.get(999_999)
    assert caught.value.status_code == 404
    assert caught.value.error_code in {"resource_not_found", "NotFoundHttpException"}


# -- create and ignore --------------------------------------------------------------------


async def test_create_typed_order(clopos: AsyncClopos, fake: FakeClopos) -> None:
    created = await clopos.orders.create(new_order())
    assert created.status == OrderStatus.PENDING
    assert fake.counters.orders_created == 1
    stored = await clopos.orders.get(created.id)
    assert stored.payload is not None and stored.payload.customer is not None
    assert stored.payload.customer.name == "Rahid Akhundzada"
    line = stored.payload.products[0]
    assert line.product_id == 101 and line.count == 2
    assert line.meta is not None and line.meta.price == Decimal("8.5")


async def test_create_from_a_plain_dict_is_sent_unchanged(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    body = new_order().to_v2_body() if fake.api_version == "v2" else new_order().to_v1_body()
    created = await clopos.orders.create(body)
    assert created.status == OrderStatus.PENDING
    assert fake.counters.orders_created == 1


async def test_create_sends_an_idempotency_key(
    clopos: AsyncClopos, request_log: RequestLog, fake: FakeClopos
) -> None:
    await clopos.orders.create(new_order())
    await clopos.orders.create(new_order(), idempotency_key="pos-1024")
    keys = [r.headers.get("Idempotency-Key") for r in request_log.requests
            if r.method == "POST" and not r.path.endswith("/auth")]
    assert len(keys) == 2 and keys[0] and keys[1] == "pos-1024" and keys[0] != keys[1]
    # Replaying the same key and body yields the same order, not a duplicate.
    again = await clopos.orders.create(new_order(), idempotency_key="pos-1024")
    assert fake.counters.orders_created == 2
    assert fake.counters.duplicates_prevented == 1
    assert again.status == OrderStatus.PENDING


async def test_create_response_shape_b(api_version: str) -> None:
    async with FakeClopos(orders=0, api_version=api_version, create_response_shape="B") as fake:
        clopos = client_for(fake)
        async with clopos:
            created = await clopos.orders.create(new_order())
        assert created.id == fake.orders_list()[-1]["id"]


async def test_ignore(clopos: AsyncClopos, fake: FakeClopos) -> None:
    pending = next(o for o in fake.orders_list() if o["status"] == "PENDING")
    ignored = await clopos.orders.ignore(pending["id"])
    assert ignored.id == pending["id"] and ignored.status == OrderStatus.IGNORE
    assert (await clopos.orders.get(pending["id"])).status == OrderStatus.IGNORE


async def test_ignore_unknown_order(clopos: AsyncClopos) -> None:
    with pytest.raises(NotFoundError):
        await clopos.orders.ignore(424242)


async def test_server_side_validation_error(clopos: AsyncClopos) -> None:
    with pytest.raises(BadRequestError) as caught:
        await clopos.orders.create({"sale_type_id": 2})
    assert caught.value.status_code == 400 and caught.value.message


async def test_many_concurrent_gets(clopos: AsyncClopos, fake: FakeClopos) -> None:
    ids = [o["id"] for o in fake.orders_list()[:60]]
    orders = await asyncio.gather(*(clopos.orders.get(i) for i in ids))
    assert [o.id for o in orders] == ids


async def test_timestamps_are_aware_utc(clopos: AsyncClopos) -> None:
    for order in await clopos.orders.list(limit=100).collect():
        assert isinstance(order.created_at, datetime)
        assert order.created_at.utcoffset() is not None
        assert order.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
        assert order.created_at.date() >= date(2020, 1, 1)
