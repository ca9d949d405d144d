"""`Requester`: the little resources need from a client, so they never import the client.

`AsyncClopos` satisfies it; so can a test double or a future sync client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .reply import Reply
from .retry import RetryPolicy
from .versions import ApiVersion

__all__ = ["Requester"]


class Requester(Protocol):
    """Sends one authenticated, retried request and returns its decoded `Reply`."""

    @property
    def version(self) -> ApiVersion:
        """The API version profile the requests go to."""

    @property
    def strict(self) -> bool:
        """Whether a listed item that does not fit its model raises (else it is degraded)."""

    @property
    def relax_gc(self) -> bool:
        """Whether listings relax the cyclic garbage collector while they run."""

    @property
    def retry_policy(self) -> RetryPolicy:
        """How failed requests are retried; reconciled writes pace their attempts by it too."""

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        json: object = None,
        idempotency_key: str | None = None,
        replayable: bool | None = None,
    ) -> Reply:
        """Send ``method path`` and decode the reply (raising the typed error on failure).

        ``replayable=False``: an attempt the server may have acted on is never sent again
        (it ends as `OutcomeUnknownError`), for writes reconciled by the caller (`reconcile`).
        """
