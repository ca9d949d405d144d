"""Typing the items of one list page, where one item that does not fit never costs the page.

Every resource's list uses this: the serde layer degrades what does not fit (see
`serde.structure_items`), and here each degraded item gets its one WARNING, naming the item's
id and the JSON path, so an operator sees it without the caller having to look.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from ..models.page import DegradedItem
from ..serde import structure_items

__all__ = ["typed_page_items"]

logger = logging.getLogger("clopos_async")

T = TypeVar("T")


def typed_page_items(
    data: list[object], model: type[T], *, strict: bool, page: int
) -> tuple[list[T], tuple[DegradedItem, ...]]:
    """The page's items as ``model``, and those degraded (``strict=True``: raise instead).

    Raises ``StructureError`` when ``data`` is not a list, or in strict mode.
    """
    items, degraded = structure_items(data, model, strict=strict)
    for item in degraded:
        logger.warning(
            "%s %r on page %d did not fully fit the model (%s); the rest of it came through, "
            "its raw JSON is in page.raw_items", model.__name__, item.id, page,
            "; ".join(item.problems),
        )
    return items, degraded
