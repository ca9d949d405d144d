"""Read-only list routes for reference data (sale types first; REFERENCE §4.10 onwards).

One handler class for every plain listing: ``page``/``limit`` validated with the documented
400 ``invalid_parameter`` body, unknown ``with`` relations rejected the same way, and the
version's answer shape: a v2 envelope with ``total``, or, where v1 documents it, a bare JSON
array of everything (no envelope, no pagination).
"""

from __future__ import annotations

import math
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


class ReferenceApi:
    """``GET …/<resource>`` over the live list ``items()`` returns, for one API version."""

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
            raise api_error(400, "invalid_parameter",
                            "The 'page' parameter must be an integer greater than or equal to 1")
        limit = _int_param(params, "limit", rules.limit_default)
        if limit is None or not 1 <= limit <= rules.limit_max:
            raise api_error(400, "invalid_parameter",
                            f"The 'limit' parameter must be between 1 and {rules.limit_max}")
        relations = params.get("with")
        wanted = relations if isinstance(relations, list) else [relations] if relations else []
        unknown = [name for name in wanted if name not in rules.relations]
        if unknown:
            allowed = ", ".join(rules.relations) or "nothing"
            raise api_error(400, "invalid_parameter", f"with must be one of {allowed}")
        items = self._items()
        if self._version == "v1" and rules.bare_array_on_v1:
            return json_response(items)  # the documented bare array: everything, no envelope
        total = len(items)
        data = items[(page - 1) * limit : page * limit]
        stamp, unix = envelope_now()
        if self._version == "v1":
            pagination = {"page": page, "per_page": limit, "total": total,
                          "total_pages": max(1, math.ceil(total / limit))}
            return json_response({"success": True, "data": data, "pagination": pagination})
        return json_response({"success": True, "data": data, "total": total,
                              "timestamp": stamp, "unix": unix})
