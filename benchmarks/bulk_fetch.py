"""Bulk fetch: every one of 20,000 orders, 100 per page, three ways, with and without latency.

Contenders, interleaved round by round against one FakeClopos process per latency setting:

- ``sdk``: ``async for order in clopos.orders.list(limit=100, concurrency=8)`` with default
  settings; every order becomes a typed ``Order``.
- ``expert``: raw aiohttp + orjson, page 1 for the total, then pages 2..N at once under
  ``asyncio.Semaphore(8)``, ``orjson.loads`` on each body (dicts only: the floor).
- ``newcomer``: raw aiohttp, one page after another, ``await resp.json()``.

Everyone authenticates before the clock starts. The server encodes with orjson (see
``fake_process --fast-json``) so that, on two cores, it is not the bottleneck; the script
prints how busy server and client were, to show which side limited each contender.

Targets: sdk/expert <= 1.5 with no latency and <= 1.15 with 20 ms per response; newcomer/sdk
>= 5 with 20 ms.

    python -m benchmarks.bulk_fetch
    python -m benchmarks.bulk_fetch --rounds 3 --newcomer-rounds 2
    python -m benchmarks.bulk_fetch --rounds 1 --newcomer-rounds 0 --profile
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson

from clopos_async import AsyncClopos

from .common import (
    Target,
    authenticate,
    busy_share,
    describe_machine,
    interleaved_async,
    median,
    print_busy,
    print_medians,
    print_profile,
    report,
    require_distinct,
    sdk_client,
)
from .fake_process import fake_server

ORDERS = 20_000
LIMIT = 100
CONCURRENCY = 8

Contender = Callable[[], Awaitable[list[Any]]]
Samples = tuple[dict[str, list[float]], dict[str, list[float]], dict[str, list[float]]]


def sdk_contender(clopos: AsyncClopos) -> Contender:
    async def run() -> list[Any]:
        ids: list[Any] = []
        async for order in clopos.orders.list(limit=LIMIT, concurrency=CONCURRENCY):
            ids.append(order.id)
        return ids

    return run


def expert_contender(session: aiohttp.ClientSession, url: str, token: str) -> Contender:
    headers = {"x-token": token}

    async def run() -> list[Any]:
        slots = asyncio.Semaphore(CONCURRENCY)

        async def page(number: int) -> tuple[int, list[Any]]:
            async with slots, session.get(f"{url}/v2/orders?page={number}&limit={LIMIT}",
                                          headers=headers) as response:
                response.raise_for_status()
                raw = await response.read()
            body = orjson.loads(raw)  # after the slot is free: parsing needs no connection
            # Keep what the sdk contender keeps (the ids), not 20,000 dicts: holding every
            # page until the end makes the cyclic GC rescan them all, a cost no streaming
            # consumer pays.
            return body["total"], [order["id"] for order in body["data"]]

        total, ids = await page(1)
        last = -(-total // LIMIT)
        for _total, more in await asyncio.gather(*(page(n) for n in range(2, last + 1))):
            ids.extend(more)
        return ids

    return run


def newcomer_contender(session: aiohttp.ClientSession, url: str, token: str) -> Contender:
    async def run() -> list[Any]:
        ids: list[Any] = []
        number = 1
        while True:
            async with session.get(f"{url}/v2/orders", params={"page": number, "limit": LIMIT},
                                   headers={"x-token": token}) as response:
                response.raise_for_status()
                body = await response.json()
            ids.extend(order["id"] for order in body["data"])
            if len(body["data"]) < LIMIT or number * LIMIT >= body["total"]:
                return ids
            number += 1

    return run


async def measure(
    latency: float, rounds: dict[str, int], *, fast_json: bool, profile: bool = False
) -> Samples:
    """Start a server with ``latency``; time the contenders; return seconds per run.

    With ``profile``, one more sdk run goes under cProfile afterwards (never a timed one).
    """
    server = fake_server(orders=ORDERS, latency=latency, fast_json=fast_json)
    async with server as (url, credentials, counters), \
            sdk_client(url, credentials) as clopos, \
            aiohttp.ClientSession() as session:
        await clopos.orders.list_page(limit=1)  # token fetched and connection opened, untimed
        token = await authenticate(session, url, credentials)
        contenders: dict[str, Contender] = {
            "sdk": sdk_contender(clopos),
            "expert": expert_contender(session, url, token),
            "newcomer": newcomer_contender(session, url, token),
        }
        active = {name: fn for name, fn in contenders.items() if rounds.get(name, 0) > 0}
        # One untimed round: fills connection pools and builds the lazy cattrs hooks.
        await interleaved_async(active, dict.fromkeys(active, 1), check=_check)
        timed, server_busy, client_busy = busy_share(active, counters["pid"])
        seconds = await interleaved_async(timed, rounds, check=_check)
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            _check("sdk", await contenders["sdk"]())
            profiler.disable()
            print(f"cProfile of one sdk run, latency {latency * 1000:.0f} ms:")
            print_profile(profiler)
        return seconds, server_busy, client_busy


def _check(name: str, ids: Any) -> None:
    require_distinct(name, ids, ORDERS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of sdk and expert")
    parser.add_argument("--newcomer-rounds", type=int, default=3,
                        help="timed runs of the sequential newcomer (slow with latency)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one extra sdk run with no latency")
    parser.add_argument("--stdlib-server-json", action="store_true",
                        help="let the fake server encode with json.dumps (more server CPU)")
    args = parser.parse_args()
    print(f"bulk fetch of {ORDERS:,} orders, limit {LIMIT}, concurrency {CONCURRENCY}; "
          f"{describe_machine()}")
    targets: list[Target] = []
    for latency, bound in ((0.0, 1.5), (0.02, 1.15)):
        rounds = {"sdk": args.rounds, "expert": args.rounds, "newcomer": args.newcomer_rounds}
        samples, server_busy, client_busy = asyncio.run(
            measure(latency, rounds, fast_json=not args.stdlib_server_json,
                    profile=args.profile and latency == 0)
        )
        print(f"latency {latency * 1000:.0f} ms per response:")
        print_medians(samples, unit="s")
        print_busy(server_busy, client_busy)
        sdk, expert = median(samples["sdk"]), median(samples["expert"])
        print(f"  throughput: sdk {ORDERS / sdk:,.0f} orders/s, expert {ORDERS / expert:,.0f}")
        targets.append(Target(f"sdk/expert, {latency * 1000:.0f} ms", sdk / expert, bound))
        if samples.get("newcomer"):
            speedup = median(samples["newcomer"]) / sdk
            if latency > 0:
                targets.append(Target(f"newcomer/sdk, {latency * 1000:.0f} ms", speedup, 5.0,
                                      at_most=False))
            else:  # with no latency, concurrency has nothing to hide: reported only
                print(f"  newcomer/sdk: {speedup:.2f} (no target without latency)")
    print("targets:")
    report(targets)


if __name__ == "__main__":
    main()
