"""``clopos.price_lists`` (REFERENCE §4.12): price lists and their prices, v2 only.

On a v1 client every operation raises `NotInVersionError` (naming v2) before sending: the
paths live only in the v2 profile. Both endpoints take ``limit`` 1..999 (default 50, the
example's ``per_page``) and answer ``{"data": [...], "pagination": {...}}`` with no
``success``, which the envelope reader takes as a success (REFERENCE §2.1).

The sort is spelled the price lists' way, ``sort[0][0]=name&sort[0][1]=asc`` (REFERENCE §5
item 4); ``with`` is sent indexed (``with[0]=prices``), which PHP reads the same as the
docs' ``with[]=prices`` (§5 item 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..models.page import Page
from ..models.price_lists import Price, PriceList
from ..pagination import AsyncPaginator
from ..requester import Requester
from ..validators import check_instance
from .base import PlainResource, Resource
from .declaration import Listing, ResourceSpec, field_names, ids

__all__ = ["PRICES", "PRICE_LISTS", "PriceLists"]

PRICE_LISTS = ResourceSpec(
    name="price_lists",
    model=PriceList,
    listing=Listing(default_limit=50, max_limit=999, with_values=("prices",),
                    sort_fields=("id", "name", "created_at"), nested_sort=True,
                    params={"selects": field_names()}),
    columns=(("ID", "id"), ("NAME", "name"), ("DESCRIPTION", "description"),
             ("STATUS", "status"), ("CREATED_AT", "created_at")),
)

PRICES = ResourceSpec(
    name="price_list_prices",
    model=Price,
    listing=Listing(default_limit=50, max_limit=999, with_values=("product", "list"),
                    params={"id": ids(), "list_id": ids(), "product_id": ids()}),
    columns=(("ID", "id"), ("LIST_ID", "list_id"), ("PRODUCT_ID", "product_id"),
             ("PRICE", "price")),
)


class PriceLists(PlainResource[PriceList]):
    """Price lists (``list``/``list_page``) and their prices (``prices``/``prices_page``).

    Example::

        async for price_list in clopos.price_lists.list(with_prices=True, sort="name"):
            print(price_list.name, len(price_list.prices))
        async for price in clopos.price_lists.prices(list_id=1, with_=["product"]):
            print(price.product_id, price.price)
    """

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester, PRICE_LISTS)
        self._prices = Resource(requester, PRICES)  # the listing below: price-lists/prices

    @staticmethod
    def _with_prices(with_prices: bool, arguments: dict[str, Any]) -> dict[str, Any]:
        if check_instance("with_prices", with_prices, bool):
            arguments["with_"] = ["prices"]
        return arguments

    async def list_page(
        self, *, page: int = 1, with_prices: bool = False, **arguments: Any
    ) -> Page[PriceList]:
        """One page of price lists: ``limit`` (1..999), ``sort`` (``id``, ``name``,
        ``created_at``; ``-`` descends), ``selects``, ``filters``."""
        return await super().list_page(page=page, **self._with_prices(with_prices, arguments))

    def list(
        self,
        *,
        with_prices: bool = False,
        sort: str | None = None,
        start_page: int = 1,
        max_items: int | None = None,
        concurrency: int = 1,
        **arguments: Any,
    ) -> AsyncPaginator[PriceList]:
        """Every price list, each with its ``prices`` when ``with_prices``; checked now."""
        return super().list(start_page=start_page, max_items=max_items, concurrency=concurrency,
                            sort=sort, **self._with_prices(with_prices, arguments))

    async def prices_page(self, *, page: int = 1, **arguments: Any) -> Page[Price]:
        """One page of prices: ``list_id``, ``product_id``, ``id`` (an id or a list of them,
        sent as ``filters[N]`` tuples), ``with_`` (``product``, ``list``), ``limit`` 1..999."""
        return (await self._prices._list_page(page, **arguments)).parsed

    def prices(
        self,
        *,
        list_id: int | Sequence[int] | None = None,
        product_id: int | Sequence[int] | None = None,
        with_: str | Sequence[str] | None = None,
        start_page: int = 1,
        max_items: int | None = None,
        concurrency: int = 1,
        **arguments: Any,
    ) -> AsyncPaginator[Price]:
        """Every price matching the filters, page by page; arguments are checked now."""
        return self._prices.paginator(
            start_page=start_page, max_items=max_items, concurrency=concurrency,
            list_id=list_id, product_id=product_id, with_=with_, **arguments,
        )
