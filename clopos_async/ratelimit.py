"""The admission gate every request of one client passes: concurrency cap and quota pacing.

It keeps a budget: the ``RateLimit-Remaining`` of the latest response, less the requests
sent since (and those still in flight when it was read). When the budget is spent, new
requests wait until the window resets, then one probe goes out and its response says how
much room the new window has. A 429 pauses every sender until the server's wait is over.
So a burst from many coroutines draws (almost) no 429s, and no coroutine hammers the API
while another has been told to back off.

The headers are advice: `quota_headers.RateLimit` has already dropped absurd values, and each
response replaces what earlier ones said, so a header never outlives a later healthy response.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections import deque
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING

import attrs

from .errors import RateLimitError
from .quota_headers import MAX_WINDOW, RateLimit
from .validators import check_int

if TYPE_CHECKING:  # the shared gate is optional; its module is only needed when used
    from .shared_quota import SharedGate

__all__ = ["MAX_CONCURRENCY", "AdmissionGate", "RateLimitState"]

# How long requests wait for a probe's answer before sending another probe themselves.
_PROBE_PATIENCE = 1.0
# Our recent requests' times kept to predict when the server's sliding window frees a slot;
# covers the v2 tenant quota (300 per minute) and more.
_SEND_LOG = 1000
# Slack on top of the estimate: the server's clock and ours tick apart.
_ARRIVAL_MARGIN = 0.02
# Requests in flight at once, at most (one rule for the gate and `ClientConfig`).
MAX_CONCURRENCY = 1000


@attrs.frozen
class RateLimitState:
    """The last quota the server reported (``clopos.rate_limit``).

    ``reset_at`` is on the ``time.monotonic()`` clock; ``reset_after`` is computed from it.
    """

    limit: int | None
    remaining: int | None
    reset_at: float | None

    @property
    def reset_after(self) -> float | None:
        """Seconds until the window resets, as of now."""
        if self.reset_at is None:
            return None
        return max(self.reset_at - time.monotonic(), 0.0)


class AdmissionGate:
    """Admit requests: at most ``max_concurrency`` at once, within the observed quota."""

    def __init__(
        self,
        max_concurrency: int = 8,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SharedGate | None = None,
    ) -> None:
        check_int("max_concurrency", max_concurrency, minimum=1, maximum=MAX_CONCURRENCY)
        self.max_concurrency = max_concurrency
        self._slots = asyncio.Semaphore(max_concurrency)
        self._clock = clock
        self._sleep = sleep
        self._in_flight = 0
        self._budget: int | None = None  # None: unknown, let requests through
        self._limit: int | None = None
        self._remaining: int | None = None
        self._reset_at: float | None = None
        self._paused_until = 0.0
        self._probe_out = False
        self._changed = asyncio.Event()
        # Per recent request, in send order: when it left, replaced by when it was answered.
        self._sent: deque[list[float]] = deque(maxlen=_SEND_LOG)
        self._window: float | None = None
        self._coarse_reset = True
        self.pauses = 0  # how often senders were held back (for logs and tests)
        # Several processes, one quota: while its store answers, it paces instead of us.
        self._shared = shared

    @property
    def state(self) -> RateLimitState:
        """What the server last said about the quota."""
        return RateLimitState(self._limit, self._remaining, self._reset_at)

    def admit(self, *, max_wait: float | None = None) -> Admission:
        """Hold a slot for one request attempt (``async with gate.admit(): ...``).

        When the quota would hold the request for longer than ``max_wait`` seconds, raise
        `RateLimitError` (with ``retry_after``) at once instead of waiting that long.
        """
        return Admission(self, max_wait)

    async def _wait_for_budget(self, max_wait: float | None) -> bool:
        """Wait until this request may go; True when it goes as the probe of a new window."""
        while True:
            now = self._clock()
            if now < self._paused_until:
                self._check_wait(self._paused_until - now, max_wait)
                self.pauses += 1
                await self._sleep(self._paused_until - now)
                continue
            if self._budget is None or self._budget > 0:
                if self._budget is not None:
                    self._budget -= 1
                return False
            wake = self._next_free_slot()
            if now < wake:
                self._check_wait(wake - now, max_wait)
                self.pauses += 1
                await self._sleep(wake - now)
                continue
            # A slot should be free again (or we never learnt when). One probe goes; its
            # response refills the budget for everyone waiting here.
            if not self._probe_out:
                self._probe_out = True
                return True
            changed = self._changed
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(changed.wait(), timeout=_PROBE_PATIENCE)

    def _check_wait(self, wait: float, max_wait: float | None) -> None:
        if max_wait is not None and wait > max_wait:
            raise RateLimitError(
                f"the rate limit is used up for another {wait:.0f}s (more than the "
                f"{max_wait:.0f}s this client waits); not sent",
                status_code=429,
                retry_after=wait,
            )

    def _next_free_slot(self) -> float:
        """When the spent budget should have room again.

        Servers send ``RateLimit-Reset`` in whole seconds, rounded up, so the true reset lies
        up to a second earlier. With a sliding window, a slot frees when our request that
        is ``limit`` sends old leaves the window. The server counted it somewhere between
        its send and its answer: a busy server (50 brands at once, benchmarks/multi_brand.py)
        counts requests up to a second after they left, so the send time is too early
        (11.7 429s per 100 requests). Its answer time is never early, and taken in send order
        (rather than the ``limit``-th latest answer, which skips the requests still in
        flight and drew 3-6 429s per 100 in benchmarks/goodput.py) it costs no goodput; while
        that request is in flight, its send time stands in. The estimate is kept within the
        second the server's rounding allows.
        """
        reset_at = self._reset_at
        if reset_at is None:
            return 0.0
        limit, window = self._limit, self._window
        if not self._coarse_reset or not limit or not window or len(self._sent) < limit:
            return reset_at
        estimate = self._sent[-limit][0] + window + _ARRIVAL_MARGIN
        return min(reset_at, max(estimate, reset_at - 1.0))

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def observe(self, info: RateLimit | None, *, success: bool = False) -> None:
        """Take in the quota a response reported (call once per response, while admitted).

        What the response says replaces what earlier ones said; a ``success`` (2xx) that
        says nothing about the quota ends any wait an earlier response asked for.
        """
        if info is None:
            if success and self._budget is not None:
                self._remaining, self._reset_at, self._budget = None, None, None
                self._probe_out = False
                self._notify()
            return
        if self._shared is not None:
            self._shared.observe(info.limit, info.remaining, info.reset_after)
        now = self._clock()
        self._limit = info.limit if info.limit is not None else self._limit
        self._reset_at = now + info.reset_after if info.reset_after is not None else None
        if info.reset_after is not None:
            self._coarse_reset = float(info.reset_after).is_integer()
            # A reset never exceeds the window; the largest one seen is our best guess of it.
            self._window = max(self._window or 0.0, min(info.reset_after, MAX_WINDOW))
        self._remaining = info.remaining
        # Other requests in flight may not be counted in that number yet.
        self._budget = (
            max(info.remaining - (self._in_flight - 1), 0) if info.remaining is not None else None
        )
        self._probe_out = False
        self._notify()

    def pause(self, seconds: float) -> None:
        """Hold every new request for ``seconds`` (after a 429)."""
        until = self._clock() + max(seconds, 0.0)
        self._paused_until = max(self._paused_until, until)
        self._budget = 0
        self._remaining = 0
        self._reset_at = max(self._reset_at or 0.0, until)

    async def pause_everywhere(self, seconds: float) -> None:
        """`pause`, and hold every process sharing the quota too (when it is shared)."""
        self.pause(seconds)
        if self._shared is not None:
            await self._shared.pause(seconds)


class Admission:
    """One attempt's hold on the gate: a slot, a place in the send log, maybe a shared ticket.

    A class rather than an ``@asynccontextmanager`` generator: it is entered on every request,
    and the generator machinery cost about as much as the gate's own bookkeeping.
    """

    __slots__ = ("_gate", "_max_wait", "_probe", "_stamp", "_ticket")

    def __init__(self, gate: AdmissionGate, max_wait: float | None) -> None:
        self._gate = gate
        self._max_wait = max_wait
        self._ticket: str | None = None
        self._probe = False
        self._stamp = [0.0]

    async def __aenter__(self) -> None:
        gate = self._gate
        await gate._slots.acquire()
        try:
            shared = gate._shared
            if shared is not None:
                self._ticket = await shared.admit(
                    functools.partial(gate._check_wait, max_wait=self._max_wait), gate._sleep
                )
            if self._ticket is None:
                self._probe = await gate._wait_for_budget(self._max_wait)
        except BaseException:
            gate._slots.release()
            raise
        self._stamp[0] = gate._clock()
        gate._sent.append(self._stamp)
        gate._in_flight += 1

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        gate = self._gate
        try:
            gate._in_flight -= 1
            self._stamp[0] = gate._clock()  # the server counted it by now, however late it was
            shared = gate._shared
            if shared is not None and self._ticket is not None:
                await shared.answered(self._ticket)  # frees the slot for every process
            if self._probe and gate._probe_out:  # it failed without telling us anything
                gate._probe_out = False
                gate._notify()
        finally:
            gate._slots.release()
