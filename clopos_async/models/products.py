"""Product models (REFERENCE §4.4): products, their variants, modifier groups, taxes, codes,
recipe, packages and the TIMER setting.

Lenient like the order models: every field but ``id`` optional, unknown fields ignored,
unknown ``type`` strings kept, 0/1 flags read as ``bool``, money as ``Decimal``, ``[]`` for an
absent object. Relations (``category``, ``taxes``, ``variants``...) are filled only when asked
for with ``with_``; otherwise they are None or empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from clopos_async.models.categories import Category
from clopos_async.models.fields import wire
from clopos_async.models.stations import Station

__all__ = [
    "PRODUCT_TYPES",
    "ModificatorGroup",
    "Product",
    "ProductCode",
    "ProductModifier",
    "ProductPackage",
    "RecipeItem",
    "Tax",
    "TimerPrice",
    "TimerSetting",
    "flatten_recipe_row",
]

# The documented ``type`` values; a variant is a MODIFICATION, a modifier a MODIFIER.
PRODUCT_TYPES = ("GOODS", "DISH", "TIMER", "PREPARATION", "INGREDIENT", "MODIFICATION",
                 "MODIFIER")


@attrs.frozen(kw_only=True)
class Tax:
    """A tax applied to a product (``with_=["taxes"]``)."""

    id: int | str
    name: str | None = None
    rate: Decimal | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class ProductCode:
    """A barcode or other code of a product (``with_=["codes"]``; ``barcode`` is deprecated)."""

    id: int | str | None = None
    code: str | None = None
    type: str | None = None
    product_id: int | str | None = None


@attrs.frozen(kw_only=True)
class ProductModifier:
    """One choice in a `ModificatorGroup` (the API's ``modificators[]``), e.g. "Extra Cheese".

    ``id`` is the ``modifier_id`` a new order's line names.
    """

    id: int | str
    name: str | None = None
    price: Decimal | None = None
    cost_price: Decimal | None = None
    ingredient: object = None
    ingredient_id: int | str | None = None
    dish_id: int | str | None = None
    group_id: int | str | None = None
    brutto: Decimal | None = None
    default_count: int | None = None
    min_count: int | None = None
    max_count: int | None = None
    position: int | None = None
    media: tuple[object, ...] = ()


@attrs.frozen(kw_only=True)
class ModificatorGroup:
    """A group of modifiers offered with a product (``with_=["modificator_groups"]``).

    ``type`` is 1 for a single choice, 0 for several; ``min_select``/``max_select`` bound
    how many of ``modificators`` a line may take.
    """

    id: int | str
    name: str | None = None
    type: int | None = None
    min_select: int | None = None
    max_select: int | None = None
    modificators: tuple[ProductModifier, ...] = ()
    status: int | None = None
    adjust_to_portion: bool | None = None
    meta: object = None
    pivot: object = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def single_choice(self) -> bool | None:
        """Whether exactly one modifier is chosen (``type`` 1); None when not sent."""
        return None if self.type is None else self.type == 1


@attrs.frozen(kw_only=True)
class RecipeItem:
    """One ingredient of a product's recipe (``with_=["recipe"]``), in either documented shape.

    The docs' table sends ``{ingredient_id, name, gross, net}``; the PEER-PY mocks send the
    ingredient product itself with the amounts in ``pivot{dish_id, ingredient_id, net, gross,
    net_put}``. Both read the same: the pivot's amounts are lifted (`flatten_recipe_row`).
    """

    ingredient_id: int | str | None = None
    name: str | None = None
    gross: Decimal | None = None
    net: Decimal | None = None
    net_put: Decimal | None = None
    dish_id: int | str | None = None
    type: str | None = None


def flatten_recipe_row(value: Any) -> Any:
    """Lift a mock-shaped recipe row's ``pivot`` amounts and id to the table's flat shape."""
    if type(value) is not dict:
        return value
    pivot = value.get("pivot")
    flat = {key: item for key, item in value.items() if key not in ("pivot", "id")}
    if "ingredient_id" not in flat and "id" in value:
        flat["ingredient_id"] = value["id"]  # the row is the ingredient product
    if isinstance(pivot, Mapping):
        for key in ("ingredient_id", "dish_id", "gross", "net", "net_put"):
            if key in pivot:
                flat.setdefault(key, pivot[key])
    return flat


@attrs.frozen(kw_only=True)
class ProductPackage:
    """A package a product is sold in (``with_=["packages"]``): ``equal`` units of it."""

    id: int | str
    name: str | None = None
    equal: Decimal | None = None


@attrs.frozen(kw_only=True)
class TimerPrice:
    """One step of a TIMER product's tariff: ``price`` applies from minute ``from_``."""

    price: Decimal | None = None
    from_: Decimal | None = attrs.field(default=None, metadata=wire("from"))


@attrs.frozen(kw_only=True)
class TimerSetting:
    """The ``setting`` of a TIMER product: billed every ``interval`` minutes at ``prices``."""

    interval: int | None = None
    prices: tuple[TimerPrice, ...] = ()
    calculation_methods: object = None


@attrs.frozen(kw_only=True)
class Product:
    """A product as ``products.list``/``products.get`` return it.

    ``type`` is one of `PRODUCT_TYPES` (unknown values are kept as sent). ``variants`` are
    the API's ``modifications[]``: full products of ``type`` ``MODIFICATION`` whose
    ``parent_id`` is this product's id, each with its own price. ``status`` is 1 active, 0
    inactive; ``hidden`` is 0/1 on the wire. ``inventory_behavior``: 0 minus ingredients,
    1 minus self, 3 passive. ``unit_weight`` is in kilograms, ``cooking_time`` in minutes.
    """

    id: int | str
    type: str | None = None
    name: str | None = None
    parent_id: int | str | None = None
    parent_name: str | None = None
    full_name: str | None = None
    category_id: int | str | None = None
    station_id: int | str | None = None
    unit_id: int | str | None = None
    cid: str | None = None
    position: int | None = None
    barcode: str | None = None
    gov_code: str | None = None
    status: int | None = None
    hidden: bool | None = None
    sold_by_weight: bool | None = None
    discountable: bool | None = None
    giftable: bool | None = None
    has_modifications: bool | None = None
    ignore_service_charge: bool | None = None
    description: str | None = None
    price: Decimal | None = None
    cost_price: Decimal | None = None
    markup_rate: Decimal | None = None
    gross_margin: Decimal | None = None
    cooking_time: int | None = None
    inventory_behavior: int | None = None
    low_stock: Decimal | None = None
    unit_weight: Decimal | None = None
    net_output: Decimal | None = None
    max_age: int | None = None
    color: str | None = None
    slug: str | None = None
    name_slug: str | None = None
    emenu_category_id: int | str | None = None
    emenu_position: int | None = None
    emenu_hidden: bool | None = None
    accounting_category_id: int | str | None = None
    is_inventory_behavior_changeable: bool | None = None
    properties: object = None
    unit: object = None
    venues: tuple[object, ...] = ()
    media: tuple[object, ...] = ()
    tags: tuple[object, ...] = ()
    category: Category | None = None
    station: Station | None = None
    variants: tuple[Product, ...] = attrs.field(default=(), metadata=wire("modifications"))
    modificator_groups: tuple[ModificatorGroup, ...] = ()
    taxes: tuple[Tax, ...] = ()
    codes: tuple[ProductCode, ...] = ()
    recipe: tuple[RecipeItem, ...] = ()
    packages: tuple[ProductPackage, ...] = ()
    setting: TimerSetting | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def modifiers(self) -> tuple[ProductModifier, ...]:
        """Every modifier of every group, in order (what a new order's line may name)."""
        return tuple(m for group in self.modificator_groups for m in group.modificators)


for _model in (Tax, ProductCode, ProductModifier, ModificatorGroup, RecipeItem, ProductPackage,
               TimerPrice, TimerSetting, Product):
    attrs.resolve_types(_model)  # cattrs needs real types, not `from __future__` strings
