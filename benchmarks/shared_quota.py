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
import json
import sys
import time
from typing import Any

import aiohttp

from clopos_async.testing.redis_server import RedisServer

from .common import Target, authenticate, describe_machine, report, require_distinct
from .fake_process import fake_server

ORDERS = 30_000
LIMIT = 100
QUOTA = (100, 5.0)


async def run(processes: int, orders: int, redis_url: str | None) -> dict[str, float]:
    """Fetch all ``orders`` with ``processes`` workers; return the figures of the run."""
    pages = -(-orders // LIMIT)
    quota = f"{QUOTA[0]}/{QUOTA[1]:g}"
    async with fake_server(orders=orders, quota=quota, fast_json=True) as (url, creds, counters):
        async with aiohttp.ClientSession() as session:
            token = await authenticate(session, url, creds)
        job = {"url": url, "token": token, "brand": creds["brand"],
               "integrator_id": creds["integrator_id"], "redis": redis_url,
               "pages": pages, "limit": LIMIT, "of": processes}
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "benchmarks.quota_worker", json.dumps({**job, "index": i}),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            )
            for i in range(processes)
        ]
        try:
            for worker in workers:  # every worker imported and built its client
                assert worker.stdout is not None
                if (await worker.stdout.readline()).strip() != b"ready":
                    sys.exit("FAILED: a worker did not start")
            started = time.perf_counter()
            for worker in workers:
                assert worker.stdin is not None
                worker.stdin.write(b"go\n")
                await worker.stdin.drain()
            outputs = [await worker.communicate() for worker in workers]
            elapsed = time.perf_counter() - started
        finally:
            for worker in workers:
                if worker.returncode is None:
                    worker.kill()
                    await worker.wait()
    if any(worker.returncode for worker in workers):
        sys.exit("FAILED: a worker exited with an error")
    ids = [i for stdout, _ in outputs for i in json.loads(stdout.splitlines()[-1])["ids"]]
    require_distinct(f"{processes} processes", ids, orders)
    sent = counters["requests"] - counters["auth_calls"]
    ideal = pages / (QUOTA[0] / QUOTA[1])
    return {"seconds": elapsed, "vs_ideal": elapsed / ideal, "requests": sent,
            "limited": counters["rate_limited"],
            "per_100": 100 * counters["rate_limited"] / max(sent, 1)}


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
    results: dict[tuple[int, bool], dict[str, Any]] = {}
    with RedisServer() as redis:
        for processes in args.processes:
            for shared in (False, True):
                figures = asyncio.run(run(processes, args.orders, redis.url if shared else None))
                results[processes, shared] = figures
                print(f"  {processes:>9}  {'shared' if shared else 'local':<6}  "
                      f"{figures['seconds']:6.1f}s  {figures['vs_ideal']:7.2f}x  "
                      f"{figures['per_100']:8.1f}  ({figures['limited']} of "
                      f"{figures['requests']})", flush=True)
    most = max(args.processes)
    print(f"targets (shared gate, {most} processes):")
    report([
        Target(f"429s per 100 requests, {most} processes", results[most, True]["per_100"], 1.0),
        Target(f"wall time / ideal, {most} processes", results[most, True]["vs_ideal"], 1.1),
    ])


if __name__ == "__main__":
    main()
