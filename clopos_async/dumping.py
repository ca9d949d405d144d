"""The one JSON dumper: every JSON the SDK writes (request bodies, CLI output, exports).

One rule differs by audience, and is written here only: a ``Decimal`` is a JSON **number**
in bodies sent to the API (JSON has one number type; an integral amount stays an integer),
and a **string** in output people read or store (a string keeps every digit; a float could
not). Text is UTF-8 with non-ASCII characters as they are; compact is one line without
spaces, pretty is indented by two.

    >>> from decimal import Decimal
    >>> dump_json({"total": Decimal("16.20"), "name": "Göbələk"})
    '{"total":"16.20","name":"Göbələk"}'
    >>> dump_json({"total": Decimal("16.20")}, decimals="number")
    '{"total":16.2}'
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Literal

__all__ = ["DecimalStyle", "decimal_as_number", "decimal_as_text", "dump_json"]

DecimalStyle = Literal["number", "text"]


def decimal_as_number(value: object) -> object:
    """``default=`` hook for bodies sent to the API: a Decimal becomes a JSON number."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def decimal_as_text(value: object) -> object:
    """``default=`` hook for output: a Decimal becomes its exact digits (never exponent form)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_json(value: object, *, pretty: bool = False, decimals: DecimalStyle = "text") -> str:
    """``value`` as JSON text: compact (one line) or ``pretty`` (indented by two)."""
    default = decimal_as_text if decimals == "text" else decimal_as_number
    if pretty:
        return json.dumps(value, indent=2, ensure_ascii=False, default=default)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)
