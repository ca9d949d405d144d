"""Receipt and customer routes of FakeClopos (REFERENCE §4.1, §4.2), both versions.

Every documented operation with its validation and error bodies: close on a closed receipt,
``closed_at`` before ``created_at``, a duplicate receipt ``cid`` (409), a duplicate customer
phone (409 ``duplicate_phone``), the swapped ``message``/``error`` of the customer 400.
Where the docs are silent (the SDK must not depend on these): a closed receipt cannot be
closed again (400 ``validation_failed``, "Receipt is already closed"); a duplicate customer
``cid`` or ``code`` is a 409 like the phone; ``POST receipts`` ignores ``Idempotency-Key``
(only the cid protects it); v2 ``x-venue`` scopes receipts, not customers (brand-wide).
"""

from __future__ import annotations

import math
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from .auth import current_auth
from .config import ApiVersion
from .counters import FakeCounters
from .listing import _as_list, _date_bound, _id_key, _int_param
from .php_query import parse_php_query
from .responses import FakeApiError, api_error, json_response, read_json_object
from .sales_data import (
    close,
    customer_relations,
    make_customers,
    make_receipts,
    new_customer,
    new_receipt,
    receipt_lines,
    render_receipt,
    stock_operations_for,
)
from .seed_ids import CUSTOMER_GROUPS, PAYMENT_METHODS, USERS
from .timestamps import envelope_now, format_iso, format_space, parse_timestamp

__all__ = ["CustomersApi", "ReceiptsApi", "SalesStore"]

Item = dict[str, Any]

RECEIPT_RELATIONS = (
    "receipt_products", "receipt_products.modificators", "receipt_products.product.unit",
    "receipt_products.product.station", "receipt_products.modificators.modificator_group",
)
RECEIPT_SORTS = ("id", "created_at", "updated_at", "closed_at", "total")
RECEIPT_FILTERS = frozenset({"status", "sale_type_id", "terminal_id", "customer_id", "venue_id"})
RECEIPT_ORDER_STATUSES = ("NEW", "SCHEDULED", "IN_PROGRESS", "READY", "PICKED_UP",
                          "COMPLETED", "CANCELLED")
CUSTOMER_SORTS = ("id", "cid", "group_id", "name", "email", "address", "created_at",
                  "updated_at")
CUSTOMER_RELATIONS: dict[ApiVersion, tuple[str, ...]] = {
    "v1": ("group", "balance", "cashback_balance"), "v2": ("group",)}
CUSTOMER_LIMITS: dict[ApiVersion, tuple[int, int]] = {"v1": (20, 100), "v2": (50, 999)}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}")
_SPACE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _invalid(message: str) -> FakeApiError:
    return api_error(400, "invalid_parameter", message)


def _failed(message: str) -> FakeApiError:
    return api_error(400, "validation_failed", message)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class SalesStore:
    """Receipts, customers and stock operations, seeded from the orders on first use.

    ``closings``/``creations`` count effects per receipt id / cid, so tests can see a
    duplicate even where the API would hide it.
    """

    def __init__(self, orders: Callable[[], Iterable[Item]], *, seed: int,
                 counters: FakeCounters) -> None:
        self._orders = orders
        self._seed = seed
        self._counters = counters
        self._receipts: dict[Any, Item] | None = None
        self._customers: dict[Any, Item] = {}
        self.stock_operations: dict[Any, list[Item]] = {}
        self.rolled_back: dict[Any, list[Item]] = {}  # deleted receipts' stock operations
        self.closings: Counter[Any] = Counter()
        self.creations: Counter[str] = Counter()

    @property
    def receipts(self) -> dict[Any, Item]:
        """id -> stored receipt (seeded from the orders the first time it is read)."""
        if self._receipts is None:
            orders = list(self._orders())
            self._receipts = make_receipts(orders, seed=self._seed)
            self._customers = make_customers(orders, seed=self._seed)
            for receipt in self._receipts.values():
                if receipt["status"] == 2:
                    self._record_stock(receipt)
        return self._receipts

    @property
    def customers(self) -> dict[Any, Item]:
        """id -> stored customer."""
        self.receipts  # noqa: B018 (seeds both on first use)
        return self._customers

    def receipt(self, receipt_id: Any) -> Item | None:
        """A receipt by path id (``"7"`` finds ``7``)."""
        found = self.receipts.get(receipt_id)
        if found is None and isinstance(receipt_id, str) and receipt_id.isdigit():
            found = self.receipts.get(int(receipt_id))
        return found

    def next_receipt_id(self) -> int:
        return max((k for k in self.receipts if isinstance(k, int)), default=0) + 1

    def add_receipt(self, **fields: Any) -> Item:
        """Store a new open receipt (a POS opening one), updated with ``fields``."""
        receipt_id = fields.pop("id", None) or self.next_receipt_id()
        created_at = fields.pop("created_at", None) or format_space(time.time() - 60)
        lines = receipt_lines(receipt_id, fields.pop("receipt_products", None) or [
            {"product_id": 51, "count": 2, "price": 8.5}], _rng(receipt_id), created_at)
        subtotal = round(sum(line["subtotal"] for line in lines), 2)
        receipt = new_receipt(receipt_id, cid=str(uuid.uuid4()), venue_id=1, customer_id=None,
                              sale_type_id=1, created_at=created_at, lines=lines,
                              total=subtotal, subtotal=subtotal)
        receipt.update(fields)
        self.receipts[receipt_id] = receipt
        return receipt

    def close(self, receipt: Item, payments: list[Item], closed_at: str | None) -> None:
        """Close an open receipt (payments, time, stock deductions)."""
        close(receipt, payments, closed_at or format_space(time.time()))
        self.closings[receipt["id"]] += 1
        self._record_stock(receipt)

    def _record_stock(self, receipt: Item) -> None:
        first = sum(len(ops) for ops in self.stock_operations.values()) + 1
        self.stock_operations[receipt["id"]] = stock_operations_for(receipt, first * 1000)

    def delete(self, receipt: Item) -> None:
        """Remove a receipt, rolling back its stock operations."""
        del self.receipts[receipt["id"]]
        self.rolled_back[receipt["id"]] = self.stock_operations.pop(receipt["id"], [])


def _rng(seed: Any) -> random.Random:
    return random.Random(str(seed))


def _check_payments(body: Item) -> list[Item]:
    payments = body.get("payment_methods")
    if not isinstance(payments, list) or not payments:
        raise _failed("The payment methods field is required.")
    known = {method[0] for method in PAYMENT_METHODS}
    checked = []
    for index, payment in enumerate(payments):
        where = f"payment_methods.{index}"
        if not isinstance(payment, dict):
            raise _failed(f"{where} must be an object")
        if not _is_number(payment.get("id")) or payment["id"] not in known:
            raise _failed(f"The selected {where}.id is invalid.")
        if not isinstance(payment.get("name"), str):
            raise _failed(f"{where}.name must be a string")
        if not _is_number(payment.get("amount")) or payment["amount"] < 0:
            raise _failed(f"{where}.amount must be a number greater than or equal to 0")
        checked.append({"id": payment["id"], "name": payment["name"],
                        "amount": payment["amount"]})
    return checked


def _closed_at(body: Item, created_at: str) -> str | None:
    value = body.get("closed_at")
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _SPACE_TIME.fullmatch(value):
        raise _failed("closed_at must be a date in YYYY-MM-DD HH:mm:ss format")
    if parse_timestamp(value) <= parse_timestamp(created_at):
        raise _failed("closed_at must be greater than created_at")
    return value


def _envelope(data: Any, message: str | None = None) -> Item:
    stamp, unix = envelope_now()
    body: Item = {"success": True}
    if message is not None:
        body["message"] = message
    body.update(data=data, timestamp=stamp, unix=unix)
    return body


def _page_answer(version: ApiVersion, rows: list[Item], page: int, limit: int) -> Item:
    data = rows[(page - 1) * limit: page * limit]
    stamp, unix = envelope_now()
    if version == "v1":
        pagination = {"page": page, "per_page": limit, "total": len(rows),
                      "total_pages": max(1, math.ceil(len(rows) / limit))}
        return {"success": True, "data": data, "pagination": pagination}
    return {"success": True, "data": data, "total": len(rows), "timestamp": stamp, "unix": unix}


def _page_and_limit(params: Item, default: int, maximum: int) -> tuple[int, int]:
    page = _int_param(params, "page", 1)
    if page is None or page < 1:
        raise _invalid("The 'page' parameter must be an integer greater than or equal to 1")
    limit = _int_param(params, "limit", default)
    if limit is None or not 1 <= limit <= maximum:
        raise _invalid(f"The 'limit' parameter must be between 1 and {maximum}")
    return page, limit


def _relations(params: Item, allowed: tuple[str, ...]) -> list[str]:
    value = params.get("with")
    wanted = _as_list(value) if isinstance(value, (list, dict)) else [value] if value else []
    if wanted is None or any(name not in allowed for name in wanted):
        raise _invalid(f"with must be one of {', '.join(allowed)}")
    return wanted


def _sort(params: Item, allowed: tuple[str, ...], default: str) -> tuple[str, bool]:
    if params.get("sort") in (None, ""):
        return default, True
    sort = _as_list(params["sort"])
    if not sort or sort[0] not in allowed:
        raise _invalid(f"sort[0] must be one of {', '.join(allowed)}")
    direction = sort[1] if len(sort) > 1 else "-1"
    if direction not in ("1", "-1"):
        raise _invalid("sort[1] must be 1 or -1")
    return sort[0], direction == "-1"


def _filters(params: Item, allowed: frozenset[str]) -> list[tuple[str, set[str]]]:
    value = params.get("filters")
    if value in (None, ""):
        return []
    entries = _as_list(value)
    parsed = []
    for entry in entries or [None]:
        pair = _as_list(entry)
        if pair is None or len(pair) != 2 or pair[0] not in allowed:
            raise _invalid("Invalid filter parameters")
        raw = pair[1]
        values = [raw] if isinstance(raw, str) else _as_list(raw)
        if not values or not all(isinstance(v, str) for v in values):
            raise _invalid("Invalid filter parameters")
        parsed.append((pair[0], set(values)))
    return parsed


def _sort_rows(rows: list[Item], field: str, descending: bool) -> None:
    if field == "id":
        rows.sort(key=lambda r: _id_key(r["id"]), reverse=descending)
    elif field in ("created_at", "updated_at", "closed_at"):
        rows.sort(key=lambda r: (parse_timestamp(r.get(field)), _id_key(r["id"])),
                  reverse=descending)
    elif field == "total":
        rows.sort(key=lambda r: (r.get(field) or 0, _id_key(r["id"])), reverse=descending)
    else:
        rows.sort(key=lambda r: (str(r.get(field) or ""), _id_key(r["id"])),
                  reverse=descending)


class ReceiptsApi:
    """The receipt routes of one API version."""

    def __init__(self, version: ApiVersion, store: SalesStore, counters: FakeCounters) -> None:
        self._version = version
        self._store = store
        self._counters = counters

    def _visible(self, receipt: Item | None) -> Item:
        venue = current_auth().venue
        if receipt is None or (venue is not None and str(receipt.get("venue_id")) != venue):
            raise api_error(404, "not_found", "Receipt not found")
        return receipt

    def _one(self, request: web.Request) -> Item:
        return self._visible(self._store.receipt(request.match_info["receipt_id"]))

    def _show(self, receipt: Item, relations: Iterable[str] = ()) -> Item:
        with_lines = any(name.startswith("receipt_products") for name in relations)
        return render_receipt(receipt, version=self._version, with_lines=with_lines)

    async def list_receipts(self, request: web.Request) -> web.Response:
        params = parse_php_query(request.query.items())
        page, limit = _page_and_limit(params, 50, 200)
        relations = _relations(params, RECEIPT_RELATIONS)
        field, descending = _sort(params, RECEIPT_SORTS, "created_at")
        filters = _filters(params, RECEIPT_FILTERS)
        low, high = -math.inf, math.inf
        if params.get("date") not in (None, ""):
            dates = _as_list(params["date"])
            if dates is None:
                raise _invalid("date must be date[0]=YYYY-MM-DD&date[1]=YYYY-MM-DD")
            low = _date_bound(dates, 0) or -math.inf
            high = _date_bound(dates, 1) or math.inf
        venue = current_auth().venue
        rows = [r for r in self._store.receipts.values()
                if (venue is None or str(r.get("venue_id")) == venue)
                and low <= parse_timestamp(r.get("created_at")) < high
                and all(str(r.get(name)) in wanted for name, wanted in filters)]
        _sort_rows(rows, field, descending)
        shown = [self._show(r, relations) for r in rows[(page - 1) * limit: page * limit]]
        answer = _page_answer(self._version, rows, page, limit)
        answer["data"] = shown
        return json_response(answer)

    async def get_receipt(self, request: web.Request) -> web.Response:
        params = parse_php_query(request.query.items())
        relations = _relations(params, RECEIPT_RELATIONS)
        return json_response(_envelope(self._show(self._one(request), relations)))

    async def get_by_cid(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        if not _UUID.fullmatch(cid):
            raise _invalid("The cid must be a valid UUID")
        found = next((r for r in self._store.receipts.values() if r.get("cid") == cid), None)
        return json_response(_envelope(self._show(self._visible(found))))

    async def stock_operations(self, request: web.Request) -> web.Response:
        receipt = self._one(request)
        # Documented without "success": {"data": [...]}.
        return json_response({"data": self._store.stock_operations.get(receipt["id"], [])})

    async def patch_receipt(self, request: web.Request) -> web.Response:
        receipt = self._one(request)
        body = await read_json_object(request)
        changes = {key: value for key, value in body.items() if key != "id"}
        unknown = set(changes) - {"order_status", "order_number", "fiscal_id", "lock"}
        if unknown:
            raise _failed(f"The {sorted(unknown)[0]} field is not allowed.")
        if "order_status" in changes and changes["order_status"] not in RECEIPT_ORDER_STATUSES:
            raise _failed("The selected order_status is invalid.")
        for name in ("order_number", "fiscal_id"):
            if name in changes and not isinstance(changes[name], (str, type(None))):
                raise _failed(f"The {name} must be a string.")
        if "lock" in changes and not isinstance(changes["lock"], bool):
            raise _failed("The lock field must be true or false.")
        receipt.update(changes)
        receipt["updated_at"] = format_space(time.time())
        return json_response(_envelope(self._show(receipt), "Operation completed successfully"))

    async def close_receipt(self, request: web.Request) -> web.Response:
        """v2 ``POST receipts/{id}/close``."""
        receipt = self._one(request)
        body = await read_json_object(request)
        payments = _check_payments(body)
        closed_at = _closed_at(body, receipt["created_at"])
        if receipt["status"] != 1:
            raise _failed("Receipt is already closed")
        self._store.close(receipt, payments, closed_at)
        self._counters.receipts_closed += 1
        data = {key: receipt[key] for key in ("id", "closed_at", "payment_methods")}
        return json_response(_envelope(data, "Receipt closed"))

    async def put_receipt(self, request: web.Request) -> web.Response:
        """v1 ``PUT receipts/{id}``: id and cid must match; with payments and closed_at, a close."""
        receipt = self._one(request)
        body = await read_json_object(request)
        if str(body.get("id")) != str(receipt["id"]) or body.get("cid") != receipt["cid"]:
            raise _failed("The id and cid must match an existing receipt")
        if body.get("payment_methods") is not None or body.get("closed_at") not in (None, ""):
            payments = _check_payments(body)
            closed_at = _closed_at(body, receipt["created_at"])
            if receipt["status"] != 1:
                raise _failed("Receipt is already closed")
            self._store.close(receipt, payments, closed_at)
            self._counters.receipts_closed += 1
        for name in ("description", "order_number", "order_status", "guests"):
            if name in body:
                receipt[name] = body[name]
        return json_response(_envelope(self._show(receipt)))

    async def create_receipt(self, request: web.Request) -> web.Response:
        """v1 ``POST receipts``: stored closed; a cid already used is 409."""
        body = await read_json_object(request)
        cid = body.get("cid")
        if not isinstance(cid, str) or not _UUID.fullmatch(cid):
            raise _failed("The cid field is required and must be a UUID.")
        payments = _check_payments(body)
        if body.get("user_id") not in {user[0] for user in USERS}:
            raise _failed("The selected user id is invalid.")
        if any(r.get("cid") == cid for r in self._store.receipts.values()):
            raise api_error(409, "duplicate_cid", "Receipt with this cid already exists")
        lines = body.get("receipt_products") or []
        if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
            raise _failed("receipt_products must be an array of objects")
        now = time.time()
        created_at = body.get("created_at") or format_space(now - 1)
        if not isinstance(created_at, str) or not _SPACE_TIME.fullmatch(created_at):
            raise _failed("created_at must be a date in YYYY-MM-DD HH:mm:ss format")
        closed_at = _closed_at(body, created_at) or format_space(now)
        receipt_id = self._store.next_receipt_id()
        stored_lines = receipt_lines(receipt_id, lines, _rng(cid), created_at)
        total = body.get("total", sum(p["amount"] for p in payments))
        receipt = new_receipt(
            receipt_id, cid=cid, venue_id=int(current_auth().token.venue_id),
            customer_id=body.get("customer_id"), sale_type_id=body.get("sale_type_id"),
            created_at=created_at, lines=stored_lines, total=total,
            subtotal=body.get("subtotal", total), user_id=body["user_id"],
        )
        receipt["terminal_id"] = body.get("terminal_id")
        self._store.receipts[receipt_id] = receipt
        self._store.close(receipt, payments, closed_at)  # stored closed (REFERENCE §4.1)
        self._store.creations[cid] += 1
        self._counters.receipts_created += 1
        return json_response(_envelope(self._show(receipt, ["receipt_products"])))

    async def delete_receipt(self, request: web.Request) -> web.Response:
        """v1 ``DELETE receipts/{id}``: gone for good; its stock operations rolled back."""
        receipt = self._one(request)
        self._store.delete(receipt)
        self._counters.receipts_deleted += 1
        stamp, unix = envelope_now()
        return json_response({"success": True, "message": "Receipt removed successfully",
                              "time": 112, "timestamp": stamp, "unix": unix})


def _customer_check(name: str, wanted: set[str]) -> Callable[[Item], bool]:
    """``name`` matches part of the name (any case), ``phones`` part of any number."""
    if name == "name":
        return lambda c: any(v.lower() in (c["name"] or "").lower() for v in wanted)
    if name == "phones":
        return lambda c: any(v in phone for v in wanted for phone in c["phones"])
    return lambda c: str(c[name]) in wanted


class CustomersApi:
    """The customer routes of one API version."""

    def __init__(self, version: ApiVersion, store: SalesStore, counters: FakeCounters) -> None:
        self._version = version
        self._store = store
        self._counters = counters

    def _show(self, customer: Item, relations: Iterable[str] = ()) -> Item:
        shown = customer_relations(customer, relations)
        if self._version == "v2":
            for name in ("balance_id", "bonus_balance_id", "cashback_balance_id", "addresses",
                         "phone_verified_at", "deleted_at"):
                shown.pop(name, None)
        return shown

    async def list_customers(self, request: web.Request) -> web.Response:
        params = parse_php_query(request.query.items())
        default, maximum = CUSTOMER_LIMITS[self._version]
        page, limit = _page_and_limit(params, default, maximum)
        relations = _relations(params, CUSTOMER_RELATIONS[self._version])
        field, descending = _sort(params, CUSTOMER_SORTS, "id")
        checks = [_customer_check(name, wanted) for name, wanted
                  in _filters(params, frozenset({"name", "phones", "group_id"}))]
        rows = [c for c in self._store.customers.values() if all(check(c) for check in checks)]
        _sort_rows(rows, field, descending)
        answer = _page_answer(self._version, rows, page, limit)
        answer["data"] = [self._show(c, relations) for c in answer["data"]]
        return json_response(answer)

    async def get_customer(self, request: web.Request) -> web.Response:
        params = parse_php_query(request.query.items())
        relations = _relations(params, CUSTOMER_RELATIONS[self._version])
        raw = request.match_info["customer_id"]
        customers = self._store.customers
        found = customers.get(int(raw) if raw.isdigit() else raw)
        if found is None:
            raise api_error(404, "not_found", "Customer not found")
        return json_response(_envelope(self._show(found, relations)))

    async def create_customer(self, request: web.Request) -> web.Response:
        body = await read_json_object(request)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            # Documented with message and error swapped (REFERENCE §5.9).
            raise FakeApiError(400, {"success": False, "message": "Validation failed",
                                     "error": "The name field is required."})
        strings = ("email", "phone", "code", "cid", "description", "date_of_birth")
        for field in strings:
            if body.get(field) is not None and not isinstance(body[field], str):
                raise FakeApiError(400, {"success": False, "message": "Validation failed",
                                         "error": f"The {field} must be a string."})
        if body.get("gender") not in (None, 1, 2):
            raise FakeApiError(400, {"success": False, "message": "Validation failed",
                                     "error": "The selected gender is invalid."})
        birth = body.get("date_of_birth")
        if birth is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", birth):
            raise FakeApiError(400, {"success": False, "message": "Validation failed",
                                     "error": "The date of birth must be a date (YYYY-MM-DD)."})
        group_id = body.get("group_id")
        if group_id is not None and group_id not in {group[0] for group in CUSTOMER_GROUPS}:
            raise FakeApiError(400, {"success": False, "message": "Validation failed",
                                     "error": "The selected group id is invalid."})
        cid = body.get("cid") or str(uuid.uuid4())
        customers = self._store.customers
        for field, error, message in (
            ("cid", "duplicate_cid", "Customer with this cid already exists"),
            ("phone", "duplicate_phone", "Customer with this phone number already exists"),
            ("code", "duplicate_code", "Customer with this code already exists"),
        ):
            value = cid if field == "cid" else body.get(field)
            if value is not None and any(c.get(field) == value for c in customers.values()):
                raise api_error(409, error, message)
        customer_id = max((k for k in customers if isinstance(k, int)), default=0) + 1
        stamp = format_iso(time.time())
        venue = current_auth().venue or current_auth().token.venue_id
        customers[customer_id] = customer = new_customer(
            customer_id, cid=cid, venue_id=int(venue), name=name, phone=body.get("phone"),
            group_id=group_id or CUSTOMER_GROUPS[0][0], created_at=stamp,
            email=body.get("email"), code=body.get("code"), description=body.get("description"),
            gender=body.get("gender"), date_of_birth=birth,
        )
        self._store.creations[cid] += 1
        self._counters.customers_created += 1
        return json_response({"success": True, "data": self._show(customer)})  # 200, not 201
