"""Streaming export writers (JSONL, CSV) for any resource's pages, and an atomic output file.

Used by every ``clopos-async <resource> export`` (orders included), through one command
(`cli.export_command`). A writer takes one `Page` at a time, so memory stays bounded by a
page however long the listing is.

JSONL: one item per line, exactly as the API sent it (the page's raw JSON, not the typed
model, which drops fields it does not know): numbers stay JSON numbers, timestamps stay the
strings the server sent, key order is kept. UTF-8, non-ASCII written as is.

CSV: a header, then one row per item, built from the typed model by a `CsvLayout`: orders'
is `ORDER_CSV` (below); a declared resource's comes from its ``columns`` (`columns_layout`).
Money is a plain decimal string (``16.2000``), datetimes are ISO 8601 in UTC with ``Z``,
booleans ``true``/``false``, a missing value is empty. The order columns, in this stable order:

==================  ===================================================================
id                  order id
status              PENDING, RECEIVED, DELIVERED, IGNORE (or whatever the server sent)
type                e.g. CALL_CENTER_ORDER
integration         e.g. call_center_new
integration_status  e.g. CREATED
venue_id            the order's venue, else payload.service.venue_id
created_at          creation time
updated_at          last update time
customer_id         payload.customer_id, else payload.customer.id, else customer_id
customer_name       payload.customer.name
customer_phone      payload.customer.phone
customer_address    payload.customer.address
sale_type_id        payload.sale_type_id, else payload.service.sale_type_id
products_count      number of product lines
items_count         sum of the lines' counts (a line without a count adds nothing)
comment             payload.meta.comment
discount_type       0 none, 1 percent, 2 fixed amount
discount_value      payload.meta.discount.discount_value
delivery_fee        payload.delivery_fee
order_total         payload.meta.orderTotal, else total, else total_amount
receipt_id          the embedded receipt's id (``--with receipt``), else receipt_id
receipt_status      the embedded receipt's status: 1 open, 2 closed
integration_uuid    the integration's order uuid
integration_id      the integration's order id
customer_ref_id     the integration's customer reference
==================  ===================================================================
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TextIO, TypeVar

import attrs

from .display import format_value
from .dumping import dump_json
from .models.orders import Order
from .models.page import Page
from .output_file import AtomicOutput  # where it lived first; kept importable from here

__all__ = [
    "CSV_COLUMNS",
    "ORDER_CSV",
    "AtomicOutput",
    "CsvLayout",
    "CsvWriter",
    "ExportFormat",
    "JsonlWriter",
    "OrderWriter",
    "PageWriter",
    "column_value",
    "columns_help",
    "columns_layout",
    "csv_row",
    "format_for_path",
    "make_writer",
    "page_raw_items",
]

ExportFormat = Literal["jsonl", "csv"]
T = TypeVar("T")

# (column, what it holds): the header order; `--help` of `orders export` prints this table.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "order id"),
    ("status", "PENDING, RECEIVED, DELIVERED, IGNORE (or whatever the server sent)"),
    ("type", "e.g. CALL_CENTER_ORDER"),
    ("integration", "e.g. call_center_new"),
    ("integration_status", "e.g. CREATED"),
    ("venue_id", "the order's venue, else payload.service.venue_id"),
    ("created_at", "creation time"),
    ("updated_at", "last update time"),
    ("customer_id", "payload.customer_id, else payload.customer.id, else customer_id"),
    ("customer_name", "payload.customer.name"),
    ("customer_phone", "payload.customer.phone"),
    ("customer_address", "payload.customer.address"),
    ("sale_type_id", "payload.sale_type_id, else payload.service.sale_type_id"),
    ("products_count", "number of product lines"),
    ("items_count", "sum of the lines' counts (a line without a count adds nothing)"),
    ("comment", "payload.meta.comment"),
    ("discount_type", "0 none, 1 percent, 2 fixed amount"),
    ("discount_value", "payload.meta.discount.discount_value"),
    ("delivery_fee", "payload.delivery_fee"),
    ("order_total", "payload.meta.orderTotal, else total, else total_amount"),
    ("receipt_id", "the embedded receipt's id (--with receipt), else receipt_id"),
    ("receipt_status", "the embedded receipt's status: 1 open, 2 closed"),
    ("integration_uuid", "the integration's order uuid"),
    ("integration_id", "the integration's order id"),
    ("customer_ref_id", "the integration's customer reference"),
)


def format_for_path(path: str | os.PathLike[str]) -> ExportFormat:
    """The format a file name implies: ``.csv`` is CSV, anything else JSONL."""
    return "csv" if Path(path).suffix.lower() == ".csv" else "jsonl"


def csv_row(order: Order) -> list[str]:
    """The CSV cells of one order, in `CSV_COLUMNS` order."""
    payload = order.payload
    customer = payload.customer if payload else None
    meta = payload.meta if payload else None
    discount = meta.discount if meta else None
    products = payload.products if payload else ()
    receipt = order.receipt
    values: tuple[object, ...] = (
        order.id,
        order.status,
        order.type,
        order.integration,
        order.integration_status,
        order.effective_venue_id,
        order.created_at,
        order.updated_at,
        order.effective_customer_id,
        customer.name if customer else None,
        customer.phone if customer else None,
        customer.address if customer else None,
        order.effective_sale_type_id,
        len(products),
        sum(line.count or 0 for line in products),
        meta.comment if meta else None,
        discount.discount_type if discount else None,
        discount.discount_value if discount else None,
        payload.delivery_fee if payload else None,
        order.effective_total,
        receipt.id if receipt and receipt.id is not None else order.receipt_id,
        receipt.status if receipt else None,
        order.integration_uuid,
        order.integration_id,
        order.customer_ref_id,
    )
    return [format_value(value) for value in values]


@attrs.frozen
class CsvLayout(Generic[T]):
    """The CSV columns of one kind of item: the header, and the cells of one item."""

    header: Sequence[str]
    row: Callable[[T], list[str]]


# The orders' layout: the columns above, read by `csv_row`.
ORDER_CSV: CsvLayout[Order] = CsvLayout([name for name, _ in CSV_COLUMNS], csv_row)


def column_value(item: object, path: str) -> object:
    """The value a column names: an attribute, or a dotted path (``balance.type``) through
    nested models; None where a step is missing."""
    value: object = item
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def columns_layout(columns: Sequence[tuple[str, str]]) -> CsvLayout[Any]:
    """The layout of a declared resource's ``(header, attribute path)`` columns: the CSV header
    is each column's attribute path, so the file names the model's fields."""
    paths = [path for _, path in columns]
    return CsvLayout(paths, lambda item: [format_value(column_value(item, p)) for p in paths])


def page_raw_items(page: Page[Any]) -> list[Any]:
    """The page's items as the API sent them: the one place that knows where raw JSON lives.

    `Page.raw_items` is parallel to `Page.items`; a mismatch means the raw JSON is missing,
    and exporting the typed items instead would silently lose fields.
    """
    raw = page.raw_items
    if len(raw) != len(page.items):
        raise RuntimeError(
            f"page {page.page}: {len(page.items)} items but {len(raw)} raw JSON items; "
            "cannot export losslessly"
        )
    return raw


# -- writers ---------------------------------------------------------------------------


class PageWriter(Protocol):
    """Writes pages of items to an open text stream."""

    def write_page(self, page: Page[Any]) -> int:
        """Write every item of ``page``; return how many were written."""


OrderWriter = PageWriter  # the name it had when only orders were exported


class JsonlWriter:
    """One raw item per line, compact, in the server's key order."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write_page(self, page: Page[Any]) -> int:
        items = page_raw_items(page)
        # One write per page: cheaper than one per item, and still bounded by a page.
        self._stream.write("".join(dump_json(item) + "\n" for item in items))
        return len(items)


class CsvWriter(Generic[T]):
    """A header at once, then one row per item, as ``layout`` reads them."""

    def __init__(self, stream: TextIO, layout: CsvLayout[T]) -> None:
        self._csv = csv.writer(stream, lineterminator="\n")
        self._row = layout.row
        self._csv.writerow(layout.header)

    def write_page(self, page: Page[T]) -> int:
        self._csv.writerows(self._row(item) for item in page.items)
        return len(page.items)


def make_writer(
    fmt: ExportFormat, stream: TextIO, layout: CsvLayout[Any] = ORDER_CSV
) -> PageWriter:
    """The writer for ``fmt`` on ``stream`` (CSV in ``layout``'s columns; orders' by default)."""
    return CsvWriter(stream, layout) if fmt == "csv" else JsonlWriter(stream)


def columns_help(columns: Sequence[tuple[str, str]] = CSV_COLUMNS) -> str:
    """The CSV column table as plain text, for ``--help``."""
    width = max(len(name) for name, _ in columns)
    return "\n".join(f"  {name.ljust(width)}  {about}" for name, about in columns)
