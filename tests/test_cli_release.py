"""The command line's release-quality fixes (issue 13), each run as a subprocess.

Output paths (items 2, 5, 6), SIGTERM (3), flag names in errors (8), a wrong base URL (9),
flags after the command and help texts (12, 13, 14), the create file format (12).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.typedefs import Handler

from clopos_async.testing import FakeClopos

from .test_cli import (
    SUMMARY,
    TIMEOUT,
    _base_env,
    assert_one_error_line,
    cli,
    env_for,
    fake_flags,
    files_in,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and signals")


def chattr(flag: str, path: Path) -> int:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode


def jsonl_ids(text: str) -> list[int]:
    return [json.loads(line)["id"] for line in text.splitlines()]


# ------------------------------------------------------------ item 2: where the output goes


async def test_out_dash_writes_to_stdout_and_creates_no_file(tmp_path: Path) -> None:
    result = await cli(*fake_flags(25), "orders", "export", "--out", "-", "--limit", "10")
    assert result.code == 0, result
    assert sorted(jsonl_ids(result.out)) == list(range(1, 26))
    assert SUMMARY.match(result.err.strip()) and "to standard output" in result.err
    assert "-" not in os.listdir()


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7) where we may make one.

    Never the system's own node when we are root: a regression (replacing the device with a
    regular file, as the old export did) must not break /dev/null for the whole machine.
    Without root the real node is safe, since only root could replace it.
    """
    node = tmp_path / name
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        if os.geteuid() == 0:
            pytest.skip("root without CAP_MKNOD: the system's devices would be at risk")
        return Path("/dev") / name
    return node


@posix_only
async def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    null = device(tmp_path, "null", 3)
    result = await cli(*fake_flags(25), "orders", "export", "--out", str(null))
    assert result.code == 0, result
    assert stat.S_ISCHR(os.stat(null).st_mode)


@pytest.mark.skipif(sys.platform != "linux", reason="needs Linux's full device")
async def test_dev_full_is_written_into_and_the_error_names_it(tmp_path: Path) -> None:
    full = device(tmp_path, "full", 7)
    result = await cli(*fake_flags(25), "orders", "export", "--out", str(full))
    assert_one_error_line(result, 1)
    assert str(full) in result.err and "No space left" in result.err
    assert stat.S_ISCHR(os.stat(full).st_mode)


@posix_only
async def test_a_symlink_stays_a_link_and_its_target_gets_the_export(tmp_path: Path) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    result = await cli(*fake_flags(25), "orders", "export", "--out", str(link), "--force")
    assert result.code == 0, result
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert sorted(jsonl_ids(target.read_text())) == list(range(1, 26))
    assert files_in(tmp_path) == ["link.jsonl", "real.jsonl"]


@posix_only
async def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "orders.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    # The reader opens the FIFO the way `cat` would; the export opens it for writing.
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = await cli(*fake_flags(25), "orders", "export", "--out", str(fifo))
    await asyncio.to_thread(reader.join, TIMEOUT)
    assert result.code == 0, result
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(jsonl_ids(received[0].decode())) == list(range(1, 26))


# ------------------------------------------------------ items 5 and 6: checks, modes, --force


async def test_an_existing_file_needs_force_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "orders.jsonl"
    out.write_text("an older export\n")
    out.chmod(0o640)
    refused = await cli(*fake_flags(25), "orders", "export", "--out", str(out))
    assert_one_error_line(refused, 2)
    assert f"--out {out} exists; pass --force" in refused.err
    assert out.read_text() == "an older export\n"

    forced = await cli(*fake_flags(25), "orders", "export", "--out", str(out), "--force")
    assert forced.code == 0, forced
    assert len(out.read_text().splitlines()) == 25
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


async def test_a_new_export_file_is_private(tmp_path: Path) -> None:
    out = tmp_path / "orders.csv"
    result = await cli(*fake_flags(5), "orders", "export", "--out", str(out))
    assert result.code == 0, result
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".", "it is a directory"),
        ("", "the output path is empty"),
        ("missing-dir/orders.jsonl", "does not exist"),
    ],
)
async def test_a_bad_path_is_refused_before_any_request(
    tmp_path: Path, name: str, expected: str
) -> None:
    async with FakeClopos(orders=5) as server:
        path = str(tmp_path / name) if name else ""
        result = await cli("orders", "export", "--out", path, env=env_for(server))
        assert server.counters.requests == 0  # nothing fetched, not even a token
    assert_one_error_line(result, 2)
    assert expected in result.err and ".part" not in result.err
    assert (path or "--out") in result.err


@posix_only
async def test_an_immutable_file_is_refused_before_any_request(tmp_path: Path) -> None:
    out = tmp_path / "orders.jsonl"
    out.write_text("keep\n")
    if shutil.which("chattr") is None or chattr("+i", out):
        pytest.skip("chattr +i is not available here (needs root and a supporting file system)")
    try:
        async with FakeClopos(orders=5) as server:
            result = await cli("orders", "export", "--out", str(out), "--force",
                               env=env_for(server))  # fmt: skip
            assert server.counters.requests == 0
    finally:
        assert chattr("-i", out) == 0
    assert_one_error_line(result, 2)
    assert f"cannot write {out}: Operation not permitted" in result.err
    assert files_in(tmp_path) == ["orders.jsonl"] and out.read_text() == "keep\n"


# ------------------------------------------------------------------ item 3: SIGTERM, leftovers


@posix_only
async def test_sigterm_exits_143_and_leaves_no_partial_file(tmp_path: Path) -> None:
    arrived = asyncio.Event()

    @web.middleware
    async def note_list_request(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.endswith("/orders") and request.query.get("page") == "2":
            arrived.set()  # page 1 was written to the temporary file by now
        return await handler(request)

    async with FakeClopos(orders=40, latency=0.2, middlewares=[note_list_request]) as slow:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "clopos_async", "orders", "export", "--out",
            str(tmp_path / "o.jsonl"), "--limit", "10", "--concurrency", "1",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=_base_env(env_for(slow)),
        )  # fmt: skip
        await asyncio.wait_for(arrived.wait(), TIMEOUT)
        assert any(name.endswith(".part") for name in files_in(tmp_path))
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    assert proc.returncode == 143 and err == b"" and out == b""
    assert files_in(tmp_path) == []


async def test_stale_temp_files_of_dead_exports_are_removed(tmp_path: Path) -> None:
    dead_pid = 2**22 + 1  # above Linux's largest pid: no such process
    stale = tmp_path / f".orders.jsonl.{dead_pid}-0123abcd.part"
    running = tmp_path / f".orders.jsonl.{os.getpid()}-0123abcd.part"  # this test: alive
    other = tmp_path / f".other.jsonl.{dead_pid}-0123abcd.part"  # another target's
    for path in (stale, running, other):
        path.write_text("partial")
    result = await cli(*fake_flags(5), "orders", "export", "--out", str(tmp_path / "orders.jsonl"))
    assert result.code == 0, result
    assert files_in(tmp_path) == sorted([running.name, other.name, "orders.jsonl"])


# ----------------------------------------------------------- item 8: flags, not parameters


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["orders", "list", "--max", "0"], "--max must be an int >= 1"),
        (["orders", "list", "--from", "2026-13-01"], "--from must be a date"),
        (["orders", "list", "--from", "2026-02-01", "--to", "2026-01-01"], "after --to"),
        (["orders", "list", "--limit", "500"], "--limit must be"),
        (["orders", "export", "--out", "-", "--concurrency", "0"], "--concurrency must be"),
        (["--retries", "-1", "orders", "list"], "--retries must be"),
        (["orders", "list", "--with", ""], "--with must"),
    ],
)
async def test_argument_errors_name_the_flag(args: list[str], expected: str) -> None:
    result = await cli("--fake", "--fake-orders", "5", *args)
    assert_one_error_line(result, 2)
    assert expected in result.err
    for parameter in ("max_items", "date_from", "date_to", "max_retries", "with_"):
        assert parameter not in result.err


async def test_fake_server_fault_rate_is_checked_by_the_parser() -> None:
    result = await cli("fake-server", "--port", "0", "--fault-rate", "5")
    assert result.code == 2 and "--fault-rate" in result.err and "between 0 and 1" in result.err


# --------------------------------------------------------------- item 9: a wrong base URL


@pytest.mark.parametrize("mistake", ["no /open-api", "/v2 appended"])
async def test_a_404_from_auth_says_the_base_url_is_probably_wrong(mistake: str) -> None:
    async with FakeClopos(orders=5) as server:
        env = env_for(server)
        url = server.url + "/v2" if mistake == "/v2 appended" else server.url[: -len("/open-api")]
        result = await cli("--base-url", url, "orders", "list", env=env)
    assert_one_error_line(result, 2)
    assert "the base URL is probably wrong" in result.err
    assert "https://integrations.clopos.com/open-api" in result.err


async def test_help_states_the_default_base_url() -> None:
    result = await cli("--help")
    assert "https://integrations.clopos.com/open-api" in " ".join(result.out.split())


# ------------------------------------------- item 14: flags after the command, help, repr


async def test_global_flags_work_after_the_command() -> None:
    result = await cli("orders", "list", "--fake", "--fake-orders", "4", "--max", "2")
    assert result.code == 0, result
    assert result.out.splitlines()[-1] == "(2 of 4 orders)"


async def test_a_global_flag_before_the_command_is_not_undone_by_the_command() -> None:
    result = await cli("--fake", "--fake-orders", "3", "orders", "list", "--json")
    assert result.code == 0, result
    assert len(json.loads(result.out)) == 3


async def test_id_arguments_have_help() -> None:
    for action in ("get", "ignore"):
        result = await cli("orders", action, "--help")
        assert "the order's id" in result.out


# ------------------------------------------------------- item 13: v1 status words


async def test_v1_status_accepts_the_words_its_listing_shows() -> None:
    async with FakeClopos(orders=40, api_version="v1") as server:
        listed = await cli("orders", "list", "--json", "--max", "40", env=env_for(server))
        statuses = {order["status"] for order in json.loads(listed.out)}
        assert "IGNORE" in statuses  # what a v1 listing shows
        result = await cli("orders", "list", "--status", "IGNORE", "--json", "--max", "40",
                           env=env_for(server))  # fmt: skip
        own_word = await cli("orders", "list", "--status", "cancelled", "--json", "--max", "40",
                             env=env_for(server))  # fmt: skip
    assert result.code == 0, result
    ignored = json.loads(result.out)
    assert ignored and {order["status"] for order in ignored} == {"IGNORE"}
    assert ignored == json.loads(own_word.out)


async def test_status_help_documents_the_v1_mapping() -> None:
    result = await cli("orders", "list", "--help")
    text = " ".join(result.out.split())
    assert "IGNORE=cancelled" in text and "RECEIVED=confirmed" in text


# ------------------------------------------------------- item 12: the create file format


async def test_create_accepts_string_money_and_no_status(tmp_path: Path) -> None:
    body = {
        "sale_type_id": 2, "venue_id": 1, "customer": {"name": "Rahid"},
        "products": [{"product_id": 101, "product_name": "Pizza", "count": 2, "price": "8.50"}],
    }  # fmt: skip
    path = tmp_path / "order.json"
    path.write_text(json.dumps(body))
    sent: list[dict[str, object]] = []

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method == "POST" and request.path.endswith("/orders"):
            sent.append(await request.json())
        return await handler(request)

    async with FakeClopos(orders=0, middlewares=[record]) as server:
        result = await cli("orders", "create", "--file", str(path), env=env_for(server))
        stored = server.orders_list()
    assert result.code == 0, result
    assert len(stored) == 1 and json.loads(result.out)["id"] == stored[0]["id"]
    assert sent[0]["products"] == [  # money as a JSON number, the status filled in
        {"product_id": 101, "product_name": "Pizza", "count": 2, "price": 8.5, "status": "new",
         "product_hash": "101-0", "modifiers": []}
    ]  # fmt: skip


async def test_the_help_example_creates_an_order_on_both_versions(tmp_path: Path) -> None:
    from clopos_async.cli.order_file import EXAMPLE

    help_text = (await cli("orders", "create", "--help")).out
    assert EXAMPLE in help_text
    path = tmp_path / "order.json"
    path.write_text(EXAMPLE)
    for version in ("v1", "v2"):
        async with FakeClopos(orders=0, api_version=version) as server:
            result = await cli("orders", "create", "--file", str(path), env=env_for(server))
            assert result.code == 0, (version, result)
            assert server.counters.orders_created == 1


async def test_create_names_an_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "order.json"
    path.write_text(json.dumps({"sale_type_id": 2, "venue_id": 1, "custmer": {}}))
    result = await cli(*fake_flags(1), "orders", "create", "--file", str(path))
    assert_one_error_line(result, 2)
    assert "unknown field 'custmer'" in result.err and "customer" in result.err


def test_new_order_has_a_json_ready_body() -> None:
    from clopos_async import NewOrder, NewOrderCustomer, NewOrderProduct

    order = NewOrder(
        sale_type_id=2, venue_id=1, customer=NewOrderCustomer(name="Rahid", id=9),
        products=[NewOrderProduct(product_id=101, product_name="Pizza", count=2, price="8.50")],
        sale_type_name="Delivery", venue_name="Main", delivery_fee=2,
    )  # fmt: skip
    body = order.to_json_body()
    assert json.loads(json.dumps(body)) == body
    assert body["products"][0]["price"] == 8.5 and body["delivery_fee"] == 2
    assert json.dumps(order.to_json_body("v1"))
    with pytest.raises(ValueError, match="api_version"):
        order.to_json_body("v3")
