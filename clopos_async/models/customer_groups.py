"""The customer group model (REFERENCE §4.3): a group customers belong to, with its discount.

``discount_type`` is a string or null in the docs' table and an int enum in the peer SDK
(REFERENCE §5 items 27 and 3 of §4.3). Robust choice: keep it exactly as sent (``int | str``),
so neither reading loses the value; `DiscountType` names the documented ints.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs

__all__ = ["CustomerGroup"]


@attrs.frozen(kw_only=True)
class CustomerGroup:
    """A customer group; its ``id`` is a customer's ``group_id``."""

    id: int | str
    name: str | None = None
    discount_type: int | str | None = None
    discount_value: Decimal | None = None
    system_type: str | None = None  # e.g. ``my_customers``
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


attrs.resolve_types(CustomerGroup)  # cattrs needs real types, not `from __future__` strings
