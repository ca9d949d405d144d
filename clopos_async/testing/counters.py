"""What the fake server saw: request, auth, create, fault and quota counts tests can assert on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .responses import is_dropped

__all__ = ["FakeCounters", "counting_middleware"]


@dataclass
class FakeCounters:
    """Mutable tallies of one FakeClopos server; ``reset()`` zeroes them.

    ``route_counts`` keys look like ``"GET /open-api/v2/orders/{id}"`` (the route pattern, so ids do
    not explode the key space); unmatched paths are counted under their literal path.
    ``status_counts[0]`` counts requests answered with no response at all (an injected
    connection reset). ``faults_by_kind`` keys are the ``FaultPlan`` kind names: ``"500"``,
    ``"500_after"``, ``"502"``, …, ``"reset_before"``, ``"reset_after"``, ``"slow"``,
    ``"non_json"``, ``"success_false"``, ``"truncated"``.
    """

    requests: int = 0
    auth_calls: int = 0
    orders_created: int = 0
    # Effects of the receipt and customer writes (a duplicate shows as one too many).
    receipts_created: int = 0
    receipts_closed: int = 0
    receipts_deleted: int = 0
    customers_created: int = 0
    duplicates_prevented: int = 0
    rate_limited: int = 0  # 429s sent by a Quota
    faults_injected: int = 0
    in_flight: int = 0  # requests being handled right now
    max_in_flight: int = 0  # the highest in_flight seen, e.g. to check a client's concurrency cap
    status_counts: Counter[int] = field(default_factory=Counter)
    route_counts: Counter[str] = field(default_factory=Counter)
    faults_by_kind: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        """Zero every counter (handy between phases of one test)."""
        self.requests = self.auth_calls = self.orders_created = self.duplicates_prevented = 0
        self.rate_limited = self.faults_injected = 0
        self.receipts_created = self.receipts_closed = self.receipts_deleted = 0
        self.customers_created = 0
        # in_flight is live state, not a tally: zeroing it would go negative when the requests
        # still running finish. The peak restarts from what is running now.
        self.max_in_flight = self.in_flight
        self.status_counts.clear()
        self.route_counts.clear()
        self.faults_by_kind.clear()


def counting_middleware(counters: FakeCounters) -> Middleware:
    """Count every request, its final status and the concurrency; it is the outermost middleware.

    Being outermost, ``in_flight`` spans the whole pipeline, injected latency and faults included.
    """

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        counters.requests += 1
        counters.in_flight += 1
        counters.max_in_flight = max(counters.max_in_flight, counters.in_flight)
        resource = request.match_info.route.resource
        pattern = resource.canonical if resource is not None else request.path
        counters.route_counts[f"{request.method} {pattern}"] += 1
        status = 500
        try:
            response = await handler(request)
            status = 0 if is_dropped(response) else response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            counters.in_flight -= 1
            counters.status_counts[status] += 1

    return count
