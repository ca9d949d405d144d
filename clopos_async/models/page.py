"""One page of a list response."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

import attrs

__all__ = ["Page"]

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """The items of one page plus what the server said about the whole listing.

    ``total`` comes from the v2 ``total`` or the v1 ``pagination.total``; ``total_pages``
    from ``pagination.total_pages`` or, failing that, is computed from ``total``.
    ``raw_items`` holds the items exactly as the API sent them (decoded JSON), parallel to
    ``items``: for lossless export, and for fields the typed models do not know yet.
    """

    items: list[T]
    page: int
    limit: int
    total: int | None = None
    server_total_pages: int | None = attrs.field(default=None, repr=False)
    raw_items: list[Any] = attrs.field(factory=list, repr=False, eq=False)

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
