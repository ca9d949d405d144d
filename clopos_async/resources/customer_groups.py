"""``clopos.customer_groups`` (REFERENCE §4.3), both versions: ``limit`` 1..200."""

from __future__ import annotations

from ..models.customer_groups import CustomerGroup
from .declaration import Listing, ResourceSpec

__all__ = ["CUSTOMER_GROUPS"]

CUSTOMER_GROUPS = ResourceSpec(
    name="customer_groups",
    model=CustomerGroup,
    listing=Listing(default_limit=50, max_limit=200),
    columns=(("ID", "id"), ("NAME", "name"), ("DISCOUNT_TYPE", "discount_type"),
             ("DISCOUNT_VALUE", "discount_value"), ("SYSTEM_TYPE", "system_type")),
)
