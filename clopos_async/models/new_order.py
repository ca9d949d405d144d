"""Request models for creating an order, validated at construction.

One ``NewOrder`` renders either API's body: ``to_v2_body()`` (the flat v2 payload) or
``to_v1_body()`` (the nested v1 payload, which also needs the v1-only names).
Money fields accept ``Decimal``, ``int``, ``float`` (via its shortest repr) or numeric ``str``
and are stored as ``Decimal``; they stay ``Decimal`` in the rendered bodies.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from clopos_async.validators import (
    check_decimal,
    check_instance,
    check_int,
    check_non_empty_str,
)

if TYPE_CHECKING:
    _Attr: TypeAlias = attrs.Attribute[Any]

__all__ = ["MoneyInput", "NewOrder", "NewOrderCustomer", "NewOrderModifier", "NewOrderProduct"]

MoneyInput: TypeAlias = Decimal | int | float | str
_ORDER_NUMBER_MAX = 20


# -- converters: convert what they can, leave the rest for a validator that names the field --


def _money(value: MoneyInput) -> object:
    if isinstance(value, Decimal) or type(value) is bool:
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # shortest repr: 8.5 -> Decimal("8.5"), not 8.5000000001...
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    return value


def _optional_money(value: MoneyInput | None) -> object:
    return None if value is None else _money(value)


def _modifier_tuple(value: Iterable[NewOrderModifier]) -> object:
    return _to_tuple(value)


def _product_tuple(value: Iterable[NewOrderProduct]) -> object:
    return _to_tuple(value)


def _to_tuple(value: Any) -> object:
    # A str or dict is iterable but never a list of lines; let the validator reject it whole.
    if isinstance(value, (str, bytes, dict)):
        return value
    try:
        return tuple(value)
    except TypeError:
        return value


# -- validators: messages name Class.field so callers can find the bad argument --


def _where(inst: object, attr: _Attr) -> str:
    return f"{type(inst).__name__}.{attr.name}"


def _int(inst: object, attr: _Attr, value: object) -> int:
    return check_int(_where(inst, attr), value)  # bool is refused: True is never an id


def _positive_int(inst: object, attr: _Attr, value: object) -> None:
    check_int(_where(inst, attr), value, minimum=1)


def _bool(inst: object, attr: _Attr, value: object) -> None:
    check_instance(_where(inst, attr), value, bool)


def _str(inst: object, attr: _Attr, value: object) -> str:
    return check_instance(_where(inst, attr), value, str)


def _non_empty_str(inst: object, attr: _Attr, value: object) -> str:
    return check_non_empty_str(_where(inst, attr), value)


def _decimal(inst: object, attr: _Attr, value: object) -> Decimal:
    return check_decimal(_where(inst, attr), value)


def _non_negative_money(inst: object, attr: _Attr, value: object) -> None:
    check_decimal(_where(inst, attr), value, minimum=0)


def _positive_decimal(inst: object, attr: _Attr, value: object) -> None:
    check_decimal(_where(inst, attr), value, minimum=0, exclusive=True)


def _check_tuple_of(inst: object, attr: _Attr, value: object, item_type: type) -> tuple[Any, ...]:
    if not isinstance(value, tuple):
        raise TypeError(f"{_where(inst, attr)} must be a sequence, got {value!r}")
    for index, item in enumerate(value):
        if not isinstance(item, item_type):
            raise TypeError(
                f"{_where(inst, attr)}[{index}] must be a {item_type.__name__}, got {item!r}"
            )
    return value


def _modifiers(inst: object, attr: _Attr, value: object) -> None:
    _check_tuple_of(inst, attr, value, NewOrderModifier)


_opt = attrs.validators.optional


def _omit_none(**fields: object) -> dict[str, object]:
    return {key: value for key, value in fields.items() if value is not None}


def _plain_int(value: int | None) -> int | None:
    # An IntEnum (e.g. DiscountType) is accepted as an int; send the bare number.
    return None if value is None else int(value)


@attrs.frozen(kw_only=True)
class NewOrderModifier:
    """A modifier on a new order line (v2 ``products[].modifiers[]``)."""

    modifier_id: int = attrs.field(validator=_int)
    modifier_name: str = attrs.field(validator=_non_empty_str)
    count: int = attrs.field(default=1, validator=_positive_int)
    price: Decimal | None = attrs.field(
        default=None, converter=_optional_money, validator=_opt(_non_negative_money)
    )
    portion_size: Decimal | None = attrs.field(
        default=None, converter=_optional_money, validator=_opt(_positive_decimal)
    )

    def _v2(self) -> dict[str, object]:
        return _omit_none(
            modifier_id=self.modifier_id,
            modifier_name=self.modifier_name,
            count=self.count,
            price=self.price,
            portion_size=self.portion_size,
        )

    def _v1(self) -> dict[str, object]:
        return {"modificator_id": self.modifier_id, "count": self.count}


@attrs.frozen(kw_only=True)
class NewOrderProduct:
    """A product line of a new order; ``price`` is the unit price.

    ``category_id`` and ``station_id`` only enrich the v1 catalog snapshot
    (``meta.order_product.product``); v2 ignores them.
    """

    product_id: int = attrs.field(validator=_int)
    product_name: str = attrs.field(validator=_non_empty_str)
    count: int = attrs.field(validator=_positive_int)
    price: Decimal = attrs.field(converter=_money, validator=_non_negative_money)
    status: str = attrs.field(default="new", validator=_non_empty_str)
    product_hash: str | None = attrs.field(default=None, validator=_opt(_non_empty_str))
    portion_size: Decimal | None = attrs.field(
        default=None, converter=_optional_money, validator=_opt(_positive_decimal)
    )
    note: str | None = attrs.field(default=None, validator=_opt(_str))
    modifiers: tuple[NewOrderModifier, ...] = attrs.field(
        default=(), converter=_modifier_tuple, validator=_modifiers
    )
    category_id: int | None = attrs.field(default=None, validator=_opt(_int))
    station_id: int | None = attrs.field(default=None, validator=_opt(_int))

    def _v2(self, product_hash: str) -> dict[str, object]:
        body = _omit_none(
            product_id=self.product_id,
            product_name=self.product_name,
            count=self.count,
            price=self.price,
            status=self.status,
            product_hash=product_hash,
            portion_size=self.portion_size,
            note=self.note,
        )
        body["modifiers"] = [modifier._v2() for modifier in self.modifiers]
        return body

    def _v1(self, product_hash: str) -> dict[str, object]:
        if self.note is not None:
            raise ValueError("NewOrderProduct.note is not supported by API v1")
        modificators = [modifier._v1() for modifier in self.modifiers]
        snapshot = _omit_none(
            id=self.product_id,
            name=self.product_name,
            category_id=self.category_id,
            station_id=self.station_id,
            price=self.price,
        )
        line: dict[str, object] = {
            "product_id": self.product_id,
            "count": self.count,
            "product_modificators": modificators,
            "meta": {
                "price": self.price,
                "order_product": {
                    "product": snapshot,
                    "count": self.count,
                    "status": self.status,
                    "product_modificators": [dict(m) for m in modificators],
                    "product_hash": product_hash,
                },
            },
        }
        if self.portion_size is not None:  # where the stored order keeps it
            line["portion_size"] = self.portion_size
        return line


@attrs.frozen(kw_only=True)
class NewOrderCustomer:
    """The customer of a new order; only ``name`` is required (``id`` is required by v1)."""

    name: str = attrs.field(validator=_non_empty_str)
    id: int | None = attrs.field(default=None, validator=_opt(_int))
    phone: str | None = attrs.field(default=None, validator=_opt(_str))
    address: str | None = attrs.field(default=None, validator=_opt(_str))
    customer_discount_type: int | None = attrs.field(default=None, validator=_opt(_int))

    def _v2(self) -> dict[str, object]:
        return _omit_none(
            id=self.id,
            phone=self.phone,
            address=self.address,
            customer_discount_type=self.customer_discount_type,
            name=self.name,
        )


def _products(inst: object, attr: _Attr, value: object) -> None:
    products: tuple[NewOrderProduct, ...] = _check_tuple_of(inst, attr, value, NewOrderProduct)
    if not products:
        raise ValueError(f"{_where(inst, attr)} must contain at least one product")
    hashes = [p.product_hash for p in products if p.product_hash is not None]
    if len(set(hashes)) != len(hashes):
        raise ValueError(f"{_where(inst, attr)} product_hash values must be unique in an order")


def _order_number(inst: object, attr: _Attr, value: object) -> None:
    if len(_non_empty_str(inst, attr, value)) > _ORDER_NUMBER_MAX:
        raise ValueError(
            f"{_where(inst, attr)} must be at most {_ORDER_NUMBER_MAX} characters, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class NewOrder:
    """An order to create; render it with ``to_v2_body()`` or ``to_v1_body()``.

    Examples:
        >>> order = NewOrder(
        ...     sale_type_id=2, venue_id=1, customer=NewOrderCustomer(name="Rahid"),
        ...     products=[
        ...         NewOrderProduct(product_id=101, product_name="Pizza", count=2, price=8.5)
        ...     ],
        ... )
        >>> order.to_v2_body()["products"][0]["product_hash"]
        '101-0'
    """

    sale_type_id: int = attrs.field(validator=_int)
    venue_id: int = attrs.field(validator=_int)
    customer: NewOrderCustomer = attrs.field(
        validator=attrs.validators.instance_of(NewOrderCustomer)
    )
    products: tuple[NewOrderProduct, ...] = attrs.field(
        converter=_product_tuple, validator=_products
    )
    comment: str | None = attrs.field(default=None, validator=_opt(_str))
    discount_type: int | None = attrs.field(default=None, validator=_opt(_int))
    discount_value: Decimal | None = attrs.field(
        default=None, converter=_optional_money, validator=_opt(_non_negative_money)
    )
    service_charge_enabled: bool | None = attrs.field(default=None, validator=_opt(_bool))
    service_charge_value: Decimal | None = attrs.field(
        default=None, converter=_optional_money, validator=_opt(_non_negative_money)
    )
    delivery_fee: Decimal | None = attrs.field(
        default=None, converter=_optional_money, validator=_opt(_non_negative_money)
    )
    auto_accept_terminal: int | None = attrs.field(default=None, validator=_opt(_int))
    auto_order_accept: bool | None = attrs.field(default=None, validator=_opt(_bool))
    auto_order_sent_to_station: bool | None = attrs.field(default=None, validator=_opt(_bool))
    order_number: str | None = attrs.field(default=None, validator=_opt(_order_number))
    # v1 only
    sale_type_name: str | None = attrs.field(default=None, validator=_opt(_non_empty_str))
    venue_name: str | None = attrs.field(default=None, validator=_opt(_non_empty_str))
    order_total: Decimal | None = attrs.field(
        default=None, converter=_optional_money, validator=_opt(_non_negative_money)
    )

    def product_hashes(self) -> list[str]:
        """Return each line's product_hash, filling gaps with ``f"{product_id}-{index}"``.

        Defaults are deterministic (a retried create renders the same body) and never collide
        with a hash the caller supplied.
        """
        taken = {p.product_hash for p in self.products if p.product_hash is not None}
        hashes: list[str] = []
        for index, product in enumerate(self.products):
            if product.product_hash is not None:
                hashes.append(product.product_hash)
                continue
            candidate = f"{product.product_id}-{index}"
            while candidate in taken:
                candidate += "-"
            taken.add(candidate)
            hashes.append(candidate)
        return hashes

    def to_v2_body(self) -> dict[str, object]:
        """Render the flat ``POST /v2/orders`` body, omitting unset optional fields."""
        body = _omit_none(
            auto_accept_terminal=self.auto_accept_terminal,
            auto_order_accept=self.auto_order_accept,
            auto_order_sent_to_station=self.auto_order_sent_to_station,
            order_number=self.order_number,
            sale_type_id=self.sale_type_id,
            venue_id=self.venue_id,
            delivery_fee=self.delivery_fee,
            customer=self.customer._v2(),
            comment=self.comment,
        )
        # The server fills defaults for keys left out of a present object, per the API docs.
        discount = self._discount()
        if discount:
            body["discount"] = discount
        service_charge = _omit_none(
            enabled=self.service_charge_enabled, value=self.service_charge_value
        )
        if service_charge:
            body["service_charge"] = service_charge
        hashes = self.product_hashes()
        body["products"] = [p._v2(h) for p, h in zip(self.products, hashes, strict=True)]
        return body

    def to_v1_body(self) -> dict[str, object]:
        """Render the nested ``POST /orders`` (v1) body; raise ValueError if v1 fields are unset."""
        missing = [
            name
            for name, value in (
                ("NewOrder.sale_type_name", self.sale_type_name),
                ("NewOrder.venue_name", self.venue_name),
                ("NewOrder.customer.id", self.customer.id),
            )
            if value is None
        ]
        if missing:
            raise ValueError(f"{', '.join(missing)} required for API v1")
        if self.order_number is not None:
            raise ValueError("NewOrder.order_number is not supported by API v1")
        customer = self.customer
        meta = _omit_none(comment=self.comment, discount=self._discount() or None)
        if self.order_total is not None:
            meta["orderTotal"] = _four_places(self.order_total)
        meta.update(
            _omit_none(
                apply_service_charge=self.service_charge_enabled,
                customer_discount_type=customer.customer_discount_type,
                service_charge_value=self.service_charge_value,
            )
        )
        hashes = self.product_hashes()
        payload: dict[str, object] = {
            "service": {
                "sale_type_id": self.sale_type_id,
                "sale_type_name": self.sale_type_name,
                "venue_id": self.venue_id,
                "venue_name": self.venue_name,
            },
            # address is documented as "string | null" and sent as null in the docs' example.
            "customer": {
                **_omit_none(
                    id=customer.id,
                    name=customer.name,
                    customer_discount_type=customer.customer_discount_type,
                    phone=customer.phone,
                ),
                "address": customer.address,
            },
            "products": [p._v1(h) for p, h in zip(self.products, hashes, strict=True)],
        }
        if meta:
            payload["meta"] = meta
        payload.update(
            _omit_none(
                delivery_fee=self.delivery_fee,
                auto_accept_terminal=self.auto_accept_terminal,
                auto_order_accept=self.auto_order_accept,
                auto_order_sent_to_station=self.auto_order_sent_to_station,
            )
        )
        return {"customer_id": customer.id, "payload": payload}

    def to_json_body(self, api_version: str = "v2") -> dict[str, Any]:
        """The body for ``api_version`` in plain JSON types, as the SDK sends it.

        ``to_v2_body()``/``to_v1_body()`` keep money as ``Decimal``, which ``json.dumps``
        cannot write; here it is the JSON number the SDK puts on the wire. Example::

            json.dumps(order.to_json_body("v2"))
        """
        from ..wire import decode_json, encode_json  # the one rule for Decimals on the wire

        if api_version not in ("v1", "v2"):
            raise ValueError(f"api_version must be 'v1' or 'v2', got {api_version!r}")
        body = self.to_v1_body() if api_version == "v1" else self.to_v2_body()
        decoded: dict[str, Any] = decode_json(encode_json(body))
        return decoded

    def _discount(self) -> dict[str, object]:
        return _omit_none(
            discount_type=_plain_int(self.discount_type), discount_value=self.discount_value
        )


def _four_places(value: Decimal) -> str:
    # The docs send orderTotal as "16.2000"; keep extra precision rather than round money.
    quantized = value.quantize(Decimal("0.0001"))
    return f"{quantized:f}" if quantized == value else f"{value:f}"
