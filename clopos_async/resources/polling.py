"""The polling loop every watcher shares (the API has no webhooks: REFERENCE §4.13).

A watcher says how to take one snapshot of what it watches; this loop takes one every
``interval`` seconds and applies the one failure policy of all watchers: the client has already
retried each request, so a transient failure (an outage, a 5xx, a malformed answer) is logged
and tried again at the next poll, while failures that retrying cannot fix (authentication,
permission, a path the server does not have) end the watch by raising.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import TypeVar

from ..errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
)

__all__ = ["FATAL_WATCH_ERRORS", "poll_every"]

logger = logging.getLogger("clopos_async")

T = TypeVar("T")

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
