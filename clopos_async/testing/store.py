"""The fake's in-memory state: orders (with their receipts) and replayable create responses."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .timestamps import format_like

__all__ = ["IdempotencyCache", "OrderStore", "StoredResponse"]

OrderId = int | str
Order = dict[str, Any]


def _int_ids(values: Iterable[object]) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


class OrderStore:
    """Orders keyed by their id exactly as given (``int`` or ``str``).

    Each stored order keeps its receipt under the ``"receipt"`` key (an object or ``None``); the
    handlers strip it from responses unless the request embeds it with ``with[]=receipt``.
    ``version`` changes on every mutation made through this class, which invalidates the list
    cache; call ``touch()`` after editing an order dict in place.
    """

    def __init__(self, orders: Iterable[Order]) -> None:
        self.orders: dict[OrderId, Order] = {}
        for order in orders:
            self.orders[order["id"]] = order
        self.version = 0
        self._next_id = max(_int_ids(self.orders), default=0) + 1
        receipts = (o.get("receipt") for o in self.orders.values())
        receipt_ids = _int_ids(r.get("id") for r in receipts if isinstance(r, dict))
        self._next_receipt_id = max(receipt_ids, default=0) + 1

    def touch(self) -> None:
        """Mark the store changed so cached list results are rebuilt."""
        self.version += 1

    def get(self, order_id: OrderId) -> Order | None:
        """Find an order by id; path ids arrive as strings, so ``"7"`` also finds ``7``."""
        order = self.orders.get(order_id)
        if order is None and isinstance(order_id, str):
            text = order_id.strip()
            if text.lstrip("-").isdigit():
                order = self.orders.get(int(text))
        if order is None and isinstance(order_id, int):
            order = self.orders.get(str(order_id))
        return order

    def new_id(self) -> int:
        """Return the next free integer id (skips ids users inserted by hand)."""
        while self._next_id in self.orders or str(self._next_id) in self.orders:
            self._next_id += 1
        new = self._next_id
        self._next_id += 1
        return new

    def add(self, order: Order) -> Order:
        """Insert or replace ``order`` (it must carry an ``id``)."""
        order.setdefault("receipt", None)
        self.orders[order["id"]] = order
        oid = order["id"]
        if isinstance(oid, int) and oid >= self._next_id:
            self._next_id = oid + 1
        self.touch()
        return order

    def set_status(
        self, order: Order, status: str, *, receipt: dict[str, Any] | None = None
    ) -> Order:
        """Change ``order``'s status the way the POS would, attaching a receipt when accepted.

        RECEIVED opens a receipt (status 1, ``service_notification_id`` = order id) unless one is
        given or already attached; DELIVERED closes it (status 2), creating it if needed.
        """
        now = time.time()
        order["status"] = status
        order["updated_at"] = format_like(order.get("created_at"), now)
        if receipt is not None:
            order["receipt"] = receipt
        elif status in ("RECEIVED", "DELIVERED") and not order.get("receipt"):
            order["receipt"] = {
                "id": self.new_receipt_id(),
                "service_notification_id": order["id"],
                "status": 1,
            }
        current = order.get("receipt")
        if status == "DELIVERED" and isinstance(current, dict):
            current["status"] = 2
        if status in ("RECEIVED", "DELIVERED") and "receive_user_id" in order:
            # v1-flavoured orders record who accepted them (REFERENCE §3.4 v1 examples).
            order["receive_user_id"] = order.get("receive_user_id") or 1
            order["receive_terminal_id"] = order.get("receive_terminal_id") or 1
        self.touch()
        return order

    def new_receipt_id(self) -> int:
        """Return the next free receipt id."""
        new = self._next_receipt_id
        self._next_receipt_id += 1
        return new


@dataclass(frozen=True)
class StoredResponse:
    """A create response remembered under its Idempotency-Key (the exact text, so a later
    change to the order, e.g. IGNORE, does not alter the replay)."""

    fingerprint: str
    status: int
    text: str


class IdempotencyCache:
    """Bounded LRU of Idempotency-Key -> first successful response.

    The docs do not say how long keys live; a bounded per-server store is enough for a test
    server, and the bound keeps long benchmark runs from growing without limit.
    """

    def __init__(self, max_keys: int = 10_000) -> None:
        self._entries: OrderedDict[str, StoredResponse] = OrderedDict()
        self._max_keys = max_keys

    def get(self, key: str) -> StoredResponse | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: StoredResponse) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_keys:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()
