"""``clopos.customers``: list, get and create customers (REFERENCE §4.2).

The listing's bounds are the stricter version's: ``limit`` 1..100 (v1; v2 allows 999). v1
embeds ``group``, ``balance`` and ``cashback_balance``; v2 documents ``group`` only (REFERENCE
§5.23). There is no ``search`` parameter: filter on ``name`` (partial), ``phone`` (sent as the
documented ``phones`` filter, which searches every number) and ``group_id``.
"""

from __future__ import annotations

from typing import Any

from ..models.customers import Customer, NewCustomer
from ..requester import Requester
from ..serde import structure
from ..validators import check_instance
from .base import PlainResource, structured
from .declaration import Listing, ResourceSpec, ids, text
from .reconcile import Found, Outcome, write_reconciled

__all__ = ["CUSTOMERS", "CustomersResource"]

CUSTOMERS = ResourceSpec(
    name="customers",
    model=Customer,
    listing=Listing(
        default_limit=50,
        max_limit=100,
        with_values=("group", "balance", "cashback_balance"),
        sort_fields=("id", "cid", "group_id", "name", "email", "address", "created_at",
                     "updated_at"),
        params={"name": text(), "phone": text(wire="phones"), "group_id": ids()},
    ),
    gettable=True,
    get_with_values=("group", "balance", "cashback_balance"),
    columns=(("ID", "id"), ("NAME", "name"), ("PHONE", "phone"), ("EMAIL", "email"),
             ("GROUP", "group_id"), ("CID", "cid"), ("CREATED_AT", "created_at")),
)


class CustomersResource(PlainResource[Customer]):
    """Customers: ``list``/``list_page``/``get`` from the declaration, and ``create``. Example::

        async for customer in clopos.customers.list(name="John", group_id=2, with_=["group"]):
            print(customer.id, customer.name, customer.phone)
    """

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester, CUSTOMERS)

    async def create(self, customer: NewCustomer) -> Customer:
        """Create a customer; it carries its ``cid`` (generated unless given) on every attempt.

        A phone or code already taken is a `ConflictError` with the server's message, never
        retried. After an ambiguous failure the create is resent with the same ``cid``; a
        refusal then is checked by looking the cid up: found -> that customer. Example::

            customer = await clopos.customers.create(NewCustomer(name="Rahid",
                                                                 phone="+994501234567"))
        """
        check_instance("customer", customer, NewCustomer)
        path = self._version.path("customers")
        body = customer.to_body()

        async def write() -> Customer:
            reply = await self._requester.request("POST", path, json=body, replayable=False)
            return structured(reply, lambda data: structure(data, Customer)).parsed

        async def find() -> Found[Customer]:
            found = await self._find_by_cid(customer)
            return Found(Outcome.DONE, found) if found is not None else Found(Outcome.NOT_DONE)

        return await write_reconciled(write, find, policy=self._requester.retry_policy,
                                      what="creating a customer",
                                      retry_is_safe=True, reconcile_with={"cid": customer.cid})

    async def _find_by_cid(self, customer: NewCustomer) -> Customer | None:
        # No lookup by cid is documented: narrow by phone (unique) or name, then match the cid.
        narrowed: dict[str, Any] = (
            {"phone": customer.phone} if customer.phone is not None else {"name": customer.name})
        async for found in self.list(limit=100, **narrowed):
            if found.cid == customer.cid:
                return found
        return None


