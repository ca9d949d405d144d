"""What a write does after an ambiguous failure: the one policy of every non-idempotent write.

The API documents idempotency for none of the receipt and customer writes (REFERENCE §2.7), so
each reconciled write is sent with ``replayable=False``: an attempt the server may have acted
on (a reset after it committed, a 5xx, a timeout) is never resent blindly; it reaches this
loop, which decides from what the server holds:

- a write the server refuses to repeat (a create carrying its client ``cid``, unique on the
  server) is retried at once (``retry_is_safe``); if that retry is refused (409 on the cid),
  the refusal may be our own earlier attempt, so the effect is looked for (``find``) and
  returned when it is there;
- a write the server would apply twice (closing a receipt) is looked for *before* any retry:
  done -> its result; not done -> retried; anything else -> `OutcomeUnknownError`.

A refusal on a first, clean attempt (409 ``duplicate_phone``, 400, 404) is the caller's answer
and is raised as is, except for a PUT or DELETE (``resent_by_http``): aiohttp itself resends
those once when a kept-alive connection drops (RFC 9112 §9.3.1), so their "first" refusal may
answer our own committed send; it is checked by reading like any later one.

Attempts and the waits between them follow the client's `RetryPolicy` (``max_retries``
resends after the first attempt, its backoff between them), so ``RetryPolicy.never()`` sends a
reconciled write once and only reads it back.

When the effect cannot be checked (the read fails too, or shows a state that is neither done
nor untouched) the caller gets `OutcomeUnknownError` with what to check
(``reconcile_with``); when every attempt failed and the reads showed nothing done, the caller
gets the last failure itself: the outcome is known, the write did not happen.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from ..errors import APIStatusError, CloposError, OutcomeUnknownError
from ..retry import RetryPolicy, sleep_enabled

__all__ = ["Found", "Outcome", "write_reconciled"]

T = TypeVar("T")


class Outcome(enum.Enum):
    """What a read-back says about the write."""

    DONE = "done"  # the effect is there: the write succeeded
    NOT_DONE = "not done"  # nothing happened: sending it (again) is safe
    UNKNOWN = "unknown"  # something else: the caller must look


@attrs.frozen
class Found(Generic[T]):
    """A read-back's verdict, with the result to return when it is `Outcome.DONE`."""

    outcome: Outcome
    result: T | None = None
    detail: str = ""


async def write_reconciled(
    write: Callable[[], Awaitable[T]],
    find: Callable[[], Awaitable[Found[T]]],
    *,
    policy: RetryPolicy,
    what: str,
    retry_is_safe: bool,
    reconcile_with: Mapping[str, Any],
    idempotency_key: str = "",
    resent_by_http: bool = False,
) -> T:
    """Run ``write`` under the policy above; ``find`` reads back whether it took effect."""
    ambiguous: CloposError | None = None
    last: CloposError | None = None
    delays = policy.delays()
    for attempt in range(policy.max_retries + 1):
        if attempt and sleep_enabled():
            await asyncio.sleep(next(delays))
        try:
            return await write()
        except OutcomeUnknownError as exc:
            failure: CloposError = exc.__cause__ if isinstance(exc.__cause__, CloposError) else exc
            ambiguous = last = failure
            if retry_is_safe:
                continue  # the server refuses a repeat (unique cid): resend as is
        except APIStatusError as exc:
            if ambiguous is None and not resent_by_http:
                raise  # refused on a clean attempt: the caller's answer
            last = exc  # refused after an attempt that may have landed: perhaps ours
        found = await _read_back(find, what, reconcile_with, idempotency_key, last)
        if found.outcome is Outcome.DONE:
            return found.result  # type: ignore[return-value]
        if found.outcome is Outcome.UNKNOWN and ambiguous is not None:
            raise _unknown(what, found.detail, reconcile_with, idempotency_key) from last
        if isinstance(last, APIStatusError) and last is not ambiguous:
            raise last  # a real refusal: no earlier send landed
    assert last is not None
    if ambiguous is not None and retry_is_safe:
        # Every attempt ended ambiguously and none was read back: look once before giving up.
        found = await _read_back(find, what, reconcile_with, idempotency_key, last)
        if found.outcome is Outcome.DONE:
            return found.result  # type: ignore[return-value]
        if found.outcome is Outcome.UNKNOWN:
            raise _unknown(what, found.detail, reconcile_with, idempotency_key) from last
    raise last  # the reads showed nothing done: a known failure


async def _read_back(
    find: Callable[[], Awaitable[Found[T]]], what: str, reconcile_with: Mapping[str, Any],
    idempotency_key: str, failure: CloposError,
) -> Found[T]:
    try:
        return await find()
    except CloposError as read_error:
        raise _unknown(what, f"reading it back failed too ({read_error}; the write failed "
                             f"with {failure})", reconcile_with, idempotency_key) from read_error


def _unknown(what: str, detail: str, reconcile_with: Mapping[str, Any],
             idempotency_key: str) -> OutcomeUnknownError:
    check = ", ".join(f"{key}={value!r}" for key, value in reconcile_with.items())
    return OutcomeUnknownError(
        f"{what} may or may not have taken effect: {detail}; check {check} before sending it "
        "again", idempotency_key=idempotency_key, reconcile_with=reconcile_with,
    )
