"""Read-only list and get routes for reference data (REFERENCE §4.4 onwards).

One handler class for every plain listing: ``page``/``limit`` validated with the documented
400 ``invalid_parameter`` body, unknown ``with`` relations rejected the same way, and the
version's answer shape: a v2 envelope with ``total``, or, where v1 documents it, a bare JSON
array of everything (no envelope, no pagination). A resource with filters or relations passes
``select`` (the items a query matches, raising the documented 400 on a bad filter) and
``render`` (one item as the query asks for it); a gettable one passes ``find``: its get
answers 400 for an id that is neither an integer nor a UUID and 404 ``resource_not_found``
with the resource's documented message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .config import ApiVersion
from .listing import _int_param
from .php_query import parse_php_query
from .responses import api_error, json_response
from .timestamps import envelope_now

__all__ = ["ReferenceApi", "ReferenceRules"]

Item = dict[str, Any]


@dataclass(frozen=True)
class ReferenceRules:
    """How one reference listing behaves."""

    limit_default: int
    limit_max: int
    bare_array_on_v1: bool = False
    relations: tuple[str, ...] = ()
    get_relations: tuple[str, ...] = ()
    not_found: str = "Resource not found"


Params = dict[str, Any]
Select = Callable[[Params, list[Item]], list[Item]]
Render = Callable[[Item, Params], Item]
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _check_relations(params: Params, allowed: tuple[str, ...]) -> None:
    relations = params.get("with")
    wanted = relations if isinstance(relations, list) else [relations] if relations else []
    unknown = [name for name in wanted if name not in allowed]
    if unknown:
        shown = ", ".join(allowed) or "nothing"
        raise api_error(400, "invalid_parameter", f"with must be one of {shown}")


class ReferenceApi:
    """``GET …/<resource>`` over the live list ``items()`` returns, for one API version."""

    def __init__(self, version: ApiVersion, rules: ReferenceRules,
                 items: Callable[[], list[Item]], *, select: Select | None = None,
                 render: Render | None = None,
                 find: Callable[[int | str], Item | None] | None = None) -> None:
        self._version = version
        self._rules = rules
        self._items = items
        self._select = select
        self._render = render
        self._find = find

    def _shown(self, items: list[Item], params: Params) -> list[Item]:
        render = self._render
        return items if render is None else [render(item, params) for item in items]

    async def get_item(self, request: web.Request) -> web.Response:
        """One item by id (an integer or a UUID), as the query's relations ask."""
        assert self._find is not None
        params = parse_php_query(request.query.items())
        raw = request.match_info["item_id"]
        if not (raw.isascii() and raw.isdigit()) and not _UUID.fullmatch(raw):
            raise api_error(400, "invalid_parameter", "The id must be an integer or a UUID")
        _check_relations(params, self._rules.get_relations)
        item = self._find(int(raw) if raw.isdigit() else raw)
        if item is None:
            raise api_error(404, "resource_not_found", self._rules.not_found)
        stamp, unix = envelope_now()
        return json_response({"success": True, "data": self._shown([item], params)[0],
                              "timestamp": stamp, "unix": unix})

    async def list_items(self, request: web.Request) -> web.Response:
        """One page of items in the version's shape."""
        params = parse_php_query(request.query.items())
        rules = self._rules
        page = _int_param(params, "page", 1)
        if page is None or page < 1:
            raise api_error(400, "invalid_parameter",
                            "The 'page' parameter must be an integer greater than or equal to 1")
        limit = _int_param(params, "limit", rules.limit_default)
        if limit is None or not 1 <= limit <= rules.limit_max:
            raise api_error(400, "invalid_parameter",
                            f"The 'limit' parameter must be between 1 and {rules.limit_max}")
        _check_relations(params, rules.relations)
        items = self._items()
        if self._select is not None:
            items = self._select(params, items)
        if self._version == "v1" and rules.bare_array_on_v1:
            # The documented bare array: everything, no envelope.
            return json_response(self._shown(items, params))
        total = len(items)
        data = self._shown(items[(page - 1) * limit : page * limit], params)
        stamp, unix = envelope_now()
        if self._version == "v1":
            pagination = {"page": page, "per_page": limit, "total": total,
                          "total_pages": max(1, math.ceil(total / limit))}
            return json_response({"success": True, "data": data, "pagination": pagination})
        return json_response({"success": True, "data": data, "total": total,
                              "timestamp": stamp, "unix": unix})
