"""`SharedGate` on its own: degrading to local pacing and recovering, with a store that fails
on demand and a hand-moved clock (the Redis-backed behaviour is in test_shared_quota.py)."""

from __future__ import annotations

import logging

import pytest

from clopos_async.errors import RateLimitError
from clopos_async.ratelimit import AdmissionGate
from clopos_async.shared_quota import QuotaStoreUnavailable, ServerReport, SharedGate
from clopos_async.shared_quota.gate import RECHECK_AFTER


class FlakyStore:
    """Admits everything while up; raises QuotaStoreUnavailable while down."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0
        self.reports: list[ServerReport | None] = []

    def _check(self) -> None:
        self.calls += 1
        if self.down:
            raise QuotaStoreUnavailable("ConnectionError")

    async def reserve(self, namespace: str, ticket: str) -> float:
        self._check()
        return 0.0

    async def answered(self, namespace: str, ticket: str, report: ServerReport | None) -> None:
        self._check()
        self.reports.append(report)

    async def pause(self, namespace: str, seconds: float) -> None:
        self._check()

    async def aclose(self) -> None:
        pass


def _never_waits(_wait: float) -> None:
    raise AssertionError("the store said to wait")


async def _no_sleep(_seconds: float) -> None:
    raise AssertionError("slept")


async def test_unreachable_store_means_local_pacing_one_warning_then_recovery(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="clopos_async")
    now = [100.0]
    store = FlakyStore()
    gate = SharedGate(store, "ns", owns_store=False, clock=lambda: now[0])
    assert await gate.admit(_never_waits, _no_sleep) is not None

    store.down = True
    assert await gate.admit(_never_waits, _no_sleep) is None
    calls = store.calls
    for _ in range(5):  # within RECHECK_AFTER the store is not even asked
        assert await gate.admit(_never_waits, _no_sleep) is None
    await gate.pause(3.0)
    assert store.calls == calls
    now[0] += RECHECK_AFTER
    assert await gate.admit(_never_waits, _no_sleep) is None  # asked again, still down
    assert store.calls == calls + 1
    assert gate.degraded

    store.down = False
    now[0] += RECHECK_AFTER
    ticket = await gate.admit(_never_waits, _no_sleep)
    assert ticket is not None and not gate.degraded
    gate.observe(100, 7, 4.0)
    await gate.answered(ticket)
    assert store.reports == [ServerReport(100, 7, 4.0)]

    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert [m for level, m in messages if level == logging.WARNING] == [
        "the shared quota store is unreachable (ConnectionError); pacing this process on its "
        "own until it answers again"
    ]
    assert any("answers again" in m for level, m in messages if level == logging.INFO)


async def test_a_shared_wait_longer_than_max_wait_raises_rate_limit_error() -> None:
    class FullStore(FlakyStore):
        async def reserve(self, namespace: str, ticket: str) -> float:
            return 90.0

    admission = AdmissionGate(2, shared=SharedGate(FullStore(), "ns", owns_store=False),
                              sleep=_no_sleep)
    with pytest.raises(RateLimitError) as caught:
        async with admission.admit(max_wait=60.0):
            raise AssertionError("admitted")
    assert caught.value.retry_after == 90.0
