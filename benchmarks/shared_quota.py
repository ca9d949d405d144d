"""One quota, many processes: 1, 2 and 4 processes share one tenant's quota, with and without
the Redis-backed shared gate (``shared_quota=``).

FakeClopos (its own process, a fresh one per run) holds 30,000 orders and enforces 100
requests per 5 s for the tenant; the processes fetch every page (limit 100: 300 requests)
between them, each every n-th page, eight at a time. One ``redis-server`` on a free loopback
port serves the shared runs. Per run: wall time vs the ideal (requests / quota rate = 15 s)
and the server's 429s per 100 requests.

Targets, with the shared gate at 4 processes: < 1 429 per 100 requests and wall time <= 1.1x
the ideal.

    python -m benchmarks.shared_quota
    python -m benchmarks.shared_quota --processes 4 --orders 10000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from clopos_async.testing.redis_server import RedisServer

from .common import Target, authenticate, describe_machine, report, require_distinct
from .fake_process import fake_server

ORDERS = 30_000
LIMIT = 100
QUOTA = (100, 5.0)


Finish = Callable[[], Awaitable[dict[str, float]]]


async def run(
    processes: int, orders: int, redis_url: str | None, before_go: Callable[[], Awaitable[Any]]
) -> Finish:
    """Fetch all ``orders`` with ``processes`` workers; return how to get the run's figures.

    The server's exit takes seconds (its interpreter tearing down 30,000 orders), so it is
    left to overlap the next run's start-up: ``before_go`` (the previous run's finish) is
    awaited once this run is ready and before its clock starts, so no timed part shares the
    CPU with another run.
    """
    pages = -(-orders // LIMIT)
    quota = f"{QUOTA[0]}/{QUOTA[1]:g}"
    # The workers start first: their Python start-up overlaps the server's.
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.quota_worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    server = contextlib.AsyncExitStack()
    try:
        url, creds, counters = await server.enter_async_context(
            fake_server(orders=orders, quota=quota, fast_json=True)
        )
        async with aiohttp.ClientSession() as session:
            token = await authenticate(session, url, creds)
        job = {"url": url, "token": token, "brand": creds["brand"],
               "integrator_id": creds["integrator_id"], "redis": redis_url,
               "pages": pages, "limit": LIMIT, "of": processes}
        for index, worker in enumerate(workers):
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write(json.dumps({**job, "index": index}).encode() + b"\n")
            await worker.stdin.drain()
            if (await worker.stdout.readline()).strip() != b"ready":
                sys.exit("FAILED: a worker did not start")
        await before_go()
        started = time.perf_counter()
        outputs = await asyncio.gather(*(worker.communicate(b"go\n") for worker in workers))
        elapsed = time.perf_counter() - started
    except BaseException:
        await server.aclose()
        raise
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
    if any(worker.returncode for worker in workers):
        sys.exit("FAILED: a worker exited with an error")
    ids = [i for stdout, _ in outputs for i in json.loads(stdout.splitlines()[-1])["ids"]]
    require_distinct(f"{processes} processes", ids, orders)

    async def finish() -> dict[str, float]:
        await server.aclose()  # fills in the server's counters
        sent = counters["requests"] - counters["auth_calls"]
        ideal = pages / (QUOTA[0] / QUOTA[1])
        return {"seconds": elapsed, "vs_ideal": elapsed / ideal, "requests": sent,
                "limited": counters["rate_limited"],
                "per_100": 100 * counters["rate_limited"] / max(sent, 1)}

    return finish


async def run_all(
    counts: list[int], orders: int, redis_url: str
) -> dict[tuple[int, bool], dict[str, float]]:
    """Every (processes, shared) run in turn; print each run's line as it is known."""
    results: dict[tuple[int, bool], dict[str, float]] = {}
    previous: tuple[tuple[int, bool], Finish] | None = None

    async def settle() -> None:
        if previous is not None:
            key, finish = previous
            results[key] = figures = await finish()
            print(f"  {key[0]:>9}  {'shared' if key[1] else 'local':<6}  "
                  f"{figures['seconds']:6.1f}s  {figures['vs_ideal']:7.2f}x  "
                  f"{figures['per_100']:8.1f}  ({figures['limited']:.0f} of "
                  f"{figures['requests']:.0f})", flush=True)

    for processes in counts:
        for shared in (False, True):
            finish = await run(processes, orders, redis_url if shared else None, settle)
            previous = (processes, shared), finish
    await settle()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    print(f"{args.orders:,} orders, limit {LIMIT}, quota {QUOTA[0]} per {QUOTA[1]:g} s "
          f"(ideal {-(-args.orders // LIMIT) / (QUOTA[0] / QUOTA[1]):.1f} s); "
          f"{describe_machine()}")
    print(f"  {'processes':>9}  {'gate':<6}  {'wall':>7}  {'vs ideal':>8}  "
          f"{'429s/100':>8}  (429s of requests)")
    with RedisServer() as redis:
        results = asyncio.run(run_all(args.processes, args.orders, redis.url))
    most = max(args.processes)
    print(f"targets (shared gate, {most} processes):")
    report([
        Target(f"429s per 100 requests, {most} processes", results[most, True]["per_100"], 1.0),
        Target(f"wall time / ideal, {most} processes", results[most, True]["vs_ideal"], 1.1),
    ])


if __name__ == "__main__":
    main()
