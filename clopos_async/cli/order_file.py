"""The ``orders create --file`` format: a `NewOrder` written as JSON, for either API version.

The keys are `NewOrder`'s fields, ``customer`` holds `NewOrderCustomer`'s and each of
``products`` `NewOrderProduct`'s (with ``modifiers``, `NewOrderModifier`'s). Money may be a
number or a numeric string, as in Python; optional fields may be left out (a product's
``status`` defaults to ``new``, its ``product_hash`` is derived). The v2 body's nested
``discount`` and ``service_charge`` objects are accepted too. The SDK renders the body of the
client's API version, exactly as ``clopos.orders.create(NewOrder(...))`` does.

A file with a top-level ``payload`` is a ready-made v1 body and is sent unchanged.
"""

from __future__ import annotations

from typing import Any

import attrs

from .. import NewOrder, NewOrderCustomer, NewOrderModifier, NewOrderProduct
from .errors import UsageError

__all__ = ["EXAMPLE", "new_order_from_json"]

EXAMPLE = """\
{
  "sale_type_id": 2,
  "venue_id": 1,
  "customer": {"name": "Rahid", "phone": "+994705401040", "id": 9},
  "products": [
    {"product_id": 101, "product_name": "Pizza", "count": 2, "price": "8.50",
     "modifiers": [{"modifier_id": 7, "modifier_name": "Extra cheese", "price": 1}]}
  ],
  "comment": "Leave at the door",
  "delivery_fee": 2.5,
  "discount_type": 1,
  "discount_value": 10,
  "sale_type_name": "Delivery",
  "venue_name": "Main"
}"""

# The v2 body nests these; NewOrder has them flat.
_NESTED = {
    "discount": {"discount_type": "discount_type", "discount_value": "discount_value"},
    "service_charge": {"enabled": "service_charge_enabled", "value": "service_charge_value"},
}


def _build(cls: type[Any], fields: object, where: str) -> Any:
    if not isinstance(fields, dict):
        raise UsageError(f"--file: {where} must be a JSON object, got {type(fields).__name__}")
    known = {field.name for field in attrs.fields(cls)}
    unknown = sorted(set(fields) - known)
    if unknown:
        allowed = ", ".join(sorted(known))
        raise UsageError(f"--file: unknown field {unknown[0]!r} in {where} (allowed: {allowed})")
    try:
        return cls(**fields)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"--file: {exc}") from exc


def _flattened(body: dict[str, Any]) -> dict[str, Any]:
    flat = dict(body)
    for key, names in _NESTED.items():
        nested = flat.pop(key, None)
        if nested is None:
            continue
        if not isinstance(nested, dict) or set(nested) - set(names):
            raise UsageError(f"--file: {key} must be an object with {' and '.join(names)}")
        flat.update({names[name]: value for name, value in nested.items()})
    return flat


def new_order_from_json(body: dict[str, Any]) -> NewOrder | dict[str, Any]:
    """The `NewOrder` a ``--file`` describes (or a v1 body, unchanged); UsageError if invalid."""
    if "payload" in body:
        return body
    fields = _flattened(body)
    customer = fields.get("customer")
    if customer is not None:
        fields["customer"] = _build(NewOrderCustomer, customer, "customer")
    products = fields.get("products")
    if isinstance(products, list):
        lines = []
        for index, product in enumerate(products):
            where = f"products[{index}]"
            if isinstance(product, dict) and isinstance(product.get("modifiers"), list):
                product = dict(product)
                product["modifiers"] = [
                    _build(NewOrderModifier, modifier, f"{where}.modifiers[{number}]")
                    for number, modifier in enumerate(product["modifiers"])
                ]
            lines.append(_build(NewOrderProduct, product, where))
        fields["products"] = lines
    order: NewOrder = _build(NewOrder, fields, "the order")
    return order
