"""The stop list (REFERENCE §4.5) and its watcher, against FakeClopos on both versions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from clopos_async import AsyncClopos, AuthenticationError, RetryPolicy, StopListChange
from clopos_async.models.stop_list import StopListEntry
from clopos_async.resources.stop_list_watch import diff_stop_lists
from clopos_async.testing import FakeClopos, FaultPlan

from .background_watch import BackgroundWatch, polls_done, watching
from .conftest import RequestLog, client_for


async def test_the_stop_list_names_existing_products(
    clopos: AsyncClopos, fake: FakeClopos, request_log: RequestLog
) -> None:
    entries = await clopos.products.stop_list()
    assert [(e.product_id, e.limit) for e in entries] == [(140, 0), (58, 3)]
    assert entries[0].unavailable and not entries[1].unavailable
    assert all(e.timestamp is not None and e.timestamp.year == 2025 for e in entries)
    for entry in entries:
        assert (await clopos.products.get(entry.product_id)).id == entry.product_id
    only = await clopos.products.stop_list(ids=[58, 1])
    assert [e.product_id for e in only] == [58]
    request = request_log.requests[-1]
    assert request.path.endswith("/products/stop-list")
    assert list(request.query.items()) == [
        ("filters[0][0]", "id"), ("filters[0][1][0]", "58"), ("filters[0][1][1]", "1")]
    assert await clopos.products.stop_list(ids=7) == []  # one id: the same list form
    assert list(request_log.requests[-1].query.items())[-1] == ("filters[0][1][0]", "7")
    raw = await clopos.products.with_raw_response.stop_list(ids=[140])
    assert raw.status_code == 200 and raw.json["data"][0]["id"] == 140
    assert [e.product_id for e in raw.parsed] == [140]


def test_the_fake_only_limits_products_it_has() -> None:
    fake = FakeClopos(orders=0)
    with pytest.raises(KeyError):
        fake.set_stop_limit(999, 0)


def entry(product_id: int, limit: int) -> StopListEntry:
    return StopListEntry(product_id=product_id, limit=Decimal(limit))


def test_diff_reports_joins_changes_and_leaves_once() -> None:
    before = {1: entry(1, 0), 2: entry(2, 5), 3: entry(3, 1)}
    after = {2: entry(2, 4), 3: entry(3, 1), 4: entry(4, 0)}
    changes = diff_stop_lists(before, after)
    assert [(c.kind, c.product_id) for c in changes] == [
        ("limit_changed", 2), ("limited", 4), ("available", 1)]
    assert changes[0].previous == entry(2, 5) and changes[0].entry == entry(2, 4)
    assert changes[2].entry is None and changes[2].previous == entry(1, 0)
    assert diff_stop_lists(after, after) == []


def watch_stop_list(clopos: AsyncClopos, **options: Any) -> AsyncIterator[StopListChange]:
    return clopos.products.watch_stop_list(interval=0.01, **options)


async def test_the_watcher_reports_each_change_once(api_version: str) -> None:
    async with FakeClopos(orders=0, api_version=api_version) as fake:
        async with client_for(fake) as clopos, watching(watch_stop_list(clopos)) as watch:
            await polls_done(fake, 2)  # the first poll has taken stock: nothing reported
            fake.set_stop_limit(12, 0)  # tea runs out
            fake.set_stop_limit(58, 1)  # one kebab left (was 3)
            await watch.until(2)
            fake.set_stop_limit(140, None)  # the soup is back
            fake.set_stop_limit(12, 0)  # the same limit again: no change
            await watch.until(3)
            await polls_done(fake, 4)  # more polls: nothing may be reported twice
            changes = list(watch.seen)
    assert [(c.kind, c.product_id) for c in changes] == [
        ("limit_changed", 58), ("limited", 12), ("available", 140)]
    assert changes[0].previous is not None and changes[0].previous.limit == 3
    assert changes[0].entry is not None and changes[0].entry.limit == 1
    assert changes[1].entry is not None and changes[1].entry.unavailable


async def test_existing_entries_are_reported_when_asked() -> None:
    async with FakeClopos(orders=0) as fake, client_for(fake) as clopos:
        async with watching(watch_stop_list(clopos, include_existing=True)) as watch:
            await watch.until(2)
            await polls_done(fake, 3)
            changes = list(watch.seen)
    assert [(c.kind, c.product_id) for c in changes] == [("limited", 140), ("limited", 58)]


async def test_the_watcher_survives_transient_failures() -> None:
    async with FakeClopos(orders=0) as fake:
        async with client_for(fake, retry=RetryPolicy(max_retries=1)) as clopos:
            async with watching(watch_stop_list(clopos)) as watch:
                await polls_done(fake, 2)
                fake.faults = FaultPlan(rate_503=1.0, seed=1)
                await polls_done(fake, 4)  # whole polls fail, retries included
                fake.set_stop_limit(7, 2)  # changed during the outage
                fake.faults = None
                await watch.until(1)
                await polls_done(fake, 3)
                changes = list(watch.seen)
    assert [(c.kind, c.product_id) for c in changes] == [("limited", 7)]


async def test_authentication_failure_ends_the_watch() -> None:
    async with FakeClopos(orders=0) as fake:
        async with AsyncClopos(token=fake.issue_token(), base_url=fake.url) as clopos:
            watch = BackgroundWatch(watch_stop_list(clopos))
            await polls_done(fake, 1)
            fake.expire_tokens()
            with pytest.raises(AuthenticationError):
                await watch.until(1)
            await watch.stop()


def test_bad_watch_arguments_raise_at_once() -> None:
    clopos = AsyncClopos(token="t")
    with pytest.raises(ValueError, match="interval"):
        clopos.products.watch_stop_list(interval=0)
    with pytest.raises(TypeError, match="include_existing"):
        clopos.products.watch_stop_list(include_existing="yes")  # type: ignore[arg-type]
