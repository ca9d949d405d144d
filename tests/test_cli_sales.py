"""The CLI: ``receipts list|get|export|close|update``, ``customers list|get|create|export``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from clopos_async.testing import FakeClopos

from .test_cli import cli, env_for


async def test_receipts_list_get_export_close_update(tmp_path: Path) -> None:
    async with FakeClopos(orders=60) as server:
        env = env_for(server)
        shown = await cli("receipts", "list", "--max", "5", env=env)
        assert shown.code == 0, shown
        assert shown.out.splitlines()[0].split()[:3] == ["ID", "CID", "STATUS"]
        target = next(r for r in server.receipts.values() if r["status"] == 1)
        got = await cli("receipts", "get", str(target["id"]), env=env)
        assert json.loads(got.out)["cid"] == target["cid"]
        out = tmp_path / "receipts.csv"
        exported = await cli("receipts", "export", "--out", str(out), env=env)
        assert exported.code == 0, exported
        with out.open() as stream:
            rows = list(csv.DictReader(stream))
        assert sorted(int(row["id"]) for row in rows) == sorted(server.receipts)
        assert {"cid", "status", "total", "closed_at"} <= set(rows[0])
        closed = await cli("receipts", "close", str(target["id"]), "--payment",
                           f"2:Card:{target['total']}", env=env)
        assert closed.code == 0, closed
        assert server.receipts[target["id"]]["status"] == 2
        assert server.counters.receipts_closed == 1
        updated = await cli("receipts", "update", str(target["id"]), "--order-number",
                            "RPO-9", "--lock", env=env)
        assert json.loads(updated.out)["order_number"] == "RPO-9"
        again = await cli("receipts", "close", str(target["id"]), "--payment", "1:Cash:1",
                          env=env)
        assert again.code != 0 and "already closed" in again.err
        bad = await cli("receipts", "close", "1", "--payment", "cash", env=env)
        assert bad.code == 2 and "ID:NAME:AMOUNT" in bad.err


async def test_customers_list_get_create_export(tmp_path: Path) -> None:
    async with FakeClopos(orders=40, api_version="v1") as server:
        env = env_for(server)
        created = await cli("customers", "create", "--name", "Rahid", "--phone",
                            "+994501234567", "--gender", "male", "--date-of-birth",
                            "1990-05-17", env=env)
        assert created.code == 0, created
        customer = json.loads(created.out)
        assert customer["gender"] == 1 and server.counters.customers_created == 1
        got = await cli("customers", "get", str(customer["id"]), env=env)
        assert json.loads(got.out)["cid"] == customer["cid"]
        listed = await cli("customers", "list", "--jsonl", "--with", "group", env=env)
        assert len(listed.out.splitlines()) == len(server.customers)
        taken = await cli("customers", "create", "--name", "X", "--phone", "+994501234567",
                          env=env)
        assert taken.code != 0 and "phone number already exists" in taken.err
        out = tmp_path / "customers.jsonl"
        exported = await cli("customers", "export", "--out", str(out), env=env)
        assert exported.code == 0, exported
        assert len(out.read_text().splitlines()) == len(server.customers)
