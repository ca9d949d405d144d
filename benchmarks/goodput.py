"""Goodput under a quota: how much of the tenant's rate limit the SDK turns into pages.

FakeClopos (in its own process) enforces a sliding-window quota of N requests per W seconds.
The SDK, with default settings, fetches PAGES pages; the script prints the achieved pages per
second divided by the quota's rate (target >= 0.95) and the 429s per 100 requests
(target < 1). The baseline is the quota itself, so the ratio means the same on any machine.

    python -m benchmarks.goodput                    # 200 pages under 50 requests / 1 s
    python -m benchmarks.goodput --quota 20/1 --pages 100
"""

from __future__ import annotations

import argparse
import asyncio
import time

from clopos_async import AsyncClopos

from .fake_process import fake_server

TARGET_GOODPUT = 0.95
TARGET_429_PER_100 = 1.0


async def measure(quota: str, pages: int, limit: int) -> dict[str, float]:
    """Fetch ``pages`` pages under ``quota``; return the figures."""
    allowed, window = quota.split("/")
    rate = int(allowed) / float(window)
    sent: list[float] = []
    server = fake_server(orders=pages * limit, quota=quota)
    async with server as (url, credentials, counters), AsyncClopos(
        **credentials, base_url=url, on_request=lambda _event: sent.append(time.monotonic())
    ) as clopos:
        await clopos.orders.list_page(limit=1)  # authenticate outside the measurement
        started = time.perf_counter()
        fetched = 0
        async for _page in clopos.orders.list(limit=limit, concurrency=8).pages():
            fetched += 1
        elapsed = time.perf_counter() - started
    requests = counters.get("requests", 0)
    limited = counters.get("rate_limited", 0)
    return {
        "pages": fetched,
        "seconds": elapsed,
        "pages_per_second": fetched / elapsed,
        "goodput": (fetched / elapsed) / rate,
        "steady_goodput": _sustained(sent, int(allowed), float(window)),
        "requests": requests,
        "rate_limited": limited,
        "per_100": 100 * limited / max(requests, 1),
    }


def _sustained(sent: list[float], allowed: int, window: float) -> float:
    """Requests per whole window, as a share of the quota, after the first window.

    The headline figure counts the free burst a fresh window allows; this one counts only
    the windows where the client had to pace itself, the regime of a long export.
    """
    start, end = sent[0] + window, sent[-1]
    whole = int((end - start) // window)
    if whole < 1:
        return float("nan")
    inside = sum(1 for t in sent if start <= t < start + whole * window)
    return inside / (whole * allowed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quota", default="50/1", help="N/W: N requests per W seconds")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--limit", type=int, default=100, help="orders per page")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.quota, args.pages, args.limit))
    goodput_ok = figures["goodput"] >= TARGET_GOODPUT
    limited_ok = figures["per_100"] < TARGET_429_PER_100
    print(f"quota {args.quota}: {figures['pages']:.0f} pages in {figures['seconds']:.2f}s "
          f"= {figures['pages_per_second']:.1f} pages/s")
    print(f"goodput (pages/s / quota rate): {figures['goodput']:.3f} "
          f"(target >= {TARGET_GOODPUT}) {'MET' if goodput_ok else 'MISSED'}")
    print(f"sustained goodput (requests per whole window after the first / quota): "
          f"{figures['steady_goodput']:.3f}")
    print(f"429s per 100 requests: {figures['per_100']:.2f} "
          f"({figures['rate_limited']:.0f} of {figures['requests']:.0f}; "
          f"target < {TARGET_429_PER_100}) {'MET' if limited_ok else 'MISSED'}")


if __name__ == "__main__":
    main()
