"""Auto-pagination over page/limit listings, optionally fetching pages concurrently.

Stop rules (REFERENCE §2.5): a short page, an empty page, ``page >= total_pages`` or
``page * limit >= total``. Items that slid over a page boundary because orders were created
during the listing (the last items of page N shown again at the top of page N+1) are yielded
once.

The listing must make progress, or it raises `PaginationError` rather than looping: a server
that answers a different page than asked, a full page with no new item (the same page again,
pages rotating or alternating), full pages that are mostly repeats several times running, or
a listing gone far past the total the first page reported. Repeats are recognised among the
last `REMEMBERED_KEYS` item keys, so memory stays bounded however long the listing.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import weakref
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Hashable,
    Sequence,
)
from typing import Generic, TypeVar

import attrs

from .errors import APIError
from .gc_scope import relaxed_gc
from .models.page import Page

__all__ = ["MAX_PAGES", "REMEMBERED_KEYS", "AsyncPaginator", "PaginationError"]

T = TypeVar("T")
_Yielded = TypeVar("_Yielded")

# A safety net against a server that keeps returning full, ever-new pages.
MAX_PAGES = 1_000_000
# How many recent item keys are remembered to recognise repeats (100 pages of 100).
REMEMBERED_KEYS = 10_000
# Full pages that are mostly repeats, in a row, before the listing is declared stuck. Orders
# created during a listing shift a few items per page, never most of several pages.
_MOSTLY_REPEATS_IN_A_ROW = 3
# A listing may outgrow the first page's total (orders keep coming), but not this much.
_TOTAL_GROWTH = 2


class PaginationError(APIError):
    """The server's pages do not advance (a repeated or unexpected page)."""


def _subset(page: Page[T], keep: Sequence[int]) -> Page[T]:
    """The page with only the items at ``keep`` (and their raw JSON and degraded notes)."""
    raw = page.raw_items
    position = {index: new for new, index in enumerate(keep)}
    return attrs.evolve(
        page,
        items=[page.items[index] for index in keep],
        raw_items=[raw[index] for index in keep] if len(raw) == len(page.items) else raw,
        degraded=tuple(
            attrs.evolve(note, index=position[note.index])
            for note in page.degraded if note.index in position
        ),
    )


def _item_key(item: object) -> Hashable:
    key = getattr(item, "id", None)
    # An item without an id is never a repeat: a fresh object equals nothing else (id(item)
    # would, once the item is garbage and its address reused).
    return key if key is not None else object()


class _Progress:
    """Whether a listing is advancing: repeats among recent keys, growth past the total."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._recent: dict[Hashable, None] = {}  # insertion-ordered: oldest first
        self._mostly_repeats = 0
        self._new_items = 0
        self._first_total: int | None = None

    def new_items(self, page: Page[T], keys: Sequence[Hashable]) -> list[int]:
        """The indexes of the page's items not seen recently; raises when stuck."""
        if self._first_total is None:
            self._first_total = page.total
        fresh = [index for index, key in enumerate(keys) if key not in self._recent]
        full = len(keys) >= max(page.limit, 1)
        if full and not fresh:
            raise PaginationError(
                f"page {page.page} brings no new item (it repeats items seen before); "
                "stopping instead of looping (does the server ignore the page parameter?)"
            )
        mostly_repeats = full and 2 * len(fresh) < len(keys)
        self._mostly_repeats = self._mostly_repeats + 1 if mostly_repeats else 0
        if self._mostly_repeats >= _MOSTLY_REPEATS_IN_A_ROW:
            raise PaginationError(
                f"pages {page.page - _MOSTLY_REPEATS_IN_A_ROW + 1}..{page.page} are mostly "
                "items seen before; stopping instead of looping"
            )
        self._new_items += len(fresh)
        total = self._first_total
        if total is not None and self._new_items > _TOTAL_GROWTH * total + self._limit:
            raise PaginationError(
                f"{self._new_items} items listed while the first page reported total={total}; "
                "stopping instead of looping"
            )
        self._remember(keys)
        return fresh

    def _remember(self, keys: Sequence[Hashable]) -> None:
        recent = self._recent
        for key in keys:
            recent.pop(key, None)
            recent[key] = None
        excess = len(recent) - REMEMBERED_KEYS
        if excess > 0:
            # The oldest in one pass: `next(iter(recent))` per key would walk the holes the
            # earlier deletions left at the front every time (a page of 100 cost ~100 walks).
            for key in list(itertools.islice(recent, excess)):
                del recent[key]


class AsyncPaginator(Generic[T]):
    """Iterate every item of a listing: ``async for``, ``.pages()`` or ``.collect()``.

    Example::

        async for order in clopos.orders.list(status="PENDING", limit=100):
            ...
        orders = await clopos.orders.list(limit=100, concurrency=8).collect()

    With ``concurrency > 1`` and a total known from the first page, the remaining pages are
    fetched up to ``concurrency`` at a time and still yielded in page order; at most
    ``concurrency`` pages are held in memory. Leaving the loop early cancels pending fetches.
    """

    def __init__(
        self,
        fetch_page: Callable[[int], Awaitable[Page[T]]],
        *,
        limit: int,
        start_page: int = 1,
        max_items: int | None = None,
        concurrency: int = 1,
        key: Callable[[T], Hashable] = _item_key,
        relax_gc: bool = True,
    ) -> None:
        self._fetch_page = fetch_page
        self._limit = limit
        self._start_page = start_page
        self._max_items = max_items
        self._concurrency = concurrency
        self._key = key
        self._relax_gc = relax_gc
        # Iterations started and not yet finished, for aclose(); weak, so that an abandoned
        # loop is still collected (and closed) by the garbage collector as before.
        self._open: weakref.WeakSet[AsyncGenerator[object, None]] = weakref.WeakSet()

    def __repr__(self) -> str:
        return (
            f"<AsyncPaginator limit={self._limit} start_page={self._start_page} "
            f"max_items={self._max_items} concurrency={self._concurrency}>"
        )

    def __aiter__(self) -> AsyncIterator[T]:
        return self._tracked(self._items(self._relax_gc))

    def _tracked(self, generator: AsyncGenerator[_Yielded, None]) -> AsyncGenerator[_Yielded, None]:
        self._open.add(generator)
        return generator

    async def aclose(self) -> None:
        """Stop every iteration of this paginator still open, cancelling its pending fetches.

        For a loop left early (``break``) when waiting for garbage collection is not good
        enough, e.g. with ``concurrency > 1`` fetches in flight. Iterating again starts over.
        """
        for generator in list(self._open):
            await generator.aclose()

    async def _items(self, relax_gc: bool) -> AsyncGenerator[T, None]:
        async with contextlib.aclosing(self._relaxed_pages(relax_gc)) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def collect(self, *, relax_gc: bool | None = None) -> list[T]:
        """Fetch everything (up to ``max_items``) into a list.

        ``relax_gc`` overrides the paginator's choice for this call (see `pages`).
        """
        relax = self._relax_gc if relax_gc is None else relax_gc
        async with contextlib.aclosing(self._tracked(self._items(relax))) as items:
            return [item async for item in items]

    def pages(self, *, relax_gc: bool | None = None) -> AsyncGenerator[Page[T], None]:
        """Yield whole pages, checked and de-duplicated, in page order.

        Until the listing ends or is closed, the cyclic garbage collector runs less often
        (`relaxed_gc`: its first threshold is raised, then restored): re-scanning the orders
        being structured and held was most of the CPU of a bulk listing. ``relax_gc=False``
        here (or the paginator's ``relax_gc=False``) leaves the collector exactly as it is.
        Close a listing you leave early (`aclose`, ``contextlib.aclosing``), so the threshold comes
        back at once rather than when the generator is finalized.
        """
        return self._tracked(self._relaxed_pages(
            self._relax_gc if relax_gc is None else relax_gc))

    async def _relaxed_pages(self, relax_gc: bool) -> AsyncGenerator[Page[T], None]:
        with relaxed_gc(relax_gc):
            async with contextlib.aclosing(self._pages()) as checked:
                async for page in checked:
                    yield page

    async def _pages(self) -> AsyncGenerator[Page[T], None]:
        progress = _Progress(self._limit)
        remaining = self._max_items
        expected = self._start_page
        async with contextlib.aclosing(self._fetched_pages()) as fetched:
            async for page in fetched:
                if page.page != expected:
                    raise PaginationError(
                        f"asked for page {expected}, the server answered page {page.page}"
                    )
                expected += 1
                # A page repeating the previous one is a full page with no new item:
                # `_Progress` stops it with every other way of not advancing.
                keys = [self._key(item) for item in page.items]
                keep: Sequence[int] = progress.new_items(page, keys)
                if remaining is not None:
                    keep = keep[:remaining]
                    remaining -= len(keep)
                if len(keep) != len(page.items):
                    page = _subset(page, keep)
                yield page
                if remaining == 0:
                    return

    def _continues_after(self, page: Page[T], fetched_items: int) -> bool:
        if (
            page.page == self._start_page == 1
            and 0 < len(page.items) < page.limit
            and page.total is not None
            and page.total > len(page.items)
        ):
            # A short first page while the total says more exist: the server caps the page
            # size below `limit`. Going on would compute wrong page numbers and skip orders.
            raise PaginationError(
                f"the server returned {len(page.items)} items for limit={page.limit} while "
                f"total={page.total}: it caps the page size; use limit={len(page.items)}"
            )
        if not page.has_next:
            return False
        if page.page - self._start_page + 1 >= MAX_PAGES:
            raise PaginationError(f"stopped after {MAX_PAGES} pages")
        return self._max_items is None or fetched_items < self._max_items

    def _last_page_wanted(self, first: Page[T]) -> int | None:
        total_pages = first.total_pages
        if total_pages is None:
            return None
        if self._max_items is not None:
            pages_for_max = -(-self._max_items // self._limit)
            total_pages = min(total_pages, self._start_page + pages_for_max - 1)
        return total_pages

    async def _fetched_pages(self) -> AsyncGenerator[Page[T], None]:
        page = await self._fetch_page(self._start_page)
        fetched = len(page.items)
        yield page
        if not self._continues_after(page, fetched):
            return
        last = self._last_page_wanted(page)
        if self._concurrency > 1 and last is not None:
            async with contextlib.aclosing(self._concurrent(self._start_page + 1, last)) as rest:
                async for page in rest:
                    fetched += len(page.items)
                    yield page
                    if not self._continues_after(page, fetched):
                        return
            return
        number = self._start_page + 1
        while True:
            page = await self._fetch_page(number)
            fetched += len(page.items)
            yield page
            if not self._continues_after(page, fetched):
                return
            number += 1

    async def _concurrent(self, first: int, last: int) -> AsyncGenerator[Page[T], None]:
        """Fetch pages first..last with a sliding window, yielding them in order."""
        window: deque[asyncio.Task[Page[T]]] = deque()
        number = first
        try:
            while window or number <= last:
                # Refilled only after the consumer is done with the previous page, so at
                # most `concurrency` pages exist at once (in flight, or being consumed).
                while len(window) < self._concurrency and number <= last:
                    window.append(asyncio.ensure_future(self._fetch_page(number)))
                    number += 1
                # Awaited while still in the window, so a cancellation here cancels it too.
                page = await window[0]
                window.popleft()
                yield page
        finally:
            for pending in window:
                pending.cancel()
            if window:
                # Wait for them, so that closing the loop leaves nothing running; their
                # errors (or cancellations) were superseded by ours.
                await asyncio.gather(*window, return_exceptions=True)
