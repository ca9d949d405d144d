"""``clopos.categories``: the declaration of categories (REFERENCE §4.6), both versions.

Robust choices (REFERENCE §5): ``type`` is sent as the documented query key ``type=`` although
the docs' curl example uses a filter tuple (item 25); ``include_children``/``include_inactive``
are booleans sent as ``1``/``0``; the page size is 1..999 (50 by default, PEER-PY; item 7).
With ``include_children`` the API answers a nested tree: `Category.walk` flattens it.
"""

from __future__ import annotations

from ..models.categories import Category
from .declaration import Listing, ResourceSpec, choice, flag, ids

__all__ = ["CATEGORIES"]

CATEGORIES = ResourceSpec(
    name="categories",
    model=Category,
    listing=Listing(default_limit=50, max_limit=999, with_values=(), params={
        "type": choice("PRODUCT", "INGREDIENT", "ACCOUNTING", top_level=True),
        "parent_id": ids(top_level=True),
        "include_children": flag(top_level=True),
        "include_inactive": flag(top_level=True),
    }),
    gettable=True,
    get_params={"include_children": flag(top_level=True)},
    columns=(("ID", "id"), ("NAME", "name"), ("TYPE", "type"), ("PARENT_ID", "parent_id"),
             ("DEPTH", "depth"), ("STATUS", "status")),
)
