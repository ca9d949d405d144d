"""The `orders` commands, each an async function of an open client and the parsed flags."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable
from pathlib import Path
from typing import Any

from .. import APIResponse, AsyncClopos, AsyncPaginator, Order, Page
from ..dumping import dump_json
from ..export import ORDER_CSV, page_raw_items
from .errors import UsageError
from .export_command import run_export
from .order_file import new_order_from_json
from .output import order_json, raw_json_line, table, table_row

__all__ = ["ACTIONS"]

Action = Callable[[AsyncClopos, argparse.Namespace], Awaitable[None]]

# v1 lists orders with the v2 status words but filters with its own (REFERENCE §5.1); the
# words a listing shows are accepted for --status on v1 too. The API docs name no mapping:
# this is the evident one (IGNORE is the cancel), and the one FakeClopos implements.
V1_STATUS_FOR_LISTED = {
    "PENDING": "pending",
    "RECEIVED": "confirmed",
    "DELIVERED": "completed",
    "IGNORE": "cancelled",
}


def _status_filter(clopos: AsyncClopos, status: str | None) -> str | None:
    if status is not None and clopos.version.name == "v1":
        return V1_STATUS_FOR_LISTED.get(status.strip().upper(), status)
    return status


def _listing(
    clopos: AsyncClopos, args: argparse.Namespace, *, concurrency: int = 1
) -> AsyncPaginator[Order]:
    """The paginator for the filter flags; the SDK checks every argument right here."""
    return clopos.orders.list(
        limit=args.limit,
        status=_status_filter(clopos, args.status),
        with_=args.with_,
        date_from=args.date_from,
        date_to=args.date_to,
        sort=args.sort,
        filters=args.filters,
        max_items=args.max,
        concurrency=concurrency,
    )


async def _raw_pages(paginator: AsyncPaginator[Order]) -> AsyncGenerator[Page[Order], None]:
    """Pages whose raw JSON (`page_raw_items`) is what JSON output writes.

    The single seam between the commands and where the SDK keeps raw JSON (today
    `Page.raw_items`); swap it here if that changes.
    """
    async with contextlib.aclosing(paginator.pages()) as pages:
        async for page in pages:
            yield page


def _order_id(text: str) -> int | str:
    # Ids are ints or strings (REFERENCE §2.8); digits are sent as the int they mean.
    return int(text) if text.isdigit() else text


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")


async def list_orders(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    """`orders list`: a table, or the raw orders as one JSON array or JSON lines."""
    paginator = _listing(clopos, args)
    if args.output is not None:
        # Streamed page by page: --max may be large, and nothing needs the whole list.
        opened = False
        async with contextlib.aclosing(_raw_pages(paginator)) as pages:
            async for page in pages:
                for item in page_raw_items(page):
                    if args.output == "jsonl":
                        _write(raw_json_line(item))
                    else:
                        _write(("," if opened else "[") + raw_json_line(item))
                        opened = True
        if args.output == "json":
            _write("]" if opened else "[]")
        return
    rows: list[tuple[str, ...]] = []
    total: int | None = None
    async with contextlib.aclosing(paginator.pages()) as pages:
        async for page in pages:
            total = page.total
            rows.extend(table_row(order) for order in page.items)
    _write(table(rows))
    shown = f"{len(rows)} of {total}" if total is not None else str(len(rows))
    _write(f"({shown} orders)")


async def export_orders(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    """`orders export`: every page, fetched concurrently, streamed to a file written atomically."""
    if args.sort is None:
        # Pages are fetched concurrently over a while: in id order, orders created meanwhile
        # land after the last page instead of shifting earlier pages (no skips, no repeats).
        args.sort = "id"
    paginator = _listing(clopos, args, concurrency=args.concurrency)  # checks flags before I/O
    await run_export(paginator, args, noun="orders", layout=ORDER_CSV)


def _as_sent(raw: APIResponse[Order]) -> str:
    """The order exactly as the API sent it (pretty JSON), else the typed order."""
    order, data = raw.parsed, raw.data
    if isinstance(data, dict) and data.get("id", order.id) == order.id:
        return dump_json(data, pretty=True)
    return order_json(order)  # e.g. a create answered without a top-level id


async def get_order(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    """`orders get ID`: the order as pretty JSON, as the API sent it."""
    raw = await clopos.orders.with_raw_response.get(
        _order_id(args.id), with_receipt=args.with_receipt
    )
    _write(_as_sent(raw))


async def ignore_order(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    """`orders ignore ID`: cancel it and print what the server answered."""
    _write(_as_sent(await clopos.orders.with_raw_response.ignore(_order_id(args.id))))


def _read_body(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read --file {path}: {exc.strerror or exc}") from exc
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--file {path} is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise UsageError(f"--file {path} must hold a JSON object (the create body)")
    return body


async def create_order(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    """`orders create --file F`: create the order the file describes, print the created order."""
    body = await asyncio.to_thread(_read_body, args.file)
    new_order = new_order_from_json(body)
    raw = await clopos.orders.with_raw_response.create(
        new_order, idempotency_key=args.idempotency_key
    )
    _write(_as_sent(raw))


ACTIONS: dict[str, Action] = {
    "list": list_orders,
    "export": export_orders,
    "get": get_order,
    "ignore": ignore_order,
    "create": create_order,
}
