"""Seeded receipts and customers (REFERENCE §4.1, §4.2), derived from the seeded orders.

Every RECEIVED/DELIVERED order that carries a receipt id gets that receipt: open (status 1) for
RECEIVED, closed (2) for DELIVERED, with the order's venue, sale type, customer and product
lines (the `data._CATALOG` products) and, once closed, one payment with a payment method of
`seed_ids.PAYMENT_METHODS`. Customers are the orders' ``customer_id``s, in the groups of
`seed_ids.CUSTOMER_GROUPS`. Receipts are stored in one canonical shape (the v2 table plus the
v1 extras); `render_receipt` shows a version its own fields.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Iterable
from typing import Any

from .seed_ids import CUSTOMER_GROUPS, PAYMENT_METHODS, USERS
from .timestamps import format_iso, format_space, parse_timestamp

__all__ = [
    "V1_ONLY_RECEIPT_FIELDS", "close", "customer_relations", "make_customers",
    "make_receipts", "new_customer", "new_receipt", "receipt_lines", "render_receipt",
    "stock_operations_for",
]  # fmt: skip

Item = dict[str, Any]

# Fields the v1 schema adds to the v2 receipt table (REFERENCE §4.1).
V1_ONLY_RECEIPT_FIELDS = frozenset({
    "cash_shift_cid", "user_id", "open_by_user_id", "close_by_user_id", "courier_id",
    "seller_id", "terminal_id", "closed_terminal_id", "service_notification_id", "table_id",
    "hall_id", "is_returns", "inventory_status", "report_status", "suspicion", "printed",
    "original_subtotal", "gift_total", "totalCost", "by_cash", "by_card", "rps_discount",
    "terminal_version", "terminal_updated_at", "deleted_at", "gift_count", "properties", "meta",
})
_CASHIER = USERS[1][0]
_STORAGE = {"id": 1, "name": "Main storage"}


def _stable(value: object) -> int:
    # Not hash(): str hashes change from one process to the next (PYTHONHASHSEED).
    return zlib.crc32(str(value).encode())


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _money(value: float) -> float:
    return round(value, 2)


def _payload(order: Item) -> Item:
    payload = order.get("payload")
    return payload if isinstance(payload, dict) else {}


def _customer_id(order: Item) -> Any:
    payload = _payload(order)
    customer = payload.get("customer")
    if payload.get("customer_id") is not None:
        return payload["customer_id"]
    return customer.get("id") if isinstance(customer, dict) else None


def _sale_type_id(order: Item) -> Any:
    service = _payload(order).get("service")
    return service.get("sale_type_id") if isinstance(service, dict) else None


def receipt_lines(receipt_id: int, lines: Iterable[Item], rng: random.Random,
                  created_at: str) -> list[Item]:
    """Receipt products from order lines or create-body lines (``product_id``, ``count``,
    ``price`` or ``meta.price``, the product's name where known)."""
    rows = []
    for index, line in enumerate(lines):
        meta: Item = line["meta"] if isinstance(line.get("meta"), dict) else {}
        snapshot = meta.get("order_product")
        product = snapshot.get("product") if isinstance(snapshot, dict) else None
        price = line.get("price", meta.get("price", 0)) or 0
        count = line.get("count", 1) or 1
        subtotal = line.get("subtotal", _money(price * count))
        rows.append({
            "id": receipt_id * 100 + index, "cid": line.get("cid") or _uuid(rng),
            "receipt_id": receipt_id, "product_id": line.get("product_id"), "count": count,
            "portion_size": line.get("portion_size", 1), "price": price, "subtotal": subtotal,
            "total": line.get("total", subtotal), "is_gift": bool(line.get("is_gift", False)),
            "discount_type": 0, "discount_value": 0, "discount_rate": 0, "total_discount": 0,
            "receipt_discount": 0, "loyalty_type": None, "loyalty_value": None,
            "meta": {"product": {"name": product.get("name") if isinstance(product, dict)
                                 else None, "type": "DISH", "price": price, "barcode": None}},
            "modificators": [], "created_at": created_at, "updated_at": created_at,
        })
    return rows


def make_receipts(orders: Iterable[Item], *, seed: int) -> dict[Any, Item]:
    """The receipts of the orders that carry one (id -> canonical receipt)."""
    receipts: dict[Any, Item] = {}
    for order in orders:
        ref = order.get("receipt")
        if not isinstance(ref, dict) or ref.get("id") is None:
            continue
        rng = random.Random(seed * 7_000_003 + _stable(ref["id"]))
        created = parse_timestamp(order.get("created_at"))
        updated = parse_timestamp(order.get("updated_at"))
        if created == float("-inf"):
            continue  # a spoiled order's receipt would have no time: none seeded
        closed = ref.get("status") == 2
        created_at = format_space(created)
        lines = receipt_lines(ref["id"], _payload(order).get("products") or [], rng, created_at)
        subtotal = _money(sum(line["subtotal"] for line in lines))
        delivery_fee = _payload(order).get("delivery_fee") or 0
        total = _money(subtotal + delivery_fee)
        method = PAYMENT_METHODS[int(rng.random() * 2)]  # cash or card
        receipt = new_receipt(
            ref["id"], cid=_uuid(rng), venue_id=order.get("venue_id"),
            customer_id=_customer_id(order), sale_type_id=_sale_type_id(order),
            created_at=created_at, lines=lines, total=total, subtotal=subtotal,
            delivery_fee=delivery_fee, service_notification_id=order.get("id"),
        )
        if closed:
            close(receipt, [{"id": method[0], "name": method[1], "amount": total}],
                  format_space(max(updated, created)))
        receipts[ref["id"]] = receipt
    return receipts


def new_receipt(receipt_id: Any, *, cid: str, venue_id: Any, customer_id: Any,
                sale_type_id: Any, created_at: str, lines: list[Item], total: float,
                subtotal: float, delivery_fee: float = 0, service_notification_id: Any = None,
                user_id: Any = _CASHIER) -> Item:
    """An open receipt in the canonical (v2 table + v1 extras) shape."""
    return {
        "id": receipt_id, "cid": cid, "venue_id": venue_id, "customer_id": customer_id,
        "sale_type_id": sale_type_id, "source": "web", "guests": 1, "status": 1,
        "order_status": "IN_PROGRESS", "order_number": None, "lock": False,
        "total": total, "subtotal": subtotal, "discount_type": 0, "discount_value": 0,
        "discount_rate": 0, "total_discount": 0, "service_charge": 0,
        "service_charge_value": 0, "delivery_fee": delivery_fee, "remaining": total,
        "i_tax": 0, "e_tax": 0, "total_tax": 0, "payment_methods": [], "fiscal_id": None,
        "loyalty_type": None, "loyalty_value": None, "address": None, "description": None,
        "created_at": created_at, "updated_at": created_at, "closed_at": None,
        "shift_date": created_at[:10], "receipt_products": lines,
        # v1 extras
        "cash_shift_cid": None, "user_id": user_id, "open_by_user_id": user_id,
        "close_by_user_id": None, "courier_id": None, "seller_id": None, "terminal_id": 1,
        "closed_terminal_id": None, "service_notification_id": service_notification_id,
        "table_id": None, "hall_id": None, "is_returns": False, "inventory_status": 0,
        "report_status": 0, "suspicion": 0, "printed": False, "original_subtotal": subtotal,
        "gift_total": 0, "totalCost": _money(total * 0.4), "by_cash": 0, "by_card": 0,
        "rps_discount": 0, "terminal_version": "2.4.1", "terminal_updated_at": None,
        "deleted_at": None, "gift_count": 0,
        "properties": {"daily_id": receipt_id, "monthly_id": receipt_id},
        "meta": {"preprint_count": 0, "sale_type": {"name": None}, "user": {"name": "cashier"},
                 "check_close_event": {"checked": False, "operated_at": None, "fails": []}},
    }


def close(receipt: Item, payments: list[Item], closed_at: str) -> None:
    """Close an open receipt as the POS does: payments, closing time, status 2."""
    by_cash = sum(p["amount"] for p in payments if p["id"] == PAYMENT_METHODS[0][0])
    receipt.update(
        status=2, order_status="COMPLETED", payment_methods=payments, closed_at=closed_at,
        updated_at=closed_at, remaining=0, close_by_user_id=_CASHIER, closed_terminal_id=1,
        by_cash=by_cash, by_card=sum(p["amount"] for p in payments) - by_cash,
    )


def stock_operations_for(receipt: Item, first_id: int) -> list[Item]:
    """The stock deductions closing ``receipt`` makes: one per line (REFERENCE §4.1)."""
    operations = []
    for offset, line in enumerate(receipt["receipt_products"]):
        quantity = line["count"] * line["portion_size"]
        cost = _money(line["price"] * 0.4)
        operations.append({
            "id": first_id + offset, "receipt_id": receipt["id"],
            "receipt_product_id": line["id"], "product_id": line["product_id"],
            "stock_id": line["product_id"], "storage_id": _STORAGE["id"], "operation_id": None,
            "quantity": quantity, "before_quantity": 100, "after_quantity": 100 - quantity,
            "cost": cost, "before_cost": cost, "total_cost": _money(cost * quantity),
            "operated_at": receipt["closed_at"],
            "product": {"id": line["product_id"], "name": line["meta"]["product"]["name"]},
            "stock": {"id": line["product_id"], "storage": dict(_STORAGE)},
        })
    return operations


def render_receipt(receipt: Item, *, version: str, with_lines: bool) -> Item:
    """A stored receipt as ``version`` shows it, with its lines only when asked for."""
    shown = {key: value for key, value in receipt.items()
             if key != "receipt_products" and (version == "v1" or
                                               key not in V1_ONLY_RECEIPT_FIELDS)}
    if with_lines:
        shown["receipt_products"] = receipt["receipt_products"]
    return shown


def make_customers(orders: Iterable[Item], *, seed: int) -> dict[Any, Item]:
    """One customer per ``customer_id`` the orders name, with the first order's name."""
    customers: dict[Any, Item] = {}
    for order in orders:
        customer_id = _customer_id(order)
        if customer_id is None or customer_id in customers:
            continue
        payload_customer = _payload(order).get("customer")
        given = payload_customer if isinstance(payload_customer, dict) else {}
        rng = random.Random(seed * 9_000_011 + _stable(customer_id))
        stamp = format_iso(parse_timestamp(order.get("created_at")) - 86_400 * 30)
        customers[customer_id] = new_customer(
            customer_id, cid=_uuid(rng), venue_id=order.get("venue_id"),
            name=given.get("name") or f"Customer {customer_id}",
            phone=f"+99455{int(customer_id) if str(customer_id).isdigit() else 0:07d}",
            group_id=CUSTOMER_GROUPS[1][0] if _stable(customer_id) % 5 == 0
            else CUSTOMER_GROUPS[0][0],
            address=given.get("address"), created_at=stamp,
        )
    return customers


def new_customer(customer_id: Any, *, cid: str, venue_id: Any, name: str, phone: str | None,
                 group_id: Any, created_at: str, address: str | None = None,
                 email: str | None = None, code: str | None = None,
                 description: str | None = None, gender: int | None = None,
                 date_of_birth: str | None = None) -> Item:
    """A customer with every documented field (REFERENCE §4.2), v1 extras included."""
    return {
        "id": customer_id, "venue_id": venue_id, "cid": cid, "group_id": group_id,
        "name": name, "email": email, "phone": phone, "phones": [phone] if phone else [],
        "address": address, "address_data": [], "description": description, "discount": 0,
        "spent": 0, "total_discount": 0, "total_bonus": 0, "receipt_count": 0,
        "gender": gender, "date_of_birth": date_of_birth, "code": code, "source": "LOYALTY",
        "reference_id": None, "status": True, "can_use_loyalty_system": True,
        "is_verified": False, "created_at": created_at, "updated_at": created_at,
        "balance_id": None, "bonus_balance_id": None, "cashback_balance_id": None,
        "addresses": [], "phone_verified_at": None, "deleted_at": None,
    }


def customer_relations(customer: Item, relations: Iterable[str]) -> Item:
    """A customer with the asked-for relations embedded (``group``, ``balance``, ...)."""
    shown = dict(customer)
    for relation in relations:
        if relation == "group":
            group = next((g for g in CUSTOMER_GROUPS if g[0] == customer["group_id"]), None)
            shown["group"] = ({"id": group[0], "name": group[1], "system_type": group[2]}
                              if group else [])
        elif relation == "balance":
            shown["balance"] = {"id": customer["id"], "system_type": None,
                                "venue_id": customer["venue_id"], "name": "Balance",
                                "description": None, "type": "CUSTOMER", "amount": 0,
                                "position": 0, "created_at": customer["created_at"],
                                "updated_at": customer["updated_at"], "deleted_at": None}
        elif relation == "cashback_balance":
            shown["cashback_balance"] = {"name": "Cashback", "type": "CASHBACK", "amount": 0}
    return shown
