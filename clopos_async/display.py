"""The one formatter: how a model's values are written as text (CSV cells, table cells).

None is empty, enums show their value, booleans ``true``/``false``, decimals their exact
digits (never exponent form), datetimes ISO 8601 in UTC with ``Z`` (the same rule as the
models' JSON, `timestamps.format_timestamp`).

    >>> from decimal import Decimal
    >>> format_value(Decimal("1E+3"))
    '1000'
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from .timestamps import format_timestamp

__all__ = ["format_value", "format_when"]


def format_when(value: datetime | None, *, whole_seconds: bool = False) -> str:
    """A datetime as ISO 8601 UTC with ``Z`` (``whole_seconds``: without the fraction)."""
    if value is None:
        return ""
    return format_timestamp(value.replace(microsecond=0) if whole_seconds else value)


def format_value(value: object, *, whole_seconds: bool = False) -> str:
    """One value as text (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return format_value(value.value)
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return format_when(value, whole_seconds=whole_seconds)
    return str(value)
