"""The client's side of a shared quota: ask the store, degrade to local pacing, recover.

The admission gate asks `SharedGate.admit` before each send and awaits `answered` after each
answer (which carries the server's ``RateLimit-*`` word along). While the store answers, it
paces every process of the quota; when it cannot, `admit` returns None and the gate paces
this process on its own (one WARNING), asking the store again every `RECHECK_AFTER` seconds
until it answers (an INFO line then). A store never fails a request.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from .store import QuotaStore, QuotaStoreUnavailable, ServerReport

__all__ = ["RECHECK_AFTER", "SharedGate"]

logger = logging.getLogger("clopos_async")

T = TypeVar("T")

# How long a process paces on its own before asking an unreachable store again.
RECHECK_AFTER = 1.0


class SharedGate:
    """One quota's store and namespace, as seen by one client."""

    def __init__(
        self,
        store: QuotaStore,
        namespace: str,
        *,
        owns_store: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._namespace = namespace
        self._owns_store = owns_store
        self._clock = clock
        self._report: ServerReport | None = None
        self._down_until: float | None = None  # set while the store is unreachable

    def __repr__(self) -> str:
        return f"<SharedGate {'degraded' if self.degraded else 'shared'}>"

    @property
    def degraded(self) -> bool:
        """Whether the store was unreachable at the last attempt (pacing is local)."""
        return self._down_until is not None

    def observe(self, limit: int | None, remaining: int | None, reset_after: float | None) -> None:
        """Keep the server's latest word; it travels with the next `answered` (no extra trip)."""
        if limit is None and remaining is None and reset_after is None:
            return
        self._report = ServerReport(limit, remaining, reset_after)

    async def admit(
        self, check_wait: Callable[[float], None], sleep: Callable[[float], Awaitable[None]]
    ) -> str | None:
        """Reserve a slot in the shared window, waiting as the store says; return its ticket.

        ``check_wait(seconds)`` raises when the caller will not wait that long. None: the
        store is unreachable, pace locally. Await `answered` with the ticket once the
        request is over.
        """
        ticket = secrets.token_hex(8)
        while True:
            wait = await self._call(self._store.reserve(self._namespace, ticket))
            if wait is None:
                return None
            if wait <= 0:
                return ticket
            check_wait(wait)
            await sleep(wait)

    async def answered(self, ticket: str) -> None:
        """The request of ``ticket`` is over (the server has counted it by now)."""
        report, self._report = self._report, None
        await self._call(self._store.answered(self._namespace, ticket, report))

    async def pause(self, seconds: float) -> None:
        """Hold every process of the quota for ``seconds`` (after a 429)."""
        await self._call(self._store.pause(self._namespace, seconds))

    async def aclose(self) -> None:
        """Close the store if this client opened it."""
        if self._owns_store:
            await self._store.aclose()

    async def _call(self, call: Coroutine[Any, Any, T]) -> T | None:
        """Run a store call; None (and local pacing) while the store is unreachable."""
        if self._down_until is not None and self._clock() < self._down_until:
            call.close()  # never awaited: the store was down a moment ago
            return None
        try:
            result = await call
        except QuotaStoreUnavailable as exc:
            if self._down_until is None:
                logger.warning("the shared quota store is unreachable (%s); pacing this "
                               "process on its own until it answers again", exc)
            self._down_until = self._clock() + RECHECK_AFTER
            return None
        if self._down_until is not None:
            logger.info("the shared quota store answers again; sharing the quota")
            self._down_until = None
        return result
