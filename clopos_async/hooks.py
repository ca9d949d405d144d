"""Observability: the events passed to ``on_request``/``on_response``/``on_retry`` hooks.

Hooks are plain callables (or coroutine functions) given to the client::

    AsyncClopos(..., on_response=lambda event: metrics.observe(event.elapsed))

They see no secrets: no token, no credentials, no bodies. A hook that raises is logged and
ignored, so monitoring code cannot break order processing.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import attrs

from .errors import CloposError

__all__ = ["Hook", "RequestEvent", "ResponseEvent", "RetryEvent", "call_hook"]

logger = logging.getLogger("clopos_async")

E = TypeVar("E")
Hook = Callable[[E], Awaitable[None] | None]


@attrs.frozen
class RequestEvent:
    """An attempt is about to be sent (after admission by the rate-limit gate)."""

    method: str
    path: str
    attempt: int
    idempotency_key: str | None


@attrs.frozen
class ResponseEvent:
    """An attempt got an HTTP response (any status)."""

    method: str
    path: str
    attempt: int
    status: int
    elapsed: float  # seconds
    headers: Mapping[str, str]
    idempotency_key: str | None


@attrs.frozen
class RetryEvent:
    """An attempt failed and will be retried after ``wait`` seconds."""

    method: str
    path: str
    attempt: int
    error: CloposError
    wait: float


async def call_hook(hook: Callable[[Any], Any] | None, event: object) -> None:
    """Run a hook, awaiting it if it is async; log and swallow its failures."""
    if hook is None:
        return
    try:
        result = hook(event)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.exception("clopos_async hook %r failed on %s", hook, type(event).__name__)
