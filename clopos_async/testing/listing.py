"""List-orders query rules: parameter validation, filtering, sorting, relation embedding.

Input is the decoded PHP query (see ``php_query``); every rejection is the documented 400
``invalid_parameter`` envelope so clients can test their argument handling against it.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .config import ApiRules
from .responses import invalid_parameter
from .store import OrderStore
from .timestamps import parse_date, parse_timestamp

__all__ = [
    "SORT_FIELDS",
    "ListQuery",
    "SelectionCache",
    "parse_list_query",
    "parse_relations",
    "render_order",
    "select_orders",
]

Order = dict[str, Any]
# relation name -> selected columns (None: all columns), e.g. {"receipt": ("id", "status")}
Relations = dict[str, "tuple[str, ...] | None"]

RELATIONS = ("customer", "receipt")
SORT_FIELDS = ("id", "created_at", "updated_at")
FILTER_FIELDS = frozenset({"sale_type_id", "venue_id", "status", "type", "customer_id", "id"})
_BAD_FILTER = "Invalid filter parameters"


@dataclass(frozen=True)
class ListQuery:
    """A validated list request."""

    page: int
    limit: int
    status: str | None  # in the stored (v2) vocabulary
    relations: tuple[tuple[str, tuple[str, ...] | None], ...]
    date_from: float | None  # epoch, inclusive
    date_to: float | None  # epoch, exclusive (start of the day after date[1])
    sort_field: str
    descending: bool
    filters: tuple[tuple[str, frozenset[str]], ...]

    def selection_key(self, venue: str | None) -> tuple[Any, ...]:
        """Everything that decides which orders match and in what order (not the page)."""
        return (
            venue,
            self.status,
            self.date_from,
            self.date_to,
            self.sort_field,
            self.descending,
            self.filters,
        )


def _as_list(value: Any) -> list[Any] | None:
    """A PHP array as a list in index order; ``None`` if it is not an indexed array."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and all(isinstance(k, int) for k in value):
        return [value[k] for k in sorted(value)]
    return None


def _int_param(params: dict[str, Any], name: str, default: int) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def parse_relations(value: Any) -> Relations:
    """Parse ``with[]`` values such as ``receipt:id,service_notification_id,status``."""
    if value is None or value == "":
        return {}
    items = [value] if isinstance(value, str) else _as_list(value)
    if items is None or not all(isinstance(item, str) for item in items):
        raise invalid_parameter("with must be a list of relations")
    relations: Relations = {}
    for item in items:
        name, _, columns = item.partition(":")
        name = name.strip()
        if name not in RELATIONS:
            raise invalid_parameter(f"with must be one of {', '.join(RELATIONS)}")
        selected = tuple(c.strip() for c in columns.split(",") if c.strip())
        relations[name] = selected or None
    return relations


def _date_bound(values: list[Any], index: int) -> float | None:
    if index >= len(values) or values[index] in (None, ""):
        return None
    value = values[index]
    try:
        day = parse_date(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise invalid_parameter(f"date[{index}] must be a date in YYYY-MM-DD format")
    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()
    return start + index * 86_400  # date[1] is inclusive: up to the next midnight


def _parse_filters(
    value: Any, fields: frozenset[str] = FILTER_FIELDS
) -> tuple[tuple[str, frozenset[str]], ...]:
    """``filters[N][0]=field&filters[N][1]=value`` (or ``[1][M]``: IN) as (field, values)."""
    if value is None or value == "":
        return ()
    entries = _as_list(value)
    if entries is None:
        raise invalid_parameter(_BAD_FILTER)
    parsed: list[tuple[str, frozenset[str]]] = []
    for entry in entries:
        pair = _as_list(entry)
        if pair is None or len(pair) != 2 or not isinstance(pair[0], str):
            raise invalid_parameter(_BAD_FILTER)
        if pair[0] not in fields:
            raise invalid_parameter(_BAD_FILTER)
        raw = pair[1]
        values = [raw] if isinstance(raw, str) else _as_list(raw)
        if values is None or not all(isinstance(v, str) for v in values):
            raise invalid_parameter(_BAD_FILTER)
        parsed.append((pair[0], frozenset(values)))  # a list value means IN
    return tuple(parsed)


def parse_list_query(params: dict[str, Any], rules: ApiRules) -> ListQuery:
    """Validate a decoded list query against ``rules``; raise the documented 400 otherwise."""
    page, limit = page_and_limit(params, rules.limit_default, rules.limit_max)

    status = params.get("status")
    if status in (None, ""):
        stored_status = None
    elif isinstance(status, str) and status in rules.status_filter:
        stored_status = rules.status_filter[status]
    else:
        raise invalid_parameter(rules.status_message)

    relations = parse_relations(params.get("with"))

    date_from = date_to = None
    if params.get("date") not in (None, ""):
        dates = _as_list(params["date"])
        if dates is None:
            raise invalid_parameter("date must be date[0]=YYYY-MM-DD&date[1]=YYYY-MM-DD")
        date_from, date_to = _date_bound(dates, 0), _date_bound(dates, 1)

    # Documented default: newest first.
    sort_field, descending = parse_sort(params, SORT_FIELDS, default="created_at")

    return ListQuery(
        page=page,
        limit=limit,
        status=stored_status,
        relations=tuple(relations.items()),
        date_from=date_from,
        date_to=date_to,
        sort_field=sort_field,
        descending=descending,
        filters=_parse_filters(params.get("filters")),
    )


def page_and_limit(params: dict[str, Any], default: int, maximum: int) -> tuple[int, int]:
    """``page`` (from 1) and ``limit`` (1..``maximum``), or the documented 400."""
    page = _int_param(params, "page", 1)
    if page is None or page < 1:
        raise invalid_parameter(
            "The 'page' parameter must be an integer greater than or equal to 1")
    limit = _int_param(params, "limit", default)
    if limit is None or not 1 <= limit <= maximum:
        raise invalid_parameter(f"The 'limit' parameter must be between 1 and {maximum}")
    return page, limit


def parse_sort(params: dict[str, Any], allowed: tuple[str, ...], *,
               default: str) -> tuple[str, bool]:
    """``sort[0]=<field>&sort[1]=<1|-1>`` as (field, descending); descending by default."""
    if params.get("sort") in (None, ""):
        return default, True
    sort = _as_list(params["sort"])
    if not sort or sort[0] not in allowed:
        raise invalid_parameter(f"sort[0] must be one of {', '.join(allowed)}")
    direction = sort[1] if len(sort) > 1 else "-1"
    if direction not in ("1", "-1"):
        raise invalid_parameter("sort[1] must be 1 or -1")
    return sort[0], direction == "-1"


def _field(order: Order, name: str) -> Any:
    """Read a filterable field; some live in the payload depending on the order's flavour."""
    if name not in ("sale_type_id", "customer_id"):
        return order.get(name)
    payload = order.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    if name == "sale_type_id":
        service = payload.get("service")
        if isinstance(service, dict) and service.get("sale_type_id") is not None:
            return service["sale_type_id"]
        return payload.get("sale_type_id", order.get("sale_type_id"))
    if payload.get("customer_id") is not None:
        return payload["customer_id"]
    customer = payload.get("customer")
    if isinstance(customer, dict) and customer.get("id") is not None:
        return customer["id"]
    return order.get("customer_id")


def _id_key(value: Any) -> tuple[int, float, str]:
    # Ids may be ints or strings (REFERENCE §2.8); numbers sort before strings, each naturally.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _filter_check(name: str, wanted: frozenset[str]) -> Callable[[Order], bool]:
    # Query values are strings; compare the stored value's text so 2 matches "2".
    return lambda order: str(_field(order, name)) in wanted


def select_orders(orders: Iterable[Order], query: ListQuery, venue: str | None) -> list[Order]:
    """Return the matching orders, sorted (ties broken by id, so the order is total)."""
    checks: list[Callable[[Order], bool]] = []
    if venue is not None:
        checks.append(lambda o: str(o.get("venue_id")) == venue)
    if query.status is not None:
        checks.append(lambda o: o.get("status") == query.status)
    if query.date_from is not None or query.date_to is not None:
        low = -math.inf if query.date_from is None else query.date_from
        high = math.inf if query.date_to is None else query.date_to
        checks.append(lambda o: low <= parse_timestamp(o.get("created_at")) < high)
    checks.extend(_filter_check(name, wanted) for name, wanted in query.filters)
    rows = [o for o in orders if all(check(o) for check in checks)]

    field = query.sort_field
    if field == "id":
        rows.sort(key=lambda o: _id_key(o.get("id")), reverse=query.descending)
    else:
        rows.sort(
            key=lambda o: (parse_timestamp(o.get(field)), _id_key(o.get("id"))),
            reverse=query.descending,
        )
    return rows


class SelectionCache:
    """Remember recent selections of big stores so paging through 100k orders stays fast.

    Stores below ``min_orders`` are never cached, so tests that edit order dicts in place always
    see fresh results. Bigger stores are re-selected when ``OrderStore.version`` or the number of
    orders changes; after in-place edits of a big store, call ``OrderStore.touch()``.
    """

    def __init__(self, max_entries: int = 16, min_orders: int = 5_000) -> None:
        self._entries: OrderedDict[tuple[Any, ...], list[Order]] = OrderedDict()
        self._stamp: tuple[int, int] = (-1, -1)
        self._max_entries = max_entries
        self._min_orders = min_orders

    def select(self, store: OrderStore, query: ListQuery, venue: str | None) -> list[Order]:
        if len(store.orders) < self._min_orders:
            return select_orders(store.orders.values(), query, venue)
        stamp = (store.version, len(store.orders))
        if stamp != self._stamp:
            self._entries.clear()
            self._stamp = stamp
        key = query.selection_key(venue)
        rows = self._entries.get(key)
        if rows is None:
            rows = select_orders(store.orders.values(), query, venue)
            self._entries[key] = rows
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return rows


def _columns(obj: Any, columns: tuple[str, ...] | None) -> Any:
    if obj == []:
        return []  # an empty relation, as Laravel serialises it
    if not isinstance(obj, dict):
        return None  # the documented "receipt": null for orders without one
    if columns is None:
        return dict(obj)
    return {c: obj[c] for c in columns if c in obj}


def render_order(order: Order, relations: Relations, *, with_payload: bool = True) -> Order:
    """Return the order as the API shows it: no stored receipt unless embedded via ``with``."""
    out = {k: v for k, v in order.items() if k != "receipt"}
    if not with_payload:
        out.pop("payload", None)
    if "customer" in relations:
        payload = order.get("payload")
        customer = payload.get("customer") if isinstance(payload, dict) else None
        out["customer"] = _columns(customer, relations["customer"])
    if "receipt" in relations:
        out["receipt"] = _columns(order.get("receipt"), relations["receipt"])
    return out
