"""Receipt and customer writes under the resilience tests' fault plan: exactly one effect each.

Resets after the server committed, 5xx after it ran, answers slower than the client's
timeout (the handler still runs, late): every write ends with one effect on the server and a
caller who knows the outcome. Effects are counted on the server (FakeClopos counters and its
per-receipt / per-cid tallies), never inferred from what the client says.

``python -m tests.test_write_safety`` prints the counts of every kind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp
import attrs
import pytest

from clopos_async import (
    CloposError,
    NewCustomer,
    NewReceipt,
    OutcomeUnknownError,
    ReceiptPayment,
    RetryPolicy,
)
from clopos_async.retry import retry_sleep_disabled
from clopos_async.testing import FakeClopos, FaultPlan

from .conftest import client_for

WRITES = 300
PATIENT = RetryPolicy(max_retries=10, total_timeout=120)
# Shorter than the plan's slow answers: those attempts time out, and their handler runs later.
TIMEOUT = aiohttp.ClientTimeout(total=0.15)


def fault_plan(seed: int) -> FaultPlan:
    """The resilience tests' kinds that make a write ambiguous, at 30% in all."""
    return FaultPlan(rate_500=0.04, rate_502=0.04, rate_503=0.04, rate_504=0.04,
                     rate_reset=0.1, rate_slow=0.04, slow_seconds=0.3, seed=seed)


@attrs.frozen
class Tally:
    """What one run of writes did: attempts, faults, what the server holds, what callers heard."""

    kind: str
    attempted: int
    faults: int
    ambiguous_faults: int  # "after" faults and slow answers: the server acted, unseen
    effects: int  # counted on the server
    duplicates: int  # effects beyond one per write, counted on the server
    succeeded: int
    failed_known: int  # a typed failure with nothing done
    unknown: int  # OutcomeUnknownError


Write = Callable[[], Awaitable[Any]]


async def run_writes(kind: str, fake: FakeClopos, writes: list[Write],
                     effects: Callable[[], tuple[int, int]]) -> Tally:
    """Run the writes one after another (so the seeded faults fall the same way every run)
    under the fault plan; ``effects()`` reads (effects, duplicates) from the server."""
    succeeded = failed = unknown = 0
    for write in writes:
        try:
            await write()
            succeeded += 1
        except OutcomeUnknownError:
            unknown += 1
        except CloposError:  # a typed failure whose outcome is known (nothing was done)
            failed += 1
    fake.faults = None
    by_kind = fake.counters.faults_by_kind
    ambiguous = sum(n for name, n in by_kind.items() if name.endswith("_after") or name == "slow")
    done, duplicates = effects()
    return Tally(kind, len(writes), fake.counters.faults_injected, ambiguous, done, duplicates,
                 succeeded, failed, unknown)


def payment(amount: Decimal) -> list[ReceiptPayment]:
    return [ReceiptPayment(id=1, name="Cash", amount=amount)]


async def receipt_creates(seed: int = 12) -> Tally:
    async with FakeClopos(orders=0, api_version="v1") as fake:
        receipts = [NewReceipt(user_id=2, payment_methods=payment(Decimal(n + 1)))
                    for n in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed)
            return await run_writes("receipts.create (v1)", fake, [
                lambda r=r: clopos.receipts.create(r) for r in receipts
            ], lambda: (fake.counters.receipts_created,
                        sum(fake.sales.creations[r.cid] - 1 for r in receipts
                            if fake.sales.creations[r.cid] > 1)))


async def receipt_closes(version: str, seed: int) -> Tally:
    async with FakeClopos(orders=0, api_version=version) as fake:
        opened = [fake.add_receipt(total=10 + n)["id"] for n in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed)
            return await run_writes(f"receipts.close ({version})", fake, [
                lambda i=i, n=n: clopos.receipts.close(i, payment_methods=payment(Decimal(10 + n)))
                for n, i in enumerate(opened)
            ], lambda: (sum(1 for i in opened if fake.receipts[i]["status"] == 2),
                        sum(fake.sales.closings[i] - 1 for i in opened
                            if fake.sales.closings[i] > 1)))


async def customer_creates(version: str, seed: int = 16) -> Tally:
    async with FakeClopos(orders=0, api_version=version) as fake:
        customers = [NewCustomer(name=f"Customer {n}", phone=f"+99450{n:07d}")
                     for n in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed)
            return await run_writes(f"customers.create ({version})", fake, [
                lambda c=c: clopos.customers.create(c) for c in customers
            ], lambda: (fake.counters.customers_created,
                        sum(fake.sales.creations[c.cid] - 1 for c in customers
                            if fake.sales.creations[c.cid] > 1)))


async def receipt_deletes(seed: int = 17) -> Tally:
    async with FakeClopos(orders=0, api_version="v1") as fake:
        opened = [fake.add_receipt()["id"] for _ in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed)
            return await run_writes("receipts.delete (v1)", fake, [
                lambda i=i: clopos.receipts.delete(i) for i in opened
            ], lambda: (sum(1 for i in opened if i not in fake.receipts),
                        fake.counters.receipts_deleted - WRITES))


async def receipt_updates(version: str, seed: int = 18) -> Tally:
    async with FakeClopos(orders=0, api_version=version) as fake:
        opened = [fake.add_receipt()["id"] for _ in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed)
            # Setting a set of fields is idempotent: a repeat is no extra effect.
            return await run_writes(f"receipts.update ({version})", fake, [
                lambda i=i: clopos.receipts.update(i, order_number=f"RPO-{i}", lock=True)
                for i in opened
            ], lambda: (sum(1 for i in opened
                            if fake.receipts[i]["order_number"] == f"RPO-{i}"), 0))


def assert_exactly_once(tally: Tally) -> None:
    assert tally.ambiguous_faults > 20  # the plan did hit writes after the server acted
    assert (tally.unknown, tally.failed_known, tally.succeeded) == (0, 0, WRITES), tally
    assert (tally.effects, tally.duplicates) == (WRITES, 0), tally


async def test_v1_receipt_creates_make_each_receipt_once() -> None:
    assert_exactly_once(await receipt_creates())


@pytest.mark.parametrize(("version", "seed"), [("v2", 14), ("v1", 15)])
async def test_receipt_closes_close_each_receipt_once(version: str, seed: int) -> None:
    assert_exactly_once(await receipt_closes(version, seed))


async def test_customer_creates_make_each_customer_once(api_version: str) -> None:
    assert_exactly_once(await customer_creates(api_version))


async def test_v1_deletes_delete_each_receipt_once() -> None:
    assert_exactly_once(await receipt_deletes())


async def test_updates_end_with_the_fields_set(api_version: str) -> None:
    assert_exactly_once(await receipt_updates(api_version))


async def _report() -> None:
    tallies = [await receipt_creates(), await receipt_closes("v2", 14),
               await receipt_closes("v1", 15), await customer_creates("v2"),
               await customer_creates("v1"), await receipt_deletes(),
               await receipt_updates("v2"), await receipt_updates("v1")]
    names = [field.name for field in attrs.fields(Tally)]
    print(" | ".join(names))
    for tally in tallies:
        print(" | ".join(str(getattr(tally, name)) for name in names))


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)  # the retries' warnings: thousands of lines
    with retry_sleep_disabled():
        asyncio.run(_report())
