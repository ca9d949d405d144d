"""The category model (REFERENCE §4.6): a tree of product, ingredient or accounting categories.

The API answers with a nested tree (``children`` recursive) and also sends the nested-set
bounds (``_lft``/``_rgt``) and ``depth``; `Category.walk` flattens the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import attrs

from clopos_async.models.fields import wire

__all__ = ["Category"]


@attrs.frozen(kw_only=True)
class Category:
    """A category and, when listed or fetched with ``include_children``, its subtree.

    ``type`` is ``PRODUCT``, ``INGREDIENT`` or ``ACCOUNTING`` (unknown values are kept).
    ``hidden`` is a boolean on categories but 0/1 on products (REFERENCE §5, item 25): both
    read as ``bool``. ``lft``/``rgt`` are the nested-set bounds (``_lft``/``_rgt`` on the
    wire): a category's descendants are exactly those with ``lft < d.lft < rgt``.
    ``depth`` is 0 for a root. ``color`` is hex without ``#``.
    """

    id: int | str
    name: str | None = None
    type: str | None = None
    status: int | None = None
    hidden: bool | None = None
    position: int | None = None
    parent_id: int | str | None = None
    lft: int | None = attrs.field(default=None, metadata=wire("_lft"))
    rgt: int | None = attrs.field(default=None, metadata=wire("_rgt"))
    depth: int | None = None
    color: str | None = None
    children: tuple[Category, ...] = ()
    media: tuple[object, ...] = ()
    image: object = None
    code: str | None = None
    slug: str | None = None
    emenu_position: int | None = None
    emenu_hidden: bool | None = None
    meta: object = None
    properties: object = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def walk(self) -> Iterator[Category]:
        """This category, then every descendant, depth first (each before its children).

        Iterative, so a deep tree cannot exhaust the recursion limit.
        """
        stack: list[Category] = [self]
        while stack:
            category = stack.pop()
            yield category
            stack.extend(reversed(category.children))


attrs.resolve_types(Category)  # cattrs needs real types, not `from __future__` strings
