"""Orders as the real API writes them, against FakeClopos: [] for objects (8.1), one bad order
never costing the others (8.2), and get() of the create-shaped body (8.3)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from clopos_async import (
    AsyncPaginator,
    DegradedItem,
    Order,
    Page,
    ResponseValidationError,
)
from clopos_async.export import make_writer
from clopos_async.serde import StructureError, structure, structure_created_order
from clopos_async.testing import FakeClopos, make_orders

from .background_watch import watching
from .conftest import client_for
from .test_cli import cli, env_for
from .test_watch import watch_orders


def spoiled_ids(fake: FakeClopos) -> set[Any]:
    """Ids of the stored orders the models cannot type (as the server shows them)."""
    spoiled = set()
    for order in fake.orders_list():
        shown = {key: value for key, value in order.items() if key != "receipt"}
        try:
            structure(shown, Order)
        except StructureError:
            spoiled.add(order["id"])
    return spoiled


# -- 8.1: [] where an object is documented --


async def test_laravel_empty_arrays_are_absent_objects(api_version: str) -> None:
    async with FakeClopos(orders=120, api_version=api_version) as fake:
        async with client_for(fake, strict=True) as clopos:
            pages = [page async for page in clopos.orders.list(limit=50, sort="id").pages()]
            empty_receipt = next(o["id"] for o in fake.orders_list() if o["receipt"] == [])
            with_receipt = await clopos.orders.get(empty_receipt, with_receipt=True)
    orders = [order for page in pages for order in page.items]
    assert [o.id for o in orders] == list(range(1, 121))
    assert all(page.degraded == () for page in pages)
    raw = {item["id"]: item for page in pages for item in page.raw_items}
    by_id = {order.id: order for order in orders}
    assert [i for i in raw if raw[i]["payload"]["meta"] == []] == [
        i for i in by_id if by_id[i].payload.meta is None  # type: ignore[union-attr]
    ] != []
    line = by_id[3].payload.products[0]  # type: ignore[union-attr]
    assert raw[3]["payload"]["products"][0]["meta"]["order_product"]["product"] == []
    assert line.meta.order_product.product is None  # type: ignore[union-attr]
    assert line.meta.order_product.count == line.count  # type: ignore[union-attr]
    assert raw[7]["payload"]["meta"]["discount"] == [] and by_id[7].payload.meta.discount is None  # type: ignore[union-attr]
    assert with_receipt.id == empty_receipt and with_receipt.receipt is None


# -- 8.2: one bad order never costs the others --


async def test_one_bad_order_never_costs_the_others(
    api_version: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeClopos(orders=300, api_version=api_version, unstructurable=0.1) as fake:
        spoiled = spoiled_ids(fake)
        async with client_for(fake) as clopos:
            with caplog.at_level(logging.WARNING, logger="clopos_async"):
                listing = clopos.orders.list(limit=40, concurrency=3)
                pages = [page async for page in listing.pages()]
    assert len(spoiled) >= 10
    ids = [order.id for page in pages for order in page.items]
    assert sorted(ids) == sorted(o["id"] for o in fake.orders_list())  # each exactly once
    degraded = [(page, note) for page in pages for note in page.degraded]
    assert {note.id for _, note in degraded} == spoiled
    for page, note in degraded:
        assert page.items[note.index].id == note.id == page.raw_items[note.index]["id"]
        assert len(note.problems) == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == len(spoiled)
    for (_, note), message in zip(degraded, warnings, strict=True):
        assert f"Order {note.id!r}" in message and note.problems[0] in message
    # What could be typed came through: a spoiled order keeps its status and payload.
    page, note = degraded[0]
    assert page.items[note.index].status is not None and page.items[note.index].payload


async def test_strict_restores_raising() -> None:
    async with FakeClopos(orders=60, unstructurable=0.1) as fake:
        async with client_for(fake, strict=True) as clopos:
            with pytest.raises(ResponseValidationError, match=r"Order\[\d+\]\."):
                await clopos.orders.list(limit=60).collect()
        with pytest.raises(TypeError, match="strict must be a bool"):
            client_for(fake, strict="yes")


async def test_list_page_reports_degraded_items_and_keeps_their_raw_json() -> None:
    orders = make_orders(5, seed=2)
    orders[1]["venue_id"] = "venue-1"
    orders[3]["payload"]["products"][0]["count"] = "two"
    async with FakeClopos(orders) as fake, client_for(fake) as clopos:
        page = await clopos.orders.list_page(limit=5, sort="id")
        again = await clopos.orders.list_page(limit=5, sort="id")
    assert isinstance(page, Page) and [o.id for o in page.items] == [1, 2, 3, 4, 5]
    assert [(d.index, d.id) for d in page.degraded] == [(1, 2), (3, 4)]
    assert page.items[1].venue_id is None and page.items[2].venue_id is not None
    for note in page.degraded:
        assert page.raw_items[note.index] == {
            k: v for k, v in orders[note.id - 1].items() if k != "receipt"  # type: ignore[operator]
        }
    assert again.degraded == page.degraded


async def test_watch_reports_degraded_orders_instead_of_failing_every_poll() -> None:
    now = datetime.now(timezone.utc)
    async with FakeClopos(orders=30, now=now, days=0.2, unstructurable=0.2) as fake:
        spoiled = spoiled_ids(fake)
        async with client_for(fake) as clopos, \
                watching(watch_orders(clopos, include_existing=True)) as watch:
            await watch.until(30)
    assert spoiled and sorted(e.order.id for e in watch.seen) == list(range(1, 31))
    assert {e.order.id for e in watch.seen if e.order.venue_id is None} <= spoiled


async def test_export_writes_degraded_orders_losslessly(tmp_path: Path) -> None:
    async with FakeClopos(orders=90, unstructurable=0.1) as fake:
        spoiled = spoiled_ids(fake)
        expected = {
            o["id"]: json.dumps({k: v for k, v in o.items() if k != "receipt"},
                                ensure_ascii=False, separators=(",", ":"))
            for o in fake.orders_list()
        }  # fmt: skip
        # In process, through the writer the CLI uses...
        stream = io.StringIO()
        writer = make_writer("jsonl", stream)
        async with client_for(fake) as clopos:
            async for page in clopos.orders.list(limit=25).pages():
                writer.write_page(page)
        # ...and through the CLI itself.
        out = tmp_path / "orders.jsonl"
        result = await cli("orders", "export", "--out", str(out), "--limit", "25",
                           env=env_for(fake))  # fmt: skip
    assert spoiled
    for text in (stream.getvalue(), out.read_text(encoding="utf-8")):
        lines = text.splitlines()
        assert sorted(lines) == sorted(expected.values())
    assert result.code == 0, result.err


# -- 8.3: get() of the create-shaped body --


def _answering(path_suffix: str, body: dict[str, Any]) -> Callable[..., object]:
    @web.middleware
    async def answer(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path.endswith(path_suffix) and request.method == "GET":
            return web.json_response(body)
        return await handler(request)

    return answer


async def test_get_of_the_create_shaped_body_decodes_like_create() -> None:
    # The documented OAS example of GET /v2/orders/{id}: the id only in payload.id.
    body = {"success": True, "data": {"status": "PENDING", "payload": {
        "id": 295, "venue_id": 1, "created_at": "2026-02-02T13:45:53.000000Z",
        "updated_at": "2026-02-02T13:45:53.000000Z", "sale_type_id": 2}}}  # fmt: skip
    async with FakeClopos(orders=3, middlewares=[_answering("/orders/295", body)]) as fake:
        async with client_for(fake) as clopos:
            order = await clopos.orders.get(295)
    assert order.id == 295 and order.venue_id == 1 and order.status == "PENDING"
    assert order.created_at == datetime(2026, 2, 2, 13, 45, 53, tzinfo=timezone.utc)
    assert order.payload is not None and order.payload.sale_type_id == 2
    assert order == structure_created_order(body["data"])  # exactly as create() reads it


# -- the paginator keeps degraded notes with their items --


async def test_degraded_notes_follow_their_items_when_repeats_are_dropped() -> None:
    # Page 2 repeats page 1's last order (an order created meanwhile pushed it over the
    # boundary); the repeat is dropped, so the degraded note must move from index 2 to 1.
    def page(number: int, ids: list[int], bad: int) -> Page[Order]:
        items = [Order(id=i) for i in ids]
        note = DegradedItem(index=ids.index(bad), id=bad, problems=("venue_id: ...",))
        return Page(items=items, page=number, limit=3, total=7,
                    raw_items=[{"id": i} for i in ids], degraded=(note,))  # fmt: skip

    pages = {1: page(1, [1, 2, 3], bad=2), 2: page(2, [3, 4, 5], bad=4),
             3: page(3, [6], bad=6)}  # fmt: skip

    async def fetch(number: int) -> Page[Order]:
        return pages[number]

    seen = [p async for p in AsyncPaginator(fetch, limit=3).pages()]
    assert [[o.id for o in p.items] for p in seen] == [[1, 2, 3], [4, 5], [6]]
    assert [[(d.index, d.id) for d in p.degraded] for p in seen] == [[(1, 2)], [(0, 4)], [(0, 6)]]
    assert all(p.raw_items[d.index]["id"] == d.id for p in seen for d in p.degraded)
