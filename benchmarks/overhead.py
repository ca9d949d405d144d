"""Overhead: what one ``orders.get`` round trip costs through the SDK beyond raw aiohttp.

Against FakeClopos in its own process (no added latency), each call is timed on its own:
``clopos.orders.get(id)`` (gate, token, retries wrapper, envelope, typed ``Order``) against
raw aiohttp on one reused session with the ``x-token`` header, ``await resp.read()`` and
``orjson.loads``. The two alternate in blocks of calls; the medians over all calls give the
ratio sdk/raw (target <= 1.15, issue 10) and the SDK's per-call overhead in microseconds.

    python -m benchmarks.overhead
    python -m benchmarks.overhead --calls 4000 --block 200
    python -m benchmarks.overhead --hot-path

``--hot-path`` also times the SDK's own Python per ``get`` with the network taken out (the
transport hands back one canned reply of the same server), best and median of 7 runs, and
counts the function calls one ``get`` makes: the part of the overhead this library controls,
measured hot, where the loopback round trip's noise cannot hide a change.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson

from clopos_async import AsyncClopos

from .common import (
    Target,
    authenticate,
    describe_machine,
    median,
    print_medians,
    report,
    sdk_client,
)
from .fake_process import fake_server

ORDERS = 100
WARM_UP = 100

Call = Callable[[int], Awaitable[Any]]


def raw_call(session: aiohttp.ClientSession, url: str, token: str) -> Call:
    headers = {"x-token": token}

    async def call(order_id: int) -> Any:
        async with session.get(f"{url}/v2/orders/{order_id}", headers=headers) as response:
            response.raise_for_status()
            return orjson.loads(await response.read())["data"]["id"]

    return call


def sdk_call(clopos: AsyncClopos) -> Call:
    async def call(order_id: int) -> Any:
        return (await clopos.orders.get(order_id)).id

    return call


async def timed_block(call: Call, ids: list[int], into: list[float]) -> None:
    """Time each call on its own; fail loudly on a wrong answer."""
    for order_id in ids:
        started = time.perf_counter_ns()
        got = await call(order_id)
        into.append((time.perf_counter_ns() - started) / 1e9)
        if got != order_id:
            raise SystemExit(f"FAILED: asked for order {order_id}, got {got}")


async def measure(calls: int, block: int) -> dict[str, list[float]]:
    async with fake_server(orders=ORDERS, fast_json=True) as (url, credentials, _counters), \
            sdk_client(url, credentials) as clopos, \
            aiohttp.ClientSession() as session:
        contenders = {
            "sdk": sdk_call(clopos),
            "raw": raw_call(session, url, await authenticate(session, url, credentials)),
        }
        ids = itertools.cycle(range(1, ORDERS + 1))
        for call in contenders.values():  # token, connection and lazy hooks, untimed
            await timed_block(call, [next(ids) for _ in range(WARM_UP)], [])
        samples: dict[str, list[float]] = {name: [] for name in contenders}
        names = list(contenders)
        for index in range(calls // block):
            for name in names if index % 2 == 0 else names[::-1]:
                await timed_block(contenders[name], [next(ids) for _ in range(block)],
                                  samples[name])
        return samples


async def hot_path(runs: int = 7, calls: int = 20_000) -> None:
    """SDK Python per ``get`` against a canned reply (see the module docstring)."""
    async with fake_server(orders=ORDERS, fast_json=True) as (url, credentials, _counters), \
            sdk_client(url, credentials) as clopos:
        canned = (await clopos.orders.with_raw_response.get(5)).reply.response

        async def send(request: Any) -> Any:
            return canned

        clopos._transport.send = send  # type: ignore[method-assign]  # benchmark only
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            for _ in range(calls):
                await clopos.orders.get(5)
            timings.append((time.perf_counter() - started) / calls * 1e6)
        counted = 0

        def count(frame: Any, event: str, arg: Any) -> None:
            nonlocal counted
            counted += event in ("call", "c_call")

        sys.setprofile(count)
        await clopos.orders.get(5)
        sys.setprofile(None)
    print(f"  hot path, network taken out: {min(timings):.1f} us best, "
          f"{statistics.median(timings):.1f} us median per get; {counted} function calls")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2_000, help="timed calls per contender")
    parser.add_argument("--block", type=int, default=100, help="calls in a row per contender")
    parser.add_argument("--hot-path", action="store_true",
                        help="also time the SDK's own Python per get, network taken out")
    args = parser.parse_args()
    print(f"one get round trip, {args.calls:,} calls each in blocks of {args.block}; "
          f"{describe_machine()}")
    samples = asyncio.run(measure(args.calls, args.block))
    print_medians(samples, unit="us", scale=1e6)
    sdk, raw = median(samples["sdk"]), median(samples["raw"])
    print(f"  SDK overhead per call: {(sdk - raw) * 1e6:.0f} us")
    report([Target("one get: sdk / raw aiohttp", sdk / raw, 1.15)])
    if args.hot_path:
        asyncio.run(hot_path())


if __name__ == "__main__":
    main()
