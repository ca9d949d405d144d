"""``clopos.products``: products (REFERENCE §4.4) and their stop list (§4.5), both versions.

The listing is a declaration; the stop list and its watcher are the two operations of their
own. Robust choices (REFERENCE §5): filters go as bracket tuples with the documented names,
``haveIngredients`` included, on v1 too, although one v1 page speaks of a URL-encoded JSON
object (item 22); ``selects`` is the documented comma-separated key, not the peers'
``selects[]``; relations go as indexed ``with[N]`` (item 6); page size 1..100, 50 by default
(item 7); ids are ``int | str`` (an integer or a UUID, item 2); the stop list is read
whatever its envelope (item 8) and its epoch-millisecond ``timestamp`` by the one timestamp
rule (item 3).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from typing import cast

from ..models.products import Product
from ..models.stop_list import StopListChange, StopListEntry
from ..query import FilterValue, QueryPairs, encode_filters
from ..reply import APIResponse
from ..requester import Requester
from ..validators import check_instance, check_positive_number
from ..versions import ApiVersion
from .base import PlainResource, RawResource, structured
from .declaration import Listing, ResourceSpec, choice, field_names, flag, ids, levels
from .page_items import typed_page_items
from .stop_list_watch import watch_stop_list

__all__ = ["PRODUCTS", "ProductsResource", "RawProducts"]

_LIST_RELATIONS = ("category", "station", "modifications", "modifications.codes", "taxes",
                   "codes", "modificator_groups", "recipe", "packages", "tags")
# Get documents its own list; it "may vary by backend version", so the list's are welcome too.
_GET_RELATIONS = ("taxes", "unit", "modifications", "modificator_groups",
                  "modificator_groups.modificators.ingredient.unit", "recipe", "packages",
                  "media", "tags", "setting", "category", "station", "modifications.codes",
                  "codes")

PRODUCTS = ResourceSpec(
    name="products",
    model=Product,
    listing=Listing(default_limit=50, max_limit=100, with_values=_LIST_RELATIONS, params={
        "type": choice("GOODS", "DISH", "TIMER", "PREPARATION", "INGREDIENT"),
        "category_id": ids(),
        "station_id": ids(),
        "tags": ids(),
        "giftable": flag(),
        "discountable": flag(),
        "inventory_behavior": levels(0, 1, 3),
        "sold_by_portion": flag(),
        "has_variants": flag(),
        "has_modifiers": flag(),
        "has_barcode": flag(),
        "has_service_charge": flag(),
        "has_ingredients": flag(wire="haveIngredients"),
        "selects": field_names(),
    }),
    gettable=True,
    get_with_values=_GET_RELATIONS,
    columns=(("ID", "id"), ("TYPE", "type"), ("NAME", "name"), ("CATEGORY_ID", "category_id"),
             ("STATION_ID", "station_id"), ("PRICE", "price"), ("STATUS", "status")),
)


class ProductsResource(PlainResource[Product]):
    """Products: ``list_page``, ``list``, ``get`` (declared), the stop list and its watcher.

    Example::

        async for product in clopos.products.list(type=["GOODS", "DISH"], with_=["taxes"]):
            print(product.id, product.name, product.price, [t.rate for t in product.taxes])
        stops = await clopos.products.stop_list(ids=[1, 332])
    """

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester, PRODUCTS)

    @property
    def with_raw_response(self) -> RawProducts:
        """The same operations, returning `APIResponse` (typed result + status, headers, JSON)."""
        return RawProducts(self)

    async def stop_list(self, *, ids: int | Iterable[int] | None = None) -> list[StopListEntry]:
        """The products whose stock is limited now (``limit`` 0: unavailable); ``ids`` only
        those products. A product not in the list has no limitation. Example::

            for entry in await clopos.products.stop_list(ids=[1, 332]):
                print(entry.product_id, entry.limit, entry.timestamp)
        """
        return (await self._stop_list(ids)).parsed

    async def _stop_list(self, product_ids: object) -> APIResponse[list[StopListEntry]]:
        query = _stop_list_query(self._version, product_ids)
        reply = await self._requester.request("GET", self._version.path("stop_list"),
                                              params=query)
        return structured(reply, lambda data: typed_page_items(
            data, StopListEntry, strict=self._requester.strict, page=1)[0])

    def watch_stop_list(
        self, *, interval: float = 10.0, include_existing: bool = False
    ) -> AsyncGenerator[StopListChange, None]:
        """Poll the stop list; one `StopListChange` per product that joined it, changed its
        limit or left it (became available), exactly once each.

        The first poll takes stock (``include_existing=True`` reports its entries as
        ``"limited"``). Memory holds one snapshot of the stop list. Failures follow the
        policy of every watcher (`resources.polling`): transient ones are logged and retried
        at the next poll; authentication and permission errors end the watch. Example::

            async for change in clopos.products.watch_stop_list(interval=10.0):
                print(change.kind, change.product_id, change.entry)
        """
        check_positive_number("interval", interval, unit="seconds")
        check_instance("include_existing", include_existing, bool)
        self._version.path("stop_list")  # not in this version: raise before the first poll
        return watch_stop_list(lambda: self.stop_list(), interval=float(interval),
                               include_existing=include_existing)


def _stop_list_query(version: ApiVersion, product_ids: object) -> QueryPairs:
    """``filters[0][0]=id&filters[0][1][0]=..``: always the list form of the docs' example."""
    if product_ids is None:
        return []
    if not isinstance(product_ids, (int, str)):
        product_ids = list(product_ids) if isinstance(product_ids, Iterable) else product_ids
    checked = ids().encode(version, "ids", product_ids)
    members: FilterValue = checked if isinstance(checked, list) else [cast(int, checked)]
    return encode_filters([("id", members)])


class RawProducts(RawResource[Product]):
    """``clopos.products.with_raw_response``: each operation returns an `APIResponse`."""

    def __init__(self, products: ProductsResource) -> None:
        super().__init__(products)
        self._products = products

    async def stop_list(
        self, *, ids: int | Iterable[int] | None = None
    ) -> APIResponse[list[StopListEntry]]:
        """The stop list, with the reply it came in."""
        return await self._products._stop_list(ids)
