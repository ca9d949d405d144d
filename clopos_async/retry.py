"""What is retried, how long to wait, and when a create's outcome becomes unknown.

Waits grow exponentially (``initial_delay`` doubling up to ``max_delay``) with equal jitter
(half the step fixed, half random, so a retry never fires immediately), unless the server
said how long to wait.

Why this loop is ours and not ``backoff.on_exception``: backoff's decorators re-raise the
original exception on giving up, while a create that may have reached the server must end
as `OutcomeUnknownError` (carrying its Idempotency-Key); they take one wait generator per
decorator, while a 429's ``Retry-After`` and a 503's exponential step share one attempt
count and one deadline here (stacking two decorators would count and time them apart);
a server-directed wait above ``max_retry_after`` must raise at once rather than be slept
or capped; every wait first pauses the client's admission gate; and tests switch sleeping
off process-wide (`set_retry_sleep`). Each of those needs a hook backoff does not have, so
the loop (30 lines in `call_with_retries`) stays here and backoff is not used at all,
rather than half-used as a number generator.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import attrs

from .errors import (
    APIConnectionError,
    APIStatusError,
    CloposError,
    OutcomeUnknownError,
    ResponseTooLargeError,
    ResponseValidationError,
)
from .validators import attrs_check, check_int, check_positive_number

__all__ = [
    "RetryPolicy",
    "Verdict",
    "call_with_retries",
    "classify",
    "retry_sleep_disabled",
    "set_retry_sleep",
]

T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Statuses after which the server cannot have acted on the request.
_NOT_PROCESSED_STATUSES = frozenset({408, 429})

_sleep_enabled = True


def set_retry_sleep(enabled: bool) -> None:
    """Turn retry and rate-limit waits on or off process-wide (off: for your test suites).

    With sleeping off, retries still happen, immediately, so tests stay fast.
    """
    global _sleep_enabled
    _sleep_enabled = enabled


def sleep_enabled() -> bool:
    """Whether waits really sleep (see `set_retry_sleep`)."""
    return _sleep_enabled


@contextlib.contextmanager
def retry_sleep_disabled() -> Iterator[None]:
    """Within this block, retries do not sleep. Example::

    with retry_sleep_disabled():
        await clopos.orders.get(1)
    """
    previous = _sleep_enabled
    set_retry_sleep(False)
    try:
        yield
    finally:
        set_retry_sleep(previous)


_positive = attrs_check(check_positive_number, unit="seconds")
_retries = attrs_check(check_int, minimum=0, maximum=100)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How failed requests are retried. Per client (``retry=``) or per call.

    Example::

        AsyncClopos(..., retry=RetryPolicy(max_retries=5, total_timeout=120))

    ``max_retries`` retries after the first attempt; waits grow from ``initial_delay`` doubling
    to ``max_delay``, with jitter; the whole call (attempts and waits) stops retrying after
    ``total_timeout`` seconds. A server-directed wait (Retry-After, RateLimit-Reset) longer
    than ``max_retry_after`` raises `RateLimitError` at once instead of sleeping.
    """

    max_retries: int = attrs.field(default=3, validator=_retries)
    initial_delay: float = attrs.field(default=0.5, validator=_positive)
    max_delay: float = attrs.field(default=8.0, validator=_positive)
    total_timeout: float = attrs.field(default=60.0, validator=_positive)
    max_retry_after: float = attrs.field(default=60.0, validator=_positive)
    jitter: bool = True

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that does not retry at all."""
        return cls(max_retries=0)

    def delays(self) -> Iterator[float]:
        """The backoff waits, in order: ~0.5, ~1, ~2, ~4, ~8, ~8, ... seconds."""
        step = min(self.initial_delay, self.max_delay)
        while True:
            yield step / 2 + random.uniform(0, step / 2) if self.jitter else step
            step = min(step * 2, self.max_delay)


class Verdict(str, enum.Enum):
    """The outcome of classifying one failure (a str enum: ``Verdict.RETRY == "retry"``)."""

    RETRY = "retry"
    GIVE_UP = "give up"
    UNKNOWN = "outcome unknown"


def _server_may_have_acted(exc: CloposError) -> bool:
    if isinstance(exc, APIConnectionError):
        return exc.request_sent
    if isinstance(exc, APIStatusError):
        return exc.status_code not in _NOT_PROCESSED_STATUSES
    return True  # a 2xx we could not read: the server did act


def classify(exc: CloposError, *, idempotent: bool, replay_safe: bool) -> Verdict:
    """Decide what to do after a failed attempt.

    ``idempotent``: repeating the request cannot change the outcome (GET, PUT IGNORE).
    ``replay_safe``: a non-idempotent request carries an Idempotency-Key the server honours
    (v1) or the caller opted in to ``retry_ambiguous_writes``.
    """
    if isinstance(exc, ResponseTooLargeError):
        # The same request would bring the same body: never retried. A write was made, though.
        return Verdict.GIVE_UP if idempotent else Verdict.UNKNOWN
    if isinstance(exc, APIConnectionError):
        retryable = True
    elif isinstance(exc, APIStatusError):
        # A 2xx with success: false is a glitch on a read; on a write it may have acted.
        retryable = exc.status_code in RETRY_STATUSES or exc.status_code < 300
    else:
        # A 2xx body that is not JSON or is truncated: the network or a proxy mangled it.
        retryable = isinstance(exc, ResponseValidationError)
    if not retryable:
        return Verdict.GIVE_UP
    if idempotent or replay_safe or not _server_may_have_acted(exc):
        return Verdict.RETRY
    return Verdict.UNKNOWN


def server_wait(exc: CloposError) -> float | None:
    """The wait the server asked for (Retry-After, or RateLimit-Reset on a 429), if any."""
    return exc.retry_after if isinstance(exc, APIStatusError) else None


async def call_with_retries(
    attempt: Callable[[int], Awaitable[T]],
    *,
    policy: RetryPolicy,
    idempotent: bool,
    replay_safe: bool,
    idempotency_key: str | None = None,
    before_wait: Callable[[CloposError, int, float], Awaitable[None]] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Run ``attempt(number)`` until it succeeds, a failure is final, or the policy is spent.

    Only the SDK's own errors are classified; anything else (a bug, `CancelledError`)
    propagates at once. ``await before_wait(error, attempt_number, wait)`` runs before each
    wait (logging, hooks, pausing the admission gate).
    """
    deadline = clock() + policy.total_timeout
    delays = policy.delays()
    number = 0
    while True:
        number += 1
        try:
            return await attempt(number)
        except CloposError as exc:
            verdict = classify(exc, idempotent=idempotent, replay_safe=replay_safe)
            if verdict is Verdict.GIVE_UP:
                raise
            if verdict is Verdict.UNKNOWN:
                raise _outcome_unknown(exc, idempotency_key) from exc
            wait = server_wait(exc)
            if wait is not None and wait > policy.max_retry_after:
                raise  # e.g. Retry-After: 120 with a 60 s cap: the caller decides
            if wait is None:
                wait = next(delays)
            if number > policy.max_retries or clock() + wait > deadline:
                if not idempotent and _server_may_have_acted(exc):
                    raise _outcome_unknown(exc, idempotency_key) from exc
                raise
            if before_wait is not None:
                await before_wait(exc, number, wait)
            if _sleep_enabled:
                await asyncio.sleep(wait)


def _outcome_unknown(exc: CloposError, idempotency_key: str | None) -> OutcomeUnknownError:
    key = idempotency_key or ""
    return OutcomeUnknownError(
        f"the create may or may not have been processed ({exc}); reconcile using "
        f"Idempotency-Key {key!r}, or list recent orders before sending it again",
        idempotency_key=key,
    )
