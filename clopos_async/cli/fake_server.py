"""`fake-server`, and the embedded FakeClopos behind the global ``--fake`` flag."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..testing import FakeClopos

__all__ = ["embedded_fake", "serve_fake"]

# A fault plan the SDK's default retries (3) always get through: at most 3 faults in a row.
_MAX_CONSECUTIVE_FAULTS = 3


def embedded_fake(args: argparse.Namespace) -> FakeClopos:
    """The FakeClopos `--fake` starts (imported lazily: most runs never need it)."""
    from ..testing import FakeClopos

    return FakeClopos(orders=args.fake_orders, api_version=args.api_version or "v2")


def _export_lines(fake: FakeClopos) -> list[str]:
    names = {"CLOPOS_BASE_URL": fake.url, "CLOPOS_API_VERSION": fake.api_version}
    names.update({f"CLOPOS_{key.upper()}": str(value) for key, value in fake.credentials.items()})
    return [f"export {name}={shlex.quote(value)}" for name, value in names.items()]


async def serve_fake(args: argparse.Namespace) -> None:
    """Run FakeClopos until Ctrl-C or SIGTERM; print its settings as eval-able lines."""
    from ..testing import FakeClopos, FaultPlan, Quota

    faults = (
        FaultPlan.mixed(args.fault_rate, max_consecutive=_MAX_CONSECUTIVE_FAULTS)
        if args.fault_rate
        else None
    )
    quota = Quota(limit=args.quota[0], window=args.quota[1]) if args.quota else None
    fake = FakeClopos(
        orders=args.orders,
        api_version=args.server_api_version or args.api_version or "v2",
        host=args.host,
        port=args.port,
        token_ttl=args.token_ttl,
        latency=args.latency,
        faults=faults,
        quota=quota,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Both stop the server the same clean way (exit 0); where the loop cannot take
        # signal handlers (Windows), Ctrl-C still ends it through KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            handled.append(sig)
    try:
        async with fake:
            lines = _export_lines(fake)
            lines.append(
                f"# FakeClopos: {args.orders} {fake.api_version} orders at {fake.url}; "
                "stop with Ctrl-C."
            )
            lines.append(
                '# In another shell: eval "$(<these lines>)" then e.g. clopos-async orders list'
            )
            # Flushed at once: whoever reads a pipe waits for the URL before anything else.
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()
            await stop.wait()
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
