"""The argparse definition of every command and flag (no behaviour here)."""

from __future__ import annotations

import argparse

from .._version import __version__
from ..client import DEFAULT_BASE_URL
from ..export import columns_help
from .errors import EXIT_CODES_HELP
from .export_command import add_export_flags
from .order_file import EXAMPLE as ORDER_FILE_EXAMPLE
from .resources import add_resource_parsers
from .usage import CommandParser

__all__ = ["build_parser", "parse_filter", "parse_quota"]

_DESCRIPTION = """\
Command line for the Clopos Open API: list, export, get, create and ignore orders; list,
get and export the catalogue (products, categories, stations, price lists), reference data
(venues, users, payment methods, customer groups, sale types), receipts and customers, and
close or update receipts and create customers; or run the fake server.

Connection settings default to the CLOPOS_* environment variables (CLOPOS_CLIENT_ID,
CLOPOS_CLIENT_SECRET, CLOPOS_BRAND, CLOPOS_INTEGRATOR_ID, CLOPOS_VENUE_ID, CLOPOS_TOKEN,
CLOPOS_API_VERSION, CLOPOS_BASE_URL); prefer them over flags for secrets, which flags would
expose in the process list. --fake needs no credentials at all. Global options may come
before the command or after it. Bad arguments are refused with one `error:` line naming the
flag, before anything is sent."""

_EXPORT_EPILOG = f"""\
JSONL writes each order exactly as the API sent it, one per line. CSV writes one row per
order with these columns, in this order (money as plain decimals, times as ISO 8601 UTC
with Z, missing values empty):
{columns_help()}

FILE is written under a temporary name in the same directory and renamed at the end, so
a failed or interrupted export (Ctrl-C, SIGTERM) never leaves a partial FILE. An existing
FILE is only replaced with --force, and keeps its permissions; a new one is created 0600
(readable by you only: exports hold customers' names, phones and addresses). A symlink's
target is written; a device or pipe (/dev/null, a FIFO) is written into, never replaced;
'-' writes to standard output. The path is checked before anything is downloaded."""

_STATUS_HELP = (
    "v2: PENDING, RECEIVED, DELIVERED or IGNORE. v1: pending, confirmed, completed or "
    "cancelled, or the words its listing shows: PENDING=pending, RECEIVED=confirmed, "
    "DELIVERED=completed, IGNORE=cancelled"
)

_CREATE_EPILOG = f"""\
FILE holds one order as a JSON object, the same for v1 and v2: the fields of the SDK's
NewOrder, with "customer" (NewOrderCustomer) and "products" (NewOrderProduct, each with
optional "modifiers"). Money may be a number or a string ("8.50"); a product's "status"
defaults to "new". The SDK sends the body your API version expects (v1 also needs
"sale_type_name", "venue_name" and customer "id"). Example:

{ORDER_FILE_EXAMPLE}

A file with a top-level "payload" is taken as a complete v1 body and sent unchanged."""

_HELP = argparse.RawDescriptionHelpFormatter
_ID_HELP = "the order's id, as the listing shows it (digits are sent as a number)"


def parse_filter(text: str) -> tuple[str, str | list[str]]:
    """``FIELD=VALUE`` -> (field, value); a value with commas is a list (an IN filter)."""
    field, sep, value = text.partition("=")
    if not sep or not field.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=VALUE, got {text!r}")
    return field.strip(), value.split(",") if "," in value else value


def _add_connection_flags(parser: argparse.ArgumentParser, *, on_command: bool = False) -> None:
    """The global flags. ``on_command``: the copy every command also takes (so that
    ``orders list --fake`` works), whose unset flags must not hide the global ones."""
    if on_command:
        parser.argument_default = argparse.SUPPRESS
    parser.add_argument(
        "--debug", action="store_true", help="print the full traceback on error, and debug logs"
    )
    group = parser.add_argument_group(
        "connection", "each defaults to its CLOPOS_* environment variable"
    )
    group.add_argument("--api-version", choices=("v1", "v2"), help="API version (default v2)")
    group.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API base URL, ending in /open-api (default {DEFAULT_BASE_URL})",
    )
    group.add_argument("--client-id", metavar="ID", help="API client id")
    group.add_argument("--client-secret", metavar="SECRET", help="(prefer CLOPOS_CLIENT_SECRET)")
    group.add_argument("--brand", metavar="BRAND", help="the brand (tenant) to act for")
    group.add_argument("--integrator-id", metavar="ID", help="v2 credential scope")
    group.add_argument("--venue-id", metavar="ID", help="venue (required by v1; scopes v2)")
    group.add_argument("--token", metavar="TOKEN", help="an existing token (prefer CLOPOS_TOKEN)")
    group.add_argument("--timeout", type=float, metavar="SECONDS", help="per request (default 30)")
    group.add_argument(
        "--retries", type=int, metavar="N", help="retries of a failed request (default 3)"
    )
    fake = parser.add_argument_group("fake server")
    fake.add_argument(
        "--fake",
        action="store_true",
        help="run against an embedded FakeClopos with seeded data (orders, the catalogue, "
        "receipts, customers, ...): no credentials needed, "
        "CLOPOS_* variables and --base-url are ignored",
    )
    fake.add_argument(
        "--fake-orders",
        type=int,
        default=argparse.SUPPRESS if on_command else 1000,
        metavar="N",
        help="orders seeded into the --fake server (default 1000)",
    )


def _global_flags_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    _add_connection_flags(parent, on_command=True)
    return parent


def _filter_parent() -> argparse.ArgumentParser:
    """The listing filters shared by `orders list` and `orders export`."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("filters")
    group.add_argument("--status", help=_STATUS_HELP)
    group.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="created on/after")
    group.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="created on/before")
    group.add_argument(
        "--sort", metavar="FIELD",
        help="id, created_at or updated_at; '-' descends (export defaults to id)",
    )
    group.add_argument(
        "--filter",
        dest="filters",
        type=parse_filter,
        action="append",
        metavar="FIELD=VALUE",
        help="repeatable; commas make a list, e.g. --filter id=1,2,3",
    )
    group.add_argument(
        "--with",
        dest="with_",
        action="append",
        metavar="RELATION",
        help="repeatable relation to embed, e.g. customer, receipt",
    )
    return parent


def _add_orders(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    orders = commands.add_parser("orders", help="list, export, get, create or ignore orders")
    actions = orders.add_subparsers(dest="action", required=True, metavar="ACTION")
    filters = _filter_parent()
    flags = _global_flags_parent()

    listing = actions.add_parser(
        "list", parents=[filters, flags], help="show orders as a table, JSON or JSON lines"
    )
    listing.add_argument("--limit", type=int, default=50, help="page size (default 50)")
    listing.add_argument("--max", type=int, default=50, help="orders to show (default 50)")
    fmt = listing.add_mutually_exclusive_group()
    fmt.add_argument(
        "--json",
        dest="output",
        action="store_const",
        const="json",
        help="one JSON array of the orders as the API sent them",
    )
    fmt.add_argument(
        "--jsonl",
        dest="output",
        action="store_const",
        const="jsonl",
        help="one order per line, as the API sent it",
    )

    export = actions.add_parser(
        "export",
        parents=[filters, flags],
        help="write every matching order to a JSONL or CSV file",
        epilog=_EXPORT_EPILOG,
        formatter_class=_HELP,
    )
    export.add_argument("--limit", type=int, default=100, help="page size (default 100)")
    add_export_flags(export, noun="orders")

    get = actions.add_parser("get", parents=[flags], help="print one order as JSON")
    get.add_argument("id", metavar="ID", help=_ID_HELP)
    get.add_argument("--with-receipt", action="store_true", help="embed the order's receipt")

    ignore = actions.add_parser(
        "ignore", parents=[flags], help="cancel an order (status IGNORE); print it"
    )
    ignore.add_argument("id", metavar="ID", help=_ID_HELP)

    create = actions.add_parser(
        "create",
        parents=[flags],
        help="create an order from a JSON file; print it",
        epilog=_CREATE_EPILOG,
        formatter_class=_HELP,
    )
    create.add_argument(
        "--file",
        required=True,
        metavar="FILE",
        help="the order as a JSON object, format below ('-': standard input)",
    )
    create.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help="reuse the key of an earlier attempt to never create it twice",
    )


def parse_quota(text: str) -> tuple[int, float]:
    """``N/W`` -> (N requests, W seconds), e.g. ``300/60``."""
    limit, sep, window = text.partition("/")
    try:
        parsed = int(limit), float(window)
    except ValueError:
        parsed = None
    if not sep or parsed is None or parsed[0] < 1 or not parsed[1] > 0:
        raise argparse.ArgumentTypeError(f"expected N/W (e.g. 300/60), got {text!r}")
    return parsed


def parse_fault_rate(text: str) -> float:
    """A share of requests, 0..1."""
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got {text!r}")
    return rate


def _add_fake_server(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = commands.add_parser(
        "fake-server",
        formatter_class=_HELP,
        help="run FakeClopos in the foreground until Ctrl-C or SIGTERM",
        description="Run FakeClopos and print `export CLOPOS_...` lines a shell can eval.",
    )
    server.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    server.add_argument("--port", type=int, default=8080, help="default 8080; 0 picks a free one")
    server.add_argument("--orders", type=int, default=1000, help="seeded orders (default 1000)")
    # Its own dest: a subparser default would overwrite the global --api-version.
    server.add_argument(
        "--api-version",
        dest="server_api_version",
        choices=("v1", "v2"),
        help="credentials and data flavour (default: the global flag, else v2)",
    )
    server.add_argument(
        "--token-ttl",
        type=float,
        default=3600.0,
        metavar="S",
        help="token lifetime in seconds (default 3600)",
    )
    server.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="S",
        help="delay added to every answer (default 0)",
    )
    server.add_argument(
        "--fault-rate",
        type=parse_fault_rate,
        default=0.0,
        metavar="R",
        help="share of requests (0..1) answered with an injected fault: 5xx, reset, slow, "
        "HTML, truncated... spread evenly, at most 3 in a row (default 0)",
    )
    server.add_argument(
        "--quota",
        type=parse_quota,
        metavar="N/W",
        help="rate limit per tenant: N requests per W seconds, with 429s (e.g. 300/60)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    # Every subcommand's parser is a CommandParser too: usage errors are one line.
    parser: argparse.ArgumentParser = CommandParser(
        prog="clopos-async",
        description=_DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=_HELP,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_connection_flags(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_orders(commands)
    add_resource_parsers(commands, parse_filter=parse_filter, flags=_global_flags_parent())
    _add_fake_server(commands)
    return parser
