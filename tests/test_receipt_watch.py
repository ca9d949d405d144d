"""receipts.watch(): each receipt that becomes closed is reported once, while a test closes them."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from clopos_async import ReceiptEvent
from clopos_async.testing import FakeClopos, FaultPlan

from .conftest import client_for


async def polls_made(fake: FakeClopos, count: int) -> None:
    """Wait until the watcher has listed receipts ``count`` times in all."""
    prefix = "/v2" if fake.api_version == "v2" else ""
    while fake.counters.route_counts[f"GET /open-api{prefix}/receipts"] < count:
        await asyncio.sleep(0.005)


async def test_each_closing_is_reported_once_while_receipts_close(api_version: str) -> None:
    async with FakeClopos(orders=0, api_version=api_version) as fake, \
            client_for(fake) as clopos:
        already = fake.add_receipt()["id"]
        fake.close_receipt(already)  # closed before the watch: stock, not an event
        opened = [fake.add_receipt()["id"] for _ in range(12)]
        pending = list(opened)
        events: list[ReceiptEvent] = []
        watch = clopos.receipts.watch(interval=0.01, limit=5)
        async with contextlib.aclosing(watch) as stream:
            upcoming = asyncio.ensure_future(stream.__anext__())
            await asyncio.wait_for(polls_made(fake, 1), 30)  # stock taken
            while len(events) < len(opened):
                for _ in range(2):  # close receipts while the watcher runs, two at a time
                    if pending:
                        fake.close_receipt(pending.pop())
                events.append(await asyncio.wait_for(upcoming, 30))
                upcoming = asyncio.ensure_future(stream.__anext__())
            # Later polls bring nothing new: no receipt is reported twice.
            polls = fake.counters.route_counts[
                f"GET /open-api{'/v2' if api_version == 'v2' else ''}/receipts"]
            await asyncio.wait_for(polls_made(fake, polls + 3), 30)
            assert not upcoming.done()
            upcoming.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await upcoming
    ids = [event.receipt.id for event in events]
    assert sorted(ids) == sorted(opened) and already not in ids
    assert all(event.receipt.is_closed and event.kind == "closed" for event in events)


async def test_include_existing_reports_the_receipts_already_closed() -> None:
    async with FakeClopos(orders=0) as fake, client_for(fake) as clopos:
        closed = [fake.close_receipt(fake.add_receipt()["id"])["id"] for _ in range(3)]
        watch = clopos.receipts.watch(interval=0.01, include_existing=True)
        async with contextlib.aclosing(watch) as stream:
            seen = [(await asyncio.wait_for(stream.__anext__(), 30)).receipt.id
                    for _ in closed]
    assert sorted(seen) == sorted(closed)


async def test_a_failing_poll_is_logged_and_the_watch_goes_on(
        caplog: pytest.LogCaptureFixture) -> None:
    async with FakeClopos(orders=0) as fake, client_for(fake) as clopos:
        target = fake.add_receipt()["id"]
        watch = clopos.receipts.watch(interval=0.01)
        async with contextlib.aclosing(watch) as stream:
            first = asyncio.ensure_future(stream.__anext__())
            await asyncio.wait_for(polls_made(fake, 1), 30)  # stock taken
            with caplog.at_level(logging.WARNING, logger="clopos_async"):
                fake.faults = FaultPlan(rate_503=1.0, seed=1)
                failed = fake.counters.faults_injected
                while fake.counters.faults_injected < failed + 12:  # a few polls fail
                    await asyncio.sleep(0.005)
                fake.faults = None
                fake.close_receipt(target)
                event = await asyncio.wait_for(first, 30)
    assert event.receipt.id == target
    assert any("receipt watch: poll failed" in r.getMessage() for r in caplog.records)
