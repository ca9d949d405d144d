"""Every documented request and response example of REFERENCE §4.4 to §4.7 decodes.

The documented bodies are literal JSON here, served by a small aiohttp app on loopback for
both versions' paths; the client must type them and send the documented queries.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

from clopos_async import AsyncClopos, ResponseValidationError

from .hostile import serve

# REFERENCE §4.4: the product object with every documented field and relation, PEER extras
# included (and an unknown field, ignored).
PRODUCT = json.loads("""{
  "id": 12, "parent_id": null, "station_id": 1, "category_id": 3, "unit_id": 1,
  "type": "GOODS", "name": "Cola", "parent_name": null, "full_name": "Cola", "position": 4,
  "barcode": "4760001000012", "gov_code": null, "status": 1, "hidden": 0,
  "sold_by_weight": false, "discountable": 1, "giftable": true, "has_modifications": true,
  "description": "Cold", "price": 2.5, "cost_price": 0.8, "cooking_time": 0,
  "inventory_behavior": 1, "low_stock": 5, "unit_weight": 0.33, "venues": [{"id": 1}],
  "media": [], "created_at": "2025-08-18 13:44:10", "updated_at": "2025-08-18 13:44:10",
  "cid": "7b0e3c5e-7f1a-4a3e-9a51-0c1d2e3f4a5b", "net_output": 1, "max_age": 18,
  "emenu_category_id": null, "emenu_position": 2, "emenu_hidden": 0,
  "accounting_category_id": null, "markup_rate": 30, "ignore_service_charge": 0,
  "name_slug": "cola", "gross_margin": 1.7, "slug": "cola", "color": "ff0000",
  "properties": {}, "is_inventory_behavior_changeable": true, "unit": {"id": 1, "name": "pcs"},
  "tags": [{"id": 1, "name": "cold"}], "future_field": 1,
  "taxes": [{"id": 1, "name": "VAT", "rate": 18}],
  "codes": [{"id": 5, "code": "4760001000012", "type": "EAN13"}],
  "packages": [{"id": 1, "name": "Box", "equal": 24}],
  "category": {"id": 3, "name": "Drinks", "hidden": false},
  "station": [],
  "modifications": [
    {"id": 13, "parent_id": 12, "type": "MODIFICATION", "name": "0.5 l", "price": 3,
     "codes": [{"code": "4760001000013"}]}
  ],
  "modificator_groups": [
    {"id": 2, "name": "Ice", "type": 1, "min_select": 0, "max_select": 1, "meta": {},
     "status": 1, "adjust_to_portion": 0, "pivot": {"product_id": 12},
     "created_at": "2026-02-02T13:45:53.000000Z", "updated_at": null,
     "modificators": [
       {"id": 187, "name": "Extra ice", "price": 0.2, "ingredient": null, "dish_id": 12,
        "ingredient_id": null, "group_id": 2, "cost_price": 0, "brutto": 0.05,
        "default_count": 0, "min_count": 0, "max_count": 2, "position": 1, "media": []}
     ]}
  ],
  "recipe": [
    {"ingredient_id": 80, "name": "Syrup", "gross": 0.05, "net": 0.04},
    {"id": 81, "name": "Water", "type": "INGREDIENT",
     "pivot": {"dish_id": 12, "ingredient_id": 81, "net": 0.3, "gross": 0.31, "net_put": 0.3}}
  ],
  "setting": {"interval": 15, "prices": [{"price": 5, "from": 0}, {"price": 4, "from": 60}],
              "calculation_methods": ["ROUND_UP"]}
}""")
# REFERENCE §4.5, the docs' 200 body.
STOP_LIST = {"success": True, "data": [{"id": 54, "limit": 0, "timestamp": 1761202010781}]}
# REFERENCE §4.6: a root with its nested subtree; PEER-PY extras.
CATEGORY = json.loads("""{
  "id": 1, "name": "Food", "status": 1, "hidden": false, "type": "PRODUCT", "position": 0,
  "parent_id": null, "_lft": 1, "_rgt": 6, "depth": 0, "color": "ff8800", "media": [],
  "image": null, "emenu_position": 1, "meta": null, "emenu_hidden": 0, "code": "F",
  "slug": "food", "properties": null,
  "created_at": "2026-02-02T13:45:53.000000Z", "updated_at": "2026-02-02T13:45:53.000000Z",
  "children": [
    {"id": 2, "name": "Pizza", "status": 1, "hidden": 1, "type": "PRODUCT", "parent_id": 1,
     "_lft": 2, "_rgt": 5, "depth": 1, "children": [
       {"id": 3, "name": "Thin", "parent_id": 2, "_lft": 3, "_rgt": 4, "depth": 2,
        "children": []}]}
  ]
}""")
# REFERENCE §4.7, with PEER-PY's extras.
STATION = json.loads("""{
  "id": 1, "name": "Kitchen", "status": 1, "type": 1, "printable": 1, "can_print": true,
  "reminder_enabled": false, "meta": null, "description": "Hot line",
  "created_at": "2026-02-02T13:45:53.000000Z", "updated_at": "2025-08-18 13:44:10"
}""")


class Documented:
    """Answers each documented path with its documented body; records the queries."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.queries: list[str] = []

    async def handler(self, request: web.Request) -> web.Response:
        self.queries.append(request.path_qs)
        path = request.path.removeprefix("/open-api").removeprefix("/v2")
        bodies: dict[str, Any] = {
            "/products": {"success": True, "data": [PRODUCT], "total": 1},
            "/products/12": {"success": True, "data": PRODUCT},
            "/products/stop-list": STOP_LIST,
            "/categories": {"success": True, "data": [CATEGORY], "total": 1},
            "/categories/1": {"success": True, "data": CATEGORY},
            # v1 shape: no success, a pagination object (REFERENCE §2.1, §2.5).
            "/stations": {"data": [STATION], "pagination": {
                "page": 1, "per_page": 50, "total": 1, "total_pages": 1}},
            "/stations/1": STATION,  # a bare object (REFERENCE §5, item 8)
        }
        return web.json_response(bodies[path])


@pytest.fixture(params=["v2", "v1"])
async def documented(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Documented, Any]]:
    server = Documented(request.param)
    async with serve(server.handler) as url, AsyncClopos(
        token="t", base_url=url, api_version=request.param, brand="b", venue_id="1"
    ) as clopos:
        yield server, clopos


async def test_documented_product_decodes(documented: tuple[Documented, Any]) -> None:
    _, clopos = documented
    for product in [(await clopos.products.list_page()).items[0],
                    await clopos.products.get(12)]:
        assert product.id == 12 and product.type == "GOODS" and product.hidden is False
        assert product.discountable is True and product.price == Decimal("2.5")
        assert product.unit_weight == Decimal("0.33")
        assert product.created_at == datetime(2025, 8, 18, 13, 44, 10, tzinfo=timezone.utc)
        assert product.category is not None and product.category.hidden is False
        assert product.station is None  # [] for an absent object
        (variant,) = product.variants
        assert (variant.type, variant.parent_id, variant.price) == ("MODIFICATION", 12, 3)
        assert variant.codes[0].code == "4760001000013"
        (group,) = product.modificator_groups
        assert group.single_choice is True and group.adjust_to_portion is False
        assert [m.id for m in product.modifiers] == [187]
        assert product.modifiers[0].price == Decimal("0.2")
        assert [t.rate for t in product.taxes] == [Decimal(18)]
        assert product.codes[0].type == "EAN13" and product.packages[0].equal == 24
        # Both documented recipe shapes read the same.
        assert [(r.ingredient_id, r.name, r.gross, r.net) for r in product.recipe] == [
            (80, "Syrup", Decimal("0.05"), Decimal("0.04")),
            (81, "Water", Decimal("0.31"), Decimal("0.3"))]
        assert product.recipe[1].net_put == Decimal("0.3")
        assert product.setting is not None and product.setting.interval == 15
        assert [(p.price, p.from_) for p in product.setting.prices] == [(5, 0), (4, 60)]
        assert product.cid == "7b0e3c5e-7f1a-4a3e-9a51-0c1d2e3f4a5b"


async def test_documented_stop_list_decodes(documented: tuple[Documented, Any]) -> None:
    server, clopos = documented
    (entry,) = await clopos.products.stop_list(ids=[1, 332])
    assert (entry.product_id, entry.limit, entry.unavailable) == (54, 0, True)
    # Epoch milliseconds, by the one timestamp rule.
    assert entry.timestamp == datetime(2025, 10, 23, 6, 46, 50, 781000, tzinfo=timezone.utc)
    # REFERENCE §2.6's exact encoded query for "stop list for products 1 and 332".
    assert server.queries[-1].endswith(
        "/products/stop-list?filters%5B0%5D%5B0%5D=id&filters%5B0%5D%5B1%5D%5B0%5D=1"
        "&filters%5B0%5D%5B1%5D%5B1%5D=332")


async def test_documented_products_query_is_sent_as_documented(
    documented: tuple[Documented, Any]
) -> None:
    server, clopos = documented
    await clopos.products.list_page(type=["GOODS", "DISH"], inventory_behavior=0,
                                    with_=["category"])
    # REFERENCE §2.6's exact encoded query for the products example.
    assert server.queries[-1].endswith(
        "/products?page=1&limit=50&with%5B0%5D=category&filters%5B0%5D%5B0%5D=type"
        "&filters%5B0%5D%5B1%5D%5B0%5D=GOODS&filters%5B0%5D%5B1%5D%5B1%5D=DISH"
        "&filters%5B1%5D%5B0%5D=inventory_behavior&filters%5B1%5D%5B1%5D=0")
    assert server.queries[-1].startswith("/open-api/v2/" if server.version == "v2"
                                         else "/open-api/products")


async def test_documented_category_tree_decodes(documented: tuple[Documented, Any]) -> None:
    _, clopos = documented
    for root in [(await clopos.categories.list().collect())[0],
                 await clopos.categories.get(1, include_children=True)]:
        assert [(c.id, c.parent_id, c.depth, c.lft, c.rgt) for c in root.walk()] == [
            (1, None, 0, 1, 6), (2, 1, 1, 2, 5), (3, 2, 2, 3, 4)]
        assert [c.hidden for c in root.walk()] == [False, True, None]  # bool or 0/1
        assert root.color == "ff8800" and root.emenu_hidden is False
        assert root.created_at is not None and root.created_at.year == 2026


async def test_documented_station_decodes(documented: tuple[Documented, Any]) -> None:
    _, clopos = documented
    page = await clopos.stations.list_page()
    assert page.total == 1 and not page.has_next
    for station in [page.items[0], await clopos.stations.get(1)]:
        assert (station.id, station.name, station.status, station.type) == (1, "Kitchen", 1, 1)
        assert station.printable is True and station.can_print is True
        assert station.updated_at == datetime(2025, 8, 18, 13, 44, 10, tzinfo=timezone.utc)


async def test_a_tree_nested_past_the_stack_is_typed_or_refused() -> None:
    # 450 categories deep is 900 JSON levels: every JSON decoder takes it, while typing it
    # recursively needs about as many frames as Python's default stack allows; whether it fits
    # depends on the interpreter (3.11 runs out, 3.13 does not). Either way the caller gets the
    # whole tree or a typed error, never a bare RecursionError.
    levels = 450
    tree = '{"id":0,"children":[' * levels + '{"id":1}' + "]}" * levels
    body = f'{{"success":true,"total":1,"data":[{tree}]}}'

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=body, content_type="application/json")

    async with serve(handler) as url, AsyncClopos(token="t", base_url=url) as clopos:
        try:
            page = await clopos.categories.list_page()
        except ResponseValidationError as exc:
            assert "nested too deeply" in str(exc)
        else:
            walked = list(page.items[0].walk())
            assert len(walked) == levels + 1 and walked[-1].id == 1
