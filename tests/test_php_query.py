"""The PHP bracket decoder against every encoded example in the docs, plus PHP's edge rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async.testing import parse_php_query, parse_php_query_string

# (encoded query from the docs, what PHP's $_GET holds for it)
DOC_EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    (
        "page=1&limit=50&status=PENDING&with%5B0%5D=customer&with%5B1%5D=receipt"
        "&date%5B0%5D=2026-01-19&date%5B1%5D=2026-01-20&sort%5B0%5D=created_at&sort%5B1%5D=-1"
        "&filters%5B0%5D%5B0%5D=sale_type_id&filters%5B0%5D%5B1%5D=2",
        {
            "page": "1",
            "limit": "50",
            "status": "PENDING",
            "with": ["customer", "receipt"],
            "date": ["2026-01-19", "2026-01-20"],
            "sort": ["created_at", "-1"],
            "filters": [["sale_type_id", "2"]],
        },
    ),
    (
        "with%5B0%5D=receipt%3Aid%2Cservice_notification_id%2Cstatus",
        {"with": ["receipt:id,service_notification_id,status"]},
    ),
    (
        "page=1&sort%5B0%5D=created_at&sort%5B1%5D=-1&limit=50"
        "&date%5B0%5D=2026-01-19&date%5B1%5D=2026-01-19",
        {
            "page": "1",
            "sort": ["created_at", "-1"],
            "limit": "50",
            "date": ["2026-01-19", "2026-01-19"],
        },
    ),
    (
        "page=1&limit=50&with%5B0%5D=category&filters%5B0%5D%5B0%5D=type"
        "&filters%5B0%5D%5B1%5D%5B0%5D=GOODS&filters%5B0%5D%5B1%5D%5B1%5D=DISH"
        "&filters%5B1%5D%5B0%5D=inventory_behavior&filters%5B1%5D%5B1%5D=0",
        {
            "page": "1",
            "limit": "50",
            "with": ["category"],
            "filters": [["type", ["GOODS", "DISH"]], ["inventory_behavior", "0"]],
        },
    ),
    (
        "page=1&limit=50&with%5B0%5D=group&filters%5B0%5D%5B0%5D=name&filters%5B0%5D%5B1%5D=John"
        "&filters%5B1%5D%5B0%5D=phones&filters%5B1%5D%5B1%5D=15551234567",
        {
            "page": "1",
            "limit": "50",
            "with": ["group"],
            "filters": [["name", "John"], ["phones", "15551234567"]],
        },
    ),
    (
        "filters%5B0%5D%5B0%5D=id&filters%5B0%5D%5B1%5D%5B0%5D=1&filters%5B0%5D%5B1%5D%5B1%5D=332",
        {"filters": [["id", ["1", "332"]]]},
    ),
    (
        "sort%5B0%5D%5B0%5D=name&sort%5B0%5D%5B1%5D=asc&with%5B%5D=prices",
        {"sort": [["name", "asc"]], "with": ["prices"]},
    ),
]


@pytest.mark.parametrize(("query", "expected"), DOC_EXAMPLES)
def test_decodes_every_documented_encoded_query(query: str, expected: dict[str, Any]) -> None:
    assert parse_php_query_string(query) == expected


@pytest.mark.parametrize(("query", "expected"), DOC_EXAMPLES)
def test_literal_brackets_decode_like_encoded_ones(query: str, expected: dict[str, Any]) -> None:
    literal = query.replace("%5B", "[").replace("%5D", "]")
    assert parse_php_query_string(literal) == expected
    # Pairs whose keys still carry %5B/%5D (not decoded by the caller) decode the same way.
    raw_pairs = [tuple(part.split("=", 1)) for part in query.split("&")]
    decoded_values = [(k, v) for (k, _), (_, v) in zip(raw_pairs, parse_qsl(query), strict=True)]
    assert parse_php_query(decoded_values) == expected


def test_documented_unencoded_receipts_example() -> None:
    query = "page=1&sort[0]=created_at&sort[1]=-1&limit=50&date[0]=2026-01-19&date[1]=2026-01-19"
    assert parse_php_query_string(query)["sort"] == ["created_at", "-1"]
    assert parse_php_query_string("?" + query)["date"] == ["2026-01-19", "2026-01-19"]


def test_unindexed_brackets_append_after_the_highest_index() -> None:
    pairs = [("with[]", "modifications"), ("with[]", "taxes"), ("x[5]", "a"), ("x[]", "b")]
    assert parse_php_query(pairs) == {"with": ["modifications", "taxes"], "x": {5: "a", 6: "b"}}


def test_index_order_does_not_matter_but_gaps_keep_a_dict() -> None:
    pairs = [("filters[1][0]", "status"), ("filters[1][1]", "PENDING"), ("filters[0][0]", "id")]
    pairs.append(("filters[0][1]", "7"))
    assert parse_php_query(pairs) == {"filters": [["id", "7"], ["status", "PENDING"]]}
    assert parse_php_query([("a[2]", "x"), ("a[0]", "y")]) == {"a": {2: "x", 0: "y"}}


def test_php_key_rules() -> None:
    decoded = parse_php_query([("a[01]", "x"), ("a[-1]", "y"), ("a[k]", "z")])
    assert decoded == {"a": {"01": "x", -1: "y", "k": "z"}}
    assert parse_php_query([("m[a][b]", "1"), ("m[a][c]", "2")]) == {
        "m": {"a": {"b": "1", "c": "2"}}
    }


def test_last_value_wins_like_php() -> None:
    assert parse_php_query([("status", "A"), ("status", "B")]) == {"status": "B"}
    assert parse_php_query([("with", "x"), ("with[0]", "y")]) == {"with": ["y"]}
    assert parse_php_query([("with[0]", "y"), ("with", "x")]) == {"with": "x"}


def test_malformed_keys_are_kept_literally_or_dropped() -> None:
    assert parse_php_query([("a[b", "1"), ("[0]", "2"), ("", "3")]) == {"a[b": "1"}
    assert parse_php_query([("a[b]junk", "1")]) == {"a": {"b": "1"}}
    assert parse_php_query_string("empty=&plus=a+b") == {"empty": "", "plus": "a b"}


def _encode(name: str, value: Any) -> list[tuple[str, str]]:
    """A tiny reference encoder: nested lists become indexed brackets."""
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in _encode(f"{name}[{i}]", item)]
    return [(name, value)]


_leaf = st.text(max_size=8)
_value = st.recursive(_leaf, lambda inner: st.lists(inner, min_size=1, max_size=3), max_leaves=8)
_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6)


@given(st.dictionaries(_names, _value, max_size=4))
def test_round_trip_through_urlencode(params: dict[str, Any]) -> None:
    pairs = [pair for name, value in params.items() for pair in _encode(name, value)]
    assert parse_php_query_string(urlencode(pairs)) == params
