"""Streaming order writers (JSONL, CSV) and an atomic output file.

Used by ``clopos-async orders export``. A writer takes one `Page` at a time, so memory stays
bounded by a page however long the listing is.

JSONL: one order per line, exactly as the API sent it (the page's raw JSON, not the typed
model, which drops fields it does not know): numbers stay JSON numbers, timestamps stay the
strings the server sent, key order is kept. UTF-8, non-ASCII written as is.

CSV: a header, then one row per order, built from the typed `Order`. Money is a plain decimal
string (``16.2000``), datetimes are ISO 8601 in UTC with ``Z``, a missing value is empty.
The columns, in this stable order:

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
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from . import Order, Page
from .display import format_value
from .dumping import dump_json
from .output_file import AtomicOutput  # where it lived first; kept importable from here

__all__ = [
    "CSV_COLUMNS",
    "AtomicOutput",
    "CsvWriter",
    "ExportFormat",
    "JsonlWriter",
    "OrderWriter",
    "columns_help",
    "csv_row",
    "format_for_path",
    "make_writer",
    "page_raw_items",
]

ExportFormat = Literal["jsonl", "csv"]

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


def page_raw_items(page: Page[Order]) -> list[Any]:
    """The page's orders as the API sent them: the one place that knows where raw JSON lives.

    `Page.raw_items` is parallel to `Page.items`; a mismatch means the raw JSON is missing,
    and exporting the typed orders instead would silently lose fields.
    """
    raw = page.raw_items
    if len(raw) != len(page.items):
        raise RuntimeError(
            f"page {page.page}: {len(page.items)} orders but {len(raw)} raw JSON items; "
            "cannot export losslessly"
        )
    return raw


# -- writers ---------------------------------------------------------------------------


class OrderWriter(Protocol):
    """Writes pages of orders to an open text stream."""

    def write_page(self, page: Page[Order]) -> int:
        """Write every order of ``page``; return how many were written."""


class JsonlWriter:
    """One raw order per line, compact, in the server's key order."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write_page(self, page: Page[Order]) -> int:
        items = page_raw_items(page)
        # One write per page: cheaper than one per order, and still bounded by a page.
        self._stream.write("".join(dump_json(item) + "\n" for item in items))
        return len(items)


class CsvWriter:
    """A header at once, then one row per order (see the module docstring for the columns)."""

    def __init__(self, stream: TextIO) -> None:
        self._csv = csv.writer(stream, lineterminator="\n")
        self._csv.writerow([name for name, _ in CSV_COLUMNS])

    def write_page(self, page: Page[Order]) -> int:
        self._csv.writerows(csv_row(order) for order in page.items)
        return len(page.items)


def make_writer(fmt: ExportFormat, stream: TextIO) -> OrderWriter:
    """The writer for ``fmt`` on ``stream``."""
    return CsvWriter(stream) if fmt == "csv" else JsonlWriter(stream)


def columns_help(columns: Sequence[tuple[str, str]] = CSV_COLUMNS) -> str:
    """The CSV column table as plain text, for ``--help``."""
    width = max(len(name) for name, _ in columns)
    return "\n".join(f"  {name.ljust(width)}  {about}" for name, about in columns)
