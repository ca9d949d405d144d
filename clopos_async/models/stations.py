"""The station model (REFERENCE §4.7): where a product is prepared or printed (a kitchen, a bar).

Lenient like the order models: every field but ``id`` optional, unknown fields ignored, the
0/1 integer flags read as booleans.
"""

from __future__ import annotations

from datetime import datetime

import attrs

__all__ = ["Station"]


@attrs.frozen(kw_only=True)
class Station:
    """A preparation station; products name it by ``station_id``.

    ``status`` is 1 active, 0 inactive; ``type`` is 1 kitchen, 0 other. ``printable`` is sent
    as 0/1 and ``can_print`` (PEER-PY) as a boolean: both read as ``bool``.
    """

    id: int | str
    name: str | None = None
    status: int | None = None
    type: int | None = None
    printable: bool | None = None
    can_print: bool | None = None
    reminder_enabled: bool | None = None
    description: str | None = None
    meta: object = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


attrs.resolve_types(Station)  # cattrs needs real types, not `from __future__` strings
