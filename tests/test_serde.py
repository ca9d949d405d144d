"""Structure documented order JSON into models, and back, without a server."""

from __future__ import annotations

import enum
import json
import types
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clopos_async.models import (
    Discount,
    DiscountType,
    LineItem,
    Modificator,
    Order,
    OrderLine,
    OrderMeta,
    OrderPayload,
    OrderReceipt,
    OrderStatus,
)
from clopos_async.serde import (
    StructureError,
    converter,
    structure,
    structure_created_order,
    structure_list,
    unstructure,
)
from clopos_async.timestamps import format_timestamp, parse_timestamp

UTC = timezone.utc

# The v2 list / get example, verbatim.
V2_ORDER_JSON = """
{
  "id": 1, "venue_id": 1, "type": "CALL_CENTER_ORDER", "integration": "call_center_new",
  "integration_uuid": null, "integration_id": null, "customer_ref_id": null,
  "integration_status": "CREATED", "status": "RECEIVED",
  "payload": {
    "auto_order_accept": false, "auto_order_sent_to_station": false, "delivery_fee": 2.5,
    "service": { "sale_type_id": 2, "venue_id": 1 },
    "customer": { "id": 1, "phone": "+994705401040", "address": "123 Main St",
                  "customer_discount_type": 1, "name": "Rahid Akhundzada" },
    "products": [
      { "product_id": 51, "count": 2, "product_modificators": [], "portion_size": 1,
        "meta": { "price": 8.5, "order_product": {
            "count": 2, "status": "new", "product_modificators": [], "product_hash": "abc123",
            "product": { "id": 51, "name": "Pizza", "price": 8.5 } } } }
    ],
    "meta": { "comment": "Leave at the door",
              "discount": { "discount_type": 1, "discount_value": 10 },
              "apply_service_charge": true, "customer_discount_type": 1,
              "service_charge_value": 5 },
    "customer_id": 1, "sale_type_id": 2
  },
  "created_at": "2026-02-02T13:45:53.000000Z", "updated_at": "2026-02-02T17:46:02.000000Z",
  "integration_response": null
}
"""

# The v1 get example (id 75).
V1_ORDER_75 = {
    "id": 75, "venue_id": 1, "type": "CALL_CENTER_ORDER", "integration": "call_center_new",
    "integration_uuid": None, "integration_id": None, "customer_ref_id": None,
    "integration_status": "CREATED", "status": "PENDING",
    "receive_user_id": 1, "receive_terminal_id": None,
    "payload": {
        "service": {"sale_type_id": 3, "venue_id": 1},
        "customer": {"id": 2, "customer_discount_type": 1, "name": "John Doe"},
        "products": [
            {"product_id": 140, "count": 1, "product_modificators": [],
             "meta": {"price": 4, "order_product": {
                 "product": {"id": 140, "name": "Göbələk şorbası", "price": 4},  # noqa: RUF001
                 "count": 1, "status": "completed", "product_modificators": [],
                 "product_hash": "140"}}},
        ],
        "meta": {"comment": None, "discount": {"discount_type": 1, "discount_value": 0}},
    },
}  # fmt: skip

# The v1 create response (its discount is truncated in the source).
V1_CREATED = {
    "status": "PENDING",
    "payload": {
        "service": {"sale_type_id": 2, "sale_type_name": "Delivery", "venue_id": 1,
                    "venue_name": "Main"},
        "customer": {"id": 9, "customer_discount_type": 1, "name": "Rahid Akhundzada"},
        "products": [{
            "product_id": 1, "count": 1,
            "product_modificators": [{"modificator_id": 187, "count": 1},
                                     {"modificator_id": 201, "count": 1}],
            "meta": {"price": 0, "order_product": {
                "product": {"id": 1, "name": "Mega Dürüm Menü Alana Çiğ Köfte Dürüm",
                            "category_id": 1, "station_id": 1, "price": 0},
                "count": 1, "status": "completed",
                "product_modificators": [{"modificator_id": 187, "count": 1},
                                         {"modificator_id": 201, "count": 1}],
                "product_hash": "MTExODcsMTEyMDE="}}}],
        "meta": {"comment": None, "discount": {"…": "truncated in source"}},
    },
}  # fmt: skip

IGNORED_V2 = {
    "id": 108, "venue_id": 1, "type": "CALL_CENTER_ORDER", "integration": "call_center_new",
    "integration_uuid": None, "integration_id": None, "customer_ref_id": None,
    "integration_status": "CREATED", "status": "IGNORE",
    "created_at": "2026-02-02T13:45:53.000000Z", "updated_at": "2026-02-02T17:46:02.000000Z",
    "integration_response": None,
}  # fmt: skip


def test_v2_list_example_structures_every_field() -> None:
    order = structure(json.loads(V2_ORDER_JSON), Order)

    assert (order.id, order.venue_id, order.type) == (1, 1, "CALL_CENTER_ORDER")
    assert order.integration == "call_center_new"
    assert order.integration_uuid is None and order.integration_id is None
    assert order.integration_status == "CREATED"
    assert order.status is OrderStatus.RECEIVED
    assert order.created_at == datetime(2026, 2, 2, 13, 45, 53, tzinfo=UTC)
    assert order.updated_at == datetime(2026, 2, 2, 17, 46, 2, tzinfo=UTC)
    assert order.receipt is None and order.integration_response is None
    payload = order.payload
    assert payload is not None
    assert payload.auto_order_accept is False and payload.auto_order_sent_to_station is False
    assert payload.delivery_fee == Decimal("2.5")
    assert payload.service is not None and payload.service.sale_type_id == 2
    assert payload.customer is not None
    assert payload.customer.name == "Rahid Akhundzada"
    assert payload.customer.phone == "+994705401040"
    assert (payload.customer_id, payload.sale_type_id) == (1, 2)
    (line,) = payload.products
    assert (line.product_id, line.count, line.portion_size) == (51, 2, Decimal(1))
    assert line.product_modificators == ()
    assert line.meta is not None and line.meta.price == Decimal("8.5")
    snapshot = line.meta.order_product
    assert snapshot is not None and snapshot.product is not None
    assert (snapshot.count, snapshot.status, snapshot.product_hash) == (2, "new", "abc123")
    assert (snapshot.product.id, snapshot.product.name) == (51, "Pizza")
    assert snapshot.product.price == Decimal("8.5")
    meta = payload.meta
    assert meta is not None
    assert meta.comment == "Leave at the door"
    assert meta.discount == Discount(discount_type=DiscountType.PERCENT, discount_value=Decimal(10))
    assert meta.apply_service_charge is True
    assert meta.service_charge_value == Decimal(5)
    assert meta.order_total is None


def test_money_is_decimal_from_float_repr_and_from_decoder_decimals() -> None:
    plain = structure(json.loads(V2_ORDER_JSON), Order)
    decoded = structure(json.loads(V2_ORDER_JSON, parse_float=Decimal), Order)

    assert plain == decoded
    assert plain.payload is not None
    fee = plain.payload.delivery_fee
    assert isinstance(fee, Decimal) and str(fee) == "2.5"
    assert structure({"id": 1, "total": 0.1}, Order).total == Decimal("0.1")


def test_v1_get_example() -> None:
    order = structure(V1_ORDER_75, Order)

    assert order.id == 75 and order.status is OrderStatus.PENDING
    assert (order.receive_user_id, order.receive_terminal_id) == (1, None)
    assert order.created_at is None  # not in the (truncated) example
    assert order.payload is not None and order.payload.meta is not None
    assert order.payload.meta.comment is None
    assert order.payload.meta.discount == Discount(discount_type=1, discount_value=Decimal(0))
    (line,) = order.payload.products
    assert line.meta is not None and line.meta.order_product is not None
    assert line.meta.order_product.status == "completed"
    assert line.meta.order_product.product is not None
    assert line.meta.order_product.product.name == "Göbələk şorbası"  # noqa: RUF001


def test_receipt_embed_and_null_receipt() -> None:
    embedded = dict(
        V1_ORDER_75,
        id=238,
        status="RECEIVED",
        customer_ref_id="63d92187d2960bde1d66048c",
        receive_terminal_id=1,
        receipt={"id": 6, "service_notification_id": 238, "status": 1},
    )
    order = structure(embedded, Order)
    pending = structure(dict(V1_ORDER_75, receipt=None), Order)

    assert order.receipt == OrderReceipt(id=6, service_notification_id=238, status=1)
    assert order.customer_ref_id == "63d92187d2960bde1d66048c"
    assert order.status is OrderStatus.RECEIVED and order.receive_terminal_id == 1
    assert pending.receipt is None


def test_v1_list_example_keeps_string_id_and_unknown_status() -> None:
    data = [{
        "id": "ORD-12345", "number": "A-001", "status": "accepted",
        "created_at": "2025-08-18 13:44:10", "updated_at": "2025-08-18 13:45:01",
        "total": 42000, "customer_id": 1, "payment_status": "pending",
        "delivery_type": "pickup", "receipt_id": 6,
    }]  # fmt: skip
    (order,) = structure_list(data, Order)  # type: ignore[arg-type]

    assert order.id == "ORD-12345" and order.number == "A-001"
    assert order.status == "accepted" and not isinstance(order.status, OrderStatus)
    assert order.created_at == datetime(2025, 8, 18, 13, 44, 10, tzinfo=UTC)
    assert order.total == Decimal(42000) and isinstance(order.total, Decimal)
    assert (order.customer_id, order.receipt_id) == (1, 6)
    assert (order.payment_status, order.delivery_type) == ("pending", "pickup")
    assert order.payload is None and order.is_final is False


def test_v1_oas_line_items_example() -> None:
    data = {
        "id": "ORD-12345", "customer_id": "CUST-1", "status": "pending", "total_amount": 84.5,
        "line_items": [{"id": "LI-1", "product_id": "P-9", "quantity": 2,
                        "unit_price": 42.25, "total_price": 84.5}],
        "created_at": "2023-11-07T05:31:56Z", "updated_at": "2023-11-07T05:31:56Z",
    }  # fmt: skip
    order = structure(data, Order)

    assert order.customer_id == "CUST-1" and order.status is OrderStatus.PENDING
    assert order.total_amount == Decimal("84.5")
    assert order.line_items == (
        LineItem(id="LI-1", product_id="P-9", quantity=2, unit_price=Decimal("42.25"),
                 total_price=Decimal("84.5")),
    )  # fmt: skip
    assert order.updated_at == datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)


def test_v1_create_response_payload_and_missing_id() -> None:
    with pytest.raises(ValueError, match=r"data\.id or data\.payload\.id"):
        structure_created_order(V1_CREATED)
    with pytest.raises(StructureError, match=r"^Order\.id: required field is missing"):
        structure(V1_CREATED, Order)

    order = structure_created_order(dict(V1_CREATED, id=500))
    assert order.id == 500 and order.status is OrderStatus.PENDING
    assert order.payload is not None and order.payload.service is not None
    assert order.payload.service.sale_type_name == "Delivery"
    assert order.payload.service.venue_name == "Main"
    assert order.payload.meta == OrderMeta(discount=Discount())  # unknown keys ignored
    (line,) = order.payload.products
    assert [m.modificator_id for m in line.product_modificators] == [187, 201]
    assert line.meta is not None and line.meta.order_product is not None
    product = line.meta.order_product.product
    assert product is not None and (product.category_id, product.station_id) == (1, 1)


def test_v2_create_response_shape_a() -> None:
    data = dict(IGNORED_V2, id=295, status="PENDING",
                created_at="2026-01-08T06:28:23.000000Z")  # fmt: skip
    order = structure_created_order(data)

    assert order.id == 295 and order.status is OrderStatus.PENDING
    assert order.payload is None
    assert order.created_at == datetime(2026, 1, 8, 6, 28, 23, tzinfo=UTC)


def test_v2_create_response_shape_b_takes_the_id_from_the_payload() -> None:
    data = {
        "status": "PENDING",
        "payload": {"updated_at": "2026-01-08T06:28:23.000000Z",
                    "created_at": "2026-01-08T06:28:23.000000Z", "id": 295, "venue_id": 1},
    }  # fmt: skip
    order = structure_created_order(data)

    assert order.id == 295 and order.venue_id == 1
    assert order.payload is not None and order.payload.id == 295
    assert order.payload.created_at == datetime(2026, 1, 8, 6, 28, 23, tzinfo=UTC)
    assert order.created_at == order.payload.created_at


@pytest.mark.parametrize("data", [[], "x", {"status": "PENDING"}, {"payload": {"id": None}}])
def test_created_order_without_an_id_is_rejected(data: object) -> None:
    with pytest.raises(StructureError) as info:
        structure_created_order(data)
    assert isinstance(info.value, ValueError) and str(info.value).startswith("Order")


def test_ignore_responses_both_shapes() -> None:
    v2 = structure(IGNORED_V2, Order)
    v1 = structure({"id": 108, "status": "IGNORE"}, Order)

    assert v2.status is OrderStatus.IGNORE and v2.payload is None and v2.is_final
    assert v2.updated_at == datetime(2026, 2, 2, 17, 46, 2, tzinfo=UTC)
    assert v1 == Order(id=108, status=OrderStatus.IGNORE)


def test_unknown_keys_are_ignored_at_every_level() -> None:
    data = json.loads(V2_ORDER_JSON)
    data["brand_new"] = {"x": 1}
    data["payload"]["products"][0]["meta"]["order_product"]["product"]["image"] = {"thumb": "u"}
    data["payload"]["meta"]["surprise"] = [1, 2]

    assert structure(data, Order) == structure(json.loads(V2_ORDER_JSON), Order)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PENDING", OrderStatus.PENDING),
        ("received", OrderStatus.RECEIVED),
        ("Delivered", OrderStatus.DELIVERED),
        ("completed", OrderStatus.COMPLETED),
        ("cancelled", OrderStatus.CANCELLED),
        ("accepted", "accepted"),
        ("READY", "READY"),
    ],
)
def test_status_parsing_is_case_insensitive_and_keeps_unknowns(raw: str, expected: object) -> None:
    parsed = structure({"id": 1, "status": raw}, Order).status

    assert parsed == expected and type(parsed) is type(expected)
    assert OrderStatus.parse(raw) == expected


def test_enum_helpers() -> None:
    assert str(OrderStatus.IGNORE) == "IGNORE" and f"{OrderStatus.PENDING}" == "PENDING"
    assert DiscountType.parse(2) is DiscountType.FIXED and DiscountType.parse(9) == 9
    discount = structure({"discount_type": 9, "discount_value": "2.5"}, Discount)
    assert discount == Discount(discount_type=9, discount_value=Decimal("2.5"))
    assert structure({"discount_type": 0}, Discount).discount_type is DiscountType.NONE


def test_order_total_wire_name_and_forms() -> None:
    def total(value: object) -> Decimal | None:
        return structure({"orderTotal": value}, OrderMeta).order_total

    assert str(total("16.2000")) == "16.2000"
    assert total(16.2) == Decimal("16.2") and total(16) == Decimal(16)
    assert total("not a number") is None and total(None) is None
    # the snake_case spelling is not the wire name
    assert structure({"order_total": "1"}, OrderMeta).order_total is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-02-02T13:45:53.000000Z", datetime(2026, 2, 2, 13, 45, 53, tzinfo=UTC)),
        ("2026-02-02T13:45:53.250000Z", datetime(2026, 2, 2, 13, 45, 53, 250000, tzinfo=UTC)),
        ("2023-11-07T05:31:56Z", datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)),
        ("2026-02-02T17:45:53+04:00", datetime(2026, 2, 2, 13, 45, 53, tzinfo=UTC)),
        ("2026-02-02T13:45:53.5-01:30", datetime(2026, 2, 2, 15, 15, 53, 500000, tzinfo=UTC)),
        ("2025-08-18 13:44:10", datetime(2025, 8, 18, 13, 44, 10, tzinfo=UTC)),
        ("2025-08-18", datetime(2025, 8, 18, tzinfo=UTC)),
        ("2026-02-02T13:45:53.123456789Z", datetime(2026, 2, 2, 13, 45, 53, 123456, tzinfo=UTC)),
        (1761202010781, datetime(2025, 10, 23, 6, 46, 50, 781000, tzinfo=UTC)),
        (1761211989, datetime(2025, 10, 23, 9, 33, 9, tzinfo=UTC)),
        (1761211989.5, datetime(2025, 10, 23, 9, 33, 9, 500000, tzinfo=UTC)),
        ("1761202010781", datetime(2025, 10, 23, 6, 46, 50, 781000, tzinfo=UTC)),
        (Decimal("1761211989"), datetime(2025, 10, 23, 9, 33, 9, tzinfo=UTC)),
    ],
)
def test_every_timestamp_format_becomes_aware_utc(raw: object, expected: datetime) -> None:
    parsed = parse_timestamp(raw)

    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "raw",
    ["203-05-25T12:08:43.000000Z", "garbage", "", "2026-13-01T00:00:00Z", "12345", None, True,
     float("nan"), float("inf"), 10**30, "9999-12-31T23:59:59-05:00", [2026], {"a": 1}],
)  # fmt: skip
def test_malformed_timestamps_are_none(raw: object) -> None:
    assert parse_timestamp(raw) is None


def test_malformed_timestamp_does_not_fail_the_order() -> None:
    order = structure({"id": 1, "created_at": "203-05-25T12:08:43.000000Z"}, Order)
    assert order.created_at is None


@given(st.text() | st.integers() | st.floats() | st.decimals())
def test_parse_timestamp_never_raises(value: object) -> None:
    parsed = parse_timestamp(value)
    assert parsed is None or parsed.utcoffset() == timedelta(0)


@given(st.datetimes(timezones=st.just(UTC)))
def test_format_then_parse_round_trips(value: datetime) -> None:
    text = format_timestamp(value)
    assert text.endswith("Z") and parse_timestamp(text) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), (1, True), (0, False), ("1", True), ("false", False)],
)
def test_flags_accept_bool_or_int(raw: object, expected: bool) -> None:
    payload = structure({"auto_order_accept": raw, "auto_order_sent_to_station": raw}, OrderPayload)
    assert payload.auto_order_accept is expected
    assert payload.auto_order_sent_to_station is expected


def test_ids_are_kept_as_given() -> None:
    order = structure(
        {"id": "75", "integration_id": 12, "customer_id": "CUST-1",
         "payload": {"customer": {"id": "9"}}},
        Order,
    )  # fmt: skip

    assert order.id == "75" and order.integration_id == 12 and order.customer_id == "CUST-1"
    assert order.payload is not None and order.payload.customer is not None
    assert order.payload.customer.id == "9"
    assert structure({"id": 5, "integration_id": "ext-5"}, Order).integration_id == "ext-5"


def test_integration_response_passes_through() -> None:
    for raw in ({"code": 1, "items": [1, 2]}, "ok", None, [1]):
        assert structure({"id": 1, "integration_response": raw}, Order).integration_response == raw


def test_modificator_shapes_flatten_to_one_class() -> None:
    nested = {"modificator": {"id": 187, "name": "Extra Cheese", "price": 0.5}, "count": 2}
    flat = {"modificator_id": 201, "count": 1}

    assert structure(nested, Modificator) == Modificator(
        modificator_id=187, count=2, name="Extra Cheese", price=Decimal("0.5")
    )
    assert structure(flat, Modificator) == Modificator(modificator_id=201, count=1)
    line = structure({"product_modificators": [nested, flat]}, OrderLine)
    assert [m.modificator_id for m in line.product_modificators] == [187, 201]


def test_null_lists_become_empty_tuples() -> None:
    order = structure({"id": 1, "line_items": None, "payload": {"products": None}}, Order)
    assert order.line_items == () and order.payload == OrderPayload()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "Order: expected a JSON object, got list"),
        ({"status": "PENDING"}, "Order.id: required field is missing"),
        ({"id": None}, "Order.id: expected an integer or string id, got None"),
        ({"id": True}, "Order.id: expected an integer or string id, got True"),
        ({"id": 1, "payload": "x"}, "Order.payload: expected a JSON object, got str"),
        ({"id": 1, "venue_id": "abc"}, "Order.venue_id: expected an integer, got 'abc'"),
        ({"id": 1, "total": [1]}, "Order.total: expected a number, got [1]"),
        ({"id": 1, "payload": {"products": 5}}, "Order.payload.products: expected a JSON array"),
        (
            {"id": 1, "payload": {"products": [{}, {"count": {}}]}},
            "Order.payload.products[1].count: expected an integer, got {}",
        ),
        (
            {"id": 1, "payload": {"meta": {"orderTotal": {}}}},
            "Order.payload.meta.orderTotal: expected a number",
        ),
    ],
)
def test_structure_errors_name_the_model_and_field(data: object, message: str) -> None:
    with pytest.raises(StructureError) as info:
        structure(data, Order)
    assert str(info.value).startswith(message)


def test_structure_list_errors_name_the_index() -> None:
    with pytest.raises(StructureError, match=r"^Order\[1\]\.venue_id: expected an integer"):
        structure_list([{"id": 1}, {"id": 2, "venue_id": []}], Order)
    with pytest.raises(StructureError, match=r"^Order\[2\]: expected a JSON object"):
        structure_list([{"id": 1}, {"id": 2}, None], Order)
    with pytest.raises(StructureError, match="expected a JSON array"):
        structure_list({"id": 1}, Order)  # type: ignore[arg-type]


def test_structure_list_builds_a_page() -> None:
    page = [json.loads(V2_ORDER_JSON) | {"id": n} for n in range(100)]
    orders = structure_list(page, Order)
    assert [o.id for o in orders] == list(range(100))
    assert all(o.status is OrderStatus.RECEIVED for o in orders)


def test_unstructure_gives_wire_names_and_json_ready_values() -> None:
    data = json.loads(V2_ORDER_JSON)
    data["payload"]["meta"]["orderTotal"] = "16.2000"
    order = structure(data, Order)
    out = unstructure(order)

    assert out["status"] == "RECEIVED" and type(out["status"]) is str
    assert out["created_at"] == "2026-02-02T13:45:53Z"
    assert out["payload"]["meta"]["orderTotal"] == Decimal("16.2000")
    assert "order_total" not in out["payload"]["meta"]
    assert type(out["payload"]["meta"]["discount"]["discount_type"]) is int
    assert isinstance(out["payload"]["products"], list)
    assert json.loads(json.dumps(out, default=str))["payload"]["delivery_fee"] == "2.5"
    assert structure(out, Order) == order
    with pytest.raises(TypeError):
        unstructure(5)


def test_other_str_and_int_enums_still_structure() -> None:
    # The converter's str/int hooks must not swallow other modules' enums.
    class Colour(str, enum.Enum):
        RED = "red"

    class Level(enum.IntEnum):
        HIGH = 3

    assert converter.structure("red", Colour) is Colour.RED
    assert converter.structure(3, Level) is Level.HIGH


# -- property tests --

_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
_status_strings = st.text(max_size=10).filter(
    lambda s: not isinstance(OrderStatus.parse(s), OrderStatus)
)
_SCALARS: dict[Any, st.SearchStrategy[Any]] = {
    int: st.integers(-(10**15), 10**15),
    str: st.text(max_size=12),
    bool: st.booleans(),
    Decimal: st.decimals(allow_nan=False, allow_infinity=False),
    datetime: st.datetimes(timezones=st.just(UTC)),
    object: st.none() | st.text(max_size=8) | st.dictionaries(st.text(max_size=4), st.integers()),
    OrderStatus: st.sampled_from(OrderStatus),
    DiscountType: st.sampled_from(DiscountType),
}


def _values(tp: Any) -> st.SearchStrategy[Any]:
    """Derive a strategy of valid values for a model field type."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    if get_origin(tp) in (Union, types.UnionType):
        args = get_args(tp)
        if OrderStatus in args:  # a str that parses as a member would come back as the member
            return st.none() | _SCALARS[OrderStatus] | _status_strings
        return st.one_of([_values(arg) for arg in args])
    if tp is type(None):
        return st.none()
    if get_origin(tp) is tuple:
        return st.lists(_values(get_args(tp)[0]), max_size=2).map(tuple)
    fields = {f.name: _values(f.type) for f in attrs.fields(tp)}
    return st.builds(tp, **fields)


def _shaped_json(tp: Any) -> st.SearchStrategy[Any]:
    """Derive roughly order-shaped JSON with arbitrary leaves (for the never-crash property)."""
    if get_origin(tp) in (Union, types.UnionType):
        return st.one_of([_shaped_json(arg) for arg in get_args(tp) if arg is not type(None)])
    if get_origin(tp) is tuple:
        return _json | st.lists(_shaped_json(get_args(tp)[0]), max_size=2)
    if attrs.has(tp):
        optional = {f.name: _shaped_json(f.type) for f in attrs.fields(tp)}
        return _json | st.fixed_dictionaries({}, optional=optional)
    return _json


@settings(deadline=None, max_examples=150)
@given(_values(Order))
def test_unstructure_then_structure_round_trips(order: Order) -> None:
    assert structure(unstructure(order), Order) == order


_ORDER_FIELDS = {f.name: _shaped_json(f.type) for f in attrs.fields(Order) if f.name != "id"}


@settings(deadline=None, max_examples=200)
@given(
    _json
    | st.fixed_dictionaries({"id": st.integers() | st.text(max_size=4)}, optional=_ORDER_FIELDS)
)
def test_arbitrary_json_gives_an_order_or_a_structure_error(data: object) -> None:
    try:
        result = structure(data, Order)
    except StructureError as exc:
        assert str(exc).startswith("Order")
    else:
        assert isinstance(result, Order)


def test_the_fast_path_falls_back_to_a_located_error() -> None:
    bad = {"id": 1, "payload": {"products": [{"count": 2}, {"count": "many"}]}}
    with pytest.raises(StructureError) as caught:
        structure(bad, Order)
    assert "payload.products[1].count" in str(caught.value)


def test_fast_built_models_stay_frozen_and_hashable() -> None:
    from clopos_async.testing import make_orders

    raw = json.loads(json.dumps(make_orders(3, seed=2)))
    built = structure_list(raw, Order)
    again = structure_list(raw, Order)
    assert built == again and hash(built[0]) == hash(again[0])
    payload = built[0].payload
    assert payload is not None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built[0].status = "PENDING"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        payload.delivery_fee = None  # type: ignore[misc]
