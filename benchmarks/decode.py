"""Decode: one 100-order page body -> typed orders, the SDK's way against the usual others.

The body is a real page (page 2, limit 100) fetched once from FakeClopos in its own process.
Contenders, timeit-style (many calls per run, median of interleaved runs):

- ``sdk``: ``wire.read_envelope`` then ``serde.structure_list(data, Order)``, as a page fetch
  does; ``sdk (pure Python)`` is the same with orjson switched off (stdlib json).
- ``orjson.loads``: bytes to dicts, nothing typed (the floor).
- ``json + pydantic``: stdlib ``json.loads`` then a pydantic v2 ``TypeAdapter`` of equivalent
  models (``benchmarks/pydantic_models.py``).
- for reference, not targets: ``json.loads`` alone and pydantic's ``validate_json``.

Targets: sdk/orjson <= 2.5; sdk below json + pydantic.

    python -m benchmarks.decode
    python -m benchmarks.decode --repeat 15 --profile
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import timeit
from collections.abc import Callable
from typing import Any

import aiohttp
import orjson

from clopos_async import Order, wire
from clopos_async.serde import structure_list

from .common import (
    Target,
    authenticate,
    describe_machine,
    interleaved_sync,
    median,
    print_medians,
    print_profile,
    report,
)
from .fake_process import fake_server
from .pydantic_models import PydanticEnvelope, orders_adapter

PAGE_SIZE = 100


async def fetch_page_body() -> bytes:
    """One real list response body, exactly as the server sends it."""
    async with fake_server(orders=1_000) as (url, credentials, _counters), \
            aiohttp.ClientSession() as session:
        token = await authenticate(session, url, credentials)
        async with session.get(f"{url}/v2/orders?page=2&limit={PAGE_SIZE}",
                               headers={"x-token": token}) as response:
            response.raise_for_status()
            return await response.read()


def sdk(body: bytes) -> list[Order]:
    envelope = wire.read_envelope(200, {}, body)
    return structure_list(envelope.data, Order)


def sdk_pure_python(body: bytes) -> list[Order]:
    # Swapped per call (a global store, ~50 ns) so no other contender ever runs without orjson.
    saved, wire._orjson = wire._orjson, None
    try:
        return sdk(body)
    finally:
        wire._orjson = saved


def contenders(body: bytes) -> dict[str, Callable[[], Any]]:
    envelope_adapter = PydanticEnvelope.model_validate_json
    return {
        "sdk": lambda: sdk(body),
        "sdk (pure Python)": lambda: sdk_pure_python(body),
        "orjson.loads": lambda: orjson.loads(body),
        "json + pydantic": lambda: orders_adapter.validate_python(json.loads(body)["data"]),
        "json.loads (ref)": lambda: json.loads(body),
        "pydantic validate_json (ref)": lambda: envelope_adapter(body),
    }


def check(body: bytes) -> None:
    """Fail loudly unless every contender sees the same 100 orders."""
    ids = [order["id"] for order in orjson.loads(body)["data"]]
    if len(set(ids)) != PAGE_SIZE:
        raise SystemExit(f"FAILED: the page holds {len(set(ids))} distinct orders, not 100")
    for built in (sdk(body), sdk_pure_python(body),
                  orders_adapter.validate_python(json.loads(body)["data"])):
        if [order.id for order in built] != ids:
            raise SystemExit("FAILED: a contender built different orders")


def structuring_alone(body: bytes) -> None:
    """Structuring the decoded page, and orjson alone: the best of 15 runs of 50 pages each.

    The minimum, not the median: on a shared machine it is the figure least moved by others'
    work, so engine changes can be compared across runs (a few us per order).
    """
    data = orjson.loads(body)["data"]
    best = {
        name: min(timeit.repeat(call, number=50, repeat=15)) / 50 / PAGE_SIZE * 1e6
        for name, call in (("structure_list", lambda: structure_list(data, Order)),
                           ("orjson.loads", lambda: orjson.loads(body)))
    }
    print(f"  structuring alone: {best['structure_list']:.2f} us/order, orjson.loads "
          f"{best['orjson.loads']:.2f} us/order (best of 15 x 50 pages)")


def profile_sdk(body: bytes, calls: int) -> None:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(calls):
        sdk(body)
    profile.disable()
    print(f"cProfile of the sdk contender, {calls} pages:")
    print_profile(profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=11, help="timed runs per contender")
    parser.add_argument("--profile", action="store_true", help="then cProfile the sdk path")
    args = parser.parse_args()
    body = asyncio.run(fetch_page_body())
    check(body)
    print(f"decode one page of {PAGE_SIZE} orders ({len(body):,} bytes); {describe_machine()}")
    samples = interleaved_sync(contenders(body), repeat=args.repeat)
    print_medians(samples, unit="ms", scale=1e3, items=PAGE_SIZE)
    sdk_time = median(samples["sdk"])
    pydantic_time = median(samples["json + pydantic"])
    print("targets:")
    report([
        Target("sdk/orjson.loads", sdk_time / median(samples["orjson.loads"]), 2.5),
        Target("sdk/(json + pydantic)", sdk_time / pydantic_time, 1.0),
    ])
    print(f"  for reference: sdk (pure Python)/(json + pydantic) "
          f"{median(samples['sdk (pure Python)']) / pydantic_time:.2f}")
    structuring_alone(body)
    if args.profile:
        profile_sdk(body, calls=200)


if __name__ == "__main__":
    main()
