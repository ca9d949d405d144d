"""What a response says about the rate limit: one pure value, read defensively.

Rate-limit headers are advice from the server, not orders. A proxy, a bug or a hostile server
can send ``RateLimit-Reset: 9999999999``, ``inf`` or ``1e400``; obeying them would block every
later call for years, and converting them to ``int`` raises a bare ``OverflowError``. So every
number is checked here, once: non-finite, negative or absurd values (a count above
``MAX_COUNT``, a reset beyond the policy window) are dropped, as if the header were absent.
Parsing never raises, whatever the header text.

Nothing here reads the clock: ``now`` (epoch seconds, for v1's epoch resets and HTTP-date
``Retry-After``) is an argument, so every rule is testable directly (gidgethub's
``RateLimit.from_http`` is the model).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timezone
from email.utils import parsedate_to_datetime

import attrs

__all__ = ["MAX_COUNT", "MAX_RETRY_AFTER", "MAX_WINDOW", "RateLimit", "parse_retry_after"]

# A reset above this is an epoch timestamp (v1's X-RateLimit-Reset), not a number of seconds.
_EPOCH_THRESHOLD = 1_000_000_000
# The longest documented window (v1's hourly quota): the cap when the caller knows no better.
MAX_WINDOW = 3600.0
# Servers round resets up to whole seconds; a reset this much past the window is still honest.
_ROUNDING_SLACK = 1.0
# No quota counts more requests than this; a larger limit or remaining is nonsense.
MAX_COUNT = 1_000_000_000
# A Retry-After beyond a day is not advice anyone can follow; treat it as absent.
MAX_RETRY_AFTER = 86_400.0


def _number(value: object) -> float | None:
    """A finite, non-negative number, or None (for anything else, never an exception)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _count(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number <= MAX_COUNT else None


def _seconds_until(value: object, *, now: float | None, window: float) -> float | None:
    """A reset as seconds from now: a delta, or an epoch (needs ``now``); None if absurd."""
    number = _number(value)
    if number is None:
        return None
    if number > _EPOCH_THRESHOLD:
        if now is None or not math.isfinite(now):
            return None
        number = max(number - now, 0.0)
    return number if number <= window + _ROUNDING_SLACK else None


def _structured(value: str) -> dict[str, str]:
    """Read the IETF structured field: ``limit=100, remaining=0, reset=30`` (draft -03..-06)
    or ``"default";r=0;t=30`` (draft -07 and later)."""
    names = {"limit": "limit", "l": "limit", "remaining": "remaining", "r": "remaining",
             "reset": "reset", "t": "reset"}
    found: dict[str, str] = {}
    for part in value.replace(",", ";").split(";"):
        key, _, raw = part.partition("=")
        name = names.get(key.strip().lower())
        if name is not None and raw:
            found[name] = raw
    return found


@attrs.frozen
class RateLimit:
    """What one response said about the quota: limit, remaining and seconds until reset.

    Each field is None when the response did not say, or said something absurd.
    """

    limit: int | None
    remaining: int | None
    reset_after: float | None

    @classmethod
    def from_headers(
        cls,
        headers: Mapping[str, str],
        *,
        now: float | None,
        window: float = MAX_WINDOW,
        prefer: str = "ratelimit-",
    ) -> RateLimit | None:
        """Read IETF ``RateLimit-*`` (v2), ``X-RateLimit-*`` (v1, epoch reset) or ``RateLimit``.

        ``headers`` must have lower-case names; ``now`` is the epoch time the response
        arrived (None: epoch resets cannot be read and are dropped); ``window`` the longest
        window of the API's policy (a reset beyond it is dropped); ``prefer`` the flavour
        the API version documents, read first when both are sent. None when the response
        says nothing usable about the quota.
        """
        for prefix in (prefer, *(p for p in ("ratelimit-", "x-ratelimit-") if p != prefer)):
            remaining, reset = headers.get(prefix + "remaining"), headers.get(prefix + "reset")
            if remaining is not None or reset is not None:
                return cls._of(headers.get(prefix + "limit"), remaining, reset,
                               now=now, window=window)
        structured = headers.get("ratelimit")
        if isinstance(structured, str) and structured:
            fields = _structured(structured)
            return cls._of(fields.get("limit"), fields.get("remaining"), fields.get("reset"),
                           now=now, window=window)
        return None

    @classmethod
    def _of(
        cls, limit: object, remaining: object, reset: object, *, now: float | None, window: float
    ) -> RateLimit | None:
        info = cls(
            limit=_count(limit),
            remaining=_count(remaining),
            reset_after=_seconds_until(reset, now=now, window=window),
        )
        return None if info == _NOTHING else info


_NOTHING = RateLimit(None, None, None)


def parse_retry_after(
    headers: Mapping[str, str],
    *,
    now: float | None,
    use_reset: bool = True,
    window: float = MAX_WINDOW,
) -> float | None:
    """How long the server asks us to wait: ``Retry-After`` (seconds or an HTTP date), else
    (with ``use_reset``) the rate-limit reset. None when the response says nothing usable."""
    value = headers.get("retry-after")
    if isinstance(value, str):
        seconds = _number(value)
        if seconds is None and now is not None and math.isfinite(now):
            seconds = _seconds_until_date(value, now)
        if seconds is not None:
            return seconds if seconds <= MAX_RETRY_AFTER else None
    info = RateLimit.from_headers(headers, now=now, window=window) if use_reset else None
    return info.reset_after if info is not None else None


def _seconds_until_date(value: str, now: float) -> float | None:
    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(when.timestamp() - now, 0.0)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
