"""``clopos-async products|categories|stations``: the generic commands and the two extras."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clopos_async import Category
from clopos_async.cli.catalogue import outline
from clopos_async.serde import structure
from clopos_async.testing.catalogue import make_categories, make_products

from .test_cli import cli, fake_flags


@pytest.mark.parametrize("version", ["v2", "v1"])
async def test_products_list_get_and_stop_list(version: str) -> None:
    flags = fake_flags(0, "--api-version", version)
    listed = await cli("products", "list", "--jsonl", *flags)
    assert listed.code == 0, listed.err
    assert [json.loads(line)["id"] for line in listed.out.splitlines()] == [
        p["id"] for p in make_products()]
    got = await cli("products", "get", "60", *flags)
    assert got.code == 0 and json.loads(got.out)["name"] == "Cola"
    stops = await cli("products", "stop-list", *flags)
    assert stops.code == 0, stops.err
    assert stops.out.splitlines()[0].split() == ["PRODUCT_ID", "LIMIT", "SINCE"]
    assert [line.split()[:2] for line in stops.out.splitlines()[1:3]] == [
        ["140", "0"], ["58", "3"]]
    only = await cli("products", "stop-list", "--id", "58", "--json", *flags)
    assert json.loads(only.out) == [{"id": 58, "limit": 3, "timestamp": 1761202070781}]
    missing = await cli("products", "get", "999", *flags)
    assert missing.code == 4 and "Product not found" in missing.err


async def test_products_export_writes_every_product(tmp_path: Path) -> None:
    out = tmp_path / "products.csv"
    done = await cli("products", "export", "--out", str(out), *fake_flags(0))
    assert done.code == 0, done.err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[:3] == ["id", "type", "name"]
    assert len(lines) == 1 + len(make_products())


async def test_categories_tree_is_an_indented_outline() -> None:
    result = await cli("categories", "tree", *fake_flags(0))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[:5] == ["1 Food", "  2 Pizza", "  3 Soups", "  4 Grill", "    5 Kebabs"]
    assert "8 Seasonal" not in lines  # inactive: hidden unless asked
    every = await cli("categories", "tree", "--include-inactive", "--type", "PRODUCT",
                      *fake_flags(0))
    shown = [(len(line) - len(line.lstrip())) // 2 for line in every.out.splitlines()]
    seeds = [r for r in make_categories() if r["type"] == "PRODUCT"]
    assert shown == [r["depth"] for r in seeds]
    assert [line.split()[0] for line in every.out.splitlines()] == [str(r["id"]) for r in seeds]


async def test_categories_get_and_stations_list() -> None:
    got = await cli("categories", "get", "4", *fake_flags(0))
    assert got.code == 0 and [c["id"] for c in json.loads(got.out)["children"]] == [5]
    stations = await cli("stations", "list", *fake_flags(0))
    assert stations.code == 0 and stations.out.splitlines()[-1] == "(4 stations)"
    bad = await cli("stations", "list", "--limit", "500", *fake_flags(0))
    assert bad.code == 2 and "limit must be an int in 1..200" in bad.err


def test_outline_indents_by_level() -> None:
    root = structure({"id": 1, "name": "A", "children": [
        {"id": 2, "name": "B", "children": [{"id": 3, "name": "C"}]}, {"id": 4}]}, Category)
    assert outline([root]) == ["1 A", "  2 B", "    3 C", "  4 "]
