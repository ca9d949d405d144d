"""Request models for receipts (REFERENCE §4.1): a v1 receipt to create, and the payments
``receipts.close`` and `NewReceipt` take, checked before anything is sent.

Amounts are passed through as ``Decimal`` without scaling (REFERENCE §5.26: the docs do not
say whether they are major or minor units). ``closed_at``/``created_at`` are ``datetime``s,
sent as ``YYYY-MM-DD HH:MM:SS`` in UTC; a naive one is taken to be UTC already.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from ..timestamps import format_space_utc
from ..validators import (
    ArgumentTypeError,
    check_decimal,
    check_instance,
    check_int,
    check_non_empty_str,
    invalid,
)
from .new_order import _money, _optional_money
from .receipts import ReceiptPayment

__all__ = ["NewReceipt", "NewReceiptProduct", "check_payments", "payments_body", "wire_time"]


def _new_cid() -> str:
    return str(uuid.uuid4())


def check_payments(name: str, payments: object) -> tuple[ReceiptPayment, ...]:
    """At least one `ReceiptPayment`, each with an id and an amount >= 0 (a Decimal, int or
    numeric str)."""
    if isinstance(payments, (str, bytes, Mapping)) or not isinstance(payments, Iterable):
        invalid(name, "a list of ReceiptPayment", payments, error=ArgumentTypeError)
    items = tuple(payments)
    if not items:
        invalid(name, "at least one ReceiptPayment", payments)
    for index, payment in enumerate(items):
        where = f"{name}[{index}]"
        check_instance(where, payment, ReceiptPayment)
        if isinstance(payment.id, bool) or not isinstance(payment.id, (int, str)):
            invalid(f"{where}.id", "a payment method id", payment.id, error=ArgumentTypeError)
        if payment.name is not None:
            check_instance(f"{where}.name", payment.name, str)
        check_decimal(f"{where}.amount",
                      None if payment.amount is None else _money(payment.amount), minimum=0)
    return items


def _amount(payment: ReceiptPayment) -> Decimal:
    value = _money(payment.amount) if payment.amount is not None else None
    assert isinstance(value, Decimal)  # check_payments has been through it
    return value


def payments_body(payments: Iterable[ReceiptPayment]) -> list[dict[str, object]]:
    """The wire form of checked payments: ``{id, name, amount}`` with Decimal amounts."""
    return [{"id": p.id, "name": p.name or "", "amount": _amount(p)} for p in payments]


def wire_time(name: str, value: object) -> str:
    """A ``datetime`` argument as the bodies take it (``YYYY-MM-DD HH:MM:SS``, UTC)."""
    return format_space_utc(check_instance(name, value, datetime))


def _where(inst: object, attr: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attr.name}"


def _non_negative(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_decimal(_where(inst, attr), value, minimum=0)


def _positive(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    check_decimal(_where(inst, attr), value, minimum=0, exclusive=True)


def _optional_int(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_int(_where(inst, attr), value, minimum=1)


def _optional_datetime(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_instance(_where(inst, attr), value, datetime)


def _cid(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    check_non_empty_str(_where(inst, attr), value)


def _payments(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    check_payments(_where(inst, attr), value)


def _products(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    items: tuple[object, ...] = value if isinstance(value, tuple) else ()
    if not isinstance(value, tuple):
        invalid(_where(inst, attr), "a list of NewReceiptProduct", value, error=ArgumentTypeError)
    for index, item in enumerate(items):
        check_instance(f"{_where(inst, attr)}[{index}]", item, NewReceiptProduct)


def _tuple(value: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)):
        return value  # never a list of items: the validator names it
    try:
        return tuple(value)
    except TypeError:
        return value


@attrs.frozen(kw_only=True)
class NewReceiptProduct:
    """A line of a new receipt: ``subtotal`` defaults to ``price * count``, ``total`` to it."""

    product_id: int = attrs.field(validator=lambda i, a, v: check_int(_where(i, a), v, minimum=1))
    count: Decimal = attrs.field(converter=_money, validator=_positive)
    price: Decimal = attrs.field(converter=_money, validator=_non_negative)
    portion_size: Decimal = attrs.field(default=Decimal(1), converter=_money,
                                        validator=_positive)
    is_gift: bool = False
    subtotal: Decimal | None = attrs.field(default=None, converter=_optional_money,
                                           validator=_non_negative)
    total: Decimal | None = attrs.field(default=None, converter=_optional_money,
                                        validator=_non_negative)
    cid: str = attrs.field(factory=_new_cid, validator=_cid)
    meta: Mapping[str, object] | None = None

    def to_body(self) -> dict[str, object]:
        """The line as ``POST receipts`` takes it."""
        subtotal = self.subtotal if self.subtotal is not None else self.price * self.count
        body: dict[str, object] = {
            "cid": self.cid, "product_id": self.product_id, "count": self.count,
            "price": self.price, "portion_size": self.portion_size, "is_gift": self.is_gift,
            "subtotal": subtotal, "total": self.total if self.total is not None else subtotal,
        }
        if self.meta is not None:
            body["meta"] = dict(self.meta)
        return body


@attrs.frozen(kw_only=True)
class NewReceipt:
    """A receipt to create on v1 (``receipts.create``); the server stores it closed.

    ``cid`` is generated (a uuid4) unless given: it is the receipt's identity, and the SDK
    reuses it on every attempt, so a repeated create is refused (409) rather than doubled.
    ``total`` defaults to the sum of the payments (the docs: their sum should equal it).
    ``extra`` adds other documented fields as they go on the wire (``by_cash``, ``meta``...).

    Example:
        >>> receipt = NewReceipt(user_id=1, payment_methods=[
        ...     ReceiptPayment(id=1, name="Cash", amount=Decimal("17.00"))])
        >>> receipt.to_body()["total"]
        Decimal('17.00')
    """

    payment_methods: tuple[ReceiptPayment, ...] = attrs.field(converter=_tuple,
                                                              validator=_payments)
    user_id: int = attrs.field(validator=lambda i, a, v: check_int(_where(i, a), v, minimum=1))
    receipt_products: tuple[NewReceiptProduct, ...] = attrs.field(
        default=(), converter=_tuple, validator=_products)
    cid: str = attrs.field(factory=_new_cid, validator=_cid)
    sale_type_id: int | None = attrs.field(default=None, validator=_optional_int)
    terminal_id: int | None = attrs.field(default=None, validator=_optional_int)
    customer_id: int | None = attrs.field(default=None, validator=_optional_int)
    guests: int | None = attrs.field(default=None, validator=_optional_int)
    total: Decimal | None = attrs.field(default=None, converter=_optional_money,
                                        validator=_non_negative)
    subtotal: Decimal | None = attrs.field(default=None, converter=_optional_money,
                                           validator=_non_negative)
    created_at: datetime | None = attrs.field(default=None, validator=_optional_datetime)
    closed_at: datetime | None = attrs.field(default=None, validator=_optional_datetime)
    address: str | None = None
    extra: Mapping[str, object] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if (self.created_at is not None and self.closed_at is not None
                and format_space_utc(self.closed_at) < format_space_utc(self.created_at)):
            invalid("NewReceipt.closed_at", "later than created_at", self.closed_at)

    def to_body(self) -> dict[str, object]:
        """The ``POST receipts`` body (v1)."""
        paid = sum((_amount(p) for p in self.payment_methods), Decimal(0))
        body: dict[str, object] = dict(self.extra)
        body.update({
            "cid": self.cid,
            "user_id": self.user_id,
            "payment_methods": payments_body(self.payment_methods),
            "receipt_products": [line.to_body() for line in self.receipt_products],
            "total": self.total if self.total is not None else paid,
        })
        optional: dict[str, object | None] = {
            "sale_type_id": self.sale_type_id, "terminal_id": self.terminal_id,
            "customer_id": self.customer_id, "guests": self.guests, "subtotal": self.subtotal,
            "address": self.address,
            "created_at": None if self.created_at is None else format_space_utc(self.created_at),
            "closed_at": None if self.closed_at is None else format_space_utc(self.closed_at),
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body

