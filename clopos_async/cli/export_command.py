"""The one ``export`` command, for orders and every declared resource alike.

Given a checked paginator (its flags already validated), it writes every page to ``--out``
atomically (`checked_output`: 0600, ``--force``, never a partial file), JSONL as the API sent
the items or CSV in the resource's `CsvLayout`, each page written off the event loop while
the next pages (``--concurrency``) keep arriving, with a progress line on a terminal and a
closing summary. A resource brings only its paginator, its noun and its CSV layout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from typing import Any

from ..export import CsvLayout, format_for_path, make_writer
from ..models.page import Page
from ..pagination import AsyncPaginator
from .out_flag import checked_output
from .progress import Progress, StatusLine, summary

__all__ = ["add_export_flags", "run_export"]


def add_export_flags(parser: argparse.ArgumentParser, *, noun: str) -> None:
    """The flags every export takes besides its listing's (``--limit``, ``--max``, filters)."""
    parser.add_argument(
        "--out", required=True, metavar="FILE", help="the file to write ('-': standard output)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (keeping its permissions)"
    )
    parser.add_argument(
        "--format", choices=("jsonl", "csv"), help="default: csv for a .csv FILE, else jsonl"
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="pages fetched at once, 1..64 (default 8)"
    )
    parser.add_argument("--max", type=int, help=f"stop after this many {noun} (default: all)")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show the progress line (default: only when stderr is a terminal)",
    )
    shown.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show the progress line"
    )


async def run_export(
    paginator: AsyncPaginator[Any], args: argparse.Namespace, *, noun: str,
    layout: CsvLayout[Any],
) -> None:
    """Export every page of ``paginator`` as ``args`` say (``--out``, ``--format``, ...)."""
    fmt = args.format or format_for_path(args.out)
    output = checked_output(args.out, force=args.force)  # the output path, before I/O too
    line: StatusLine = args.status_line
    line.enabled = args.progress if args.progress is not None else line.stream.isatty()
    progress = Progress(line, noun=noun)
    started = time.monotonic()
    pages = items = 0
    try:
        with output as stream:
            writer = make_writer(fmt, stream, layout)
            async with contextlib.aclosing(paginator.pages()) as fetched:
                async for page in fetched:
                    # Off the event loop, so the prefetched pages keep arriving meanwhile.
                    items += await asyncio.to_thread(writer.write_page, page)
                    pages += 1
                    progress.update(
                        pages=pages,
                        total_pages=_pages_wanted(page, args.max),
                        items=items,
                        total_items=_items_wanted(page, args.max),
                    )
    except OSError as exc:
        if exc.filename is None and exc.strerror:
            # A failed write (a full disk, /dev/full) carries no file name: name the output.
            raise OSError(exc.errno, exc.strerror, args.out) from exc
        raise
    finally:
        progress.clear()
    seconds = time.monotonic() - started
    print(summary(items=items, pages=pages, path=args.out, seconds=seconds, noun=noun),
          file=sys.stderr)


def _items_wanted(page: Page[Any], max_items: int | None) -> int | None:
    if page.total is None or max_items is None:
        return page.total
    return min(page.total, max_items)


def _pages_wanted(page: Page[Any], max_items: int | None) -> int | None:
    total_pages = page.total_pages
    if total_pages is None or max_items is None:
        return total_pages
    return min(total_pages, -(-max_items // page.limit))
