"""Timestamp formatting and lenient parsing for the fake server (REFERENCE §2.8 formats)."""

from __future__ import annotations

import math
import re
import time
from datetime import date, datetime, timezone
from functools import lru_cache

__all__ = [
    "ceil_seconds",
    "envelope_now",
    "format_iso",
    "format_like",
    "format_space",
    "parse_date",
    "parse_timestamp",
]


def ceil_seconds(seconds: float, *, digits: int = 0) -> float:
    """``seconds`` rounded up to ``digits`` decimals, ignoring float noise.

    ``window[0] + 60 - now`` can be 60.000000000000455; a plain ``math.ceil`` makes that 61,
    so the value is first rounded to a microsecond-scale precision, then ceiled.

    >>> ceil_seconds(60.000000000000455), ceil_seconds(0.0004, digits=3)
    (60.0, 0.001)
    """
    scale = 10.0**digits
    return math.ceil(round(seconds * scale, 6)) / scale


def format_iso(epoch: float) -> str:
    """Format as the v2 order style, ``2026-02-02T13:45:53.000000Z``."""
    whole = math.floor(epoch)
    micros = round((epoch - whole) * 1_000_000) % 1_000_000
    return f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(whole))}.{micros:06d}Z"


def format_space(epoch: float) -> str:
    """Format as the v1 / envelope style, ``2025-08-18 13:44:10`` (UTC, no zone)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(math.floor(epoch)))


def format_like(sample: object, epoch: float) -> str:
    """Format ``epoch`` in the same style as ``sample`` so an order keeps one timestamp style."""
    if isinstance(sample, str) and "T" not in sample:
        return format_space(epoch)
    return format_iso(epoch)


def envelope_now() -> tuple[str, int]:
    """Return the envelope's ``timestamp`` (``YYYY-MM-DD HH:MM:SS`` UTC) and ``unix`` fields."""
    now = time.time()
    return format_space(now), int(now)


def parse_timestamp(value: object) -> float:
    """Return epoch seconds for any documented timestamp shape; ``-inf`` when unparseable.

    ``-inf`` (not an exception) because the fake must keep serving lists that contain a
    malformed timestamp: such orders sort first ascending and never match a date range.
    """
    if isinstance(value, bool):
        return -math.inf
    if isinstance(value, (int, float)):
        # Epoch milliseconds appear in some Clopos payloads (REFERENCE §2.8).
        return value / 1000.0 if value > 1e12 else float(value)
    if isinstance(value, str):
        return _parse_str(value)
    return -math.inf


# The documented date-time shapes: "2026-02-02T13:45:53.000000Z", "2025-08-18 13:44:10",
# "2023-11-07T05:31:56Z", with an optional fraction and zone.
_DATETIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?"
    r"(Z|[+-]\d\d:?\d\d)?",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 18)
def _parse_str(value: str) -> float:
    # Cached: sorting 100k orders re-reads the same strings on every uncached list request.
    text = value.strip()
    match = _DATETIME.fullmatch(text)
    try:
        if match is None:
            parsed = datetime.fromisoformat(text)  # e.g. a plain date
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            return parsed.timestamp()
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=timezone.utc,  # zone-less values are UTC (REFERENCE §5.35)
        )
    except ValueError:
        return -math.inf
    epoch = moment.timestamp()
    if fraction:
        epoch += int(fraction[:6].ljust(6, "0")) / 1_000_000
    if zone and zone.upper() != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        epoch -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return epoch


def parse_date(value: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` query date; raise ``ValueError`` otherwise."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError(value)
    return date.fromisoformat(value)
