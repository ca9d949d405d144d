"""Sliding-window rate limits with the documented headers and 429 (REFERENCE §2.3).

A ``Quota`` admits a request when fewer than ``limit`` requests were admitted in the last
``window`` seconds for the same key; rejected requests do not use up the window. Admitted and
rejected answers alike carry the limit headers:

- ``flavour="ietf"`` (v2): ``RateLimit-Limit``, ``RateLimit-Remaining`` (after this request),
  ``RateLimit-Reset`` = seconds until the oldest request in the window leaves it, i.e. until one
  slot frees (the full window when it is empty).
- ``flavour="x-ratelimit"`` (v1): ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and
  ``X-RateLimit-Reset`` as an epoch timestamp, as the v1 docs show.
- ``flavour=None``: the flavour of the route's API version (v2 → ietf, v1 → x-ratelimit).

Resets are computed as exact fractions and sent rounded up to whole seconds (the IETF draft's
integers), or with 3 decimals when ``precise_reset`` (some servers do; it lets a client pace a
1-second window precisely). A 429 adds ``Retry-After``: whole seconds until a slot frees (at least
1), or ``retry_after`` when set.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Literal

from aiohttp import web
from aiohttp.typedefs import Handler

from .auth import current_auth
from .counters import FakeCounters
from .responses import error_middleware, json_response
from .timestamps import ceil_seconds

__all__ = ["Quota", "QuotaGate", "RateLimitFlavour", "auth_ip_key", "tenant_key"]

RateLimitFlavour = Literal["ietf", "x-ratelimit"]
# What a gate limits a request by (None: not limited by it) and the API version it speaks.
KeyFunc = Callable[[web.Request], tuple[Hashable, str] | None]

RATE_LIMITED_BODY = {
    "success": False,
    "error": "rate_limited",
    "message": "Too many requests. Retry later.",
}


@dataclass(frozen=True)
class Quota:
    """A sliding-window limit: ``limit`` requests per ``window`` seconds per key.

    Example:
        >>> Quota(5, 1.0, retry_after=120).retry_after
        120
    """

    limit: int = 20
    window: float = 1.0
    flavour: RateLimitFlavour | None = None
    retry_after: int | None = None
    precise_reset: bool = False

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= 0:
            raise ValueError("Quota needs limit >= 1 and window > 0")
        if self.flavour not in (None, "ietf", "x-ratelimit"):
            raise ValueError("flavour must be 'ietf', 'x-ratelimit' or None")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must be >= 0")


@dataclass(frozen=True)
class Verdict:
    """One admission decision: admitted or not, slots left, seconds until one slot frees."""

    admitted: bool
    remaining: int
    reset: float


class SlidingWindows:
    """Monotonic timestamps of the admitted requests of the last ``window`` seconds, per key."""

    def __init__(self, quota: Quota) -> None:
        self.quota = quota
        self._windows: dict[Hashable, deque[float]] = {}

    def admit(self, key: Hashable, now: float) -> Verdict:
        """Admit (and record) the request if the key's window has room."""
        quota = self.quota
        window = self._windows.setdefault(key, deque())
        cutoff = now - quota.window
        while window and window[0] <= cutoff:
            window.popleft()
        admitted = len(window) < quota.limit
        if admitted:
            window.append(now)
        reset = window[0] + quota.window - now if window else quota.window
        return Verdict(admitted, max(0, quota.limit - len(window)), reset)


def _seconds(value: float, precise: bool) -> str:
    # Rounded up either way: announcing a reset earlier than the real one would make a client
    # that trusts it get a 429.
    if precise:
        return f"{ceil_seconds(value, digits=3):.3f}"
    return str(int(ceil_seconds(value)))


def limit_headers(quota: Quota, version: str, verdict: Verdict) -> dict[str, str]:
    """The limit headers for ``verdict`` in the quota's flavour (or the version's)."""
    flavour = quota.flavour or ("x-ratelimit" if version == "v1" else "ietf")
    if flavour == "ietf":
        return {
            "RateLimit-Limit": str(quota.limit),
            "RateLimit-Remaining": str(verdict.remaining),
            "RateLimit-Reset": _seconds(verdict.reset, quota.precise_reset),
        }
    return {
        "X-RateLimit-Limit": str(quota.limit),
        "X-RateLimit-Remaining": str(verdict.remaining),
        "X-RateLimit-Reset": _seconds(time.time() + verdict.reset, quota.precise_reset),
    }


class QuotaGate:
    """One rate-limit tier: a replaceable ``Quota``, its windows, and the middleware enforcing it.

    Replacing ``quota`` (or setting ``None``) forgets every window.
    """

    def __init__(self, counters: FakeCounters, key_of: KeyFunc, quota: Quota | None = None) -> None:
        self._counters = counters
        self._key_of = key_of
        self.quota = quota

    @property
    def quota(self) -> Quota | None:
        """The enforced quota (``None``: unlimited, no headers)."""
        return self._windows.quota if self._windows is not None else None

    @quota.setter
    def quota(self, quota: Quota | None) -> None:
        if quota is not None and not isinstance(quota, Quota):
            raise TypeError("quota must be a Quota or None")
        self._windows = SlidingWindows(quota) if quota is not None else None

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer 429 over the limit; otherwise run the rest and add the headers to any answer."""
        windows = self._windows
        keyed = self._key_of(request) if windows is not None else None
        if windows is None or keyed is None:
            return await handler(request)
        key, version = keyed
        verdict = windows.admit(key, time.monotonic())
        headers = limit_headers(windows.quota, version, verdict)
        if not verdict.admitted:
            self._counters.rate_limited += 1
            retry = windows.quota.retry_after
            headers["Retry-After"] = str(
                retry if retry is not None else max(1, int(ceil_seconds(verdict.reset)))
            )
            return json_response(RATE_LIMITED_BODY, status=429, headers=headers)
        # Errors are rendered here, not further out, so 4xx/5xx answers carry the headers too.
        response = await error_middleware(request, handler)
        if not response.prepared:
            response.headers.update(headers)
        return response


def tenant_key(request: web.Request) -> tuple[Hashable, str] | None:
    """Tier 3: the authenticated token's (brand, integrator) on v2, (brand, venue) on v1."""
    try:
        token = current_auth().token
    except LookupError:  # auth routes and unmatched paths: not a tenant request
        return None
    owner = token.integrator_id if token.version == "v2" else token.venue_id
    return (token.version, token.brand, owner), token.version


def auth_ip_key(request: web.Request) -> tuple[Hashable, str] | None:
    """Tier 1: the auth routes, per client IP (credentials are ignored, as documented)."""
    name = request.match_info.route.name
    if name is None or not name.endswith(".auth"):
        return None
    return request.remote, name.split(".", 1)[0]
