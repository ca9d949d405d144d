"""Receipt and customer writes under the resilience tests' fault plan: exactly one effect each.

Resets after the server committed, 5xx after it ran, answers slower than the client's
timeout (the handler still runs, late): every write ends with one effect on the server and a
caller who knows the outcome. Effects are counted on the server (FakeClopos counters and its
per-receipt / per-cid tallies), never inferred from what the client says.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp
import attrs

from clopos_async import (
    AsyncClopos,
    CloposError,
    NewCustomer,
    NewReceipt,
    OutcomeUnknownError,
    ReceiptPayment,
    RetryPolicy,
)
from clopos_async.testing import FakeClopos, FaultPlan

from .conftest import client_for

WRITES = 300
PATIENT = RetryPolicy(max_retries=10, total_timeout=120)
# Shorter than the plan's slow answers: those attempts time out, and their handler runs later.
TIMEOUT = aiohttp.ClientTimeout(total=0.25)


def fault_plan(seed: int) -> FaultPlan:
    """The resilience tests' kinds that make a write ambiguous, at 30% in all."""
    return FaultPlan(rate_500=0.04, rate_502=0.04, rate_503=0.04, rate_504=0.04,
                     rate_reset=0.1, rate_slow=0.04, slow_seconds=0.5, seed=seed)


@attrs.frozen
class Tally:
    """What one run of writes did: attempts, faults, outcomes the callers heard."""

    attempted: int
    faults: int
    ambiguous_faults: int
    succeeded: int
    failed_known: int
    unknown: int


async def run_writes(fake: FakeClopos, clopos: AsyncClopos,
                     writes: list[Callable[[], Awaitable[Any]]]) -> Tally:
    """Run the writes one after another (so the seeded faults fall the same way every run)."""
    succeeded = failed = unknown = 0
    for write in writes:
        try:
            await write()
            succeeded += 1
        except OutcomeUnknownError:
            unknown += 1
        except CloposError:  # a typed failure whose outcome is known (nothing was done)
            failed += 1
    by_kind = fake.counters.faults_by_kind
    ambiguous = sum(n for kind, n in by_kind.items() if kind.endswith("_after") or kind == "slow")
    return Tally(len(writes), fake.counters.faults_injected, ambiguous, succeeded, failed,
                 unknown)


def payment(amount: Decimal) -> list[ReceiptPayment]:
    return [ReceiptPayment(id=1, name="Cash", amount=amount)]


async def test_v1_receipt_creates_under_faults_make_each_receipt_once() -> None:
    async with FakeClopos(orders=0, api_version="v1", faults=None) as fake:
        receipts = [NewReceipt(user_id=2, payment_methods=payment(Decimal(n + 1)))
                    for n in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed=12)
            tally = await run_writes(fake, clopos, [
                lambda r=r: clopos.receipts.create(r) for r in receipts])
        fake.faults = None
        assert tally.ambiguous_faults > 20  # the plan did hit writes after they committed
        assert tally.unknown == 0 and tally.failed_known == 0
        assert fake.counters.receipts_created == WRITES
        assert all(fake.sales.creations[r.cid] == 1 for r in receipts)
        stored = [x for x in fake.receipts.values() if x["cid"] in {r.cid for r in receipts}]
        assert len(stored) == WRITES


async def test_v2_receipt_closes_under_faults_close_each_receipt_once() -> None:
    await _closes_once("v2", seed=14)


async def test_v1_receipt_closes_by_put_under_faults_close_each_receipt_once() -> None:
    await _closes_once("v1", seed=15)


async def _closes_once(version: str, *, seed: int) -> None:
    async with FakeClopos(orders=0, api_version=version) as fake:
        opened = [fake.add_receipt(total=10 + n)["id"] for n in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed=seed)
            tally = await run_writes(fake, clopos, [
                lambda i=i, n=n: clopos.receipts.close(i, payment_methods=payment(Decimal(10 + n)))
                for n, i in enumerate(opened)])
        fake.faults = None
        assert tally.ambiguous_faults > 20
        assert tally.unknown == 0 and tally.failed_known == 0
        assert fake.counters.receipts_closed == WRITES
        assert all(fake.sales.closings[i] == 1 for i in opened)
        assert all(fake.receipts[i]["status"] == 2 for i in opened)


async def test_customer_creates_under_faults_make_each_customer_once(api_version: str) -> None:
    async with FakeClopos(orders=0, api_version=api_version) as fake:
        customers = [NewCustomer(name=f"Customer {n}", phone=f"+99450{n:07d}")
                     for n in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed=16)
            tally = await run_writes(fake, clopos, [
                lambda c=c: clopos.customers.create(c) for c in customers])
        fake.faults = None
        assert tally.ambiguous_faults > 20
        assert tally.unknown == 0 and tally.failed_known == 0
        assert fake.counters.customers_created == WRITES
        assert all(fake.sales.creations[c.cid] == 1 for c in customers)


async def test_v1_deletes_under_faults_delete_each_receipt_once() -> None:
    async with FakeClopos(orders=0, api_version="v1") as fake:
        opened = [fake.add_receipt()["id"] for _ in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed=17)
            tally = await run_writes(fake, clopos, [
                lambda i=i: clopos.receipts.delete(i) for i in opened])
        fake.faults = None
        assert tally.ambiguous_faults > 20
        assert tally.unknown == 0 and tally.failed_known == 0
        assert fake.counters.receipts_deleted == WRITES
        assert not set(opened) & set(fake.receipts)


async def test_updates_under_faults_end_with_the_fields_set(api_version: str) -> None:
    async with FakeClopos(orders=0, api_version=api_version) as fake:
        opened = [fake.add_receipt()["id"] for _ in range(WRITES)]
        async with client_for(fake, retry=PATIENT, timeout=TIMEOUT) as clopos:
            fake.faults = fault_plan(seed=18)
            tally = await run_writes(fake, clopos, [
                lambda i=i: clopos.receipts.update(i, order_number=f"RPO-{i}", lock=True)
                for i in opened])
        fake.faults = None
        assert tally.ambiguous_faults > 20
        assert tally.unknown == 0 and tally.failed_known == 0
        assert all(fake.receipts[i]["order_number"] == f"RPO-{i}" for i in opened)
