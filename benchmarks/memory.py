"""Memory: does streaming 100,000 orders need more memory than streaming 10,000?

Each measurement runs in a fresh child Python process (so no earlier run's heap counts) that
streams every order with ``async for`` (default settings, limit 100, concurrency 8, nothing
kept) and then reports its own peak RSS (``getrusage(RUSAGE_SELF).ru_maxrss``). The two
FakeClopos servers (10,000 and 100,000 orders) run in processes of their own, so their memory
is not the client's. Children alternate between the sizes. Target: peak(100k)/peak(10k) <= 1.2.

    python -m benchmarks.memory
    python -m benchmarks.memory --repeat 1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
from typing import Any

from .common import Target, describe_machine, median, report, sdk_client
from .fake_process import fake_server

SIZES = (10_000, 100_000)
LIMIT = 100
CONCURRENCY = 8


def _peak_kib() -> int:
    # Linux reports KiB (macOS bytes; these figures come from Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def _stream(url: str, credentials: dict[str, str]) -> dict[str, int]:
    """The child's work: stream every order, keeping only a count and a checksum."""
    async with sdk_client(url, credentials) as clopos:
        await clopos.orders.list_page(limit=1)  # imports, session and token: the baseline
        baseline = _peak_kib()
        count = checksum = 0
        async for order in clopos.orders.list(limit=LIMIT, concurrency=CONCURRENCY):
            count += 1
            checksum += int(order.id)
    return {"count": count, "checksum": checksum, "baseline_kib": baseline,
            "peak_kib": _peak_kib()}


def child_main() -> None:
    """Entry point of a measuring child: the job arrives as JSON on stdin."""
    job = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(_stream(job["url"], job["credentials"]))), flush=True)


async def run_child(url: str, credentials: dict[str, str], orders: int) -> dict[str, int]:
    """Stream ``orders`` orders in a fresh process; fail loudly unless all arrived once."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.memory", "--child",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )
    job = json.dumps({"url": url, "credentials": credentials}).encode()
    out, _ = await process.communicate(job)
    if process.returncode != 0:
        raise SystemExit(f"FAILED: the measuring child exited with {process.returncode}")
    figures: dict[str, int] = json.loads(out)
    # Generated ids are 1..N: a count and a sum catch a lost or repeated order without
    # holding 100,000 ids in the measured process.
    if figures["count"] != orders or figures["checksum"] != orders * (orders + 1) // 2:
        raise SystemExit(f"FAILED: streamed {figures['count']} orders, expected {orders} "
                         "distinct ones")
    return figures


async def measure(repeat: int) -> dict[int, list[dict[str, int]]]:
    results: dict[int, list[dict[str, int]]] = {size: [] for size in SIZES}
    async with contextlib.AsyncExitStack() as stack:
        servers: dict[int, tuple[str, dict[str, str], Any]] = {}
        for size in SIZES:
            servers[size] = await stack.enter_async_context(
                fake_server(orders=size, fast_json=True)
            )
        for index in range(repeat):
            # Alternate which size goes first: the machine's load drifts.
            for size in SIZES if index % 2 == 0 else SIZES[::-1]:
                url, credentials, _counters = servers[size]
                results[size].append(await run_child(url, credentials, size))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="children per size")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main()
        return
    print(f"peak RSS of a child streaming N orders (limit {LIMIT}, concurrency {CONCURRENCY}); "
          f"{describe_machine()}")
    results = asyncio.run(measure(args.repeat))
    peaks: dict[int, float] = {}
    for size, runs in results.items():
        peaks[size] = median([run["peak_kib"] for run in runs]) / 1024
        baseline = median([run["baseline_kib"] for run in runs]) / 1024
        every = ", ".join(f"{run['peak_kib'] / 1024:.1f}" for run in runs)
        print(f"  {size:>7,} orders: peak {peaks[size]:.1f} MiB (runs: {every}); "
              f"after the first page {baseline:.1f} MiB, growth {peaks[size] - baseline:.1f} MiB")
    small, big = SIZES
    print("targets:")
    report([Target(f"peak RSS {big:,}/{small:,}", peaks[big] / peaks[small], 1.2)])


if __name__ == "__main__":
    main()
