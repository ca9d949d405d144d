"""Parse every timestamp format the Clopos API emits into aware UTC datetimes, never raising."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal

__all__ = ["format_space_utc", "format_timestamp", "parse_timestamp"]

UTC = timezone.utc
# Python 3.11's fromisoformat reads a trailing "Z" itself (as timezone.utc); 3.10's does not.
_NATIVE_Z = sys.version_info >= (3, 11)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Magnitudes at or above this are epoch milliseconds (1e11 s would be the year 5138).
_MS_THRESHOLD = 10**11
# Slow path only: an ISO-like date-time whose fraction may have any number of digits and whose
# zone may be Z, +HH:MM, +HHMM or +HH (Python 3.10's fromisoformat accepts few of these).
_LOOSE_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE | re.ASCII,
)


def parse_timestamp(value: object) -> datetime | None:
    """Return ``value`` as an aware UTC datetime, or None when it is missing or malformed.

    Accepts ISO 8601 (with or without fraction, ``Z`` or an offset), ``YYYY-MM-DD HH:MM:SS``
    and ``YYYY-MM-DD`` (read as UTC), and epoch seconds or milliseconds (int, float or digits).

    >>> parse_timestamp("2026-02-02T13:45:53.000000Z")
    datetime.datetime(2026, 2, 2, 13, 45, 53, tzinfo=datetime.timezone.utc)
    """
    if type(value) is str:
        # Hot path: "2026-02-02T13:45:53.000000Z". Swapping Z for +00:00 makes it valid for
        # fromisoformat on 3.10 as well, and fromisoformat then returns timezone.utc itself.
        if len(value) == 27 and value[26] == "Z" and value[10] == "T":
            try:
                return datetime.fromisoformat(value if _NATIVE_Z else value[:26] + "+00:00")
            except ValueError:
                pass
        return _parse_text(value)
    if value is None or type(value) is bool:
        return None
    if isinstance(value, (int, float, Decimal)):
        return _from_epoch(value)
    if isinstance(value, datetime):
        return _as_utc(value)
    return None


def format_timestamp(value: datetime) -> str:
    """Return ``value`` as ISO 8601 in UTC with a ``Z`` suffix (naive values are taken as UTC).

    >>> format_timestamp(datetime(2026, 2, 2, 13, 45, 53, tzinfo=timezone.utc))
    '2026-02-02T13:45:53Z'
    """
    text = (_as_utc(value) or value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def format_space_utc(value: datetime) -> str:
    """Return ``value`` as ``YYYY-MM-DD HH:MM:SS`` in UTC, the form request bodies take
    (a receipt's ``closed_at``: REFERENCE §4.1, §5.3); naive values are taken as UTC.

    >>> format_space_utc(datetime(2026, 1, 20, 13, 59, 54, tzinfo=timezone(timedelta(hours=4))))
    '2026-01-20 09:59:54'
    """
    return (_as_utc(value) or value).strftime("%Y-%m-%d %H:%M:%S")


def _as_utc(value: datetime) -> datetime | None:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if value.tzinfo is UTC:
        return value
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):  # shifted past year 1 or 9999
        return None


def _from_epoch(value: int | float | Decimal) -> datetime | None:
    # Adding a timedelta avoids fromtimestamp's platform limits (negative values on Windows).
    try:
        if type(value) is int:  # exact, no float rounding of milliseconds
            if -_MS_THRESHOLD < value < _MS_THRESHOLD:
                return _EPOCH + timedelta(seconds=value)
            return _EPOCH + timedelta(milliseconds=value)
        seconds = float(value)
        if seconds != seconds:  # NaN
            return None
        if abs(seconds) >= _MS_THRESHOLD:
            seconds /= 1000
        return _EPOCH + timedelta(seconds=seconds)
    except (ArithmeticError, ValueError, TypeError):
        return None


def _parse_text(text: str) -> datetime | None:
    text = text.strip()
    if not text or len(text) > 64:
        return None
    digits = text[1:] if text[0] == "-" else text
    if digits.isascii() and digits.isdigit():
        # An epoch in a string; a bare "20260202" (8 digits) would be ambiguous, so require 9+.
        return _from_epoch(int(text)) if len(digits) >= 9 else None
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _parse_loose(text)
    return _as_utc(parsed)


def _parse_loose(text: str) -> datetime | None:
    match = _LOOSE_ISO.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        tz = UTC if zone is None or zone in "Zz" else _offset(zone)
        parsed = datetime(
            int(year), int(month), int(day),
            int(hour or 0), int(minute or 0), int(second or 0), micro, tzinfo=tz,
        )  # fmt: skip
    except ValueError:
        return None
    return _as_utc(parsed)


def _offset(zone: str) -> timezone:
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(timedelta(minutes=-minutes if zone[0] == "-" else minutes))
