"""Issue 9 items 7 and 8: one formatter, one dumper, derived order values; retry verdicts."""

from __future__ import annotations

import enum
import json
from datetime import datetime, timezone
from decimal import Decimal

from clopos_async import Order, OrderStatus, RetryPolicy
from clopos_async.cli.output import order_json, raw_json_line, table_row
from clopos_async.display import format_value
from clopos_async.dumping import dump_json
from clopos_async.errors import ServerError
from clopos_async.export import CSV_COLUMNS, csv_row
from clopos_async.retry import Verdict, classify
from clopos_async.serde import structure
from clopos_async.wire import encode_json


def test_one_dumper_two_documented_decimal_styles() -> None:
    value = {"total": Decimal("16.2000"), "name": "Göbələk", "big": Decimal("1E+3")}
    assert dump_json(value) == '{"total":"16.2000","name":"Göbələk","big":"1000"}'
    assert json.loads(encode_json(value)) == {"total": 16.2, "name": "Göbələk", "big": 1000}
    assert dump_json({"a": 1}, pretty=True) == '{\n  "a": 1\n}'
    assert raw_json_line(value) == dump_json(value)


def test_one_formatter() -> None:
    when = datetime(2026, 2, 2, 13, 45, 53, 120000, tzinfo=timezone.utc)
    assert format_value(when) == "2026-02-02T13:45:53.120000Z"
    assert format_value(when, whole_seconds=True) == "2026-02-02T13:45:53Z"
    assert format_value(OrderStatus.PENDING) == "PENDING"
    assert format_value(Decimal("1E+3")) == "1000" and format_value(None) == ""
    assert format_value(True) == "true"


def _order(**fields: object) -> Order:
    return structure({"id": 5, **fields}, Order)


def test_derived_values_are_written_once_on_the_model() -> None:
    v1 = _order(payload={"meta": {"orderTotal": "16.2000"}, "service": {"venue_id": 2,
                                                                        "sale_type_id": 3},
                         "customer": {"id": 9}}, total=99)
    assert v1.effective_total == Decimal("16.2000") and v1.effective_venue_id == 2
    assert v1.effective_sale_type_id == 3 and v1.effective_customer_id == 9
    oas = _order(total_amount=42, customer_id="c-1", venue_id=1)
    assert oas.effective_total == Decimal(42) and oas.effective_customer_id == "c-1"
    assert oas.effective_venue_id == 1 and oas.effective_sale_type_id is None
    # The CSV export and the CLI table read the same rule.
    columns = [name for name, _ in CSV_COLUMNS]
    for order in (v1, oas):
        row = csv_row(order)
        cells = table_row(order)
        assert row[columns.index("order_total")] == cells[-1] == format_value(
            order.effective_total)
        assert row[columns.index("venue_id")] == cells[3]


def test_pretty_order_json_keeps_decimals_as_text() -> None:
    shown = json.loads(order_json(_order(total="16.20")))
    assert shown == {"id": 5, "total": "16.20"}


def test_verdict_is_an_enum_and_the_waits_double() -> None:
    assert issubclass(Verdict, enum.Enum)
    error = ServerError("down", status_code=503)
    assert classify(error, idempotent=True, replay_safe=False) is Verdict.RETRY
    assert classify(error, idempotent=False, replay_safe=False) is Verdict.UNKNOWN
    delays = RetryPolicy(jitter=False, initial_delay=0.5, max_delay=4).delays()
    assert [next(delays) for _ in range(6)] == [0.5, 1, 2, 4, 4, 4]
