"""The stop list (REFERENCE §4.5): products whose stock is limited, and changes to it.

A product absent from the stop list has no limitation. ``timestamp`` arrives as epoch
milliseconds and is read by the one timestamp rule (`clopos_async.timestamps`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

import attrs

from clopos_async.models.fields import wire

__all__ = ["StopListChange", "StopListChangeKind", "StopListEntry"]


@attrs.frozen(kw_only=True)
class StopListEntry:
    """A limited product: ``limit`` left in stock (0: unavailable), set at ``timestamp``.

    ``product_id`` is the entry's ``id`` on the wire: the product's id.
    """

    product_id: int | str = attrs.field(metadata=wire("id"))
    limit: Decimal | None = None
    timestamp: datetime | None = None

    @property
    def unavailable(self) -> bool:
        """Whether the product cannot be sold at all now (``limit`` 0)."""
        return self.limit is not None and self.limit <= 0


StopListChangeKind = Literal["limited", "limit_changed", "available"]


@attrs.frozen(kw_only=True)
class StopListChange:
    """One product's change between two polls of the stop list (``watch_stop_list``).

    ``kind``: ``"limited"`` (it joined the list; ``entry`` is set), ``"limit_changed"`` (its
    limit changed; ``entry`` and ``previous`` are set) or ``"available"`` (it left the list:
    no limitation any more; ``entry`` is None, ``previous`` is its last entry).
    """

    kind: StopListChangeKind
    product_id: int | str
    entry: StopListEntry | None = None
    previous: StopListEntry | None = None


attrs.resolve_types(StopListEntry)  # cattrs needs real types, not `from __future__` strings
attrs.resolve_types(StopListChange)
