"""Pydantic v2 twins of the SDK's order models: the json + pydantic contender of decode.py.

Same fields, same nesting, Decimal money, datetime timestamps, the status and discount enums
kept when known (``left_to_right`` so a known string becomes the enum, as the SDK does), frozen
like attrs' ``frozen``, extra keys ignored, ``[]`` for an object read as absent (``_Absent``,
as the SDK's rule for Laravel's empty relations). Two things are left out, which only flatters
pydantic: the nested-modificator flattening (the generated data never has that shape) and the
conversion of naive ``Y-m-d H:i:s`` timestamps to aware UTC.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter

from clopos_async import DiscountType, OrderStatus

__all__ = ["PydanticEnvelope", "PydanticOrder", "orders_adapter"]


def _empty_array_is_none(value: Any) -> Any:
    return None if type(value) is list and not value else value


# Put on every object-typed field: Laravel writes an empty relation as [].
_Absent = BeforeValidator(_empty_array_is_none)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class PydanticReceipt(_Frozen):
    id: int | str | None = None
    service_notification_id: int | str | None = None
    status: int | None = None


class PydanticService(_Frozen):
    sale_type_id: int | None = None
    venue_id: int | None = None
    sale_type_name: str | None = None
    venue_name: str | None = None


class PydanticCustomer(_Frozen):
    id: int | str | None = None
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    customer_discount_type: int | None = None


class PydanticModificator(_Frozen):
    modificator_id: int | str | None = None
    count: int | None = None
    name: str | None = None
    price: Decimal | None = None


class PydanticSnapshotProduct(_Frozen):
    id: int | str | None = None
    name: str | None = None
    price: Decimal | None = None
    category_id: int | None = None
    station_id: int | None = None
    type: str | None = None


class PydanticOrderProduct(_Frozen):
    product: Annotated[PydanticSnapshotProduct | None, _Absent] = None
    count: int | None = None
    status: str | None = None
    product_modificators: tuple[PydanticModificator, ...] = ()
    product_hash: str | None = None


class PydanticLineMeta(_Frozen):
    price: Decimal | None = None
    order_product: Annotated[PydanticOrderProduct | None, _Absent] = None


class PydanticLine(_Frozen):
    product_id: int | str | None = None
    count: int | None = None
    portion_size: Decimal | None = None
    product_modificators: tuple[PydanticModificator, ...] = ()
    meta: Annotated[PydanticLineMeta | None, _Absent] = None


class PydanticDiscount(_Frozen):
    discount_type: DiscountType | int | None = Field(None, union_mode="left_to_right")
    discount_value: Decimal | None = None


class PydanticMeta(_Frozen):
    comment: str | None = None
    discount: Annotated[PydanticDiscount | None, _Absent] = None
    order_total: Decimal | None = Field(None, alias="orderTotal")
    apply_service_charge: bool | None = None
    customer_discount_type: int | None = None
    service_charge_value: Decimal | None = None


class PydanticPayload(_Frozen):
    id: int | str | None = None
    auto_order_accept: bool | None = None
    auto_order_sent_to_station: bool | None = None
    auto_accept_terminal: int | None = None
    delivery_fee: Decimal | None = None
    service: Annotated[PydanticService | None, _Absent] = None
    customer: Annotated[PydanticCustomer | None, _Absent] = None
    products: tuple[PydanticLine, ...] = ()
    meta: Annotated[PydanticMeta | None, _Absent] = None
    customer_id: int | str | None = None
    sale_type_id: int | None = None
    payload_updated_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class PydanticLineItem(_Frozen):
    id: int | str | None = None
    product_id: int | str | None = None
    quantity: int | None = None
    unit_price: Decimal | None = None
    total_price: Decimal | None = None


class PydanticOrder(_Frozen):
    id: int | str
    venue_id: int | None = None
    type: str | None = None
    integration: str | None = None
    integration_uuid: str | None = None
    integration_id: str | int | None = None
    integration_status: str | None = None
    customer_ref_id: str | None = None
    status: OrderStatus | str | None = Field(None, union_mode="left_to_right")
    receive_user_id: int | None = None
    receive_terminal_id: int | None = None
    payload: Annotated[PydanticPayload | None, _Absent] = None
    integration_response: Any = None
    receipt: Annotated[PydanticReceipt | None, _Absent] = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    number: str | None = None
    total: Decimal | None = None
    customer_id: int | str | None = None
    payment_status: str | None = None
    delivery_type: str | None = None
    receipt_id: int | str | None = None
    total_amount: Decimal | None = None
    line_items: tuple[PydanticLineItem, ...] = ()
    deleted_at: datetime | None = None


class PydanticEnvelope(_Frozen):
    success: bool = True
    data: list[PydanticOrder]
    total: int | None = None


orders_adapter: TypeAdapter[list[PydanticOrder]] = TypeAdapter(list[PydanticOrder])
