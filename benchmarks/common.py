"""What every benchmark script shares: timing, interleaved rounds, medians and verdicts.

These machines are shared and noisy, so the scripts never judge an absolute time: each target
is a ratio against a baseline measured in the same run, with the contenders interleaved so a
slow minute hurts them all alike.
"""

from __future__ import annotations

import cProfile
import gc
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import psutil  # type: ignore[import-untyped]  # the bench extra has no stubs

from clopos_async import AsyncClopos

__all__ = [
    "Target",
    "authenticate",
    "busy_share",
    "cpu_seconds",
    "describe_machine",
    "interleaved_async",
    "interleaved_sync",
    "median",
    "print_busy",
    "print_medians",
    "print_profile",
    "report",
    "require_distinct",
    "sdk_client",
]


def median(values: Sequence[float]) -> float:
    """The median of ``values`` (the figure every script reports)."""
    return statistics.median(values)


def describe_machine() -> str:
    """One line saying where the figures came from."""
    return (f"python {platform.python_version()} on {platform.system()} {platform.machine()}, "
            f"{os.cpu_count()} CPUs")


@dataclass(frozen=True)
class Target:
    """A ratio and the bound it must respect: ``value <= bound`` or ``value >= bound``."""

    label: str
    value: float
    bound: float
    at_most: bool = True

    @property
    def met(self) -> bool:
        return self.value <= self.bound if self.at_most else self.value >= self.bound

    def line(self) -> str:
        sign = "<=" if self.at_most else ">="
        return (f"{self.label}: {self.value:.2f} (target {sign} {self.bound}) "
                f"{'MET' if self.met else 'MISSED'}")


def report(targets: Sequence[Target]) -> bool:
    """Print one line per target; True when all are met."""
    for target in targets:
        print("  " + target.line())
    return all(target.met for target in targets)


def print_medians(
    samples: Mapping[str, Sequence[float]], *, unit: str = "s", scale: float = 1.0,
    items: int | None = None,
) -> None:
    """Print each contender's median and spread (seconds times ``scale``, in ``unit``).

    With ``items``, also the median per item in microseconds (a page's orders, say).
    """
    width = max(len(name) for name in samples)
    for name, values in samples.items():
        if not values:
            continue
        middle = median(values)
        line = (f"  {name:<{width}}  median {middle * scale:9.3f} {unit}  "
                f"(min {min(values) * scale:.3f}, max {max(values) * scale:.3f}, n={len(values)})")
        if items:
            line += f"  = {middle / items * 1e6:6.2f} us/order"
        print(line)


async def interleaved_async(
    contenders: Mapping[str, Callable[[], Awaitable[Any]]],
    rounds: Mapping[str, int],
    *,
    check: Callable[[str, Any], None] | None = None,
) -> dict[str, list[float]]:
    """Time each contender ``rounds[name]`` times, interleaved, rotating who goes first.

    Rotation matters: whoever runs right after another contender inherits its warm (or
    cluttered) heap and sockets. ``check`` sees every result, outside the timed region.
    """
    names = list(contenders)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(max(rounds.values())):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            if len(samples[name]) >= rounds[name]:
                continue
            gc.collect()  # start each run from a clean heap, not the previous run's garbage
            started = time.perf_counter()
            result = await contenders[name]()
            samples[name].append(time.perf_counter() - started)
            if check is not None:
                check(name, result)
    return samples


def _calls_per_run(fn: Callable[[], Any], min_seconds: float) -> int:
    """Like timeit's autorange: how many calls make a run of at least ``min_seconds``."""
    number = 1
    while True:
        started = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - started >= min_seconds:
            return number
        number *= 2


def interleaved_sync(
    contenders: Mapping[str, Callable[[], Any]], *, repeat: int, min_run: float = 0.1
) -> dict[str, list[float]]:
    """timeit-style seconds per call: ``repeat`` runs per contender, interleaved.

    Each run makes enough calls to last ``min_run`` seconds (the timer's resolution and a
    stray scheduler tick then stop mattering). The cyclic GC stays on, unlike timeit: building
    thousands of objects per page triggers it in real use, and contenders differ in how many
    objects they make.
    """
    numbers = {name: _calls_per_run(fn, min_run) for name, fn in contenders.items()}
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for index in range(repeat):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            fn, number = contenders[name], numbers[name]
            started = time.perf_counter_ns()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter_ns() - started) / 1e9 / number)
    return samples


def print_profile(profile: cProfile.Profile, *, limit: int = 25) -> None:
    """Print the top ``limit`` functions by own time, then by cumulative time."""
    for key in ("tottime", "cumulative"):
        print(f"--- top {limit} by {key} ---")
        stats = pstats.Stats(profile)
        stats.strip_dirs().sort_stats(key).print_stats(limit)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` has used so far."""
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


Wrapped = dict[str, Callable[[], Awaitable[Any]]]
Shares = dict[str, list[float]]


def busy_share(
    contenders: Mapping[str, Callable[[], Awaitable[Any]]], server_pid: int
) -> tuple[Wrapped, Shares, Shares]:
    """Wrap contenders to record, per run, the share of wall time server and client were busy.

    Near 100% for the server: it was the bottleneck, and the ratio measures it more than the
    client. Near 100% for the client: the client's CPU is what limits it.
    """
    server: Shares = {name: [] for name in contenders}
    client: Shares = {name: [] for name in contenders}

    def wrap(name: str, fn: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        async def run() -> Any:
            cpu, own, wall = cpu_seconds(server_pid), time.process_time(), time.perf_counter()
            result = await fn()
            elapsed = time.perf_counter() - wall
            server[name].append((cpu_seconds(server_pid) - cpu) / elapsed)
            client[name].append((time.process_time() - own) / elapsed)
            return result

        return run

    return {name: wrap(name, fn) for name, fn in contenders.items()}, server, client


def print_busy(server: Shares, client: Shares) -> None:
    """Print the median busy shares recorded by `busy_share`."""
    parts = [f"{name} {median(server[name]):.0%}/{median(client[name]):.0%}"
             for name in server if server[name]]
    print("  CPU busy, server/client share of wall time: " + ", ".join(parts))


def require_distinct(name: str, ids: Sequence[object], expected: int) -> None:
    """Fail loudly unless ``ids`` holds exactly ``expected`` distinct values, none repeated."""
    distinct = len(set(ids))
    if len(ids) != expected or distinct != expected:
        sys.exit(f"FAILED: {name} fetched {len(ids)} orders ({distinct} distinct), "
                 f"expected {expected} distinct")


def sdk_client(url: str, credentials: Mapping[str, str]) -> AsyncClopos:
    """The SDK client with default settings, for the fake server's v2 credentials."""
    return AsyncClopos(
        client_id=credentials["client_id"],
        client_secret=credentials["client_secret"],
        brand=credentials["brand"],
        integrator_id=credentials["integrator_id"],
        base_url=url,
    )


async def authenticate(
    session: aiohttp.ClientSession, url: str, credentials: Mapping[str, str]
) -> str:
    """Get a v2 token the way a hand-written client would (for the raw-aiohttp contenders)."""
    async with session.post(f"{url}/v2/auth", json=dict(credentials)) as response:
        response.raise_for_status()
        body = await response.json()
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        sys.exit("FAILED: the fake server's /v2/auth returned no token")
    return token
