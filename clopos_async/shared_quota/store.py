"""What the shared admission gate needs from a store, and how a quota's keys are named.

A store keeps, for one quota, a sliding-window log of send times, the server's latest
``RateLimit-*`` word and a 429 pause, and answers one question atomically: "may this request
go now, or how long must it wait?". `RedisQuotaStore` is the one shipped; anything with these
methods will do (tests, other backends).
"""

from __future__ import annotations

import hashlib
from typing import Protocol

import attrs

__all__ = ["QuotaStore", "QuotaStoreUnavailable", "ServerReport", "quota_namespace"]

# Bumped when the layout of the keys changes, so old and new SDKs never misread each other.
_LAYOUT = "v1"


@attrs.frozen
class ServerReport:
    """What one response said about the quota (any part may be missing)."""

    limit: int | None
    remaining: int | None
    reset_after: float | None


class QuotaStoreUnavailable(Exception):
    """The store could not be reached or did not answer; the caller paces on its own."""


class QuotaStore(Protocol):
    """One admission budget shared by every process that uses the same namespace."""

    async def reserve(self, namespace: str, ticket: str) -> float:
        """Record the send ``ticket`` and return 0.0, or return seconds to wait.

        Raises `QuotaStoreUnavailable` (as every method does) when the store cannot answer.
        """
        ...

    async def answered(self, namespace: str, ticket: str, report: ServerReport | None) -> None:
        """The send ``ticket`` got its answer now; ``report`` is the server's word in it."""
        ...

    async def pause(self, namespace: str, seconds: float) -> None:
        """Hold every sender of ``namespace`` for ``seconds`` (after a 429)."""
        ...

    async def aclose(self) -> None:
        """Release connections the store opened itself."""
        ...


def quota_namespace(base_url: str, brand: str, owner: str) -> str:
    """The key prefix of one quota: the API's (base URL, brand, integrator or venue), hashed.

    Hashed so that nothing readable about the tenant sits in a shared Redis; the braces make
    it a Redis Cluster hash tag, keeping one quota's keys on one node for the script.
    """
    identity = "\0".join((base_url.rstrip("/"), brand, owner)).encode()
    digest = hashlib.sha256(identity).hexdigest()[:32]
    return f"clopos-async:quota:{_LAYOUT}:{{{digest}}}"
