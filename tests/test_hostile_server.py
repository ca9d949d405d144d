"""A broken, hostile or misconfigured server (issue 8 items 6, 11, 12 and 13).

Each case is a small aiohttp.web app on loopback (`tests/hostile.py`): giant and gzip-bomb
bodies, redirects, dropped connections, a create that never answers.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st
from yarl import URL

from clopos_async import (
    APIConnectionError,
    AsyncClopos,
    NewOrder,
    NewOrderCustomer,
    NewOrderProduct,
    OutcomeUnknownError,
    RedirectError,
    ResponseTooLargeError,
    idempotency_key_of,
    new_idempotency_key,
)
from clopos_async.endpoints import check_request_path
from clopos_async.models.orders import Order
from clopos_async.serde import StructureError, structure
from clopos_async.testing.responses import drop_connection
from clopos_async.transport import Request

from .hostile import serve

CAP = 1024 * 1024  # 1 MiB, so the tests move little data


class Recorder:
    """Counts what a hostile handler received."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []

    def saw(self, request: web.Request) -> None:
        self.requests.append((request.method, request.path_qs, dict(request.headers)))


def a_new_order() -> NewOrder:
    return NewOrder(sale_type_id=1, venue_id=1, customer=NewOrderCustomer(id=9, name="Rahid"),
                    products=[NewOrderProduct(product_id=1, product_name="Tea", count=1,
                                              price=Decimal(2))])


def client(url: str, **options: Any) -> AsyncClopos:
    return AsyncClopos(token="tok-s3cr3t", base_url=url, max_response_bytes=CAP, **options)


# -- 6: response size caps -----------------------------------------------------------------


def streaming(recorder: Recorder, total: int) -> Callable[[web.Request], Any]:
    async def handler(request: web.Request) -> web.StreamResponse:
        recorder.saw(request)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        chunk = b'{"data": [' + b" " * (64 * 1024)
        try:
            for _ in range(total // len(chunk)):
                await response.write(chunk)
        except (ConnectionError, RuntimeError):
            pass  # the client stopped reading, as it should
        return response

    return handler


async def test_a_huge_streamed_body_stops_at_the_cap_and_is_not_retried() -> None:
    recorder = Recorder()
    async with serve(streaming(recorder, 50 * CAP)) as url, client(url) as clopos:
        with pytest.raises(ResponseTooLargeError) as caught:
            await clopos.orders.list_page()
    assert len(recorder.requests) == 1  # a read is not retried: the same body would come
    exc = caught.value
    assert exc.limit == CAP and exc.status_code == 200
    assert 0 < len(exc.prefix) <= ResponseTooLargeError.PREFIX_BYTES
    assert exc.__cause__ is None and exc.__context__ is None


async def test_a_declared_huge_body_is_refused_before_reading() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * (2 * CAP), content_type="application/json")

    async with serve(handler) as url, client(url) as clopos:
        with pytest.raises(ResponseTooLargeError) as caught:
            await clopos.request("GET", "/v2/orders")
    assert caught.value.prefix == b""


async def test_a_gzip_bomb_is_counted_decompressed() -> None:
    bomb = gzip.compress(b'{"data": [' + b" " * (64 * CAP), compresslevel=9)
    assert len(bomb) < CAP  # small on the wire, 64 times the cap once inflated

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip",
                                                "Content-Type": "application/json"})

    async with serve(handler) as url, client(url) as clopos:
        with pytest.raises(ResponseTooLargeError):
            await clopos.request("GET", "/v2/orders")


async def test_an_oversized_answer_to_a_create_is_an_unknown_outcome_with_its_key() -> None:
    recorder = Recorder()
    async with serve(streaming(recorder, 4 * CAP)) as url, client(url) as clopos:
        with pytest.raises(OutcomeUnknownError) as caught:
            await clopos.orders.create(a_new_order(), idempotency_key="pos-1")
    assert len(recorder.requests) == 1
    assert caught.value.idempotency_key == "pos-1"
    assert isinstance(caught.value.__cause__, ResponseTooLargeError)


async def test_bodies_under_the_cap_are_read_whole() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"success": True, "data": [{"id": 1, "note": "y" * 500_000}]})

    async with serve(handler) as url, client(url) as clopos:
        reply = await clopos.request("GET", "/v2/orders")
    assert reply.envelope.data[0]["id"] == 1


@pytest.mark.parametrize("bad", [0, 1023, -1, 1.5, "64MiB", True, None])
def test_max_response_bytes_is_checked(bad: object) -> None:
    with pytest.raises(ValueError, match=r"max_response_bytes must be an int >= 1024"):
        AsyncClopos(token="t", max_response_bytes=bad)  # type: ignore[arg-type]


# -- 11: the token goes only where it should -----------------------------------------------


@pytest.mark.parametrize("path", [
    "@127.0.0.1:9/x", "v2/orders", "//evil.example/x", "/v2/orders/..", "/v2/../auth",
    "/v2/%2e%2e/auth", "/v2/./orders", "/v2/orders?page=2", "/v2/orders#x", "/v2\\orders",
    "/v2/orders\r\nX-Evil: 1", "",
])  # fmt: skip
async def test_request_paths_that_would_leave_the_api_are_refused(path: str) -> None:
    recorder = Recorder()

    async def handler(request: web.Request) -> web.Response:
        recorder.saw(request)
        return web.json_response({"success": True, "data": []})

    async with serve(handler) as url, client(url) as clopos:
        with pytest.raises(ValueError, match=r"path must"):
            await clopos.request("GET", path)
        await clopos.request("GET", "/v2/orders")  # a good path still works
    assert [r[1] for r in recorder.requests] == ["/open-api/v2/orders"]


@pytest.mark.parametrize("call", [
    lambda c: c.orders.get(".."), lambda c: c.orders.ignore("."), lambda c: c.orders.get("."),
])  # fmt: skip
async def test_dot_ids_never_go_out_as_dot_segments(call: Callable[[AsyncClopos], Any]) -> None:
    recorder = Recorder()

    async def handler(request: web.Request) -> web.Response:
        recorder.saw(request)
        return web.json_response({"success": True, "data": {"id": 1}})

    async with serve(handler) as url, client(url) as clopos:
        with pytest.raises(ValueError, match=r"order_id must be a non-empty id other than"):
            await call(clopos)
        await clopos.orders.get("../auth")  # one quoted segment, not a walk up
    assert [r[1] for r in recorder.requests] == ["/open-api/v2/orders/..%2Fauth"]


@pytest.mark.parametrize(("base_url", "says"), [
    ("https://user:hunter2@api.example/open-api", "credentials"),
    ("https://user@api.example/open-api", "credentials"),
    ("https://api.example/open-api?x=1", "query or fragment"),
    ("https://api.example/open-api#top", "query or fragment"),
    ("https://api.example/open-api?", "query or fragment"),
    ("https:///open-api", "must name a host"),
    ("http://:8080/open-api", "must name a host"),
    ("https://api.example:port/x", "not a valid URL"),
    ("ftp://api.example/", "http(s) URL"),
])  # fmt: skip
def test_base_url_is_checked_at_construction(base_url: str, says: str) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        AsyncClopos(token="t", base_url=base_url)
    assert says in str(caught.value) and "hunter2" not in str(caught.value)


def test_plain_http_to_another_host_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="clopos_async"):
        remote = AsyncClopos(token="t", base_url="http://api.example/open-api")
        remote.with_options(timeout=5)  # a view is not a new client: no second warning
        for quiet in ("https://api.example/x", "http://127.0.0.1:8080/x", "http://[::1]/x",
                      "http://localhost:9/x"):
            AsyncClopos(token="t", base_url=quiet)
    warnings = [r.getMessage() for r in caplog.records if "plain http://" in r.getMessage()]
    assert warnings == [
        "base_url http://api.example/open-api is plain http:// to a non-loopback host: the "
        "token and credentials cross the network unencrypted"
    ]


async def test_a_redirect_is_a_typed_error_and_never_followed() -> None:
    elsewhere = Recorder()
    source = Recorder()

    async def trap(request: web.Request) -> web.Response:
        elsewhere.saw(request)
        return web.json_response({"success": True, "data": []})

    async with serve(trap) as trap_url:
        async def redirect(request: web.Request) -> web.Response:
            source.saw(request)
            raise web.HTTPFound(trap_url + "/v2/orders")

        async with serve(redirect) as url, client(url) as clopos:
            with pytest.raises(RedirectError) as caught:
                await clopos.orders.list_page()
    assert elsewhere.requests == [] and len(source.requests) == 1  # not followed, not retried
    assert caught.value.status_code == 302
    assert trap_url in str(caught.value) and "tok-s3cr3t" not in str(caught.value)


# -- 12: secrets stay out of debugging aids ------------------------------------------------


def test_the_request_repr_hides_the_token_and_the_body() -> None:
    request = Request("POST", "/v2/auth", body=b'{"client_secret": "s3cr3t"}',
                      headers={"x-token": "tok-s3cr3t", "Authorization": "Basic abc",
                               "x-brand": "demo"})
    text = repr(request)
    assert "tok-s3cr3t" not in text and "s3cr3t" not in text and "Basic abc" not in text
    assert "'x-brand': 'demo'" in text and "<27 bytes>" in text


async def test_a_dropped_connection_chains_no_aiohttp_exception() -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        return drop_connection(request)

    async with serve(handler) as url, client(url, retry=None) as clopos:
        with pytest.raises(APIConnectionError) as caught:
            await clopos.request("GET", "/v2/orders")
    exc = caught.value
    assert exc.__cause__ is None and exc.__context__ is None
    assert "tok-s3cr3t" not in repr(vars(exc)) + str(exc)


def test_a_structure_error_is_not_its_own_cause() -> None:
    with pytest.raises(StructureError) as caught:
        structure({"id": {"not": "an id"}}, Order)
    assert caught.value.__cause__ is not caught.value


# -- 13: the key of a cancelled create -----------------------------------------------------


async def test_a_cancelled_create_carries_its_idempotency_key() -> None:
    received = asyncio.Event()
    release = asyncio.Event()
    keys: list[str] = []

    async def slow_create(request: web.Request) -> web.Response:
        keys.append(request.headers["Idempotency-Key"])
        received.set()
        await release.wait()
        return web.json_response({"success": True, "data": {"id": 1}})

    async with serve(slow_create) as url, client(url) as clopos:
        task = asyncio.ensure_future(clopos.orders.create(a_new_order()))
        await received.wait()  # the POST is on the server: its outcome is now unknown
        task.cancel()
        with pytest.raises(asyncio.CancelledError) as caught:
            await task
        release.set()
    assert idempotency_key_of(caught.value) == keys[0]  # on 3.10 too (a chained copy)
    assert len(keys[0]) == 36


def test_new_idempotency_key_gives_fresh_keys() -> None:
    keys = {new_idempotency_key() for _ in range(100)}
    assert len(keys) == 100 and all(len(key) == 36 for key in keys)


@given(st.text(max_size=30).map(lambda tail: "/" + tail) | st.text(max_size=30))
def test_any_accepted_path_stays_on_the_base_url(path: str) -> None:
    base = "https://api.example:8443/open-api"
    try:
        check_request_path(path)
    except ValueError:
        return
    url = URL(base + path, encoded=True)
    assert (url.scheme, url.host, url.port, url.user) == ("https", "api.example", 8443, None)
    assert url.raw_path.startswith("/open-api/") and "/../" not in url.raw_path + "/"
