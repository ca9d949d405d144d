"""The user model (REFERENCE §4.9): a member of the brand's staff (owner, cashier, waiter).

v2 documents ``id, email, username, first_name, last_name, mobile_number, owner, status,
created_at, updated_at``; v1 (per the peer SDK) adds the cashier fields below. Lenient like
the order models: every field but ``id`` optional, unknown fields ignored, flags bool-or-int.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs

__all__ = ["User"]


@attrs.frozen(kw_only=True)
class User:
    """A user; its ``id`` is what receipts name as ``user_id``/``open_by_user_id``."""

    id: int | str
    email: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    mobile_number: str | None = None
    owner: bool | None = None
    status: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # v1 only (PEER-PY).
    pin: str | None = None
    card: str | None = None
    hide: bool | None = None
    salary: Decimal | None = None
    barcode: str | None = None
    tip_message: str | None = None
    can_receive_tips: bool | None = None
    login_at: datetime | None = None
    bonus_balance_id: int | str | None = None
    properties: object = None
    image: object = None

    @property
    def full_name(self) -> str | None:
        """First and last name joined, None when neither was sent."""
        parts = [part for part in (self.first_name, self.last_name) if part]
        return " ".join(parts) if parts else None


attrs.resolve_types(User)  # cattrs needs real types, not `from __future__` strings
