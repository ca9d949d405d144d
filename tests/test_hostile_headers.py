"""Rate-limit headers are advice (issue 8 item 8, issue 9 item 3).

The pure `RateLimit.from_headers` is tested directly (never raises, drops absurd values); the
admission gate with a fake clock; the client end to end against FakeClopos with a middleware
that makes the headers hostile.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from clopos_async import NewOrder, NewOrderCustomer, NewOrderProduct
from clopos_async.quota_headers import MAX_COUNT, RateLimit, parse_retry_after
from clopos_async.ratelimit import AdmissionGate
from clopos_async.testing import FakeClopos
from clopos_async.wire import error_for_status

from .conftest import client_for
from .test_ratelimit import Clock, gate_with

NOW = 1_700_000_000.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def ietf(limit: str = "300", remaining: str = "10", reset: str = "30") -> dict[str, str]:
    return {"ratelimit-limit": limit, "ratelimit-remaining": remaining, "ratelimit-reset": reset}


# -- the pure value ------------------------------------------------------------------------


@pytest.mark.parametrize("absurd", ["9999999999", "inf", "-inf", "nan", "1e400", "3599", "-4",
                                    "", "soon", "1" * 500])
def test_an_absurd_reset_is_dropped(absurd: str) -> None:
    info = RateLimit.from_headers(ietf(reset=absurd), now=NOW, window=60.0)
    assert info == RateLimit(limit=300, remaining=10, reset_after=None)


@pytest.mark.parametrize("absurd", ["inf", "1e400", "nan", "-1", "2e9", "many"])
def test_absurd_counts_are_dropped_not_overflowing(absurd: str) -> None:
    info = RateLimit.from_headers(ietf(limit=absurd, remaining=absurd), now=NOW, window=60.0)
    assert info == RateLimit(limit=None, remaining=None, reset_after=30.0)


def test_honest_values_are_kept_in_every_flavour() -> None:
    assert RateLimit.from_headers(ietf(reset="60"), now=NOW, window=60.0) == RateLimit(
        300, 10, 60.0)
    v1 = {"x-ratelimit-limit": "100", "x-ratelimit-remaining": "87",
          "x-ratelimit-reset": str(int(NOW) + 1800)}
    assert RateLimit.from_headers(v1, now=NOW, prefer="x-ratelimit-") == RateLimit(
        100, 87, 1800.0)
    # An epoch reset cannot be read without knowing when the response came.
    assert RateLimit.from_headers(v1, now=None) == RateLimit(100, 87, None)
    structured = RateLimit.from_headers({"ratelimit": '"default";r=0;t=inf'}, now=NOW)
    assert structured == RateLimit(None, 0, None)
    assert RateLimit.from_headers({"ratelimit-reset": "inf"}, now=NOW) is None


def test_retry_after_rejects_non_finite_and_absurd_waits() -> None:
    assert parse_retry_after({"retry-after": "inf"}, now=NOW) is None
    assert parse_retry_after({"retry-after": "1e400"}, now=NOW) is None
    assert parse_retry_after({"retry-after": "99999999"}, now=NOW) is None
    assert parse_retry_after({"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"}, now=NOW) is None
    assert parse_retry_after({"retry-after": "120"}, now=NOW) == 120.0
    # Falling back to a reset that the window makes absurd: no wait known.
    assert parse_retry_after({"ratelimit-reset": "3599"}, now=NOW, window=60.0) is None


def test_error_for_status_takes_now_instead_of_reading_the_clock() -> None:
    headers = {"retry-after": "Tue, 14 Nov 2023 22:15:00 GMT"}  # NOW + 100 s
    assert error_for_status(429, headers, b"", now=NOW).retry_after == 100.0
    assert error_for_status(429, headers, b"", now=NOW + 40).retry_after == 60.0
    assert error_for_status(429, headers, b"").retry_after is None  # undated: not guessed


header_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["inf", "-inf", "nan", "1e400", "9" * 400, "1_0", " 5 ", "0x10", "t=inf"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@given(st.dictionaries(st.sampled_from([
    "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "x-ratelimit-limit",
    "x-ratelimit-remaining", "x-ratelimit-reset", "ratelimit", "retry-after",
]), header_text), st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)))
def test_header_parsing_never_raises_and_yields_only_sane_values(
    headers: Mapping[str, str], now: float | None
) -> None:
    info = RateLimit.from_headers(headers, now=now, window=60.0)
    if info is not None:
        for count in (info.limit, info.remaining):
            assert count is None or 0 <= count <= MAX_COUNT
        assert info.reset_after is None or 0 <= info.reset_after <= 61.0
    wait = parse_retry_after(headers, now=now, window=60.0)
    assert wait is None or (math.isfinite(wait) and wait >= 0)


# -- the gate ------------------------------------------------------------------------------


async def test_a_header_never_outlives_a_later_healthy_response() -> None:
    clock = Clock()
    gate = gate_with(clock)
    async with gate.admit():
        gate.observe(RateLimit(limit=5, remaining=0, reset_after=50.0))
    async with gate.admit():  # the probe of the next window, after waiting for the reset
        gate.observe(None, success=True)  # a healthy answer that says nothing of the quota
    assert clock.slept == [50.0]
    for _ in range(5):
        async with gate.admit():
            gate.observe(None, success=True)
    assert clock.slept == [50.0]  # no one waits again for what the old header said
    assert gate.state.remaining is None and gate.state.reset_at is None


async def test_a_later_response_without_a_reset_forgets_the_old_one() -> None:
    clock = Clock()
    gate = AdmissionGate(1, clock=clock, sleep=clock.sleep)
    async with gate.admit():
        gate.observe(RateLimit(limit=5, remaining=3, reset_after=50.0))
    async with gate.admit():
        gate.observe(RateLimit(limit=5, remaining=3, reset_after=None))
    assert gate.state.reset_at is None


def a_new_order() -> NewOrder:
    return NewOrder(sale_type_id=1, venue_id=1, customer=NewOrderCustomer(id=9, name="Rahid"),
                    products=[
        NewOrderProduct(product_id=1, product_name="Tea", count=1, price=Decimal(2))])


# -- end to end: a hostile server ----------------------------------------------------------


def hostile(headers: dict[str, str], *, times: int | None = None) -> Callable[..., object]:
    """A middleware putting ``headers`` on the first ``times`` non-auth answers (all: None)."""
    sent = 0

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        nonlocal sent
        response = await handler(request)
        if not request.path.endswith("/auth") and (times is None or sent < times):
            sent += 1
            response.headers.update(headers)
        return response

    return middleware


@pytest.mark.parametrize("reset", ["9999999999", "inf", "3599"])
async def test_one_absurd_reset_does_not_block_later_calls(reset: str) -> None:
    headers = {"RateLimit-Limit": "300", "RateLimit-Remaining": "0", "RateLimit-Reset": reset}
    async with FakeClopos(orders=5, middlewares=[hostile(headers, times=1)]) as fake:
        async with client_for(fake) as clopos:
            await clopos.orders.list_page(limit=1)
            for _ in range(3):  # before: RateLimitError at once, "used up for years"
                page = await asyncio.wait_for(clopos.orders.list_page(limit=1), timeout=30)
                assert page.items


async def test_overflowing_headers_on_a_create_do_not_lose_the_order() -> None:
    headers = {"RateLimit-Limit": "1e400", "RateLimit-Remaining": "inf", "RateLimit-Reset": "nan"}
    async with FakeClopos(orders=0, middlewares=[hostile(headers)]) as fake:
        async with client_for(fake) as clopos:
            order = await clopos.orders.create(a_new_order(), idempotency_key="k-1")
            assert order.id is not None  # before: a bare OverflowError, after the create
            assert clopos.rate_limit.limit is None and clopos.rate_limit.remaining is None
        assert fake.counters.orders_created == 1


# -- the fake's own arithmetic (issue 8 item 15) -------------------------------------------


def test_the_fake_announces_a_full_window_not_one_second_more() -> None:
    from clopos_async.testing.quota import Quota, SlidingWindows, limit_headers

    # A monotonic time where window[0] + 60 - now is 60.000000000000455 in floats.
    now = 4036.0022999937096
    windows = SlidingWindows(Quota(limit=5, window=60.0))
    verdict = windows.admit("tenant", now)
    assert limit_headers(windows.quota, "v2", verdict)["RateLimit-Reset"] == "60"
    precise = SlidingWindows(Quota(limit=5, window=60.0, precise_reset=True))
    headers = limit_headers(precise.quota, "v2", precise.admit("tenant", now))
    assert headers["RateLimit-Reset"] == "60.000"
