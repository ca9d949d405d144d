"""clopos.customers over loopback against FakeClopos, both versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from clopos_async import (
    AsyncClopos,
    BadRequestError,
    ConflictError,
    Customer,
    Gender,
    NewCustomer,
    OutcomeUnknownError,
    RetryPolicy,
)
from clopos_async.serde import structure
from clopos_async.testing import FakeClopos, FaultPlan, Quota

from .conftest import client_for, refused_before_sending

ROUTE = "POST /open-api{}/customers"


def test_a_v1_customer_with_its_relations_decodes() -> None:
    data = {"id": 5, "name": "John", "phones": ["+99450"], "gender": 1, "status": 1,
            "balance": {"id": 3, "type": "CUSTOMER", "amount": 12.5},
            "cashback_balance": [], "group": {"id": 2, "name": "VIP", "discount_type": 1}}
    customer = structure(data, Customer)
    assert customer.gender is Gender.MALE and customer.status is True
    assert customer.balance is not None and customer.balance.amount == 12.5
    assert customer.cashback_balance is None  # [] where an object belongs = absent
    assert customer.group is not None and customer.group.discount_type == 1


async def test_customers_match_the_orders_customer_ids(fake: FakeClopos,
                                                       clopos: AsyncClopos) -> None:
    customers = await clopos.customers.list(limit=100).collect()
    named = {o["payload"].get("customer_id") or (o["payload"].get("customer") or {}).get("id")
             for o in fake.orders_list()}
    assert {c.id for c in customers} == named - {None}


async def test_filters_and_relations(fake: FakeClopos, clopos: AsyncClopos) -> None:
    vip = await clopos.customers.list(group_id=2, with_=["group"]).collect()
    assert vip and all(c.group_id == 2 and c.group is not None and c.group.id == 2
                       and c.group.name == "VIP" for c in vip)
    some = vip[0]
    assert some.phone and some.name
    by_phone = await clopos.customers.list(phone=some.phone).collect()
    assert [c.id for c in by_phone] == [some.id]
    by_name = await clopos.customers.list(name=some.name.split()[0].lower()).collect()
    assert some.id in {c.id for c in by_name}
    got = await clopos.customers.get(some.id)
    assert got.cid == some.cid


async def test_create_then_a_taken_phone_is_a_conflict_never_retried(
        fake: FakeClopos, clopos: AsyncClopos) -> None:
    new = NewCustomer(name="Rahid", phone="+994501234567", gender=Gender.MALE,
                      date_of_birth=date(1990, 5, 17), group_id=2)
    created = await clopos.customers.create(new)
    assert (created.name, created.cid, created.date_of_birth) == ("Rahid", new.cid, "1990-05-17")
    route = ROUTE.format("/v2" if fake.api_version == "v2" else "")
    assert fake.counters.route_counts[route] == 1
    with pytest.raises(ConflictError) as caught:
        await clopos.customers.create(NewCustomer(name="Other", phone="+994501234567"))
    assert caught.value.error_code == "duplicate_phone"
    assert caught.value.message == "Customer with this phone number already exists"
    assert fake.counters.route_counts[route] == 2  # sent once, not retried
    assert fake.counters.customers_created == 1


@pytest.mark.parametrize("build", [
    lambda: NewCustomer(name=""),
    lambda: NewCustomer(name="A", gender=3),
    lambda: NewCustomer(name="A", gender=True),
    lambda: NewCustomer(name="A", date_of_birth="1990-01-01"),
    lambda: NewCustomer(name="A", date_of_birth=datetime(1990, 1, 1)),
    lambda: NewCustomer(name="A", group_id=0),
    lambda: NewCustomer(name="A", phone=" "),
])
def test_new_customers_are_checked_when_built(build: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        build()


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda c: c.customers.list(limit=101), ValueError, "limit must be an int in 1..100, got 101"),
    (lambda c: c.customers.list(search="John"), TypeError,
     "'search' is not an argument of customers listings; they take limit, with_, sort"),
    (lambda c: c.customers.list(with_=["orders"]), ValueError,
     "with_ must be one of group, balance, cashback_balance, got 'orders'"),
    (lambda c: c.customers.list(sort="phone"), ValueError, "sort must be one of id, cid,"),
    (lambda c: c.customers.list(name=""), ValueError, "name must be a non-empty string"),
    (lambda c: c.customers.list(group_id="vip"), TypeError, "group_id must be an int >= 1"),
    (lambda c: c.customers.create({"name": "raw"}), TypeError,
     "customer must be a NewCustomer, got {'name': 'raw'}"),
])
async def test_bad_arguments_raise_before_any_request(
    fake: FakeClopos, clopos: AsyncClopos, call: Any, error: type[Exception], words: str
) -> None:
    await refused_before_sending(fake, lambda: call(clopos), error, words)


async def test_the_documented_400_with_message_and_error_swapped(fake: FakeClopos,
                                                                 clopos: AsyncClopos) -> None:
    prefix = "/v2" if fake.api_version == "v2" else ""
    with pytest.raises(BadRequestError) as caught:
        await clopos.request("POST", f"{prefix}/customers", json={"email": "a@b.c"})
    assert "The name field is required." in str(caught.value)
    assert caught.value.body == {"success": False, "message": "Validation failed",
                                 "error": "The name field is required."}


async def test_customer_routes_are_under_the_quota() -> None:
    async with FakeClopos(orders=120, quota=Quota(limit=5, window=1.0)) as fake, \
            client_for(fake) as clopos:
        customers = await clopos.customers.list(limit=10, concurrency=4).collect()
        receipts = await clopos.receipts.list(limit=10, concurrency=4).collect()
    assert len(customers) == len(fake.customers) and len(receipts) == len(fake.receipts)
    assert clopos.rate_limit.limit == 5  # the quota's headers came with these routes' answers


@pytest.mark.parametrize("max_retries", [0, 2])
async def test_a_reconciled_write_is_sent_as_often_as_the_retry_policy_allows(
        fake: FakeClopos, clopos: AsyncClopos, max_retries: int) -> None:
    # Every answer is a 503, which the server may have acted on: each attempt is ambiguous
    # and the read-back fails too, so the caller cannot be told whether it happened.
    fake.faults = FaultPlan(rate_503=1.0)
    policy = RetryPolicy(max_retries=max_retries, initial_delay=0.01, max_delay=0.01)
    with pytest.raises(OutcomeUnknownError) as caught:
        await clopos.with_options(retry=policy).customers.create(NewCustomer(name="Rahid"))
    route = ROUTE.format("/v2" if fake.api_version == "v2" else "")
    assert fake.counters.route_counts[route] == max_retries + 1
    assert caught.value.reconcile_with["cid"]
    assert fake.counters.customers_created <= 1  # some 503s come after the server acted
