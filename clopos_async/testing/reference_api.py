"""Read-only list and get routes for reference data (REFERENCE §4.3 and §4.4 onwards).

One handler class for every plain listing: ``page``/``limit`` validated with the documented
400 ``invalid_parameter`` body, unknown ``with`` relations rejected the same way, and the
version's answer shape: a v2 envelope with ``total``, or, where v1 documents it, a bare JSON
array of everything (no envelope, no pagination). A resource with filters or relations passes
``select`` (the items a query matches, raising the documented 400 on a bad filter) and
``render`` (one item as the query asks for it); a gettable one passes ``find``: its get
answers 400 for an id that is neither an integer nor a UUID and 404 ``resource_not_found``
with the resource's documented message. `filter_and_sort` and `embed` build the ``select``
and ``render`` of the common cases (``filters[N]`` on named fields, a validated sort, relations
computed from the item). ``shapes`` names any other documented answer shape (`Shape`). Faults
and quotas are middlewares, so they apply here as on every route.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from .config import ApiVersion
from .listing import _parse_filters, page_and_limit
from .php_query import parse_php_query
from .responses import api_error, invalid_parameter, json_response
from .timestamps import envelope_now, format_iso

__all__ = ["ReferenceApi", "ReferenceRules", "Shape", "embed", "filter_and_sort"]

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
    """How one reference listing behaves.

    ``shapes`` maps a version to its answer shape; without it v1 answers ``pagination`` (or
    ``bare`` with ``bare_array_on_v1``) and v2 ``total``. ``sorts`` is the envelope's
    documented ``sorts`` list, where there is one.
    """

    limit_default: int
    limit_max: int
    bare_array_on_v1: bool = False
    relations: tuple[str, ...] = ()
    get_relations: tuple[str, ...] = ()
    not_found: str = "Resource not found"
    shapes: Mapping[ApiVersion, Shape] = field(default_factory=dict)
    sorts: tuple[str, ...] = ()

    def shape(self, version: ApiVersion) -> Shape:
        """How ``version`` answers a listing."""
        if version in self.shapes:
            return self.shapes[version]
        if version == "v1":
            return "bare" if self.bare_array_on_v1 else "pagination"
        return "total"


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
        raise invalid_parameter(f"with must be one of {shown}")


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
            raise invalid_parameter("The id must be an integer or a UUID")
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
        page, limit = page_and_limit(params, rules.limit_default, rules.limit_max)
        _check_relations(params, rules.relations)
        items = self._items()
        if self._select is not None:
            items = self._select(params, items)
        shape = rules.shape(self._version)
        if shape == "bare":
            # The documented bare array: everything, no envelope.
            return json_response(self._shown(items, params))
        total = len(items)
        data = self._shown(items[(page - 1) * limit : page * limit], params)
        stamp, unix = envelope_now()
        pagination = {"page": page, "per_page": limit, "total": total,
                      "total_pages": max(1, math.ceil(total / limit))}
        if shape == "pagination":
            return json_response({"success": True, "data": data, "pagination": pagination})
        if shape == "data_pagination":
            return json_response({"data": data, "pagination": pagination})
        if shape == "iso":
            return json_response({"success": True, "data": data, "time": 3,
                                  "timestamp": format_iso(unix)})
        body: Item = {"success": True, "data": data, "total": total, "timestamp": stamp,
                      "unix": unix}
        if rules.sorts:
            body["sorts"] = list(rules.sorts)
        return json_response(body)


# -- the common select and render ------------------------------------------------------------


def filter_and_sort(*, filters: tuple[str, ...] = (), sorts: tuple[str, ...] = (),
                    nested_sort: bool = False) -> Select:
    """A ``select``: ``filters[N]`` on the named fields (a list value: IN), then ``sort``
    on the named fields: ``sort[0]=field&sort[1]=1|-1``, or with ``nested_sort`` the price
    lists' ``sort[0][0]=field&sort[0][1]=asc|desc``. Anything else is the documented 400."""
    allowed = frozenset(filters)

    def select(params: Params, items: list[Item]) -> list[Item]:
        checks = _parse_filters(params.get("filters"), allowed)
        chosen = [item for item in items
                  if all(str(item.get(name)) in wanted for name, wanted in checks)]
        value = params.get("sort")
        if value is None or value == "":
            return chosen
        pair = value[0] if nested_sort and isinstance(value, list) and value else value
        name, direction = pair if isinstance(pair, list) and len(pair) == 2 else (None, None)
        directions = ("asc", "desc") if nested_sort else ("1", "-1")
        if direction not in directions:
            raise invalid_parameter(f"sort direction must be {' or '.join(directions)}")
        if name not in sorts:
            raise invalid_parameter(f"sort must be one of {', '.join(sorts) or 'nothing'}")
        return sorted(chosen, key=lambda item: _sort_key(item.get(name)),
                      reverse=direction in ("desc", "-1"))

    return select


def _sort_key(value: Any) -> tuple[int, float, str]:
    """Numbers by value, then strings, then nulls (ids are ints or strings alike)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value)) if value is not None else (2, 0.0, "")


def embed(relations: Mapping[str, Callable[[Item], Any]]) -> Render:
    """A ``render`` adding each relation the query's ``with`` names, computed from the item
    (the key is the relation's name); without it the key is left out."""

    def render(item: Item, params: Params) -> Item:
        value = params.get("with")
        wanted = value if isinstance(value, list) else [value] if value else []
        shown = [name for name in wanted if name in relations]
        return {**item, **{name: relations[name](item) for name in shown}} if shown else item

    return render
