"""Many brands in one process: goodput, 429s and client CPU when every brand streams at once.

An integrator syncs dozens of brands from one process; each brand has its own quota, so the
process together may be allowed thousands of orders per second and becomes CPU-bound. One
child process serves BRANDS FakeClopos brands, each with its own orders and its own quota;
the client side runs BRANDS ``AsyncClopos`` clients sharing one ``aiohttp.ClientSession``,
each streaming every order of its brand (``async for``, keeping the ids).

The expert does the same with raw aiohttp + orjson on the same shared session, pacing each
brand at its known quota N/W without reading headers: request k goes out W seconds after the
response to request k-N came back (a hand-written loop that knows the quota and cannot be
fooled by a server that handles requests late).

Contenders alternate (sdk, expert, sdk, ...) against a fresh server each, so neither inherits
the other's quota windows. Figures, per contender: goodput (pages per second over the summed
quota rates; target >= 0.95), 429s per 100 requests (target < 1), client CPU seconds per
1,000 orders, and the SDK/expert ratio of that CPU (reported).

    python -m benchmarks.multi_brand
    python -m benchmarks.multi_brand --brands 20 --quota 5/1 --pages 30
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import orjson

from clopos_async import AsyncClopos

from .common import Target, authenticate, describe_machine, median, report, require_distinct
from .fake_process import fake_server

TARGET_GOODPUT = 0.95
TARGET_429_PER_100 = 1.0

Brand = Mapping[str, Any]  # {"url": ..., "credentials": {...}} as the fake process lists it
Stream = Callable[[aiohttp.ClientSession, list[Brand]], Awaitable[list[list[Any]]]]


def sdk_stream(limit: int) -> Stream:
    async def run(session: aiohttp.ClientSession, brands: list[Brand]) -> list[list[Any]]:
        clients = [AsyncClopos(**brand["credentials"], base_url=brand["url"], session=session)
                   for brand in brands]
        try:
            # Tokens first, outside the clock, as the expert authenticates outside it too.
            await asyncio.gather(*(client.orders.list_page(limit=1) for client in clients))
            return await _timed_gather(
                [_sdk_brand(client, limit) for client in clients])
        finally:
            await asyncio.gather(*(client.aclose() for client in clients))

    return run


async def _sdk_brand(client: AsyncClopos, limit: int) -> list[Any]:
    return [order.id async for order in client.orders.list(limit=limit, concurrency=4)]


def expert_stream(limit: int, allowed: int, window: float) -> Stream:
    async def run(session: aiohttp.ClientSession, brands: list[Brand]) -> list[list[Any]]:
        tokens = await asyncio.gather(
            *(authenticate(session, brand["url"], brand["credentials"]) for brand in brands))
        return await _timed_gather([
            _expert_brand(session, brand["url"], token, limit, allowed, window)
            for brand, token in zip(brands, tokens, strict=True)
        ])

    return run


async def _expert_brand(session: aiohttp.ClientSession, url: str, token: str, limit: int,
                        allowed: int, window: float) -> list[Any]:
    headers = {"x-token": token}
    slots = asyncio.Semaphore(allowed)
    # Request k goes out a window after request k-allowed's response came back: the server
    # saw that request no later than that, so however late it handled it, the slot is free.
    answered: list[float] = []
    tickets = iter(range(1_000_000))

    async def page(number: int) -> tuple[int, list[Any]]:
        while True:
            async with slots:
                ticket = next(tickets)
                if ticket >= allowed:
                    await asyncio.sleep(
                        max(0.0, answered[ticket - allowed] + window - time.monotonic()))
                async with session.get(f"{url}/v2/orders?page={number}&limit={limit}",
                                       headers=headers) as response:
                    raw = await response.read()
                answered.append(time.monotonic())
            if response.status == 429:  # not expected; retried in a fresh slot
                continue
            response.raise_for_status()
            body = orjson.loads(raw)
            return body["total"], [order["id"] for order in body["data"]]

    total, ids = await page(1)
    last = -(-total // limit)
    for _total, more in await asyncio.gather(*(page(n) for n in range(2, last + 1))):
        ids.extend(more)
    return ids


_clock: dict[str, float] = {}  # the timed region of the latest run: wall and CPU seconds


async def _timed_gather(brands: list[Awaitable[list[Any]]]) -> list[list[Any]]:
    wall, cpu = time.perf_counter(), time.process_time()
    results = list(await asyncio.gather(*brands))
    _clock.update(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu)
    return results


async def measure(name: str, stream: Stream, args: argparse.Namespace) -> dict[str, float]:
    """One run of ``stream`` against a fresh multi-brand server; the figures."""
    allowed, window = (float(part) for part in args.quota.split("/"))
    orders = args.pages * args.limit
    async with fake_server(orders=orders, quota=args.quota, brands=args.brands,
                           fast_json=True) as (_url, _credentials, counters), \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        per_brand = await stream(session, counters["brands"])
    for number, ids in enumerate(per_brand, start=1):
        require_distinct(f"{name}, brand {number}", ids, orders)
    pages = args.pages * args.brands
    requests = counters.get("requests", 0)
    limited = counters.get("rate_limited", 0)
    return {
        "seconds": _clock["wall"],
        "cpu": _clock["cpu"],
        "goodput": pages / _clock["wall"] / (args.brands * allowed / window),
        "per_100": 100 * limited / max(requests, 1),
        "cpu_per_1000": 1000 * _clock["cpu"] / (orders * args.brands),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brands", type=int, default=50)
    parser.add_argument("--quota", default="5/2",
                        help="each brand's quota, N/W: N requests per W seconds")
    parser.add_argument("--pages", type=int, default=20, help="pages per brand")
    parser.add_argument("--limit", type=int, default=25, help="orders per page")
    parser.add_argument("--rounds", type=int, default=2, help="runs per contender")
    args = parser.parse_args()
    allowed, window = args.quota.split("/")
    print(f"{args.brands} brands, quota {args.quota} each, {args.pages} pages of {args.limit} "
          f"orders per brand, one shared session; {describe_machine()}")
    contenders = {"sdk": sdk_stream(args.limit),
                  "expert": expert_stream(args.limit, int(allowed), float(window))}
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
    for index in range(args.rounds):
        names = list(contenders)[index % 2:] + list(contenders)[:index % 2]
        for name in names:
            figures[name].append(asyncio.run(measure(name, contenders[name], args)))
    middle = {name: {key: median([run[key] for run in runs]) for key in runs[0]}
              for name, runs in figures.items()}
    for name, values in middle.items():
        spread = [f"{run['cpu']:.2f}" for run in figures[name]]
        print(f"  {name:<6}  {values['seconds']:6.2f} s, goodput {values['goodput']:.3f}, "
              f"429s/100 {values['per_100']:.2f}, client CPU {values['cpu']:.2f} s "
              f"(runs: {', '.join(spread)}) = {values['cpu_per_1000'] * 1000:.0f} ms/1000 orders")
    sdk, expert = middle["sdk"], middle["expert"]
    print(f"  sdk/expert client CPU: {sdk['cpu'] / expert['cpu']:.2f}; "
          f"goodput ratio: {sdk['goodput'] / expert['goodput']:.2f}")
    print("targets:")
    report([
        Target("sdk goodput share of summed quotas", sdk["goodput"], TARGET_GOODPUT,
               at_most=False),
        Target("sdk 429s per 100 requests", sdk["per_100"], TARGET_429_PER_100),
    ])


if __name__ == "__main__":
    main()
