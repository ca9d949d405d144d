"""``clopos.payment_methods`` (REFERENCE §4.11), both versions.

Paging is undocumented (REFERENCE §5 item 36): the peer SDK sends 20 by default and documents
1..100; always sent, and an unpaginated answer read as one complete page (see `venues`).
"""

from __future__ import annotations

from ..models.payment_methods import PaymentMethod
from .declaration import Listing, ResourceSpec

__all__ = ["PAYMENT_METHODS"]

PAYMENT_METHODS = ResourceSpec(
    name="payment_methods",
    model=PaymentMethod,
    listing=Listing(default_limit=20, max_limit=100),
    columns=(("ID", "id"), ("NAME", "name"), ("BALANCE", "balance.type"), ("SPLIT", "split"),
             ("CUSTOMER_REQUIRED", "customer_required"), ("SYSTEM", "is_system")),
)
