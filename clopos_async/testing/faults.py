"""Seeded fault injection: the transient failures a real gateway and network produce.

A ``FaultPlan`` says how often each kind of fault happens; ``FaultInjector`` draws from a
``random.Random(plan.seed)`` once per eligible request, so one seed and one request sequence
always give the same faults. Kinds (also the ``FakeCounters.faults_by_kind`` keys):

- ``"500"``/``"502"``/``"503"``/``"504"``: the gateway's error answer, before the handler runs;
  ``"<code>_after"``: the handler ran (a POST created its order) and the answer was replaced.
  502 is an HTML page, as proxies send; the others use the documented envelope (REFERENCE §2.2).
- ``"reset_before"``/``"reset_after"``: the connection is aborted with no response, before or
  after the handler ran. "after" is the ambiguous write: the order exists, the client cannot know.
- ``"slow"``: the answer is delayed by ``slow_seconds`` and the handler runs after the delay, so a
  POST whose client already timed out still creates its order (as the real upstream does).
- ``"non_json"``: 200 with an HTML page (a captive portal or maintenance page); no handler.
- ``"success_false"``: 200 with ``success: false`` (REFERENCE §2.2: branch on ``success``).
- ``"truncated"``: the handler ran; its JSON body is cut in half (Content-Length matches the cut
  body, so the HTTP exchange is valid and only JSON parsing fails). The handler's status is kept
  (200, or 201 for a create).
- ``"401"``: a stray 401 on a healthy token, as gateways sometimes answer; no handler. Not part
  of `FaultPlan.mixed` (it tests token handling, not retries).

Before/after is a seeded coin per fault, drawn for every method; it only matters for writes.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .counters import FakeCounters
from .responses import drop_connection, error_middleware, json_response

__all__ = ["FAULT_KINDS", "FaultInjector", "FaultPlan"]

# Draw order of the kinds (part of the determinism contract: do not reorder).
FAULT_KINDS: tuple[str, ...] = (
    "500",
    "502",
    "503",
    "504",
    "reset",
    "slow",
    "non_json",
    "success_false",
    "truncated",
    "401",
)
# The transient faults `FaultPlan.mixed` spreads a rate over.
_MIXED_KINDS = FAULT_KINDS[:-1]
_HAS_AFTER = frozenset({"500", "502", "503", "504", "reset"})

_ENVELOPES: dict[str, dict[str, Any]] = {
    "500": {"success": False, "error": "server_error", "message": "Internal server error"},
    "503": {
        "success": False,
        "error": "service_unavailable",
        "message": "Service temporarily unavailable",
    },
    "504": {
        "success": False,
        "error": "gateway_timeout",
        "message": "Upstream did not respond within 8 seconds",
    },
    "401": {
        "success": False,
        "error": "unauthorized",
        "message": "Missing or invalid authentication headers",
    },
    "success_false": {
        "success": False,
        "error": "upstream_error",
        "message": "Upstream returned an error",
    },
}
BAD_GATEWAY_HTML = "<html><body><h1>502 Bad Gateway</h1></body></html>"
MAINTENANCE_HTML = (
    "<!DOCTYPE html><html><head><title>Maintenance</title></head>"
    "<body><h1>We'll be back soon</h1></body></html>"
)


@dataclass(frozen=True)
class FaultPlan:
    """How often each fault happens (per request, at most one fault per request).

    Each ``rate_*`` is a probability in [0, 1]; their sum must not exceed 1. Auth routes are
    exempt (and do not consume draws) unless ``apply_to_auth``. ``max_consecutive`` caps faults
    in a row across the whole server: after that many, the next eligible request is clean, so a
    client with enough retries always gets through.

    Example:
        >>> FaultPlan.mixed(0.9, seed=1).rate_502
        0.1
    """

    rate_500: float = 0.0
    rate_502: float = 0.0
    rate_503: float = 0.0
    rate_504: float = 0.0
    rate_reset: float = 0.0
    rate_slow: float = 0.0
    slow_seconds: float = 5.0
    rate_non_json: float = 0.0
    rate_success_false: float = 0.0
    rate_truncated: float = 0.0
    rate_401: float = 0.0
    seed: int = 0
    apply_to_auth: bool = False
    max_consecutive: int | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name.startswith("rate_"):
                rate = getattr(self, f.name)
                if not 0.0 <= rate <= 1.0:
                    raise ValueError(f"{f.name} must be between 0 and 1, got {rate!r}")
        if self.total_rate > 1.0 + 1e-9:
            raise ValueError(f"the fault rates add up to {self.total_rate}, more than 1")
        if self.slow_seconds < 0:
            raise ValueError("slow_seconds must be >= 0")
        if self.max_consecutive is not None and self.max_consecutive < 1:
            raise ValueError("max_consecutive must be >= 1 (or None for no cap)")

    @classmethod
    def mixed(
        cls,
        total_rate: float,
        seed: int = 0,
        *,
        slow_seconds: float = 5.0,
        apply_to_auth: bool = False,
        max_consecutive: int | None = None,
    ) -> FaultPlan:
        """Spread ``total_rate`` evenly over the transient kinds (all but ``"401"``)."""
        share = total_rate / len(_MIXED_KINDS)
        rates = {f"rate_{kind}": share for kind in _MIXED_KINDS}
        return cls(
            **rates,
            slow_seconds=slow_seconds,
            seed=seed,
            apply_to_auth=apply_to_auth,
            max_consecutive=max_consecutive,
        )

    @property
    def total_rate(self) -> float:
        """The probability that an eligible request gets some fault."""
        return sum(self.rate_of(kind) for kind in FAULT_KINDS)

    def rate_of(self, kind: str) -> float:
        """The rate of one kind of ``FAULT_KINDS``."""
        rate: float = getattr(self, f"rate_{kind}")
        return rate


class FaultInjector:
    """The live state of one plan (its RNG and the current streak) and the middleware using it.

    Replace ``plan`` to start over: the RNG is re-seeded and the streak forgotten.
    """

    def __init__(self, counters: FakeCounters, plan: FaultPlan | None = None) -> None:
        self._counters = counters
        self._closing: asyncio.Event | None = None
        self.plan = plan

    @property
    def plan(self) -> FaultPlan | None:
        """The active plan (``None``: no faults)."""
        return self._plan

    @plan.setter
    def plan(self, plan: FaultPlan | None) -> None:
        if plan is not None and not isinstance(plan, FaultPlan):
            raise TypeError("faults must be a FaultPlan or None")
        self._plan = plan
        self._rng = random.Random(plan.seed if plan is not None else 0)
        self._streak = 0

    def pick(self) -> str | None:
        """Draw the fault of the next eligible request: a kind name, or ``None`` (clean).

        Always two draws (kind, then before/after), so the sequence does not depend on which
        kinds came up or on ``max_consecutive``.
        """
        plan = self._plan
        if plan is None:
            return None
        roll, after = self._rng.random(), self._rng.random() < 0.5
        kind: str | None = None
        edge = 0.0
        for candidate in FAULT_KINDS:
            edge += plan.rate_of(candidate)
            if roll < edge:
                kind = candidate
                break
        cap = plan.max_consecutive
        if kind is not None and cap is not None and self._streak >= cap:
            kind = None
        self._streak = self._streak + 1 if kind is not None else 0
        if kind is None or kind not in _HAS_AFTER:
            return kind
        if kind == "reset":
            return "reset_after" if after else "reset_before"
        return f"{kind}_after" if after else kind

    def start(self) -> None:
        """Forget an earlier shutdown (the server is serving again)."""
        self._closing = None

    def shutdown(self) -> None:
        """Wake every request sleeping in a slow fault; they end without running the handler.

        Without this, closing the server would wait up to ``slow_seconds`` for them, or leave
        their tasks pending when the client had already disconnected.
        """
        if self._closing is not None:
            self._closing.set()

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Inject the drawn fault, if any, around the rest of the pipeline."""
        plan = self._plan
        if plan is None or (_is_auth(request) and not plan.apply_to_auth):
            return await handler(request)
        kind = self.pick()
        if kind is None:
            return await handler(request)
        self._counters.faults_injected += 1
        self._counters.faults_by_kind[kind] += 1

        async def run() -> web.StreamResponse:
            # Handler errors become responses here, so an "after" fault still follows them.
            return await error_middleware(request, handler)

        if kind == "slow":
            return await self._slow(request, plan.slow_seconds, run)
        if kind.startswith("reset"):
            if kind == "reset_after":
                await run()
            return drop_connection(request)
        if kind == "truncated":
            return _truncate(await run())
        if kind in ("non_json", "success_false"):
            return _ok_but_wrong(kind)
        if kind == "401":
            return json_response(_ENVELOPES["401"], status=401)
        if kind.endswith("_after"):
            await run()
        return _gateway_answer(kind.removesuffix("_after"))

    async def _slow(
        self,
        request: web.Request,
        seconds: float,
        run: Callable[[], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        if self._closing is None:
            self._closing = asyncio.Event()
        # The gateway has the whole request before the upstream dawdles. Reading it now caches
        # it on the request; read after the client left, aiohttp would raise instead.
        await request.read()
        try:
            await asyncio.wait_for(self._closing.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            # The delay elapsed: the upstream answers late, whether or not anyone still listens
            # (a disconnected client's response write fails quietly inside aiohttp).
            return await run()
        return drop_connection(request)  # the server is closing


def _is_auth(request: web.Request) -> bool:
    name = request.match_info.route.name
    return name is not None and name.endswith(".auth")


def _gateway_answer(code: str) -> web.Response:
    if code == "502":
        return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
    return json_response(_ENVELOPES[code], status=int(code))


def _truncate(response: web.StreamResponse) -> web.StreamResponse:
    """Cut a JSON body in half (kept whole when it is not a plain, unsent bytes body)."""
    if isinstance(response, web.Response) and not response.prepared:
        body = response.body
        if isinstance(body, (bytes, bytearray)):
            response.body = bytes(body[: len(body) // 2])
    return response


def _ok_but_wrong(kind: str) -> web.Response:
    """A 200 that is not a success: an HTML page, or a ``success: false`` envelope."""
    if kind == "non_json":
        return web.Response(status=200, text=MAINTENANCE_HTML, content_type="text/html")
    return json_response(_ENVELOPES["success_false"])
