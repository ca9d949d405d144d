"""Running a watcher (orders, stop list) in the background while a test changes the fake."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Generic, TypeVar

from clopos_async import AuthenticationError
from clopos_async.testing import FakeClopos

T = TypeVar("T")


class BackgroundWatch(Generic[T]):
    """Consumes a watch iterator in a task, recording everything it yields in ``seen``."""

    def __init__(self, iterator: AsyncIterator[T]) -> None:
        self.seen: list[T] = []
        self._iterator = iterator
        self._yielded = asyncio.Event()
        self._task = asyncio.ensure_future(self._consume())

    async def _consume(self) -> None:
        async for item in self._iterator:
            self.seen.append(item)
            self._yielded.set()

    async def until(self, count: int) -> None:
        """Wait until ``count`` items in all were yielded; raise what ended the watch early."""
        while len(self.seen) < count:
            if self._task.done():
                self._task.result()
                raise AssertionError(f"the watch ended after {len(self.seen)} of {count} items")
            self._yielded.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._yielded.wait(), timeout=0.05)

    async def stop(self) -> None:
        self._task.cancel()
        # A watch that already ended with an error has reported it through until().
        with contextlib.suppress(asyncio.CancelledError, AuthenticationError):
            await self._task
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None:
            await aclose()


@contextlib.asynccontextmanager
async def watching(iterator: AsyncIterator[T]) -> AsyncIterator[BackgroundWatch[T]]:
    watch = BackgroundWatch(iterator)
    try:
        yield watch
    finally:
        await watch.stop()


async def polls_done(fake: FakeClopos, count: int) -> None:
    """Wait until the watcher has made ``count`` more requests."""
    target = fake.counters.requests + count
    while fake.counters.requests < target:
        await asyncio.sleep(0.01)
