"""Validate create-order bodies (v1 REFERENCE §3.5, v2 §3.6) and turn them into stored orders.

Validation failures are 400 ``validation_failed`` with a message naming the field in Laravel's
dotted style (``products.0.product_name is required``). Empty strings count as missing and a
stored ``comment: ""`` becomes ``null``, as Laravel's ConvertEmptyStringsToNull middleware does
(the v1 create example echoes ``""`` back as ``null``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .responses import FakeApiError, api_error
from .timestamps import format_iso, format_space

__all__ = ["build_v1_order", "build_v2_order"]

Order = dict[str, Any]
_NUMBER = "number"
_STRING = "string"
_OBJECT = "object"
_ARRAY = "array"
_BOOLEAN = "boolean"
_ID = "id"  # an int or a non-empty string (ids are int | str, REFERENCE §2.8)


def _fail(message: str) -> FakeApiError:
    return api_error(400, "validation_failed", message)


def _type_ok(value: Any, kind: str) -> bool:
    if kind == _NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == _ID:
        return isinstance(value, (int, str)) and not isinstance(value, bool)
    if kind == _STRING:
        return isinstance(value, str)
    if kind == _OBJECT:
        return isinstance(value, dict)
    if kind == _ARRAY:
        return isinstance(value, list)
    return isinstance(value, bool)


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _require(obj: dict[str, Any], key: str, path: str, kind: str) -> Any:
    value = obj.get(key)
    if value is None or value == "":
        raise _fail(f"{path} is required")
    if not _type_ok(value, kind):
        raise _fail(f"{path} must be {_article(kind)} {kind}")
    return value


def _optional(obj: dict[str, Any], key: str, path: str, kind: str, default: Any = None) -> Any:
    value = obj.get(key)
    if value is None or value == "":
        return default
    if not _type_ok(value, kind):
        raise _fail(f"{path} must be {_article(kind)} {kind}")
    return value


def _positive_count(obj: dict[str, Any], path: str) -> Any:
    count = _require(obj, "count", f"{path}.count", _NUMBER)
    if count <= 0:
        raise _fail(f"{path}.count must be greater than 0")
    return count


def _objects(items: list[Any], path: str) -> list[dict[str, Any]]:
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(f"{path}.{i} must be an object")
    return items


def _v2_product(item: dict[str, Any], path: str) -> dict[str, Any]:
    product_id = _require(item, "product_id", f"{path}.product_id", _NUMBER)
    name = _require(item, "product_name", f"{path}.product_name", _STRING)
    count = _positive_count(item, path)
    price = _require(item, "price", f"{path}.price", _NUMBER)
    status = _require(item, "status", f"{path}.status", _STRING)
    product_hash = _require(item, "product_hash", f"{path}.product_hash", _STRING)
    portion = _optional(item, "portion_size", f"{path}.portion_size", _NUMBER, 1)
    note = _optional(item, "note", f"{path}.note", _STRING)
    raw_mods = _optional(item, "modifiers", f"{path}.modifiers", _ARRAY, [])
    modificators = []
    for j, mod in enumerate(_objects(raw_mods, f"{path}.modifiers")):
        mpath = f"{path}.modifiers.{j}"
        # Stored shape is not documented (no example with modifiers); the v1 names are reused.
        modificators.append(
            {
                "modificator_id": _require(mod, "modifier_id", f"{mpath}.modifier_id", _NUMBER),
                "modificator_name": _require(
                    mod, "modifier_name", f"{mpath}.modifier_name", _STRING
                ),
                "count": _positive_count(mod, mpath),
                "price": _optional(mod, "price", f"{mpath}.price", _NUMBER, 0),
                "portion_size": _optional(mod, "portion_size", f"{mpath}.portion_size", _NUMBER, 1),
            }
        )
    stored: dict[str, Any] = {
        "product_id": product_id,
        "count": count,
        "product_modificators": modificators,
        "portion_size": portion,
    }
    if note is not None:
        stored["note"] = note
    stored["meta"] = {
        "price": price,
        "order_product": {
            "count": count,
            "status": status,
            "product_modificators": [dict(m) for m in modificators],
            "product_hash": product_hash,
            "product": {"id": product_id, "name": name, "price": price},
        },
    }
    return stored


def build_v2_order(
    body: dict[str, Any], new_id: Callable[[], int], venue: int | str | None, now: float
) -> Order:
    """Validate a flat v2 body and store it in the documented shape (REFERENCE §3.6 table).

    ``venue`` is the request's ``x-venue`` override; when given it wins over ``venue_id``.
    """
    sale_type_id = _require(body, "sale_type_id", "sale_type_id", _NUMBER)
    venue_id = _require(body, "venue_id", "venue_id", _NUMBER)
    customer = _require(body, "customer", "customer", _OBJECT)
    products = _require(body, "products", "products", _ARRAY)
    if not products:
        raise _fail("products must contain at least one item")
    stored_products = [
        _v2_product(p, f"products.{i}") for i, p in enumerate(_objects(products, "products"))
    ]
    order_number = _optional(body, "order_number", "order_number", _STRING)
    if order_number is not None and len(order_number) > 20:
        raise _fail("order_number may not be greater than 20 characters")
    discount = _optional(body, "discount", "discount", _OBJECT, {})
    charge = _optional(body, "service_charge", "service_charge", _OBJECT, {})
    venue_id = venue if venue is not None else venue_id

    payload: dict[str, Any] = {
        "auto_order_accept": _optional(
            body, "auto_order_accept", "auto_order_accept", _BOOLEAN, False
        ),
        "auto_order_sent_to_station": _optional(
            body, "auto_order_sent_to_station", "auto_order_sent_to_station", _BOOLEAN, False
        ),
    }
    terminal = _optional(body, "auto_accept_terminal", "auto_accept_terminal", _NUMBER)
    if terminal is not None:
        payload["auto_accept_terminal"] = terminal
    if order_number is not None:
        payload["order_number"] = order_number
    delivery_fee = _optional(body, "delivery_fee", "delivery_fee", _NUMBER)
    if delivery_fee is not None:
        payload["delivery_fee"] = delivery_fee
    meta: dict[str, Any] = {
        "comment": _optional(body, "comment", "comment", _STRING),
        "discount": {
            "discount_type": _optional(
                discount, "discount_type", "discount.discount_type", _NUMBER, 0
            ),
            "discount_value": _optional(
                discount, "discount_value", "discount.discount_value", _NUMBER, 0
            ),
        },
        "apply_service_charge": _optional(
            charge, "enabled", "service_charge.enabled", _BOOLEAN, False
        ),
    }
    if customer.get("customer_discount_type") is not None:
        meta["customer_discount_type"] = customer["customer_discount_type"]
    meta["service_charge_value"] = _optional(charge, "value", "service_charge.value", _NUMBER, 0)
    payload.update(
        {
            "service": {"sale_type_id": sale_type_id, "venue_id": venue_id},
            "customer": dict(customer),
            "products": stored_products,
            "meta": meta,
            "customer_id": customer.get("id"),
            "sale_type_id": sale_type_id,
        }
    )
    return _order(new_id(), venue_id, payload, format_iso(now), v1=False)


def build_v1_order(
    body: dict[str, Any], new_id: Callable[[], int], venue: int | str | None, now: float
) -> Order:
    """Validate a v1 body ``{customer_id, payload: {service, customer, products, meta}}``.

    The stored customer keeps only ``id``, ``customer_discount_type`` and ``name``, as the
    documented v1 echo does. ``venue`` is an override (the v1 route passes None: on v1 the
    body's ``payload.service.venue_id`` decides).
    """
    customer_id = _require(body, "customer_id", "customer_id", _ID)
    payload = _require(body, "payload", "payload", _OBJECT)
    service = _require(payload, "service", "payload.service", _OBJECT)
    sale_type_id = _require(service, "sale_type_id", "payload.service.sale_type_id", _NUMBER)
    sale_type_name = _require(service, "sale_type_name", "payload.service.sale_type_name", _STRING)
    venue_id = _require(service, "venue_id", "payload.service.venue_id", _NUMBER)
    venue_name = _require(service, "venue_name", "payload.service.venue_name", _STRING)
    customer = _require(payload, "customer", "payload.customer", _OBJECT)
    stored_customer: dict[str, Any] = {"id": _require(customer, "id", "payload.customer.id", _ID)}
    if customer.get("customer_discount_type") is not None:
        stored_customer["customer_discount_type"] = customer["customer_discount_type"]
    stored_customer["name"] = _require(customer, "name", "payload.customer.name", _STRING)
    products = _require(payload, "products", "payload.products", _ARRAY)
    if not products:
        raise _fail("payload.products must contain at least one item")
    stored_products = []
    for i, item in enumerate(_objects(products, "payload.products")):
        path = f"payload.products.{i}"
        _require(item, "product_id", f"{path}.product_id", _NUMBER)
        _positive_count(item, path)
        line = dict(item)  # catalog snapshots are kept as sent ("for accurate reconciliation")
        line["product_modificators"] = _optional(
            item, "product_modificators", f"{path}.product_modificators", _ARRAY, []
        )
        line["meta"] = _optional(item, "meta", f"{path}.meta", _OBJECT, {"price": 0})
        stored_products.append(line)
    meta = dict(_optional(payload, "meta", "payload.meta", _OBJECT, {}))
    meta["comment"] = meta.get("comment") or None
    meta.setdefault("discount", {"discount_type": 0, "discount_value": 0})
    venue_id = venue if venue is not None else venue_id

    stored: dict[str, Any] = {
        key: payload[key]
        for key in ("auto_accept_terminal", "auto_order_accept", "auto_order_sent_to_station")
        if key in payload
    }
    stored.update(
        {
            "service": {
                "sale_type_id": sale_type_id,
                "sale_type_name": sale_type_name,
                "venue_id": venue_id,
                "venue_name": venue_name,
            },
            "customer": stored_customer,
            "products": stored_products,
            "meta": meta,
            "customer_id": customer_id,
        }
    )
    return _order(new_id(), venue_id, stored, format_space(now), v1=True)


def _order(oid: int, venue_id: Any, payload: dict[str, Any], stamp: str, *, v1: bool) -> Order:
    order: Order = {
        "id": oid,
        "venue_id": venue_id,
        "type": "CALL_CENTER_ORDER",
        "integration": "call_center_new",
        "integration_uuid": None,
        "integration_id": None,
        "customer_ref_id": None,
        "integration_status": "CREATED",
        "status": "PENDING",
    }
    if v1:
        order["receive_user_id"] = None
        order["receive_terminal_id"] = None
    order.update(
        {
            "payload": payload,
            "created_at": stamp,
            "updated_at": stamp,
            "integration_response": None,
            "receipt": None,
        }
    )
    return order
