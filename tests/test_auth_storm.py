"""A storm of stray 401s must not burn the auth quota (issue 8 item 14).

FakeClopos answers a seeded share of authenticated calls with 401 although the token is
healthy, under the documented auth tier (here a tight 20 exchanges a minute). Before, each
stray 401 forced a credential exchange: the auth quota ran out and calls failed.
"""

from __future__ import annotations

from clopos_async.testing import FakeClopos, FaultPlan, Quota

from .conftest import client_for


async def test_stray_401s_are_replayed_without_spending_the_auth_quota() -> None:
    # One request after another, and never more than two faults in a row: no request can
    # meet three stray 401s (its own, the replay's and the fresh token's), so every call must
    # succeed; what is measured is how many exchanges the storm costs.
    plan = FaultPlan(rate_401=0.05, seed=8, max_consecutive=2)
    async with FakeClopos(orders=1000, faults=plan, auth_quota=Quota(limit=20, window=60.0)
                          ) as fake:  # fmt: skip
        async with client_for(fake) as clopos:
            orders = await clopos.orders.list(limit=1).collect()
        stray = fake.counters.faults_by_kind["401"]
        exchanges = fake.counters.auth_calls
    assert len({order.id for order in orders}) == len(orders) == 1000
    assert stray >= 30  # a real storm: more stray 401s than the auth quota allows exchanges
    assert exchanges <= 5, f"{exchanges} exchanges for {stray} stray 401s"


async def test_a_token_really_rejected_is_still_exchanged_at_once() -> None:
    async with FakeClopos(orders=5) as fake:
        async with client_for(fake) as clopos:
            await clopos.orders.list_page(limit=1)
            fake.expire_tokens()  # moments after the exchange: replayed once, then exchanged
            page = await clopos.orders.list_page(limit=1)
        assert page.items and fake.counters.auth_calls == 2
