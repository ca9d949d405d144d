"""One process of the shared-quota benchmark: fetch every n-th page, report the order ids.

Started by ``shared_quota.py`` (or a test) before the server is up, so Python's start-up
overlaps the server's: reads a JSON job line on stdin, prints ``ready`` once its client
exists, waits for a second line (so every process starts together), fetches pages
``index+1, index+1+of, ...`` eight at a time, and prints ``{"ids": [...]}``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Any

from clopos_async import AsyncClopos

CONCURRENCY = 8


async def _fetch() -> list[Any]:
    loop = asyncio.get_running_loop()
    job: dict[str, Any] = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    pages = range(job["index"] + 1, job["pages"] + 1, job["of"])
    async with AsyncClopos(token=job["token"], brand=job["brand"],
                           integrator_id=job["integrator_id"], base_url=job["url"],
                           max_concurrency=CONCURRENCY,
                           shared_quota=job["redis"]) as clopos:
        print("ready", flush=True)
        await loop.run_in_executor(None, sys.stdin.readline)
        slots = asyncio.Semaphore(CONCURRENCY)

        async def one(number: int) -> list[Any]:
            async with slots:
                page = await clopos.orders.list_page(page=number, limit=job["limit"])
            return [order.id for order in page.items]

        ids: list[Any] = []
        for found in await asyncio.gather(*(one(number) for number in pages)):
            ids.extend(found)
        return ids


if __name__ == "__main__":
    # The parent counts 429s at the server; one warning line per 429 would only bury them.
    logging.basicConfig(level=logging.ERROR)
    print(json.dumps({"ids": asyncio.run(_fetch())}), flush=True)
