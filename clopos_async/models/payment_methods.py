"""The payment method model (REFERENCE §4.11): how a receipt is paid (cash, card, bonus...).

Its ``id`` is what a receipt's ``payment_methods[]`` names. Lenient like the order models:
every field but ``id`` optional, unknown fields ignored, 1/0 flags read as booleans, ``[]``
where an object belongs read as absent.
"""

from __future__ import annotations

from datetime import datetime

import attrs

__all__ = ["PaymentBalance", "PaymentMethod", "PaymentService"]


@attrs.frozen(kw_only=True)
class PaymentBalance:
    """The balance a method pays from: ``type`` is ``CASH`` or ``CARD`` (or what was sent)."""

    id: int | str | None = None
    system_type: str | None = None
    name: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class PaymentService:
    """The service behind a method, e.g. ``{"name": "loyalty", "check": [], "payload": []}``."""

    name: str | None = None
    check: object = None
    payload: object = None


@attrs.frozen(kw_only=True)
class PaymentMethod:
    """A payment method. ``status`` is kept as sent: a per-venue map ``{"<venue_id>": 0|1}``;
    ask `active_in` rather than reading it."""

    id: int | str
    name: str | None = None
    status: object = None
    split: bool | None = None
    position: int | None = None
    customer_required: bool | None = None
    is_system: bool | None = None
    balance_id: int | str | None = None  # PEER-PY only
    balance: PaymentBalance | None = None
    service: PaymentService | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def active_in(self, venue_id: int | str) -> bool | None:
        """Whether the method is on in that venue; None when the server did not say."""
        if not isinstance(self.status, dict):
            return None
        flag = self.status.get(str(venue_id))
        return None if flag is None else bool(flag)


for _model in (PaymentBalance, PaymentService, PaymentMethod):
    attrs.resolve_types(_model)  # cattrs needs real types, not `from __future__` strings
