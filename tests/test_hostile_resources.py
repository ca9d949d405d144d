"""The resources of release 0.2.0 against a hostile server (the orders' standard, REFERENCE §5).

Each case is a small aiohttp.web app on loopback (`tests/hostile.py`) answering one operation
of one resource, on each API version that has it, with what a broken or careless server sends:
HTML, truncated or deeply nested JSON, an oversized body, ``data`` of the wrong shape, one item
with an unfit field or an unknown enum value, Laravel's ``[]``/``{}``, epoch or zero-date
timestamps, absurd page counts. Every case asserts the exact outcome: the typed exception, or
the tolerated value (the item through, its unfit part None and listed in ``page.degraded``).
A listing never loses or repeats a fit item.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from aiohttp import web

from clopos_async import (
    AsyncClopos,
    NewCustomer,
    NewReceipt,
    Page,
    ReceiptPayment,
    ResponseTooLargeError,
    ResponseValidationError,
    RetryPolicy,
)
from clopos_async.models.receipts import ReceiptStatus

from .hostile import serve

CAP = 256 * 1024
TOKEN = "tok-s3cr3t"
Call = Callable[[AsyncClopos], Awaitable[Any]]


@attrs.frozen
class Op:
    """One operation of a new resource: how to call it and the request that answers it."""

    name: str
    kind: str  # "listing" (a Page), "array" (a plain list), "get" or "write"
    method: str
    path: str  # below the version prefix
    call: Call
    versions: tuple[str, ...] = ("v1", "v2")


def _payments() -> list[ReceiptPayment]:
    return [ReceiptPayment(id=1, name="Cash", amount=Decimal(5))]


LISTINGS = [
    Op("products", "listing", "GET", "products", lambda c: c.products.list_page()),
    Op("categories", "listing", "GET", "categories", lambda c: c.categories.list_page()),
    Op("stations", "listing", "GET", "stations", lambda c: c.stations.list_page()),
    Op("venues", "listing", "GET", "venues", lambda c: c.venues.list_page()),
    Op("users", "listing", "GET", "users", lambda c: c.users.list_page()),
    Op("payment_methods", "listing", "GET", "payment-methods",
       lambda c: c.payment_methods.list_page()),
    Op("customer_groups", "listing", "GET", "customer-groups",
       lambda c: c.customer_groups.list_page()),
    Op("price_lists", "listing", "GET", "price-lists", lambda c: c.price_lists.list_page(),
       versions=("v2",)),
    Op("prices", "listing", "GET", "price-lists/prices",
       lambda c: c.price_lists.prices_page(), versions=("v2",)),
    Op("receipts", "listing", "GET", "receipts", lambda c: c.receipts.list_page()),
    Op("customers", "listing", "GET", "customers", lambda c: c.customers.list_page()),
]  # fmt: skip
ARRAYS = [
    Op("stop_list", "array", "GET", "products/stop-list", lambda c: c.products.stop_list()),
    Op("stock_operations", "array", "GET", "receipts/7/stock-operations",
       lambda c: c.receipts.stock_operations(7), versions=("v2",)),
]  # fmt: skip
GETS = [
    Op("products", "get", "GET", "products/7", lambda c: c.products.get(7)),
    Op("categories", "get", "GET", "categories/7", lambda c: c.categories.get(7)),
    Op("stations", "get", "GET", "stations/7", lambda c: c.stations.get(7)),
    Op("users", "get", "GET", "users/7", lambda c: c.users.get(7)),
    Op("receipts", "get", "GET", "receipts/7", lambda c: c.receipts.get(7)),
    Op("receipts_by_cid", "get", "GET", "receipts/cid/c-7",
       lambda c: c.receipts.get_by_cid("c-7"), versions=("v2",)),
    Op("customers", "get", "GET", "customers/7", lambda c: c.customers.get(7)),
]  # fmt: skip
WRITES = [
    Op("receipts.update", "write", "PATCH", "receipts/7",
       lambda c: c.receipts.update(7, lock=True)),
    Op("receipts.close", "write", "POST", "receipts/7/close",
       lambda c: c.receipts.close(7, payment_methods=_payments()), versions=("v2",)),
    Op("receipts.close", "write", "PUT", "receipts/7",
       lambda c: c.receipts.close(7, payment_methods=_payments()), versions=("v1",)),
    Op("receipts.create", "write", "POST", "receipts",
       lambda c: c.receipts.create(NewReceipt(user_id=1, payment_methods=_payments())),
       versions=("v1",)),
    Op("customers.create", "write", "POST", "customers",
       lambda c: c.customers.create(NewCustomer(name="Rahid"))),
]  # fmt: skip
TYPED = [*GETS, *WRITES]  # answer one object


def each(ops: list[Op]) -> list[Any]:
    """``(op, version)`` parameters, one per version that has the operation."""
    return [pytest.param(op, version, id=f"{op.kind}-{op.name}-{version}")
            for op in ops for version in op.versions]


def prefix(version: str) -> str:
    return "/open-api/v2/" if version == "v2" else "/open-api/"


Answer = Callable[[web.Request], web.StreamResponse]


def body(value: object) -> Answer:
    return lambda request: web.Response(text=json.dumps(value), content_type="application/json")


def raw(data: bytes, content_type: str = "application/json") -> Answer:
    return lambda request: web.Response(body=data, content_type=content_type)


# What answers the requests the operation under test makes besides its own: a write's read
# of the receipt (v1 close reads its cid; a reconciled close reads it back: still open) and
# a reconciled create's search (found nothing).
_OPEN_RECEIPT = {"id": 7, "cid": "c-7", "status": 1, "payment_methods": []}


def _other(request: web.Request) -> web.StreamResponse:
    if request.method == "GET" and request.path.rstrip("/").endswith("/receipts/7"):
        return web.json_response({"success": True, "data": _OPEN_RECEIPT})
    return web.json_response({"success": True, "data": [], "total": 0})


class Hostile:
    """The app: ``answer`` for the operation's own request, `_other` for the rest."""

    def __init__(self, op: Op, version: str, answer: Answer) -> None:
        self.own = (op.method, prefix(version) + op.path)
        self.answer = answer
        self.seen: list[tuple[str, str]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.method, request.path))
        if (request.method, request.path) == self.own:
            return self.answer(request)
        return _other(request)


@asynccontextmanager
async def hostile(op: Op, version: str, answer: Answer) -> AsyncIterator[AsyncClopos]:
    app = Hostile(op, version, answer)
    async with serve(app.handle) as url, AsyncClopos(
        token=TOKEN, base_url=url, api_version=version, brand="demo", venue_id=1,
        max_response_bytes=CAP, retry=RetryPolicy.never(),
    ) as clopos:
        yield clopos
    assert (op.method, app.own[1]) in app.seen  # the answer under test was really given


async def outcome(op: Op, version: str, answer: Answer) -> Any:
    async with hostile(op, version, answer) as clopos:
        return await op.call(clopos)


async def refused(op: Op, version: str, answer: Answer,
                  error: type[Exception]) -> Exception:
    """The typed exception the answer is met with (never a bare Python error)."""
    with pytest.raises(error) as caught:
        await outcome(op, version, answer)
    assert type(caught.value) is error, repr(caught.value)
    assert TOKEN not in str(caught.value) + repr(caught.value)
    return caught.value


# -- bodies that are not a usable answer at all: every operation, every kind ---------------

EVERY = [*LISTINGS, *ARRAYS, *TYPED]
_HTML = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
_DEEP = b'{"success": true, "data": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"  # no json takes it


@pytest.mark.parametrize(("op", "version"), each(EVERY))
@pytest.mark.parametrize(("case", "answer", "says"), [
    ("html", raw(_HTML, "text/html"), "not valid JSON"),
    ("truncated", raw(b'{"success": true, "data": [{"id": 1, "na'), "not valid JSON"),
    ("deep", raw(_DEEP), "nested too deeply"),
])  # fmt: skip
async def test_a_body_that_is_not_json_is_a_validation_error(
    op: Op, version: str, case: str, answer: Answer, says: str
) -> None:
    error = await refused(op, version, answer, ResponseValidationError)
    assert says in str(error) and error.status_code == 200  # type: ignore[attr-defined]
    if case == "html":
        assert error.body == _HTML.decode()  # type: ignore[attr-defined]  # nothing lost


@pytest.mark.parametrize(("op", "version"), each(EVERY))
async def test_an_oversized_body_is_refused_at_the_cap(op: Op, version: str) -> None:
    error = await refused(op, version, raw(b" " * (2 * CAP)), ResponseTooLargeError)
    assert error.limit == CAP  # type: ignore[attr-defined]


# -- data of the wrong shape ---------------------------------------------------------------


@pytest.mark.parametrize(("op", "version"), each([*LISTINGS, *ARRAYS]))
@pytest.mark.parametrize(("data", "got"), [
    (None, "NoneType"), ({"id": 1}, "dict"), ("x", "str"), (5, "int"),
])  # fmt: skip
async def test_a_listing_whose_data_is_not_a_list_is_a_validation_error(
    op: Op, version: str, data: object, got: str
) -> None:
    # Not read as an empty page: a listing would end there, silently short of its records.
    error = await refused(op, version, body({"success": True, "data": data}),
                          ResponseValidationError)
    assert f"expected a JSON array, got {got}" in str(error)


@pytest.mark.parametrize(("op", "version"), each(LISTINGS))
async def test_an_empty_list_is_an_empty_page(op: Op, version: str) -> None:
    page = await outcome(op, version, body({"success": True, "data": []}))
    assert isinstance(page, Page) and page.items == [] and page.degraded == ()
    assert not page.has_next


@pytest.mark.parametrize(("op", "version"), each(ARRAYS))
async def test_an_empty_list_is_an_empty_answer(op: Op, version: str) -> None:
    assert await outcome(op, version, body({"success": True, "data": []})) == []


@pytest.mark.parametrize(("op", "version"), each(TYPED))
@pytest.mark.parametrize(("data", "got"), [
    ([], "list"),  # Laravel's empty object: nothing to type, not even an id
    (None, "NoneType"),
    ([{"id": 7}], "list"),
    ("x", "str"),
])  # fmt: skip
async def test_an_answer_whose_data_is_not_an_object_is_a_validation_error(
    op: Op, version: str, data: object, got: str
) -> None:
    error = await refused(op, version, body({"success": True, "data": data}),
                          ResponseValidationError)
    assert f"expected a JSON object, got {got}" in str(error)


@pytest.mark.parametrize(("op", "version"), each(TYPED))
async def test_an_object_without_its_id_is_a_validation_error(op: Op, version: str) -> None:
    error = await refused(op, version, body({"success": True, "data": {"name": "x"}}),
                          ResponseValidationError)
    assert ".id: required field is missing" in str(error)


# -- one item that does not fit, an unknown field, an unknown enum value -------------------

# Per model: (JSON key, a value that does not fit, attribute, degraded?). A number field
# given a string degrades the item (the field None, the item in page.degraded), except a
# Decimal, which reads an unparseable string as absent (serde's rule, as orderTotal).
UNFIT: dict[str, tuple[str, object, str, bool]] = {
    "products": ("position", "third", "position", True),
    "categories": ("depth", "deep", "depth", True),
    "stations": ("type", "kitchen", "type", True),
    "venues": ("is_main", "sometimes", "is_main", True),
    "users": ("status", "active", "status", True),
    "payment_methods": ("position", "first", "position", True),
    "customer_groups": ("discount_value", "ten", "discount_value", False),
    "price_lists": ("status", "on", "status", True),
    "prices": ("price", "free", "price", False),
    "receipts": ("venue_id", "main", "venue_id", True),
    "receipts_by_cid": ("guests", "two", "guests", True),
    "customers": ("group_id", "vip", "group_id", True),
    "stop_list": ("limit", "few", "limit", False),
    "stock_operations": ("quantity", "lots", "quantity", False),
}
_FITS = {"zzz_field_from_the_future": {"nested": [1, 2]}}  # unknown fields are ignored


def items_with_one_unfit(op: Op) -> list[dict[str, object]]:
    key, bad, _, _ = UNFIT[op.name]
    return [{"id": 1, **_FITS}, {"id": 2, key: bad}, {"id": 3}]


@pytest.mark.parametrize(("op", "version"), each(LISTINGS))
async def test_one_unfit_item_never_costs_the_page(op: Op, version: str) -> None:
    _, _, attribute, degrades = UNFIT[op.name]
    sent = items_with_one_unfit(op)
    page = await outcome(op, version, body({"success": True, "data": sent, "total": 3}))
    assert [item.id for item in page.items] == [1, 2, 3] and page.raw_items == sent
    assert getattr(page.items[1], attribute) is None
    if degrades:
        assert [(note.index, note.id) for note in page.degraded] == [(1, 2)]
        assert page.degraded[0].problems[0].startswith(f"{UNFIT[op.name][0]}: expected")
    else:
        assert page.degraded == ()


@pytest.mark.parametrize(("op", "version"), each(ARRAYS))
async def test_one_unfit_entry_never_costs_the_others(op: Op, version: str) -> None:
    _, _, attribute, _ = UNFIT[op.name]
    entries = await outcome(op, version, body({"success": True,
                                               "data": items_with_one_unfit(op)}))
    key = "product_id" if op.name == "stop_list" else "id"
    assert [getattr(e, key) for e in entries] == [1, 2, 3]
    assert getattr(entries[1], attribute) is None


@pytest.mark.parametrize(("op", "version"), each(GETS))
async def test_a_get_of_an_unfit_object_raises_or_reads_it_absent(op: Op, version: str) -> None:
    key, bad, attribute, degrades = UNFIT[op.name]
    answer = body({"success": True, "data": {"id": 7, key: bad, **_FITS}})
    if degrades:  # one object: no page to note it in, so the shape error is the answer
        error = await refused(op, version, answer, ResponseValidationError)
        assert f".{key}: expected" in str(error)
    else:
        assert getattr(await outcome(op, version, answer), attribute) is None


def _listing(name: str) -> Op:
    return next(op for op in LISTINGS if op.name == name)


def _get(name: str) -> Op:
    return next(op for op in GETS if op.name == name)


# (operation, field, value sent, value read): unknown values are kept as sent, never rejected.
UNKNOWN_ENUMS = [
    ("products", "type", "ROBOT", "ROBOT"),
    ("categories", "type", "SEASONAL", "SEASONAL"),
    ("receipts", "status", 7, 7),
    ("customers", "gender", 9, 9),
]


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize(("name", "key", "sent", "read"), UNKNOWN_ENUMS)
async def test_unknown_enum_values_are_kept(
    name: str, key: str, sent: object, read: object, version: str
) -> None:
    data = [{"id": 1, key: sent}]
    page = await outcome(_listing(name), version, body({"success": True, "data": data}))
    got = await outcome(_get(name), version, body({"success": True, "data": data[0]}))
    assert getattr(page.items[0], key) == read == getattr(got, key) and page.degraded == ()
    assert type(getattr(got, key)) is type(read)  # 7 is an int, not a ReceiptStatus


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_known_enum_values_become_members(version: str) -> None:
    receipt = await outcome(_get("receipts"), version,
                            body({"success": True, "data": {"id": 7, "status": "2"}}))
    customer = await outcome(_get("customers"), version,
                             body({"success": True, "data": {"id": 7, "gender": 2.0}}))
    assert receipt.status is ReceiptStatus.CLOSED and receipt.is_closed
    assert int(customer.gender) == 2 and type(customer.gender).__name__ == "Gender"


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_a_gender_that_is_not_a_number_degrades_the_customer(version: str) -> None:
    page = await outcome(_listing("customers"), version, body(
        {"success": True, "data": [{"id": 1, "gender": "female"}, {"id": 2, "gender": 1}]}))
    assert [c.gender for c in page.items] == [None, 1]
    assert [(d.index, d.problems) for d in page.degraded] == [
        (0, ("gender: expected an integer, got 'female'",))]


# -- Laravel's shapes: [] and {} where the other belongs -----------------------------------


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize(("children", "read", "problem"), [
    ([], (), None),
    (None, (), None),
    ({}, (), "children: expected a JSON array, got {}"),  # a list field stays a tuple
    ("x", (), "children: expected a JSON array, got 'x'"),
])  # fmt: skip
async def test_a_category_tree_with_odd_children(
    version: str, children: object, read: object, problem: str | None
) -> None:
    tree = [{"id": 1, "children": [{"id": 2, "children": children}]},
            {"id": 3, "children": children}]  # fmt: skip
    page = await outcome(_listing("categories"), version, body({"success": True, "data": tree}))
    root, other = page.items
    assert [c.id for c in root.walk()] == [1, 2] and other.id == 3
    assert root.children[0].children == read and other.children == read
    if problem is None:
        assert page.degraded == ()
    else:  # the outer category degrades, its fit subtree kept; the path names the nesting
        assert [(d.index, d.problems) for d in page.degraded] == [
            (0, (f"children[0].{problem}",)), (1, (problem,))]


async def test_a_category_tree_deeper_than_the_stack_is_a_validation_error() -> None:
    # Deep enough for the stack, shallow enough for the decoder's own limit to let it pass.
    depth = 5_000
    tree = '{"id": 1, "children": [' * depth + '{"id": 0}' + "]}" * depth
    sent = f'{{"success": true, "data": {tree}}}'.encode()
    with pytest.raises(ResponseValidationError, match="nested too deeply"):
        await outcome(_get("categories"), "v2", raw(sent))


@pytest.mark.parametrize("version", ["v2"])
async def test_a_price_list_whose_prices_is_an_object(version: str) -> None:
    data = [{"id": 1, "prices": {}}, {"id": 2, "prices": [{"id": 9, "price": "1.50"}]}]
    page = await outcome(_listing("price_lists"), version, body({"success": True, "data": data}))
    assert page.items[0].prices == () and page.items[1].prices[0].price == Decimal("1.50")
    assert [(d.index, d.problems) for d in page.degraded] == [
        (0, ("prices: expected a JSON array, got {}",))]


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_a_receipt_whose_lines_are_an_object(version: str) -> None:
    data = [{"id": 1, "receipt_products": {}, "total": "9.50", "status": 2},
            {"id": 2, "receipt_products": [{"id": 5, "count": 2}]}]  # fmt: skip
    page = await outcome(_listing("receipts"), version, body({"success": True, "data": data}))
    first, second = page.items
    assert first.receipt_products == () and first.total == Decimal("9.50") and first.is_closed
    assert second.receipt_products[0].count == 2
    assert [(d.index, d.problems) for d in page.degraded] == [
        (0, ("receipt_products: expected a JSON array, got {}",))]
    with pytest.raises(ResponseValidationError, match=r"Receipt\.receipt_products"):
        await outcome(_get("receipts"), version, body({"success": True, "data": data[0]}))


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_a_customer_whose_balance_is_an_empty_array(version: str) -> None:
    data = {"id": 7, "balance": [], "cashback_balance": [], "group": [],
            "name": "Rahid"}  # fmt: skip
    page = await outcome(_listing("customers"), version, body({"success": True, "data": [data]}))
    got = await outcome(_get("customers"), version, body({"success": True, "data": data}))
    for customer in (page.items[0], got):
        assert (customer.balance, customer.cashback_balance, customer.group) == (None,) * 3
        assert customer.name == "Rahid"
    assert page.degraded == ()


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_a_customer_whose_balance_is_not_an_object(version: str) -> None:
    data = [{"id": 1, "balance": "12.5"}, {"id": 2, "balance": {"amount": "12.5"}}]
    page = await outcome(_listing("customers"), version, body({"success": True, "data": data}))
    assert page.items[0].balance is None and page.items[1].balance.amount == Decimal("12.5")
    assert [(d.index, d.problems) for d in page.degraded] == [
        (0, ("balance: expected a JSON object, got str",))]


# -- timestamps ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_stop_list_timestamps_in_every_form(version: str) -> None:
    stamps = [1_717_171_717_000, "2026-01-02T03:04:05Z", "2026-01-02 03:04:05",
              "0000-00-00 00:00:00", "garbage", 10**30, {"at": 1}]  # fmt: skip
    data = [{"id": i, "limit": 0, "timestamp": stamp} for i, stamp in enumerate(stamps, 1)]
    entries = await outcome(ARRAYS[0], version, body({"success": True, "data": data}))
    assert [e.product_id for e in entries] == list(range(1, 8))
    assert all(e.unavailable for e in entries)
    assert [e.timestamp for e in entries] == [
        datetime(2024, 5, 31, 16, 8, 37, tzinfo=timezone.utc),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),  # zone-less is UTC (§5.35)
        None, None, None, None,
    ]


# -- integers beyond what a float holds ----------------------------------------------------


@pytest.mark.parametrize(("op", "version"), each(LISTINGS))
async def test_huge_ids_are_never_merged_into_one(op: Op, version: str) -> None:
    # orjson (the speed extra) reads an integer beyond 64 bits as a float: 10**29 + 1 and
    # 10**29 + 2 would both be 99999999999999991433150857216, and the paginator would drop
    # the second as a repeat. Exact (standard library) or degraded (orjson): never merged.
    huge = 10**29
    first = f'{{"success": true, "data": [{{"id": {huge + 1}}}, {{"id": {huge + 2}}}, ' \
            f'{{"id": 3}}]}}'.encode()  # fmt: skip

    def answer(request: web.Request) -> web.StreamResponse:
        if request.query["page"] == "1":
            return raw(first)(request)
        return body({"success": True, "data": []})(request)

    async with hostile(op, version, answer) as clopos:
        items = [item async for item in _list_all(op, clopos)]
    ids = [item.id for item in items]
    assert len(ids) == 3 and ids[2] == 3
    assert ids[:2] in ([huge + 1, huge + 2], [None, None])


# -- absurd page counts --------------------------------------------------------------------

ITEMS = 7
LIMIT = 3


def _list_all(op: Op, clopos: AsyncClopos, concurrency: int = 1) -> Any:
    if op.name == "prices":
        return clopos.price_lists.prices(limit=LIMIT, concurrency=concurrency)
    return getattr(clopos, op.name).list(limit=LIMIT, concurrency=concurrency)


def paged(counts: dict[str, object], version: str) -> Answer:
    """A server that pages honestly but reports ``counts`` (v1: in ``pagination``)."""

    def answer(request: web.Request) -> web.StreamResponse:
        number, limit = int(request.query["page"]), int(request.query["limit"])
        items = [{"id": i} for i in range(1, ITEMS + 1)][(number - 1) * limit:number * limit]
        envelope: dict[str, object] = {"success": True, "data": items}
        pagination = dict(counts)
        if version == "v2":  # v2 says its total at the top level (REFERENCE §2.5)
            envelope["total"] = pagination.pop("total")
        if pagination:
            envelope["pagination"] = {"page": number, **pagination}
        return web.Response(text=json.dumps(envelope), content_type="application/json")

    return answer


ABSURD = [
    {"total": -5}, {"total": 0}, {"total": "many"}, {"total": 10**30}, {"total": "²"},
    {"total": "9" * 5000}, {"total": True}, {"total": 7.0},
    {"total": ITEMS, "last_page": -1}, {"total": ITEMS, "last_page": 0},
    {"total": ITEMS, "last_page": "x"}, {"total": ITEMS, "last_page": 10**30},
    {"total": ITEMS, "total_pages": 1},
    {"total": ITEMS, "per_page": 0}, {"total": ITEMS, "per_page": -3},
    {"total": ITEMS, "per_page": 10**30}, {"total": ITEMS, "per_page": "x"},
]


@pytest.mark.parametrize(("op", "version"), each(LISTINGS))
@pytest.mark.parametrize("counts", ABSURD, ids=lambda c: json.dumps(c)[:40])
@pytest.mark.parametrize("concurrency", [1, 3])
async def test_absurd_page_counts_never_lose_or_repeat_an_item(
    op: Op, version: str, counts: dict[str, object], concurrency: int
) -> None:
    async with hostile(op, version, paged(counts, version)) as clopos:
        items = await _list_all(op, clopos, concurrency).collect()
    assert [item.id for item in items] == list(range(1, ITEMS + 1))
