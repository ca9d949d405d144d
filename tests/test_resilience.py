"""The SDK under injected faults, quotas and short-lived tokens, against FakeClopos.

Outcomes only: every order exactly once, no duplicate creates, few 429s. Never timings.
"""

from __future__ import annotations

import asyncio
import collections
import time
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from clopos_async import (
    NewOrder,
    NewOrderCustomer,
    NewOrderProduct,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
)
from clopos_async.retry import set_retry_sleep
from clopos_async.testing import FakeClopos, FaultPlan, Quota

from .conftest import client_for

# Many retries, so that a seeded 20% fault rate cannot exhaust them by chance.
PATIENT = RetryPolicy(max_retries=10, total_timeout=120)
SHORT_TIMEOUT = aiohttp.ClientTimeout(total=0.5)


def order_for(reference: str) -> NewOrder:
    """A create whose comment carries a reference, to find it on the server afterwards."""
    return NewOrder(
        sale_type_id=2, venue_id=1, comment=reference,
        customer=NewOrderCustomer(id=9, name="Rahid"),
        products=[NewOrderProduct(product_id=101, product_name="Pizza", count=1,
                                  price=Decimal("8.5"))],
        sale_type_name="Delivery", venue_name="Main",
    )


def comments(fake: FakeClopos) -> collections.Counter[str]:
    return collections.Counter(
        str((o.get("payload") or {}).get("meta", {}).get("comment")) for o in fake.orders_list()
    )


async def test_bulk_fetch_under_twenty_percent_faults_returns_every_order_once() -> None:
    plan = FaultPlan.mixed(0.2, seed=7)
    async with FakeClopos(orders=5000, faults=plan, seed=3) as fake:
        expected = sorted(o["id"] for o in fake.orders_list())
        async with client_for(fake, retry=PATIENT, timeout=SHORT_TIMEOUT) as clopos:
            orders = await clopos.orders.list(limit=100, sort="id", concurrency=8).collect()
        assert fake.counters.faults_injected > 0
    ids = [o.id for o in orders]
    assert len(ids) == len(set(ids)) == 5000
    assert sorted(ids) == expected


async def test_sequential_listing_under_faults_never_skips_or_repeats_a_page() -> None:
    plan = FaultPlan(rate_500=0.1, rate_503=0.1, rate_reset=0.1, seed=11)
    async with FakeClopos(orders=700, faults=plan) as fake:
        async with client_for(fake, retry=PATIENT) as clopos:
            pages = [p async for p in clopos.orders.list(limit=50, sort="id").pages()]
        assert fake.counters.faults_injected > 0
    assert [p.page for p in pages] == list(range(1, 15))
    ids = [o.id for p in pages for o in p.items]
    assert ids == sorted(ids) and len(set(ids)) == 700


async def test_v1_creates_under_resets_and_5xx_create_each_order_exactly_once() -> None:
    plan = FaultPlan(rate_500=0.1, rate_502=0.05, rate_503=0.05, rate_504=0.05,
                     rate_reset=0.15, seed=5)
    async with FakeClopos(orders=0, api_version="v1", faults=plan) as fake:
        async with client_for(fake, retry=PATIENT) as clopos:
            created = await asyncio.gather(
                *(clopos.orders.create(order_for(f"ref-{n}")) for n in range(500))
            )
        assert fake.counters.orders_created == 500
        assert fake.counters.faults_injected > 0
        assert fake.counters.duplicates_prevented > 0  # some "after" faults were replayed
        per_reference = comments(fake)
    assert len({o.id for o in created}) == 500
    assert all(per_reference[f"ref-{n}"] == 1 for n in range(500))


async def test_v2_ambiguous_create_failures_are_reported_never_silently_duplicated() -> None:
    plan = FaultPlan(rate_500=0.1, rate_504=0.1, rate_reset=0.1, seed=9)
    async with FakeClopos(orders=0, api_version="v2", faults=plan) as fake:
        async with client_for(fake, retry=PATIENT) as clopos:
            results = await asyncio.gather(
                *(clopos.orders.create(order_for(f"ref-{n}")) for n in range(200)),
                return_exceptions=True,
            )
        per_reference = comments(fake)
    succeeded = [n for n, r in enumerate(results) if not isinstance(r, BaseException)]
    unknown = [n for n, r in enumerate(results) if isinstance(r, OutcomeUnknownError)]
    assert len(succeeded) + len(unknown) == 200  # nothing else escaped
    assert unknown, "the fault plan should have produced ambiguous failures"
    assert all(isinstance(results[n], OutcomeUnknownError) and results[n].idempotency_key
               for n in unknown)
    # Every order the caller heard about exists once; no reference exists twice.
    assert all(per_reference[f"ref-{n}"] == 1 for n in succeeded)
    assert max(per_reference.values()) == 1


async def test_v2_opt_in_retries_ambiguous_creates_without_duplicates() -> None:
    plan = FaultPlan(rate_500=0.15, rate_reset=0.15, seed=21)
    async with FakeClopos(orders=0, api_version="v2", faults=plan) as fake:
        async with client_for(fake, retry=PATIENT, retry_ambiguous_writes=True) as clopos:
            await asyncio.gather(*(clopos.orders.create(order_for(f"r{n}")) for n in range(100)))
        assert fake.counters.orders_created == 100
        assert max(comments(fake).values()) == 1


async def test_a_burst_under_a_quota_draws_only_a_handful_of_429s() -> None:
    async with FakeClopos(orders=100, quota=Quota(limit=20, window=1.0)) as fake:
        ids = [o["id"] for o in fake.orders_list()]
        async with client_for(fake) as clopos:
            orders = await asyncio.gather(*(clopos.orders.get(i) for i in ids))
            assert clopos.rate_limit.limit == 20
        assert [o.id for o in orders] == ids
        assert fake.counters.rate_limited <= 5


async def test_one_429_pauses_every_sender() -> None:
    async with FakeClopos(orders=50, quota=Quota(limit=5, window=1.0)) as fake:
        ids = [o["id"] for o in fake.orders_list()[:30]]
        async with client_for(fake, max_concurrency=3) as clopos:
            # Exhaust the window behind the client's back, so its first requests draw a 429.
            token = fake.issue_token()
            async with aiohttp.ClientSession() as raw:
                for _ in range(5):
                    await raw.get(f"{fake.url}/v2/orders", headers={"x-token": token})
            orders = await asyncio.gather(*(clopos.orders.get(i) for i in ids))
        assert [o.id for o in orders] == ids
        # Only the requests already in flight (3) meet the 429; the other 27 coroutines
        # wait out the pause instead of each drawing a 429 of their own.
        assert 1 <= fake.counters.rate_limited <= 3


async def test_long_retry_after_raises_at_once_with_the_wait() -> None:
    async with FakeClopos(orders=5, quota=Quota(limit=1, window=60.0, retry_after=120)) as fake:
        # Another client of the same tenant used the window up.
        async with aiohttp.ClientSession() as other:
            await other.get(f"{fake.url}/v2/orders", headers={"x-token": fake.issue_token()})
        async with client_for(fake) as clopos:
            set_retry_sleep(True)  # prove it does not sleep 120 s: the guard below would fire
            try:
                with pytest.raises(RateLimitError) as caught:
                    await asyncio.wait_for(clopos.orders.list_page(limit=1), timeout=30)
            finally:
                set_retry_sleep(False)
        assert fake.counters.rate_limited == 1
    assert caught.value.retry_after == 120
    assert caught.value.status_code == 429


async def test_a_spent_budget_with_a_distant_reset_raises_without_sending() -> None:
    # v1's policy has an hourly window, so a 600 s reset is believable there (on v2, whose
    # windows are one minute, it would be dropped as absurd: see test_hostile_headers.py).
    quota = Quota(limit=1, window=600.0)
    async with FakeClopos(orders=5, api_version="v1", quota=quota) as fake:
        async with client_for(fake) as clopos:
            await clopos.orders.list_page(limit=1)  # the last request the window allows
            sent = fake.counters.requests
            with pytest.raises(RateLimitError) as caught:
                await asyncio.wait_for(clopos.orders.list_page(limit=1), timeout=30)
            assert fake.counters.requests == sent  # nothing was sent to draw a 429
    assert caught.value.retry_after is not None and caught.value.retry_after > 60


async def test_short_lived_tokens_during_a_bulk_fetch() -> None:
    async with FakeClopos(orders=3000, token_ttl=1.0, latency=0.01) as fake:
        async with client_for(fake) as clopos:
            started = time.monotonic()
            orders = await clopos.orders.list(limit=10, sort="id").collect()
            duration = time.monotonic() - started
        assert len(orders) == 3000
        # About one exchange per token lifetime (refreshed at 90% of it), never a storm.
        assert 2 <= fake.counters.auth_calls <= duration / 0.9 + 3
        assert fake.counters.status_counts.get(401, 0) <= fake.counters.auth_calls


async def test_failing_auth_backs_off_instead_of_hammering() -> None:
    plan = FaultPlan(rate_503=1.0, apply_to_auth=True, seed=1)
    async with FakeClopos(orders=5, faults=plan) as fake:
        async with client_for(fake, retry=RetryPolicy(max_retries=2)) as clopos:
            results = await asyncio.gather(*(clopos.orders.get(1) for _ in range(50)),
                                           return_exceptions=True)
        assert all(isinstance(r, Exception) for r in results)
        # 50 callers share each exchange: 3 attempts in all, not 50 x 3.
        assert fake.counters.auth_calls <= 6


async def test_cancelling_a_bulk_fetch_leaves_no_task_and_no_connection() -> None:
    before = asyncio.all_tasks()
    async with FakeClopos(orders=2000, latency=0.05) as fake:
        clopos = client_for(fake)
        fetch = asyncio.ensure_future(clopos.orders.list(limit=20, concurrency=8).collect())
        while fake.counters.requests < 10:
            await asyncio.sleep(0.01)
        assert fake.open_connections > 0
        fetch.cancel()
        with pytest.raises(asyncio.CancelledError):
            await fetch
        await clopos.aclose()
        # The server sees every connection of the client closed ...
        for _ in range(200):
            if fake.open_connections == 0:
                break
            await asyncio.sleep(0.01)
        assert fake.open_connections == 0
    # ... and, with the server gone too, no task of ours is left running.
    await asyncio.sleep(0)
    assert asyncio.all_tasks() - before - {asyncio.current_task()} == set()


async def test_timeouts_are_retried_for_reads(api_version: str) -> None:
    plan = FaultPlan(rate_slow=0.3, slow_seconds=1.0, seed=2)
    async with FakeClopos(orders=60, api_version=api_version, faults=plan) as fake:
        async with client_for(fake, retry=PATIENT, timeout=SHORT_TIMEOUT) as clopos:
            orders = await clopos.orders.list(limit=10).collect()
        assert fake.counters.faults_by_kind.get("slow", 0) > 0
    assert len(orders) == 60


async def test_per_call_options_override_the_client(fake: FakeClopos) -> None:
    fake.faults = FaultPlan(rate_503=1.0, seed=1)
    async with client_for(fake, retry=PATIENT) as clopos:
        from clopos_async import ServerError

        with pytest.raises(ServerError):
            await clopos.with_options(retry=RetryPolicy.never()).orders.get(1)
        requests = fake.counters.requests
        assert requests == 2  # the auth exchange and one attempt: no retry
        options: dict[str, Any] = {"retry": RetryPolicy(max_retries=1)}
        with pytest.raises(ServerError):
            await clopos.with_options(**options).orders.get(1)
        assert fake.counters.requests == requests + 2
