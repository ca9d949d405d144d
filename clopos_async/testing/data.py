"""Deterministic seeded orders shaped like the documented ones (REFERENCE §3.3, §3.4, §3.8).

The same ``(count, seed, flavour, now, days)`` always gives the same orders, so tests can assert
on them and benchmarks compare like with like. Nothing reads the clock: the default range ends at
``DEFAULT_NOW``. 100,000 orders take one to two seconds.

The data deliberately includes the awkward shapes a client must survive: ``orderTotal`` as a
string, nullable integration fields, ``customer_ref_id`` strings, both timestamp styles, v1
``receive_*`` fields, receipts only on some accepted orders, and ``[]`` where an object is
documented (Laravel's empty or unloaded relation) in ``payload.meta``, ``payload.customer``,
``meta.discount``, a line's ``meta.order_product.product`` and ``receipt``, each in a few
orders (chosen by id, so the rest of the data is as before). ``unstructurable=`` spoils a
share of the orders so that no reading of the docs can type them (see ``spoil_order``).
"""

from __future__ import annotations

import base64
import gc
import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, Literal

from .catalogue import MODIFIERS, SOLD
from .timestamps import format_iso, format_space

__all__ = ["DEFAULT_NOW", "SPOILERS", "make_order", "make_orders", "spoil_order"]

DEFAULT_NOW = datetime(2026, 2, 1, tzinfo=timezone.utc)

Flavour = Literal["v1", "v2"]

_VENUES = (1, 2)
_SALE_TYPES = (1, 2, 3)  # 1 in-house, 2 delivery, 3 takeaway
# (product_id, name, price) of the catalogue's products orders sell, and their modifiers.
_CATALOG = tuple((pid, name, price) for pid, name, price, *_ in SOLD)
_MODIFIERS = MODIFIERS
_NAMES = ("Rahid Akhundzada", "John Doe", "Aysel Mammadova", "Leyla Aliyeva", "Murad Huseynov")
_ADDRESSES = ("123 Main St", "28 May 4", "Nizami 10, apt 5", None)
_COMMENTS = (None, "", "Leave at the door", "No onions", "Call on arrival")
# Cumulative thresholds: 20% PENDING, 20% RECEIVED, 45% DELIVERED, 15% IGNORE.
_STATUS_CUTS = ((0.20, "PENDING"), (0.40, "RECEIVED"), (0.85, "DELIVERED"), (1.0, "IGNORE"))


def make_orders(
    count: int,
    *,
    seed: int = 1,
    flavour: Flavour = "v2",
    now: datetime | None = None,
    days: float = 60.0,
    start_id: int = 1,
    unstructurable: float = 0.0,
) -> list[dict[str, Any]]:
    """Generate ``count`` orders with ids ``start_id..``, created within ``days`` before ``now``.

    ``created_at`` grows with the id (as in a real database), so ties in the second are rare but
    possible. Each order carries its receipt under ``"receipt"`` (object, ``None`` or ``[]``).
    A share ``unstructurable`` (0..1) of them is spoiled with `spoil_order`, chosen by ``seed``.

    Example:
        >>> orders = make_orders(3, seed=7)
        >>> [o["id"] for o in orders], orders == make_orders(3, seed=7)
        ([1, 2, 3], True)
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    if not 0.0 <= unstructurable <= 1.0:
        raise ValueError(f"unstructurable must be a share in 0..1, got {unstructurable!r}")
    rng = random.Random(seed)
    end = int((now or DEFAULT_NOW).timestamp())
    span = max(1, int(days * 86400))
    offsets = sorted(rng.randrange(span) for _ in range(count))
    receipt_ids = iter(range(1, count + 1))
    # The cyclic GC keeps rescanning the growing heap of fresh dicts (4x slower at 100k orders);
    # these dicts hold no cycles, so pausing it is safe.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        orders = [
            _build(rng, start_id + i, end - span + off, end, flavour, receipt_ids)
            for i, off in enumerate(offsets)
        ]
    finally:
        if gc_was_enabled:
            gc.enable()
    if unstructurable:
        # Its own generator, so the orders themselves stay the same with or without spoiling.
        pick = random.Random(seed * 7_919 + 17)
        for order in orders:
            if pick.random() < unstructurable:
                spoil_order(order, pick.randrange(len(SPOILERS)))
    return orders


def _set_venue(order: dict[str, Any]) -> None:
    order["venue_id"] = f"venue-{order['venue_id']}"  # an integer field, not a number


def _set_line_count(order: dict[str, Any]) -> None:
    order["payload"]["products"][0]["count"] = "two"  # an integer field, in words


def _set_discount(order: dict[str, Any]) -> None:
    meta = order["payload"]["meta"]
    if isinstance(meta, dict):
        meta["discount"] = "10%"  # an object field holding a string
    else:
        order["payload"]["meta"] = "10%"


def _set_service(order: dict[str, Any]) -> None:
    order["payload"]["service"] = 17  # an object field holding a number


def _set_products_object(order: dict[str, Any]) -> None:
    products = order["payload"]["products"]  # a PHP associative array: an object, not a list
    order["payload"]["products"] = {str(i + 1): line for i, line in enumerate(products)}


# Each makes one part of an order impossible to type, in a way a broken backend could.
SPOILERS = (_set_venue, _set_line_count, _set_discount, _set_service, _set_products_object)


def spoil_order(order: dict[str, Any], kind: int = 0) -> dict[str, Any]:
    """Make one part of ``order`` untypeable, in place (``kind`` picks one of ``SPOILERS``).

    Example:
        >>> spoil_order(make_order(1), 0)["venue_id"]
        'venue-1'
    """
    SPOILERS[kind % len(SPOILERS)](order)
    return order


def make_order(
    order_id: int,
    *,
    seed: int = 1,
    flavour: Flavour = "v2",
    now: datetime | None = None,
    receipt_id: int | None = None,
) -> dict[str, Any]:
    """Generate one order with ``order_id``, created an hour before ``now`` (deterministic).

    Example:
        >>> make_order(42)["id"]
        42
    """
    rng = random.Random(seed * 1_000_003 + order_id)
    end = int((now or DEFAULT_NOW).timestamp())
    receipts = iter([receipt_id if receipt_id is not None else order_id])
    return _build(rng, order_id, end - 3600, end, flavour, receipts)


def _build(
    rng: random.Random,
    oid: int,
    created: int,
    end: int,
    flavour: Flavour,
    receipt_ids: Iterator[int],
) -> dict[str, Any]:
    r = rng.random
    roll = r()
    status = next(name for cut, name in _STATUS_CUTS if roll < cut)
    venue_id = _VENUES[int(r() * 2)]
    sale_type_id = _SALE_TYPES[int(r() * 3)]
    updated = min(created + rng.randrange(60, 6 * 3600), max(end - 1, created))
    # Timestamp styles: v2 orders are ISO with microseconds, v1 examples use "Y-m-d H:i:s";
    # each flavour carries some of the other style too.
    space_style = r() < (0.7 if flavour == "v1" else 0.1)
    fmt = format_space if space_style else format_iso

    customer_id = rng.randrange(1, 500)
    customer: dict[str, Any] = {"id": customer_id, "customer_discount_type": 1}
    if flavour == "v2":
        customer["phone"] = f"+99470{rng.randrange(10**6, 10**7)}"
        customer["address"] = _ADDRESSES[int(r() * len(_ADDRESSES))]
    customer["name"] = _NAMES[int(r() * len(_NAMES))]

    products, subtotal = _products(rng, oid, flavour)
    discount_type = int(r() * 3)
    discount_value = (0, 10, 2.5)[discount_type]
    total = subtotal * (1 - discount_value / 100) if discount_type == 1 else subtotal
    total = max(0.0, total - discount_value) if discount_type == 2 else total
    meta: dict[str, Any] = {
        "comment": _COMMENTS[int(r() * len(_COMMENTS))],
        "discount": {"discount_type": discount_type, "discount_value": discount_value},
    }
    if flavour == "v1" or r() < 0.2:
        meta["orderTotal"] = f"{total:.4f}"  # a decimal string, as in the v1 examples
    service_charge = r() < 0.3
    meta["apply_service_charge"] = service_charge
    meta["customer_discount_type"] = 1
    meta["service_charge_value"] = 5 if service_charge else 0

    if oid % 23 == 7:
        meta["discount"] = []  # Laravel's empty relation (the PHP peer documents [] for objects)
    payload: dict[str, Any]
    if flavour == "v2":
        payload = {
            "auto_order_accept": r() < 0.2,
            "auto_order_sent_to_station": r() < 0.2,
            "delivery_fee": 2.5 if sale_type_id == 2 else 0,
            "service": {"sale_type_id": sale_type_id, "venue_id": venue_id},
            "customer": customer,
            "products": products,
            "meta": meta,
            "customer_id": customer_id,
            "sale_type_id": sale_type_id,
        }
    else:
        payload = {
            "service": {"sale_type_id": sale_type_id, "venue_id": venue_id},
            "customer": customer,
            "products": products,
            "meta": meta,
        }

    if oid % 29 == 11 and flavour == "v2":
        payload["customer"] = []  # payload.customer_id still names the customer
    if oid % 31 == 13:
        payload["meta"] = []
    has_integration = r() < 0.1
    order: dict[str, Any] = {
        "id": oid,
        "venue_id": venue_id,
        "type": "CALL_CENTER_ORDER",
        "integration": "call_center_new",
        "integration_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if has_integration
        else None,
        "integration_id": str(rng.randrange(10**5, 10**6)) if has_integration else None,
        "customer_ref_id": f"{rng.getrandbits(96):024x}" if r() < 0.1 else None,
        "integration_status": "CREATED",
        "status": status,
    }
    accepted = status in ("RECEIVED", "DELIVERED")
    if flavour == "v1":
        order["receive_user_id"] = 1 if accepted else None
        order["receive_terminal_id"] = (1 if r() < 0.7 else None) if accepted else None
    order["payload"] = payload
    order["created_at"] = fmt(created)
    order["updated_at"] = fmt(updated)
    order["integration_response"] = None
    # Most accepted orders have their open (RECEIVED) or closed (DELIVERED) receipt; a few do not,
    # so clients see both an object and null.
    order["receipt"] = (
        {
            "id": next(receipt_ids),
            "service_notification_id": oid,
            "status": 1 if status == "RECEIVED" else 2,
        }
        if accepted and r() < 0.9
        else ([] if oid % 7 == 2 else None)
    )
    if oid % 19 == 3:
        payload["products"][0]["meta"]["order_product"]["product"] = []
    return order


def _products(rng: random.Random, oid: int, flavour: Flavour) -> tuple[list[dict[str, Any]], float]:
    r = rng.random
    lines: list[dict[str, Any]] = []
    subtotal = 0.0
    for line in range(1 + int(r() * 3)):
        pid, name, price = _CATALOG[int(r() * len(_CATALOG))]
        count = 1 + int(r() * 3)
        mods: list[dict[str, Any]] = []
        if r() < 0.25:
            mid, _mname, mprice = _MODIFIERS[int(r() * len(_MODIFIERS))]
            mods.append({"modificator_id": mid, "count": 1})
            subtotal += mprice * count
        subtotal += price * count
        if flavour == "v1":
            # The v1 examples' hash: base64 of "<product_id><count><modificator_id>" parts.
            parts = ",".join(f"{pid}{count}{m['modificator_id']}" for m in mods)
            product_hash = base64.b64encode(parts.encode()).decode() if mods else str(pid)
            status = "completed"
        else:
            product_hash = f"{oid}-{line}"
            status = "new"
        lines.append(
            {
                "product_id": pid,
                "count": count,
                "product_modificators": mods,
                "portion_size": 1,
                "meta": {
                    "price": price,
                    "order_product": {
                        "count": count,
                        "status": status,
                        "product_modificators": list(mods),
                        "product_hash": product_hash,
                        "product": {"id": pid, "name": name, "price": price},
                    },
                },
            }
        )
    return lines, subtotal
