"""Order response models: lenient, immutable mirrors of what the API sends.

Field names are the API's wire names. Every field except ``Order.id`` is optional because the
documented examples disagree about which ones are present (v1 vs v2, list vs update responses).
Build instances from JSON with ``clopos_async.serde.structure``, not by hand.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypeVar

import attrs

from clopos_async.models.enums import FINAL_STATUSES, DiscountType, OrderStatus
from clopos_async.models.fields import wire

_V = TypeVar("_V")

__all__ = [
    "Discount",
    "LineItem",
    "Modificator",
    "Order",
    "OrderCustomer",
    "OrderLine",
    "OrderLineMeta",
    "OrderMeta",
    "OrderPayload",
    "OrderProductSnapshot",
    "OrderReceipt",
    "OrderService",
    "SnapshotProduct",
]


@attrs.frozen(kw_only=True)
class OrderReceipt:
    """The open receipt embedded with ``with[0]=receipt:id,service_notification_id,status``."""

    id: int | str | None = None
    service_notification_id: int | str | None = None
    status: int | None = None  # 1 open, 2 closed


@attrs.frozen(kw_only=True)
class OrderService:
    """Where and how the order is served (``payload.service``)."""

    sale_type_id: int | None = None
    venue_id: int | None = None
    sale_type_name: str | None = None
    venue_name: str | None = None


@attrs.frozen(kw_only=True)
class OrderCustomer:
    """The customer stored on the order (``payload.customer``)."""

    id: int | str | None = None
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    customer_discount_type: int | None = None


@attrs.frozen(kw_only=True)
class Modificator:
    """A modifier on an order line, flattened from either stored shape.

    The API stores ``{modificator_id, count}`` or ``{modificator: {id, name, price}, count}``;
    both become this one class (``name`` and ``price`` exist only in the nested shape).
    """

    modificator_id: int | str | None = None
    count: int | None = None
    name: str | None = None
    price: Decimal | None = None


@attrs.frozen(kw_only=True)
class SnapshotProduct:
    """The catalog product copied into a line (``meta.order_product.product``)."""

    id: int | str | None = None
    name: str | None = None
    price: Decimal | None = None
    category_id: int | None = None
    station_id: int | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class OrderProductSnapshot:
    """The line as the POS will see it (``meta.order_product``)."""

    product: SnapshotProduct | None = None
    count: int | None = None
    status: str | None = None
    product_modificators: tuple[Modificator, ...] = ()
    product_hash: str | None = None


@attrs.frozen(kw_only=True)
class OrderLineMeta:
    """Per-line metadata: the unit price and the product snapshot."""

    price: Decimal | None = None
    order_product: OrderProductSnapshot | None = None


@attrs.frozen(kw_only=True)
class OrderLine:
    """One product line of an order (``payload.products[]``)."""

    product_id: int | str | None = None
    count: int | None = None
    portion_size: Decimal | None = None
    product_modificators: tuple[Modificator, ...] = ()
    meta: OrderLineMeta | None = None


@attrs.frozen(kw_only=True)
class Discount:
    """An order-level discount (``payload.meta.discount``)."""

    discount_type: DiscountType | int | None = None
    discount_value: Decimal | None = None


@attrs.frozen(kw_only=True)
class OrderMeta:
    """Order-level notes and charges (``payload.meta``); ``order_total`` is wire ``orderTotal``."""

    comment: str | None = None
    discount: Discount | None = None
    order_total: Decimal | None = attrs.field(default=None, metadata=wire("orderTotal"))
    apply_service_charge: bool | None = None
    customer_discount_type: int | None = None
    service_charge_value: Decimal | None = None


@attrs.frozen(kw_only=True)
class OrderPayload:
    """The full content of an order (absent from status-update responses)."""

    id: int | str | None = None  # only in one v2 create-response shape
    auto_order_accept: bool | None = None
    auto_order_sent_to_station: bool | None = None
    auto_accept_terminal: int | None = None
    delivery_fee: Decimal | None = None
    service: OrderService | None = None
    customer: OrderCustomer | None = None
    products: tuple[OrderLine, ...] = ()
    meta: OrderMeta | None = None
    customer_id: int | str | None = None
    sale_type_id: int | None = None
    payload_updated_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@attrs.frozen(kw_only=True)
class LineItem:
    """A line of the v1 OAS list schema (``line_items[]``), not seen in real examples."""

    id: int | str | None = None
    product_id: int | str | None = None
    quantity: int | None = None
    unit_price: Decimal | None = None
    total_price: Decimal | None = None


@attrs.frozen(kw_only=True)
class Order:
    """An order (a ``ServiceNotification`` upstream), as returned by list, get, create and update.

    ``status`` is an ``OrderStatus`` when recognised (case-insensitively), else the raw string.
    The fields after ``updated_at`` appear only in v1 list examples or schemas.
    """

    id: int | str
    venue_id: int | None = None
    type: str | None = None
    integration: str | None = None
    integration_uuid: str | None = None
    integration_id: str | int | None = None
    integration_status: str | None = None
    customer_ref_id: str | None = None
    status: OrderStatus | str | None = None
    receive_user_id: int | None = None
    receive_terminal_id: int | None = None
    payload: OrderPayload | None = None
    integration_response: object = None  # any JSON; PEER-PY saw a string, docs an object
    receipt: OrderReceipt | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # v1 list example / OAS only
    number: str | None = None
    total: Decimal | None = None
    customer_id: int | str | None = None
    payment_status: str | None = None
    delivery_type: str | None = None
    receipt_id: int | str | None = None
    total_amount: Decimal | None = None
    line_items: tuple[LineItem, ...] = ()
    deleted_at: datetime | None = None

    @property
    def is_final(self) -> bool:
        """Tell whether the order reached a terminal status (IGNORE, DELIVERED, ...)."""
        return self.status in FINAL_STATUSES

    def __repr__(self) -> str:
        # The key fields only: the generated repr of a whole order runs to ~1,800 characters,
        # and would copy the customer's name, phone and address into every log line.
        status = getattr(self.status, "value", self.status)
        created = self.created_at.isoformat() if self.created_at else None
        products = len(self.payload.products) if self.payload else len(self.line_items)
        return (
            f"<Order id={self.id!r} status={status} type={self.type} venue_id={self.venue_id} "
            f"created_at={created} products={products}>"
        )

    # Derived values: where the versions keep one fact in different places, the rule of
    # which one wins is written here once (exports and the CLI read these).

    @property
    def effective_total(self) -> Decimal | None:
        """The order's total: ``payload.meta.orderTotal``, else ``total``, else ``total_amount``."""
        meta = self.payload.meta if self.payload else None
        return _first(meta.order_total if meta else None, self.total, self.total_amount)

    @property
    def effective_venue_id(self) -> int | None:
        """The order's venue: ``venue_id``, else ``payload.service.venue_id``."""
        service = self.payload.service if self.payload else None
        return _first(self.venue_id, service.venue_id if service else None)

    @property
    def effective_customer_id(self) -> int | str | None:
        """``payload.customer_id``, else ``payload.customer.id``, else ``customer_id``."""
        payload = self.payload
        customer = payload.customer if payload else None
        if payload is not None and payload.customer_id is not None:
            return payload.customer_id
        if customer is not None and customer.id is not None:
            return customer.id
        return self.customer_id

    @property
    def effective_sale_type_id(self) -> int | None:
        """``payload.sale_type_id``, else ``payload.service.sale_type_id``."""
        payload = self.payload
        service = payload.service if payload else None
        return _first(payload.sale_type_id if payload else None,
                      service.sale_type_id if service else None)


def _first(*values: _V | None) -> _V | None:
    return next((value for value in values if value is not None), None)


# cattrs and attrs.fields() need real types, not the strings `from __future__` leaves behind.
for _cls in (
    OrderReceipt, OrderService, OrderCustomer, Modificator, SnapshotProduct,
    OrderProductSnapshot, OrderLineMeta, OrderLine, Discount, OrderMeta, OrderPayload,
    LineItem, Order,
):  # fmt: skip
    attrs.resolve_types(_cls)
del _cls
