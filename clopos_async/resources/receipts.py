"""``clopos.receipts``: read, update, close, create and delete receipts (REFERENCE §4.1).

Reads come from the declaration (`RECEIPTS`) and the shared machinery. The writes that are not
idempotent (close, create) go through `reconcile.write_reconciled`, the one policy for what to
do after an ambiguous failure; update (PATCH: a set of fields) is idempotent and retried like
a read; delete is retried the same way, a 404 after an ambiguous attempt meaning "deleted".
Operations only one version has raise `NotInVersionError` before anything is sent.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from ..errors import NotFoundError
from ..idempotency import new_idempotency_key
from ..models.new_receipt import NewReceipt, check_payments, payments_body, wire_time
from ..models.page import Page
from ..models.receipts import Receipt, ReceiptPayment, ReceiptStatus, StockOperation
from ..pagination import AsyncPaginator
from ..query import DateLike, Filters
from ..reply import APIResponse
from ..requester import Requester
from ..serde import structure, structure_list
from ..validators import (
    ArgumentTypeError,
    check_choice,
    check_instance,
    check_non_empty_str,
    check_positive_number,
    invalid,
)
from ..versions import ResourceId
from .base import Resource, check_id, structured
from .declaration import Listing, Param, ResourceSpec, ids
from .receipt_watch import ReceiptEvent, watch_closed_receipts
from .reconcile import Found, Outcome, write_reconciled

__all__ = ["RECEIPTS", "RECEIPT_RELATIONS", "ReceiptsResource"]

# The documented ``with`` values (REFERENCE §4.1), for lists and get alike.
RECEIPT_RELATIONS = (
    "receipt_products", "receipt_products.modificators", "receipt_products.product.unit",
    "receipt_products.product.station", "receipt_products.modificators.modificator_group",
)
ORDER_STATUSES = ("NEW", "SCHEDULED", "IN_PROGRESS", "READY", "PICKED_UP", "COMPLETED",
                  "CANCELLED")  # the receipt's order_status (REFERENCE §3.9), not the order's
DEFAULT_LIMIT = 50


def _status(_: Any, name: str, value: Any) -> int:
    number = value.value if isinstance(value, ReceiptStatus) else value
    if isinstance(number, bool) or number not in (1, 2):
        invalid(name, "1 (ReceiptStatus.OPEN) or 2 (ReceiptStatus.CLOSED)", value,
                error=ValueError if isinstance(number, int) else ArgumentTypeError)
    return int(number)


RECEIPTS = ResourceSpec(
    name="receipts",
    model=Receipt,
    listing=Listing(
        default_limit=DEFAULT_LIMIT,
        max_limit=200,  # v2: 1..200; v1 documents no bound
        with_values=RECEIPT_RELATIONS,
        sort_fields=("id", "created_at", "updated_at", "closed_at", "total"),
        date_range=True,  # date[0]/date[1] on created_at
        params={"status": Param(_status, several=False), "sale_type_id": ids(),
                "terminal_id": ids()},
    ),
    gettable=True,
    get_with_values=RECEIPT_RELATIONS,
    columns=(("ID", "id"), ("CID", "cid"), ("STATUS", "status"), ("VENUE", "venue_id"),
             ("SALE_TYPE", "sale_type_id"), ("CUSTOMER", "customer_id"), ("TOTAL", "total"),
             ("CREATED_AT", "created_at"), ("CLOSED_AT", "closed_at")),
)

# A v1 receipt created "now" is looked for among those created within this much of now.
_CREATE_LOOKUP_SLACK = timedelta(days=1)


def _same_payments(receipt: Receipt, sent: Sequence[dict[str, object]]) -> bool:
    """Whether the receipt holds exactly the payments sent (ids and amounts)."""
    held = sorted((str(p.id), p.amount) for p in receipt.payment_methods)
    return held == sorted((str(p["id"]), p["amount"]) for p in sent)


class ReceiptsResource(Resource[Receipt]):
    """Receipts of the client's brand (and venue). Example::

        async for receipt in clopos.receipts.list(date_from="2026-01-01",
                                                  status=ReceiptStatus.CLOSED):
            print(receipt.id, receipt.total, receipt.closed_at)
    """

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester, RECEIPTS)

    @property
    def with_raw_response(self) -> RawReceipts:
        """The reads, returning `APIResponse` (the typed result and the reply it came in)."""
        return RawReceipts(self)

    # -- reads ----------------------------------------------------------------------

    async def list_page(self, *, page: int = 1, **arguments: Any) -> Page[Receipt]:
        """One page of receipts (the arguments of `list`)."""
        return (await self._list_page(page, **arguments)).parsed

    def list(
        self,
        *,
        date_from: DateLike | None = None,
        date_to: DateLike | None = None,
        status: ReceiptStatus | int | None = None,
        sale_type_id: int | Sequence[int] | None = None,
        terminal_id: int | Sequence[int] | None = None,
        with_: str | Iterable[str] | None = None,
        sort: str | None = None,
        filters: Filters | None = None,
        limit: int = DEFAULT_LIMIT,
        concurrency: int = 1,
        start_page: int = 1,
        max_items: int | None = None,
    ) -> AsyncPaginator[Receipt]:
        """Every matching receipt, page by page (``concurrency`` pages in flight).

        ``date_from``/``date_to`` are inclusive days on ``created_at``; ``sort`` is a field
        (``-`` descends). Arguments are checked now, before anything is sent.
        """
        return self.paginator(
            date_from=date_from, date_to=date_to, status=status, sale_type_id=sale_type_id,
            terminal_id=terminal_id, with_=with_, sort=sort, filters=filters, limit=limit,
            concurrency=concurrency, start_page=start_page, max_items=max_items,
        )

    async def get(self, receipt_id: ResourceId, *,
                  with_: str | Iterable[str] | None = None) -> Receipt:
        """One receipt, with the relations asked for. Example::

            receipt = await clopos.receipts.get(10950, with_=["receipt_products"])
        """
        return (await self._get(receipt_id, with_=with_)).parsed

    async def get_by_cid(self, cid: str) -> Receipt:
        """One receipt by its client UUID (v2 only). Example::

            receipt = await clopos.receipts.get_by_cid("3f1c0c5e-...")
        """
        path = self._version.path("receipts.by_cid", check_non_empty_str("cid", cid))
        reply = await self._requester.request("GET", path)
        return structured(reply, lambda data: structure(data, Receipt)).parsed

    async def stock_operations(self, receipt_id: ResourceId) -> builtins.list[StockOperation]:
        """The stock deductions of a closed receipt (v2 only)."""
        path = self._version.path("receipts.stock_operations", check_id("receipt_id", receipt_id))
        reply = await self._requester.request("GET", path)
        return structured(reply, lambda data: structure_list(data, StockOperation)).parsed

    def watch(
        self,
        *,
        interval: float = 10.0,
        window: timedelta = timedelta(days=1),
        include_existing: bool = False,
        limit: int = DEFAULT_LIMIT,
    ) -> AsyncGenerator[ReceiptEvent, None]:
        """Poll for receipts that became closed; one `ReceiptEvent` each, exactly once.

        The same options and failure policy as ``orders.watch`` (`polling.poll_every`): the
        first poll takes stock (``include_existing=True`` reports the receipts already closed),
        later ones every ``interval`` seconds, among receipts created within ``window``
        (whole UTC days). Example::

            async for event in clopos.receipts.watch(interval=10):
                print(event.receipt.id, event.receipt.closed_at, event.receipt.total)
        """
        check_positive_number("interval", interval, unit="seconds")
        if not isinstance(window, timedelta) or window <= timedelta(0):
            invalid("window", "a positive timedelta", window)
        self.list_query(limit=limit, status=ReceiptStatus.CLOSED)  # checked before any poll
        return watch_closed_receipts(self, interval=float(interval), window=window,
                                     include_existing=include_existing, limit=limit)

    # -- writes ---------------------------------------------------------------------

    async def update(
        self,
        receipt_id: ResourceId,
        *,
        order_status: str | None = None,
        order_number: str | None = None,
        fiscal_id: str | None = None,
        lock: bool | None = None,
    ) -> Receipt:
        """Set some fields of a receipt (PATCH, v1 and v2; closed receipts too).

        Arguments left ``None`` are not sent; at least one is needed. Setting a set of
        fields is idempotent, so it is retried like a read. Example::

            receipt = await clopos.receipts.update(10950, order_number="RPO-00001", lock=True)
        """
        path = self._version.path("receipts", check_id("receipt_id", receipt_id))
        body: dict[str, object] = {}
        if order_status is not None:
            body["order_status"] = _order_status(order_status)
        for name, value in (("order_number", order_number), ("fiscal_id", fiscal_id)):
            if value is not None:
                body[name] = check_non_empty_str(name, value)
        if lock is not None:
            body["lock"] = check_instance("lock", lock, bool)
        if not body:
            invalid("update", "given at least one of order_status, order_number, fiscal_id, "
                    "lock", None)
        reply = await self._requester.request("PATCH", path, json=body)
        return structured(reply, lambda data: structure(data, Receipt)).parsed

    async def close(
        self,
        receipt_id: ResourceId,
        *,
        payment_methods: Sequence[ReceiptPayment],
        closed_at: datetime | None = None,
    ) -> Receipt:
        """Close an open receipt with its payments (v2: ``POST receipts/{id}/close``; v1: the
        documented ``PUT receipts/{id}`` with its ``cid``, read first).

        ``closed_at`` (default: the server's now) is sent as ``YYYY-MM-DD HH:MM:SS`` UTC; a
        naive datetime is taken as UTC. Closing twice is not idempotent, so after an
        ambiguous failure the receipt is read before anything is resent: closed with these
        payments -> that receipt; still open -> closed again; otherwise
        `OutcomeUnknownError` (``reconcile_with`` names the receipt and the payments).
        Amounts are Decimals, unscaled (REFERENCE §5.26). Example::

            receipt = await clopos.receipts.close(
                10950, payment_methods=[ReceiptPayment(id=2, name="Cash", amount=Decimal("81.40"))])
        """
        item = check_id("receipt_id", receipt_id)
        payments = payments_body(check_payments("payment_methods", payment_methods))
        body: dict[str, object] = {"payment_methods": payments}
        if closed_at is not None:
            body["closed_at"] = wire_time("closed_at", closed_at)
        # v2 has a close operation; v1 closes with a full PUT naming the receipt's cid.
        has_close = "receipts.close" in self._version.paths
        path = self._version.path("receipts.close" if has_close else "receipts.put", item)

        async def write() -> Receipt:
            sent = body if has_close else {"id": item, "cid": await self._cid_of(item), **body}
            method = "POST" if has_close else "PUT"
            reply = await self._requester.request(method, path, json=sent, replayable=False)
            return structured(reply, lambda data: structure(data, Receipt)).parsed

        async def find() -> Found[Receipt]:
            receipt = await self.get(item)
            if receipt.status == ReceiptStatus.OPEN:
                return Found(Outcome.NOT_DONE)
            if receipt.is_closed and _same_payments(receipt, payments):
                return Found(Outcome.DONE, receipt)
            return Found(Outcome.UNKNOWN, detail=f"the receipt is now status "
                         f"{receipt.status!r} with payments {receipt.payment_methods!r}")

        return await write_reconciled(
            write, find, policy=self._requester.retry_policy, what=f"closing receipt {item!r}",
            retry_is_safe=False,
            reconcile_with={"receipt_id": item, "payment_methods": payments},
            resent_by_http=not has_close,
        )

    async def _cid_of(self, receipt_id: ResourceId) -> str:
        cid = (await self.get(receipt_id)).cid
        if not cid:
            invalid("receipt_id", "a receipt with a cid (v1 closes by id and cid)", receipt_id)
        return cid

    async def create(self, receipt: NewReceipt, *, idempotency_key: str | None = None) -> Receipt:
        """Create a receipt (v1 only; the server stores it closed).

        Every attempt carries the same ``Idempotency-Key`` (yours, else a new one) and the
        receipt's ``cid``, which the server refuses to repeat (409). After an ambiguous
        failure the create is resent; a 409 on the cid then means the earlier attempt made
        it: it is fetched and returned. Example::

            receipt = await clopos.receipts.create(NewReceipt(
                user_id=1, payment_methods=[ReceiptPayment(id=1, name="Cash", amount=17)]))
        """
        check_instance("receipt", receipt, NewReceipt)
        key = new_idempotency_key() if idempotency_key is None else check_non_empty_str(
            "idempotency_key", idempotency_key)
        path = self._version.path("receipts.create")
        body = receipt.to_body()

        async def write() -> Receipt:
            reply = await self._requester.request("POST", path, json=body, idempotency_key=key,
                                                  replayable=False)
            return structured(reply, lambda data: structure(data, Receipt)).parsed

        async def find() -> Found[Receipt]:
            found = await self._find_by_cid(receipt.cid, around=receipt.created_at)
            return Found(Outcome.DONE, found) if found is not None else Found(Outcome.NOT_DONE)

        return await write_reconciled(write, find, policy=self._requester.retry_policy,
                                      what="creating a receipt", retry_is_safe=True,
                                      reconcile_with={"cid": receipt.cid},
                                      idempotency_key=key)

    async def _find_by_cid(self, cid: str, *, around: datetime | None) -> Receipt | None:
        if "receipts.by_cid" in self._version.paths:
            try:
                return await self.get_by_cid(cid)
            except NotFoundError:
                return None
        # v1 has no lookup by cid: scan the receipts created around then, newest first.
        when = (around or datetime.now(timezone.utc)).astimezone(timezone.utc)
        listing = self.list(date_from=(when - _CREATE_LOOKUP_SLACK).date(),
                            date_to=(when + _CREATE_LOOKUP_SLACK).date(), sort="-id",
                            limit=200, concurrency=4)
        async for found in listing:
            if found.cid == cid:
                return found
        return None

    async def delete(self, receipt_id: ResourceId) -> None:
        """Delete a receipt (v1 only; its stock operations are rolled back; it cannot be
        undone). A 404 after an ambiguous attempt means the first one deleted it; since the
        HTTP layer may itself resend a DELETE once, any 404 is checked by reading: a receipt
        that is gone is deleted (no error), one still there raises the 404. Example::

            await clopos.receipts.delete(10950)
        """
        item = check_id("receipt_id", receipt_id)
        path = self._version.path("receipts.delete", item)

        async def write() -> None:
            await self._requester.request("DELETE", path, replayable=False)

        async def find() -> Found[None]:
            try:
                await self.get(item)
            except NotFoundError:
                return Found(Outcome.DONE)
            return Found(Outcome.NOT_DONE)

        await write_reconciled(write, find, policy=self._requester.retry_policy,
                               what=f"deleting receipt {item!r}",
                               retry_is_safe=True, reconcile_with={"receipt_id": item},
                               resent_by_http=True)


def _order_status(value: object) -> str:
    """A receipt ``order_status`` (case-insensitive), spelt as the API does."""
    if not isinstance(value, str):
        invalid("order_status", f"one of {', '.join(ORDER_STATUSES)}", value,
                error=ArgumentTypeError)
    return check_choice("order_status", value.strip().upper(), ORDER_STATUSES)


class RawReceipts:
    """``clopos.receipts.with_raw_response``: the reads, returning `APIResponse`."""

    def __init__(self, receipts: ReceiptsResource) -> None:
        self._receipts = receipts

    async def list_page(self, *, page: int = 1, **arguments: Any) -> APIResponse[Page[Receipt]]:
        """One page of receipts, with its reply."""
        return await self._receipts._list_page(page, **arguments)

    async def get(self, receipt_id: ResourceId, **arguments: Any) -> APIResponse[Receipt]:
        """One receipt, with the reply it came in."""
        return await self._receipts._get(receipt_id, **arguments)
