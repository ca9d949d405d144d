"""The paginator's stop rules, guards and concurrency, driven by scripted page functions.

The paginator takes any ``fetch(page_number) -> Page`` coroutine, so its rules are tested
here on exact page sequences (including misbehaving servers FakeClopos never imitates);
`test_orders.py` runs it end to end against FakeClopos.
"""

from __future__ import annotations

import asyncio

import attrs
import pytest

from clopos_async import AsyncPaginator, Page, PaginationError


@attrs.frozen
class Item:
    id: int


def pages_of(
    total_items: int,
    limit: int,
    *,
    report_total: bool = True,
    report_pages: bool = False,
) -> tuple[list[int], AsyncPaginatorFetch]:
    """A well-behaved listing of ids 1..total_items; records the page numbers asked for."""
    asked: list[int] = []

    async def fetch(number: int) -> Page[Item]:
        asked.append(number)
        await asyncio.sleep(0)
        start = (number - 1) * limit
        ids = range(start + 1, min(start + limit, total_items) + 1)
        return Page(
            items=[Item(i) for i in ids],
            page=number,
            limit=limit,
            total=total_items if report_total else None,
            server_total_pages=-(-total_items // limit) if report_pages else None,
        )

    return asked, fetch


AsyncPaginatorFetch = object  # documentation alias for the tests' fetch functions


@pytest.mark.parametrize("report_total", [True, False])
@pytest.mark.parametrize(("total", "limit"), [(0, 10), (1, 10), (10, 10), (25, 10), (30, 10)])
async def test_every_item_once_in_order(total: int, limit: int, report_total: bool) -> None:
    asked, fetch = pages_of(total, limit, report_total=report_total)
    items = await AsyncPaginator(fetch, limit=limit).collect()  # type: ignore[arg-type]
    assert [item.id for item in items] == list(range(1, total + 1))
    pages_with_items = -(-total // limit)
    # With a total, a full last page is known to be last; without, one empty page confirms.
    extra = 1 if (not report_total and total % limit == 0 and total > 0) else 0
    assert asked == list(range(1, max(pages_with_items, 1) + extra + 1))


async def test_total_pages_stops_even_on_full_pages() -> None:
    asked, fetch = pages_of(30, 10, report_total=False, report_pages=True)
    items = await AsyncPaginator(fetch, limit=10).collect()  # type: ignore[arg-type]
    assert len(items) == 30 and asked == [1, 2, 3]


async def test_max_items_stops_early_and_truncates() -> None:
    asked, fetch = pages_of(100, 10)
    items = await AsyncPaginator(fetch, limit=10, max_items=25).collect()  # type: ignore[arg-type]
    assert [item.id for item in items] == list(range(1, 26))
    assert asked == [1, 2, 3]


async def test_pages_yields_page_objects() -> None:
    _, fetch = pages_of(25, 10)
    pages = [p async for p in AsyncPaginator(fetch, limit=10).pages()]  # type: ignore[arg-type]
    assert [p.page for p in pages] == [1, 2, 3]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert pages[0].total_pages == 3 and pages[0].has_next and not pages[2].has_next


async def test_same_page_again_raises_instead_of_looping() -> None:
    calls = 0

    async def stuck(number: int) -> Page[Item]:
        nonlocal calls
        calls += 1
        return Page(items=[Item(i) for i in range(1, 11)], page=number, limit=10)

    with pytest.raises(PaginationError, match="repeats"):
        await AsyncPaginator(stuck, limit=10).collect()
    assert calls == 2


async def test_server_answering_another_page_raises() -> None:
    async def ignores_page(number: int) -> Page[Item]:
        return Page(items=[Item(i) for i in range(1, 11)], page=1, limit=10, total=100)

    with pytest.raises(PaginationError, match="asked for page 2"):
        await AsyncPaginator(ignores_page, limit=10).collect()


async def test_capped_page_size_raises_rather_than_skipping() -> None:
    async def capped(number: int) -> Page[Item]:
        start = (number - 1) * 50
        return Page(items=[Item(i) for i in range(start, start + 50)], page=number, limit=100,
                    total=500)

    with pytest.raises(PaginationError, match="caps the page size"):
        await AsyncPaginator(capped, limit=100).collect()


async def test_items_shifted_over_a_page_boundary_are_yielded_once() -> None:
    # Two orders are created after page 1 was read (newest first): page 2 starts with the
    # last two items of page 1 again.
    pages = {
        1: [10, 9, 8, 7, 6],
        2: [7, 6, 5, 4, 3],
        3: [2, 1],
    }

    async def shifting(number: int) -> Page[Item]:
        return Page(items=[Item(i) for i in pages[number]], page=number, limit=5, total=12,
                    raw_items=[{"id": i} for i in pages[number]])

    got = [p async for p in AsyncPaginator(shifting, limit=5).pages()]
    assert [item.id for p in got for item in p.items] == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    # The raw JSON stays parallel to the typed items.
    assert all([r["id"] for r in p.raw_items] == [i.id for i in p.items] for p in got)


@pytest.mark.parametrize("concurrency", [2, 3, 8])
async def test_concurrent_fetch_yields_in_order(concurrency: int) -> None:
    asked, fetch = pages_of(95, 10)
    items = await AsyncPaginator(  # type: ignore[arg-type]
        fetch, limit=10, concurrency=concurrency
    ).collect()
    assert [item.id for item in items] == list(range(1, 96))
    assert sorted(asked) == list(range(1, 11))


async def test_concurrency_holds_at_most_that_many_pages() -> None:
    in_memory = 0
    peak = 0
    release = asyncio.Event()

    async def fetch(number: int) -> Page[Item]:
        nonlocal in_memory, peak
        in_memory += 1
        peak = max(peak, in_memory)
        if number > 1:
            await release.wait()
        return Page(items=[Item(number)], page=number, limit=1, total=20)

    paginator = AsyncPaginator(fetch, limit=1, concurrency=4)
    seen = []
    async for page in paginator.pages():
        release.set()
        seen.append(page.page)
        in_memory -= 1  # the consumer is done with this page
        await asyncio.sleep(0)
    assert seen == list(range(1, 21))
    assert peak <= 4


async def test_concurrent_max_items_fetches_only_needed_pages() -> None:
    asked, fetch = pages_of(1000, 10)
    items = await AsyncPaginator(  # type: ignore[arg-type]
        fetch, limit=10, concurrency=4, max_items=35
    ).collect()
    assert len(items) == 35
    assert sorted(asked) == [1, 2, 3, 4]


async def test_breaking_out_cancels_pending_fetches() -> None:
    started: list[int] = []
    cancelled: list[int] = []
    forever = asyncio.Event()

    async def slow(number: int) -> Page[Item]:
        if number <= 2:
            return Page(items=[Item(number)], page=number, limit=1, total=50)
        started.append(number)
        try:
            await forever.wait()
        except asyncio.CancelledError:
            cancelled.append(number)
            raise
        raise AssertionError("unreachable")

    before = asyncio.all_tasks()
    iterator = AsyncPaginator(slow, limit=1, concurrency=5).pages()
    async for page in iterator:
        if page.page == 2:  # pages 3.. are in flight now
            break
    await iterator.aclose()  # what `async for` leaves to the garbage collector, done now
    assert started and sorted(cancelled) == sorted(started)
    assert asyncio.all_tasks() - before == set()


async def test_a_failing_page_propagates_and_cancels_the_rest() -> None:
    cancelled: list[int] = []

    async def failing(number: int) -> Page[Item]:
        if number == 1:
            return Page(items=[Item(1)], page=1, limit=1, total=10)
        if number == 2:
            raise RuntimeError("page 2 failed")
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(number)
            raise
        raise AssertionError("unreachable")

    before = asyncio.all_tasks()
    with pytest.raises(RuntimeError, match="page 2 failed"):
        await AsyncPaginator(failing, limit=1, concurrency=4).collect()
    assert sorted(cancelled) == [3, 4, 5]
    assert asyncio.all_tasks() - before == set()


# -- conveniences (issue 13 item 14) ---------------------------------------------------------


def test_a_page_iterates_over_its_items() -> None:
    page = Page(items=[Item(1), Item(2)], page=1, limit=10, total=2)
    assert [item.id for item in page] == [1, 2]


async def test_aclose_stops_an_open_iteration_and_cancels_its_fetches() -> None:
    started: list[int] = []
    cancelled: list[int] = []
    release = asyncio.Event()

    async def fetch(number: int) -> Page[Item]:
        started.append(number)
        if number > 2:
            try:
                await release.wait()  # pages 3.. hang until cancelled
            except asyncio.CancelledError:
                cancelled.append(number)
                raise
        return Page(items=[Item(number)], page=number, limit=1, total=5)

    paginator = AsyncPaginator(fetch, limit=1, concurrency=3)
    iterator = paginator.__aiter__()
    assert (await iterator.__anext__()).id == 1
    assert (await iterator.__anext__()).id == 2  # the window 2..4 was started; 3 and 4 hang
    await asyncio.sleep(0)
    assert started == [1, 2, 3, 4] and cancelled == []
    await paginator.aclose()
    assert sorted(cancelled) == [3, 4]
    with pytest.raises(StopAsyncIteration):
        await iterator.__anext__()


async def test_aclose_on_a_paginator_never_iterated_is_harmless() -> None:
    _asked, fetch = pages_of(3, 1)
    paginator = AsyncPaginator(fetch, limit=1)  # type: ignore[arg-type]
    await paginator.aclose()
    assert len(await paginator.collect()) == 3
