"""FakeClopos unreliability over loopback with a plain aiohttp client: fault plans and quotas."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import CIMultiDictProxy

from clopos_async.testing import FAULT_KINDS, FakeClopos, FaultPlan, Quota

RESET_ERRORS = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)
ORDER_BODY: dict[str, Any] = {
    "sale_type_id": 2, "venue_id": 1,
    "customer": {"id": 9, "phone": "+994705401040", "customer_discount_type": 1, "name": "Rahid"},
    "products": [{"product_id": 101, "product_name": "Pizza", "count": 1, "price": 8.5,
                  "status": "new", "product_hash": "abc123"}],
}  # fmt: skip


@dataclass
class Reply:
    status: int
    headers: CIMultiDictProxy[str]
    raw: bytes

    def json(self) -> Any:
        return json.loads(self.raw)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def v2_headers(fake: FakeClopos) -> dict[str, str]:
    return {"x-token": fake.issue_token(api_version="v2")}


def v1_headers(fake: FakeClopos, venue: int = 1) -> dict[str, str]:
    token = fake.issue_token(api_version="v1", venue_id=venue)
    return {"x-token": token, "x-brand": fake.config.brand, "x-venue": str(venue)}


async def send(
    http: aiohttp.ClientSession, method: str, url: str, headers: dict[str, str] | None = None,
    body: Any = None, timeout: float | None = None,
) -> Reply:  # fmt: skip
    limit = aiohttp.ClientTimeout(total=timeout) if timeout is not None else None
    async with http.request(method, url, headers=headers, json=body, timeout=limit) as resp:
        return Reply(resp.status, resp.headers, await resp.read())


async def get_orders(http: aiohttp.ClientSession, fake: FakeClopos) -> Reply:
    return await send(http, "GET", f"{fake.url}/v2/orders", v2_headers(fake))


async def post_order(http: aiohttp.ClientSession, fake: FakeClopos) -> Reply:
    return await send(http, "POST", f"{fake.url}/v2/orders", v2_headers(fake), ORDER_BODY)


async def outcome(http: aiohttp.ClientSession, fake: FakeClopos) -> str:
    """One POST summarised as its status or its exception class (for sequence comparisons)."""
    try:
        reply = await post_order(http, fake)
    except RESET_ERRORS as exc:
        return type(exc).__name__
    return f"{reply.status}:{reply.raw[:20]!r}"


# ----------------------------------------------------------------------------- the plan


def test_plan_validation_and_mixed() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        FaultPlan(rate_500=1.5)
    with pytest.raises(ValueError, match="add up"):
        FaultPlan(rate_500=0.6, rate_reset=0.6)
    with pytest.raises(ValueError, match="max_consecutive"):
        FaultPlan(max_consecutive=0)
    plan = FaultPlan.mixed(0.45, seed=3, slow_seconds=0.0, max_consecutive=2)
    # Spread over the transient kinds; stray 401s are only ever asked for by name.
    assert [plan.rate_of(kind) for kind in FAULT_KINDS] == pytest.approx([0.05] * 9 + [0.0])
    assert plan.total_rate == pytest.approx(0.45) and plan.seed == 3
    assert plan.max_consecutive == 2 and plan.slow_seconds == 0.0
    with pytest.raises(TypeError):
        FakeClopos(faults="often")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- each kind


@pytest.mark.parametrize(
    ("code", "plan", "error", "message"),
    [("500", FaultPlan(rate_500=1.0), "server_error", "Internal server error"),
     ("503", FaultPlan(rate_503=1.0), "service_unavailable", "Service temporarily unavailable"),
     ("504", FaultPlan(rate_504=1.0), "gateway_timeout",
      "Upstream did not respond within 8 seconds")],
)  # fmt: skip
async def test_json_5xx_faults(
    http: aiohttp.ClientSession, code: str, plan: FaultPlan, error: str, message: str
) -> None:
    async with FakeClopos(orders=5, faults=plan) as fake:
        reply = await get_orders(http, fake)
        assert reply.status == int(code)
        assert reply.headers["Content-Type"].startswith("application/json")
        assert reply.json() == {"success": False, "error": error, "message": message}
        assert fake.counters.faults_injected == 1
        assert sum(fake.counters.faults_by_kind[k] for k in (code, f"{code}_after")) == 1


async def test_502_is_a_proxy_html_page(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, faults=FaultPlan(rate_502=1.0)) as fake:
        reply = await get_orders(http, fake)
        assert reply.status == 502 and reply.headers["Content-Type"].startswith("text/html")
        assert reply.raw == b"<html><body><h1>502 Bad Gateway</h1></body></html>"


async def test_non_json_and_success_false_are_200s(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, faults=FaultPlan(rate_non_json=1.0)) as fake:
        async with http.get(f"{fake.url}/v2/orders", headers=v2_headers(fake)) as resp:
            assert resp.status == 200 and resp.content_type == "text/html"
            with pytest.raises(aiohttp.ContentTypeError):
                await resp.json()
            assert "<html>" in await resp.text()
        fake.faults = FaultPlan(rate_success_false=1.0)
        reply = await post_order(http, fake)
        assert reply.status == 200
        assert reply.json() == {
            "success": False, "error": "upstream_error", "message": "Upstream returned an error"
        }  # fmt: skip
        assert fake.counters.orders_created == 0  # neither kind runs the handler
        assert fake.counters.faults_by_kind == {"non_json": 1, "success_false": 1}


async def test_truncated_body_is_half_the_real_one(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, faults=FaultPlan(rate_truncated=1.0)) as fake:
        url, headers = f"{fake.url}/v2/orders/1", v2_headers(fake)
        cut = await send(http, "GET", url, headers)
        fake.faults = None
        whole = await send(http, "GET", url, headers)
        assert cut.status == whole.status == 200
        assert cut.raw == whole.raw[: len(whole.raw) // 2] and whole.json()["success"] is True
        with pytest.raises(ValueError):
            cut.json()
        fake.faults = FaultPlan(rate_truncated=1.0)
        created = await post_order(http, fake)
        assert created.status == 201 and fake.counters.orders_created == 1  # the handler ran
        with pytest.raises(ValueError):
            created.json()
        assert fake.counters.faults_by_kind == {"truncated": 2}


async def test_reset_on_a_get_drops_the_connection(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, faults=FaultPlan(rate_reset=1.0)) as fake:
        with pytest.raises(RESET_ERRORS):
            await get_orders(http, fake)
        # aiohttp itself retries an idempotent request once after a disconnect, so the server
        # may see the GET twice; every attempt it saw was answered with nothing (status 0).
        seen = fake.counters.requests
        assert seen >= 1 and fake.counters.status_counts == {0: seen}
        assert fake.counters.faults_injected == seen


async def test_post_resets_before_and_after_the_handler(
    http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeClopos(orders=5, faults=FaultPlan(rate_reset=1.0, seed=5)) as fake:
        for _ in range(16):
            with pytest.raises(RESET_ERRORS):
                await post_order(http, fake)
        kinds = fake.counters.faults_by_kind
        assert kinds["reset_before"] > 0 and kinds["reset_after"] > 0
        assert kinds["reset_before"] + kinds["reset_after"] == 16
        # "after": the order exists although the client only saw the connection die.
        assert fake.counters.orders_created == kinds["reset_after"] == len(fake.orders) - 5
        assert fake.counters.status_counts == {0: 16}
    # aiohttp's failed write to the aborted connection is swallowed, not logged as an error.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_post_5xx_after_the_handler_created_the_order(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, faults=FaultPlan(rate_504=1.0, seed=2)) as fake:
        replies = [await post_order(http, fake) for _ in range(16)]
        assert {r.status for r in replies} == {504}
        kinds = fake.counters.faults_by_kind
        assert kinds["504"] > 0 and kinds["504_after"] > 0
        assert kinds["504"] + kinds["504_after"] == 16
        assert fake.counters.orders_created == kinds["504_after"] == len(fake.orders) - 5


async def test_slow_fault_trips_a_client_timeout_and_the_post_still_lands(
    http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeClopos(orders=5, faults=FaultPlan(rate_slow=1.0, slow_seconds=1.0)) as fake:
        with pytest.raises(asyncio.TimeoutError):
            await send(http, "GET", f"{fake.url}/v2/orders", v2_headers(fake), timeout=0.2)
        with pytest.raises(asyncio.TimeoutError):
            await send(http, "POST", f"{fake.url}/v2/orders", v2_headers(fake), ORDER_BODY,
                       timeout=0.2)  # fmt: skip
        assert fake.counters.faults_by_kind == {"slow": 2}
        # The upstream finishes the write after the client gave up (polling, not timing).
        for _ in range(300):
            if fake.counters.orders_created:
                break
            await asyncio.sleep(0.01)
        assert fake.counters.orders_created == 1 and len(fake.orders) == 6
        assert fake.counters.in_flight == 0
    # Answering a client that left is not a server error.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_closing_the_server_ends_slow_requests_without_running_them(
    http: aiohttp.ClientSession,
) -> None:
    fake = FakeClopos(orders=5, faults=FaultPlan(rate_slow=1.0, slow_seconds=60.0))
    async with fake:
        with pytest.raises(asyncio.TimeoutError):
            await send(http, "POST", f"{fake.url}/v2/orders", v2_headers(fake), ORDER_BODY,
                       timeout=0.1)  # fmt: skip
    assert fake.counters.faults_by_kind == {"slow": 1}
    assert fake.counters.orders_created == 0 and fake.counters.in_flight == 0


# ----------------------------------------------------------------------------- plan behaviour


async def test_same_seed_same_faults(http: aiohttp.ClientSession) -> None:
    plan = FaultPlan.mixed(0.7, seed=42, slow_seconds=0.0)
    runs: list[list[str]] = []
    kinds = []
    for faults in (plan, plan, FaultPlan.mixed(0.7, seed=43, slow_seconds=0.0)):
        async with FakeClopos(orders=0, faults=faults) as fake:
            runs.append([await outcome(http, fake) for _ in range(30)])
            kinds.append(dict(fake.counters.faults_by_kind))
    assert runs[0] == runs[1] and kinds[0] == kinds[1]
    assert runs[0] != runs[2]
    assert len(kinds[0]) >= 5  # a mixed plan really mixes


async def test_assigning_a_plan_restarts_its_sequence(http: aiohttp.ClientSession) -> None:
    plan = FaultPlan.mixed(0.7, seed=9, slow_seconds=0.0)
    async with FakeClopos(orders=0, faults=plan) as fake:
        first = [await outcome(http, fake) for _ in range(20)]
        fake.faults = None
        assert (await outcome(http, fake)).startswith("201:")
        fake.faults = plan
        assert [await outcome(http, fake) for _ in range(20)] == first
        assert fake.faults is plan


async def test_auth_is_exempt_unless_asked(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=0, faults=FaultPlan(rate_500=1.0)) as fake:
        auth = await send(http, "POST", f"{fake.url}/v2/auth", body=fake.credentials)
        assert auth.status == 200 and auth.json()["success"] is True
        assert fake.counters.faults_injected == 0
        fake.faults = FaultPlan(rate_500=1.0, apply_to_auth=True)
        auth = await send(http, "POST", f"{fake.url}/v2/auth", body=fake.credentials)
        assert auth.status == 500 and fake.counters.faults_injected == 1


async def test_max_consecutive_lets_every_nth_request_through(
    http: aiohttp.ClientSession,
) -> None:
    async with FakeClopos(orders=5, faults=FaultPlan(rate_500=1.0, max_consecutive=2)) as fake:
        statuses = [(await get_orders(http, fake)).status for _ in range(9)]
        assert statuses == [500, 500, 200] * 3
        assert fake.counters.faults_injected == 6
        assert sum(fake.counters.faults_by_kind.values()) == 6


# ----------------------------------------------------------------------------- the quota


async def test_quota_burst_headers_and_429(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, quota=Quota(limit=5, window=1.0)) as fake:
        headers = v2_headers(fake)
        replies = [await send(http, "GET", f"{fake.url}/v2/orders", headers) for _ in range(6)]
        assert [r.status for r in replies] == [200] * 5 + [429]
        assert [r.headers["RateLimit-Remaining"] for r in replies] == ["4", "3", "2", "1", "0", "0"]
        assert {r.headers["RateLimit-Limit"] for r in replies} == {"5"}
        # One slot frees when the oldest request leaves the 1 s window: within (0, 1] s, rounded up.
        assert {r.headers["RateLimit-Reset"] for r in replies} == {"1"}
        limited = replies[-1]
        assert limited.json() == {
            "success": False, "error": "rate_limited", "message": "Too many requests. Retry later."
        }  # fmt: skip
        assert limited.headers["Retry-After"] == "1"
        assert "Retry-After" not in replies[0].headers
        assert "X-RateLimit-Limit" not in replies[0].headers
        assert fake.counters.rate_limited == 1 and fake.counters.status_counts[429] == 1


async def test_quota_headers_ride_on_errors_but_not_on_auth(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, quota=Quota(limit=5, window=60.0)) as fake:
        missing = await send(http, "GET", f"{fake.url}/v2/orders/999999", v2_headers(fake))
        assert missing.status == 404 and missing.headers["RateLimit-Remaining"] == "4"
        bad = await send(http, "GET", f"{fake.url}/v2/orders?limit=abc", v2_headers(fake))
        assert bad.status == 400 and bad.headers["RateLimit-Remaining"] == "3"
        # Before authentication there is no tenant to count against.
        anonymous = await send(http, "GET", f"{fake.url}/v2/orders")
        assert anonymous.status == 401 and "RateLimit-Limit" not in anonymous.headers
        auth = await send(http, "POST", f"{fake.url}/v2/auth", body=fake.credentials)
        assert auth.status == 200 and "RateLimit-Limit" not in auth.headers
        # A fresh token is the same tenant: new tokens do not reset the quota (REFERENCE §2.3).
        fresh = await send(http, "GET", f"{fake.url}/v2/orders", v2_headers(fake))
        assert fresh.headers["RateLimit-Remaining"] == "2"


async def test_v1_flavour_sends_epoch_resets(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, api_version="v1", quota=Quota(limit=2, window=1.0)) as fake:
        replies = [await send(http, "GET", f"{fake.url}/orders", v1_headers(fake))
                   for _ in range(3)]  # fmt: skip
        assert [r.status for r in replies] == [200, 200, 429]
        assert [r.headers["X-RateLimit-Remaining"] for r in replies] == ["1", "0", "0"]
        assert all(int(r.headers["X-RateLimit-Reset"]) > 10**9 for r in replies)
        assert replies[0].headers["X-RateLimit-Limit"] == "2"
        assert "RateLimit-Limit" not in replies[0].headers
        assert int(replies[2].headers["Retry-After"]) >= 1
        # v1 tenants are (brand, venue): another venue has its own window.
        other = await send(http, "GET", f"{fake.url}/orders", v1_headers(fake, venue=2))
        assert other.status == 200 and other.headers["X-RateLimit-Remaining"] == "1"


async def test_explicit_flavour_retry_after_override_and_precise_reset(
    http: aiohttp.ClientSession,
) -> None:
    quota = Quota(limit=1, window=1.0, flavour="x-ratelimit", retry_after=120)
    async with FakeClopos(orders=5, quota=quota) as fake:
        headers = v2_headers(fake)
        ok = await send(http, "GET", f"{fake.url}/v2/orders", headers)
        limited = await send(http, "GET", f"{fake.url}/v2/orders", headers)
        assert ok.headers["X-RateLimit-Limit"] == "1" and limited.status == 429
        assert limited.headers["Retry-After"] == "120"
        fake.quota = Quota(limit=3, window=1.0, precise_reset=True)  # a fresh window
        precise = await send(http, "GET", f"{fake.url}/v2/orders", headers)
        assert precise.status == 200 and precise.headers["RateLimit-Remaining"] == "2"
        reset = precise.headers["RateLimit-Reset"]
        assert re.fullmatch(r"\d+\.\d{3}", reset) and 0 < float(reset) <= 1.0
        fake.quota = None
        free = await send(http, "GET", f"{fake.url}/v2/orders", headers)
        assert free.status == 200 and "RateLimit-Limit" not in free.headers


async def test_rejections_do_not_use_up_the_window(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, quota=Quota(limit=2, window=0.5)) as fake:
        headers = v2_headers(fake)
        first = [(await send(http, "GET", f"{fake.url}/v2/orders", headers)).status
                 for _ in range(6)]  # fmt: skip
        assert first == [200, 200, 429, 429, 429, 429]
        await asyncio.sleep(0.6)  # let the window pass (no timing is asserted)
        again = [(await send(http, "GET", f"{fake.url}/v2/orders", headers)).status
                 for _ in range(3)]  # fmt: skip
        assert again == [200, 200, 429]
        assert fake.counters.rate_limited == 5


async def test_auth_quota_is_per_ip_and_separate(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=0, auth_quota=Quota(limit=2, window=60.0),
                          quota=Quota(limit=1, window=60.0)) as fake:  # fmt: skip
        url = f"{fake.url}/v2/auth"
        wrong = await send(http, "POST", url, body={**fake.credentials, "client_secret": "x"})
        # Failed logins count too: the tier is a brute-force guard keyed by IP only.
        assert wrong.status == 401 and wrong.headers["RateLimit-Remaining"] == "1"
        ok = await send(http, "POST", url, body=fake.credentials)
        assert ok.status == 200 and ok.headers["RateLimit-Remaining"] == "0"
        limited = await send(http, "POST", url, body=fake.credentials)
        assert limited.status == 429 and limited.headers["Retry-After"] == "60"
        assert limited.headers["RateLimit-Limit"] == "2"
        # The tenant tier is separate: its single slot is still free.
        tenant = await send(http, "GET", f"{fake.url}/v2/orders", v2_headers(fake))
        assert tenant.status == 200 and tenant.headers["RateLimit-Limit"] == "1"
        assert fake.counters.rate_limited == 1 and fake.counters.auth_calls == 2
        assert fake.auth_quota == Quota(limit=2, window=60.0)


async def test_before_faults_do_not_consume_the_quota(http: aiohttp.ClientSession) -> None:
    plan = FaultPlan(rate_503=1.0, max_consecutive=1)
    async with FakeClopos(orders=5, faults=plan, quota=Quota(limit=10, window=60.0)) as fake:
        replies = [await get_orders(http, fake) for _ in range(4)]
        assert [r.status for r in replies] == [503, 200, 503, 200]
        assert "RateLimit-Limit" not in replies[0].headers  # the gateway answered, not the API
        assert fake.counters.faults_by_kind == {"503": 1, "503_after": 1}  # seed 0
        # Only the two clean requests and the one "after" fault reached the quota.
        assert [r.headers.get("RateLimit-Remaining") for r in replies] == [None, "9", None, "7"]


# ----------------------------------------------------------------------------- counters


async def test_max_in_flight_counts_concurrent_requests(http: aiohttp.ClientSession) -> None:
    arrived = 0
    all_in = asyncio.Event()

    @web.middleware
    async def barrier(request: web.Request, handler: Handler) -> web.StreamResponse:
        nonlocal arrived
        arrived += 1
        if arrived == 5:
            all_in.set()
        await all_in.wait()
        return await handler(request)

    async with FakeClopos(orders=5, middlewares=[barrier]) as fake:
        replies = await asyncio.gather(*(get_orders(http, fake) for _ in range(5)))
        assert {r.status for r in replies} == {200}
        assert fake.counters.max_in_flight == 5 and fake.counters.in_flight == 0
        fake.counters.reset()
        assert fake.counters.max_in_flight == 0 and fake.counters.requests == 0
        await get_orders(http, fake)
        assert fake.counters.max_in_flight == 1


async def test_counters_reset_clears_fault_and_quota_tallies(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, quota=Quota(limit=1, window=60.0)) as fake:
        statuses = [(await get_orders(http, fake)).status for _ in range(3)]
        assert statuses == [200, 429, 429]
        fake.quota = None
        fake.faults = FaultPlan(rate_500=1.0)
        assert [(await get_orders(http, fake)).status for _ in range(2)] == [500, 500]
        counters = fake.counters
        assert (counters.rate_limited, counters.faults_injected) == (2, 2)
        assert sum(counters.faults_by_kind.values()) == 2
        assert counters.status_counts == {200: 1, 429: 2, 500: 2} and counters.requests == 5
        counters.reset()
        assert (counters.faults_injected, counters.rate_limited, counters.requests) == (0, 0, 0)
        assert not counters.faults_by_kind and not counters.status_counts


async def test_open_connections_follow_the_client_pool() -> None:
    async with FakeClopos(orders=5) as fake:
        assert fake.open_connections == 0
        async with aiohttp.ClientSession() as http:
            await asyncio.gather(*(get_orders(http, fake) for _ in range(3)))
            assert fake.open_connections >= 1  # kept alive in the client's pool
        for _ in range(200):  # the server notices the close asynchronously
            if fake.open_connections == 0:
                break
            await asyncio.sleep(0.01)
        assert fake.open_connections == 0
    assert fake.open_connections == 0  # stopped
