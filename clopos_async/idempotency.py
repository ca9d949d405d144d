"""Idempotency keys: one per create, the same on every attempt, reachable by the caller.

A create can end without an answer: an ambiguous failure (`OutcomeUnknownError` carries the
key) or the caller's own task being cancelled after the POST left. For the latter, the
`asyncio.CancelledError` that propagates out of ``request()``/``orders.create()`` carries the
key as ``idempotency_key``; callers who prefer to hold the key before sending generate it
with `new_idempotency_key` and pass it in. Reconcile with it: on v1, send the create again
with the same key (the server answers with the order it made, or makes it now); on v2, look
for the order among recent ones before sending it again.
"""

from __future__ import annotations

import uuid

__all__ = ["attach_key", "new_idempotency_key"]


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
