"""The catalogue's commands beyond the generic list/get/export: ``products stop-list`` and
``categories tree`` (the tree drawn as an indented outline).

Each extra action is (help, a function adding its flags, the action), keyed by command and
action name; `cli.resources` adds them next to the declared resources' own actions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable

from .. import AsyncClopos, Category
from ..display import format_value
from ..dumping import dump_json
from .output import table

__all__ = ["EXTRA_ACTIONS", "Extra", "outline"]

Action = Callable[[AsyncClopos, argparse.Namespace], Awaitable[None]]
Extra = tuple[str, Callable[[argparse.ArgumentParser], None], Action]

_INDENT = "  "


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")


def _stop_list_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--id", dest="ids", type=int, action="append", metavar="PRODUCT_ID",
                        help="repeatable: only these products (default: every one)")
    parser.add_argument("--json", dest="output", action="store_const", const="json",
                        help="one JSON array, as the API sent it")


async def _stop_list(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    raw = await clopos.products.with_raw_response.stop_list(ids=args.ids)
    if args.output == "json":
        _write(dump_json(raw.data))
        return
    rows = [(format_value(e.product_id), format_value(e.limit),
             format_value(e.timestamp, whole_seconds=True)) for e in raw.parsed]
    _write(table(rows, header=("PRODUCT_ID", "LIMIT", "SINCE")))
    _write(f"({len(rows)} limited products)")


def _tree_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", choices=("PRODUCT", "INGREDIENT", "ACCOUNTING"),
                        help="only categories of this type")
    parser.add_argument("--include-inactive", action="store_true",
                        help="show inactive categories too (hidden by default)")


def outline(roots: list[Category]) -> list[str]:
    """Each category on a line, ``ID NAME``, indented two spaces per level below its root."""
    lines: list[str] = []

    def draw(category: Category, level: int) -> None:
        lines.append(f"{_INDENT * level}{format_value(category.id)} {category.name or ''}")
        for child in category.children:
            draw(child, level + 1)

    for root in roots:
        draw(root, 0)
    return lines


async def _tree(clopos: AsyncClopos, args: argparse.Namespace) -> None:
    roots = await clopos.categories.list(
        type=args.type, include_children=True, include_inactive=args.include_inactive,
        limit=999,
    ).collect()
    for line in outline(roots):
        _write(line)


EXTRA_ACTIONS: dict[str, dict[str, Extra]] = {
    "products": {"stop-list": ("show the stop list: products whose stock is limited",
                               _stop_list_flags, _stop_list)},
    "categories": {"tree": ("draw the category tree as an indented outline",
                            _tree_flags, _tree)},
}
