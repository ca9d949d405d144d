"""Validate new-order request models and render the documented v1 and v2 create bodies."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async.models import (
    DiscountType,
    NewOrder,
    NewOrderCustomer,
    NewOrderModifier,
    NewOrderProduct,
)


def _pizza(**changes: Any) -> NewOrderProduct:
    fields: dict[str, Any] = {"product_id": 101, "product_name": "Pizza", "count": 2, "price": 8.5}
    return NewOrderProduct(**(fields | changes))


def _order(**changes: Any) -> NewOrder:
    fields: dict[str, Any] = {
        "sale_type_id": 2,
        "venue_id": 1,
        "customer": NewOrderCustomer(name="Rahid Akhundzada"),
        "products": [_pizza()],
    }
    return NewOrder(**(fields | changes))


def test_v2_body_matches_the_documented_example() -> None:
    order = NewOrder(
        auto_accept_terminal=1,
        auto_order_accept=True,
        auto_order_sent_to_station=True,
        order_number="A-1024",
        sale_type_id=2,
        venue_id=1,
        delivery_fee=2.5,
        customer=NewOrderCustomer(
            id=9,
            phone="+994705401040",
            address="123 Main St",
            customer_discount_type=1,
            name="Rahid Akhundzada",
        ),
        comment="Leave at the door",
        discount_type=1,
        discount_value=10,
        service_charge_enabled=True,
        service_charge_value=5,
        products=[
            NewOrderProduct(
                product_id=101,
                product_name="Pizza",
                count=2,
                price=8.5,
                status="new",
                product_hash="abc123",
                portion_size=1,
                note="No onions",
                modifiers=[
                    NewOrderModifier(
                        modifier_id=501,
                        modifier_name="Extra Cheese",
                        count=1,
                        price=0.5,
                        portion_size=1,
                    )
                ],
            )
        ],
    )
    expected = {
        "auto_accept_terminal": 1,
        "auto_order_accept": True,
        "auto_order_sent_to_station": True,
        "order_number": "A-1024",
        "sale_type_id": 2,
        "venue_id": 1,
        "delivery_fee": 2.5,
        "customer": {"id": 9, "phone": "+994705401040", "address": "123 Main St",
                     "customer_discount_type": 1, "name": "Rahid Akhundzada"},
        "comment": "Leave at the door",
        "discount": {"discount_type": 1, "discount_value": 10},
        "service_charge": {"enabled": True, "value": 5},
        "products": [
            {
                "product_id": 101, "product_name": "Pizza", "count": 2, "price": 8.5,
                "status": "new", "product_hash": "abc123", "portion_size": 1,
                "note": "No onions",
                "modifiers": [{"modifier_id": 501, "modifier_name": "Extra Cheese", "count": 1,
                               "price": 0.5, "portion_size": 1}],
            }
        ],
    }  # fmt: skip
    body = order.to_v2_body()

    assert body == expected
    # Same JSON text as the example once Decimals are written as numbers.
    assert json.loads(json.dumps(body, default=float)) == expected
    product = body["products"][0]  # type: ignore[index]
    assert isinstance(product["price"], Decimal) and str(product["price"]) == "8.5"
    assert isinstance(body["delivery_fee"], Decimal)


def test_v1_body_matches_the_documented_full_example() -> None:
    order = NewOrder(
        sale_type_id=2, sale_type_name="Delivery", venue_id=1, venue_name="Main",
        customer=NewOrderCustomer(id=9, name="Rahid Akhundzada", customer_discount_type=1,
                                  phone="+994705401040"),
        products=[
            NewOrderProduct(
                product_id=1, product_name="Mega Dürüm Menü Alana Çiğ Köfte Dürüm", count=1,
                price=0, status="completed", product_hash="MTExODcsMTEyMDE=",
                category_id=1, station_id=1,
                modifiers=[NewOrderModifier(modifier_id=187, modifier_name="Sauce"),
                           NewOrderModifier(modifier_id=201, modifier_name="Ayran")],
            )
        ],
        comment="", discount_type=1, discount_value=10, order_total="16.2000",
        service_charge_enabled=True, service_charge_value=0,
    )  # fmt: skip
    modificators = [{"modificator_id": 187, "count": 1}, {"modificator_id": 201, "count": 1}]
    expected = {
        "customer_id": 9,
        "payload": {
            "service": {"sale_type_id": 2, "sale_type_name": "Delivery", "venue_id": 1,
                        "venue_name": "Main"},
            "customer": {"id": 9, "name": "Rahid Akhundzada", "customer_discount_type": 1,
                         "phone": "+994705401040", "address": None},
            "products": [
                {
                    "product_id": 1,
                    "count": 1,
                    "product_modificators": modificators,
                    "meta": {
                        "price": 0,
                        "order_product": {
                            "product": {"id": 1, "name": "Mega Dürüm Menü Alana Çiğ Köfte Dürüm",
                                        "category_id": 1, "station_id": 1, "price": 0},
                            "count": 1,
                            "status": "completed",
                            "product_modificators": modificators,
                            "product_hash": "MTExODcsMTEyMDE=",
                        },
                    },
                }
            ],
            "meta": {
                "comment": "",
                "discount": {"discount_type": 1, "discount_value": 10},
                "orderTotal": "16.2000",
                "apply_service_charge": True,
                "customer_discount_type": 1,
                "service_charge_value": 0,
            },
        },
    }  # fmt: skip

    assert order.to_v1_body() == expected


def test_minimal_v2_body_omits_unset_fields_and_defaults_the_hash() -> None:
    body = _order(products=[_pizza(), _pizza(product_id=7)]).to_v2_body()

    assert body == {
        "sale_type_id": 2,
        "venue_id": 1,
        "customer": {"name": "Rahid Akhundzada"},
        "products": [
            {"product_id": 101, "product_name": "Pizza", "count": 2, "price": Decimal("8.5"),
             "status": "new", "product_hash": "101-0", "modifiers": []},
            {"product_id": 7, "product_name": "Pizza", "count": 2, "price": Decimal("8.5"),
             "status": "new", "product_hash": "7-1", "modifiers": []},
        ],
    }  # fmt: skip


def test_partial_discount_and_service_charge_objects() -> None:
    body = _order(discount_value="2.50", service_charge_enabled=False).to_v2_body()

    assert body["discount"] == {"discount_value": Decimal("2.50")}
    assert body["service_charge"] == {"enabled": False}
    kind = _order(discount_type=DiscountType.FIXED).to_v2_body()["discount"]
    assert kind == {"discount_type": 2} and type(kind["discount_type"]) is int


def test_default_hashes_never_collide_with_given_ones() -> None:
    order = _order(products=[_pizza(), _pizza(product_hash="101-0"), _pizza()])
    hashes = order.product_hashes()

    assert hashes[1] == "101-0" and len(set(hashes)) == 3
    assert hashes == order.product_hashes()  # deterministic, so a retry sends the same body


@given(st.lists(st.none() | st.sampled_from(["a", "1-0", "1-1", "2-2", "1-0-"]), min_size=1))
def test_product_hashes_are_unique_for_any_mix(given_hashes: list[str | None]) -> None:
    seen: set[str] = set()
    products = []
    for index, product_hash in enumerate(given_hashes):
        unique = None if product_hash is None or product_hash in seen else product_hash
        if unique is not None:
            seen.add(unique)
        products.append(_pizza(product_id=index % 3, product_hash=unique))
    hashes = _order(products=products).product_hashes()

    assert len(set(hashes)) == len(hashes) == len(products)
    assert all(p.product_hash in (None, h) for p, h in zip(products, hashes, strict=True))


def test_duplicate_given_hashes_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"NewOrder\.products product_hash values must be unique"):
        _order(products=[_pizza(product_hash="x"), _pizza(product_hash="x")])


def test_inputs_are_converted() -> None:
    product = _pizza(price=0.1, portion_size="0.5", modifiers=[
        NewOrderModifier(modifier_id=1, modifier_name="Cheese", price=1)
    ])  # fmt: skip
    order = _order(products=(p for p in [product]), delivery_fee=Decimal("2.50"))

    assert product.price == Decimal("0.1") and product.portion_size == Decimal("0.5")
    assert isinstance(product.modifiers, tuple) and product.modifiers[0].price == Decimal(1)
    assert isinstance(order.products, tuple) and order.products == (product,)
    assert order.delivery_fee == Decimal("2.50")


def test_models_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        _pizza().count = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: _pizza(count=0), ValueError,
         "NewOrderProduct.count must be an int >= 1, got 0"),
        (lambda: _pizza(count=True), TypeError, "NewOrderProduct.count must be an int >= 1"),
        (lambda: _pizza(count=1.5), TypeError, "NewOrderProduct.count must be an int >= 1"),
        (lambda: _pizza(product_id="101"), TypeError, "NewOrderProduct.product_id must be an"),
        (lambda: _pizza(product_name=" "), ValueError,
         "NewOrderProduct.product_name must be a non-empty string"),
        (lambda: _pizza(price=-1), ValueError,
         "NewOrderProduct.price must be a finite number >= 0, got"),
        (lambda: _pizza(price="abc"), ValueError,
         "NewOrderProduct.price must be a finite number >= 0, got 'abc'"),
        (lambda: _pizza(price=float("nan")), ValueError, "NewOrderProduct.price must be a finite"),
        (lambda: _pizza(price=True), TypeError, "NewOrderProduct.price must be a finite number"),
        (lambda: _pizza(portion_size=0), ValueError,
         "NewOrderProduct.portion_size must be a finite number > 0"),
        (lambda: _pizza(status=""), ValueError, "NewOrderProduct.status must be a non-empty"),
        (lambda: _pizza(modifiers=[1]), TypeError,
         "NewOrderProduct.modifiers[0] must be a NewOrderModifier"),
        (lambda: _pizza(modifiers=None), TypeError, "NewOrderProduct.modifiers must be a sequence"),
        (lambda: NewOrderModifier(modifier_id=1, modifier_name=""), ValueError,
         "NewOrderModifier.modifier_name must be a non-empty string"),
        (lambda: NewOrderModifier(modifier_id=1, modifier_name="x", count=-2), ValueError,
         "NewOrderModifier.count must be an int >= 1"),
        (lambda: NewOrderModifier(modifier_id=1, modifier_name="x", price=-0.5), ValueError,
         "NewOrderModifier.price must be a finite number >= 0"),
        (lambda: NewOrderCustomer(name=""), ValueError,
         "NewOrderCustomer.name must be a non-empty string"),
        (lambda: NewOrderCustomer(name="A", id=False), TypeError,
         "NewOrderCustomer.id must be an int"),
        (lambda: NewOrderCustomer(name="A", phone=994), TypeError,  # type: ignore[arg-type]
         "NewOrderCustomer.phone must be a str"),
        (lambda: _order(products=[]), ValueError,
         "NewOrder.products must contain at least one product"),
        (lambda: _order(products="pizza"), TypeError, "NewOrder.products must be a sequence"),
        (lambda: _order(products=[{"product_id": 1}]), TypeError,
         "NewOrder.products[0] must be a NewOrderProduct"),
        (lambda: _order(customer={"name": "x"}), TypeError, "'customer' must be"),
        (lambda: _order(sale_type_id=None), TypeError, "NewOrder.sale_type_id must be an int"),
        (lambda: _order(auto_order_accept=1), TypeError,
         "NewOrder.auto_order_accept must be a bool, got 1"),
        (lambda: _order(service_charge_enabled="yes"), TypeError,
         "NewOrder.service_charge_enabled must be a bool"),
        (lambda: _order(order_number="X" * 21), ValueError,
         "NewOrder.order_number must be at most 20 characters"),
        (lambda: _order(discount_value=-1), ValueError,
         "NewOrder.discount_value must be a finite number >= 0"),
        (lambda: _order(discount_type="1"), TypeError, "NewOrder.discount_type must be an"),
    ],
)  # fmt: skip
def test_invalid_arguments_name_the_parameter(
    build: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        build()
    assert message in str(info.value)


def test_order_number_at_the_limit_is_accepted() -> None:
    assert _order(order_number="X" * 20).to_v2_body()["order_number"] == "X" * 20


def test_v1_requires_its_extra_fields() -> None:
    with pytest.raises(ValueError) as info:
        _order().to_v1_body()
    message = str(info.value)
    assert "NewOrder.sale_type_name" in message and "NewOrder.venue_name" in message
    assert "NewOrder.customer.id" in message and "required for API v1" in message


def _v1_ready(**changes: Any) -> NewOrder:
    customer = NewOrderCustomer(id=3, name="Ann")
    return _order(sale_type_name="Delivery", venue_name="Main", customer=customer, **changes)


def test_v1_rejects_fields_it_cannot_carry() -> None:
    with pytest.raises(ValueError, match=r"NewOrder\.order_number is not supported by API v1"):
        _v1_ready(order_number="A-1").to_v1_body()
    with pytest.raises(ValueError, match=r"NewOrderProduct\.note is not supported by API v1"):
        _v1_ready(products=[_pizza(note="No onions")]).to_v1_body()


def test_minimal_v1_body() -> None:
    body = _v1_ready(delivery_fee=3, auto_order_accept=False).to_v1_body()
    payload = body["payload"]

    assert body["customer_id"] == 3
    assert payload == {  # no meta when nothing sets it
        "service": {"sale_type_id": 2, "sale_type_name": "Delivery", "venue_id": 1,
                    "venue_name": "Main"},
        "customer": {"id": 3, "name": "Ann", "address": None},
        "products": [{
            "product_id": 101, "count": 2, "product_modificators": [],
            "meta": {"price": Decimal("8.5"), "order_product": {
                "product": {"id": 101, "name": "Pizza", "price": Decimal("8.5")},
                "count": 2, "status": "new", "product_modificators": [],
                "product_hash": "101-0"}},
        }],
        "delivery_fee": Decimal(3),
        "auto_order_accept": False,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("total", "wire"),
    [("16.2000", "16.2000"), (Decimal("16.2"), "16.2000"), (16.2, "16.2000"), (16, "16.0000"),
     ("16.20005", "16.20005")],
)  # fmt: skip
def test_order_total_is_sent_as_a_four_place_string(total: Any, wire: str) -> None:
    meta = _v1_ready(order_total=total).to_v1_body()["payload"]["meta"]  # type: ignore[index]
    assert meta == {"orderTotal": wire}
