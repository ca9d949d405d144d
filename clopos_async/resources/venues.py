"""``clopos.venues``: the brand's venues (REFERENCE §4.8), both versions.

No parameters are documented (REFERENCE §5 item 36); the peer SDK sends ``page``/``limit``
with 1..100, so those are the bounds checked. Robust choice: ``page``/``limit`` are always
sent (the paginator needs a known page size to stop safely), and an answer that ignores them
(a bare array, or the same items again) ends the listing after one page instead of looping.
"""

from __future__ import annotations

from ..models.venues import Venue
from .declaration import Listing, ResourceSpec

__all__ = ["VENUES"]

VENUES = ResourceSpec(
    name="venues",
    model=Venue,
    listing=Listing(default_limit=20, max_limit=100),
    columns=(("ID", "id"), ("NAME", "name"), ("MAIN", "is_main"), ("ADDRESS", "address"),
             ("PHONE", "phone")),
)
