"""Envelopes and error mapping, without a network (every shape of REFERENCE §2.1 and §2.2)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clopos_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)
from clopos_async.wire import decode_json, encode_json, parse_envelope, read_envelope


def body(value: Any) -> bytes:
    return json.dumps(value).encode()


# -- success shapes -----------------------------------------------------------------------


def test_canonical_v2_envelope() -> None:
    envelope = read_envelope(
        200,
        {},
        body(
            {
                "success": True, "data": [{"id": 1}], "total": 196, "time": 138,
                "timestamp": "2026-01-19 14:51:33", "unix": 1768820869,
                "sorts": ["id", "created_at", "updated_at"],
            }
        ),
    )
    assert envelope.success is True
    assert envelope.data == [{"id": 1}]
    assert envelope.total == 196
    assert envelope.raw["sorts"] == ["id", "created_at", "updated_at"]


def test_pagination_block() -> None:
    envelope = parse_envelope(
        {"success": True, "data": [], "pagination": {"page": 2, "per_page": 50, "total": 51,
                                                     "total_pages": 2}}
    )
    assert (envelope.page, envelope.per_page, envelope.total, envelope.total_pages) == (
        2, 50, 51, 2
    )


def test_pagination_without_success() -> None:
    envelope = parse_envelope({"data": [1], "pagination": {"total": 1}})
    assert envelope.success and envelope.data == [1] and envelope.total == 1


def test_data_only() -> None:
    assert parse_envelope({"data": [{"id": 3}]}).data == [{"id": 3}]


def test_bare_array_is_the_data() -> None:
    envelope = parse_envelope([{"id": 1}, {"id": 2}])
    assert envelope.success and envelope.data == [{"id": 1}, {"id": 2}]
    assert envelope.total is None


def test_bare_object_is_the_data() -> None:
    assert parse_envelope({"id": 7, "name": "Pizza"}).data == {"id": 7, "name": "Pizza"}


def test_success_true_without_data() -> None:
    envelope = parse_envelope({"success": True})
    assert envelope.success and envelope.data is None


def test_message_and_iso_timestamp_kept() -> None:
    envelope = parse_envelope(
        {"success": True, "data": {"id": 1, "status": "IGNORE"}, "message": "Order created",
         "timestamp": "2024-01-20T16:25:00Z"}
    )
    assert envelope.message == "Order created"
    assert envelope.raw["timestamp"] == "2024-01-20T16:25:00Z"


# -- error shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (418, APIStatusError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[APIStatusError]) -> None:
    with pytest.raises(cls) as caught:
        read_envelope(
            status, {"x-request": "1"},
            body({"success": False, "error": "some_code", "message": "Something"}),
            method="GET", path="/v2/orders",
        )
    error = caught.value
    assert type(error) is cls
    assert error.status_code == status
    assert error.error_code == "some_code"
    assert error.message == "Something"
    assert error.headers == {"x-request": "1"}
    assert "GET /v2/orders" in str(error) and str(status) in str(error)


def test_v2_invalid_parameter() -> None:
    with pytest.raises(BadRequestError) as caught:
        read_envelope(
            400, {},
            body({"success": False, "error": "invalid_parameter",
                  "message": "status must be one of PENDING, RECEIVED, IGNORE, DELIVERED"}),
        )
    assert caught.value.error_code == "invalid_parameter"
    assert "PENDING" in caught.value.message


def test_v1_overview_shape_with_details_and_no_success() -> None:
    with pytest.raises(BadRequestError) as caught:
        read_envelope(
            400, {},
            body({"error": "invalid_parameter",
                  "message": "The 'limit' parameter must be between 1 and 100",
                  "details": {"parameter": "limit", "provided_value": 150,
                              "valid_range": "1-100"}}),
        )
    assert caught.value.details == {"parameter": "limit", "provided_value": 150,
                                    "valid_range": "1-100"}


def test_v1_live_error_list() -> None:
    payload = {
        "success": False,
        "error": [{"message": "No query results for model [App\\Models\\Client\\"
                              "ServiceNotification] 1000",
                   "type": "server_side", "exception": "NotFoundHttpException",
                   "http_code": 404}],
        "message": "…",
    }
    with pytest.raises(NotFoundError) as caught:
        read_envelope(404, {}, body(payload))
    assert caught.value.error_code == "NotFoundHttpException"
    assert "No query results" in caught.value.message
    assert caught.value.body == payload


def test_swapped_message_and_error() -> None:
    with pytest.raises(BadRequestError) as caught:
        read_envelope(
            400, {}, body({"message": "Validation failed", "error": "The name field is required."})
        )
    assert caught.value.error_code is None
    assert caught.value.message == "Validation failed: The name field is required."


def test_bare_success_false() -> None:
    with pytest.raises(BadRequestError) as caught:
        read_envelope(400, {}, body({"success": False}))
    assert caught.value.error_code is None and caught.value.message


def test_200_with_success_false_at_auth_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError) as caught:
        read_envelope(
            200, {},
            body({"success": False, "error": "integrator_mismatch",
                  "message": "Test integrator cannot access production brand"}),
            auth_endpoint=True,
        )
    assert caught.value.status_code == 200


def test_200_with_success_false_elsewhere_raises() -> None:
    with pytest.raises(APIStatusError) as caught:
        read_envelope(200, {}, body({"success": False, "message": "nope"}))
    assert caught.value.message == "nope"
    assert type(caught.value) is APIStatusError and caught.value.status_code == 200


@pytest.mark.parametrize("status", [400, 401])
def test_bad_credentials_at_auth(status: int) -> None:
    with pytest.raises(AuthenticationError):
        read_envelope(
            status, {},
            body({"success": False, "error": "authentication_failed",
                  "message": "Invalid credentials"}),
            auth_endpoint=True,
        )


def test_html_error_page() -> None:
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    with pytest.raises(ServerError) as caught:
        read_envelope(502, {"content-type": "text/html"}, html)
    assert caught.value.body == html.decode()
    assert "502 Bad Gateway" in caught.value.message


def test_html_with_200_is_a_validation_error_with_the_raw_body() -> None:
    with pytest.raises(ResponseValidationError) as caught:
        read_envelope(200, {}, b"<html>maintenance</html>", method="GET", path="/v2/orders")
    assert caught.value.body == "<html>maintenance</html>"


def test_truncated_json() -> None:
    with pytest.raises(ResponseValidationError) as caught:
        read_envelope(200, {}, b'{"success": true, "data": [{"id": 1')
    assert caught.value.body.startswith('{"success"')


@pytest.mark.parametrize("body", [b"", b" ", b"\r\n", b" \t\x0b\x0c\n"])
def test_empty_2xx_body(body: bytes) -> None:
    with pytest.raises(ResponseValidationError, match="empty response body"):
        read_envelope(200, {}, body)
    assert read_envelope(204, {}, body).data is None


def test_a_body_padded_with_whitespace_is_read() -> None:
    assert read_envelope(200, {}, b' \n{"data": [1]}\n ').data == [1]


def test_empty_error_body() -> None:
    with pytest.raises(ServerError) as caught:
        read_envelope(503, {}, b"")
    assert caught.value.message


def test_json_helpers_never_leak_decode_errors() -> None:
    with pytest.raises(ValueError):
        decode_json(b"{not json")
    with pytest.raises(ValueError):
        decode_json(b"\xff\xfe")


def test_encode_json_handles_decimal() -> None:
    from decimal import Decimal

    assert json.loads(encode_json({"a": Decimal("8.5"), "b": Decimal("2")})) == {"a": 8.5, "b": 2}


def test_both_json_backends_agree(json_backend: str) -> None:
    from decimal import Decimal

    payload = {"success": True, "data": [{"id": 1, "price": 8.5, "name": "Göbələk"}],
               "total": 1}
    envelope = read_envelope(200, {}, encode_json(payload))
    assert envelope.data == payload["data"] and envelope.total == 1
    assert json.loads(encode_json({"amount": Decimal("16.20")})) == {"amount": 16.2}
    with pytest.raises(ResponseValidationError):
        read_envelope(200, {}, b'{"success": true, "da')


def test_rate_limit_flavours() -> None:
    from clopos_async.wire import parse_rate_limit, parse_retry_after

    now = 1_767_000_000.0
    ietf = parse_rate_limit({"ratelimit-limit": "300", "ratelimit-remaining": "12",
                             "ratelimit-reset": "30"}, now=now)
    assert ietf is not None and (ietf.limit, ietf.remaining, ietf.reset_after) == (300, 12, 30)
    v1 = parse_rate_limit({"x-ratelimit-limit": "100", "x-ratelimit-remaining": "87",
                           "x-ratelimit-reset": str(int(now) + 45)}, now=now,
                          prefer="x-ratelimit-")
    assert v1 is not None and (v1.limit, v1.remaining, v1.reset_after) == (100, 87, 45)
    structured = parse_rate_limit({"ratelimit": '"default";r=0;t=7'}, now=now)
    assert structured is not None and (structured.remaining, structured.reset_after) == (0, 7)
    older = parse_rate_limit({"ratelimit": "limit=10, remaining=3, reset=5"}, now=now)
    assert older is not None and (older.limit, older.remaining, older.reset_after) == (10, 3, 5)
    assert parse_rate_limit({}, now=now) is None
    assert parse_retry_after({"retry-after": "120"}, now=now) == 120
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"},
                             now=1445412470.0) == 10
    assert parse_retry_after({"ratelimit-reset": "4"}, now=now) == 4
    assert parse_retry_after({"ratelimit-reset": "4"}, now=now, use_reset=False) is None
