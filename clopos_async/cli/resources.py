"""``list``, ``get`` and ``export`` commands for every declared resource, from its declaration.

A resource with nothing but a declaration (`ResourceSpec`) gets its commands here: adding
one to `RESOURCE_COMMANDS` is the whole CLI work. ``list`` prints a table of the declared
columns (or ``--json``/``--jsonl``: the items exactly as the API sent them), ``get ID``
prints one item as sent (for resources that have it), ``export --out FILE`` writes every
item to JSONL (as sent) or CSV (the declared columns) through the same command as orders'
export (`export_command.run_export`: atomic, concurrent, with progress).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from .. import AsyncClopos
from ..display import format_value
from ..dumping import dump_json
from ..export import column_value, columns_layout, page_raw_items
from ..pagination import AsyncPaginator
from ..resources.base import PlainResource
from ..resources.categories import CATEGORIES
from ..resources.customer_groups import CUSTOMER_GROUPS
from ..resources.customers import CUSTOMERS
from ..resources.declaration import ResourceSpec
from ..resources.payment_methods import PAYMENT_METHODS
from ..resources.price_lists import PRICE_LISTS, PRICES
from ..resources.products import PRODUCTS
from ..resources.receipts import RECEIPTS
from ..resources.sale_types import SALE_TYPES
from ..resources.stations import STATIONS
from ..resources.users import USERS
from ..resources.venues import VENUES
from .catalogue import EXTRA_ACTIONS as CATALOGUE_ACTIONS
from .errors import UsageError
from .export_command import add_export_flags, run_export
from .filter_flags import filter_help, filter_reader
from .flags import flags_by_parameter
from .output import table
from .sales import SALES_ACTIONS

__all__ = ["RESOURCE_COMMANDS", "SUB_LISTINGS", "actions_for", "add_resource_parsers"]

Action = Callable[[AsyncClopos, argparse.Namespace], Awaitable[None]]
# Opens a listing: the client and the checked-to-be keyword arguments -> its paginator.
Opener = Callable[[AsyncClopos, dict[str, Any]], AsyncPaginator[Any]]

# Command name -> declaration; the client attribute is the declaration's name.
RESOURCE_COMMANDS: dict[str, ResourceSpec[Any]] = {
    "sale-types": SALE_TYPES,
    "receipts": RECEIPTS,
    "customers": CUSTOMERS,
    "products": PRODUCTS,
    "categories": CATEGORIES,
    "stations": STATIONS,
    "venues": VENUES,
    "users": USERS,
    "payment-methods": PAYMENT_METHODS,
    "customer-groups": CUSTOMER_GROUPS,
    "price-lists": PRICE_LISTS,
}

# Command name -> {action: (declaration, method of the command's resource that lists it)}:
# declared listings below a resource (``price-lists prices``), shown like ``list`` and
# exported by ``export-<action>`` like ``export``.
SUB_LISTINGS: dict[str, dict[str, tuple[ResourceSpec[Any], str]]] = {
    "price-lists": {"prices": (PRICES, "prices")},
}


# Command -> the actions beyond list/get/export: (summary, add its flags, run it).
EXTRA_ACTIONS = {**CATALOGUE_ACTIONS, **SALES_ACTIONS}


def _resource(clopos: AsyncClopos, spec: ResourceSpec[Any]) -> PlainResource[Any]:
    resource: PlainResource[Any] = getattr(clopos, spec.name)
    return resource


def _opener(spec: ResourceSpec[Any], method: str = "list",
            parent: ResourceSpec[Any] | None = None) -> Opener:
    def open_listing(clopos: AsyncClopos, arguments: dict[str, Any]) -> AsyncPaginator[Any]:
        lister: Callable[..., AsyncPaginator[Any]] = getattr(
            _resource(clopos, parent or spec), method)
        return lister(**arguments)  # every argument is checked here, before any request

    return open_listing


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")


# A declared filter's dest: its name behind a prefix, as it could collide with the command's
# own flags (a filter named "limit" or "format").
_PARAM_PREFIX = "param_"


def _param_dest(name: str) -> str:
    return f"{_PARAM_PREFIX}{name}"


def _list_arguments(spec: ResourceSpec[Any], args: argparse.Namespace) -> dict[str, Any]:
    arguments: dict[str, Any] = {"limit": args.limit, "max_items": args.max,
                                 "concurrency": getattr(args, "concurrency", 1)}
    assert spec.listing is not None
    for name in spec.listing.params:
        values = getattr(args, _param_dest(name), None)
        if values:  # one --flag is a value, several are a membership list
            if len(values) > 1 and not spec.listing.params[name].several:
                raise UsageError(f"--{name.replace('_', '-')} takes one value, "
                                 f"given {len(values)}")
            arguments[name] = values[0] if len(values) == 1 else values
    if args.with_:
        arguments["with_"] = args.with_
    if getattr(args, "date_from", None) is not None:
        arguments["date_from"] = args.date_from
    if getattr(args, "date_to", None) is not None:
        arguments["date_to"] = args.date_to
    if args.sort is not None:
        arguments["sort"] = args.sort
    if args.filters:
        arguments["filters"] = args.filters
    return arguments


def _row(spec: ResourceSpec[Any], item: object) -> tuple[str, ...]:
    return tuple(format_value(column_value(item, path), whole_seconds=True)
                 for _, path in spec.columns)


def _lister(spec: ResourceSpec[Any], open_listing: Opener) -> Action:
    async def list_items(clopos: AsyncClopos, args: argparse.Namespace) -> None:
        paginator = open_listing(clopos, _list_arguments(spec, args))
        rows: list[tuple[str, ...]] = []
        raw: list[Any] = []
        async with contextlib.aclosing(paginator.pages()) as pages:
            async for page in pages:
                rows.extend(_row(spec, item) for item in page.items)
                raw.extend(page_raw_items(page))
        if args.output == "jsonl":
            for item in raw:
                _write(dump_json(item))
        elif args.output == "json":
            _write(dump_json(raw))
        else:
            _write(table(rows, header=tuple(title for title, _ in spec.columns)))
            _write(f"({len(rows)} {spec.label})")

    return list_items


def _getter(spec: ResourceSpec[Any]) -> Action:
    async def get_item(clopos: AsyncClopos, args: argparse.Namespace) -> None:
        item_id = int(args.id) if args.id.isdigit() else args.id
        raw = await _resource(clopos, spec).with_raw_response.get(item_id)
        _write(dump_json(raw.data, pretty=True))  # as the API sent it

    return get_item


def _exporter(spec: ResourceSpec[Any], open_listing: Opener) -> Action:
    layout = columns_layout(spec.columns)

    async def export_items(clopos: AsyncClopos, args: argparse.Namespace) -> None:
        paginator = open_listing(clopos, _list_arguments(spec, args))
        await run_export(paginator, args, noun=spec.label, layout=layout)

    return export_items


def actions_for(command: str) -> dict[str, Action]:
    """The actions of one resource command."""
    spec = RESOURCE_COMMANDS[command]
    actions = {"list": _lister(spec, _opener(spec)), "export": _exporter(spec, _opener(spec))}
    if spec.gettable:
        actions["get"] = _getter(spec)
    for action, (sub, method) in SUB_LISTINGS.get(command, {}).items():
        actions[action] = _lister(sub, _opener(sub, method, parent=spec))
        actions[f"export-{action}"] = _exporter(sub, _opener(sub, method, parent=spec))
    actions.update({name: extra[2] for name, extra in EXTRA_ACTIONS.get(command, {}).items()})
    return actions


def _listing_flags(parser: argparse.ArgumentParser, spec: ResourceSpec[Any],
                   parse_filter: Callable[[str], Any]) -> None:
    listing = spec.listing
    assert listing is not None
    parser.add_argument("--limit", type=int, default=listing.default_limit,
                        help=f"page size, 1..{listing.max_limit} "
                             f"(default {listing.default_limit})")
    if listing.with_values is None or listing.with_values:
        parser.add_argument("--with", dest="with_", action="append", metavar="RELATION",
                            help=f"repeatable: {', '.join(listing.with_values or ('any',))}")
    if listing.sort_fields:
        parser.add_argument("--sort", metavar="FIELD",
                            help=f"{', '.join(listing.sort_fields)}; '-' descends")
    if listing.date_range:
        # The same flags and checks as orders' (the SDK reads and checks the dates).
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                            help="created on/after this day (or an ISO 8601 time)")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                            help="created on/before this day (or an ISO 8601 time)")
    for name, param in listing.params.items():
        parser.add_argument(f"--{name.replace('_', '-')}", dest=_param_dest(name),
                            type=filter_reader(name, param), action="append",
                            metavar="VALUE", help=filter_help(name, param))
    parser.add_argument("--filter", dest="filters", type=parse_filter, action="append",
                        metavar="FIELD=VALUE", help="repeatable raw filter")
    parser.set_defaults(with_=None, sort=None)


def _add_lister(actions: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                spec: ResourceSpec[Any], *, flags: argparse.ArgumentParser,
                parse_filter: Callable[[str], Any]) -> None:
    listing = actions.add_parser(name, parents=[flags],
                                 help=f"show {spec.label} as a table or JSON")
    _listing_flags(listing, spec, parse_filter)
    listing.add_argument("--max", type=int, help="stop after this many, >= 1 (default: all)")
    fmt = listing.add_mutually_exclusive_group()
    fmt.add_argument("--json", dest="output", action="store_const", const="json",
                     help="one JSON array, as the API sent them")
    fmt.add_argument("--jsonl", dest="output", action="store_const", const="jsonl",
                     help="one per line, as the API sent them")


def _add_exporter(actions: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                  spec: ResourceSpec[Any], *, flags: argparse.ArgumentParser,
                  parse_filter: Callable[[str], Any]) -> None:
    export = actions.add_parser(name, parents=[flags], help=f"write every {spec.label} to a file")
    _listing_flags(export, spec, parse_filter)
    add_export_flags(export, noun=spec.label)


def add_resource_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    parse_filter: Callable[[str], Any],
    flags: argparse.ArgumentParser,
) -> None:
    """Add one command per declared resource, with its list/get/export actions.

    ``parse_filter`` reads ``--filter FIELD=VALUE`` (the parser module's, shared by orders);
    ``flags`` is the parent parser of the global flags every action also takes.
    """
    for command, spec in RESOURCE_COMMANDS.items():
        names = _action_names(command, spec)
        parser = commands.add_parser(command, help=f"{spec.label}: {', '.join(names)}")
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        _add_lister(actions, "list", spec, flags=flags, parse_filter=parse_filter)
        _add_exporter(actions, "export", spec, flags=flags, parse_filter=parse_filter)
        for action, (sub, _) in SUB_LISTINGS.get(command, {}).items():
            _add_lister(actions, action, sub, flags=flags, parse_filter=parse_filter)
            _add_exporter(actions, f"export-{action}", sub, flags=flags,
                          parse_filter=parse_filter)
        if spec.gettable:
            get = actions.add_parser("get", parents=[flags],
                                     help=f"print one of the {spec.label} as JSON")
            get.add_argument("id", metavar="ID", help=f"the id of one of the {spec.label}")
        for name, (summary, add_flags, _) in EXTRA_ACTIONS.get(command, {}).items():
            add_flags(actions.add_parser(name, parents=[flags], help=summary))
        for action_parser in actions.choices.values():
            # So that an SDK error names the flag the user typed (see `flags`).
            # The resource's own name too: "price_lists is not available in API v1".
            action_parser.set_defaults(parameter_flags={
                spec.name: command, **flags_by_parameter(action_parser, prefix=_PARAM_PREFIX)})


def _action_names(command: str, spec: ResourceSpec[Any]) -> list[str]:
    """The actions of a resource command, in the order its help lists them."""
    subs = [name for action in SUB_LISTINGS.get(command, {}) for name in
            (action, f"export-{action}")]
    return ["list", *(["get"] if spec.gettable else []), "export", *subs,
            *EXTRA_ACTIONS.get(command, {})]
