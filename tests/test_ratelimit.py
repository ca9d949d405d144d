"""The admission gate on its own, with a fake clock (end to end under quotas: test_resilience)."""

from __future__ import annotations

import asyncio

import pytest

from clopos_async import RateLimitError
from clopos_async.ratelimit import AdmissionGate
from clopos_async.wire import RateLimitInfo


class Clock:
    """Time that moves only when the gate sleeps, so waits are exact and instant."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds
        await asyncio.sleep(0)


def gate_with(clock: Clock, concurrency: int = 8) -> AdmissionGate:
    return AdmissionGate(concurrency, clock=clock, sleep=clock.sleep)


async def send(gate: AdmissionGate, info: RateLimitInfo | None = None) -> None:
    async with gate.admit():
        gate.observe(info)


async def test_unknown_quota_lets_requests_through() -> None:
    clock = Clock()
    gate = gate_with(clock)
    for _ in range(20):
        await send(gate)
    assert clock.slept == [] and gate.state.limit is None


async def test_spent_budget_waits_for_the_reset() -> None:
    clock = Clock()
    gate = gate_with(clock)
    # Precise resets: the gate waits exactly as long as the server says.
    await send(gate, RateLimitInfo(limit=3, remaining=0, reset_after=2.5))
    await send(gate, RateLimitInfo(limit=3, remaining=2, reset_after=2.5))
    assert clock.slept == [2.5]
    assert gate.state.remaining == 2


async def test_budget_counts_requests_sent_since_the_last_answer() -> None:
    clock = Clock()
    gate = gate_with(clock)
    await send(gate, RateLimitInfo(limit=5, remaining=2, reset_after=10.5))
    await send(gate)  # no headers on this one: the budget of 2 is now 1
    await send(gate)  # and 0
    assert clock.slept == []
    await send(gate)
    assert clock.slept == [10.5]


async def test_a_429_pause_holds_every_sender() -> None:
    clock = Clock()
    gate = gate_with(clock)
    gate.pause(3.0)
    await asyncio.gather(*(send(gate) for _ in range(3)))
    assert clock.slept and clock.slept[0] == 3.0
    assert gate.pauses >= 1


async def test_a_wait_beyond_max_wait_raises_without_sending() -> None:
    clock = Clock()
    gate = gate_with(clock)
    await send(gate, RateLimitInfo(limit=1, remaining=0, reset_after=600.5))
    with pytest.raises(RateLimitError) as caught:
        async with gate.admit(max_wait=60):
            raise AssertionError("must not be admitted")
    assert caught.value.retry_after == pytest.approx(600.5)
    assert clock.slept == []


async def test_whole_second_resets_are_refined_from_our_own_send_times() -> None:
    clock = Clock()
    gate = gate_with(clock)
    # A 1 s sliding window of 2: two sends 0.3 s apart; the server rounds the reset up.
    await send(gate, RateLimitInfo(limit=2, remaining=1, reset_after=1))
    clock.now += 0.3
    await send(gate, RateLimitInfo(limit=2, remaining=0, reset_after=1))
    await send(gate, RateLimitInfo(limit=2, remaining=0, reset_after=1))
    # The first send leaves the window 0.7 s later (plus a small margin), not a full second.
    assert len(clock.slept) == 1 and 0.7 <= clock.slept[0] < 0.8


async def test_a_slot_frees_a_window_after_the_answer_of_a_late_handled_request() -> None:
    # A busy server counts a request when it gets to it, up to its answer: the answer time,
    # not the send time, says when that request leaves the window (multi_brand's 429s).
    clock = Clock()
    gate = gate_with(clock)
    async with gate.admit():
        clock.now += 0.4  # sent at 0, answered at 0.4
        gate.observe(RateLimitInfo(limit=2, remaining=1, reset_after=1))
    await send(gate, RateLimitInfo(limit=2, remaining=0, reset_after=1))  # at 0.4
    await send(gate, RateLimitInfo(limit=2, remaining=0, reset_after=1))
    # Free at 0.4 + 1 (+ the margin, capped by the server's rounded reset): sent at 1.4, not 1.0.
    assert len(clock.slept) == 1 and 0.95 <= clock.slept[0] <= 1.0


async def test_requests_still_in_flight_count_by_their_send_time() -> None:
    # The request `limit` sends back is the one whose leaving frees the slot, even when later
    # ones were answered first; while it is in flight, its send time stands in.
    clock = Clock()
    gate = gate_with(clock)
    release = asyncio.Event()

    async def slow() -> None:
        async with gate.admit():
            await release.wait()

    pending = asyncio.create_task(slow())  # sent at 0, never answered before the third
    await asyncio.sleep(0)
    clock.now += 0.3
    await send(gate, RateLimitInfo(limit=2, remaining=0, reset_after=1))  # sent at 0.3
    await send(gate, RateLimitInfo(limit=2, remaining=0, reset_after=1))
    # The slow one leaves first (at 0 + 1): the later, answered one would say 1.3.
    assert len(clock.slept) == 1 and 0.7 <= clock.slept[0] < 0.8
    release.set()
    await pending


def test_max_concurrency_is_validated() -> None:
    with pytest.raises(ValueError, match="max_concurrency"):
        AdmissionGate(0)


async def test_every_way_out_of_admission_gives_the_slot_back() -> None:
    clock = Clock()
    gate = gate_with(clock, concurrency=1)
    with pytest.raises(LookupError):  # the attempt inside fails
        async with gate.admit():
            raise LookupError("the attempt failed")
    # Over budget for 30 s with max_wait 5: refused before the slot is held for good.
    async with gate.admit():
        gate.observe(RateLimitInfo(limit=1, remaining=0, reset_after=30))
    with pytest.raises(RateLimitError):
        async with gate.admit(max_wait=5):
            pass
    # Cancelled while queued behind the one slot: it never held it, nothing to give back.
    gate.observe(RateLimitInfo(limit=10, remaining=10, reset_after=30))
    holder_in, holder_out = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with gate.admit():
            holder_in.set()
            await holder_out.wait()

    holder = asyncio.create_task(hold())
    await holder_in.wait()
    queued = asyncio.create_task(send(gate))
    await asyncio.sleep(0)
    queued.cancel()
    with pytest.raises(asyncio.CancelledError):
        await queued
    holder_out.set()
    await holder
    await asyncio.wait_for(send(gate), timeout=5)  # the one slot is free again
    assert gate._in_flight == 0
