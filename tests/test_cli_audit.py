"""The audit of the commands added in 0.2.0 (products, categories, stations, users, venues,
payment-methods, customer-groups, price-lists, sale-types, receipts, customers).

Each runs as orders' do (`test_cli.cli`: a subprocess against a FakeClopos): bad input exits 2
with one ``error:`` line naming the flag and what it accepts, and the server sees nothing;
good input prints a readable table. `--help` is read in-process from the real parser.
"""

from __future__ import annotations

import argparse
import json
import re
import stat
from pathlib import Path

import pytest

from clopos_async.cli import main
from clopos_async.cli.filter_flags import accepted, filter_reader
from clopos_async.cli.flags import in_flag_terms
from clopos_async.cli.output import table
from clopos_async.cli.parser import build_parser
from clopos_async.cli.resources import RESOURCE_COMMANDS
from clopos_async.cli.usage import attach_dash_values
from clopos_async.resources.products import PRODUCTS
from clopos_async.resources.receipts import RECEIPTS
from clopos_async.testing import FakeClopos

from .test_cli import Result, assert_one_error_line, cli, env_for

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

# (arguments, words the one error line must hold: the flag, and what it accepts). Where
# argparse words the choices, each is checked apart: Python versions quote them differently.
BAD_INPUT: list[tuple[list[str], str | tuple[str, ...]]] = [
    (["products", "list", "--limit", "0"], "--limit must be an int in 1..100, got 0"),
    (["products", "list", "--limit", "1000"], "--limit must be an int in 1..100, got 1000"),
    (["products", "list", "--limit", "x"], "argument --limit: invalid int value: 'x'"),
    (["products", "list", "--max", "0"], "--max must be an int >= 1"),
    (["products", "list", "--category-id", "x"], "--category-id must be an int >= 1, got 'x'"),
    (["products", "list", "--giftable", "maybe"],
     "--giftable must be yes or no (or true/false, 1/0), got 'maybe'"),
    (["products", "list", "--type", "SOUP"],
     "--type must be one of GOODS, DISH, TIMER, PREPARATION, INGREDIENT, got 'SOUP'"),
    (["products", "list", "--inventory-behavior", "2"],
     "--inventory-behavior must be one of 0, 1, 3, got 2"),
    (["products", "list", "--with", "nope"], "--with must be one of category, station"),
    # The command's own --help, which lists the flags it takes (the top level's shows none).
    (["products", "list", "--sort", "name"],
     "unrecognized arguments: --sort name (see clopos-async products list --help)"),
    (["price-lists", "prices", "--bogus"],
     "unrecognized arguments: --bogus (see clopos-async price-lists prices --help)"),
    (["products", "get"], "the following arguments are required: ID"),
    (["products", "stop-list", "--id", "0"], "--id must be an int >= 1, got 0"),
    (["products", "export", "--out", "-", "--format", "xml"],
     ("argument --format: invalid choice: 'xml' (choose from", "jsonl", "csv")),
    (["products", "export", "--out", "-", "--concurrency", "0"],
     "--concurrency must be an int in 1..64"),
    (["products", "export"], "the following arguments are required: --out"),
    (["categories", "tree", "--type", "SOUP"],
     ("argument --type: invalid choice: 'SOUP' (choose from", "PRODUCT", "ACCOUNTING")),
    (["categories", "list", "--parent-id", "0"], "--parent-id must be an int >= 1, got 0"),
    (["stations", "list", "--status", "2"], "--status must be one of 1, 0, got 2"),
    (["stations", "list", "--can-print", "maybe"], "--can-print must be yes or no"),
    (["stations", "list", "--limit", "500"], "--limit must be an int in 1..200"),
    (["venues", "get", "1"], ("invalid choice: 'get' (choose from", "list", "export")),
    (["price-lists", "prices", "--list-id", "x"], "--list-id must be an int >= 1, got 'x'"),
    (["price-lists", "list", "--sort", "price"],
     "--sort must be one of id, name, created_at (prefix '-' for descending)"),
    (["receipts", "list", "--sort", "nope"], "--sort must be one of id, created_at"),
    (["receipts", "list", "--status", "3"], "--status must be 1 (ReceiptStatus.OPEN) or"),
    (["receipts", "list", "--status", "1", "--status", "2"], "--status takes one value, given 2"),
    (["customers", "list", "--name", "a", "--name", "b"], "--name takes one value, given 2"),
    (["receipts", "list", "--from", "yesterday"], "--from must be a date"),
    (["receipts", "list", "--sale-type-id", "x"], "--sale-type-id must be an int >= 1"),
    (["receipts", "update", "5"],
     "receipts update needs at least one of --order-status, --order-number, --fiscal-id, "
     "--lock or --unlock"),
    (["receipts", "update", "5", "--order-status", "SOUP"],
     "--order-status must be one of NEW, SCHEDULED, IN_PROGRESS"),
    (["receipts", "close", "5", "--payment", "cash"], "ID:NAME:AMOUNT"),
    (["receipts", "close", "5"], "the following arguments are required: --payment"),
    (["customers", "list", "--group-id", "x"], "--group-id must be an int >= 1, got 'x'"),
    (["customers", "list", "--name", ""], "--name must be a non-empty string"),
    (["customers", "create"], "the following arguments are required: --name"),
    (["customers", "create", "--name", "X", "--gender", "other"],
     ("argument --gender: invalid choice: 'other' (choose from", "male", "female")),
    (["customers", "create", "--name", "X", "--date-of-birth", "1990-13-01"],
     "argument --date-of-birth: expected a date YYYY-MM-DD, got '1990-13-01'"),
]  # fmt: skip


def _python_name(words: str) -> str | None:
    """``--category-id`` in ``words`` -> ``category_id``: the name the error must not use."""
    flag = re.search(r"--([a-z]+(?:-[a-z]+)+)", words)
    return flag[1].replace("-", "_") if flag else None


@pytest.mark.parametrize(("args", "words"), BAD_INPUT, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else "")
async def test_bad_input_is_one_line_naming_the_flag_and_nothing_is_sent(
    args: list[str], words: str | tuple[str, ...]
) -> None:
    expected = (words,) if isinstance(words, str) else words
    async with FakeClopos(orders=0) as server:
        result = await cli(*args, env=env_for(server))
        assert_one_error_line(result, 2)
        assert all(part in result.err for part in expected), result.err
        assert "usage:" not in result.err
        python = _python_name(expected[0])
        assert python is None or f"{python} must" not in result.err
        assert server.counters.requests == 0  # refused before anything, not even a token


async def test_a_v2_only_command_on_v1_names_the_command_and_sends_nothing() -> None:
    async with FakeClopos(orders=0, api_version="v1") as server:
        result = await cli("price-lists", "list", env=env_for(server))
        assert_one_error_line(result, 2)
        assert "price-lists is not available in API v1; it needs v2" in result.err
        assert server.counters.requests == 0


@pytest.mark.parametrize("command", ["products", "categories", "stations", "users",
                                     "receipts", "customers"])
async def test_a_missing_id_is_one_line_exit_4(command: str) -> None:
    # Exit 4 is the documented code of "not found" (--help's exit codes, like `orders get`).
    async with FakeClopos(orders=5) as server:
        result = await cli(command, "get", "999999", env=env_for(server))
        assert_one_error_line(result, 4)
        assert "not found" in result.err.lower() and "/999999" in result.err


def _list_commands() -> list[list[str]]:
    listed = [[command, "list"] for command in RESOURCE_COMMANDS]
    return [*listed, ["price-lists", "prices"], ["products", "stop-list"]]


def _rows(result: Result) -> tuple[list[str], list[str]]:
    """The table's lines and its closing count line."""
    *lines, count = result.out.splitlines()
    return lines, count


@pytest.mark.parametrize("args", _list_commands(), ids=" ".join)
async def test_every_listing_prints_a_readable_table(args: list[str]) -> None:
    async with FakeClopos(orders=12) as server:
        result = await cli(*args, env=env_for(server))
    assert result.code == 0 and result.err == "", result
    (header, *rows), count = _rows(result)
    assert re.fullmatch(r"\((\d+) [a-z ]+\)", count) and int(count[1:].split()[0]) == len(rows)
    assert rows, "the fake seeds every resource"
    text = "\n".join(rows)
    for python_repr in ("None", "Decimal(", "datetime", "True", "False", "<", "{", "["):
        assert python_repr not in text, (python_repr, text)
    titles = header.split()
    for title in ("CREATED_AT", "CLOSED_AT", "SINCE"):
        if title in titles:
            start = header.index(title)
            cells = {row[start:start + 20] for row in rows} - {" " * 20, ""}
            assert cells and all(ISO_UTC.fullmatch(cell) for cell in cells), cells


async def test_numbers_are_right_aligned_so_prices_line_up() -> None:
    async with FakeClopos(orders=0) as server:
        result = await cli("products", "list", "--type", "DISH", env=env_for(server))
    (header, *rows), _ = _rows(result)
    end = header.index("PRICE") + len("PRICE")
    prices = [row[:end].rsplit(" ", 1)[-1] for row in rows]
    assert all(re.fullmatch(r"\d+\.\d+", price) for price in prices), prices
    assert all(row[end - 1].isdigit() for row in rows)  # every price ends under the title


async def test_list_json_and_jsonl_are_the_items_as_sent() -> None:
    async with FakeClopos(orders=0) as server:
        env = env_for(server)
        lines = await cli("stations", "list", "--jsonl", env=env)
        array = await cli("stations", "list", "--json", env=env)
    assert lines.code == array.code == 0
    assert [json.loads(line) for line in lines.out.splitlines()] == json.loads(array.out)
    assert {"id", "name"} <= set(json.loads(array.out)[0])


async def test_sort_descending_takes_the_dash_as_its_help_says() -> None:
    async with FakeClopos(orders=40) as server:
        result = await cli("receipts", "list", "--sort", "-total", "--jsonl",
                           env=env_for(server))
        assert result.code == 0, result
        totals = [float(json.loads(line)["total"]) for line in result.out.splitlines()]
        assert len(totals) == len(server.receipts) and totals == sorted(totals, reverse=True)


async def test_receipts_take_a_date_range_and_a_status() -> None:
    async with FakeClopos(orders=60) as server:
        env = env_for(server)
        days = sorted(str(r["created_at"])[:10] for r in server.receipts.values())
        first, last = days[len(days) // 4], days[len(days) // 2]
        ranged = await cli("receipts", "list", "--from", first, "--to", last, "--jsonl",
                           env=env)
        assert ranged.code == 0, ranged
        shown = sorted(json.loads(line)["created_at"][:10] for line in ranged.out.splitlines())
        assert shown == [day for day in days if first <= day <= last]
        closed = await cli("receipts", "list", "--status", "2", "--jsonl", env=env)
        assert closed.code == 0, closed
        statuses = [json.loads(line)["status"] for line in closed.out.splitlines()]
        expected = [r for r in server.receipts.values() if r["status"] == 2]
        assert statuses == [2] * len(expected) and expected


async def test_a_resource_export_checks_out_before_sending(tmp_path: Path) -> None:
    existing = tmp_path / "products.csv"
    existing.write_text("keep\n", encoding="utf-8")
    async with FakeClopos(orders=0) as server:
        env = env_for(server)
        missing_dir = await cli("products", "export", "--out",
                                str(tmp_path / "nowhere" / "p.csv"), env=env)
        assert_one_error_line(missing_dir, 2)
        assert "--out" in missing_dir.err and "does not exist" in missing_dir.err
        exists = await cli("products", "export", "--out", str(existing), env=env)
        assert_one_error_line(exists, 2)
        assert "pass --force to replace it" in exists.err
        assert existing.read_text(encoding="utf-8") == "keep\n"
        assert server.counters.requests == 0
        forced = await cli("products", "export", "--out", str(existing), "--force", env=env)
        assert forced.code == 0, forced
        new = tmp_path / "users.jsonl"
        made = await cli("users", "export", "--out", str(new), env=env)
        assert made.code == 0, made
    assert existing.read_text(encoding="utf-8").startswith("id,type,name,")
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert [json.loads(line)["username"] for line in new.read_text().splitlines()] == [
        "owner", "cashier", "waiter"]


# ------------------------------------------------------------------------------- --help


def _commands() -> list[list[str]]:
    """Every action of every command added in 0.2.0, from the parser itself."""
    parser = build_parser()
    commands = _choices(parser)
    return [[command, action] for command, sub in commands.items()
            if command not in ("orders", "fake-server") for action in _choices(sub)]


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps no public list of a parser's subcommands
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _parser_of(args: list[str]) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in args:
        parser = _choices(parser)[name]
    return parser


def test_the_audit_covers_every_new_command() -> None:
    assert len(_commands()) == 35
    for command in RESOURCE_COMMANDS:
        assert [command, "list"] in _commands() and [command, "export"] in _commands()


@pytest.mark.parametrize("args", _commands(), ids=" ".join)
def test_help_exits_0_and_documents_every_flag(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*args, "--help"])
    assert exited.value.code == 0
    shown = "".join(capsys.readouterr().out.split())  # as wrapped, without the wrapping
    for action in _parser_of(args)._actions:
        assert action.help and action.help != argparse.SUPPRESS, action
        names = action.option_strings or [action.metavar or action.dest]
        assert all(str(name) in shown for name in names), (names, shown)
        assert "".join(str(action.help).split()) in shown, action.help


def test_filter_help_says_what_each_filter_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["products", "list", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "--type VALUE one of GOODS, DISH, TIMER, PREPARATION, INGREDIENT" in shown
    assert "--giftable VALUE yes or no (or true/false, 1/0)" in shown
    assert "--category-id VALUE an int >= 1; repeat for several" in shown
    assert "the type filter" not in shown
    with pytest.raises(SystemExit):
        main(["receipts", "list", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    # One status at a time: the help does not offer to repeat what the check refuses.
    assert "--status VALUE 1 (ReceiptStatus.OPEN) or 2 (ReceiptStatus.CLOSED) --" in shown


def test_top_level_help_lists_every_command_and_its_actions(
    capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "price-lists price lists: list, export, prices, export-prices" in shown
    assert "products products: list, get, export, stop-list" in shown
    assert "(orders):" not in shown


# --------------------------------------------------------------------- the pure pieces


def test_attach_dash_values_joins_only_a_sort_value() -> None:
    assert attach_dash_values(["receipts", "list", "--sort", "-total", "--max", "3"]) == [
        "receipts", "list", "--sort=-total", "--max", "3"]
    assert attach_dash_values(["--sort", "--max", "3"]) == ["--sort", "--max", "3"]
    assert attach_dash_values(["--sort", "-"]) == ["--sort", "-"]
    assert attach_dash_values(["--sort"]) == ["--sort"]
    assert attach_dash_values(["x", "--", "--sort", "-id"]) == ["x", "--", "--sort", "-id"]


def test_in_flag_terms_uses_the_commands_own_flags_first() -> None:
    flags = {"category_id": "--category-id", "ids": "--id", "price_lists": "price-lists"}
    assert in_flag_terms("category_id must be an int >= 1, got 'x'", flags) == (
        "--category-id must be an int >= 1, got 'x'")
    assert in_flag_terms("ids must be an int >= 1, got 0", flags) == (
        "--id must be an int >= 1, got 0")
    assert in_flag_terms("giftable must be a bool, got 'maybe'") == (
        "giftable must be yes or no (or true/false, 1/0), got 'maybe'")
    # A plain word is a parameter only where the message starts with it.
    assert in_flag_terms("needs ids first", flags) == "needs ids first"
    assert in_flag_terms("max_items must be an int >= 1, got 0") == (
        "--max must be an int >= 1, got 0")


def test_filter_flags_ask_the_filters_own_check() -> None:
    products = PRODUCTS.listing
    receipts = RECEIPTS.listing
    assert products is not None and receipts is not None
    assert accepted("type", products.params["type"]).startswith("one of GOODS, DISH")
    assert accepted("giftable", products.params["giftable"]).startswith("yes or no")
    # Receipts' status takes numbers: the digits are read as one; a text stays text.
    assert filter_reader("status", receipts.params["status"])("2") == 2
    assert filter_reader("status", receipts.params["status"])("CLOSED") == "CLOSED"
    assert filter_reader("category_id", products.params["category_id"])("7") == 7
    assert filter_reader("giftable", products.params["giftable"])("yes") is True


def test_table_right_aligns_columns_of_numbers_only() -> None:
    shown = table([("1", "Cola", "0.5", ""), ("140", "Tea", "12.25", "")],
                  header=("ID", "NAME", "PRICE", "NOTE"))
    assert shown.splitlines() == [
        " ID  NAME  PRICE  NOTE",
        "  1  Cola    0.5",
        "140  Tea   12.25",
    ]
