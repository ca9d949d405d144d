"""Price list models (REFERENCE §4.12, v2 only): named price lists and their product prices.

``GET price-lists`` answers `PriceList` items (``prices`` only when asked for with
``with_prices=True``); ``GET price-lists/prices`` answers `Price` items (their ``product`` and
``list`` only when asked for with ``with_``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs

from .fields import wire
from .products import Product

__all__ = ["Price", "PriceList", "PriceListRef"]


@attrs.frozen(kw_only=True)
class PriceListRef:
    """The price list a `Price` embeds with ``with_=["list"]``."""

    id: int | str
    name: str | None = None
    description: str | None = None
    status: bool | None = None


@attrs.frozen(kw_only=True)
class Price:
    """One product's price in one price list. ``product`` is the embedded product (with
    ``with_=["product"]``), ``price_list`` the embedded ``list`` (``with_=["list"]``)."""

    id: int | str
    list_id: int | str | None = None
    product_id: int | str | None = None
    price: Decimal | None = None
    product: Product | None = None
    price_list: PriceListRef | None = attrs.field(default=None, metadata=wire("list"))


@attrs.frozen(kw_only=True)
class PriceList:
    """A price list; ``prices`` is empty unless listed with ``with_prices=True``."""

    id: int | str
    name: str | None = None
    description: str | None = None
    status: bool | None = None
    prices: tuple[Price, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None


for _model in (PriceListRef, Price, PriceList):
    attrs.resolve_types(_model)  # cattrs needs real types, not `from __future__` strings
