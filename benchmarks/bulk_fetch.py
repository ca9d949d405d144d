"""Bulk fetch: every one of 20,000 orders, 100 per page, streamed and collected, with and
without latency.

Contenders, interleaved round by round against one FakeClopos process per latency setting:

- ``sdk``: ``async for order in clopos.orders.list(limit=100, concurrency=8)`` with default
  settings, keeping the ids; every order becomes a typed ``Order``.
- ``expert``: raw aiohttp + orjson, page 1 for the total, then pages 2..N at once under
  ``asyncio.Semaphore(8)``, ``orjson.loads`` on each body, keeping the ids (the floor).
- ``sdk-collect``: ``await clopos.orders.list(limit=100, concurrency=8).collect()``: all
  20,000 typed orders in one list (the SDK relaxes the cyclic GC while it runs).
- ``expert-keep``: the expert, keeping every parsed page (20,000 dicts) instead of the ids.
- ``newcomer``: raw aiohttp, one page after another, ``await resp.json()``.

With ``--gc-alternatives``, the alternatives weighed against the SDK's GC choice also run
(no targets): ``collect-plain-gc`` (``collect(relax_gc=False)``), ``collect-gc-off``
(``gc.disable()`` around it) and ``collect-freeze`` (``gc.freeze()`` after every page).

Everyone authenticates before the clock starts. The server encodes with orjson (see
``fake_process --fast-json``) so that, on two cores, it is not the bottleneck; the script
prints how busy server and client were, to show which side limited each contender.

Targets (issue 10): sdk-collect/expert-keep <= 1.0 with no latency and <= 1.05 with 20 ms;
sdk/expert (streamed) <= 2.0 with no latency and <= 1.15 with 20 ms; newcomer/sdk >= 5 with
20 ms.

    python -m benchmarks.bulk_fetch
    python -m benchmarks.bulk_fetch --gc-alternatives
    python -m benchmarks.bulk_fetch --rounds 3 --newcomer-rounds 2
    python -m benchmarks.bulk_fetch --rounds 1 --newcomer-rounds 0 --profile
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
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


def sdk_collect_contender(clopos: AsyncClopos, gc_choice: str = "sdk") -> Contender:
    """``collect()``; ``gc_choice`` picks how the collector is handled (the alternatives)."""

    async def run() -> list[Any]:
        listing = clopos.orders.list(limit=LIMIT, concurrency=CONCURRENCY)
        if gc_choice == "sdk":
            orders = await listing.collect()
        elif gc_choice == "plain":
            orders = await listing.collect(relax_gc=False)
        elif gc_choice == "off":
            gc.disable()
            try:
                orders = await listing.collect(relax_gc=False)
            finally:
                gc.enable()
        else:  # "freeze": everything alive moves to the permanent generation after each page
            orders = []
            try:
                async for page in listing.pages():
                    orders.extend(page.items)
                    gc.freeze()
            finally:
                gc.unfreeze()
        return [order.id for order in orders]  # as expert-keep does: the check needs ids

    return run


def expert_contender(
    session: aiohttp.ClientSession, url: str, token: str, *, keep_pages: bool = False
) -> Contender:
    """Raw aiohttp + orjson under Semaphore(8); keeps the ids, or every parsed page."""
    headers = {"x-token": token}

    async def run() -> list[Any]:
        slots = asyncio.Semaphore(CONCURRENCY)

        async def page(number: int) -> tuple[int, list[Any]]:
            async with slots, session.get(f"{url}/v2/orders?page={number}&limit={LIMIT}",
                                          headers=headers) as response:
                response.raise_for_status()
                raw = await response.read()
            body = orjson.loads(raw)  # after the slot is free: parsing needs no connection
            if keep_pages:  # the collecting expert holds every dict, as collect() does
                return body["total"], body["data"]
            return body["total"], [order["id"] for order in body["data"]]

        total, kept = await page(1)
        last = -(-total // LIMIT)
        for _total, more in await asyncio.gather(*(page(n) for n in range(2, last + 1))):
            kept.extend(more)
        return [order["id"] for order in kept] if keep_pages else kept

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
            "sdk-collect": sdk_collect_contender(clopos),
            "expert-keep": expert_contender(session, url, token, keep_pages=True),
            "collect-plain-gc": sdk_collect_contender(clopos, "plain"),
            "collect-gc-off": sdk_collect_contender(clopos, "off"),
            "collect-freeze": sdk_collect_contender(clopos, "freeze"),
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
    parser.add_argument("--newcomer-rounds", type=int, default=2,
                        help="timed runs of the sequential newcomer (slow with latency)")
    parser.add_argument("--gc-alternatives", action="store_true",
                        help="also time collect() with the GC untouched, off, or frozen per page")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one extra sdk run with no latency")
    parser.add_argument("--stdlib-server-json", action="store_true",
                        help="let the fake server encode with json.dumps (more server CPU)")
    args = parser.parse_args()
    print(f"bulk fetch of {ORDERS:,} orders, limit {LIMIT}, concurrency {CONCURRENCY}; "
          f"{describe_machine()}")
    targets: list[Target] = []
    for latency, stream_bound, collect_bound in ((0.0, 2.0, 1.0), (0.02, 1.15, 1.05)):
        alternatives = args.rounds if args.gc_alternatives else 0
        rounds = {"sdk": args.rounds, "expert": args.rounds, "sdk-collect": args.rounds,
                  "expert-keep": args.rounds, "collect-plain-gc": alternatives,
                  "collect-gc-off": alternatives, "collect-freeze": alternatives,
                  "newcomer": args.newcomer_rounds}
        samples, server_busy, client_busy = asyncio.run(
            measure(latency, rounds, fast_json=not args.stdlib_server_json,
                    profile=args.profile and latency == 0)
        )
        print(f"latency {latency * 1000:.0f} ms per response:")
        print_medians(samples, unit="s")
        print_busy(server_busy, client_busy)
        sdk, expert = median(samples["sdk"]), median(samples["expert"])
        print(f"  throughput: sdk {ORDERS / sdk:,.0f} orders/s, expert {ORDERS / expert:,.0f}")
        ms = f"{latency * 1000:.0f} ms"
        targets.append(Target(f"streamed sdk/expert, {ms}", sdk / expert, stream_bound))
        collect, keep = median(samples["sdk-collect"]), median(samples["expert-keep"])
        targets.append(Target(f"collected sdk-collect/expert-keep, {ms}", collect / keep,
                              collect_bound))
        for name in ("collect-plain-gc", "collect-gc-off", "collect-freeze"):
            if samples.get(name):
                print(f"  {name}/expert-keep: {median(samples[name]) / keep:.2f} (alternative)")
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
