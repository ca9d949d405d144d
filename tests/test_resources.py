"""The resource machinery (declaration -> list/get/raw) and its proof, sale types, end to end."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
import pytest

from clopos_async import AsyncClopos, NotInVersionError, Reply, SaleType
from clopos_async.resources.base import PlainResource
from clopos_async.resources.declaration import Listing, ResourceSpec, choice, flag, ids
from clopos_async.resources.sale_types import SALE_TYPES
from clopos_async.serde import structure
from clopos_async.testing import FakeClopos
from clopos_async.versions import V1, V2, ApiVersion

from .conftest import RequestLog
from .test_cli import cli, fake_flags


def sale_type_requests(log: RequestLog) -> list[str]:
    return [str(r.rel_url) for r in log.requests if r.path.endswith("/sale-types")]


async def test_sale_types_list_on_both_versions(
    clopos: AsyncClopos, fake: FakeClopos, request_log: RequestLog
) -> None:
    sale_types = await clopos.sale_types.list().collect()
    assert [s.id for s in sale_types] == [1, 2, 3]
    assert [s.system_type for s in sale_types] == ["IN", "DELIVERY", "TAKEAWAY"]
    assert sale_types[0].service_charge_rate == Decimal(10)
    assert sale_types[2].active_in(1) is True and sale_types[2].active_in(2) is False
    assert sale_types[0].created_at is not None and sale_types[0].created_at.year == 2025
    # v1 answers the documented bare array: one request, then the listing stops.
    assert len(sale_type_requests(request_log)) == 1
    assert sale_type_requests(request_log)[0].endswith("?page=1&limit=20")


async def test_v1_bare_array_is_one_complete_page(
    clopos: AsyncClopos, fake: FakeClopos, request_log: RequestLog
) -> None:
    page = await clopos.sale_types.list_page(limit=2)
    assert page.reply is not None
    if fake.api_version == "v1":
        assert isinstance(page.reply.envelope.raw, list)  # no envelope at all
        assert len(page.items) == 3 and page.total == 3 and not page.has_next
    else:
        assert len(page.items) == 2 and page.total == 3 and page.has_next
        assert [s.id for s in await clopos.sale_types.list(limit=2).collect()] == [1, 2, 3]


async def test_sale_types_raw_response(clopos: AsyncClopos, fake: FakeClopos) -> None:
    raw = await clopos.sale_types.with_raw_response.list_page()
    assert raw.status_code == 200 and "application/json" in raw.headers["content-type"]
    items = raw.json if fake.api_version == "v1" else raw.json["data"]
    assert [item["id"] for item in items] == [s.id for s in raw.parsed.items]
    assert raw.parse() is raw.parsed and isinstance(raw.reply, Reply)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"limit": 0}, ValueError, "limit must be an int in 1..100, got 0"),
        ({"limit": 101}, ValueError, "limit must be an int in 1..100, got 101"),
        ({"limit": "20"}, TypeError, "limit must be an int in 1..100, got '20'"),
        ({"with_": ["media"]}, ValueError, "with_ must be None"),
        ({"sort": "name"}, ValueError, "sort must be None (sale types take no sort), got"),
        ({"date_from": "2026-01-01"}, ValueError, "date_from/date_to must be None"),
        ({"colour": "red"}, TypeError, "'colour' is not an argument of sale types"),
        ({"concurrency": 0}, ValueError, "concurrency must be an int in 1..64, got 0"),
    ],
)
async def test_bad_sale_type_arguments_raise_before_sending(
    clopos: AsyncClopos, fake: FakeClopos, kwargs: dict[str, Any], error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=re.escape(words)):
        clopos.sale_types.list(**kwargs)
    if "concurrency" not in kwargs:
        with pytest.raises(error):
            await clopos.sale_types.list_page(**kwargs)
    assert fake.counters.requests == 0


async def test_fake_rejects_what_the_sdk_would_not_send(fake: FakeClopos) -> None:
    async with client_session() as session:
        url = f"{fake.url}{'/v2' if fake.api_version == 'v2' else ''}/sale-types?limit=500"
        headers = {"x-token": fake.issue_token()}
        if fake.api_version == "v1":
            headers |= {"x-brand": fake.credentials["brand"], "x-venue": "1"}
        async with session.get(url, headers=headers) as response:
            body = await response.json()
    assert response.status == 400 and body["error"] == "invalid_parameter"


def client_session() -> Any:
    import aiohttp

    return aiohttp.ClientSession()


def test_every_documented_field_decodes() -> None:
    # REFERENCE §4.10 with the older v1 extras; unknown keys are ignored.
    documented = {
        "id": 2, "name": "Delivery", "system_type": "DELIVERY", "channel": "DELIVERY",
        "status": {"1": 1, "2": 0}, "service_charge_rate": 12.5, "position": 1, "media": [],
        "created_at": "2026-02-02T13:45:53.000000Z", "updated_at": "2026-02-02 13:45:53",
        "payment_method_id": 3, "payment_method": {"id": 3}, "deleted_at": None, "new": 1,
    }  # fmt: skip
    sale_type = structure(documented, SaleType)
    assert sale_type.service_charge_rate == Decimal("12.5") and sale_type.payment_method_id == 3
    assert sale_type.active_in("2") is False and sale_type.active_in(9) is None
    bare = structure({"id": "st-1", "system_type": None, "status": []}, SaleType)
    assert bare.id == "st-1" and bare.active_in(1) is None


def test_a_version_without_the_resource_refuses_before_sending() -> None:
    without = attrs.evolve(V2, paths={"orders": "orders"})
    with pytest.raises(NotInVersionError, match="sale_types is not available in API v2; it needs"):
        without.path("sale_types")
    assert V1.path("sale_types") == "/sale-types" and V2.path("sale_types", 7) == "/v2/sale-types/7"


# -- the machinery on a declared toy resource, without a server ----------------------------


class NoNetwork:
    """A `Requester` that must never be asked: argument checks happen before sending."""

    def __init__(self, version: ApiVersion) -> None:
        self.version = version

    async def request(self, method: str, path: str, *, params: Sequence[tuple[str, str]] = (),
                      json: object = None, idempotency_key: str | None = None) -> Reply:
        raise AssertionError("nothing may be sent")


PRODUCTS_LIKE = ResourceSpec(
    name="sale_types",  # any path the profiles have; the declaration is what is under test
    model=SaleType,
    listing=Listing(
        default_limit=50, max_limit=100, with_values=("category", "taxes"),
        sort_fields=("id", "name"), date_range=True,
        params={"type": choice("GOODS", "DISH"), "giftable": flag(),
                "category_id": ids(wire="category")},
    ),
)


def test_typed_parameters_are_checked_and_encoded_the_documented_way() -> None:
    resource = PlainResource(NoNetwork(V2), PRODUCTS_LIKE)
    limit, query = resource.list_query(
        type=["GOODS", "DISH"], giftable=False, category_id=3, with_="taxes", sort="-name",
        filters={"station_id": 2},
    )
    assert limit == 50
    assert query == [
        ("limit", "50"), ("with[0]", "taxes"), ("sort[0]", "name"), ("sort[1]", "-1"),
        ("filters[0][0]", "type"), ("filters[0][1][0]", "GOODS"), ("filters[0][1][1]", "DISH"),
        ("filters[1][0]", "giftable"), ("filters[1][1]", "0"),
        ("filters[2][0]", "category"), ("filters[2][1]", "3"),
        ("filters[3][0]", "station_id"), ("filters[3][1]", "2"),
    ]  # fmt: skip
    for bad, words in [
        ({"type": "SERVICE"}, "type must be one of GOODS, DISH, got 'SERVICE'"),
        ({"giftable": 1}, "giftable must be a bool, got 1"),
        ({"category_id": []}, "category_id must be an id or a non-empty list of ids"),
        ({"with_": ["unit"]}, "with_ must be one of category, taxes, got 'unit'"),
        ({"sort": "price"}, "sort must be one of id, name"),
    ]:
        with pytest.raises(ValueError) as caught:
            resource.list_query(**bad)
        assert words in str(caught.value)


async def test_cli_sale_types_list_and_export(tmp_path: Any) -> None:
    for version in ("v2", "v1"):
        shown = await cli(*fake_flags(3), "--api-version", version, "sale-types", "list")
        assert shown.code == 0, shown
        assert shown.out.splitlines()[0].split() == ["ID", "NAME", "SYSTEM_TYPE", "CHANNEL"]
        assert "(3 sale types)" in shown.out
        lines = await cli(*fake_flags(3), "--api-version", version, "sale-types", "list",
                          "--jsonl")
        assert [json.loads(line)["id"] for line in lines.out.splitlines()] == [1, 2, 3]
    out = tmp_path / "sale_types.csv"
    exported = await cli(*fake_flags(3), "sale-types", "export", "--out", str(out))
    assert exported.code == 0, exported
    assert out.read_text().splitlines() == [
        "id,name,system_type,channel", "1,In the venue,IN,POS", "2,Delivery,DELIVERY,DELIVERY",
        "3,Takeaway,TAKEAWAY,POS",
    ]
    bad = await cli(*fake_flags(3), "sale-types", "list", "--limit", "500")
    assert bad.code == 2 and "limit must be an int in 1..100, got 500" in bad.err


def test_the_declaration_is_short() -> None:
    # The acceptance bar of the machinery: a plain resource is a declaration of ~40 lines.
    import inspect

    from clopos_async.resources import sale_types

    assert len(inspect.getsource(sale_types).splitlines()) <= 40
    assert SALE_TYPES.listing is not None and SALE_TYPES.listing.max_limit == 100


async def test_a_declared_get_checks_then_fetches(clopos: AsyncClopos, fake: FakeClopos) -> None:
    from clopos_async import Order

    orders = PlainResource(clopos, ResourceSpec(name="orders", model=Order, gettable=True,
                                                get_with_values=("receipt",)))
    with pytest.raises(ValueError, match=r"with_ must be one of receipt, got 'customer'"):
        await orders.get(2, with_=["customer"])
    with pytest.raises(TypeError, match="id must be an int or str"):
        await orders.get(2.0)  # type: ignore[arg-type]
    assert fake.counters.requests == 0
    order = await orders.get(2)
    raw = await orders.with_raw_response.get(3, with_="receipt")
    assert order.id == 2 and raw.parsed.id == 3 and raw.data["id"] == 3
    with pytest.raises(TypeError, match="sale types have no get operation"):
        await clopos.sale_types.get(1)
