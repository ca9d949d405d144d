"""Idempotency keys: one per create, the same on every attempt, reachable by the caller.

A create can end without an answer: an ambiguous failure (`OutcomeUnknownError` carries the
key) or the caller's own task being cancelled after the POST left. For the latter, the
`asyncio.CancelledError` that propagates out of ``request()``/``orders.create()`` carries the
key as ``idempotency_key`` (read it with `idempotency_key_of`); callers who prefer to hold
the key before sending generate it with `new_idempotency_key` and pass it in. Reconcile with
it: on v1, send the create again with the same key (the server answers with the order it
made, or makes it now); on v2, look for the order among recent ones before sending it again.
"""

from __future__ import annotations

import uuid

__all__ = ["attach_key", "idempotency_key_of", "new_idempotency_key"]


def new_idempotency_key() -> str:
    """A fresh key (a uuid4), to keep before calling ``orders.create(..., idempotency_key=)``.

    Example::

        key = new_idempotency_key()
        save_pending(key)  # e.g. beside the cart, so a crash or a cancel can be reconciled
        order = await clopos.orders.create(new_order, idempotency_key=key)
    """
    return str(uuid.uuid4())


def attach_key(cancelled: BaseException, key: str) -> None:
    """Put a create's key on the exception that interrupted it (``exc.idempotency_key``)."""
    if getattr(cancelled, "idempotency_key", None) is None:
        cancelled.idempotency_key = key  # type: ignore[attr-defined]


def idempotency_key_of(cancelled: BaseException) -> str | None:
    """The key of the create a `CancelledError` interrupted, or None if it interrupted none.

    Read it through this function rather than ``exc.idempotency_key``: on Python 3.10,
    ``await task`` raises a new `CancelledError` whose ``__context__`` is the one that carries
    the key, so the chain is followed. Example::

        try:
            await task  # a task running clopos.orders.create(...)
        except asyncio.CancelledError as cancelled:
            save_for_reconciling(idempotency_key_of(cancelled))
            raise
    """
    seen: set[int] = set()
    current: BaseException | None = cancelled
    while current is not None and id(current) not in seen:  # a context chain may loop
        key = getattr(current, "idempotency_key", None)
        if isinstance(key, str):
            return key
        seen.add(id(current))
        current = current.__context__
    return None
