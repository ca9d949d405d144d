"""``clopos.orders``: list, get, create and ignore orders (REFERENCE §3)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Mapping
from datetime import timedelta
from typing import Any

from ..models.enums import OrderStatus
from ..models.new_order import NewOrder
from ..models.orders import Order
from ..models.page import Page
from ..pagination import AsyncPaginator
from ..query import DateLike, Filters
from ..reply import APIResponse
from ..requester import Requester
from ..serde import structure, structure_created_order
from ..validators import check_non_empty_str, check_positive_number, invalid
from ..versions import ApiVersion, OrderId
from .base import Resource, check_id, structured
from .declaration import Listing, Param, ResourceSpec
from .watch import OrderEvent, watch_orders

__all__ = ["ORDERS", "ORDER_SORT_FIELDS", "OrdersResource", "RawOrders"]

# The `sorts` the API reports for orders (REFERENCE §2.1, §3.3).
ORDER_SORT_FIELDS = ("id", "created_at", "updated_at")
# The only relation selector get-order supports (REFERENCE §3.4).
RECEIPT_SELECTOR = "receipt:id,service_notification_id,status"
DEFAULT_LIMIT = 50


def _status(version: ApiVersion, _: str, status: Any) -> str:
    return version.wire_status(status)  # each version has its own words (REFERENCE §3.3)


ORDERS = ResourceSpec(
    name="orders",
    model=Order,
    listing=Listing(
        default_limit=DEFAULT_LIMIT,
        max_limit=100,
        with_values=None,  # relations are not enumerated by the docs: any name goes
        sort_fields=ORDER_SORT_FIELDS,
        date_range=True,
        params={"status": Param(_status, top_level=True, several=False)},
    ),
    columns=(("ID", "id"), ("STATUS", "status"), ("CREATED_AT", "created_at")),
)


def _check_order_id(order_id: object) -> OrderId:
    return check_id("order_id", order_id)


class OrdersResource(Resource[Order]):
    """Orders of the client's brand (and venue, when one is set).

    Listing comes from the shared machinery (`Resource`); create, ignore and watch are
    explicit because they are not reads.
    """

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester, ORDERS)

    @property
    def with_raw_response(self) -> RawOrders:
        """The same operations, returning `APIResponse` (typed result + status, headers, JSON).

        Example::

            raw = await clopos.orders.with_raw_response.get(108)
            print(raw.status_code, raw.json)  # the order exactly as the API sent it
        """
        return RawOrders(self)

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
    ) -> list[tuple[str, str]]:
        """Validate list arguments and encode them (without the page number)."""
        return self.list_query(limit=limit, status=status, with_=with_, date_from=date_from,
                               date_to=date_to, sort=sort, filters=filters)[1]

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
        return (await self._list_page(
            page, limit=limit, status=status, with_=with_, date_from=date_from,
            date_to=date_to, sort=sort, filters=filters,
        )).parsed

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
        return self.paginator(
            limit=limit, status=status, with_=with_, date_from=date_from, date_to=date_to,
            sort=sort, filters=filters, start_page=start_page, max_items=max_items,
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
        check_positive_number("interval", interval, unit="seconds")
        if not isinstance(window, timedelta) or window <= timedelta(0):
            invalid("window", "a positive timedelta", window)
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
        return (await self._get_order(order_id, with_receipt=with_receipt)).parsed

    async def _get_order(self, order_id: OrderId, *, with_receipt: bool) -> APIResponse[Order]:
        path = self._version.orders_path(_check_order_id(order_id))
        params = [("with[0]", RECEIPT_SELECTOR)] if with_receipt else []
        reply = await self._requester.request("GET", path, params=params)
        # The documented GET example has the create-shaped body (the id only in payload.id).
        return structured(reply, structure_created_order)

    async def create(
        self, order: NewOrder | Mapping[str, object], *, idempotency_key: str | None = None
    ) -> Order:
        """Create an order from a `NewOrder` (translated for v1) or a raw dict (sent as is).

        Every attempt carries the same Idempotency-Key: yours, else a new uuid4. Example::

            order = await clopos.orders.create(NewOrder(...), idempotency_key="pos-1024")
        """
        return (await self._create(order, idempotency_key=idempotency_key)).parsed

    async def _create(
        self, order: NewOrder | Mapping[str, object], *, idempotency_key: str | None
    ) -> APIResponse[Order]:
        if idempotency_key is not None:
            check_non_empty_str("idempotency_key", idempotency_key)
        body = self._version.create_body(order)
        reply = await self._requester.request(
            "POST", self._version.orders_path(), json=body, idempotency_key=idempotency_key
        )
        return structured(reply, structure_created_order)

    async def ignore(self, order_id: OrderId) -> Order:
        """Set an order's status to IGNORE (cancel it), the only status the API lets you set.

        Example::

            order = await clopos.orders.ignore(108)
            assert order.status == OrderStatus.IGNORE
        """
        return (await self._ignore(order_id)).parsed

    async def _ignore(self, order_id: OrderId) -> APIResponse[Order]:
        path = self._version.orders_path(_check_order_id(order_id))
        reply = await self._requester.request("PUT", path, json={"status": "IGNORE"})
        return structured(reply, lambda data: structure(data, Order))


class RawOrders:
    """``clopos.orders.with_raw_response``: every order operation, returning `APIResponse`."""

    def __init__(self, orders: OrdersResource) -> None:
        self._orders = orders

    async def list_page(self, *, page: int = 1, **arguments: Any) -> APIResponse[Page[Order]]:
        """One page of orders (the arguments of ``orders.list_page``), with its reply."""
        return await self._orders._list_page(page, **arguments)

    async def get(
        self, order_id: OrderId, *, with_receipt: bool = False
    ) -> APIResponse[Order]:
        """One order, with the reply it came in."""
        return await self._orders._get_order(order_id, with_receipt=with_receipt)

    async def create(
        self, order: NewOrder | Mapping[str, object], *, idempotency_key: str | None = None
    ) -> APIResponse[Order]:
        """Create an order; the created order with the reply it came in."""
        return await self._orders._create(order, idempotency_key=idempotency_key)

    async def ignore(self, order_id: OrderId) -> APIResponse[Order]:
        """Ignore an order; the updated order with the reply it came in."""
        return await self._orders._ignore(order_id)
