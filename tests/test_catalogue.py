"""Products, categories and stations against FakeClopos on both versions (issue 11).

Each typed filter reaches the wire in the documented encoding (bracket tuples, list =
membership, booleans 1/0) and the fake applies it, so the result proves its effect; each bad
argument raises before anything is sent; the fake's documented errors come through typed.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from clopos_async import (
    AsyncClopos,
    BadRequestError,
    Category,
    NotFoundError,
    Product,
    RetryPolicy,
    ServerError,
)
from clopos_async.testing import FakeClopos, FaultPlan, Quota
from clopos_async.testing.catalogue import SOLD, make_categories, make_products
from clopos_async.testing.data import _CATALOG

from .conftest import RequestLog, client_for, refused_before_sending

SEEDED = make_products()
SEEDED_IDS = [p["id"] for p in SEEDED]


def last_query(log: RequestLog, suffix: str) -> list[tuple[str, str]]:
    """The decoded (key, value) pairs of the last request to a path ending in ``suffix``."""
    request = [r for r in log.requests if r.path.endswith(suffix)][-1]
    return list(request.query.items())


def ids_of(items: list[Any]) -> list[Any]:
    return [item.id for item in items]


def seeded(test: Any) -> list[int]:
    return [p["id"] for p in SEEDED if test(p)]


# (typed arguments, the filter pairs they must send, the seeded products they must select)
FILTERS: list[tuple[dict[str, Any], list[tuple[str, str]], list[int]]] = [
    ({"type": "TIMER"}, [("filters[0][0]", "type"), ("filters[0][1]", "TIMER")],
     seeded(lambda p: p["type"] == "TIMER")),
    ({"type": ["GOODS", "INGREDIENT"]},
     [("filters[0][0]", "type"), ("filters[0][1][0]", "GOODS"),
      ("filters[0][1][1]", "INGREDIENT")],
     seeded(lambda p: p["type"] in ("GOODS", "INGREDIENT"))),
    ({"category_id": [2, 3]}, [("filters[0][0]", "category_id"), ("filters[0][1][0]", "2"),
                               ("filters[0][1][1]", "3")],
     seeded(lambda p: p["category_id"] in (2, 3))),
    ({"station_id": 3}, [("filters[0][0]", "station_id"), ("filters[0][1]", "3")],
     seeded(lambda p: p["station_id"] == 3)),
    ({"tags": [1]}, [("filters[0][0]", "tags"), ("filters[0][1][0]", "1")], [44, 140]),
    ({"giftable": True}, [("filters[0][0]", "giftable"), ("filters[0][1]", "1")],
     seeded(lambda p: p["giftable"])),
    ({"discountable": False}, [("filters[0][0]", "discountable"), ("filters[0][1]", "0")],
     [70]),
    ({"inventory_behavior": 3}, [("filters[0][0]", "inventory_behavior"),
                                 ("filters[0][1]", "3")], [70]),
    ({"sold_by_portion": True}, [("filters[0][0]", "sold_by_portion"), ("filters[0][1]", "1")],
     [44, 80, 81]),
    ({"has_variants": True}, [("filters[0][0]", "has_variants"), ("filters[0][1]", "1")],
     [60]),
    ({"has_modifiers": True}, [("filters[0][0]", "has_modifiers"), ("filters[0][1]", "1")],
     [33, 51, 101]),
    ({"has_barcode": True}, [("filters[0][0]", "has_barcode"), ("filters[0][1]", "1")], [12]),
    ({"has_service_charge": False},
     [("filters[0][0]", "has_service_charge"), ("filters[0][1]", "0")], []),
    # The docs' camelCase name, not PEER-PY's have_ingredients (REFERENCE §5, item 22).
    ({"has_ingredients": True}, [("filters[0][0]", "haveIngredients"), ("filters[0][1]", "1")],
     [51, 101]),
    ({"type": "DISH", "station_id": [1], "has_modifiers": False},
     [("filters[0][0]", "type"), ("filters[0][1]", "DISH"), ("filters[1][0]", "station_id"),
      ("filters[1][1][0]", "1"), ("filters[2][0]", "has_modifiers"), ("filters[2][1]", "0")],
     [44, 90, 140]),
]


@pytest.mark.parametrize(("arguments", "pairs", "expected"), FILTERS,
                         ids=[",".join(f[0]) for f in FILTERS])
async def test_each_product_filter_is_encoded_as_documented_and_applied(
    clopos: AsyncClopos, request_log: RequestLog, arguments: dict[str, Any],
    pairs: list[tuple[str, str]], expected: list[int],
) -> None:
    products = await clopos.products.list(limit=100, **arguments).collect()
    assert ids_of(products) == expected
    assert last_query(request_log, "/products") == [("page", "1"), ("limit", "100"), *pairs]


async def test_raw_filters_stay_the_escape_hatch(
    clopos: AsyncClopos, request_log: RequestLog
) -> None:
    products = await clopos.products.list(type="DISH", filters=[("category_id", [5])]).collect()
    assert ids_of(products) == [1, 58]
    assert last_query(request_log, "/products")[-2:] == [
        ("filters[1][0]", "category_id"), ("filters[1][1][0]", "5")]


async def test_concurrent_pagination_yields_every_product_once_in_order(
    clopos: AsyncClopos, request_log: RequestLog
) -> None:
    products = await clopos.products.list(limit=2, concurrency=4).collect()
    assert ids_of(products) == SEEDED_IDS and len(set(ids_of(products))) == len(SEEDED)
    pages = sorted(int(dict(r.query)["page"]) for r in request_log.requests
                   if r.path.endswith("/products"))
    assert pages[: -(-len(SEEDED) // 2)] == list(range(1, -(-len(SEEDED) // 2) + 1))


async def test_orders_sell_catalogue_products(clopos: AsyncClopos, fake: FakeClopos) -> None:
    products = {p.id: p for p in await clopos.products.list(limit=100).collect()}
    for product_id, name, price in _CATALOG:  # the numbers orders use, written once
        assert (products[product_id].name, products[product_id].price) == (name, price)
    lines = [line for order in fake.orders_list()
             for line in order["payload"]["products"]]
    assert {line["product_id"] for line in lines} <= set(products)
    assert len(SOLD) == len(_CATALOG)


async def test_relations_are_embedded_when_asked(
    clopos: AsyncClopos, request_log: RequestLog
) -> None:
    bare = await clopos.products.get(60)
    assert bare.variants == () and bare.category is None and bare.taxes == ()
    cola = await clopos.products.get(
        60, with_=["modifications", "modifications.codes", "taxes", "category", "station"])
    assert last_query(request_log, "/products/60") == [
        ("with[0]", "modifications"), ("with[1]", "modifications.codes"), ("with[2]", "taxes"),
        ("with[3]", "category"), ("with[4]", "station")]
    assert [(v.id, v.type, v.parent_id) for v in cola.variants] == [
        (61, "MODIFICATION", 60), (62, "MODIFICATION", 60)]
    assert all(v.codes for v in cola.variants) and cola.taxes[0].name == "VAT"
    assert cola.category is not None and cola.category.id == cola.category_id == 6
    assert cola.station is not None and cola.station.name == "Bar"
    margherita = await clopos.products.get(101, with_=["modificator_groups", "recipe"])
    assert [m.id for m in margherita.modifiers] == [187, 201, 305]
    assert [r.ingredient_id for r in margherita.recipe] == [80, 81]
    pizza = await clopos.products.get(51, with_=["recipe"])  # the mock (pivot) shape
    assert [(r.ingredient_id, r.gross) for r in pizza.recipe] == [(81, 0.25)]
    timer = await clopos.products.get(70, with_=["setting"])
    assert timer.type == "TIMER" and timer.setting is not None
    assert [p.from_ for p in timer.setting.prices] == [0, 60]
    listed = await clopos.products.list(has_variants=True, with_=["modifications"]).collect()
    assert [len(p.variants) for p in listed] == [2]


async def test_selects_cuts_the_fields(clopos: AsyncClopos, request_log: RequestLog) -> None:
    page = await clopos.products.list_page(limit=3, selects=["price", "category_id"])
    assert ("selects", "price,category_id") in last_query(request_log, "/products")
    assert all(p.price is not None and p.category_id is not None for p in page.items)
    assert all(p.station_id is None and p.cid is None for p in page.items)
    assert all(p.name and p.type for p in page.items)  # id, name, type always come


async def test_get_by_int_or_uuid_and_the_documented_errors(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    by_id = await clopos.products.get(12)
    assert by_id.cid is not None
    assert (await clopos.products.get(by_id.cid)).id == 12
    assert (await clopos.products.get(61)).parent_id == 60  # a variant is a product too
    with pytest.raises(NotFoundError, match="Product not found"):
        await clopos.products.get(999)
    with pytest.raises(BadRequestError, match="integer or a UUID"):
        await clopos.products.get("not-an-id")
    with pytest.raises(NotFoundError, match="Category not found"):
        await clopos.categories.get(999)
    with pytest.raises(NotFoundError, match="Station not found"):
        await clopos.stations.get(999)


def tree(categories: list[Category]) -> list[tuple[Any, Any]]:
    return [(c.id, c.parent_id) for root in categories for c in root.walk()]


async def test_the_category_tree_round_trips(clopos: AsyncClopos) -> None:
    rows = make_categories()
    inactive = [r for r in rows if not r["status"]]
    hidden = {r["id"] for r in rows for o in inactive if o["_lft"] <= r["_lft"] <= o["_rgt"]}
    roots = await clopos.categories.list().collect()
    assert all(c.depth == 0 for c in roots)
    assert tree(roots) == [(r["id"], r["parent_id"]) for r in rows if r["id"] not in hidden]
    everything = await clopos.categories.list(include_inactive=True).collect()
    assert tree(everything) == [(r["id"], r["parent_id"]) for r in rows]
    for category in (c for root in everything for c in root.walk()):
        seed = next(r for r in rows if r["id"] == category.id)
        assert (category.lft, category.rgt, category.depth) == (
            seed["_lft"], seed["_rgt"], seed["depth"])
        descendants = {d.id for d in category.walk()} - {category.id}
        assert descendants == {r["id"] for r in rows
                               if category.lft is not None and category.rgt is not None
                               and category.lft < r["_lft"] < category.rgt}


async def test_category_filters_are_sent_as_documented_and_applied(
    clopos: AsyncClopos, request_log: RequestLog
) -> None:
    ingredients = await clopos.categories.list(type="INGREDIENT").collect()
    assert [c.id for root in ingredients for c in root.walk()] == [9, 10]
    # type= as a key of its own (REFERENCE §5, item 25), booleans as 1/0.
    flat = await clopos.categories.list(type=["PRODUCT"], include_children=False,
                                        include_inactive=True).collect()
    assert last_query(request_log, "/categories") == [
        ("page", "1"), ("limit", "50"), ("type[0]", "PRODUCT"), ("include_children", "0"),
        ("include_inactive", "1")]
    assert [c.id for c in flat] == [r["id"] for r in make_categories()
                                    if r["type"] == "PRODUCT"]
    assert all(c.children == () for c in flat)
    children = await clopos.categories.list(parent_id=1).collect()
    assert ("parent_id", "1") in last_query(request_log, "/categories")
    assert [c.id for c in children] == [2, 3, 4] and children[2].children[0].id == 5
    grill = await clopos.categories.get(4, include_children=False)
    assert last_query(request_log, "/categories/4") == [("include_children", "0")]
    assert grill.children == ()
    assert [c.id for c in (await clopos.categories.get(4)).walk()] == [4, 5]


async def test_station_filters_are_sent_as_documented_and_applied(
    clopos: AsyncClopos, request_log: RequestLog
) -> None:
    assert ids_of(await clopos.stations.list().collect()) == [1, 2, 3, 4]
    assert ids_of(await clopos.stations.list(status=0).collect()) == [4]
    assert ids_of(await clopos.stations.list(status=1, can_print=True).collect()) == [1, 2]
    assert last_query(request_log, "/stations") == [
        ("page", "1"), ("limit", "50"), ("status", "1"), ("can_print", "1")]
    station = await clopos.stations.get(2)
    assert (station.name, station.printable, station.type) == ("Bar", True, 0)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda c: c.products.list(limit=101), ValueError, "limit must be an int in 1..100"),
        (lambda c: c.products.list(type="SOUP"), ValueError,
         "type must be one of GOODS, DISH, TIMER, PREPARATION, INGREDIENT, got 'SOUP'"),
        (lambda c: c.products.list(type=["DISH", 3]), TypeError, "type must be one of"),
        (lambda c: c.products.list(category_id=[]), ValueError, "category_id must be an id"),
        (lambda c: c.products.list(station_id="1"), TypeError, "station_id must be an int"),
        (lambda c: c.products.list(giftable=1), TypeError, "giftable must be"),
        (lambda c: c.products.list(inventory_behavior=2), ValueError,
         "inventory_behavior must be one of 0, 1, 3, got 2"),
        (lambda c: c.products.list(with_=["variants"]), ValueError,
         "with_ must be one of category, station, modifications"),
        (lambda c: c.products.list(selects=["price;drop"]), ValueError, "selects must be"),
        (lambda c: c.products.list(sort="name"), ValueError, "sort must be None"),
        (lambda c: c.products.list(have_ingredients=True), TypeError,
         "'have_ingredients' is not an argument of products listings"),
        (lambda c: c.categories.list(limit=1000), ValueError, "limit must be an int in 1..999"),
        (lambda c: c.categories.list(type="MENU"), ValueError,
         "type must be one of PRODUCT, INGREDIENT, ACCOUNTING"),
        (lambda c: c.categories.list(include_children="yes"), TypeError, "include_children"),
        (lambda c: c.categories.list(parent_id=0), ValueError, "parent_id must be"),
        (lambda c: c.stations.list(limit=201), ValueError, "limit must be an int in 1..200"),
        (lambda c: c.stations.list(status=2), ValueError, "status must be one of 1, 0, got 2"),
        (lambda c: c.stations.list(status=True), TypeError, "status must be one of 1, 0"),
        (lambda c: c.stations.list(can_print="1"), TypeError, "can_print must be"),
    ],
)
async def test_bad_list_arguments_raise_before_sending(
    clopos: AsyncClopos, fake: FakeClopos, call: Any, error: type[Exception], words: str
) -> None:
    await refused_before_sending(fake, lambda: call(clopos), error, words)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda c: c.products.get(12, with_=["prices"]), ValueError,
         "with_ must be one of taxes, unit"),
        (lambda c: c.products.get(True), TypeError, "id must be an int or str"),
        (lambda c: c.products.get(" "), ValueError, "id must be a non-empty id"),
        (lambda c: c.categories.get(1, include_children=1), TypeError, "include_children"),
        (lambda c: c.categories.get(1, include_inactive=True), TypeError,
         "'include_inactive' is not an argument of categories get"),
        (lambda c: c.stations.get(1, with_=["x"]), ValueError, "with_ must be None"),
        (lambda c: c.products.stop_list(ids=[0]), ValueError, "ids must be an int >= 1, got 0"),
        (lambda c: c.products.stop_list(ids="1"), TypeError, "ids must be an int"),
    ],
)
async def test_bad_get_arguments_raise_before_sending(
    clopos: AsyncClopos, fake: FakeClopos, call: Any, error: type[Exception], words: str
) -> None:
    await refused_before_sending(fake, lambda: call(clopos), error, words)


def headers_for(fake: FakeClopos) -> dict[str, str]:
    headers = {"x-token": fake.issue_token()}
    if fake.api_version == "v1":
        headers |= {"x-brand": fake.credentials["brand"], "x-venue": "1"}
    return headers


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("products?with[0]=prices", "with must be one of category"),
        ("products?limit=101", "between 1 and 100"),
        ("products?filters[0][0]=have_ingredients&filters[0][1]=1", "Invalid filter"),
        ("products?filters[0][0]=giftable&filters[0][1]=maybe", "Invalid filter"),
        ("products/stop-list?filters[0][0]=name&filters[0][1]=x", "Invalid filter"),
        ("products/12?with[0]=prices", "with must be one of"),
        ("categories?limit=1000", "between 1 and 999"),
        ("categories?include_children=maybe", "must be a boolean"),
        ("categories?type=MENU", "type must be one of"),
        ("stations?limit=201", "between 1 and 200"),
        ("stations?status=2", "must be 1 or 0"),
    ],
)
async def test_the_fake_rejects_what_the_sdk_would_not_send(
    fake: FakeClopos, query: str, words: str
) -> None:
    prefix = f"{fake.url}/v2" if fake.api_version == "v2" else fake.url
    async with aiohttp.ClientSession() as session, session.get(
        f"{prefix}/{query}", headers=headers_for(fake)
    ) as response:
        body = await response.json()
    assert response.status == 400 and body["error"] == "invalid_parameter"
    assert words in body["message"]


async def test_faults_and_quotas_apply_to_the_catalogue_routes() -> None:
    async with FakeClopos(orders=0, quota=Quota(limit=2, window=60.0)) as fake:
        statuses = []
        async with aiohttp.ClientSession() as session:
            for path in ("products/12", "categories", "stations"):
                async with session.get(f"{fake.url}/v2/{path}",
                                       headers=headers_for(fake)) as response:
                    statuses.append(response.status)
        assert statuses == [200, 200, 429]
        fake.quota = None
        fake.faults = FaultPlan(rate_503=1.0, seed=1)
        async with client_for(fake, retry=RetryPolicy(max_retries=0)) as clopos:
            with pytest.raises(ServerError):
                await clopos.products.stop_list()
    assert fake.counters.status_counts[503] >= 1


def test_product_models_are_lenient() -> None:
    from clopos_async.serde import structure

    odd = structure({"id": "p-1", "type": "COMBO", "hidden": "1", "taxes": None,
                     "category": [], "setting": [], "modifications": [{"id": 2}]}, Product)
    assert odd.type == "COMBO" and odd.hidden is True and odd.taxes == ()
    assert odd.category is None and odd.setting is None and odd.variants[0].id == 2
