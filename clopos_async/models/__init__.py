"""Typed models for Clopos API requests and responses."""

from __future__ import annotations

from clopos_async.models.enums import DiscountType, OrderStatus
from clopos_async.models.new_order import (
    NewOrder,
    NewOrderCustomer,
    NewOrderModifier,
    NewOrderProduct,
)
from clopos_async.models.orders import (
    Discount,
    LineItem,
    Modificator,
    Order,
    OrderCustomer,
    OrderLine,
    OrderLineMeta,
    OrderMeta,
    OrderPayload,
    OrderProductSnapshot,
    OrderReceipt,
    OrderService,
    SnapshotProduct,
)

__all__ = [
    "Discount",
    "DiscountType",
    "LineItem",
    "Modificator",
    "NewOrder",
    "NewOrderCustomer",
    "NewOrderModifier",
    "NewOrderProduct",
    "Order",
    "OrderCustomer",
    "OrderLine",
    "OrderLineMeta",
    "OrderMeta",
    "OrderPayload",
    "OrderProductSnapshot",
    "OrderReceipt",
    "OrderService",
    "OrderStatus",
    "SnapshotProduct",
]
