"""The command line, run as a subprocess (`python -m clopos_async`) against FakeClopos.

Most tests use the embedded server (`--fake`); credential, round-trip and server-state tests
start a FakeClopos here and point the CLI at it. The test's event loop keeps serving while the
CLI runs because the subprocess is awaited (`asyncio.create_subprocess_exec`), never waited on
synchronously.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.typedefs import Handler

from clopos_async.testing import FakeClopos

# The CSV header, exactly as documented (order included).
CSV_HEADER = [
    "id", "status", "type", "integration", "integration_status", "venue_id", "created_at",
    "updated_at", "customer_id", "customer_name", "customer_phone", "customer_address",
    "sale_type_id", "products_count", "items_count", "comment", "discount_type",
    "discount_value", "delivery_fee", "order_total", "receipt_id", "receipt_status",
    "integration_uuid", "integration_id", "customer_ref_id",
]  # fmt: skip
SUMMARY = re.compile(r"^exported (\d+) orders? \((\d+) pages?\) to .+ in \d+\.\ds$")
V2_BODY: dict[str, Any] = {
    "sale_type_id": 2, "venue_id": 1, "delivery_fee": 2.5, "comment": "Leave at the door",
    "customer": {"id": 9, "phone": "+994705401040", "customer_discount_type": 1, "name": "Rahid"},
    "discount": {"discount_type": 1, "discount_value": 10},
    "products": [{"product_id": 101, "product_name": "Pizza", "count": 2, "price": 8.5,
                  "status": "new", "product_hash": "abc123"}],
}  # fmt: skip
TIMEOUT = 60


@dataclass
class Result:
    code: int
    out: str
    err: str


def _base_env(extra: Mapping[str, str] = ()) -> dict[str, str]:  # type: ignore[assignment]
    # Stray CLOPOS_* variables of whoever runs the tests must not reach the CLI.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    env.update(extra)
    return env


async def cli(
    *args: str, env: Mapping[str, str] | None = None, stdin: bytes | None = None
) -> Result:
    """Run the CLI to completion (with warnings as errors, like this suite)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-W", "error", "-m", "clopos_async", *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=_base_env(env or {}),
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(stdin), TIMEOUT)
    assert proc.returncode is not None
    return Result(proc.returncode, out.decode(), err.decode())


def fake_flags(orders: int = 30, *extra: str) -> list[str]:
    return ["--fake", "--fake-orders", str(orders), *extra]


def env_for(server: FakeClopos) -> dict[str, str]:
    env = {f"CLOPOS_{key.upper()}": value for key, value in server.credentials.items()}
    env.update(CLOPOS_BASE_URL=server.url, CLOPOS_API_VERSION=server.api_version)
    return env


def assert_one_error_line(result: Result, code: int) -> None:
    assert result.code == code, result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert "Traceback" not in result.err


@pytest.fixture
async def server() -> AsyncIterator[FakeClopos]:
    async with FakeClopos(orders=230, api_version="v2") as fake:
        yield fake


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------ orders list


async def test_list_prints_a_table_with_the_newest_orders() -> None:
    result = await cli(*fake_flags(30), "orders", "list", "--max", "5")
    assert result.code == 0 and result.err == "", result
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "CREATED_AT", "VENUE", "CUSTOMER", "PRODUCTS",
                                "TOTAL"]  # fmt: skip
    assert [line.split()[0] for line in lines[1:6]] == ["30", "29", "28", "27", "26"]
    assert lines[-1] == "(5 of 30 orders)"


async def test_list_json_is_one_array_and_jsonl_one_object_per_line() -> None:
    as_json = await cli(*fake_flags(30), "orders", "list", "--max", "7", "--limit", "3", "--json")
    assert as_json.code == 0, as_json
    orders = json.loads(as_json.out)
    assert [o["id"] for o in orders] == list(range(30, 23, -1))

    as_jsonl = await cli(*fake_flags(30), "orders", "list", "--max", "7", "--jsonl")
    assert as_jsonl.code == 0, as_jsonl
    lines = as_jsonl.out.splitlines()
    assert [json.loads(line) for line in lines] == orders
    assert all(isinstance(json.loads(line), dict) for line in lines)


async def test_list_filters_reach_the_server() -> None:
    result = await cli(
        *fake_flags(30), "orders", "list", "--filter", "id=3,1,2", "--sort", "id",
        "--with", "customer", "--jsonl",
    )  # fmt: skip
    assert result.code == 0, result.err
    orders = [json.loads(line) for line in result.out.splitlines()]
    assert [o["id"] for o in orders] == [1, 2, 3]
    assert all("customer" in o for o in orders)  # the embedded relation


async def test_list_on_v1() -> None:
    result = await cli(*fake_flags(30, "--api-version", "v1"), "orders", "list",
                       "--status", "pending", "--jsonl")  # fmt: skip
    assert result.code == 0, result.err
    assert {json.loads(line)["status"] for line in result.out.splitlines()} == {"PENDING"}


# ------------------------------------------------------------------------ exit codes


@pytest.mark.parametrize(
    "flags",
    [["--status", "BOGUS"], ["--limit", "0"], ["--max", "0"], ["--sort", "total"],
     ["--from", "yesterday"]],
)  # fmt: skip
async def test_invalid_arguments_exit_2_with_one_line(flags: list[str]) -> None:
    assert_one_error_line(await cli(*fake_flags(5), "orders", "list", *flags), 2)


async def test_argparse_errors_exit_2_with_one_line() -> None:
    # Not argparse's usage block: one line naming the flag, and where the help is.
    for args in (["orders", "list", "--limit", "abc"], ["orders", "list", "--filter", "novalue"],
                 ["orders"], ["nope"]):  # fmt: skip
        result = await cli(*fake_flags(5), *args)
        assert_one_error_line(result, 2)
        assert "usage:" not in result.err and "--help" in result.err, result


async def test_missing_credentials_exit_2() -> None:
    result = await cli("orders", "list")
    assert_one_error_line(result, 2)
    assert "CLOPOS_" in result.err


async def test_credentials_from_environment_and_flags(server: FakeClopos) -> None:
    from_env = await cli("orders", "list", "--max", "2", "--jsonl", env=env_for(server))
    assert from_env.code == 0 and len(from_env.out.splitlines()) == 2, from_env

    creds = server.credentials
    flags = await cli(
        "--base-url", server.url, "--client-id", creds["client_id"], "--client-secret",
        creds["client_secret"], "--brand", creds["brand"], "--integrator-id",
        creds["integrator_id"], "orders", "list", "--max", "2", "--jsonl",
    )  # fmt: skip
    assert flags.code == 0 and flags.out == from_env.out, flags

    token = await cli("--base-url", server.url, "--token", server.issue_token(),
                      "orders", "get", "1")  # fmt: skip
    assert token.code == 0 and json.loads(token.out)["id"] == 1, token


async def test_wrong_secret_exits_3_and_never_prints_secrets(server: FakeClopos) -> None:
    env = {**env_for(server), "CLOPOS_CLIENT_SECRET": "s3cr3t-value"}
    result = await cli("orders", "list", env=env)
    assert_one_error_line(result, 3)

    debug = await cli("--debug", "orders", "list", env=env)
    assert debug.code == 3 and "Traceback" in debug.err, debug
    assert "s3cr3t-value" not in debug.err + debug.out

    bad_token = await cli("--debug", "--token", "tok-s3cr3t", "orders", "list",
                          env=env_for(server))  # fmt: skip
    assert bad_token.code == 3, bad_token
    assert "tok-s3cr3t" not in bad_token.err + bad_token.out


async def test_not_found_exits_4() -> None:
    assert_one_error_line(await cli(*fake_flags(5), "orders", "get", "9999"), 4)


async def test_network_error_exits_6() -> None:
    port = free_port()  # nothing listens there any more
    url = f"http://127.0.0.1:{port}/open-api"
    result = await cli("--base-url", url, "--token", "t", "--retries", "0", "orders", "list")
    assert_one_error_line(result, 6)
    assert url in result.err
    # Credentials in the URL are refused before anything is sent, and never echoed.
    with_userinfo = f"http://user:hunter2@127.0.0.1:{port}/open-api"
    refused = await cli("--base-url", with_userinfo, "--token", "t", "orders", "list")
    assert_one_error_line(refused, 2)
    assert "credentials" in refused.err and "hunter2" not in refused.err


async def test_ctrl_c_exits_130_quietly_and_leaves_no_file(tmp_path: Path) -> None:
    arrived = asyncio.Event()

    @web.middleware
    async def note_arrival(request: web.Request, handler: Handler) -> web.StreamResponse:
        arrived.set()
        return await handler(request)

    async with FakeClopos(orders=20, latency=1.0, middlewares=[note_arrival]) as slow:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "clopos_async", "orders", "export", "--out",
            str(tmp_path / "o.jsonl"), stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=_base_env(env_for(slow)),
        )  # fmt: skip
        # Interrupt only once the CLI is surely inside its event loop: its request arrived.
        await asyncio.wait_for(arrived.wait(), TIMEOUT)
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    assert proc.returncode == 130 and err == b"" and out == b""
    assert files_in(tmp_path) == []


# ------------------------------------------------------------------------ orders export


async def test_export_jsonl_is_the_servers_json_exactly(server: FakeClopos, tmp_path: Path) -> None:
    out = tmp_path / "orders.jsonl"
    result = await cli("orders", "export", "--out", str(out), "--limit", "50",
                       "--concurrency", "4", env=env_for(server))  # fmt: skip
    assert result.code == 0, result.err
    # Not a terminal: no progress, only the summary.
    assert result.err.splitlines() == [
        f"exported 230 orders (5 pages) to {out} in {result.err.split(' in ')[-1].strip()}"
    ]
    assert SUMMARY.match(result.err.strip())

    lines = out.read_text(encoding="utf-8").splitlines()
    expected = {
        order["id"]: {key: value for key, value in order.items() if key != "receipt"}
        for order in server.orders_list()
    }  # lists show no receipt unless asked to embed it
    ids = [json.loads(line)["id"] for line in lines]
    assert len(lines) == len(expected) == len(set(ids))
    for line, order_id in zip(lines, ids, strict=True):
        assert json.loads(line) == expected[order_id]
        # Byte for byte what the server serialised: key order, numbers and timestamps as sent.
        assert line == json.dumps(expected[order_id], ensure_ascii=False, separators=(",", ":"))


async def test_export_csv_header_and_rows(tmp_path: Path) -> None:
    out = tmp_path / "orders.csv"
    result = await cli(*fake_flags(75), "orders", "export", "--out", str(out), "--limit", "20")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == CSV_HEADER
    body = [dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]]
    assert len(body) == 75 and len({row["id"] for row in body}) == 75
    assert all(row["created_at"].endswith("Z") for row in body)
    assert all(int(row["items_count"]) >= int(row["products_count"]) >= 1 for row in body)
    assert any(row["order_total"] for row in body) and any(not row["comment"] for row in body)


async def test_export_format_flag_and_max(tmp_path: Path) -> None:
    out = tmp_path / "orders.txt"
    result = await cli(*fake_flags(75), "orders", "export", "--out", str(out), "--format",
                       "csv", "--max", "30", "--limit", "20")  # fmt: skip
    assert result.code == 0, result.err
    assert SUMMARY.match(result.err.strip()).groups() == ("30", "2")  # type: ignore[union-attr]
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_HEADER)


async def test_export_progress_when_forced(tmp_path: Path) -> None:
    out = tmp_path / "orders.jsonl"
    result = await cli(*fake_flags(60), "orders", "export", "--out", str(out), "--limit", "10",
                       "--progress")  # fmt: skip
    assert result.code == 0, result
    assert "\r" in result.err
    # Orders out of the total first, then the ETA, pages and rate (issue 13 item 7).
    assert re.search(r"\d+/60 orders \| ETA [\d:?]+ \| \d+/6 pages \| [\d,?]+ orders/s", result.err)
    assert SUMMARY.match(result.err.rsplit("\r", 1)[-1].strip())


async def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "orders.jsonl"
    result = await cli(*fake_flags(20, "--client-secret", "wrong"), "orders", "export",
                       "--out", str(out))  # fmt: skip
    assert_one_error_line(result, 3)
    assert files_in(tmp_path) == []  # neither FILE nor a temporary file

    out.write_text("an older export\n")
    again = await cli(*fake_flags(20, "--client-secret", "wrong"), "orders", "export",
                      "--out", str(out), "--force")  # fmt: skip
    assert again.code == 3, again
    assert out.read_text() == "an older export\n"
    assert files_in(tmp_path) == [out.name]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
async def test_progress_shows_on_a_terminal(tmp_path: Path) -> None:
    import pty

    primary, secondary = pty.openpty()
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "clopos_async", *fake_flags(60), "orders", "export",
            "--out", str(tmp_path / "o.csv"), "--limit", "10",
            stdout=asyncio.subprocess.DEVNULL, stderr=secondary, env=_base_env(),
        )  # fmt: skip
    finally:
        os.close(secondary)  # the child holds its own copy; EOF comes when it exits

    def drain() -> bytes:
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the terminal's last writer is gone
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        output, _ = await asyncio.wait_for(
            asyncio.gather(asyncio.to_thread(drain), proc.wait()), TIMEOUT
        )
    finally:
        os.close(primary)
    text = output.decode()
    assert proc.returncode == 0, text
    assert "\r" in text and "/6 pages |" in text
    assert "exported 60 orders (6 pages)" in text


# ------------------------------------------------------------------------ get, ignore, create


async def test_get_with_and_without_receipt(server: FakeClopos) -> None:
    order = next(o for o in server.orders_list() if o["receipt"] is not None)
    plain = await cli("orders", "get", str(order["id"]), env=env_for(server))
    assert plain.code == 0, plain
    assert "receipt" not in json.loads(plain.out)

    result = await cli("orders", "get", str(order["id"]), "--with-receipt", env=env_for(server))
    assert result.code == 0, result.err
    shown = json.loads(result.out)
    assert shown["id"] == order["id"] and shown["status"] == order["status"]
    assert shown["receipt"]["id"] == order["receipt"]["id"]
    assert result.out.startswith("{\n  ")  # pretty
    # Lossless: exactly the server's order, not a re-rendering of the typed model.
    assert json.loads(plain.out) == {k: v for k, v in order.items() if k != "receipt"}


async def test_ignore(server: FakeClopos) -> None:
    order = next(o for o in server.orders_list() if o["status"] == "PENDING")
    result = await cli("orders", "ignore", str(order["id"]), env=env_for(server))
    assert result.code == 0, result.err
    assert json.loads(result.out)["status"] == "IGNORE"
    assert server.orders[order["id"]]["status"] == "IGNORE"


async def test_create_with_and_without_idempotency_key(server: FakeClopos, tmp_path: Path) -> None:
    body = tmp_path / "order.json"
    body.write_text(json.dumps(V2_BODY))
    env = env_for(server)

    plain = await cli("orders", "create", "--file", str(body), env=env)
    assert plain.code == 0, plain.err
    assert json.loads(plain.out)["status"] == "PENDING"
    assert server.counters.orders_created == 1

    first = await cli("orders", "create", "--file", str(body), "--idempotency-key", "pos-42",
                      env=env)  # fmt: skip
    second = await cli("orders", "create", "--file", str(body), "--idempotency-key", "pos-42",
                       env=env)  # fmt: skip
    assert first.code == second.code == 0, (first, second)
    created = json.loads(first.out)["id"]
    assert json.loads(second.out)["id"] == created != json.loads(plain.out)["id"]
    assert server.counters.orders_created == 2  # the replay created nothing

    got = await cli("orders", "get", str(created), env=env)
    assert json.loads(got.out)["id"] == created

    from_stdin = await cli("orders", "create", "--file", "-", "--idempotency-key", "pos-42",
                           env=env, stdin=json.dumps(V2_BODY).encode())  # fmt: skip
    assert json.loads(from_stdin.out)["id"] == created


async def test_create_with_a_bad_file_exits_2(tmp_path: Path) -> None:
    missing = await cli(*fake_flags(5), "orders", "create", "--file", str(tmp_path / "no.json"))
    assert_one_error_line(missing, 2)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert_one_error_line(await cli(*fake_flags(5), "orders", "create", "--file", str(bad)), 2)


# ------------------------------------------------------------------------ fake-server


async def test_fake_server_prints_settings_and_stops_cleanly() -> None:
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-W", "error", "-m", "clopos_async", "fake-server", "--port", str(port),
        "--orders", "12", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env=_base_env(),
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        env: dict[str, str] = {}
        while "CLOPOS_INTEGRATOR_ID" not in env:
            line = (await asyncio.wait_for(proc.stdout.readline(), TIMEOUT)).decode()
            assert line, "fake-server ended before printing its settings"
            match = re.fullmatch(r"export (CLOPOS_\w+)=(\S+)\n", line)
            if match:
                env[match[1]] = match[2]
        assert env["CLOPOS_BASE_URL"] == f"http://127.0.0.1:{port}/open-api"

        result = await cli("orders", "list", "--jsonl", "--max", "100", env=env)
        assert result.code == 0, result.err
        assert len(result.out.splitlines()) == 12
    finally:
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err


# ------------------------------------------------------------------------ entry points


async def test_help_documents_exit_codes_and_csv_columns() -> None:
    main_help = await cli("--help")
    assert main_help.code == 0 and "exit codes:" in main_help.out and "130" in main_help.out
    export_help = await cli("orders", "export", "--help")
    assert export_help.code == 0
    assert all(re.search(rf"^\s+{name}\s", export_help.out, re.M) for name in CSV_HEADER)
    version = await cli("--version")
    assert version.code == 0 and version.out.startswith("clopos-async ")


def test_console_script_points_at_main() -> None:
    from clopos_async.cli import main

    (script,) = entry_points(group="console_scripts", name="clopos-async")
    assert script.load() is main


def test_export_module_documents_every_csv_column() -> None:
    from clopos_async import export

    assert [name for name, _ in export.CSV_COLUMNS] == CSV_HEADER
    assert export.__doc__ is not None
    assert all(re.search(rf"^{name}\s", export.__doc__, re.M) for name in CSV_HEADER)
