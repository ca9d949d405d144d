"""The seeded catalogue (REFERENCE §4.4 to §4.7): categories, stations, products, stop list.

Written once here and shared: the products orders sell (`SOLD`, with their modifiers
`MODIFIERS`) are products of this catalogue with the same id, name and price, so an order
line, a receipt line or a price always names a product that exists. The category tree has
both documented types (PRODUCT, INGREDIENT), nested-set bounds and depth, and one inactive
branch (hidden unless asked for). Products sit in those categories and stations; there are
variants (``type: MODIFICATION`` with ``parent_id``), a modificator group, taxes, codes,
packages, recipes in both documented shapes and a TIMER product with its ``setting``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from .config import DEFAULT_VENUES

__all__ = [
    "MODIFIERS",
    "SOLD",
    "make_categories",
    "make_products",
    "make_stations",
    "make_stop_list",
    "walk_products",
]

Row = dict[str, Any]

# (product_id, name, price, type, category_id, station_id): what orders sell. Prices mix whole
# and fractional amounts like the docs' examples. testing.data reads (id, name, price) in
# this order, so the seeded orders stay the same.
SOLD = (
    (51, "Pizza", 8.5, "DISH", 2, 1),
    (101, "Pizza Margherita", 9.0, "DISH", 2, 1),
    (140, "Göbələk şorbası", 4.0, "DISH", 3, 1),  # noqa: RUF001 (the docs' Azerbaijani name)
    (7, "Lahmacun", 3.5, "DISH", 4, 3),
    (12, "Çay", 1.0, "GOODS", 7, 2),
    (33, "Burger", 6.75, "DISH", 4, 3),
    (44, "Caesar Salad", 5.25, "DISH", 1, 1),
    (58, "Adana Kebab", 12.0, "DISH", 5, 3),
    (1, "Mega Dürüm Menü Alana Çiğ Köfte Dürüm", 0.0, "DISH", 5, 3),
)
# (modifier_id, name, price): the "Extras" modificator group of the products that take it.
MODIFIERS = ((187, "Extra Cheese", 0.5), (201, "Spicy Sauce", 0.0), (305, "Large", 1.5))
_WITH_EXTRAS = (51, 101, 33)

# (id, name, type, parent_id, active)
_CATEGORIES = (
    (1, "Food", "PRODUCT", None, True),
    (2, "Pizza", "PRODUCT", 1, True),
    (3, "Soups", "PRODUCT", 1, True),
    (4, "Grill", "PRODUCT", 1, True),
    (5, "Kebabs", "PRODUCT", 4, True),
    (6, "Drinks", "PRODUCT", None, True),
    (7, "Hot drinks", "PRODUCT", 6, True),
    (8, "Seasonal", "PRODUCT", None, False),
    (12, "Winter specials", "PRODUCT", 8, True),  # active, but under an inactive parent
    (9, "Ingredients", "INGREDIENT", None, True),
    (10, "Dairy", "INGREDIENT", 9, True),
    (11, "Games", "PRODUCT", None, True),
)

# (id, name, type 1 kitchen / 0 other, printable, active)
_STATIONS = ((1, "Kitchen", 1, 1, 1), (2, "Bar", 0, 1, 1), (3, "Grill", 1, 0, 1),
             (4, "Old printer", 0, 1, 0))

_TAXES = ({"id": 1, "name": "VAT", "rate": 18, "type": "INCLUDED"},
          {"id": 2, "name": "City tax", "rate": 2.5, "type": "EXCLUDED"})
_TAGS = {1: {"id": 1, "name": "vegetarian"}, 2: {"id": 2, "name": "spicy"}}
_CREATED, _UPDATED = "2025-01-10 09:00:00", "2026-01-20 10:15:00"  # products: space format
_CREATED_ISO, _UPDATED_ISO = "2025-01-10T09:00:00.000000Z", "2026-01-20T10:15:00.000000Z"
# Stop-list timestamps are epoch milliseconds (REFERENCE §4.5).
_STOPPED_AT = 1_761_202_010_781


def make_categories() -> list[Row]:
    """Every category, flat, in nested-set order, with ``_lft``/``_rgt``/``depth`` computed."""
    rows: dict[int, Row] = {
        cid: {"id": cid, "name": name, "type": kind, "parent_id": parent,
              "status": int(active), "hidden": not active, "position": position,
              "color": f"{(cid * 2654435761) % 0xFFFFFF:06x}", "media": [],
              "created_at": _CREATED_ISO, "updated_at": _UPDATED_ISO}
        for position, (cid, name, kind, parent, active) in enumerate(_CATEGORIES)
    }
    ordered: list[Row] = []
    counter = 0

    def number(row: Row, depth: int) -> None:
        nonlocal counter
        counter += 1
        row["_lft"], row["depth"] = counter, depth
        ordered.append(row)
        for child in (r for r in rows.values() if r["parent_id"] == row["id"]):
            number(child, depth + 1)
        counter += 1
        row["_rgt"] = counter

    for root in [r for r in rows.values() if r["parent_id"] is None]:
        number(root, 0)
    return ordered


def make_stations() -> list[Row]:
    """The preparation stations products name by ``station_id``."""
    return [{"id": sid, "name": name, "status": active, "type": kind, "printable": printable,
             "can_print": bool(printable and active), "reminder_enabled": False,
             "description": None, "meta": None, "created_at": _CREATED_ISO,
             "updated_at": _UPDATED_ISO} for sid, name, kind, printable, active in _STATIONS]


def _product(pid: int, name: str, price: float, kind: str, category: int | None,
             station: int | None, **extra: Any) -> Row:
    row: Row = {
        "id": pid, "parent_id": None, "station_id": station, "category_id": category,
        "unit_id": 1, "type": kind, "name": name, "parent_name": None, "full_name": name,
        "position": pid, "barcode": None, "gov_code": None, "status": 1, "hidden": 0,
        "sold_by_weight": False, "discountable": True, "giftable": kind == "GOODS",
        "has_modifications": False, "description": None, "price": price,
        "cost_price": round(price * 0.35, 2), "cooking_time": 10 if kind == "DISH" else None,
        "inventory_behavior": 0 if kind == "DISH" else 1, "low_stock": None,
        "unit_weight": None, "venues": [{"id": v, "name": n} for v, n in DEFAULT_VENUES.items()],
        "media": [], "cid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"clopos-fake/product/{pid}")),
        "ignore_service_charge": False, "created_at": _CREATED, "updated_at": _UPDATED,
        # Relations, served only when asked for with with[] (see catalogue_api).
        "taxes": [_TAXES[0]], "codes": [], "tags": [], "modificator_groups": [],
        "recipe": [], "packages": [], "modifications": [], "setting": None,
        "unit": {"id": 1, "name": "pcs"},
    }
    row.update(extra)
    return row


def _extras_group() -> Row:
    return {"id": 1, "name": "Extras", "type": 0, "min_select": 0, "max_select": 3,
            "status": 1, "modificators": [
                {"id": mid, "name": name, "price": price, "ingredient": None, "group_id": 1,
                 "position": position, "default_count": 0, "min_count": 0, "max_count": 2}
                for position, (mid, name, price) in enumerate(MODIFIERS)]}


def _code(pid: int) -> list[Row]:
    return [{"id": pid, "code": f"476{pid:010d}", "type": "EAN13", "product_id": pid}]


def _variant(pid: int, parent: Row, label: str, price: float) -> Row:
    return _product(pid, f"{parent['name']} {label}", price, "MODIFICATION",
                    parent["category_id"], parent["station_id"], parent_id=parent["id"],
                    parent_name=parent["name"], full_name=f"{parent['name']} {label}",
                    codes=_code(pid))


def make_products() -> list[Row]:
    """Every product but variants (those are under their parent's ``modifications``), by id."""
    products = [_product(pid, name, price, kind, category, station)
                for pid, name, price, kind, category, station in SOLD]
    by_id = {p["id"]: p for p in products}
    for pid in _WITH_EXTRAS:
        by_id[pid]["modificator_groups"] = [_extras_group()]
    for pid in (140, 44):
        by_id[pid]["tags"] = [_TAGS[1]]
    by_id[58]["tags"] = [_TAGS[2]]
    by_id[12].update(codes=_code(12), barcode=_code(12)[0]["code"], giftable=True,
                     packages=[{"id": 1, "name": "Box of 20", "equal": 20}])
    by_id[58]["taxes"] = list(_TAXES)
    by_id[44]["sold_by_weight"] = True
    # The docs' table shape of a recipe line, and the PEER mocks' ingredient-with-pivot shape.
    by_id[101]["recipe"] = [{"ingredient_id": 80, "name": "Mozzarella", "gross": 0.15,
                             "net": 0.14}, {"ingredient_id": 81, "name": "Flour",
                                            "gross": 0.2, "net": 0.2}]
    by_id[51]["recipe"] = [{"id": 81, "name": "Flour", "type": "INGREDIENT", "pivot": {
        "dish_id": 51, "ingredient_id": 81, "gross": 0.25, "net": 0.25, "net_put": 0.25}}]
    cola = _product(60, "Cola", 0.0, "GOODS", 6, 2, has_modifications=True)
    cola["modifications"] = [_variant(61, cola, "0.33 l", 1.5), _variant(62, cola, "0.5 l", 2.0)]
    products += [
        cola,
        _product(70, "Billiards table", 5.0, "TIMER", 11, None, discountable=False,
                 inventory_behavior=3, setting={"interval": 15, "prices": [
                     {"price": 5.0, "from": 0}, {"price": 4.0, "from": 60}],
                     "calculation_methods": None}),
        _product(80, "Mozzarella", 0.0, "INGREDIENT", 10, None, sold_by_weight=True,
                 unit_weight=1.0, low_stock=2.0),
        _product(81, "Flour", 0.0, "INGREDIENT", 9, None, sold_by_weight=True, unit_weight=1.0),
        _product(82, "Tomato sauce", 0.0, "PREPARATION", 9, 1, inventory_behavior=0),
        _product(90, "Pumpkin soup", 4.5, "DISH", 12, 1, status=0, hidden=1),
    ]
    return sorted(products, key=lambda p: p["id"])


def walk_products(products: list[Row]) -> Iterator[Row]:
    """Every product and, after each, its variants."""
    for product in products:
        yield product
        yield from product["modifications"]


def make_stop_list() -> list[Row]:
    """The documented stop-list rows: the soup is out (limit 0), three kebabs are left."""
    return [{"id": 140, "limit": 0, "timestamp": _STOPPED_AT},
            {"id": 58, "limit": 3, "timestamp": _STOPPED_AT + 60_000}]
