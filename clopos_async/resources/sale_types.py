"""``clopos.sale_types``: the declaration of a plain read-only resource (REFERENCE §4.10).

Both versions serve ``GET sale-types`` (path in the version profile); v1 may answer a bare
JSON array, which the machinery reads as one complete page. The page size is undocumented:
PEER-PY sends 20 by default and documents 1..100, so those are the bounds checked here.
"""

from __future__ import annotations

from ..models.sale_types import SaleType
from .declaration import Listing, ResourceSpec

__all__ = ["SALE_TYPES"]

SALE_TYPES = ResourceSpec(
    name="sale_types",
    model=SaleType,
    listing=Listing(default_limit=20, max_limit=100),
    columns=(("ID", "id"), ("NAME", "name"), ("SYSTEM_TYPE", "system_type"),
             ("CHANNEL", "channel")),
)
