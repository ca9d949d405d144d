"""What the commands print: an aligned table of orders, and orders as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from .. import Order
from ..serde import unstructure

__all__ = ["order_json", "raw_json_line", "table", "table_row"]

TABLE_HEADER = ("ID", "STATUS", "CREATED_AT", "VENUE", "CUSTOMER", "PRODUCTS", "TOTAL")
_RIGHT_ALIGNED = frozenset({"ID", "VENUE", "PRODUCTS", "TOTAL"})
_MAX_CUSTOMER = 30


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    utc = value.astimezone(timezone.utc) if value.tzinfo else value
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(getattr(value, "value", value))  # enums print their value


def table_row(order: Order) -> tuple[str, ...]:
    """The table cells of one order (see `TABLE_HEADER`)."""
    payload = order.payload
    customer = payload.customer if payload else None
    meta = payload.meta if payload else None
    name = customer.name if customer and customer.name else ""
    if len(name) > _MAX_CUSTOMER:
        name = name[: _MAX_CUSTOMER - 1] + "…"
    total = next(
        (
            t
            for t in (meta.order_total if meta else None, order.total, order.total_amount)
            if t is not None
        ),
        None,
    )
    venue = order.venue_id
    if venue is None and payload and payload.service:
        venue = payload.service.venue_id
    return (
        _text(order.id),
        _text(order.status),
        _when(order.created_at),
        _text(venue),
        name,
        str(len(payload.products)) if payload else "",
        _text(total),
    )


def table(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows under `TABLE_HEADER`, each column as wide as its widest cell."""
    widths = [max(len(cell) for cell in column) for column in zip(TABLE_HEADER, *rows, strict=True)]
    lines = []
    for row in (TABLE_HEADER, *rows):
        cells = [
            cell.rjust(width) if title in _RIGHT_ALIGNED else cell.ljust(width)
            for title, cell, width in zip(TABLE_HEADER, row, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def raw_json_line(item: Any) -> str:
    """One raw order as compact JSON, unchanged (numbers stay numbers, strings as sent)."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def _pruned(value: Any) -> Any:
    """Drop null and empty values: a typed model has fields this server never sends."""
    if isinstance(value, dict):
        kept = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in (None, [], {})}
    if isinstance(value, (list, tuple)):
        return [_pruned(item) for item in value]
    return value


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        # A string keeps every digit; a float could not (and json cannot write a Decimal).
        return format(value, "f")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def order_json(order: Order) -> str:
    """A typed order as pretty JSON: wire names, decimals as strings, ISO UTC times, no nulls."""
    return json.dumps(
        _pruned(unstructure(order)), indent=2, ensure_ascii=False, default=_json_default
    )
