"""One quota, many processes (issue 14): the Redis-backed shared gate, against a real
redis-server (started here on a free loopback port, stopped by its PID) and FakeClopos.

Which test covers what: several processes, no 429 -> test_processes_share_one_quota; Redis
away and back -> test_redis_going_away_and_coming_back; two brands -> test_two_brands_*;
no secret in keys -> test_keys_hold_no_secret_and_expire; Redis never imported without the
option -> test_redis_is_not_imported_without_the_option; bad option -> test_bad_shared_quota_*.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio as redis

from clopos_async import AsyncClopos
from clopos_async.shared_quota import RedisQuotaStore, ServerReport, quota_namespace
from clopos_async.testing import FakeClopos, Quota
from clopos_async.testing.redis_server import RedisServer, RedisServerMissing

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret-client-secret-value"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    try:
        server = RedisServer()
    except RedisServerMissing as exc:  # never skip silently: CI installs it
        pytest.fail(str(exc))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _client(fake: FakeClopos, shared_quota: str | RedisQuotaStore | None) -> AsyncClopos:
    creds = fake.credentials
    return AsyncClopos(client_id=creds["client_id"], client_secret=creds["client_secret"],
                       brand=creds["brand"], integrator_id=creds["integrator_id"],
                       base_url=fake.url, shared_quota=shared_quota)


async def test_processes_share_one_quota(redis_server: RedisServer) -> None:
    # Three processes, eight requests in flight each, against 20 requests per second.
    processes, pages, limit = 3, 60, 10
    async with FakeClopos(orders=pages * limit, quota=Quota(limit=20, window=1.0)) as fake:
        creds = fake.credentials
        job = {"url": fake.url, "token": fake.issue_token(), "brand": creds["brand"],
               "integrator_id": creds["integrator_id"], "redis": redis_server.url,
               "pages": pages, "limit": limit, "of": processes}
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "benchmarks.quota_worker",
                cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            )
            for _ in range(processes)
        ]
        # Each reads its job, then "go" at once: all fetch together, each every third page.
        outputs = await asyncio.gather(*(
            worker.communicate(json.dumps({**job, "index": i}).encode() + b"\ngo\n")
            for i, worker in enumerate(workers)
        ))
        assert [worker.returncode for worker in workers] == [0] * processes
        ids = [i for out, _ in outputs for i in json.loads(out.splitlines()[-1])["ids"]]
        assert sorted(ids) == sorted({order["id"] for order in fake.orders_list()})
        assert len(ids) == pages * limit
        assert fake.counters.rate_limited == 0


async def test_redis_going_away_and_coming_back(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="clopos_async")
    async with FakeClopos(orders=400, quota=Quota(limit=50, window=1.0)) as fake:
        async with _client(fake, redis_server.url) as clopos:
            gate = clopos._shared_gate
            assert gate is not None
            seen = [o.id for p in range(1, 4) for o in (await clopos.orders.list_page(
                page=p, limit=10)).items]
            redis_server.stop()
            for page in range(4, 21):  # no request fails while Redis is away
                seen += [o.id for o in (await clopos.orders.list_page(page=page, limit=10)).items]
            assert gate.degraded
            redis_server.start()  # same port, empty
            page = 21
            while gate.degraded and page <= 40:  # it asks again about once a second
                await asyncio.sleep(0.2)
                seen += [o.id for o in (await clopos.orders.list_page(page=page, limit=10)).items]
                page += 1
            assert not gate.degraded
            assert len(seen) == len(set(seen)) == (page - 1) * 10
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING
                and "shared quota store is unreachable" in r.getMessage()]
    assert len(warnings) == 1
    assert any("answers again" in r.getMessage() for r in caplog.records)
    assert all(str(redis_server.port) not in r.getMessage() for r in caplog.records)
    # Back to sharing: the quota's log lives in the restarted Redis again.
    client = redis.Redis.from_url(redis_server.url)
    try:
        assert [key async for key in client.scan_iter("clopos-async:quota:*:log")]
    finally:
        await client.aclose()


async def test_two_brands_in_one_redis_do_not_affect_each_other(
    redis_server: RedisServer,
) -> None:
    store = RedisQuotaStore.from_url(redis_server.url)
    brand_a = quota_namespace("https://api.example", "brand-a", "integrator")
    brand_b = quota_namespace("https://api.example", "brand-b", "integrator")
    try:
        full = ServerReport(limit=2, remaining=1, reset_after=30.0)
        assert await store.reserve(brand_a, "a1") == 0  # the probe: nothing known yet
        assert 0 < await store.reserve(brand_a, "a2") < 1  # others wait for its answer
        await store.answered(brand_a, "a1", full)
        assert await store.reserve(brand_a, "a2") == 0
        assert await store.reserve(brand_a, "a3") > 25  # brand A's window is full
        assert await store.reserve(brand_b, "b1") == 0  # brand B's is not
        await store.answered(brand_b, "b1", full)
        await store.pause(brand_a, 50)
        assert await store.reserve(brand_a, "a4") > 45
        assert await store.reserve(brand_b, "b2") == 0  # A's 429 pause is A's alone
    finally:
        await store.aclose()


async def test_keys_hold_no_secret_and_expire(redis_server: RedisServer) -> None:
    config = {"client_secret": SECRET, "brand": "brand-visible", "integrator_id": "integ-42"}
    async with FakeClopos(orders=30, quota=Quota(limit=5, window=1.0), **config) as fake:
        async with _client(fake, redis_server.url) as clopos:
            async for _order in clopos.orders.list(limit=10):
                pass
            assert redis_server.url not in repr(clopos) + repr(clopos._shared_gate)
        forbidden = [SECRET, "brand-visible", "integ-42", fake.credentials["client_id"],
                     fake.url, str(fake.port), *fake.issued_tokens()]
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    try:
        keys = [key async for key in client.scan_iter("*")]
        assert {key.rsplit(":", 1)[1] for key in keys} >= {"log", "state"}
        for key in keys:
            assert key.startswith("clopos-async:quota:v1:{")
            assert await client.pttl(key) > 0  # expires on its own
            kind = await client.type(key)
            if kind == "zset":
                value = str(await client.zrange(key, 0, -1, withscores=True))
            elif kind == "hash":
                value = str(await client.hgetall(key))
            else:
                value = str(await client.get(key))
            for text in forbidden:
                assert text not in key and text not in value
    finally:
        await client.aclose()


def test_redis_is_not_imported_without_the_option() -> None:
    code = """
import asyncio, sys
from clopos_async import AsyncClopos
from clopos_async.testing import FakeClopos

async def main():
    async with FakeClopos(orders=5) as fake, AsyncClopos(**fake.credentials,
                                                       base_url=fake.url) as clopos:
        await clopos.orders.list_page()
    print(sorted(m for m in sys.modules if m.split(".")[0] in ("redis", "limits", "coredis")))

asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("option", "error", "message"),
    [
        ("http://user:hunter2@cache:6379", ValueError, "redis://, rediss:// or unix://"),
        ("localhost:6379", ValueError, "shared_quota must be"),
        (42, TypeError, "shared_quota must be a Redis URL or a QuotaStore"),
    ],
)
def test_bad_shared_quota_is_refused_before_anything_is_sent(
    option: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        AsyncClopos(client_id="id", client_secret="secret", brand="b", integrator_id="i",
                    shared_quota=option)  # type: ignore[arg-type]
    assert "hunter2" not in str(caught.value)


def test_bad_shared_quota_needs_to_know_whose_quota() -> None:
    with pytest.raises(ValueError, match="shared_quota needs brand and integrator_id"):
        AsyncClopos(token="t", shared_quota="redis://127.0.0.1:1/0")


async def test_a_429_pauses_every_process_of_the_quota(redis_server: RedisServer) -> None:
    async with FakeClopos(orders=10, quota=Quota(limit=2, window=1.0)) as fake:
        creds = fake.credentials
        async with AsyncClopos(**creds, base_url=fake.url) as other:  # not sharing
            await other.orders.list_page()
            await other.orders.list_page()
        pauses: list[int] = []
        client = redis.Redis.from_url(redis_server.url, decode_responses=True)

        async def on_retry(_event: object) -> None:  # runs after the pause was shared
            keys = [key async for key in client.scan_iter("clopos-async:quota:*:pause")]
            pauses.extend([await client.pttl(key) for key in keys])

        try:
            async with AsyncClopos(**creds, base_url=fake.url, shared_quota=redis_server.url,
                                   on_retry=on_retry) as clopos:
                page = await clopos.orders.list_page()
        finally:
            await client.aclose()
    assert len(page.items) == 10
    assert fake.counters.rate_limited >= 1
    assert pauses and all(ttl > 0 for ttl in pauses)  # set in Redis, expiring on its own


async def test_a_store_you_hold_is_used_and_left_open(redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url)
    try:
        async with FakeClopos(orders=5, quota=Quota(limit=10, window=1.0)) as fake:
            async with AsyncClopos(**fake.credentials, base_url=fake.url,
                                   shared_quota=RedisQuotaStore(client)) as clopos:
                await clopos.orders.list_page()
        assert [key async for key in client.scan_iter("clopos-async:quota:*:log")]
        assert await client.ping()  # the SDK did not close what it did not open
    finally:
        await client.aclose()
