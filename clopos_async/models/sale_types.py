"""The sale type model (REFERENCE §4.10): how an order is served (in, delivery, takeaway).

Lenient like the order models: every field but ``id`` optional, unknown fields ignored.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs

__all__ = ["SaleType"]


@attrs.frozen(kw_only=True)
class SaleType:
    """A sale type; its ``id`` is the ``sale_type_id`` of a new order.

    ``system_type`` is ``IN``, ``DELIVERY`` or ``TAKEAWAY`` (None on older data). ``status``
    is kept as sent: a per-venue map ``{"<venue_id>": 0|1}``; ask `active_in` rather than
    reading it.
    """

    id: int | str
    name: str | None = None
    system_type: str | None = None
    channel: str | None = None
    status: object = None
    service_charge_rate: Decimal | None = None
    position: int | None = None
    media: tuple[object, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # The older v1 example only.
    payment_method_id: int | None = None
    payment_method: object = None
    deleted_at: datetime | None = None

    def active_in(self, venue_id: int | str) -> bool | None:
        """Whether the sale type is on in that venue; None when the server did not say."""
        if not isinstance(self.status, dict):
            return None
        flag = self.status.get(str(venue_id))
        return None if flag is None else bool(flag)


attrs.resolve_types(SaleType)  # cattrs needs real types, not `from __future__` strings
