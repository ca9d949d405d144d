"""Shared fixtures: a FakeClopos per test and a client wired to it."""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, settings

from clopos_async import AsyncClopos
from clopos_async.retry import retry_sleep_disabled
from clopos_async.testing import FakeClopos

# Hypothesis' per-example deadline is a timed assertion; shared 2-core machines are too noisy.
settings.register_profile(
    "clopos", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("clopos")


class RequestLog:
    """An aiohttp middleware that records what the fake server received."""

    def __init__(self) -> None:
        self.requests: list[web.Request] = []

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        self.requests.append(request)
        return await handler(request)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


async def refused_before_sending(fake: FakeClopos, call: Callable[[], object],
                                 error: type[Exception] | tuple[type[Exception], ...],
                                 words: str) -> None:
    """``call`` (and awaiting what it returns) raises ``error`` saying ``words``, and the
    server saw no request: bad input is caught before anything is sent."""
    before = fake.counters.requests
    with pytest.raises(error, match=re.escape(words)):
        result = call()
        if inspect.isawaitable(result):
            await result
    assert fake.counters.requests == before


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture(params=["v2", "v1"])
def api_version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def fake(api_version: str, request_log: RequestLog) -> AsyncIterator[FakeClopos]:
    async with FakeClopos(orders=120, api_version=api_version,
                          middlewares=[request_log.middleware]) as server:
        yield server


def client_for(fake: FakeClopos, **overrides: Any) -> AsyncClopos:
    """A client with the fake server's credentials for its API version."""
    kwargs: dict[str, Any] = {**fake.credentials, "base_url": fake.url,
                              "api_version": fake.api_version}
    kwargs.update(overrides)
    return AsyncClopos(**kwargs)


@pytest.fixture
async def clopos(fake: FakeClopos) -> AsyncIterator[AsyncClopos]:
    async with client_for(fake) as client:
        yield client


@pytest.fixture(autouse=True)
def no_retry_sleep() -> Iterator[None]:
    """Retries happen at once in tests, as the README advises for users' own suites."""
    with retry_sleep_disabled():
        yield


@pytest.fixture(params=["stdlib", "orjson"])
def json_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the pure-Python JSON path and, when installed, with orjson."""
    from clopos_async import wire

    if request.param == "stdlib":
        monkeypatch.setattr(wire, "_orjson", None)
    elif wire._orjson is None:
        pytest.skip("orjson is not installed (the optional 'speed' extra)")
    return str(request.param)
