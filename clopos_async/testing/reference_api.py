"""Read-only routes for reference data (sale types, venues, users, payment methods, customer
groups, price lists; REFERENCE §4.3 and §4.8 onwards), one handler class for all of them.

A listing validates ``page``/``limit`` against its documented range, ``with`` relations,
``sort`` fields and ``filters[N]`` fields, answering the documented 400 ``invalid_parameter``
otherwise, then answers in the shape the version documents (`Shape`). A get answers the item
or the documented 404 ``resource_not_found`` body. Faults and quotas are middlewares, so they
apply here as on every route.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from .config import ApiVersion
from .listing import _int_param, parse_filters
from .php_query import parse_php_query
from .responses import FakeApiError, api_error, json_response
from .timestamps import envelope_now, format_iso

__all__ = ["ReferenceApi", "ReferenceRules", "Shape"]

Item = dict[str, Any]

# How a listing answers (REFERENCE §2.1):
# "bare": a JSON array of everything (no envelope, no pagination; v1 sale types);
# "total": {success, data, total, time, timestamp, unix[, sorts]} (the canonical v2 envelope);
# "pagination": {success, data, pagination: {page, per_page, total, total_pages}} (v1);
# "data_pagination": {data, pagination} with no success (price lists);
# "iso": {success, data, time, timestamp} with an ISO timestamp and no total (older venues).
Shape = Literal["bare", "total", "pagination", "data_pagination", "iso"]


@dataclass(frozen=True)
class ReferenceRules:
    """How one reference resource behaves.

    ``relations`` maps a ``with`` value to what computes the embedded value from an item (the
    key is the relation's name); without the relation the key is left out. ``not_found`` is
    the 404 message of a get ("User not found").
    """

    limit_default: int
    limit_max: int
    shapes: Mapping[ApiVersion, Shape] = field(
        default_factory=lambda: {"v1": "pagination", "v2": "total"})
    relations: Mapping[str, Callable[[Item], Any]] = field(default_factory=dict)
    sort_fields: tuple[str, ...] = ()
    nested_sort: bool = False  # sort[0][0]=field&sort[0][1]=asc|desc (price lists)
    filter_fields: tuple[str, ...] = ()
    sorts: tuple[str, ...] = ()  # the envelope's `sorts` list, where documented
    not_found: str = "Resource not found"


def _invalid(message: str) -> FakeApiError:
    return api_error(400, "invalid_parameter", message)


class ReferenceApi:
    """``GET …/<resource>`` (and ``…/<resource>/{id}``) over the live list ``items()``."""

    def __init__(self, version: ApiVersion, rules: ReferenceRules,
                 items: Callable[[], list[Item]]) -> None:
        self._version = version
        self._rules = rules
        self._items = items

    async def list_items(self, request: web.Request) -> web.Response:
        """One page of items in the version's shape."""
        params = parse_php_query(request.query.items())
        rules = self._rules
        page = _int_param(params, "page", 1)
        if page is None or page < 1:
            raise _invalid("The 'page' parameter must be an integer greater than or equal to 1")
        limit = _int_param(params, "limit", rules.limit_default)
        if limit is None or not 1 <= limit <= rules.limit_max:
            raise _invalid(f"The 'limit' parameter must be between 1 and {rules.limit_max}")
        relations = self._relations(params.get("with"))
        items = self._filtered(self._items(), params.get("filters"))
        items = self._sorted(items, params.get("sort"))
        shape = rules.shapes[self._version]
        if shape == "bare":
            return json_response([self._embed(item, relations) for item in items])
        total = len(items)
        data = [self._embed(item, relations) for item in items[(page - 1) * limit : page * limit]]
        pagination = {"page": page, "per_page": limit, "total": total,
                      "total_pages": max(1, math.ceil(total / limit))}
        stamp, unix = envelope_now()
        if shape == "data_pagination":
            return json_response({"data": data, "pagination": pagination})
        if shape == "pagination":
            return json_response({"success": True, "data": data, "pagination": pagination})
        if shape == "iso":
            return json_response({"success": True, "data": data, "time": 3,
                                  "timestamp": format_iso(unix)})
        body: Item = {"success": True, "data": data, "total": total, "time": 3,
                      "timestamp": stamp, "unix": unix}
        if rules.sorts:
            body["sorts"] = list(rules.sorts)
        return json_response(body)

    async def get_item(self, request: web.Request) -> web.Response:
        """One item by id, or the documented 404."""
        wanted = request.match_info["id"]
        relations = self._relations(parse_php_query(request.query.items()).get("with"))
        for item in self._items():
            if str(item.get("id")) == wanted:
                stamp, unix = envelope_now()
                return json_response({"success": True, "data": self._embed(item, relations),
                                      "timestamp": stamp, "unix": unix})
        raise api_error(404, "resource_not_found", self._rules.not_found)

    # -- the documented parameters ------------------------------------------------------

    def _relations(self, value: Any) -> list[str]:
        wanted = value if isinstance(value, list) else [value] if value else []
        unknown = [name for name in wanted if name not in self._rules.relations]
        if unknown:
            allowed = ", ".join(self._rules.relations) or "nothing"
            raise _invalid(f"with must be one of {allowed}")
        return [str(name) for name in wanted]

    def _embed(self, item: Item, relations: list[str]) -> Item:
        if not relations:
            return item
        return {**item, **{name: self._rules.relations[name](item) for name in relations}}

    def _filtered(self, items: list[Item], value: Any) -> list[Item]:
        checks = parse_filters(value, self._rules.filter_fields)
        return [item for item in items
                if all(str(item.get(name)) in wanted for name, wanted in checks)]

    def _sorted(self, items: list[Item], value: Any) -> list[Item]:
        if value is None or value == "":
            return items
        rules = self._rules
        if rules.nested_sort:
            first = value[0] if isinstance(value, list) and value else None
            fields = first if isinstance(first, list) and len(first) == 2 else [None, None]
            name, direction = fields
            descending = direction == "desc"
            if direction not in ("asc", "desc"):
                raise _invalid("sort direction must be asc or desc")
        else:
            fields = value if isinstance(value, list) and len(value) == 2 else [None, None]
            name, direction = fields
            descending = direction == "-1"
        if name not in rules.sort_fields:
            raise _invalid(f"sort must be one of {', '.join(rules.sort_fields) or 'nothing'}")
        return sorted(items, key=lambda item: _sort_key(item.get(name)), reverse=descending)


def _sort_key(value: Any) -> tuple[int, float, str]:
    """Numbers by value, then strings, then nulls (ids are ints or strings alike)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value)) if value is not None else (2, 0.0, "")
