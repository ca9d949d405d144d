"""The client: configuration, lifecycle, headers and authentication against FakeClopos."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from clopos_async import (
    APIConnectionError,
    AsyncClopos,
    AuthenticationError,
    CloposError,
)
from clopos_async.testing import FakeClopos

from .conftest import RequestLog, client_for


async def test_hundred_concurrent_first_calls_make_one_auth_request(fake: FakeClopos) -> None:
    async with client_for(fake) as clopos:
        ids = [o["id"] for o in fake.orders_list()[:100]]
        orders = await asyncio.gather(*(clopos.orders.get(i) for i in ids))
    assert len(orders) == 100
    assert fake.counters.auth_calls == 1


async def test_auth_is_lazy(fake: FakeClopos) -> None:
    async with client_for(fake):
        pass
    assert fake.counters.requests == 0


async def test_rejected_token_is_refreshed_once_and_replayed(fake: FakeClopos) -> None:
    async with client_for(fake) as clopos:
        await clopos.orders.list_page(limit=1)
        fake.expire_tokens()
        results = await asyncio.gather(*(clopos.orders.list_page(limit=1) for _ in range(10)))
    assert all(len(p.items) == 1 for p in results)
    assert fake.counters.auth_calls == 2


async def test_expired_token_is_refreshed_before_use() -> None:
    async with FakeClopos(orders=5, token_ttl=0.5) as fake:
        async with client_for(fake) as clopos:
            await clopos.orders.list_page(limit=1)
            await asyncio.sleep(0.6)  # the token's whole lifetime; no timing is asserted
            await clopos.orders.list_page(limit=1)
        assert fake.counters.auth_calls == 2
        assert fake.counters.status_counts.get(401, 0) == 0


async def test_static_token_is_used_as_is(fake: FakeClopos) -> None:
    token = fake.issue_token()
    extra = {"brand": fake.credentials["brand"], "venue_id": fake.credentials["venue_id"]} \
        if fake.api_version == "v1" else {}
    async with AsyncClopos(token=token, base_url=fake.url, api_version=fake.api_version,
                           **extra) as clopos:
        assert len((await clopos.orders.list_page(limit=2)).items) == 2
        fake.expire_tokens()
        with pytest.raises(AuthenticationError) as caught:
            await clopos.orders.list_page(limit=2)
    assert caught.value.status_code == 401
    assert fake.counters.auth_calls == 0
    assert token not in str(caught.value) and token not in repr(caught.value)


async def test_bad_credentials(fake: FakeClopos) -> None:
    async with client_for(fake, client_secret="wrong") as clopos:
        with pytest.raises(AuthenticationError) as caught:
            await clopos.orders.list_page()
    assert "wrong" not in str(caught.value)


async def test_test_integrator_on_production_brand_is_an_auth_error() -> None:
    async with FakeClopos(orders=1, production_brand=True) as fake, client_for(fake) as clopos:
        with pytest.raises(AuthenticationError) as caught:
            await clopos.orders.list_page()
    assert caught.value.status_code == 200


async def test_v2_headers(request_log: RequestLog) -> None:
    async with FakeClopos(orders=3, api_version="v2",
                          middlewares=[request_log.middleware]) as fake:
        clopos = client_for(fake, venue_id=2)
        async with clopos:
            await clopos.orders.list_page()
    auth, listing = request_log.requests
    assert auth.path == "/open-api/v2/auth"
    assert set(await auth.json()) == {"client_id", "client_secret", "brand", "integrator_id"}
    assert listing.path == "/open-api/v2/orders"
    assert listing.headers["x-token"] and listing.headers["x-venue"] == "2"
    assert "x-brand" not in listing.headers and "Authorization" not in listing.headers


async def test_v1_headers(request_log: RequestLog) -> None:
    async with FakeClopos(orders=3, api_version="v1",
                          middlewares=[request_log.middleware]) as fake, client_for(fake) as clopos:
        await clopos.orders.list_page()
    auth, listing = request_log.requests
    assert auth.path == "/open-api/auth"
    assert set(await auth.json()) == {"client_id", "client_secret", "brand", "venue_id"}
    assert listing.path == "/open-api/orders"
    assert listing.headers["x-brand"] == fake.credentials["brand"]
    assert listing.headers["x-venue"] == str(fake.credentials["venue_id"])
    assert "Authorization" not in listing.headers


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"api_version": "v3", "token": "t"}, "api_version"),
        ({"client_id": "a", "client_secret": "b", "brand": "c"}, "integrator_id"),
        ({"client_id": "a", "brand": "c", "integrator_id": "d"}, "client_secret"),
        ({"api_version": "v1", "token": "t", "brand": "b"}, "venue_id"),
        ({"api_version": "v1", "client_id": "a", "client_secret": "b", "venue_id": 1},
         "brand"),
        ({"token": "t", "base_url": "integrations.clopos.com"}, "base_url"),
        ({"token": "t", "timeout": 0}, "timeout"),
        ({"token": ""}, "token"),
    ],
)
def test_bad_configuration_is_rejected_up_front(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AsyncClopos(**kwargs)


def test_from_env() -> None:
    env = {
        "CLOPOS_CLIENT_ID": "cid", "CLOPOS_CLIENT_SECRET": "topsecret", "CLOPOS_BRAND": "b",
        "CLOPOS_VENUE_ID": "3", "CLOPOS_API_VERSION": "v1",
        "CLOPOS_BASE_URL": "http://127.0.0.1:1/open-api",
    }
    clopos = AsyncClopos.from_env(env)
    assert clopos.version.name == "v1" and clopos.base_url == "http://127.0.0.1:1/open-api"
    assert "topsecret" not in repr(clopos)
    with pytest.raises(ValueError, match="integrator_id"):
        AsyncClopos.from_env({**env, "CLOPOS_API_VERSION": "v2"})
    token_client = AsyncClopos.from_env({"CLOPOS_TOKEN": "tok-123"})
    assert "tok-123" not in repr(token_client) and "tok-123" not in str(token_client)


async def test_injected_session_is_used_and_not_closed(fake: FakeClopos) -> None:
    async with aiohttp.ClientSession() as session:
        async with client_for(fake, session=session) as clopos:
            await clopos.orders.list_page(limit=1)
        assert not session.closed
        assert fake.counters.requests == 2


async def test_closed_client_refuses_requests(fake: FakeClopos) -> None:
    clopos = client_for(fake)
    await clopos.orders.list_page(limit=1)
    await clopos.aclose()
    assert clopos.closed
    with pytest.raises(RuntimeError, match="closed"):
        await clopos.orders.list_page(limit=1)


async def test_unreachable_server_is_a_connection_error() -> None:
    async with FakeClopos(orders=1) as fake:
        url = fake.url
        token = fake.issue_token()
    async with AsyncClopos(token=token, base_url=url) as clopos:
        with pytest.raises(APIConnectionError) as caught:
            await clopos.orders.list_page()
    assert isinstance(caught.value, CloposError)
    assert caught.value.request_sent is False


async def test_raw_request_escape_hatch(clopos: AsyncClopos, fake: FakeClopos) -> None:
    reply = await clopos.request("GET", clopos.version.orders_path(),
                                 params=[("page", "1"), ("limit", "2")])
    assert reply.response.status == 200
    assert len(reply.envelope.data) == 2
    assert reply.envelope.total == 120
