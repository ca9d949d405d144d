"""The bracket-notation encoder, against the exact strings of REFERENCE §2.6 and a PHP decoder."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async.query import (
    OPEN_RANGE_END,
    OPEN_RANGE_START,
    encode_date_range,
    encode_filters,
    encode_list_query,
    encode_sort,
    encode_with,
    parse_sort,
)
from clopos_async.testing.php_query import parse_php_query


def test_v2_list_orders_example_matches_the_documented_string() -> None:
    pairs = encode_list_query(
        page=1,
        limit=50,
        status="PENDING",
        with_=["customer", "receipt"],
        date_from="2026-01-19",
        date_to=date(2026, 1, 20),
        sort="-created_at",
        filters={"sale_type_id": 2},
    )
    assert urlencode(pairs) == (
        "page=1&limit=50&status=PENDING&with%5B0%5D=customer&with%5B1%5D=receipt"
        "&date%5B0%5D=2026-01-19&date%5B1%5D=2026-01-20&sort%5B0%5D=created_at&sort%5B1%5D=-1"
        "&filters%5B0%5D%5B0%5D=sale_type_id&filters%5B0%5D%5B1%5D=2"
    )


def test_receipt_selector_is_percent_encoded_like_the_docs() -> None:
    assert urlencode(encode_with("receipt:id,service_notification_id,status")) == (
        "with%5B0%5D=receipt%3Aid%2Cservice_notification_id%2Cstatus"
    )


def test_products_list_filter_and_scalar_filter() -> None:
    pairs = [("page", "1"), ("limit", "50"), *encode_with(["category"])]
    pairs += encode_filters([("type", ["GOODS", "DISH"]), ("inventory_behavior", 0)])
    assert urlencode(pairs) == (
        "page=1&limit=50&with%5B0%5D=category&filters%5B0%5D%5B0%5D=type"
        "&filters%5B0%5D%5B1%5D%5B0%5D=GOODS&filters%5B0%5D%5B1%5D%5B1%5D=DISH"
        "&filters%5B1%5D%5B0%5D=inventory_behavior&filters%5B1%5D%5B1%5D=0"
    )


def test_stop_list_range_filter() -> None:
    assert urlencode(encode_filters({"id": (1, 332)})) == (
        "filters%5B0%5D%5B0%5D=id&filters%5B0%5D%5B1%5D%5B0%5D=1&filters%5B0%5D%5B1%5D%5B1%5D=332"
    )


def test_a_single_relation_string_is_one_relation() -> None:
    assert encode_with("customer") == [("with[0]", "customer")]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-created_at", ("created_at", -1)),
        ("created_at", ("created_at", 1)),
        ("+id", ("id", 1)),
        (" -updated_at ", ("updated_at", -1)),
    ],
)
def test_parse_sort(sort: str, expected: tuple[str, int]) -> None:
    assert parse_sort(sort) == expected


@pytest.mark.parametrize("bad", ["", "-", "--id", "created at", "1id", "id;drop"])
def test_bad_sort_names_the_parameter(bad: str) -> None:
    with pytest.raises(ValueError, match="sort"):
        encode_sort(bad)


def test_open_ranges_are_filled_with_far_bounds() -> None:
    assert encode_date_range("2026-01-01", None) == [
        ("date[0]", "2026-01-01"),
        ("date[1]", OPEN_RANGE_END.isoformat()),
    ]
    assert encode_date_range(None, date(2026, 1, 31)) == [
        ("date[0]", OPEN_RANGE_START.isoformat()),
        ("date[1]", "2026-01-31"),
    ]
    assert encode_date_range(None, None) == []


def test_aware_datetimes_are_converted_to_utc_days() -> None:
    late_evening_in_baku = datetime(2026, 1, 20, 1, 30, tzinfo=timezone(timedelta(hours=4)))
    assert encode_date_range(late_evening_in_baku, late_evening_in_baku) == [
        ("date[0]", "2026-01-19"),
        ("date[1]", "2026-01-19"),
    ]


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("2026-02-01", "2026-01-01", "must not be after"),
        ("2026-13-01", None, "date_from"),
        ("01/02/2026", None, "date_from"),
        (None, "2026-1-5", "date_to"),
        (None, "yesterday", "date_to"),
    ],
)
def test_bad_dates_raise_naming_the_parameter(
    date_from: str | None, date_to: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        encode_date_range(date_from, date_to)


def test_a_non_date_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="date_from"):
        encode_date_range(20260101, None)  # type: ignore[arg-type]


class Kind(enum.Enum):
    DISH = "DISH"


def test_filter_values_are_rendered_consistently() -> None:
    pairs = encode_filters(
        {"hidden": True, "price": Decimal("8.50"), "day": date(2026, 1, 2), "type": Kind.DISH}
    )
    assert [value for key, value in pairs if key.endswith("[1]")] == [
        "1", "8.50", "2026-01-02", "DISH"
    ]


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"status": None}, ValueError),
        ({"id": []}, ValueError),
        ({"bad field": 1}, ValueError),
        ({"id": [[1, 2]]}, TypeError),
        ({"id": object()}, TypeError),
        ("sale_type_id=2", TypeError),
        ([("only-one",)], TypeError),
    ],
)
def test_bad_filters_raise(filters: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="filters"):
        encode_filters(filters)  # type: ignore[arg-type]


def test_with_rejects_empty_names() -> None:
    with pytest.raises(ValueError, match="with_"):
        encode_with(["customer", ""])


# -- round trip through an independent PHP-style decoder --------------------------------

field_names = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True)
scalars = st.one_of(
    st.integers(-(10**9), 10**9).map(str),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20
    ),
)
filter_values = st.one_of(scalars, st.lists(scalars, min_size=1, max_size=4))


@given(
    relations=st.lists(st.text(min_size=1, max_size=15).filter(str.strip), max_size=4),
    filters=st.lists(st.tuples(field_names, filter_values), max_size=5),
    sort=st.none() | st.tuples(st.sampled_from(["", "-"]), field_names).map("".join),
)
def test_php_decoder_recovers_what_was_encoded(
    relations: list[str], filters: list[tuple[str, str | list[str]]], sort: str | None
) -> None:
    pairs = encode_list_query(page=2, limit=10, with_=relations, sort=sort, filters=filters)
    decoded = parse_php_query(parse_qsl(urlencode(pairs), keep_blank_values=True))
    assert decoded["page"] == "2"
    assert decoded["limit"] == "10"
    assert decoded.get("with", []) == relations
    decoded_filters = [(entry[0], entry[1]) for entry in decoded.get("filters", [])]
    assert decoded_filters == [(f, v) for f, v in filters]
    if sort is not None:
        field, direction = parse_sort(sort)
        assert decoded["sort"] == [field, str(direction)]
