"""A small hostile server on loopback: one aiohttp.web handler answers every request.

For broken-server cases FakeClopos does not model (giant bodies, gzip bombs, redirects,
forged error text). The handler sees every request, so tests can assert what was sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[str]:
    """Serve ``handler`` for every method and path; yield the base URL (``.../open-api``)."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/open-api"
    finally:
        await runner.cleanup()
