"""Fault-and-hostility soak (issue 8, "Done when"): 5,000 orders through one server that mixes
the documented faults, `[]` where objects are documented, a few untypeable orders, absurd
rate-limit headers and one oversized body, all at once.

Every order must come through exactly once, the untypeable ones flagged on their pages (and
only those), and every failure must be one of the SDK's typed errors (the oversized body:
`ResponseTooLargeError`, after which the listing resumes where it stopped). Peak memory stays
bounded: the oversized body is streamed far past what the bound allows, so reading it whole
would fail the test. Bounded in time: retries do not sleep and the slow fault is short.
"""

from __future__ import annotations

import random
import resource
import sys
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from clopos_async import Page, ResponseTooLargeError, RetryPolicy
from clopos_async.models.orders import Order
from clopos_async.testing import FakeClopos, FaultPlan

from .conftest import client_for
from .test_degraded_orders import spoiled_ids
from .test_hostile_server import Recorder, streaming

ORDERS = 5000
LIMIT = 100
CAP = 1024 * 1024  # a page of 100 orders is far smaller
OVERSIZED = 256 * CAP  # streamed, never held whole by the server
RSS_BOUND = 160 * 1024 * 1024  # generous for 5,000 orders held twice, well under OVERSIZED
ABSURD = ["9999999999", "inf", "-inf", "nan", "1e400", "3599", "-5", "soon", "9" * 400]


def absurd_rate_limit_headers(seed: int) -> Any:
    """Put nonsense rate-limit headers on a third of the answers."""
    rng = random.Random(seed)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if rng.random() < 0.33 and not response.prepared:
            response.headers.update({
                "RateLimit-Limit": rng.choice(ABSURD),
                "RateLimit-Remaining": rng.choice([*ABSURD, "0"]),
                "RateLimit-Reset": rng.choice(ABSURD),
            })
        return response

    return middleware


class OversizedOnce:
    """Stream a 256 MiB body (no Content-Length) for ``page`` until the client has raised once.

    (Until, not the first time: an injected fault may replace that answer, and the client
    retries such faults, so the oversized body does reach it on a later attempt.)
    """

    def __init__(self, page: str) -> None:
        self.page = page
        self.client_raised = False
        self._stream = streaming(Recorder(), OVERSIZED)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.client_raised and request.query.get("page") == self.page:
            return await self._stream(request)  # type: ignore[no-any-return]
        return await handler(request)


def peak_rss_bytes() -> int:
    """This process's peak resident set so far (a high-water mark, so no timing involved)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def has_empty_array_object(raw: dict[str, Any]) -> bool:
    """Whether the order carries Laravel's `[]` for one of its documented objects."""
    payload = raw.get("payload")
    if not isinstance(payload, dict):
        return False
    meta = payload.get("meta")
    products = payload.get("products")
    line = products[0] if isinstance(products, list) and products else {}
    product = ((line.get("meta") or {}).get("order_product") or {}).get("product")
    return [] in (meta, payload.get("customer"), product) or (
        isinstance(meta, dict) and meta.get("discount") == []
    )


async def test_soak_every_order_exactly_once_through_faults_and_hostility() -> None:
    rss_before = peak_rss_bytes()
    plan = FaultPlan.mixed(0.3, seed=20, slow_seconds=0.02, max_consecutive=2)
    oversized_page = OversizedOnce(page="13")
    middlewares = [absurd_rate_limit_headers(seed=21), oversized_page.middleware]
    async with FakeClopos(orders=ORDERS, unstructurable=0.004, faults=plan,
                          middlewares=middlewares) as fake:
        spoiled = spoiled_ids(fake)
        async with client_for(fake, retry=RetryPolicy(max_retries=10, total_timeout=300),
                              max_response_bytes=CAP) as clopos:
            pages: list[Page[Order]] = []
            start, oversized = 1, 0
            while True:
                listing = clopos.orders.list(limit=LIMIT, concurrency=4, sort="id",
                                             start_page=start)
                try:
                    async for page in listing.pages():
                        pages.append(page)
                        start = page.page + 1
                    break
                except ResponseTooLargeError as exc:
                    # Typed, never retried; any other exception fails the test.
                    oversized += 1
                    oversized_page.client_raised = True
                    assert len(exc.prefix) <= ResponseTooLargeError.PREFIX_BYTES
        faults = sum(fake.counters.faults_by_kind.values())
    peak_growth = peak_rss_bytes() - rss_before
    print(f"soak: peak RSS grew by {peak_growth / 2**20:.1f} MiB")  # for the note

    assert oversized == 1
    assert faults > 5  # the faults really happened (about 16 expected over ~55 requests)
    ids = [order.id for page in pages for order in page.items]
    assert ids == list(range(1, ORDERS + 1))  # each exactly once, in order
    # Degraded: flagged on their pages, exactly the orders the server spoiled.
    assert len(spoiled) > 10
    notes = [(page, note) for page in pages for note in page.degraded]
    assert sorted(note.id for _, note in notes) == sorted(spoiled)  # type: ignore[type-var]
    for page, note in notes:
        assert page.items[note.index].id == note.id == page.raw_items[note.index]["id"]
    # `[]` for an object is "absent", not damage: those orders come through unflagged.
    raws = [raw for page in pages for raw in page.raw_items]
    assert len(raws) == ORDERS
    laravel = {raw["id"] for raw in raws if has_empty_array_object(raw)}
    assert len(laravel - spoiled) > 500
    assert 0 <= peak_growth < RSS_BOUND
