"""One page of a list response."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

if TYPE_CHECKING:  # a type only: models stay in the pure core
    from ..reply import Reply

__all__ = ["DegradedItem", "Page"]

T = TypeVar("T")


@attrs.frozen
class DegradedItem:
    """An item of a page that did not fully fit its model, and came through anyway.

    ``index`` is its position in ``Page.items`` (and ``Page.raw_items``, which holds it exactly
    as sent); ``id`` is the id as sent (``None`` when missing). Each of ``problems`` names a
    JSON path and what was wrong there; that part of the typed item is ``None`` (``()`` for a
    list field, which keeps its type; an order
    whose id could not be read has ``id`` ``None``).
    """

    index: int
    id: object
    problems: tuple[str, ...]


@attrs.frozen
class Page(Generic[T]):
    """The items of one page plus what the server said about the whole listing.

    ``total`` comes from the v2 ``total`` or the v1 ``pagination.total``; ``total_pages``
    from ``pagination.total_pages`` or, failing that, is computed from ``total``.
    ``raw_items`` holds the items exactly as the API sent them (decoded JSON), parallel to
    ``items``: for lossless export, and for fields the typed models do not know yet.
    ``degraded`` lists the items that did not fully fit their model (see `DegradedItem`);
    ``len(page.degraded)`` is how many. A client built with ``strict=True`` raises instead.
    ``reply`` is this page's own HTTP reply (status, headers, the whole decoded body).
    """

    items: list[T]
    page: int
    limit: int
    total: int | None = None
    server_total_pages: int | None = attrs.field(default=None, repr=False)
    raw_items: list[Any] = attrs.field(factory=list, repr=False, eq=False)
    degraded: tuple[DegradedItem, ...] = ()
    reply: Reply | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def total_pages(self) -> int | None:
        """How many pages the listing has, if the server said enough to know."""
        if self.server_total_pages is not None:
            return self.server_total_pages
        if self.total is None:
            return None
        return -(-self.total // self.limit)

    @property
    def has_next(self) -> bool:
        """Whether another page may follow (the stop rules of REFERENCE §2.5)."""
        if not self.items or len(self.items) < self.limit:
            return False
        total_pages = self.total_pages
        if total_pages is not None and self.page >= total_pages:
            return False
        return not (self.total is not None and self.page * self.limit >= self.total)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        """The page's items: ``for order in page`` is ``for order in page.items``."""
        return iter(self.items)
