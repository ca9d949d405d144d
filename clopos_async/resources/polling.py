"""The polling loop every watcher shares (the API has no webhooks: REFERENCE §4.13).

A watcher says how to take one snapshot of what it watches; this loop takes one every
``interval`` seconds and applies the one failure policy of all watchers: the client has already
retried each request, so a transient failure (an outage, a 5xx, a malformed answer) is logged
and tried again at the next poll, while failures that retrying cannot fix (authentication,
permission, a path the server does not have) end the watch by raising.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from ..errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
)
from ..pagination import AsyncPaginator

__all__ = ["FATAL_WATCH_ERRORS", "OVERLAP", "newest_first_since", "poll_every", "utc_now"]

logger = logging.getLogger("clopos_async")

T = TypeVar("T")

# Items stamped this long before the previous poll's newest stamp are re-read, in case the
# server's clock or sort puts near-simultaneous changes out of order.
OVERLAP = timedelta(seconds=60)
# Failures that end a watch: retrying cannot fix them.
FATAL_WATCH_ERRORS = (AuthenticationError, PermissionDeniedError, NotFoundError)


async def poll_every(
    interval: float, poll: Callable[[], Awaitable[T]], *, what: str
) -> AsyncGenerator[T, None]:
    """Yield ``await poll()`` every ``interval`` seconds, forever, under the watch policy.

    The first poll happens at once. ``what`` names the watch in the log (``"order watch"``).
    The consumer's time between snapshots does not count: the next poll starts ``interval``
    seconds after the consumer asks for it.
    """
    first = True
    while True:
        if not first:
            await asyncio.sleep(interval)
        first = False
        try:
            snapshot = await poll()
        except FATAL_WATCH_ERRORS:
            raise
        except (APIStatusError, APIConnectionError, ResponseValidationError) as exc:
            logger.warning("%s: poll failed (%s); trying again in %.1fs", what, exc, interval)
            continue
        yield snapshot


def utc_now() -> datetime:
    """The current time, in UTC (the watchers' date windows are whole UTC days)."""
    return datetime.now(timezone.utc)


async def newest_first_since(
    listing: AsyncPaginator[T], stamp: Callable[[T], datetime | None], newest: datetime | None
) -> list[T]:
    """Read a listing sorted newest ``stamp`` first, as far back as the previous poll reached.

    ``newest`` is the previous poll's newest stamp (None on the first poll: read everything);
    items older than it, less `OVERLAP`, end the read.
    """
    stop_before = newest - OVERLAP if newest is not None else None
    found: list[T] = []
    async with contextlib.aclosing(listing.pages()) as pages:
        async for page in pages:
            for item in page.items:
                when = stamp(item)
                if stop_before is not None and when is not None and when < stop_before:
                    return found
                found.append(item)
    return found
