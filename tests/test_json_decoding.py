"""JSON bodies decode the same with and without orjson (8.5); no bare Python error escapes (8.7)."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from clopos_async import ResponseValidationError, ServerError, wire
from clopos_async.models import Order
from clopos_async.serde import structure, structure_list
from clopos_async.testing import FakeClopos
from clopos_async.wire import decode_json, error_for_status, read_envelope

from .conftest import client_for

DEEP = b"[" * 2000 + b"]" * 2000  # 4 KB: the issue's body; Python 3.13's json decodes it
DEEPER = b"[" * 20000 + b"]" * 20000  # 40 KB: deeper than every supported Python's json takes


def _both_backends(body: bytes) -> tuple[str, str]:
    """``repr`` of the result (or the error class) with orjson and without it."""
    saved = wire._orjson
    results = []
    try:
        for backend in (saved, None):
            wire._orjson = backend
            try:
                results.append(repr(decode_json(body)))
            except Exception as exc:  # the class is what must agree
                results.append(type(exc).__name__)
    finally:
        wire._orjson = saved
    return results[0], results[1]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"a": NaN}', "{'a': nan}"),
        (b'{"a": Infinity, "b": -Infinity}', "{'a': inf, 'b': -inf}"),
        (b'{"a": 1e400}', "{'a': inf}"),
        (b'{"unused": "x\\ud800y"}', "{'unused': 'x\ufffdy'}"),
        (b'{"\\udc00": ["\\ud83d\\ude00", "\\ude00"]}', "{'\ufffd': ['\U0001f600', '\ufffd']}"),
        (b'"\\ud800"', "'\ufffd'"),
        (b'{"a": "\xed\xa0\x80"}', "ValueError"),  # an encoded surrogate is not UTF-8
        (b"\xef\xbb\xbf{}", "ValueError"),  # a byte-order mark
        (b'{"a": 1,}', "ValueError"),
        (DEEPER, "ValueError"),
    ],
)
def test_both_backends_give_the_same_answer(body: bytes, expected: str) -> None:
    if wire._orjson is None:
        pytest.skip("orjson is not installed (the optional 'speed' extra)")
    assert _both_backends(body) == (expected, expected)


def test_non_finite_amounts_are_absent_and_unused_odd_text_is_harmless(json_backend: str) -> None:
    body = (b'{"success": true, "data": [{"id": 1, "total": NaN, "total_amount": 1e400,'
            b' "unused": "\\ud800", "payload": {"delivery_fee": -Infinity}}]}')
    envelope = read_envelope(200, {}, body)
    assert math.isnan(envelope.data[0]["total"]) and envelope.data[0]["unused"] == "\ufffd"
    (order,) = structure_list(envelope.data, Order)
    assert order.total is None and order.total_amount is None
    assert order.payload is not None and order.payload.delivery_fee is None


def test_the_issues_deep_body_decodes_alike_on_both_backends() -> None:
    # The stdlib decides where orjson refuses (orjson stops at depth 1024): 3.13's json
    # accepts 2,000 levels, older ones refuse; either way both backends agree.
    if wire._orjson is None:
        pytest.skip("orjson is not installed (the optional 'speed' extra)")
    with_orjson, without = _both_backends(DEEP)
    assert with_orjson == without


def test_deep_nesting_is_a_typed_error_on_every_path(json_backend: str) -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        decode_json(DEEPER)
    with pytest.raises(ResponseValidationError, match="not valid JSON"):
        read_envelope(200, {}, DEEPER)
    error = error_for_status(500, {}, DEEPER)
    assert isinstance(error, ServerError) and error.status_code == 500
    with pytest.raises(ServerError):
        read_envelope(503, {}, b'{"error": ' + DEEPER + b"}")


def _answering(path_suffix: str, body: bytes, status: int = 200) -> Callable[..., object]:
    @web.middleware
    async def answer(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path.endswith(path_suffix) and request.method == "GET":
            return web.Response(body=body, status=status, content_type="application/json")
        return await handler(request)

    return answer


async def test_a_deeply_nested_response_is_a_response_validation_error(json_backend: str) -> None:
    async with FakeClopos(orders=3, middlewares=[_answering("/orders/2", DEEP)]) as fake:
        async with client_for(fake) as clopos:
            with pytest.raises(ResponseValidationError):
                await clopos.orders.get(2)
            assert (await clopos.orders.get(1)).id == 1


async def test_a_deeply_nested_error_body_keeps_its_status_class(json_backend: str) -> None:
    server = FakeClopos(orders=3, middlewares=[_answering("/orders/2", DEEP, status=404)])
    async with server as fake, client_for(fake) as clopos:
        with pytest.raises(Exception) as caught:
            await clopos.orders.get(2)
        assert type(caught.value).__name__ == "NotFoundError"


async def test_a_page_with_odd_numbers_and_text_lists_on_both_backends(json_backend: str) -> None:
    orders = [
        {"id": 1, "status": "PENDING", "created_at": "2026-01-05 10:00:00"},
        {"id": 2, "status": "PENDING", "created_at": "2026-01-04 10:00:00"},
    ]
    page = (b'{"success": true, "total": 2, "data": [{"id": 1, "status": "PENDING",'
            b' "total": NaN, "note": "\\ud83d"}, {"id": 2, "total": 1e400}]}')
    async with FakeClopos(orders, middlewares=[_answering("/v2/orders", page)]) as fake:
        async with client_for(fake) as clopos:
            listed = await clopos.orders.list().collect()
    assert [o.id for o in listed] == [1, 2] and [o.total for o in listed] == [None, None]
    assert structure({"id": 1, "note": "\ufffd"}, Order).id == 1
