"""``clopos.users``: list and get (REFERENCE §4.9), both versions.

Paging is undocumented (REFERENCE §5 item 36): 1..100 as the peer SDK documents, always sent,
and an unpaginated answer read as one complete page (see `venues`).
"""

from __future__ import annotations

from ..models.users import User
from .declaration import Listing, ResourceSpec

__all__ = ["USERS"]

USERS = ResourceSpec(
    name="users",
    model=User,
    listing=Listing(default_limit=20, max_limit=100),
    gettable=True,
    columns=(("ID", "id"), ("USERNAME", "username"), ("FIRST_NAME", "first_name"),
             ("LAST_NAME", "last_name"), ("EMAIL", "email"), ("OWNER", "owner"),
             ("STATUS", "status")),
)
