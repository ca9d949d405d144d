"""Seeded reference data (REFERENCE §4.10 onwards), consistent with the seeded orders.

Orders use sale types 1, 2 and 3 (``testing.data``); these are they, with the documented
fields: a per-venue ``status`` map keyed by venue id strings, ISO timestamps with
microseconds (v2) and, in the older v1 example, ``payment_method_id`` and ``deleted_at``.
"""

from __future__ import annotations

from typing import Any

from .config import ApiVersion
from .data import _CATALOG as CATALOG
from .seed_ids import CUSTOMER_GROUPS, PAYMENT_METHODS, USERS

__all__ = [
    "PRICE_LIST_SORTS", "catalog_product", "make_customer_groups", "make_payment_methods",
    "make_price_lists", "make_prices", "make_sale_types", "make_users", "make_venues",
]  # fmt: skip

_SALE_TYPES = (
    # id, name, system_type, channel, service charge rate
    (1, "In the venue", "IN", "POS", 10),
    (2, "Delivery", "DELIVERY", "DELIVERY", None),
    (3, "Takeaway", "TAKEAWAY", "POS", None),
)


def make_sale_types(venues: dict[int, str], *, flavour: ApiVersion) -> list[dict[str, Any]]:
    """The brand's sale types as the given version shows them."""
    rows = []
    for position, (sale_type_id, name, system_type, channel, rate) in enumerate(_SALE_TYPES):
        row: dict[str, Any] = {
            "id": sale_type_id,
            "name": name,
            "system_type": system_type,
            "channel": channel,
            # Takeaway is off in the second venue: the map is not all ones.
            "status": {str(venue): int(not (sale_type_id == 3 and venue != min(venues)))
                       for venue in venues},
            "service_charge_rate": rate,
            "position": position,
            "media": [],
            "created_at": "2025-01-10T09:00:00.000000Z",
            "updated_at": "2026-02-02T13:45:53.000000Z",
        }
        if flavour == "v1":
            row.update(payment_method_id=None, deleted_at=None,
                       created_at="2025-01-10 09:00:00", updated_at="2026-02-02 13:45:53")
        rows.append(row)
    return rows


# -- venues, users, payment methods, customer groups, price lists ------------------------
# Ids come from `seed_ids` (receipts and customers point at them), venue ids from the config
# (orders are spread over them) and priced products from the orders' catalogue.

_V1_CREATED, _V1_UPDATED = "2025-01-10 09:00:00", "2026-02-02 13:45:53"
_V2_CREATED, _V2_UPDATED = "2025-01-10T09:00:00.000000Z", "2026-02-02T13:45:53.000000Z"


def _stamps(flavour: ApiVersion) -> dict[str, str]:
    if flavour == "v1":
        return {"created_at": _V1_CREATED, "updated_at": _V1_UPDATED}
    return {"created_at": _V2_CREATED, "updated_at": _V2_UPDATED}


def make_venues(venues: dict[int, str], *, flavour: ApiVersion) -> list[dict[str, Any]]:
    """The configured venues: v1 in the older documented shape ``{id, name, address, status,
    phone, email}``, v2 in the newer ``{id, name, is_main, media}`` (REFERENCE §4.8)."""
    main = min(venues)
    if flavour == "v1":
        return [{"id": venue_id, "name": name, "address": f"{venue_id} Nizami St, Baku",
                 "status": 1, "phone": f"+99450000000{venue_id}",
                 "email": f"venue{venue_id}@example.com"}
                for venue_id, name in venues.items()]
    return [{"id": venue_id, "name": name, "is_main": int(venue_id == main), "media": []}
            for venue_id, name in venues.items()]


_USER_NAMES = {"owner": ("Rahid", "Akhundzada"), "cashier": ("Aysel", "Mammadova"),
               "waiter": ("Murad", "Huseynov")}


def make_users(*, flavour: ApiVersion) -> list[dict[str, Any]]:
    """`seed_ids.USERS` with the documented v2 fields; v1 adds the peer SDK's cashier fields."""
    rows = []
    for user_id, username, owner in USERS:
        first, last = _USER_NAMES.get(username, (username.title(), ""))
        row: dict[str, Any] = {
            "id": user_id, "email": f"{username}@example.com", "username": username,
            "first_name": first, "last_name": last, "mobile_number": f"+99455000000{user_id}",
            "owner": owner, "status": True, **_stamps(flavour),
        }
        if flavour == "v1":
            row.update(pin=f"{user_id:04d}", card=None, hide=0, salary="0.00", barcode=None,
                       tip_message=None, can_receive_tips=0, login_at=None,
                       bonus_balance_id=None, properties=[], image=None)
        rows.append(row)
    return rows


def make_payment_methods(venues: dict[int, str], *, flavour: ApiVersion) -> list[dict[str, Any]]:
    """`seed_ids.PAYMENT_METHODS`: a per-venue ``status`` map, a CASH/CARD ``balance`` or null,
    and the loyalty ``service`` on the balance-less (bonus) method (REFERENCE §4.11)."""
    rows = []
    for position, (method_id, name, balance_type) in enumerate(PAYMENT_METHODS):
        balance = None if balance_type is None else {
            "id": method_id, "system_type": balance_type.lower(), "name": name,
            "type": balance_type}
        rows.append({
            "id": method_id, "name": name, "status": {str(venue): 1 for venue in venues},
            "split": int(balance_type == "CARD"), "position": position,
            "customer_required": int(balance_type is None), "is_system": int(position < 2),
            "balance_id": None if balance is None else method_id, "balance": balance,
            "service": {"name": "loyalty", "check": [], "payload": []}
            if balance_type is None else None,
            **_stamps(flavour),
        })
    return rows


def make_customer_groups(*, flavour: ApiVersion) -> list[dict[str, Any]]:
    """`seed_ids.CUSTOMER_GROUPS` with the documented fields (REFERENCE §4.3): the system
    group without a discount, the others 10 percent."""
    return [{"id": group_id, "name": name, "discount_type": None if system_type else 1,
             "discount_value": 0 if system_type else 10, "system_type": system_type,
             **_stamps(flavour), "deleted_at": None}
            for group_id, name, system_type in CUSTOMER_GROUPS]


# (id, name, description, markup): every list prices every catalogue product.
_PRICE_LISTS = ((1, "Base", None, 1.0), (2, "Delivery", "Marketplace prices", 1.1))
PRICE_LIST_SORTS = ("id", "name", "created_at")


def make_price_lists() -> list[dict[str, Any]]:
    """The v2 price lists (REFERENCE §4.12), without their ``prices`` (a relation)."""
    return [{"id": list_id, "name": name, "description": description, "status": True,
             **_stamps("v2")} for list_id, name, description, _ in _PRICE_LISTS]


def make_prices() -> list[dict[str, Any]]:
    """One price per (list, catalogue product): the orders' products, so references resolve."""
    rows: list[dict[str, Any]] = []
    for list_id, _, _, markup in _PRICE_LISTS:
        for product_id, _name, price in CATALOG:
            rows.append({"id": len(rows) + 1, "list_id": list_id, "product_id": product_id,
                         "price": round(price * markup, 2)})
    return rows


def catalog_product(product_id: Any) -> dict[str, Any] | None:
    """The catalogue product a price names, as a ``with[]=product`` embeds it."""
    for pid, name, price in CATALOG:
        if pid == product_id:
            return {"id": pid, "name": name, "price": price}
    return None
