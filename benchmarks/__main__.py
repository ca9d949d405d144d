"""Run every benchmark, one fresh Python process each: ``python -m benchmarks``.

A fresh process per script keeps one script's heap, sockets and lazily built hooks from
colouring the next one's figures. ``python -m benchmarks decode memory`` runs only those.
"""

from __future__ import annotations

import subprocess
import sys
import time

SCRIPTS = ("bulk_fetch", "decode", "gc_choice", "goodput", "memory", "multi_brand", "overhead",
           "shared_quota")


def main(argv: list[str]) -> int:
    chosen = argv or list(SCRIPTS)
    unknown = [name for name in chosen if name not in SCRIPTS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(SCRIPTS)}")
        return 2
    failed: list[str] = []
    for name in chosen:
        print(f"=== python -m benchmarks.{name}", flush=True)
        started = time.perf_counter()
        status = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], check=False)
        print(f"=== {name}: exit {status.returncode}, {time.perf_counter() - started:.0f} s\n",
              flush=True)
        if status.returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed to run: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
