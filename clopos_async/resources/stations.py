"""``clopos.stations``: the declaration of stations (REFERENCE §4.7), both versions.

``status`` (1/0) and ``can_print`` are top-level query keys as the docs list them, the
boolean sent as ``1``/``0`` (REFERENCE §2.6); the page size is 1..200 (50 by default, PEER-PY).
"""

from __future__ import annotations

from ..models.stations import Station
from .declaration import Listing, ResourceSpec, flag, levels

__all__ = ["STATIONS"]

STATIONS = ResourceSpec(
    name="stations",
    model=Station,
    listing=Listing(default_limit=50, max_limit=200, with_values=(), params={
        "status": levels(1, 0, top_level=True),
        "can_print": flag(top_level=True),
    }),
    gettable=True,
    columns=(("ID", "id"), ("NAME", "name"), ("STATUS", "status"), ("TYPE", "type"),
             ("PRINTABLE", "printable")),
)
