"""The GC choice behind listings: client CPU of 20,000 orders under each way of handling it.

Each setting runs ``collect()`` (and a streamed ``async for`` keeping the ids) against one
FakeClopos process, interleaved round by round; the figure is the client's own CPU time
(``time.process_time()``), the best of the rounds, since CPU and not wall time is what the
collector costs. Settings:

- ``untouched``: ``relax_gc=False``, the interpreter's thresholds as they are.
- ``relaxed``: the SDK's default (`clopos_async.gc_scope.relaxed_gc`, threshold 10,000).
- ``disabled``: ``gc.disable()`` around the call.
- ``threshold-100k``: a first threshold of 100,000 instead.
- ``freeze``: ``gc.freeze()`` after every page, ``gc.unfreeze()`` at the end.

Reported, no targets: the numbers behind the choice in ``benchmarks/README.md``.

    python -m benchmarks.gc_choice
    ~/.pyenv/versions/3.13.0/bin/python -m benchmarks.gc_choice   # with the package installed
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from collections.abc import Awaitable, Callable
from typing import Any

from clopos_async import AsyncClopos

from .common import describe_machine, require_distinct, sdk_client
from .fake_process import fake_server

ORDERS = 20_000
LIMIT = 100
CONCURRENCY = 8

Run = Callable[[AsyncClopos], Awaitable[list[Any]]]


async def _collect(clopos: AsyncClopos, setting: str) -> list[Any]:
    listing = clopos.orders.list(limit=LIMIT, concurrency=CONCURRENCY)
    if setting == "relaxed":
        return await listing.collect()
    if setting == "freeze":
        orders: list[Any] = []
        try:
            async for page in listing.pages(relax_gc=False):
                orders.extend(page.items)
                gc.freeze()
        finally:
            gc.unfreeze()
        return orders
    return await listing.collect(relax_gc=False)


async def _stream(clopos: AsyncClopos, setting: str) -> list[Any]:
    listing = clopos.orders.list(limit=LIMIT, concurrency=CONCURRENCY)
    return [page_item.id async for page in listing.pages(relax_gc=setting == "relaxed")
            for page_item in page.items]


async def _cpu_of(clopos: AsyncClopos, mode: str, setting: str) -> float:
    saved = gc.get_threshold()
    gc.collect()
    if setting == "disabled":
        gc.disable()
    elif setting == "threshold-100k":
        gc.set_threshold(100_000, saved[1], saved[2])
    started = time.process_time()
    try:
        result = await (_collect if mode == "collect" else _stream)(clopos, setting)
        spent = time.process_time() - started
    finally:
        gc.enable()
        gc.set_threshold(*saved)
    ids = [order.id for order in result] if mode == "collect" else result
    require_distinct(f"{mode} {setting}", ids, ORDERS)
    return spent


async def measure(rounds: int) -> dict[tuple[str, str], list[float]]:
    settings = ("untouched", "relaxed", "disabled", "threshold-100k", "freeze")
    plan = [("collect", s) for s in settings] + [("stream", s) for s in ("untouched", "relaxed")]
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in plan}
    async with fake_server(orders=ORDERS, fast_json=True) as (url, credentials, _counters), \
            sdk_client(url, credentials) as clopos:
        await clopos.orders.list(limit=LIMIT, concurrency=CONCURRENCY).collect()  # warm-up
        for index in range(rounds):
            shift = index % len(plan)
            for mode, setting in plan[shift:] + plan[:shift]:
                samples[(mode, setting)].append(await _cpu_of(clopos, mode, setting))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"client CPU for {ORDERS:,} orders, limit {LIMIT}, concurrency {CONCURRENCY}, "
          f"gc thresholds {gc.get_threshold()}; {describe_machine()}")
    samples = asyncio.run(measure(args.rounds))
    for (mode, setting), values in samples.items():
        print(f"  {mode:<7} {setting:<15} best {min(values):.3f} s "
              f"(max {max(values):.3f}, n={len(values)})")


if __name__ == "__main__":
    main()
