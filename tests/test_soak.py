"""Fault-and-hostility soak (issue 8, "Done when"): 5,000 orders through a server that mixes
the documented faults, absurd rate-limit headers and one oversized body.

Every order must come through exactly once, and every failure must be one of the SDK's typed
errors (the oversized body: `ResponseTooLargeError`, after which the listing resumes where it
stopped). Bounded in time: retries do not sleep and the slow fault is short.
"""

from __future__ import annotations

import random
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from clopos_async import ResponseTooLargeError, RetryPolicy
from clopos_async.testing import FakeClopos, FaultPlan

from .conftest import client_for

ORDERS = 5000
LIMIT = 100
CAP = 1024 * 1024  # a page of 100 orders is far smaller; the oversized body is 4 MiB
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
    """Answer ``page`` with a 4 MiB body until the client has raised for it once.

    (Until, not the first time: an injected fault may replace that answer, and the client
    retries such faults, so the oversized body does reach it on a later attempt.)
    """

    def __init__(self, page: str) -> None:
        self.page = page
        self.client_raised = False

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self.client_raised and request.query.get("page") == self.page:
            return web.Response(body=b'{"success": true, "data": [' + b" " * (4 * CAP) + b"]}",
                                content_type="application/json")
        return await handler(request)


async def test_soak_every_order_exactly_once_and_only_typed_errors() -> None:
    plan = FaultPlan.mixed(0.3, seed=20, slow_seconds=0.02, max_consecutive=2)
    oversized_page = OversizedOnce(page="13")
    middlewares = [absurd_rate_limit_headers(seed=21), oversized_page.middleware]
    async with FakeClopos(orders=ORDERS, faults=plan, middlewares=middlewares) as fake:
        async with client_for(fake, retry=RetryPolicy(max_retries=10, total_timeout=300),
                              max_response_bytes=CAP) as clopos:
            ids: list[int | str] = []
            start, oversized = 1, 0
            while True:
                listing = clopos.orders.list(limit=LIMIT, concurrency=4, sort="id",
                                             start_page=start)
                try:
                    async for page in listing.pages():
                        ids += [order.id for order in page.items]
                        start = page.page + 1
                    break
                except ResponseTooLargeError as exc:
                    oversized += 1  # typed, never retried; resume at the page that failed
                    oversized_page.client_raised = True
                    assert len(exc.prefix) <= ResponseTooLargeError.PREFIX_BYTES
        faults = sum(fake.counters.faults_by_kind.values())
        expected = sorted(fake.orders)
    assert oversized == 1
    assert len(ids) == len(set(ids)) == ORDERS and sorted(ids) == expected  # type: ignore[type-var]
    assert faults > 5  # the faults really happened
