"""The venue model (REFERENCE §4.8): one restaurant of the brand; its id is the ``x-venue``.

Two shapes are documented (REFERENCE §5 item 24): the newer ``{id, name, is_main, media}``
and the older ``{id, name, address, status, phone, email}``. Robust choice: one model with
every field but ``id`` and ``name`` optional, so either shape (or a mix) decodes.
"""

from __future__ import annotations

import attrs

__all__ = ["Venue"]


@attrs.frozen(kw_only=True)
class Venue:
    """A venue, from either documented shape; fields the server left out are None/empty.

    ``is_main`` (newer shape) and ``status`` (older shape) arrive as 1/0 or booleans and are
    read as booleans.
    """

    id: int | str
    name: str | None = None
    # The newer shape.
    is_main: bool | None = None
    media: tuple[object, ...] = ()
    # The older shape.
    address: str | None = None
    status: bool | None = None
    phone: str | None = None
    email: str | None = None


attrs.resolve_types(Venue)  # cattrs needs real types, not `from __future__` strings
