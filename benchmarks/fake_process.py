"""Run FakeClopos in a separate process, so the server's CPU does not share the client's loop.

Benchmarks measure the client; a server on the same event loop would slow it down in ways
a real deployment never sees. Usage from a benchmark::

    async with fake_server(orders=20_000, latency=0.02) as (url, credentials, counters): ...

or on its own: ``python -m benchmarks.fake_process --orders 1000 --quota 50/1``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from typing import Any


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--api-version", default="v2", choices=["v1", "v2"])
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--brands", type=int, default=1,
                        help="serve this many brands, each its own FakeClopos with its own "
                             "quota and orders (the first line then lists them all)")
    parser.add_argument("--quota", default=None, help="N/W: N requests per W seconds")
    parser.add_argument("--token-ttl", type=float, default=3600.0)
    parser.add_argument("--fast-json", action="store_true",
                        help="serialise responses with orjson (same JSON, less server CPU)")
    return parser.parse_args(argv)


def _use_orjson() -> None:
    """Make the fake's JSON encoder orjson, so the server spends less CPU per page.

    On a 2-core machine a server that needs more CPU per page than the client caps every
    client at its own speed, and the ratios then say nothing about the client. The bytes sent
    are the same JSON (compact, non-ASCII kept as UTF-8), only produced faster. Benchmark-only:
    it swaps a module attribute of the testing package inside this child process.
    """
    import orjson

    from clopos_async.testing import responses

    def dumps(body: Any) -> str:
        return orjson.dumps(body).decode()

    responses.dumps = dumps


async def _serve(args: argparse.Namespace) -> None:
    from clopos_async.testing import FakeClopos

    if args.fast_json:
        _use_orjson()
    options: dict[str, Any] = {}
    if args.quota:
        from clopos_async.testing import Quota

        limit, window = args.quota.split("/")
        options["quota"] = Quota(limit=int(limit), window=float(window))
    async with contextlib.AsyncExitStack() as stack:
        fakes = [
            await stack.enter_async_context(FakeClopos(
                orders=args.orders, api_version=args.api_version, latency=args.latency,
                token_ttl=args.token_ttl, brand=f"brand{number}", seed=number, **options))
            for number in range(1, args.brands + 1)
        ]
        brands = [{"url": fake.url, "credentials": fake.credentials} for fake in fakes]
        print(json.dumps({**brands[0], "brands": brands}), flush=True)
        # Serve until the parent closes our stdin (or kills us).
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)
        print(json.dumps({"counters": _counters(fakes)}), flush=True)


def _counters(fakes: list[Any]) -> dict[str, Any]:
    """Each counter summed over the brands."""
    names = ("requests", "auth_calls", "rate_limited")
    return {name: sum(getattr(fake.counters, name) for fake in fakes) for name in names
            if hasattr(fakes[0].counters, name)}


@contextlib.asynccontextmanager
async def fake_server(**options: Any) -> AsyncIterator[tuple[str, dict[str, str], dict[str, Any]]]:
    """Start FakeClopos in a child process; yield (url, credentials, final_counters).

    ``final_counters`` holds the server's ``pid`` at once; the rest is filled in when the
    block exits. Options are the command-line flags (``fast_json=True`` for a flag).
    """
    argv = [sys.executable, "-m", "benchmarks.fake_process"]
    for name, value in options.items():
        if value is True:
            argv.append(f"--{name.replace('_', '-')}")  # a flag, e.g. fast_json=True
        elif value is not None and value is not False:
            argv += [f"--{name.replace('_', '-')}", str(value)]
    process = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        line = await process.stdout.readline()
        if not line:
            raise RuntimeError(f"the fake server exited early (status {await process.wait()})")
    except BaseException:
        if process.returncode is None:  # never leave the child behind
            process.kill()
            await process.wait()
        raise
    first = json.loads(line)
    # The pid is there from the start, so a benchmark can read the server's CPU time.
    counters: dict[str, Any] = {"pid": process.pid, "brands": first.get("brands", [first])}
    try:
        yield first["url"], first["credentials"], counters
    finally:
        process.stdin.close()
        line = await process.stdout.readline()
        if line:
            counters.update(json.loads(line).get("counters", {}))
        await process.wait()


if __name__ == "__main__":
    asyncio.run(_serve(_parse_args(None)))
