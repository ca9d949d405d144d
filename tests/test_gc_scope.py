"""`relaxed_gc`: the collector is relaxed inside bulk calls and always given back as found.

The scope changes interpreter-wide state, so every test starts from a known threshold and
puts the caller's back afterwards (the `known_threshold` fixture), whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterator

import attrs
import pytest

from clopos_async import AsyncClopos, AsyncPaginator, ClientConfig, Page
from clopos_async.gc_scope import BULK_GEN0_THRESHOLD, relaxed_gc
from clopos_async.testing import FakeClopos
from tests.conftest import client_for

START = (700, 10, 10)
RELAXED = (BULK_GEN0_THRESHOLD, 10, 10)


@pytest.fixture(autouse=True)
def known_threshold() -> Iterator[None]:
    saved, was_enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(*START)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        if was_enabled:
            gc.enable()


def test_raises_inside_and_restores_after() -> None:
    with relaxed_gc():
        assert gc.get_threshold() == RELAXED
    assert gc.get_threshold() == START


def test_restores_when_the_block_raises() -> None:
    with pytest.raises(ZeroDivisionError), relaxed_gc():
        1 / 0  # noqa: B018  # the error is the point
    assert gc.get_threshold() == START


def test_off_changes_nothing() -> None:
    with relaxed_gc(enabled=False):
        assert gc.get_threshold() == START
    assert gc.get_threshold() == START


def test_nested_scopes_restore_once_at_the_outermost_end() -> None:
    with relaxed_gc():
        with relaxed_gc():
            assert gc.get_threshold() == RELAXED
        assert gc.get_threshold() == RELAXED  # the outer scope is still open
    assert gc.get_threshold() == START


async def test_overlapping_scopes_restore_when_the_last_ends_whichever_it_is() -> None:
    first_in, second_in, first_may_leave = asyncio.Event(), asyncio.Event(), asyncio.Event()
    seen: list[tuple[int, int, int]] = []

    async def first() -> None:
        with relaxed_gc():
            first_in.set()
            await second_in.wait()
        # Leaves first, while the second is still inside: nothing must be restored yet.
        seen.append(gc.get_threshold())
        first_may_leave.set()

    async def second() -> None:
        await first_in.wait()
        with relaxed_gc():
            second_in.set()
            await first_may_leave.wait()
            seen.append(gc.get_threshold())

    await asyncio.gather(first(), second())
    assert seen == [RELAXED, RELAXED]
    assert gc.get_threshold() == START


def test_a_threshold_set_inside_the_scope_is_kept() -> None:
    with relaxed_gc():
        gc.set_threshold(5000, 20, 20)  # the application's own choice, made meanwhile
    assert gc.get_threshold() == (5000, 20, 20)


def test_a_higher_threshold_is_left_alone() -> None:
    gc.set_threshold(50_000, 10, 10)
    with relaxed_gc():
        assert gc.get_threshold() == (50_000, 10, 10)
    assert gc.get_threshold() == (50_000, 10, 10)


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    with relaxed_gc():
        assert not gc.isenabled()
    assert not gc.isenabled() and gc.get_threshold() == START


@attrs.frozen
class Item:
    id: int


def listing_that_records_the_threshold(
    seen: list[tuple[int, int, int]], pages: int = 3, limit: int = 2
) -> AsyncPaginator[Item]:
    async def fetch(number: int) -> Page[Item]:
        seen.append(gc.get_threshold())
        await asyncio.sleep(0)
        start = (number - 1) * limit
        return Page(items=[Item(start + i) for i in range(limit)], page=number, limit=limit,
                    total=pages * limit)

    return AsyncPaginator(fetch, limit=limit, concurrency=2)


@pytest.mark.parametrize(("switch", "expected"), [(None, RELAXED), (False, START)])
async def test_collect_relaxes_the_collector_unless_switched_off(
    switch: bool | None, expected: tuple[int, int, int]
) -> None:
    seen: list[tuple[int, int, int]] = []
    items = await listing_that_records_the_threshold(seen).collect(relax_gc=switch)
    assert len(items) == 6
    assert seen and set(seen) == {expected}
    assert gc.get_threshold() == START


async def test_paginator_option_switches_it_off() -> None:
    seen: list[tuple[int, int, int]] = []

    async def fetch(number: int) -> Page[Item]:
        seen.append(gc.get_threshold())
        return Page(items=[Item(number)], page=number, limit=1, total=2)

    await AsyncPaginator(fetch, limit=1, relax_gc=False).collect()
    assert set(seen) == {START}


async def test_streaming_relaxes_until_the_listing_ends() -> None:
    seen: list[tuple[int, int, int]] = []
    async for _item in listing_that_records_the_threshold(seen):
        assert gc.get_threshold() == RELAXED
    assert set(seen) == {RELAXED}
    assert gc.get_threshold() == START


async def test_pages_can_switch_it_off() -> None:
    seen: list[tuple[int, int, int]] = []
    async for _page in listing_that_records_the_threshold(seen).pages(relax_gc=False):
        assert gc.get_threshold() == START
    assert set(seen) == {START}


async def test_a_listing_left_early_and_closed_restores_at_once() -> None:
    seen: list[tuple[int, int, int]] = []
    listing = listing_that_records_the_threshold(seen)
    async with contextlib.aclosing(listing.pages()) as pages:
        async for _page in pages:
            break
    assert gc.get_threshold() == START


async def test_a_cancelled_listing_restores() -> None:
    started = asyncio.Event()

    async def fetch(number: int) -> Page[Item]:
        started.set()
        await asyncio.Event().wait()  # never answers
        raise AssertionError("unreachable")

    task = asyncio.create_task(AsyncPaginator(fetch, limit=1, concurrency=4).collect())
    await started.wait()
    assert gc.get_threshold() == RELAXED
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert gc.get_threshold() == START


async def test_concurrent_collects_against_the_fake_server_restore_the_collector(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    lists = await asyncio.gather(
        clopos.orders.list(limit=7, concurrency=3).collect(),
        clopos.orders.list(limit=11).collect(),
    )
    assert [len(orders) for orders in lists] == [len(fake.orders)] * 2
    assert gc.get_threshold() == START


async def test_a_failing_collect_restores_the_collector(clopos: AsyncClopos) -> None:
    await clopos.aclose()  # a closed client refuses to send: the collect fails midway
    with pytest.raises(RuntimeError, match="closed"):
        await clopos.orders.list(limit=7).collect()
    assert gc.get_threshold() == START


@pytest.mark.parametrize(("switch", "expected"), [(True, RELAXED), (False, START)])
async def test_the_client_wide_switch_reaches_every_listing(
    fake: FakeClopos, switch: bool, expected: tuple[int, int, int]
) -> None:
    # What the collector's threshold was while each page request went out, seen by the client's
    # own request hook: collecting, streaming and whole pages all follow the client's setting.
    seen: list[tuple[int, int, int]] = []
    async with client_for(fake, relax_gc=switch,
                          on_request=lambda _event: seen.append(gc.get_threshold())) as clopos:
        assert clopos.relax_gc is switch and clopos.config.relax_gc is switch
        collected = await clopos.orders.list(limit=7, concurrency=3).collect()
        streamed = [order async for order in clopos.sale_types.list()]
        async for _page in clopos.orders.list(limit=50).pages():
            assert gc.get_threshold() == expected
    assert len(collected) == len(fake.orders) and streamed
    assert len(seen) > 3 and set(seen) == {expected}
    assert gc.get_threshold() == START


async def test_a_view_or_a_call_can_still_choose(fake: FakeClopos) -> None:
    seen: list[tuple[int, int, int]] = []
    async with client_for(fake, relax_gc=False) as clopos:
        view = clopos.with_options(relax_gc=True,
                                   on_request=lambda _event: seen.append(gc.get_threshold()))
        await view.orders.list(limit=50).collect()
        relaxed, seen[:] = set(seen), []
        await view.orders.list(limit=50).collect(relax_gc=False)
    assert relaxed == {RELAXED} and set(seen) == {START}


def test_the_switch_takes_only_a_boolean() -> None:
    with pytest.raises(TypeError, match="relax_gc"):
        ClientConfig(token="t", relax_gc="no")  # type: ignore[arg-type]
