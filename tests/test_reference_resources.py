"""Venues, users, payment methods, customer groups and price lists (issue 11), end to end.

The documented examples (REFERENCE §4.3, §4.8, §4.9, §4.11, §4.12) are literal below and
served as is by a small server; everything else runs against FakeClopos on both versions.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from clopos_async import (
    AsyncClopos,
    CustomerGroup,
    NotFoundError,
    NotInVersionError,
    PaymentMethod,
    Price,
    PriceList,
    Product,
    User,
    Venue,
)
from clopos_async.testing import FakeClopos, FaultPlan
from clopos_async.testing.data import _CATALOG
from clopos_async.testing.seed_ids import CUSTOMER_GROUPS, PAYMENT_METHODS, USERS

from .conftest import RequestLog, client_for
from .hostile import serve
from .test_cli import cli, env_for

# -- the documented examples, literally ----------------------------------------------------

CUSTOMER_GROUPS_EXAMPLE = {  # §4.3: the canonical envelope with its `sorts`
    "success": True,
    "data": [{"id": 1, "name": "My customers", "discount_type": None, "discount_value": 0,
              "system_type": "my_customers", "created_at": "2025-01-10 09:00:00",
              "updated_at": "2025-01-10 09:00:00", "deleted_at": None},
             {"id": 2, "name": "VIP", "discount_type": "1", "discount_value": 10.5,
              "system_type": None, "created_at": "2025-01-10T09:00:00.000000Z",
              "updated_at": "2025-01-10T09:00:00.000000Z", "deleted_at": None}],
    "total": 2, "time": 12, "timestamp": "2026-01-19 14:51:33", "unix": 1768820869,
    "sorts": ["id", "name", "discount_type", "discount_value", "total_amount", "created_at",
              "updated_at", "deleted_at"],
}  # fmt: skip
VENUES_NEWER = {"success": True, "data": [{"id": 1, "name": "Main", "is_main": 1, "media": []},
                                          {"id": 2, "name": "Second", "is_main": 0,
                                           "media": [{"url": "https://x/1.png"}]}]}
VENUES_OLDER = {  # §4.8: the older page, `time` and an ISO `timestamp`, no total
    "success": True,
    "data": [{"id": 1, "name": "Main", "address": "28 May 4", "status": 1,
              "phone": "+994501234567", "email": "main@example.com"}],
    "time": 12, "timestamp": "2024-01-20T16:25:00Z",
}  # fmt: skip
USER_V2 = {"id": 1, "email": "owner@example.com", "username": "owner", "first_name": "Rahid",
           "last_name": "Akhundzada", "mobile_number": "+994501234567", "owner": 1,
           "status": True, "created_at": "2025-01-10T09:00:00.000000Z",
           "updated_at": "2026-02-02 13:45:53"}
USER_V1 = {**USER_V2, "owner": 0, "status": False, "pin": "1234", "card": "C-1", "hide": 0,
           "salary": "1500.50", "barcode": "123", "tip_message": "Thanks",
           "can_receive_tips": 1, "login_at": 1768820869000, "bonus_balance_id": 4,
           "properties": {"lang": "az"}, "image": None}
PAYMENT_METHODS_EXAMPLE = {  # §4.11: a balance, a service, and neither
    "success": True,
    "data": [{"id": 1, "name": "Cash", "status": {"1": 1, "2": 0}, "split": 0, "position": 0,
              "customer_required": 0, "is_system": 1, "created_at": "2025-01-10 09:00:00",
              "updated_at": "2025-01-10 09:00:00", "balance_id": 1,
              "balance": {"id": 1, "system_type": "cash", "name": "Cash", "type": "CASH"},
              "service": None},
             {"id": 3, "name": "Bonus", "status": {"1": 1}, "split": 1, "position": 2,
              "customer_required": 1, "is_system": 0, "created_at": None, "updated_at": None,
              "balance": None,
              "service": {"name": "loyalty", "check": [], "payload": []}},
             {"id": 4, "name": "Voucher", "balance": [], "service": [], "split": True}],
    "total": 3,
}  # fmt: skip
PAGINATION = {"page": 1, "per_page": 50, "total": 1, "total_pages": 1}
PRICE_LISTS_EXAMPLE = {  # §4.12: no `success`
    "data": [{"id": 1, "name": "Base", "description": None, "status": True,
              "prices": [{"id": 7, "list_id": 1, "product_id": 51, "price": 8.5}],
              "created_at": "2025-01-10T09:00:00.000000Z",
              "updated_at": "2025-01-10T09:00:00.000000Z"}],
    "pagination": PAGINATION,
}  # fmt: skip
PRICES_EXAMPLE = {
    "data": [{"id": 7, "list_id": 1, "product_id": 51, "price": "8.50",
              "product": {"id": 51, "name": "Pizza"},
              "list": {"id": 1, "name": "Base", "description": None, "status": 1}}],
    "pagination": PAGINATION,
}  # fmt: skip


def _documented_server(bodies: dict[str, Any]) -> Any:
    """A server answering each path ending in a key of ``bodies`` with that body, literally."""

    async def answer(request: web.Request) -> web.Response:
        for suffix, body in bodies.items():
            if request.path.endswith(suffix):
                return web.json_response(body)
        return web.json_response({"success": False, "error": "not_found"}, status=404)

    return serve(answer)


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_every_documented_example_decodes(version: str) -> None:
    bodies = {"/customer-groups": CUSTOMER_GROUPS_EXAMPLE, "/payment-methods":
              PAYMENT_METHODS_EXAMPLE, "/venues": VENUES_OLDER if version == "v1" else
              VENUES_NEWER, "/users/1": {"success": True, "data": USER_V1 if version == "v1"
                                         else USER_V2},
              "/users": {"success": True, "data": [USER_V1, USER_V2], "total": 2},
              "/price-lists/prices": PRICES_EXAMPLE, "/price-lists": PRICE_LISTS_EXAMPLE}
    server = _documented_server(bodies)
    scope = {"brand": "b", "venue_id": "1"} if version == "v1" else {}
    async with server as url, AsyncClopos(token="t", base_url=url, api_version=version,
                                          **scope) as c:
        groups = await c.customer_groups.list().collect()
        assert [type(g) for g in groups] == [CustomerGroup, CustomerGroup]
        assert groups[0].discount_type is None and groups[0].system_type == "my_customers"
        assert groups[1].discount_type == "1" and groups[1].discount_value == Decimal("10.5")
        assert groups[0].created_at is not None and groups[0].created_at.year == 2025

        methods = await c.payment_methods.list().collect()
        assert [m.id for m in methods] == [1, 3, 4]
        cash, bonus, voucher = methods
        assert isinstance(cash, PaymentMethod) and cash.balance is not None
        assert cash.balance.type == "CASH" and cash.is_system is True and cash.split is False
        assert cash.active_in(1) is True and cash.active_in("2") is False
        assert bonus.balance is None and bonus.service is not None
        assert bonus.service.name == "loyalty" and bonus.customer_required is True
        assert voucher.balance is None and voucher.service is None  # `[]` is absent
        assert voucher.split is True and voucher.active_in(1) is None

        venues = await c.venues.list().collect()
        assert all(isinstance(v, Venue) for v in venues)
        if version == "v1":
            assert venues == [Venue(id=1, name="Main", address="28 May 4", status=True,
                                    phone="+994501234567", email="main@example.com")]
        else:
            assert [(v.id, v.is_main, v.address) for v in venues] == [(1, True, None),
                                                                       (2, False, None)]
            assert venues[1].media == ({"url": "https://x/1.png"},)

        users = await c.users.list().collect()
        assert [type(u) for u in users] == [User, User]
        v1_user, v2_user = users
        assert v1_user.salary == Decimal("1500.50") and v1_user.can_receive_tips is True
        assert v1_user.login_at is not None and v1_user.login_at.year == 2026  # epoch ms
        assert v1_user.properties == {"lang": "az"} and v1_user.owner is False
        assert v2_user.owner is True and v2_user.pin is None
        assert v2_user.full_name == "Rahid Akhundzada"
        one = await c.users.get(1)
        assert one.username == "owner" and one.updated_at is not None

        if version == "v1":
            with pytest.raises(NotInVersionError, match="needs v2"):
                c.price_lists.list()
            return
        lists = await c.price_lists.list(with_prices=True).collect()
        assert len(lists) == 1 and isinstance(lists[0], PriceList)
        assert lists[0].status is True and lists[0].description is None
        assert lists[0].prices == (Price(id=7, list_id=1, product_id=51, price=Decimal("8.5")),)
        prices = await c.price_lists.prices(list_id=1, with_=["product", "list"]).collect()
        product = prices[0].product
        assert prices[0].price == Decimal("8.50") and isinstance(product, Product)
        assert (product.id, product.name) == (51, "Pizza")
        assert prices[0].price_list is not None and prices[0].price_list.status is True


# -- FakeClopos, both versions ----------------------------------------------------------------


async def test_fake_serves_the_seeded_ids_other_resources_reference(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    assert [(u.id, u.username, u.owner) for u in await clopos.users.list().collect()] == [
        (user_id, name, bool(owner)) for user_id, name, owner in USERS]
    methods = await clopos.payment_methods.list().collect()
    assert [(m.id, m.name, m.balance.type if m.balance else None) for m in methods] == list(
        PAYMENT_METHODS)
    groups = await clopos.customer_groups.list().collect()
    assert [(g.id, g.name, g.system_type) for g in groups] == list(CUSTOMER_GROUPS)
    venues = await clopos.venues.list().collect()
    assert {v.id: v.name for v in venues} == fake.config.venues
    if fake.api_version == "v1":  # the older shape
        assert all(v.address and v.status is True and v.is_main is None for v in venues)
    else:  # the newer shape
        assert [v.is_main for v in venues] == [True, False] and venues[0].address is None
    user = await clopos.users.get(2)
    assert user.username == "cashier" and (user.pin is not None) == (fake.api_version == "v1")
    with pytest.raises(NotFoundError, match="User not found"):
        await clopos.users.get(999)


async def test_price_lists_price_every_product_orders_reference() -> None:
    async with FakeClopos(orders=20) as fake, client_for(fake) as clopos:
        lists = await clopos.price_lists.list(with_prices=True).collect()
        catalog = sorted(pid for pid, _, _ in _CATALOG)
        for price_list in lists:
            assert sorted(int(p.product_id or 0) for p in price_list.prices) == catalog
        ordered = {line.product_id for order in await clopos.orders.list().collect()
                   for line in (order.payload.products if order.payload else ())}
        assert ordered and ordered <= set(catalog)


async def test_price_list_sort_and_price_filters_reach_the_wire(request_log: RequestLog) -> None:
    async with FakeClopos(orders=0, middlewares=[request_log.middleware]) as fake, \
            client_for(fake) as clopos:
        names = [p.name for p in await clopos.price_lists.list(sort="-name").collect()]
        assert names == ["Delivery", "Base"]
        asc = await clopos.price_lists.list_page(sort="name", selects=["id", "name"], limit=999)
        assert [p.name for p in asc.items] == ["Base", "Delivery"]
        prices = await clopos.price_lists.prices(list_id=2, product_id=[51, 7],
                                                 with_="product").collect()
        assert [(p.list_id, p.product_id) for p in prices] == [(2, 51), (2, 7)]
        product = prices[0].product
        assert product is not None and (product.id, product.name, product.price) == (
            51, "Pizza", Decimal("8.5"))
    sent = [list(r.query.items()) for r in request_log.requests if "price-lists" in r.path]
    assert sent[0] == [("page", "1"), ("limit", "50"), ("sort[0][0]", "name"),
                       ("sort[0][1]", "desc")]
    assert sent[1] == [("page", "1"), ("limit", "999"), ("selects", "id,name"),
                       ("sort[0][0]", "name"), ("sort[0][1]", "asc")]
    assert sent[2] == [("page", "1"), ("limit", "50"), ("with[0]", "product"),
                       ("filters[0][0]", "list_id"), ("filters[0][1]", "2"),
                       ("filters[1][0]", "product_id"), ("filters[1][1][0]", "51"),
                       ("filters[1][1][1]", "7")]  # fmt: skip


async def test_price_lists_concurrent_pages_yield_each_price_once_in_order() -> None:
    async with FakeClopos(orders=0) as fake, client_for(fake) as clopos:
        expected = [p["id"] for p in fake.prices]
        prices = await clopos.price_lists.prices(limit=4, concurrency=4).collect()
        assert [p.id for p in prices] == expected and len(expected) > 8
        pages = -(-len(expected) // 4)
        assert fake.counters.route_counts["GET /open-api/v2/price-lists/prices"] == pages


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda c: c.venues.list(limit=101), ValueError, "limit must be an int in 1..100"),
        (lambda c: c.users.list(limit=0), ValueError, "limit must be an int in 1..100"),
        (lambda c: c.payment_methods.list(with_="balance"), ValueError, "with_ must be None"),
        (lambda c: c.payment_methods.list_page(limit=101), ValueError, "in 1..100, got 101"),
        (lambda c: c.customer_groups.list(limit=201), ValueError, "in 1..200, got 201"),
        (lambda c: c.customer_groups.list(sort="name"), ValueError, "take no sort"),
        (lambda c: c.users.list(colour=1), TypeError, "'colour' is not an argument of users"),
        (lambda c: c.users.get(True), TypeError, "id must be an int or str"),
        (lambda c: c.users.get(" "), ValueError, "id must be a non-empty id"),
    ],
)
async def test_bad_arguments_raise_before_any_request(
    clopos: AsyncClopos, fake: FakeClopos, call: Any, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        result = call(clopos)
        if hasattr(result, "__await__"):
            await result
    assert fake.counters.requests == 0


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda c: c.price_lists.list(limit=1000), ValueError, "limit must be an int in 1..999"),
        (lambda c: c.price_lists.list(sort="price"), ValueError,
         "sort must be one of id, name, created_at"),
        (lambda c: c.price_lists.list(with_prices=1), TypeError, "with_prices must be a bool"),
        (lambda c: c.price_lists.list(with_="product"), ValueError,
         "with_ must be one of prices"),
        (lambda c: c.price_lists.list(selects=[]), ValueError, "selects must be a field name"),
        (lambda c: c.price_lists.prices(list_id=[]), ValueError,
         "list_id must be an id or a non-empty list of ids"),
        (lambda c: c.price_lists.prices(product_id="51"), TypeError, "product_id must be an int"),
        (lambda c: c.price_lists.prices(with_=["category"]), ValueError,
         "with_ must be one of product, list, got 'category'"),
        (lambda c: c.price_lists.prices(limit=0), ValueError, "limit must be an int in 1..999"),
        (lambda c: c.price_lists.prices(sort="id"), ValueError, "take no sort"),
    ],
)
async def test_bad_price_list_arguments_raise_before_any_request(
    call: Any, error: type[Exception], words: str
) -> None:
    async with FakeClopos(orders=0) as fake, client_for(fake) as clopos:
        with pytest.raises(error, match=words):
            call(clopos)
        assert fake.counters.requests == 0


async def test_v1_price_lists_raise_not_in_version_before_sending() -> None:
    async with FakeClopos(orders=0, api_version="v1") as fake, client_for(fake) as clopos:
        for call in (lambda: clopos.price_lists.list(), lambda: clopos.price_lists.prices()):
            with pytest.raises(NotInVersionError, match="not available in API v1; it needs v2"):
                call()
        with pytest.raises(NotInVersionError, match="needs v2"):
            await clopos.price_lists.list_page()
        with pytest.raises(NotInVersionError, match="needs v2"):
            await clopos.price_lists.prices_page(list_id=1)
        assert fake.counters.requests == 0


async def test_fake_answers_the_documented_errors_and_shapes(fake: FakeClopos) -> None:
    base = f"{fake.url}{'/v2' if fake.api_version == 'v2' else ''}"
    headers = {"x-token": fake.issue_token()}
    if fake.api_version == "v1":
        headers |= {"x-brand": fake.credentials["brand"], "x-venue": "1"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for path, query in [("users", "with[0]=roles"), ("venues", "limit=101"),
                            ("customer-groups", "limit=201"), ("payment-methods", "page=0")]:
            async with session.get(f"{base}/{path}?{query}") as response:
                body = await response.json()
            assert response.status == 400 and body["error"] == "invalid_parameter", path
        async with session.get(f"{base}/users/77") as response:
            assert response.status == 404
            assert await response.json() == {"success": False, "error": "resource_not_found",
                                             "message": "User not found"}
        async with session.get(f"{base}/customer-groups?limit=200") as response:
            groups = await response.json()
        assert "sorts" in groups and groups["total"] == len(CUSTOMER_GROUPS)
        async with session.get(f"{base}/venues") as response:
            venues = await response.json()
        if fake.api_version == "v1":
            assert set(venues) == {"success", "data", "time", "timestamp"}
            assert venues["timestamp"].endswith("Z")
            async with session.get(f"{fake.url}/price-lists") as response:
                assert response.status == 404
            return
        async with session.get(f"{base}/price-lists?limit=1") as response:
            lists = await response.json()
        assert set(lists) == {"data", "pagination"}  # no `success`, as documented
        assert lists["pagination"] == {"page": 1, "per_page": 1, "total": 2, "total_pages": 2}
        for query in ["with[0]=product", "sort[0][0]=price&sort[0][1]=asc", "limit=1000",
                      "sort[0][0]=name&sort[0][1]=up"]:
            async with session.get(f"{base}/price-lists?{query}") as response:
                assert response.status == 400, query
        async with session.get(f"{base}/price-lists/prices?filters[0][0]=price"
                               "&filters[0][1]=1") as response:
            assert response.status == 400


async def test_faults_apply_to_reference_routes() -> None:
    plan = FaultPlan(rate_503=0.5, seed=3, max_consecutive=1)
    async with FakeClopos(orders=0, faults=plan) as fake, client_for(fake) as clopos:
        for _ in range(3):
            assert len(await clopos.users.list(limit=1).collect()) == len(USERS)
            assert len(await clopos.price_lists.prices(limit=5).collect()) == len(fake.prices)
        assert fake.counters.status_counts[503] > 0


# -- export of every resource through the CLI ----------------------------------------------


@pytest.mark.parametrize("api_version", ["v1", "v2"])
@pytest.mark.parametrize("command", ["venues", "users", "payment-methods", "customer-groups",
                                     "price-lists", "sale-types"])
async def test_cli_exports_every_resource(tmp_path: Any, api_version: str, command: str) -> None:
    async with FakeClopos(orders=0, api_version=api_version) as fake:
        env = env_for(fake)
        jsonl, csv_path = tmp_path / "out.jsonl", tmp_path / "out.csv"
        got = await cli(command, "export", "--out", str(jsonl), env=env)
        if command == "price-lists" and api_version == "v1":
            assert got.code != 0 and "needs v2" in got.err and not jsonl.exists()
            return
        assert got.code == 0, got
        stored = {"venues": fake.venues, "users": fake.users,
                  "payment-methods": fake.payment_methods,
                  "customer-groups": fake.customer_groups, "sale-types": fake.sale_types,
                  "price-lists": {"v2": fake.price_lists}}[command][api_version]
        lines = jsonl.read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == stored  # lossless: as the API sent them
        assert jsonl.stat().st_mode & 0o777 == 0o600
        got = await cli(command, "export", "--out", str(csv_path), env=env)
        assert got.code == 0, got
        header, *rows = csv_path.read_text(encoding="utf-8").splitlines()
        assert header.split(",")[0] == "id" and len(rows) == len(stored)
        assert [row.split(",")[0] for row in rows] == [str(item["id"]) for item in stored]
        again = await cli(command, "export", "--out", str(csv_path), env=env)
        assert again.code != 0 and "exists" in again.err  # --force is needed to replace it


async def test_cli_csv_columns_are_the_declared_ones(tmp_path: Any) -> None:
    async with FakeClopos(orders=0) as fake:
        out = tmp_path / "methods.csv"
        got = await cli("payment-methods", "export", "--out", str(out), env=env_for(fake))
        assert got.code == 0, got
        assert out.read_text(encoding="utf-8").splitlines() == [
            "id,name,balance.type,split,customer_required,is_system",
            "1,Cash,CASH,false,false,true",
            "2,Card,CARD,true,false,true",
            "3,Bonus,,false,true,false",
        ]
        assert "exported 3 payment methods (1 page)" in got.err


async def test_cli_concurrent_multi_page_export_keeps_every_item_once(tmp_path: Any) -> None:
    async with FakeClopos(orders=0, latency=0.02) as fake:
        template = fake.users["v2"][0]
        fake.users["v2"][:] = [{**template, "id": n, "username": f"user{n}"}
                               for n in range(1, 41)]
        out = tmp_path / "users.jsonl"
        got = await cli("users", "export", "--out", str(out), "--limit", "3",
                        "--concurrency", "4", "--progress", env=env_for(fake))
        assert got.code == 0, got
        ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
        assert ids == list(range(1, 41))
        assert fake.counters.route_counts["GET /open-api/v2/users"] == 14
        assert fake.counters.max_in_flight > 1
        assert "exported 40 users (14 pages)" in got.err and "/40 users | ETA" in got.err


async def test_cli_price_lists_prices_and_get(tmp_path: Any) -> None:
    async with FakeClopos(orders=0) as fake:
        env = env_for(fake)
        shown = await cli("price-lists", "prices", "--list-id", "2", "--product-id", "51",
                          "--product-id", "7", "--jsonl", env=env)
        assert shown.code == 0, shown
        assert [json.loads(line)["product_id"] for line in shown.out.splitlines()] == [51, 7]
        table = await cli("price-lists", "list", "--sort=-name", env=env)
        assert table.code == 0 and table.out.index("Delivery") < table.out.index("Base")
        user = await cli("users", "get", "3", env=env)
        assert user.code == 0 and json.loads(user.out)["username"] == "waiter"
        bad = await cli("price-lists", "prices", "--list-id", "x", env=env)
        assert bad.code == 2 and "--list-id" in bad.err  # the flag typed, not list_id
        assert fake.counters.route_counts["GET /open-api/v2/price-lists/prices"] == 1
        out = tmp_path / "prices.csv"
        exported = await cli("price-lists", "export-prices", "--out", str(out), "--list-id", "1",
                             "--limit", "2", env=env)
        assert exported.code == 0, exported
        header, *rows = out.read_text(encoding="utf-8").splitlines()
        assert header == "id,list_id,product_id,price"
        assert rows == [f"{p['id']},1,{p['product_id']},{p['price']}"
                        for p in fake.prices if p["list_id"] == 1]
