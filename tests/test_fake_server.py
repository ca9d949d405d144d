"""FakeClopos over loopback with a plain aiohttp client: auth, headers, list/get/create/ignore."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.typedefs import Handler
from yarl import URL

from clopos_async.testing import DEFAULT_NOW, FakeClopos, make_orders

Json = Any
STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


class Api:
    """A plain aiohttp caller for one version, with a freshly issued token in its headers."""

    def __init__(self, http: aiohttp.ClientSession, fake: FakeClopos, version: str = "v2",
                 **headers: str) -> None:  # fmt: skip
        self.http, self.fake = http, fake
        self.base = f"{fake.url}/v2" if version == "v2" else fake.url
        self.headers = {"x-token": fake.issue_token(api_version="v2" if version == "v2" else "v1")}
        if version == "v1":
            self.headers.update({"x-brand": fake.config.brand, "x-venue": "1"})
        self.headers.update(headers)

    async def call(
        self, method: str, path: str, body: Any = None, **params: str
    ) -> tuple[int, Json]:
        return await call(self.http, method, self.base + path, self.headers, params, body)

    async def get(self, path: str, **params: str) -> tuple[int, Json]:
        return await self.call("GET", path, **params)

    async def ids(self, **params: str) -> list[Any]:
        status, body = await self.get("/orders", limit="100", **params)
        assert status == 200, body
        return [o["id"] for o in body["data"]]


async def call(http: aiohttp.ClientSession, method: str, url: str | URL,
               headers: dict[str, str] | None = None, params: Any = None, body: Any = None,
               data: str | None = None) -> tuple[int, Json]:  # fmt: skip
    async with http.request(
        method, url, headers=headers, params=params, json=body, data=data
    ) as resp:
        return resp.status, await resp.json()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def fake() -> AsyncIterator[FakeClopos]:
    async with FakeClopos(orders=60, api_version="v2", seed=3) as server:
        yield server


@pytest.fixture
def api(fake: FakeClopos, http: aiohttp.ClientSession) -> Api:
    return Api(http, fake)


def jwt_claims(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def epoch(stamp: str) -> float:
    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()


V2_BODY: dict[str, Any] = {
    "sale_type_id": 2, "venue_id": 1, "delivery_fee": 2.5, "comment": "Leave at the door",
    "customer": {"id": 9, "phone": "+994705401040", "customer_discount_type": 1, "name": "Rahid"},
    "discount": {"discount_type": 1, "discount_value": 10},
    "service_charge": {"enabled": True, "value": 5},
    "products": [{
        "product_id": 101, "product_name": "Pizza", "count": 2, "price": 8.5, "status": "new",
        "product_hash": "abc123",
        "modifiers": [{"modifier_id": 501, "modifier_name": "Extra Cheese", "count": 1}],
    }],
}  # fmt: skip

V1_BODY: dict[str, Any] = {
    "customer_id": 9,
    "payload": {
        "service": {"sale_type_id": 2, "sale_type_name": "Delivery", "venue_id": 1,
                    "venue_name": "Main"},
        "customer": {"id": 9, "name": "Rahid", "customer_discount_type": 1,
                     "phone": "+994705401040", "address": None},
        "products": [{"product_id": 1, "count": 1,
                      "product_modificators": [{"modificator_id": 187, "count": 1}],
                      "meta": {"price": 0, "order_product": {"product_hash": "MTExODc="}}}],
        "meta": {"comment": "", "discount": {"discount_type": 1, "discount_value": 10},
                 "orderTotal": "16.2000"},
    },
}  # fmt: skip


def copy(body: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(body))
    return result


# ---------------------------------------------------------------------------- auth


async def test_v2_auth_returns_a_jwt_that_works(
    fake: FakeClopos, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, "POST", f"{fake.url}/v2/auth", body=fake.credentials)
    assert status == 200 and body["success"] is True and body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600 and body["message"] == "Authentication successful"
    claims = jwt_claims(body["token"])
    assert len(body["token"].split(".")) == 3 and claims["exp"] == body["expires_at"]
    assert claims["brand"] == "fakebrand" and claims["integrator_id"] == "test_fake_integrator"
    assert claims["venue_id"] == 1 and claims["exp"] - claims["iat"] == 3600
    orders = await call(http, "GET", f"{fake.url}/v2/orders", {"x-token": body["token"]})
    assert orders[0] == 200
    assert fake.counters.auth_calls == 1 and fake.counters.requests == 2


async def test_v1_auth_returns_an_opaque_token(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=5, api_version="v1", token_ttl=1.5) as fake:
        assert set(fake.credentials) == {"client_id", "client_secret", "brand", "venue_id"}
        status, body = await call(http, "POST", f"{fake.url}/auth", body=fake.credentials)
        assert status == 200 and body["success"] is True and body["message"]
        assert body["token"].startswith("oauth_") and "expires_at" not in body
        assert body["expires_in"] == 1  # 1.5 s, rounded down: never promise more than is kept
        headers = {"x-token": body["token"], "x-brand": "fakebrand", "x-venue": "1"}
        assert (await call(http, "GET", f"{fake.url}/orders", headers))[0] == 200


async def test_bad_secret_is_401_on_both_versions(
    fake: FakeClopos, http: aiohttp.ClientSession
) -> None:
    creds = {**fake.credentials, "client_secret": "wrong"}
    status, body = await call(http, "POST", f"{fake.url}/v2/auth", body=creds)
    assert status == 401 and body["success"] is False
    v1_creds = {**creds, "venue_id": "1"}
    del v1_creds["integrator_id"]
    status, body = await call(http, "POST", f"{fake.url}/auth", body=v1_creds)
    assert (status, body["error"]) == (401, "authentication_failed")
    assert body["message"] == "Invalid credentials" and fake.counters.auth_calls == 2


@pytest.mark.parametrize("field", ["client_id", "client_secret", "brand", "integrator_id"])
async def test_missing_auth_field_is_400(
    fake: FakeClopos, http: aiohttp.ClientSession, field: str
) -> None:
    creds = {k: v for k, v in fake.credentials.items() if k != field}
    status, body = await call(http, "POST", f"{fake.url}/v2/auth", body=creds)
    assert (status, body["error"]) == (400, "validation_failed")
    assert body["message"] == f"{field} is required" and body["success"] is False


async def test_malformed_auth_bodies_are_400(fake: FakeClopos, http: aiohttp.ClientSession) -> None:
    url = f"{fake.url}/v2/auth"
    assert (await call(http, "POST", url, data="{not json"))[0] == 400
    assert (await call(http, "POST", url, body=["a", "list"]))[0] == 400
    creds = {**fake.credentials, "integrator_id": "someone_else"}
    status, body = await call(http, "POST", url, body=creds)
    assert (status, body["error"]) == (400, "invalid_integrator")


async def test_test_integrator_on_production_brand_is_200_success_false(
    http: aiohttp.ClientSession,
) -> None:
    async with FakeClopos(orders=0, production_brand=True) as fake:
        status, body = await call(http, "POST", f"{fake.url}/v2/auth", body=fake.credentials)
        assert status == 200 and body["success"] is False
        assert body["error"] and body["message"] and "token" not in body
    async with FakeClopos(orders=0, production_brand=True, integrator_id="live_1") as fake:
        status, body = await call(http, "POST", f"{fake.url}/v2/auth", body=fake.credentials)
        assert status == 200 and body["success"] is True


# ---------------------------------------------------------------------------- headers


async def test_v2_header_rules(fake: FakeClopos, http: aiohttp.ClientSession) -> None:
    url = f"{fake.url}/v2/orders"
    status, body = await call(http, "GET", url)
    assert (status, body["error"]) == (401, "unauthorized")
    assert body["message"] == "Missing authentication headers"
    bearer = {"Authorization": f"Bearer {fake.issue_token()}"}
    assert (await call(http, "GET", url, bearer))[0] == 401  # the token only counts in x-token
    status, body = await call(http, "GET", url, {"x-token": "nope"})
    assert (status, body["message"]) == (401, "Missing or invalid authentication headers")
    v1_token = fake.issue_token(api_version="v1")  # tokens are valid for their version only
    assert (await call(http, "GET", url, {"x-token": v1_token}))[0] == 401
    assert fake.counters.status_counts[401] == 4


async def test_v1_header_rules(fake: FakeClopos, http: aiohttp.ClientSession) -> None:
    headers = Api(http, fake, "v1").headers
    for missing in ("x-token", "x-brand", "x-venue"):
        partial = {k: v for k, v in headers.items() if k != missing}
        status, body = await call(http, "GET", f"{fake.url}/orders", partial)
        assert (status, body["message"]) == (401, "Missing authentication headers")
    status, body = await call(http, "GET", f"{fake.url}/orders", {**headers, "x-brand": "other"})
    assert (status, body["message"]) == (401, "Missing or invalid authentication headers")
    assert (await call(http, "GET", f"{fake.url}/orders", headers))[0] == 200


async def test_expired_tokens_get_401_and_reauth_works(
    fake: FakeClopos, http: aiohttp.ClientSession, api: Api
) -> None:
    assert (await api.get("/orders"))[0] == 200
    fake.expire_tokens()
    status, body = await api.get("/orders")
    assert (status, body["error"]) == (401, "unauthorized")
    api.headers["x-token"] = fake.issue_token(ttl=0.0)  # born expired: no sleeping needed
    assert (await api.get("/orders"))[0] == 401
    _, auth = await call(http, "POST", f"{fake.url}/v2/auth", body=fake.credentials)
    api.headers["x-token"] = auth["token"]
    assert (await api.get("/orders"))[0] == 200


async def test_x_venue_scopes_v2_orders(fake: FakeClopos, http: aiohttp.ClientSession) -> None:
    status, body = await Api(http, fake, **{"x-venue": "2"}).get("/orders", limit="200")
    venue_two = [o for o in fake.orders.values() if o["venue_id"] == 2]
    assert status == 200 and body["total"] == len(venue_two) < len(fake.orders)
    assert {o["venue_id"] for o in body["data"]} == {2}


# ---------------------------------------------------------------------------- list


async def test_v2_list_envelope_and_paging(api: Api) -> None:
    status, body = await api.get("/orders")
    assert status == 200 and body["success"] is True
    assert body["total"] == 60 and len(body["data"]) == 50  # default limit 50
    assert body["sorts"] == ["id", "created_at", "updated_at"] and STAMP.fullmatch(
        body["timestamp"]
    )
    assert isinstance(body["unix"], int) and isinstance(body["time"], int)
    assert "receipt" not in body["data"][0] and "payload" in body["data"][0]
    seen: list[int] = []
    for page in ("1", "2", "3"):
        _, body = await api.get("/orders", page=page, limit="25")
        seen += [o["id"] for o in body["data"]]
        assert body["total"] == 60
    assert sorted(seen) == list(range(1, 61))
    _, body = await api.get("/orders", page="9")
    assert body["data"] == [] and body["total"] == 60


async def test_v1_list_has_a_pagination_block(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=60, api_version="v1", seed=3) as fake:
        status, body = await Api(http, fake, "v1", **{"x-venue": "2"}).get("/orders")
        assert status == 200 and len(body["data"]) == 20  # v1 default limit
        # x-venue is required on v1 but does not filter: every order is listed.
        assert body["pagination"] == {"page": 1, "per_page": 20, "total": 60, "total_pages": 3}
        assert {o["venue_id"] for o in body["data"]} == {1, 2}
        assert all("receive_user_id" in o for o in body["data"])
        assert any(STAMP.fullmatch(o["created_at"]) for o in body["data"])  # v1 flavour stamps
        _, body = await Api(http, fake, "v1").get("/orders", page="4")
        assert body["data"] == [] and body["pagination"]["total"] == 60


@pytest.mark.parametrize(
    ("version", "params", "message"),
    [
        ("v2", {"limit": "201"}, "The 'limit' parameter must be between 1 and 200"),
        ("v1", {"limit": "101"}, "The 'limit' parameter must be between 1 and 100"),
        ("v1", {"limit": "0"}, "The 'limit' parameter must be between 1 and 100"),
        ("v2", {"page": "0"}, "The 'page' parameter must be an integer greater than or equal to 1"),
        ("v2", {"status": "pending"}, "status must be one of PENDING, RECEIVED, IGNORE, DELIVERED"),
        ("v1", {"status": "PENDING"},
         "status must be one of pending, confirmed, completed, cancelled"),
        ("v2", {"sort[0]": "id", "sort[1]": "2"}, "sort[1] must be 1 or -1"),
        ("v2", {"sort[0]": "total"}, "sort[0] must be one of id, created_at, updated_at"),
        ("v2", {"filters[0][0]": "price", "filters[0][1]": "1"}, "Invalid filter parameters"),
        ("v2", {"date[0]": "19-01-2026"}, "date[0] must be a date in YYYY-MM-DD format"),
        ("v2", {"with[0]": "products"}, "with must be one of customer, receipt"),
    ],
)  # fmt: skip
async def test_list_parameter_validation(
    fake: FakeClopos, http: aiohttp.ClientSession, version: str, params: dict[str, str],
    message: str,
) -> None:  # fmt: skip
    status, body = await Api(http, fake, version).get("/orders", **params)
    assert status == 400
    assert body == {"success": False, "error": "invalid_parameter", "message": message}


@pytest.mark.parametrize(
    "query",
    ["filters[0][0][0]=id&filters[0][1]=1", "sort[a]=id", "status[0]=PENDING", "limit[0]=5",
     "with[0][0]=receipt", "date=2026-01-01", "filters=id", "page=abc"],
)  # fmt: skip
async def test_odd_bracket_shapes_are_400_not_500(api: Api, query: str) -> None:
    url = URL(f"{api.base}/orders?{query}", encoded=True)
    status, body = await call(api.http, "GET", url, api.headers)
    assert (status, body["error"]) == (400, "invalid_parameter")


async def test_status_filters_on_both_versions(
    fake: FakeClopos, http: aiohttp.ClientSession
) -> None:
    pending = {o["id"] for o in fake.orders.values() if o["status"] == "PENDING"}
    assert set(await Api(http, fake).ids(status="PENDING")) == pending and pending
    v1_ids = await Api(http, fake, "v1").ids(status="confirmed")  # v1 "confirmed" = RECEIVED
    assert v1_ids and {fake.orders[i]["status"] for i in v1_ids} == {"RECEIVED"}


async def test_scalar_and_list_filters(fake: FakeClopos, api: Api) -> None:
    ids = await api.ids(**{"filters[0][0]": "sale_type_id", "filters[0][1]": "2"})
    expected = {o["id"] for o in fake.orders.values() if o["payload"]["sale_type_id"] == 2}
    assert set(ids) == expected and expected
    ids = await api.ids(**{
        "filters[0][0]": "status", "filters[0][1][0]": "PENDING", "filters[0][1][1]": "IGNORE",
        "filters[1][0]": "venue_id", "filters[1][1]": "1",
    })  # fmt: skip
    expected = {o["id"] for o in fake.orders.values()
                if o["status"] in ("PENDING", "IGNORE") and o["venue_id"] == 1}  # fmt: skip
    assert set(ids) == expected and expected


async def test_date_range_is_inclusive_on_created_at(fake: FakeClopos, api: Api) -> None:
    day = fake.orders[30]["created_at"][:10]
    expected = {o["id"] for o in fake.orders.values() if o["created_at"][:10] == day}
    assert 30 in expected
    assert set(await api.ids(**{"date[0]": day, "date[1]": day})) == expected


async def test_sorting(api: Api) -> None:
    _, body = await api.get("/orders", limit="200")
    stamps = [epoch(o["created_at"]) for o in body["data"]]
    assert stamps == sorted(stamps, reverse=True)  # default: created_at desc
    assert await api.ids(**{"sort[0]": "id", "sort[1]": "1"}) == list(range(1, 61))
    assert await api.ids(**{"sort[0]": "id", "sort[1]": "-1"}) == list(range(60, 0, -1))


async def test_created_at_sort_mixes_formats_and_breaks_ties_by_id(
    http: aiohttp.ClientSession,
) -> None:
    orders = make_orders(4, seed=1)
    stamps = ["2026-01-10 10:00:00", "2026-01-10T10:00:00.000000Z", "2026-01-09T23:00:00Z",
              "2026-01-10 09:59:59"]  # fmt: skip
    for order, stamp in zip(orders, stamps, strict=True):
        order["created_at"] = stamp
    async with FakeClopos(orders=orders) as fake:
        ids = await Api(http, fake).ids(**{"sort[0]": "created_at", "sort[1]": "1"})
        assert ids == [3, 4, 1, 2]


async def test_receipt_embedding_in_lists(fake: FakeClopos, api: Api) -> None:
    _, body = await api.get("/orders", limit="200", **{"with[0]": "customer", "with[1]": "receipt"})
    for order in body["data"]:
        assert order["receipt"] == fake.orders[order["id"]]["receipt"]
        assert order["customer"] == order["payload"]["customer"]
    receipts = [o["receipt"] for o in body["data"]]
    assert None in receipts and any(r and r["service_notification_id"] for r in receipts)


# ---------------------------------------------------------------------------- get


async def test_get_with_receipt_selector(fake: FakeClopos, api: Api) -> None:
    accepted = next(o for o in fake.orders.values() if o["receipt"])
    pending = next(
        o for o in fake.orders.values() if o["status"] == "PENDING" and o["receipt"] is None
    )
    empty = next(o for o in fake.orders.values() if o["receipt"] == [])
    # The docs' literal-bracket form, exactly as curl --globoff sends it.
    query = "?with[0]=receipt%3Aid%2Cservice_notification_id%2Cstatus"
    url = URL(f"{api.base}/orders/{accepted['id']}{query}", encoded=True)
    status, body = await call(api.http, "GET", url, api.headers)
    assert status == 200 and body["data"]["receipt"] == accepted["receipt"]
    assert body["data"]["payload"] == accepted["payload"]
    _, body = await api.get(f"/orders/{pending['id']}", **{"with[0]": "receipt:id"})
    assert body["data"]["receipt"] is None
    _, body = await api.get(f"/orders/{empty['id']}", **{"with[0]": "receipt:id"})
    assert body["data"]["receipt"] == []  # an empty relation, as Laravel writes it
    _, body = await api.get(f"/orders/{accepted['id']}", **{"with[0]": "receipt:id"})
    assert body["data"]["receipt"] == {"id": accepted["receipt"]["id"]}


async def test_get_404_shapes(fake: FakeClopos, http: aiohttp.ClientSession, api: Api) -> None:
    status, body = await api.get("/orders/999")
    assert status == 404
    assert body == {"success": False, "error": "resource_not_found", "message": "Order not found"}
    status, body = await Api(http, fake, "v1").get("/orders/ORD-1")
    assert status == 404 and body["success"] is False
    assert body["error"] == [{
        "message": "No query results for model [App\\Models\\Client\\ServiceNotification] ORD-1",
        "type": "server_side", "exception": "NotFoundHttpException", "http_code": 404,
    }]  # fmt: skip


async def test_string_ids_are_found_by_path(http: aiohttp.ClientSession) -> None:
    orders = make_orders(2)
    orders[0]["id"] = "ORD-12345"
    async with FakeClopos(orders=orders) as fake:
        api = Api(http, fake)
        status, body = await api.get("/orders/ORD-12345")
        assert status == 200 and body["data"]["id"] == "ORD-12345"
        assert (await api.get("/orders/2"))[1]["data"]["id"] == 2


# ---------------------------------------------------------------------------- create


async def test_v2_create_stores_the_documented_shape(fake: FakeClopos, api: Api) -> None:
    status, body = await api.call("POST", "/orders", V2_BODY)
    assert status == 201 and body["success"] is True and body["message"] == "Order created"
    data = body["data"]
    assert data["id"] == 61 and data["status"] == "PENDING" and "payload" not in data
    assert data["integration_status"] == "CREATED" and data["type"] == "CALL_CENTER_ORDER"
    stored = fake.orders[61]["payload"]
    assert stored["service"] == {"sale_type_id": 2, "venue_id": 1}
    assert (stored["customer_id"], stored["sale_type_id"], stored["delivery_fee"]) == (9, 2, 2.5)
    assert stored["meta"] == {
        "comment": "Leave at the door", "discount": {"discount_type": 1, "discount_value": 10},
        "apply_service_charge": True, "customer_discount_type": 1, "service_charge_value": 5,
    }  # fmt: skip
    line = stored["products"][0]
    assert line["meta"]["price"] == 8.5 and line["portion_size"] == 1
    op = line["meta"]["order_product"]
    assert op["product"] == {"id": 101, "name": "Pizza", "price": 8.5}
    assert (op["status"], op["product_hash"], op["count"]) == ("new", "abc123", 2)
    assert line["product_modificators"][0]["modificator_id"] == 501
    assert fake.counters.orders_created == 1
    assert (await api.get("/orders/61"))[1]["data"]["payload"] == stored


async def test_v2_create_response_shape_b(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=3, create_response_shape="B") as fake:
        status, body = await Api(http, fake, **{"x-venue": "2"}).call("POST", "/orders", V2_BODY)
        assert status == 201 and body["data"]["status"] == "PENDING" and "id" not in body["data"]
        assert set(body["data"]["payload"]) == {"id", "venue_id", "created_at", "updated_at"}
        assert body["data"]["payload"]["id"] == 4
        assert body["data"]["payload"]["venue_id"] == 2  # x-venue wins over the body's venue_id


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b.pop("sale_type_id"), "sale_type_id is required"),
        (lambda b: b.update(products=[]), "products must contain at least one item"),
        (lambda b: b["products"][0].pop("product_name"), "products.0.product_name is required"),
        (lambda b: b["products"][0].update(count=0), "products.0.count must be greater than 0"),
        (lambda b: b["products"][0]["modifiers"][0].pop("modifier_name"),
         "products.0.modifiers.0.modifier_name is required"),
        (lambda b: b.update(customer="Rahid"), "customer must be an object"),
    ],
)  # fmt: skip
async def test_v2_create_validation(fake: FakeClopos, api: Api, mutate: Any, message: str) -> None:
    body = copy(V2_BODY)
    mutate(body)
    status, answer = await api.call("POST", "/orders", body)
    assert (status, answer["error"], answer["message"]) == (400, "validation_failed", message)
    assert fake.counters.orders_created == 0 and len(fake.orders) == 60


async def test_v1_create_and_validation(fake: FakeClopos, http: aiohttp.ClientSession) -> None:
    api = Api(http, fake, "v1")
    status, body = await api.call("POST", "/orders", V1_BODY)
    assert status == 201 and body["success"] is True
    data = body["data"]
    assert data["id"] == 61 and data["status"] == "PENDING" and data["receive_user_id"] is None
    assert data["payload"]["service"]["sale_type_name"] == "Delivery"
    assert data["payload"]["customer"] == {"id": 9, "customer_discount_type": 1, "name": "Rahid"}
    assert data["payload"]["meta"]["comment"] is None  # "" is stored as null
    assert data["payload"]["meta"]["orderTotal"] == "16.2000"
    assert STAMP.fullmatch(data["created_at"])
    bad = copy(V1_BODY)
    del bad["payload"]["service"]["venue_name"]
    status, body = await api.call("POST", "/orders", bad)
    assert (status, body["message"]) == (400, "payload.service.venue_name is required")


async def test_idempotency_key_replay_and_conflict(
    fake: FakeClopos, http: aiohttp.ClientSession
) -> None:
    keyed = Api(http, fake, **{"Idempotency-Key": "k-1"})
    first = await keyed.call("POST", "/orders", V2_BODY)
    await keyed.call("PUT", "/orders/61", {"status": "IGNORE"})
    again = await keyed.call("POST", "/orders", dict(reversed(V2_BODY.items())))
    assert first == again and first[0] == 201  # same response, even after the order changed
    assert fake.counters.orders_created == 1 and fake.counters.duplicates_prevented == 1
    assert len(fake.orders) == 61
    status, body = await keyed.call("POST", "/orders", {**V2_BODY, "venue_id": 2})
    assert (status, body["error"]) == (409, "idempotency_key_reused")
    other = Api(http, fake, **{"Idempotency-Key": "k-2"})
    assert (await other.call("POST", "/orders", V2_BODY))[1]["data"]["id"] == 62


async def test_malformed_create_body_is_400(fake: FakeClopos, api: Api) -> None:
    headers = {**api.headers, "Content-Type": "application/json"}
    status, body = await call(api.http, "POST", f"{api.base}/orders", headers, data="{")
    assert status == 400 and body["success"] is False
    assert fake.counters.status_counts[400] == 1 and fake.counters.orders_created == 0


# ---------------------------------------------------------------------------- ignore


async def test_ignore_on_both_versions(
    fake: FakeClopos, http: aiohttp.ClientSession, api: Api
) -> None:
    status, body = await api.call("PUT", "/orders/5", {"status": "IGNORE"})
    assert status == 200 and body["data"]["id"] == 5 and body["data"]["status"] == "IGNORE"
    assert "payload" not in body["data"] and fake.orders[5]["status"] == "IGNORE"
    v1_api = Api(http, fake, "v1", **{"x-venue": str(fake.orders[6]["venue_id"])})
    status, body = await v1_api.call("PUT", "/orders/6", {"status": "IGNORE"})
    assert status == 200 and body["data"] == {"id": 6, "status": "IGNORE"}
    assert isinstance(body["unix"], int) and STAMP.fullmatch(body["timestamp"])


@pytest.mark.parametrize(
    "payload", [{"status": "READY"}, {"status": "ignore"}, {"status": "IGNORE", "x": 1}, {}]
)
async def test_ignore_rejects_anything_else(fake: FakeClopos, api: Api, payload: Json) -> None:
    before = fake.orders[5]["status"]
    status, body = await api.call("PUT", "/orders/5", payload)
    assert status == 400 and fake.orders[5]["status"] == before
    assert body == {
        "success": False,
        "error": "validation_failed",
        "message": "Status is not allowed",
    }


async def test_ignore_unknown_order_and_shape_override(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=3, ignore_response_shape="minimal") as fake:
        api = Api(http, fake)
        assert (await api.call("PUT", "/orders/77", {"status": "IGNORE"}))[0] == 404
        _, body = await api.call("PUT", "/orders/1", {"status": "IGNORE"})
        assert body["data"] == {"id": 1, "status": "IGNORE"} and "unix" in body


# ---------------------------------------------------------------------------- helpers, hooks


async def test_set_status_and_add_order_helpers(fake: FakeClopos, api: Api) -> None:
    new = fake.add_order(status="PENDING", venue_id=1)
    assert new["id"] == 61 and new["receipt"] is None and fake.orders_list()[-1] is new
    fake.set_status(61, "RECEIVED")
    receipt = fake.orders[61]["receipt"]
    assert receipt["service_notification_id"] == 61 and receipt["status"] == 1
    _, body = await api.get(
        "/orders/61", **{"with[0]": "receipt:id,service_notification_id,status"}
    )
    assert body["data"]["status"] == "RECEIVED" and body["data"]["receipt"] == receipt
    fake.set_status("61", "DELIVERED")
    assert fake.orders[61]["receipt"] == {**receipt, "status": 2}
    with pytest.raises(KeyError):
        fake.set_status(12345, "RECEIVED")


async def test_big_store_cache_follows_mutations(http: aiohttp.ClientSession) -> None:
    async with FakeClopos(orders=6000, seed=2) as fake:
        api = Api(http, fake)
        _, before = await api.get("/orders", status="PENDING", limit="1")
        target = next(o["id"] for o in fake.orders.values() if o["status"] == "DELIVERED")
        fake.set_status(target, "PENDING")
        _, after = await api.get("/orders", status="PENDING", limit="1")
        assert after["total"] == before["total"] + 1


async def test_user_middleware_slot_and_counters(http: aiohttp.ClientSession) -> None:
    @web.middleware
    async def outage(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.endswith("/orders"):
            return web.json_response({"success": False, "message": "down"}, status=503)
        return await handler(request)

    async with FakeClopos(orders=3, middlewares=[outage], latency=0.01) as fake:
        started = time.perf_counter()
        status, _ = await call(http, "GET", f"{fake.url}/v2/orders")  # no token: fault runs first
        assert status == 503 and time.perf_counter() - started >= 0.009  # latency applied
        assert (await call(http, "GET", f"{fake.url}/v2/nowhere"))[0] == 404
        assert fake.counters.requests == 2 and fake.counters.status_counts == {503: 1, 404: 1}
        assert fake.counters.route_counts["GET /open-api/v2/orders"] == 1
        fake.counters.reset()
        assert fake.counters.requests == 0 and not fake.counters.status_counts


async def test_lifecycle() -> None:
    fake = FakeClopos(orders=1)
    with pytest.raises(RuntimeError):
        _ = fake.url
    await fake.start()
    try:
        assert fake.url == f"http://127.0.0.1:{fake.port}/open-api"
        with pytest.raises(RuntimeError):
            await fake.start()
    finally:
        await fake.close()
    await fake.close()  # idempotent
    with pytest.raises(RuntimeError):
        _ = fake.url
    await fake.start()
    task = asyncio.create_task(fake.serve_forever())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(RuntimeError):  # serve_forever closed the server on the way out
        _ = fake.url


# ---------------------------------------------------------------------------- seeded data


def test_seeded_data_is_deterministic_and_awkward() -> None:
    orders = make_orders(400, seed=5)
    assert orders == make_orders(400, seed=5) and orders != make_orders(400, seed=6)
    assert [o["id"] for o in orders] == list(range(1, 401))
    assert {o["status"] for o in orders} == {"PENDING", "RECEIVED", "DELIVERED", "IGNORE"}
    assert {o["venue_id"] for o in orders} == {1, 2}
    assert any(" " in o["created_at"] for o in orders) and any(
        "T" in o["created_at"] for o in orders
    )
    metas = [o["payload"]["meta"] for o in orders]
    assert any(isinstance(meta.get("orderTotal"), str) for meta in metas if meta != [])
    assert any(o["customer_ref_id"] for o in orders) and any(o["integration_uuid"] for o in orders)
    start, end = DEFAULT_NOW.timestamp() - 60 * 86400, DEFAULT_NOW.timestamp()
    assert all(start <= epoch(o["created_at"]) < end for o in orders)
    # Laravel's [] for an empty relation, where the docs show an object.
    assert [] in metas and any(o["payload"]["customer"] == [] for o in orders)
    assert any(meta != [] and meta["discount"] == [] for meta in metas)
    assert any(o["receipt"] == [] for o in orders)
    assert any(
        o["payload"]["products"][0]["meta"]["order_product"]["product"] == [] for o in orders
    )
    for order in orders:
        receipt = order["receipt"]
        if receipt is not None and receipt != []:
            assert order["status"] in ("RECEIVED", "DELIVERED")
            assert receipt["service_notification_id"] == order["id"]
            assert receipt["status"] == (1 if order["status"] == "RECEIVED" else 2)
    v1_orders = make_orders(50, seed=5, flavour="v1")
    assert all("receive_user_id" in o for o in v1_orders)
    assert all(o["payload"]["meta"]["orderTotal"] for o in v1_orders if o["payload"]["meta"])


async def test_far_date_bounds_are_accepted() -> None:
    # Open-ended ranges reach 9999-12-31; the day after it must not overflow.
    async with FakeClopos(orders=5) as fake, aiohttp.ClientSession() as session:
        token = fake.issue_token()
        async with session.get(
            f"{fake.url}/v2/orders",
            params={"date[0]": "1970-01-01", "date[1]": "9999-12-31"},
            headers={"x-token": token},
        ) as response:
            body = await response.json()
    assert response.status == 200 and body["total"] == 5


async def test_repr_says_what_the_fake_serves_and_shows_no_secret() -> None:
    fake = FakeClopos(orders=7, api_version="v1", client_secret="s3cret-value")
    assert repr(fake) == "<FakeClopos v1 not running orders=7 faults=off quota=off>"
    async with fake:
        shown = repr(fake)
    assert shown.startswith("<FakeClopos v1 http://127.0.0.1:")
    assert "s3cret-value" not in shown and "orders=7" in shown
