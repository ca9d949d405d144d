"""The catalogue's query rules: which products, categories and stations a query matches, and
how each is shown (relations, ``selects``, subtrees); and the stop-list route.

Typed filters are applied here, server-side, so a test proves a filter both reached the wire in
the documented encoding and had its effect. Unknown filter fields, malformed flag values and
the like get the documented 400 ``invalid_parameter`` body (REFERENCE §4.4 to §4.7).
Choices where the docs are silent (the SDK must not depend on them): ``sold_by_portion``
matches ``sold_by_weight``; ``has_service_charge`` is "not ``ignore_service_charge``"; an
inactive category hides its whole subtree; a category listing without ``parent_id`` answers
the roots with their subtrees (``include_children``, the default) or every category flat.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .catalogue import walk_products
from .listing import _parse_filters
from .php_query import parse_php_query
from .responses import invalid_parameter, json_response
from .timestamps import envelope_now

__all__ = ["PRODUCT_GET_RELATIONS", "PRODUCT_RELATIONS", "Catalogue"]  # fmt: skip

Row = dict[str, Any]
Params = dict[str, Any]

PRODUCT_RELATIONS = ("category", "station", "modifications", "modifications.codes", "taxes",
                     "codes", "modificator_groups", "recipe", "packages", "tags")
PRODUCT_GET_RELATIONS = (*PRODUCT_RELATIONS, "unit", "media", "setting",
                         "modificator_groups.modificators.ingredient.unit")
# Keys of a stored product that are relations: shown only when asked for with with[].
_RELATION_KEYS = ("taxes", "codes", "tags", "modificator_groups", "recipe", "packages",
                  "modifications", "setting", "unit")
_ALWAYS_SELECTED = ("id", "name", "type")
_FLAGS = {"1": True, "true": True, "0": False, "false": False}


def _flag(params: Params, name: str, default: bool) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str) or value.lower() not in _FLAGS:
        raise invalid_parameter(f"The '{name}' parameter must be a boolean (1 or 0)")
    return _FLAGS[value.lower()]


def _is(test: Callable[[Row], Any]) -> Callable[[Row, frozenset[str]], bool]:
    """A yes/no filter: its values must be 1/0 (or true/false)."""

    def matches(product: Row, values: frozenset[str]) -> bool:
        wanted = {_FLAGS.get(value.lower()) for value in values}
        if None in wanted:
            raise invalid_parameter("Invalid filter parameters")
        return bool(test(product)) in wanted

    return matches


def _among(key: str) -> Callable[[Row, frozenset[str]], bool]:
    return lambda product, values: str(product.get(key)) in values


_PRODUCT_FILTERS: dict[str, Callable[[Row, frozenset[str]], bool]] = {
    "type": _among("type"),
    "category_id": _among("category_id"),
    "station_id": _among("station_id"),
    "inventory_behavior": _among("inventory_behavior"),
    "tags": lambda product, values: any(str(tag["id"]) in values for tag in product["tags"]),
    "giftable": _is(lambda p: p["giftable"]),
    "discountable": _is(lambda p: p["discountable"]),
    "sold_by_portion": _is(lambda p: p["sold_by_weight"]),
    "has_variants": _is(lambda p: p["modifications"]),
    "has_modifiers": _is(lambda p: p["modificator_groups"]),
    "has_barcode": _is(lambda p: p["codes"] or p["barcode"]),
    "has_service_charge": _is(lambda p: not p["ignore_service_charge"]),
    "haveIngredients": _is(lambda p: p["recipe"]),  # the docs' camelCase name (not PEER's)
}


def _relations(params: Params) -> set[str]:
    value = params.get("with")
    return set(value if isinstance(value, list) else [value] if value else [])


class Catalogue:
    """The live catalogue one FakeClopos serves to both versions (tests may edit the lists)."""

    def __init__(self, categories: list[Row], stations: list[Row], products: list[Row],
                 stop_list: list[Row]) -> None:
        self.categories = categories
        self.stations = stations
        self.products = products
        self.stop_list = stop_list

    # -- products -------------------------------------------------------------------

    def find_product(self, product_id: int | str) -> Row | None:
        """A product or variant by id, or by its UUID (``cid``)."""
        key = "cid" if isinstance(product_id, str) else "id"
        return next((p for p in walk_products(self.products) if p[key] == product_id), None)

    def select_products(self, params: Params, products: list[Row]) -> list[Row]:
        """The products the query's ``filters`` match (all of them: AND)."""
        filters = _parse_filters(params.get("filters"), frozenset(_PRODUCT_FILTERS))
        return [p for p in products
                if all(_PRODUCT_FILTERS[field](p, values) for field, values in filters)]

    def render_product(self, product: Row, params: Params) -> Row:
        """A product with the relations asked for, cut to ``selects`` when given."""
        wanted = _relations(params)
        shown = {k: v for k, v in product.items() if k not in _RELATION_KEYS}
        selects = params.get("selects")
        if isinstance(selects, str) and selects:
            keep = {*_ALWAYS_SELECTED, *(name.strip() for name in selects.split(","))}
            shown = {k: v for k, v in shown.items() if k in keep}
        for relation in wanted & set(_RELATION_KEYS):
            shown[relation] = product[relation]
        if "modifications" in wanted:
            shown["modifications"] = [
                self.render_product(variant, {"with": ["codes"]} if "modifications.codes"
                                    in wanted else {}) for variant in product["modifications"]]
        if "category" in wanted:
            shown["category"] = next((c for c in self.categories
                                      if c["id"] == product["category_id"]), None)
        if "station" in wanted:
            shown["station"] = next((s for s in self.stations
                                     if s["id"] == product["station_id"]), None)
        return shown

    # -- categories -----------------------------------------------------------------

    def _visible(self, params: Params) -> list[Row]:
        if _flag(params, "include_inactive", False):
            return self.categories
        off = [c for c in self.categories if not c["status"]]
        return [c for c in self.categories
                if not any(o["_lft"] <= c["_lft"] <= o["_rgt"] for o in off)]

    def find_category(self, category_id: int | str) -> Row | None:
        """A category by id, active or not."""
        return next((c for c in self.categories if c["id"] == category_id), None)

    def select_categories(self, params: Params, categories: list[Row]) -> list[Row]:
        """Roots with subtrees, a parent's children, or every category flat (see above)."""
        visible = {c["id"] for c in self._visible(params)}
        rows = [c for c in categories if c["id"] in visible]
        kind = params.get("type")
        if kind in (None, ""):  # the docs' curl example filters the type as a tuple
            filters = dict(_parse_filters(params.get("filters"), frozenset({"type"})))
            kinds = filters.get("type")
        else:  # type=PRODUCT, or type[0]=PRODUCT&type[1]=..: any of them
            listed = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else None
            if listed is None or not all(isinstance(k, str) for k in listed):
                raise invalid_parameter("The 'type' parameter must be a string or a list of them")
            kinds = frozenset(listed)
        if kinds is not None:
            unknown = kinds - {"PRODUCT", "INGREDIENT", "ACCOUNTING"}
            if unknown:
                raise invalid_parameter("type must be one of PRODUCT, INGREDIENT, ACCOUNTING")
            rows = [c for c in rows if c["type"] in kinds]
        parent = params.get("parent_id")
        if parent not in (None, ""):
            if not isinstance(parent, str) or not parent.isdigit():
                raise invalid_parameter("The 'parent_id' parameter must be an integer")
            return [c for c in rows if c["parent_id"] == int(parent)]
        if _flag(params, "include_children", True):
            return [c for c in rows if c["depth"] == 0]
        return rows

    def render_category(self, category: Row, params: Params) -> Row:
        """The category with its visible subtree under ``children`` (``include_children``)."""
        if not _flag(params, "include_children", True):
            return {**category, "children": []}
        visible = self._visible(params)

        def subtree(row: Row) -> Row:
            return {**row, "children": [subtree(c) for c in visible
                                        if c["parent_id"] == row["id"]]}

        return subtree(category)

    # -- stations -------------------------------------------------------------------

    def find_station(self, station_id: int | str) -> Row | None:
        """A station by id."""
        return next((s for s in self.stations if s["id"] == station_id), None)

    def select_stations(self, params: Params, stations: list[Row]) -> list[Row]:
        """The stations of the given ``status`` (1/0) and ``can_print``."""
        status = params.get("status")
        if status not in (None, ""):
            if status not in ("0", "1"):
                raise invalid_parameter("The 'status' parameter must be 1 or 0")
            stations = [s for s in stations if s["status"] == int(status)]
        if params.get("can_print") not in (None, ""):
            can_print = _flag(params, "can_print", False)
            stations = [s for s in stations if s["can_print"] == can_print]
        return stations

    # -- stop list ------------------------------------------------------------------

    def set_stop_limit(self, product_id: int, limit: int | float | None) -> None:
        """Limit a product (``limit`` left; 0 unavailable), or free it (None)."""
        if self.find_product(product_id) is None:
            raise KeyError(f"no product {product_id} in the catalogue")
        row = {"id": product_id, "limit": limit, "timestamp": int(time.time() * 1000)}
        at = next((i for i, old in enumerate(self.stop_list) if old["id"] == product_id), None)
        if limit is None:
            if at is not None:
                del self.stop_list[at]
        elif at is None:
            self.stop_list.append(row)
        else:
            self.stop_list[at] = row  # the POS updates the row where it is

    async def stop_list_route(self, request: web.Request) -> web.Response:
        """``GET products/stop-list``: every limited product, or those ``filters`` name."""
        params = parse_php_query(request.query.items())
        filters = _parse_filters(params.get("filters"), frozenset({"id"}))
        rows = [row for row in self.stop_list
                if all(str(row["id"]) in values for _, values in filters)]
        stamp, unix = envelope_now()
        return json_response({"success": True, "data": rows, "timestamp": stamp,
                              "unix": unix})
