"""Wire names on model fields: where the API's key differs from the Python attribute name.

The name lives on the field (attrs metadata), so the structuring engine and the unstructure
hook read it from one place, and a new model never needs a side table.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["WIRE_NAME", "wire", "wire_name"]

WIRE_NAME = "clopos_async.wire_name"


def wire(name: str) -> dict[str, str]:
    """Field metadata naming the JSON key, e.g.
    ``attrs.field(default=None, metadata=wire("orderTotal"))`` for ``order_total``."""
    return {WIRE_NAME: name}


def wire_name(field: attrs.Attribute[Any]) -> str:
    """The JSON key of ``field``: its ``wire_field`` name, else the attribute name."""
    name: str = field.metadata.get(WIRE_NAME, field.name)
    return name
