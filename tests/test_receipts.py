"""clopos.receipts over loopback against FakeClopos, both versions: reads, writes, errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

from clopos_async import (
    AsyncClopos,
    BadRequestError,
    ConflictError,
    NewReceipt,
    NewReceiptProduct,
    NotFoundError,
    NotInVersionError,
    OutcomeUnknownError,
    Receipt,
    ReceiptPayment,
    ReceiptStatus,
    StockOperation,
)
from clopos_async.serde import structure, structure_list
from clopos_async.testing import FakeClopos, FaultPlan

from .conftest import client_for, refused_before_sending

CASH = [ReceiptPayment(id=1, name="Cash", amount=Decimal("17.00"))]


def open_receipt(fake: FakeClopos) -> Any:
    return next(r for r in fake.receipts.values() if r["status"] == 1)


# -- the documented examples (REFERENCE §4.1) decode --


def test_the_documented_close_answer_decodes() -> None:
    data = {"id": 10950, "closed_at": "2026-01-20 09:59:54",
            "payment_methods": [{"id": 2, "name": "Cash", "amount": 8140}]}
    receipt = structure(data, Receipt)
    assert receipt.id == 10950
    assert receipt.closed_at == datetime(2026, 1, 20, 9, 59, 54, tzinfo=timezone.utc)
    assert receipt.payment_methods == (ReceiptPayment(id=2, name="Cash", amount=Decimal(8140)),)


def test_a_v1_receipt_with_its_extras_decodes() -> None:
    data = {
        "id": 7, "cid": "3f1c0c5e-2b1a-4c1e-9d7e-0b2f1b1c2d3e", "status": 2, "lock": 0,
        "totalCost": 120.5, "total": 30000, "properties": {"daily_id": 4, "monthly_id": 90},
        "meta": {"preprint_count": 1, "terminal_updated_at": 1761202010781,
                 "availiableDeposit": 0, "check_close_event": {"checked": True, "fails": []}},
        "shift_date": "2026-01-20", "discount_type": 9,
        "receipt_products": [{"id": 1, "product_id": 51, "count": 2, "price": 8.5,
                              "is_gift": 0, "meta": {"product": {"name": "Pizza"}},
                              "receipt_product_modificators": []}],
    }
    receipt = structure(data, Receipt)
    assert receipt.is_closed and receipt.total == Decimal(30000)
    assert receipt.total_cost == Decimal("120.5") and receipt.lock is False
    assert receipt.properties is not None and receipt.properties.daily_id == 4
    assert receipt.discount_type == 9  # unknown kept
    assert receipt.receipt_products[0].is_gift is False


def test_an_unknown_receipt_status_is_kept() -> None:
    assert structure({"id": 1, "status": 5}, Receipt).status == 5
    assert structure({"id": 1, "status": "1"}, Receipt).status is ReceiptStatus.OPEN


def test_the_documented_stock_operation_decodes() -> None:
    item = {"id": 1, "receipt_id": 10950, "receipt_product_id": 3, "product_id": 51,
            "stock_id": 9, "storage_id": 1, "quantity": 2, "before_quantity": 10,
            "after_quantity": 8, "cost": 1.2, "before_cost": 1.2, "total_cost": 2.4,
            "operated_at": "2026-01-20 09:59:54", "product": {"id": 51, "name": "Pizza"},
            "stock": {"id": 9, "storage": {"id": 1, "name": "Main"}}}
    [operation] = structure_list([item], StockOperation)
    assert operation.after_quantity == Decimal(8) and operation.operated_at is not None


# -- reads --


async def test_every_seeded_receipt_lists_once_with_its_lines(fake: FakeClopos,
                                                              clopos: AsyncClopos) -> None:
    receipts = await clopos.receipts.list(with_=["receipt_products"], limit=7, sort="id",
                                          concurrency=4).collect()
    assert sorted(r.id for r in receipts) == sorted(fake.receipts)
    assert all(r.receipt_products for r in receipts)
    order_of = {o["receipt"]["id"]: o for o in fake.orders_list()
                if isinstance(o.get("receipt"), dict)}
    for receipt in receipts:  # consistent with the order it came from
        order = order_of[receipt.id]
        assert receipt.venue_id == order["venue_id"]
        products = {line["product_id"] for line in order["payload"]["products"]}
        assert {line.product_id for line in receipt.receipt_products} == products
        assert receipt.status == order["receipt"]["status"]


async def test_listing_filters_by_status_sale_type_and_date(fake: FakeClopos,
                                                            clopos: AsyncClopos) -> None:
    closed = await clopos.receipts.list(status=ReceiptStatus.CLOSED, sale_type_id=[1, 2],
                                        sort="-closed_at").collect()
    expected = {r["id"] for r in fake.receipts.values()
                if r["status"] == 2 and r["sale_type_id"] in (1, 2)}
    assert {r.id for r in closed} == expected and closed
    stamps = [r.closed_at for r in closed]
    assert stamps == sorted(stamps, reverse=True)  # type: ignore[type-var]
    day = min(r.created_at for r in closed if r.created_at).date()  # type: ignore[union-attr]
    that_day = await clopos.receipts.list(date_from=day, date_to=day).collect()
    assert that_day and all(r.created_at and r.created_at.date() == day for r in that_day)


async def test_get_embeds_relations_and_a_missing_receipt_is_not_found(
        fake: FakeClopos, clopos: AsyncClopos) -> None:
    some = next(iter(fake.receipts))
    receipt = await clopos.receipts.get(some, with_=["receipt_products.product.unit"])
    assert receipt.id == some and receipt.receipt_products
    assert not (await clopos.receipts.get(some)).receipt_products
    with pytest.raises(NotFoundError, match="Receipt not found"):
        await clopos.receipts.get(999_999)


async def test_v2_get_by_cid_and_stock_operations() -> None:
    async with FakeClopos(orders=80) as fake, client_for(fake) as clopos:
        stored = next(r for r in fake.receipts.values() if r["status"] == 2)
        assert (await clopos.receipts.get_by_cid(stored["cid"])).id == stored["id"]
        operations = await clopos.receipts.stock_operations(stored["id"])
        assert [op.receipt_product_id for op in operations] == [
            line["id"] for line in stored["receipt_products"]]
        assert await clopos.receipts.stock_operations(open_receipt(fake)["id"]) == []
        with pytest.raises(BadRequestError):
            await clopos.receipts.get_by_cid("not-a-uuid")


# -- writes and their documented errors --


async def test_update_sets_the_fields_given_on_open_and_closed_receipts(
        fake: FakeClopos, clopos: AsyncClopos) -> None:
    closed = next(r for r in fake.receipts.values() if r["status"] == 2)
    receipt = await clopos.receipts.update(closed["id"], order_status="ready",
                                           order_number="RPO-00001", lock=True)
    assert (receipt.order_status, receipt.order_number, receipt.lock) == (
        "READY", "RPO-00001", True)
    assert fake.receipts[closed["id"]]["fiscal_id"] is None  # not sent, not changed


async def test_close_closes_once_then_a_second_close_is_refused(
        fake: FakeClopos, clopos: AsyncClopos) -> None:
    target = open_receipt(fake)
    paid = [ReceiptPayment(id=2, name="Card", amount=Decimal(str(target["total"])))]
    closed = await clopos.receipts.close(target["id"], payment_methods=paid)
    assert closed.id == target["id"] and closed.payment_methods == tuple(paid)
    assert fake.receipts[target["id"]]["status"] == 2 and fake.counters.receipts_closed == 1
    with pytest.raises(BadRequestError, match="already closed"):
        await clopos.receipts.close(target["id"], payment_methods=CASH)
    assert fake.sales.closings[target["id"]] == 1


async def test_closed_at_before_created_at_is_the_documented_400(
        fake: FakeClopos, clopos: AsyncClopos) -> None:
    target = open_receipt(fake)
    with pytest.raises(BadRequestError, match="closed_at must be greater than created_at"):
        await clopos.receipts.close(target["id"], payment_methods=CASH,
                                    closed_at=datetime(2000, 1, 1, tzinfo=timezone.utc))
    assert fake.receipts[target["id"]]["status"] == 1


async def test_closed_at_is_sent_in_utc(fake: FakeClopos, clopos: AsyncClopos) -> None:
    target = open_receipt(fake)
    baku = timezone(timedelta(hours=4))
    await clopos.receipts.close(target["id"], payment_methods=CASH,
                                closed_at=datetime(2026, 12, 31, 13, 0, tzinfo=baku))
    assert fake.receipts[target["id"]]["closed_at"] == "2026-12-31 09:00:00"


async def test_v1_create_is_stored_closed_and_a_duplicate_cid_is_a_conflict() -> None:
    async with FakeClopos(orders=0, api_version="v1") as fake, client_for(fake) as clopos:
        new = NewReceipt(user_id=2, sale_type_id=1, payment_methods=CASH, receipt_products=[
            NewReceiptProduct(product_id=51, count=2, price=Decimal("8.5"))])
        receipt = await clopos.receipts.create(new)
        assert receipt.status is ReceiptStatus.CLOSED and receipt.cid == new.cid
        assert [line.product_id for line in receipt.receipt_products] == [51]
        with pytest.raises(ConflictError, match="cid already exists"):
            await clopos.receipts.create(new)  # a clean attempt: the caller's answer
        assert fake.counters.receipts_created == 1


async def test_v1_delete_rolls_back_the_stock_operations() -> None:
    async with FakeClopos(orders=80, api_version="v1") as fake, client_for(fake) as clopos:
        closed = next(r for r in fake.receipts.values() if r["status"] == 2)
        operations = list(fake.sales.stock_operations[closed["id"]])
        await clopos.receipts.delete(closed["id"])
        assert closed["id"] not in fake.receipts
        assert fake.sales.rolled_back[closed["id"]] == operations and operations
        with pytest.raises(NotFoundError):
            await clopos.receipts.get(closed["id"])


# -- ambiguous failures that reading cannot settle --


async def test_a_close_whose_read_back_fails_too_is_outcome_unknown() -> None:
    async with FakeClopos(orders=80) as fake, client_for(fake) as clopos:
        target = open_receipt(fake)
        fake.faults = FaultPlan(rate_500=1.0, seed=3)
        with pytest.raises(OutcomeUnknownError) as caught:
            await clopos.receipts.close(target["id"], payment_methods=CASH)
        assert caught.value.reconcile_with["receipt_id"] == target["id"]
        assert caught.value.reconcile_with["payment_methods"][0]["amount"] == Decimal("17.00")


async def test_a_receipt_closed_by_someone_else_meanwhile_is_outcome_unknown() -> None:
    fake: FakeClopos

    @web.middleware
    async def pos_closes_first(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.endswith("/close"):  # the POS closes it, then the gateway fails
            fake.close_receipt(int(request.match_info["receipt_id"]))
            return web.json_response({"success": False, "error": "server_error"}, status=500)
        return await handler(request)

    async with FakeClopos(orders=80, middlewares=[pos_closes_first]) as fake, \
            client_for(fake) as clopos:
        target = open_receipt(fake)
        with pytest.raises(OutcomeUnknownError, match="may or may not"):
            await clopos.receipts.close(target["id"], payment_methods=[
                ReceiptPayment(id=2, name="Card", amount=Decimal("1.00"))])
        assert fake.counters.route_counts["POST /open-api/v2/receipts/{receipt_id}/close"] == 1


# -- bad arguments raise before anything is sent --


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda c: c.receipts.list(status=3), ValueError,
     "status must be 1 (ReceiptStatus.OPEN) or 2 (ReceiptStatus.CLOSED), got 3"),
    (lambda c: c.receipts.list(limit=201), ValueError, "limit must be an int in 1..200"),
    (lambda c: c.receipts.list(with_=["customer"]), ValueError,
     "with_ must be one of receipt_products,"),
    (lambda c: c.receipts.list(sort="name"), ValueError, "sort must be one of id, created_at,"),
    (lambda c: c.receipts.list(sale_type_id=0), ValueError, "sale_type_id must be an int >= 1"),
    (lambda c: c.receipts.get(""), ValueError, "id must be a non-empty id"),
    (lambda c: c.receipts.get(1, with_=["lines"]), ValueError, "with_ must be one of"),
    (lambda c: c.receipts.update(1), ValueError,
     "update must be given at least one of order_status, order_number, fiscal_id, lock"),
    (lambda c: c.receipts.update(1, order_status="DONE"), ValueError,
     "order_status must be one of NEW, SCHEDULED,"),
    (lambda c: c.receipts.update(1, lock="yes"), TypeError, "lock must be a bool, got 'yes'"),
    (lambda c: c.receipts.close(1, payment_methods=[]), ValueError,
     "payment_methods must be at least one ReceiptPayment"),
    (lambda c: c.receipts.close(1, payment_methods=[ReceiptPayment(id=1, amount=Decimal(-1))]),
     ValueError, "payment_methods[0].amount must be a finite number >= 0"),
    (lambda c: c.receipts.close(1, payment_methods=CASH, closed_at="2026-01-01 10:00:00"),
     TypeError, "closed_at must be a datetime"),
    (lambda c: c.receipts.close(1, payment_methods=[{"id": 1, "amount": 3}]), TypeError,
     "payment_methods[0] must be a ReceiptPayment"),
    (lambda c: c.receipts.create({"cid": "x"}), TypeError, "receipt must be a NewReceipt"),
    (lambda c: c.receipts.watch(interval=0), ValueError,
     "interval must be a positive number of seconds, got 0"),
    (lambda c: c.receipts.watch(window=timedelta(0)), ValueError,
     "window must be a positive timedelta"),
])
async def test_bad_arguments_raise_before_any_request(
    fake: FakeClopos, clopos: AsyncClopos, call: Any, error: type[Exception], words: str
) -> None:
    await refused_before_sending(fake, lambda: call(clopos), error, words)


@pytest.mark.parametrize("build", [
    lambda: NewReceipt(user_id=1, payment_methods=[]),
    lambda: NewReceipt(user_id=0, payment_methods=CASH),
    lambda: NewReceipt(user_id=1, payment_methods=CASH, closed_at="2026-01-01"),
    lambda: NewReceipt(user_id=1, payment_methods=CASH,
                       created_at=datetime(2026, 1, 2, tzinfo=timezone.utc),
                       closed_at=datetime(2026, 1, 1, tzinfo=timezone.utc)),
    lambda: NewReceiptProduct(product_id=51, count=0, price=1),
    lambda: NewReceiptProduct(product_id=51, count=1, price=-1),
])
def test_new_receipts_are_checked_when_built(build: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        build()


async def test_operations_of_the_other_version_raise_before_sending() -> None:
    for version, calls in (
        ("v1", [lambda c: c.receipts.get_by_cid("3f1c0c5e-2b1a-4c1e-9d7e-0b2f1b1c2d3e"),
                lambda c: c.receipts.stock_operations(1)]),
        ("v2", [lambda c: c.receipts.create(NewReceipt(user_id=1, payment_methods=CASH)),
                lambda c: c.receipts.delete(1)]),
    ):
        async with FakeClopos(orders=0, api_version=version) as fake, \
                client_for(fake) as clopos:
            other = "v2" if version == "v1" else "v1"
            for call in calls:
                with pytest.raises(NotInVersionError, match=f"needs {other}"):
                    await call(clopos)
            assert fake.counters.requests == 0


