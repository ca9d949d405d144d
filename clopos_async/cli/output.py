"""What the commands print: an aligned table of orders, and orders as JSON."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .. import Order
from ..display import format_value
from ..dumping import dump_json
from ..serde import unstructure

__all__ = ["order_json", "raw_json_line", "table", "table_row"]

TABLE_HEADER = ("ID", "STATUS", "CREATED_AT", "VENUE", "CUSTOMER", "PRODUCTS", "TOTAL")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_MAX_CUSTOMER = 30


def table_row(order: Order) -> tuple[str, ...]:
    """The table cells of one order (see `TABLE_HEADER`)."""
    payload = order.payload
    customer = payload.customer if payload else None
    name = customer.name if customer and customer.name else ""
    if len(name) > _MAX_CUSTOMER:
        name = name[: _MAX_CUSTOMER - 1] + "…"
    return (
        format_value(order.id),
        format_value(order.status),
        format_value(order.created_at, whole_seconds=True),
        format_value(order.effective_venue_id),
        name,
        str(len(payload.products)) if payload else "",
        format_value(order.effective_total),
    )


def _numeric(column: Sequence[str]) -> bool:
    """Whether a column holds numbers (and blanks): ids, counts, money, codes."""
    filled = [cell for cell in column if cell]
    return bool(filled) and all(_NUMBER.fullmatch(cell) for cell in filled)


def table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...] = TABLE_HEADER) -> str:
    """Rows under ``header`` (orders' by default), each column as wide as its widest cell.

    Every table follows one rule: a column of numbers is right-aligned, so that their digits
    line up (products' PRICE, the stop list's LIMIT), any other is left-aligned.
    """
    columns = list(zip(header, *rows, strict=True))
    widths = [max(len(cell) for cell in column) for column in columns]
    right = [_numeric(column[1:]) for column in columns]
    lines = []
    for row in (header, *rows):
        cells = [
            cell.rjust(width) if numeric else cell.ljust(width)
            for cell, width, numeric in zip(row, widths, right, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def raw_json_line(item: Any) -> str:
    """One raw order as compact JSON, unchanged (numbers stay numbers, strings as sent)."""
    return dump_json(item)


def _pruned(value: Any) -> Any:
    """Drop null and empty values: a typed model has fields this server never sends."""
    if isinstance(value, dict):
        kept = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in (None, [], {})}
    if isinstance(value, (list, tuple)):
        return [_pruned(item) for item in value]
    return value


def order_json(order: Order) -> str:
    """A typed order as pretty JSON: wire names, decimals as strings, ISO UTC times, no nulls."""
    return dump_json(_pruned(unstructure(order)), pretty=True)
