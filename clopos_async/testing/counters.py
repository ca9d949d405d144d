"""What the fake server saw: request, auth and create counts tests can assert on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

__all__ = ["FakeCounters", "counting_middleware"]


@dataclass
class FakeCounters:
    """Mutable tallies of one FakeClopos server; ``reset()`` zeroes them.

    ``route_counts`` keys look like ``"GET /open-api/v2/orders/{id}"`` (the route pattern, so ids do
    not explode the key space); unmatched paths are counted under their literal path.
    """

    requests: int = 0
    auth_calls: int = 0
    orders_created: int = 0
    duplicates_prevented: int = 0
    status_counts: Counter[int] = field(default_factory=Counter)
    route_counts: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        """Zero every counter (handy between phases of one test)."""
        self.requests = self.auth_calls = self.orders_created = self.duplicates_prevented = 0
        self.status_counts.clear()
        self.route_counts.clear()


def counting_middleware(counters: FakeCounters) -> Middleware:
    """Count every request and its final status; it is the outermost middleware for that."""

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        counters.requests += 1
        resource = request.match_info.route.resource
        pattern = resource.canonical if resource is not None else request.path
        counters.route_counts[f"{request.method} {pattern}"] += 1
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            counters.status_counts[status] += 1

    return count
