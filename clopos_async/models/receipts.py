"""Receipt models (REFERENCE §4.1): the sales record, lenient like the order models.

Every field but ``id`` is optional: v2 documents a table, v1 adds many fields, and the close
answer carries only ``id``, ``closed_at`` and ``payment_methods``. Amounts are ``Decimal``
exactly as sent, never scaled: the docs show one close amount as both ``8.14`` and ``8140``
(REFERENCE §5.26), so whether they are major or minor units is for the integrator to settle.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import attrs

from .enums import DiscountType
from .fields import wire

__all__ = [
    "Receipt", "ReceiptPayment", "ReceiptProduct", "ReceiptProperties", "ReceiptStatus",
    "StockOperation",
]  # fmt: skip


class ReceiptStatus(int, enum.Enum):
    """A receipt's ``status``: 1 open, 2 closed. Other numbers are kept as plain ints.

    >>> ReceiptStatus.parse(2), ReceiptStatus.parse(9)
    (<ReceiptStatus.CLOSED: 2>, 9)
    """

    OPEN = 1
    CLOSED = 2

    @classmethod
    def parse(cls, value: int) -> ReceiptStatus | int:
        """The member for ``value``, else ``value`` unchanged."""
        try:
            return cls(value)
        except ValueError:
            return value


@attrs.frozen(kw_only=True)
class ReceiptPayment:
    """One payment of a receipt: a payment method id (``clopos.payment_methods``), its name
    and the amount paid with it (a ``Decimal``, unscaled: REFERENCE §5.26).

    It is also what ``receipts.close`` and `NewReceipt` take; they check it before sending.
    """

    id: int | str
    name: str | None = None
    amount: Decimal | None = None


@attrs.frozen(kw_only=True)
class ReceiptProperties:
    """v1 ``properties``: the receipt's number of the day and of the month."""

    daily_id: int | str | None = None
    monthly_id: int | str | None = None


@attrs.frozen(kw_only=True)
class ReceiptProduct:
    """A line of a receipt (``with_=["receipt_products"]``); v1 extras are optional."""

    id: int | str | None = None
    cid: str | None = None
    product_id: int | str | None = None
    count: Decimal | None = None
    portion_size: Decimal | None = None
    price: Decimal | None = None
    subtotal: Decimal | None = None
    total: Decimal | None = None
    is_gift: bool | None = None
    discount_type: DiscountType | int | None = None
    discount_value: Decimal | None = None
    discount_rate: Decimal | None = None
    total_discount: Decimal | None = None
    receipt_discount: Decimal | None = None
    loyalty_type: str | None = None
    loyalty_value: Decimal | None = None
    meta: object = None  # {product: {name, type, price, barcode}} as sent
    modificators: tuple[object, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # v1 only
    receipt_id: int | str | None = None
    product_hash: str | None = None
    preprint_count: int | None = None
    station_printed_count: int | None = None
    station_aborted_count: int | None = None
    seller_id: int | str | None = None
    taxes: object = None
    receipt_product_modificators: tuple[object, ...] = ()


@attrs.frozen(kw_only=True)
class Receipt:
    """A receipt: every field of the v2 table, the v1 extras, lines and payments.

    ``status`` is a `ReceiptStatus` (unknown numbers kept); ``order_status`` the receipt's
    own vocabulary (NEW, IN_PROGRESS, READY, ...), kept as sent. ``meta`` is kept as sent
    (its v1 shape varies: ``sale_type``, ``user``, ``check_close_event``, ...).
    """

    id: int | str
    cid: str | None = None
    venue_id: int | None = None
    customer_id: int | str | None = None
    sale_type_id: int | None = None
    source: str | None = None
    guests: int | None = None
    status: ReceiptStatus | int | None = None
    order_status: str | None = None
    order_number: str | None = None
    lock: bool | None = None
    total: Decimal | None = None
    subtotal: Decimal | None = None
    discount_type: DiscountType | int | None = None
    discount_value: Decimal | None = None
    discount_rate: Decimal | None = None
    total_discount: Decimal | None = None
    service_charge: Decimal | None = None  # a percentage
    service_charge_value: Decimal | None = None  # an amount
    delivery_fee: Decimal | None = None
    remaining: Decimal | None = None
    i_tax: Decimal | None = None
    e_tax: Decimal | None = None
    total_tax: Decimal | None = None
    payment_methods: tuple[ReceiptPayment, ...] = ()
    fiscal_id: str | None = None
    loyalty_type: str | None = None
    loyalty_value: Decimal | None = None
    address: str | None = None
    description: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    shift_date: str | None = None  # "YYYY-MM-DD", the POS's business day
    receipt_products: tuple[ReceiptProduct, ...] = ()
    # v1 only
    cash_shift_cid: str | None = None
    user_id: int | str | None = None
    open_by_user_id: int | str | None = None
    close_by_user_id: int | str | None = None
    courier_id: int | str | None = None
    seller_id: int | str | None = None
    terminal_id: int | str | None = None
    closed_terminal_id: int | str | None = None
    service_notification_id: int | str | None = None
    table_id: int | str | None = None
    hall_id: int | str | None = None
    is_returns: bool | None = None
    inventory_status: object = None
    report_status: object = None
    suspicion: object = None
    printed: bool | None = None
    original_subtotal: Decimal | None = None
    gift_total: Decimal | None = None
    total_cost: Decimal | None = attrs.field(default=None, metadata=wire("totalCost"))
    by_cash: Decimal | None = None
    by_card: Decimal | None = None
    rps_discount: Decimal | None = None
    terminal_version: object = None
    terminal_updated_at: datetime | None = None
    deleted_at: datetime | None = None
    gift_count: int | None = None
    properties: ReceiptProperties | None = None
    meta: object = None

    @property
    def is_closed(self) -> bool:
        """Whether the receipt is closed (status 2)."""
        return self.status == ReceiptStatus.CLOSED


@attrs.frozen(kw_only=True)
class StockOperation:
    """One stock deduction of a closed receipt (v2 ``receipts/{id}/stock-operations``).

    ``product`` (``{id, name}``) and ``stock`` (``{id, storage: {id, name}}``) are kept as sent.
    """

    id: int | str
    receipt_id: int | str | None = None
    receipt_product_id: int | str | None = None
    product_id: int | str | None = None
    stock_id: int | str | None = None
    storage_id: int | str | None = None
    quantity: Decimal | None = None
    before_quantity: Decimal | None = None
    after_quantity: Decimal | None = None
    cost: Decimal | None = None
    before_cost: Decimal | None = None
    total_cost: Decimal | None = None
    operated_at: datetime | None = None
    product: object = None
    stock: object = None


for _model in (ReceiptPayment, ReceiptProperties, ReceiptProduct, Receipt, StockOperation):
    attrs.resolve_types(_model)  # cattrs needs real types, not `from __future__` strings
