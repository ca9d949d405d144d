"""Pagination must make progress (issue 8 item 9).

Servers that ignore ``page`` and rotate, alternate, or slide by one item, and one whose
total keeps growing: each raises `PaginationError` after a few pages. Scripted page
functions for the rules, and one hostile server end to end. Every script stops by itself
after `CAP` calls, so the old code (which looped on) fails instead of hanging.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import attrs
import pytest
from aiohttp import web

from clopos_async import AsyncClopos, AsyncPaginator, Page, PaginationError
from clopos_async.pagination import REMEMBERED_KEYS

from .hostile import serve

CAP = 2000
LIMIT = 10


@attrs.frozen
class Item:
    id: int


Fetch = Callable[[int], Awaitable[Page[Item]]]


def scripted(ids_for: Callable[[int], list[int]], *, total: int | None = None
             ) -> tuple[list[int], Fetch]:  # fmt: skip
    asked: list[int] = []

    async def fetch(number: int) -> Page[Item]:
        asked.append(number)
        ids = ids_for(number) if number <= CAP else []
        return Page(items=[Item(i) for i in ids], page=number, limit=LIMIT, total=total)

    return asked, fetch


def block(start: int) -> list[int]:
    return list(range(start, start + LIMIT))


@pytest.mark.parametrize(("name", "ids_for"), [
    ("rotating over 3 pages", lambda n: block(100 * (n % 3))),
    ("rotating over 50 pages", lambda n: block(100 * (n % 50))),
    ("alternating", lambda n: block(100 * (n % 2))),
    ("sliding by one", lambda n: list(range(n, n + LIMIT))),
])  # fmt: skip
@pytest.mark.parametrize("concurrency", [1, 4])
async def test_a_listing_that_does_not_advance_raises(
    name: str, ids_for: Callable[[int], list[int]], concurrency: int
) -> None:
    asked, fetch = scripted(ids_for, total=1_000_000)  # a total that never stops it
    with pytest.raises(PaginationError):
        await AsyncPaginator(fetch, limit=LIMIT, concurrency=concurrency).collect()
    assert len(asked) < 100, name


async def test_a_listing_far_past_its_total_raises() -> None:
    # Always new items, and a total that grows with each page so the stop rules never fire.
    async def growing(number: int) -> Page[Item]:
        ids = block(number * LIMIT) if number <= CAP else []
        return Page(items=[Item(i) for i in ids], page=number, limit=LIMIT,
                    total=50 if number == 1 else (number + 1) * LIMIT)

    with pytest.raises(PaginationError, match="total=50"):
        await AsyncPaginator(growing, limit=LIMIT).collect()


async def test_a_rotation_without_a_total_is_caught_while_it_fits_in_memory() -> None:
    pages = REMEMBERED_KEYS // LIMIT  # the longest rotation the bounded memory recognises
    asked, fetch = scripted(lambda n: block(100 * (n % pages)))
    with pytest.raises(PaginationError, match="no new item"):
        await AsyncPaginator(fetch, limit=LIMIT).collect()
    assert len(asked) <= pages + 1


async def test_honest_shifts_and_growth_still_list_everything_once() -> None:
    # Newest first while orders arrive: each page repeats the previous page's last 3 items,
    # and the total grows by 3 per page (+30% over the listing, well within the bound).
    async def shifting(number: int) -> Page[Item]:
        start = 1000 - (number - 1) * (LIMIT - 3)
        ids = list(range(start, start - (LIMIT if number <= 30 else 5), -1))
        return Page(items=[Item(i) for i in ids], page=number, limit=LIMIT,
                    total=300 + 3 * (number - 1))

    items = await AsyncPaginator(shifting, limit=LIMIT).collect()
    ids = [item.id for item in items]
    assert ids == list(range(1000, 785, -1))  # every item once, in order, to the last page


async def test_a_hostile_server_ignoring_page_is_stopped_end_to_end() -> None:
    answered = 0

    async def rotating(request: web.Request) -> web.Response:
        nonlocal answered
        answered += 1
        start = 100 * (answered % 3) if answered <= CAP else None
        data = [] if start is None else [{"id": i} for i in range(start, start + LIMIT)]
        return web.json_response({"success": True, "data": data, "total": 100_000})

    async with serve(rotating) as url:
        async with AsyncClopos(token="t", base_url=url) as clopos:
            with pytest.raises(PaginationError):
                await clopos.orders.list(limit=LIMIT).collect()
    assert answered < 10


def test_the_remembered_keys_are_exactly_the_latest_ones() -> None:
    # Bounded memory: the oldest keys go first (a repeat counts as recent again), and the
    # eviction keeps exactly REMEMBERED_KEYS, however many a page adds at once.
    from clopos_async.pagination import _Progress

    progress = _Progress(100)
    for start in range(0, REMEMBERED_KEYS + 100, 100):
        progress._remember(list(range(start, start + 100)))
    progress._remember([200, *range(REMEMBERED_KEYS + 100, REMEMBERED_KEYS + 150)])
    expected = [*range(150, 200), *range(201, REMEMBERED_KEYS + 100), 200,
                *range(REMEMBERED_KEYS + 100, REMEMBERED_KEYS + 150)]
    assert list(progress._recent) == expected
