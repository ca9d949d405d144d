"""Seeded reference data (REFERENCE §4.10 onwards), consistent with the seeded orders.

Orders use sale types 1, 2 and 3 (``testing.data``); these are they, with the documented
fields: a per-venue ``status`` map keyed by venue id strings, ISO timestamps with
microseconds (v2) and, in the older v1 example, ``payment_method_id`` and ``deleted_at``.
"""

from __future__ import annotations

from typing import Any

from .config import ApiVersion

__all__ = ["make_sale_types"]

_SALE_TYPES = (
    # id, name, system_type, channel, service charge rate
    (1, "In the venue", "IN", "POS", 10),
    (2, "Delivery", "DELIVERY", "DELIVERY", None),
    (3, "Takeaway", "TAKEAWAY", "POS", None),
)


def make_sale_types(venues: dict[int, str], *, flavour: ApiVersion) -> list[dict[str, Any]]:
    """The brand's sale types as the given version shows them."""
    rows = []
    for position, (sale_type_id, name, system_type, channel, rate) in enumerate(_SALE_TYPES):
        row: dict[str, Any] = {
            "id": sale_type_id,
            "name": name,
            "system_type": system_type,
            "channel": channel,
            # Takeaway is off in the second venue: the map is not all ones.
            "status": {str(venue): int(not (sale_type_id == 3 and venue != min(venues)))
                       for venue in venues},
            "service_charge_rate": rate,
            "position": position,
            "media": [],
            "created_at": "2025-01-10T09:00:00.000000Z",
            "updated_at": "2026-02-02T13:45:53.000000Z",
        }
        if flavour == "v1":
            row.update(payment_method_id=None, deleted_at=None,
                       created_at="2025-01-10 09:00:00", updated_at="2026-02-02 13:45:53")
        rows.append(row)
    return rows
