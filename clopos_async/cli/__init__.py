"""The ``clopos-async`` command line (also ``python -m clopos_async``), on the public API only.

Global options, before or after the command::

    --fake [--fake-orders N]     an embedded FakeClopos with N seeded orders (default 1000)
    --api-version v1|v2          \\
    --base-url URL                |
    --client-id ID                |  each defaults to its CLOPOS_* environment variable
    --client-secret SECRET        |  (AsyncClopos.from_env); prefer the variables for
    --brand BRAND                 |  secrets, flags show in the process list
    --integrator-id ID            |
    --venue-id ID                 |
    --token TOKEN                /
    --timeout SECONDS            per request (default 30)
    --retries N                  retries of a failed request (default 3)
    --debug                      the full traceback on error, and the SDK's debug logs
    --version

Commands::

    orders list    [filters] [--limit 50] [--max 50] [--json | --jsonl]
    orders export  --out FILE|- [--force] [--format jsonl|csv] [filters] [--limit 100]
                   [--concurrency 8] [--max N] [--progress | --no-progress]
    orders get     ID [--with-receipt]
    orders ignore  ID
    orders create  --file FILE [--idempotency-key KEY]
    RESOURCE list      [--limit N] [--max N] [--with R] [--sort [-]F] [typed filters]
                       [--filter F=V] [--json | --jsonl]
    RESOURCE export    --out FILE|- [--force] [--format jsonl|csv] [the list flags]
    RESOURCE get ID    (products, categories, stations, users, receipts, customers)
    products stop-list, categories tree, price-lists prices|export-prices,
    receipts close|update, customers create
    fake-server    [--host 127.0.0.1] [--port 8080] [--orders 1000] [--api-version v1|v2]
                   [--token-ttl S] [--latency S] [--fault-rate R] [--quota N/W]

    filters: --status S  --from YYYY-MM-DD  --to YYYY-MM-DD  --sort [-]FIELD
             --filter FIELD=VALUE (repeatable; commas make a list)  --with RELATION (repeatable)

RESOURCE is any declared resource (`resources.RESOURCE_COMMANDS`: products, categories,
stations, venues, users, payment-methods, customer-groups, price-lists, sale-types,
receipts, customers); its typed filters are flags of their own, documented by ``--help``.

``orders list`` prints an aligned table (id, status, created_at, venue, customer, products,
total); ``--json``/``--jsonl`` print the orders exactly as the API sent them. ``get``, ``ignore``
and ``create`` print the order as pretty JSON, as the API sent it (a create answered without a
top-level id is printed from the typed order: wire names, decimals as strings, ISO 8601 UTC).
``orders export`` streams every page (fetched concurrently, in id order unless --sort says
otherwise) to a temporary file beside FILE and renames it at the end; its CSV columns are
documented in `clopos_async.export`. Progress goes to stderr when it is a terminal; a summary
line always does.

Exit codes: 0 ok, 1 other API error, 2 usage (bad flags, the SDK's argument checks, missing
credentials, bad --file), 3 authentication or permission denied, 4 not found, 5 rate limited,
6 network error or timeout, 7 outcome unknown (a create that may or may not have happened; the
error line shows its idempotency key), 130 interrupted (Ctrl-C), 141 output pipe closed,
143 terminated (SIGTERM). Errors are one ``error: ...`` line on stderr, naming the flag at
fault (argparse's usage errors too, see `usage`); secrets are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from .. import AsyncClopos, NotFoundError, RetryPolicy
from ..client import DEFAULT_BASE_URL
from .errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PIPE_CLOSED,
    EXIT_USAGE,
    UsageError,
    describe,
    exit_code_for,
)
from .fake_server import embedded_fake, serve_fake
from .flags import in_flag_terms
from .orders import ACTIONS
from .parser import build_parser
from .progress import StatusAwareHandler, StatusLine
from .resources import actions_for
from .usage import parse_command_line

# 128 + SIGTERM, what a shell reports for `kill`, `timeout`, `docker stop`.
EXIT_TERMINATED = 143

__all__ = ["main"]

# Flags passed to AsyncClopos.from_env when given; unset ones fall back to CLOPOS_* variables.
_CLIENT_FLAGS = (
    "api_version", "base_url", "client_id", "client_secret", "brand", "integrator_id",
    "venue_id", "token", "timeout",
)  # fmt: skip
_DEFAULT_MAX_CONCURRENCY = 8


def _client_overrides(args: argparse.Namespace) -> dict[str, Any]:
    overrides = {name: getattr(args, name) for name in _CLIENT_FLAGS}
    kwargs: dict[str, Any] = {name: value for name, value in overrides.items() if value is not None}
    if args.retries is not None:
        kwargs["retry"] = RetryPolicy(max_retries=args.retries)
    # Let `--concurrency N` pages really be in flight at once: the client admits 8 by default.
    concurrency = getattr(args, "concurrency", None)
    if isinstance(concurrency, int) and concurrency > _DEFAULT_MAX_CONCURRENCY:
        kwargs["max_concurrency"] = concurrency
    return kwargs


async def _open_client(args: argparse.Namespace, stack: contextlib.AsyncExitStack) -> AsyncClopos:
    overrides = _client_overrides(args)
    if args.fake:
        fake = await stack.enter_async_context(embedded_fake(args))
        settings: dict[str, Any] = {**fake.credentials, "api_version": fake.api_version}
        # The fake's URL always wins; the environment is ignored so that stray CLOPOS_*
        # variables cannot point --fake elsewhere. Explicit flags still apply (a wrong
        # --client-secret against the fake is a handy way to see an auth failure).
        overrides.pop("base_url", None)
        settings.update(overrides, base_url=fake.url)
        client = AsyncClopos.from_env(environ={}, **settings)
    else:
        try:
            client = AsyncClopos.from_env(**overrides)
        except ValueError as exc:
            raise UsageError(
                f"{exc} (set the CLOPOS_* environment variables, pass the flags, or use --fake)"
            ) from exc
    args.resolved_base_url = client.base_url  # for the error line of a network failure
    return await stack.enter_async_context(client)


class _Terminated(Exception):
    """SIGTERM arrived; the command was cancelled and cleaned up like on Ctrl-C."""


async def _run(args: argparse.Namespace) -> None:
    if args.command == "fake-server":
        await serve_fake(args)  # it handles SIGTERM itself: a clean stop, exit 0
        return
    task = asyncio.current_task()
    assert task is not None
    terminated: list[bool] = []

    def terminate() -> None:
        terminated.append(True)
        task.cancel()

    loop = asyncio.get_running_loop()
    # SIGTERM (kill, timeout, docker stop, CI cancellation) cancels the command like Ctrl-C
    # does, so an export removes its temporary file. Where the loop cannot take signal
    # handlers (Windows), SIGTERM keeps its default.
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, terminate)
    try:
        async with contextlib.AsyncExitStack() as stack:
            clopos = await _open_client(args, stack)
            actions = ACTIONS if args.command == "orders" else actions_for(args.command)
            await actions[args.action](clopos, args)
    except asyncio.CancelledError:
        if terminated:
            raise _Terminated from None
        raise
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)


class _CliLogHandler(StatusAwareHandler):
    """Marks the handler main() installs, so that calling main() again does not add another."""


def _configure_logging(debug: bool, status: StatusLine) -> None:
    logger = logging.getLogger("clopos_async")
    for old in [h for h in logger.handlers if isinstance(h, _CliLogHandler)]:
        logger.removeHandler(old)
    # Log lines and the export's progress line share stderr: the handler erases the progress
    # line before a record and redraws it after, so the two never run together.
    handler = _CliLogHandler(status)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    # Retry warnings are worth seeing; debug detail only on request. The SDK keeps secrets
    # out of its logs, so --debug shows none either.
    logger.setLevel(logging.DEBUG if debug else logging.WARNING)


# Every Clopos server answers its auth route; a 404 there means the URL points elsewhere
# (no /open-api, or /v2 appended: the SDK adds the version itself).
_WRONG_BASE_URL = (
    "the base URL is probably wrong: it should look like "
    f"{DEFAULT_BASE_URL} (ending in /open-api, without /v2); see --base-url or CLOPOS_BASE_URL"
)


def _auth_not_found(exc: BaseException) -> bool:
    return isinstance(exc, NotFoundError) and (exc.path or "").rstrip("/").endswith("/auth")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see the module docstring)."""
    # Exits 2 on usage errors (one line), 0 on --help/--version.
    args = parse_command_line(build_parser(), sys.argv[1:] if argv is None else argv)
    args.status_line = StatusLine(sys.stderr)  # an export enables it on a terminal
    _configure_logging(args.debug, args.status_line)
    try:
        asyncio.run(_run(args))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED  # quietly: the user knows they pressed Ctrl-C
    except _Terminated:
        return EXIT_TERMINATED  # quietly too: whoever sent SIGTERM knows
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python's own flush at exit
        # from failing again on the dead pipe.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        base_url = getattr(args, "resolved_base_url", None)
        message = describe(exc, base_url=base_url)
        if isinstance(exc, (ValueError, TypeError)):
            message = in_flag_terms(message, getattr(args, "parameter_flags", None))
        if _auth_not_found(exc):
            print(f"error: {message}; {_WRONG_BASE_URL}", file=sys.stderr)
            return EXIT_USAGE
        print(f"error: {message}", file=sys.stderr)
        return exit_code_for(exc)
    return EXIT_OK
