"""The export's progress line in a real terminal: tmux runs the CLI, capture-pane reads the screen.

A narrow (40-column) terminal, a slow server and injected 503s, so that the progress line is
redrawn many times and retry warnings arrive while it is shown (issue 13 item 7): at the end
the screen must hold whole warning lines and the summary, and no fragment of a progress line.
CI installs tmux (.ci/run); elsewhere the test is skipped without it.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from clopos_async.testing import FakeClopos, FaultPlan

from .test_cli import _base_env, env_for

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="needs tmux (CI installs it)",
)

COLUMNS = 40
DONE = "__EXPORT_DONE__"


async def tmux(socket: str, *args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        "tmux", "-S", socket, *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def screen_after_export(tmp_path: Path, server: FakeClopos) -> str:
    env = {**_base_env(env_for(server)), "PYTHONWARNINGS": "error"}
    exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items()
                       if name.startswith(("CLOPOS_", "PYTHON", "PATH", "HOME")))  # fmt: skip
    command = (
        f"env {exports} {shlex.quote(sys.executable)} -m clopos_async orders export "
        f"--out {shlex.quote(str(tmp_path / 'o.jsonl'))} --limit 5 --concurrency 2; "
        f"echo; echo {DONE} $?; sleep 600"
    )
    # A private server whose socket goes away with tmp_path.
    socket = str(tmp_path / "tmux.sock")
    await tmux(socket, "new-session", "-d", "-x", str(COLUMNS), "-y", "50", command)
    try:
        for _ in range(1200):  # up to ~120 s on a busy machine
            screen = await tmux(socket, "capture-pane", "-p", "-J")
            if DONE in screen:
                return screen
            await asyncio.sleep(0.1)
        raise AssertionError(f"the export did not finish:\n{screen}")
    finally:
        await tmux(socket, "kill-server")


async def test_progress_yields_to_warnings_and_fits_a_narrow_terminal(tmp_path: Path) -> None:
    faults = FaultPlan(rate_503=0.25, seed=3, max_consecutive=1)
    async with FakeClopos(orders=60, latency=0.05, faults=faults) as server:
        screen = await screen_after_export(tmp_path, server)
        assert server.counters.faults_injected > 0
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    assert f"{DONE} 0" in lines, screen
    warnings = [line for line in lines if "WARNING" in line]
    assert warnings, screen
    # Each warning starts its own line: the progress line was erased before it was logged.
    assert all(line.startswith("WARNING clopos_async:") for line in warnings), screen
    # Nothing of a progress line survives: it never wrapped, and it was cleared at the end.
    for fragment in ("orders |", "| ETA", "pages |", "orders/s"):
        assert not any(fragment in line for line in lines), screen
    assert any(line.startswith("exported 60 orders (12 pages)") for line in lines), screen
