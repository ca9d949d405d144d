"""Error bodies: 422 with every message shown, and server text shown as data (issue 8
items 4 and 10). Pure mapping tests on `wire`, end to end through a hostile server and the CLI.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from aiohttp import web

from clopos_async import AsyncClopos, PermissionDeniedError, UnprocessableEntityError
from clopos_async.errors import APIStatusError
from clopos_async.retry import RetryPolicy
from clopos_async.shown import MAX_SHOWN, shown
from clopos_async.wire import error_for_status

from .hostile import serve
from .test_cli import assert_one_error_line, cli

FORGED = "Bad input\n2026-01-01 CRITICAL root: forged line\x1b[2J\x1b[31m\u202egnp.exe\r"


def body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


@pytest.mark.parametrize("payload", [
    {"success": False, "error": "validation_failed", "message": "The given data was invalid.",
     "details": {"name": ["The name field is required."], "phone": ["The phone is invalid."]}},
    {"message": "The given data was invalid.",
     "errors": {"name": ["The name field is required."], "phone": ["The phone is invalid."]}},
    {"success": False, "error": [
        {"message": "The name field is required.", "type": "ValidationException"},
        {"message": "The phone is invalid.", "type": "ValidationException"}]},
    {"success": False, "error": ["The name field is required.", "The phone is invalid."]},
])  # fmt: skip
def test_422_is_its_own_class_and_shows_every_message(payload: dict[str, Any]) -> None:
    exc = error_for_status(422, {}, body(payload), method="POST", path="/v2/customers")
    assert type(exc) is UnprocessableEntityError and isinstance(exc, APIStatusError)
    text = str(exc)
    assert "The name field is required." in text and "The phone is invalid." in text
    assert exc.body == payload  # the raw body stays on the exception


def test_many_messages_are_bounded() -> None:
    errors = {f"f{n}": [f"{n} " + "x" * 5000] for n in range(500)}
    payload = {"message": "invalid", "errors": errors}
    text = str(error_for_status(422, {}, body(payload)))
    assert len(text) < MAX_SHOWN + 200 and "more characters" in text


def test_server_text_is_escaped_and_bounded_in_str_and_repr() -> None:
    exc = error_for_status(400, {}, body({"success": False, "error": "bad\nline",
                                          "message": FORGED + "y" * 5_000_000}))
    for text in (str(exc), repr(exc)):
        assert text.isprintable(), text
        assert len(text) < MAX_SHOWN + 200
    assert "\\x0a2026-01-01 CRITICAL" in str(exc) and "\\u202e" in str(exc)
    assert isinstance(exc.body, dict) and exc.body["message"].startswith(FORGED)  # raw kept


def test_non_json_error_pages_are_escaped_too() -> None:
    exc = error_for_status(502, {}, b"<html>\x1b[2J" + b"z" * 100_000)
    assert str(exc).isprintable() and len(str(exc)) < MAX_SHOWN + 200


def test_shown_leaves_honest_text_alone() -> None:
    honest = "Sifari\u015f tap\u0131lmad\u0131: 108 \u2014 \u00abok\u00bb \u65e5\u672c"
    assert shown(honest) == honest


async def hostile_400(request: web.Request) -> web.Response:
    return web.json_response({"success": False, "error": "bad_request",
                              "message": FORGED + "y" * 5_000_000}, status=400)


async def test_forged_text_never_reaches_a_log_line_raw(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers = 0

    async def forged_then_forbidden(request: web.Request) -> web.Response:
        # A 400 is logged by the watch and polled again; the 403 that follows ends it.
        nonlocal answers
        answers += 1
        return await hostile_400(request) if answers == 1 else web.json_response(
            {"success": False, "error": "forbidden", "message": FORGED}, status=403)

    async with serve(forged_then_forbidden) as url:
        async with AsyncClopos(token="t", base_url=url, retry=RetryPolicy.never()) as clopos:
            watch = clopos.orders.watch(interval=0.01)
            with caplog.at_level(logging.WARNING, logger="clopos_async"):
                with pytest.raises(PermissionDeniedError) as caught:
                    await watch.__anext__()
            await watch.aclose()
    assert "\n" not in str(caught.value) and len(str(caught.value)) < MAX_SHOWN + 200
    assert any("poll failed" in record.getMessage() for record in caplog.records)
    for record in caplog.records:
        line = record.getMessage()
        assert line.isprintable() and len(line) < 2 * MAX_SHOWN


async def test_the_cli_error_line_is_one_safe_bounded_line() -> None:
    async with serve(hostile_400) as url:
        result = await cli("--base-url", url, "--token", "t", "--retries", "0",
                           "orders", "get", "1")
    assert_one_error_line(result, 1)
    assert "\x1b" not in result.err and "\r" not in result.err
    assert "CRITICAL root: forged line" in result.err  # shown, as data, on the same line
    assert len(result.err) < MAX_SHOWN + 200
