"""``clopos.orders``: list, get, create and ignore orders (REFERENCE §3)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from ..models.enums import OrderStatus
from ..models.new_order import NewOrder
from ..models.orders import Order
from ..models.page import Page
from ..pagination import AsyncPaginator
from ..query import DateLike, Filters, QueryPairs, encode_list_query, parse_sort
from ..serde import StructureError, structure, structure_created_order
from ..versions import OrderId
from ..wire import validation_error
from .page_items import typed_page_items
from .watch import OrderEvent, watch_orders

if TYPE_CHECKING:
    from ..client import AsyncClopos, Reply

__all__ = ["ORDER_SORT_FIELDS", "OrdersResource"]

# The `sorts` the API reports for orders (REFERENCE §2.1, §3.3).
ORDER_SORT_FIELDS = ("id", "created_at", "updated_at")
# The only relation selector get-order supports (REFERENCE §3.4).
RECEIPT_SELECTOR = "receipt:id,service_notification_id,status"
DEFAULT_LIMIT = 50

T = TypeVar("T")


def _check_int(name: str, value: object, *, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        allowed = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
        raise ValueError(f"{name} must be {allowed}, got {value}")
    return value


def _check_order_id(order_id: object) -> OrderId:
    if isinstance(order_id, bool) or not isinstance(order_id, (int, str)):
        raise TypeError(f"order_id must be an int or str, got {type(order_id).__name__}")
    if isinstance(order_id, str) and not order_id.strip():
        raise ValueError("order_id must not be empty")
    return order_id


def _structured(reply: Reply, build: Callable[[Any], T]) -> T:
    """Structure a reply's data, turning a shape mismatch into ResponseValidationError."""
    try:
        return build(reply.envelope.data)
    except StructureError as exc:
        raise validation_error(
            f"unexpected response shape: {exc}", reply.response.body, reply.response.status,
            method=reply.method, path=reply.path,
        ) from exc


class OrdersResource:
    """Orders of the client's brand (and venue, when one is set)."""

    def __init__(self, client: AsyncClopos) -> None:
        self._client = client
        self._version = client.version

    def _list_query(
        self,
        *,
        limit: int,
        status: str | OrderStatus | None,
        with_: str | Iterable[str] | None,
        date_from: DateLike | None,
        date_to: DateLike | None,
        sort: str | None,
        filters: Filters | None,
    ) -> QueryPairs:
        """Validate list arguments and encode them (without the page number)."""
        _check_int("limit", limit, minimum=1, maximum=self._version.max_limit)
        if sort is not None and parse_sort(sort)[0] not in ORDER_SORT_FIELDS:
            raise ValueError(
                f"sort must name one of {', '.join(ORDER_SORT_FIELDS)} "
                f"(prefix '-' for descending), got {sort!r}"
            )
        return encode_list_query(
            limit=limit,
            status=self._version.wire_status(status) if status is not None else None,
            with_=with_,
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            filters=filters,
        )

    async def _fetch_page(self, number: int, limit: int, query: QueryPairs) -> Page[Order]:
        path = self._version.orders_path()
        reply = await self._client.request("GET", path, params=[("page", str(number)), *query])
        envelope = reply.envelope
        # Data that is not a list fails the page; an order that does not fit is degraded
        # rather than failing it (unless strict).
        items, degraded = _structured(reply, lambda data: typed_page_items(
            data, Order, strict=self._client.strict, page=number))
        return Page(
            items=items,
            page=envelope.page if envelope.page is not None else number,
            limit=envelope.per_page or limit,
            total=envelope.total,
            server_total_pages=envelope.total_pages,
            raw_items=envelope.data,
            degraded=degraded,
        )

    async def list_page(
        self,
        *,
        page: int = 1,
        limit: int = DEFAULT_LIMIT,
        status: str | OrderStatus | None = None,
        with_: str | Iterable[str] | None = None,
        date_from: DateLike | None = None,
        date_to: DateLike | None = None,
        sort: str | None = None,
        filters: Filters | None = None,
    ) -> Page[Order]:
        """Fetch one page of orders.

        Example::

            page = await clopos.orders.list_page(page=1, limit=50, status="PENDING")
            print(page.total, page.has_next, [o.id for o in page.items])
        """
        _check_int("page", page, minimum=1)
        query = self._list_query(
            limit=limit, status=status, with_=with_, date_from=date_from, date_to=date_to,
            sort=sort, filters=filters,
        )
        return await self._fetch_page(page, limit, query)

    def list(
        self,
        *,
        limit: int = DEFAULT_LIMIT,
        status: str | OrderStatus | None = None,
        with_: str | Iterable[str] | None = None,
        date_from: DateLike | None = None,
        date_to: DateLike | None = None,
        sort: str | None = None,
        filters: Filters | None = None,
        start_page: int = 1,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> AsyncPaginator[Order]:
        """Iterate over every matching order, page by page.

        Arguments are checked now, before anything is sent. Example::

            async for order in clopos.orders.list(status="DELIVERED", limit=100):
                ...
            orders = await clopos.orders.list(limit=100, concurrency=8).collect()
        """
        _check_int("start_page", start_page, minimum=1)
        if max_items is not None:
            _check_int("max_items", max_items, minimum=1)
        _check_int("concurrency", concurrency, minimum=1, maximum=64)
        query = self._list_query(
            limit=limit, status=status, with_=with_, date_from=date_from, date_to=date_to,
            sort=sort, filters=filters,
        )

        async def fetch(number: int) -> Page[Order]:
            return await self._fetch_page(number, limit, query)

        return AsyncPaginator(
            fetch, limit=limit, start_page=start_page, max_items=max_items,
            concurrency=concurrency,
        )

    def watch(
        self,
        *,
        status: str | OrderStatus | None = None,
        interval: float = 5.0,
        window: timedelta = timedelta(days=1),
        include_existing: bool = False,
        limit: int = DEFAULT_LIMIT,
    ) -> AsyncGenerator[OrderEvent, None]:
        """Poll for new orders and status changes; one `OrderEvent` each, exactly once.

        The first poll takes stock (``include_existing=True`` reports those orders as
        created too); later polls report what changed, every ``interval`` seconds, among
        orders created within ``window`` (whole UTC days). Transient failures are logged
        and retried at the next poll; authentication and permission errors end the watch.
        Example::

            async for event in clopos.orders.watch(interval=5):
                print(event.kind, event.order.id, event.previous_status, event.order.status)
        """
        if isinstance(interval, bool) or not isinstance(interval, (int, float)) or interval <= 0:
            raise ValueError(f"interval must be a positive number of seconds, got {interval!r}")
        if not isinstance(window, timedelta) or window <= timedelta(0):
            raise ValueError(f"window must be a positive timedelta, got {window!r}")
        self._list_query(limit=limit, status=status, with_=None, date_from=None, date_to=None,
                         sort=None, filters=None)  # validate now, before the first poll
        return watch_orders(self, status=status, interval=float(interval), window=window,
                            include_existing=include_existing, limit=limit)

    async def get(self, order_id: OrderId, *, with_receipt: bool = False) -> Order:
        """Fetch one order; ``with_receipt=True`` embeds its receipt (``order.receipt``).

        Example::

            order = await clopos.orders.get(108, with_receipt=True)
            if order.receipt is not None:
                print(order.receipt.id)
        """
        path = self._version.orders_path(_check_order_id(order_id))
        params = [("with[0]", RECEIPT_SELECTOR)] if with_receipt else []
        reply = await self._client.request("GET", path, params=params)
        # The documented GET example has the create-shaped body (the id only in payload.id).
        return _structured(reply, structure_created_order)

    async def create(
        self, order: NewOrder | Mapping[str, object], *, idempotency_key: str | None = None
    ) -> Order:
        """Create an order from a `NewOrder` (translated for v1) or a raw dict (sent as is).

        Every attempt carries the same Idempotency-Key: yours, else a new uuid4. Example::

            order = await clopos.orders.create(NewOrder(...), idempotency_key="pos-1024")
        """
        if idempotency_key is not None and (
            not isinstance(idempotency_key, str) or not idempotency_key.strip()
        ):
            raise ValueError("idempotency_key must be a non-empty string")
        body = self._version.create_body(order)
        reply = await self._client.request(
            "POST", self._version.orders_path(), json=body, idempotency_key=idempotency_key
        )
        return _structured(reply, structure_created_order)

    async def ignore(self, order_id: OrderId) -> Order:
        """Set an order's status to IGNORE (cancel it), the only status the API lets you set.

        Example::

            order = await clopos.orders.ignore(108)
            assert order.status == OrderStatus.IGNORE
        """
        path = self._version.orders_path(_check_order_id(order_id))
        reply = await self._client.request("PUT", path, json={"status": "IGNORE"})
        return _structured(reply, lambda data: structure(data, Order))
