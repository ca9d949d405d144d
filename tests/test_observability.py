"""Logging, hooks, raw access, and that no secret ever leaks into them."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import clopos_async
from clopos_async import (
    AsyncClopos,
    NewOrder,
    NewOrderCustomer,
    NewOrderProduct,
    NotFoundError,
    RetryPolicy,
    ServerError,
)
from clopos_async.hooks import RequestEvent, ResponseEvent, RetryEvent
from clopos_async.testing import FakeClopos, FaultPlan

from .conftest import client_for

SECRET = "s3cr3t-value-never-shown"


def tiny_order() -> NewOrder:
    return NewOrder(sale_type_id=1, venue_id=1, customer=NewOrderCustomer(id=1, name="A"),
                    products=[NewOrderProduct(product_id=1, product_name="Tea", count=1,
                                              price="1")],
                    sale_type_name="Hall", venue_name="Main")


async def test_one_debug_line_per_attempt(
    fake: FakeClopos, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    async with client_for(fake) as clopos:
        await clopos.orders.list_page(limit=2)
        await clopos.orders.create(tiny_order(), idempotency_key="key-42")
    lines = [r for r in caplog.records if r.name == "clopos_async" and r.levelno == logging.DEBUG]
    assert len(lines) == 3
    auth, listing, create = (r.getMessage() for r in lines)
    # The token exchange is logged too (issue 13 item 10), without its secret body.
    assert auth.startswith(f"POST {clopos.version.auth_path} -> 200 in ")
    assert "token exchange" in auth and fake.credentials["client_secret"] not in auth
    assert listing.startswith(f"GET {clopos.version.orders_path()} -> 200 in ")
    assert "attempt 1" in listing
    assert create.startswith(f"POST {clopos.version.orders_path()} -> 201")
    assert "idempotency key key-42" in create


async def test_retries_are_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    async with FakeClopos(orders=3, faults=FaultPlan(rate_503=1.0, max_consecutive=2,
                                                     seed=1)) as fake, client_for(fake) as clopos:
        await clopos.orders.get(1)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all("retrying GET" in w and "ServerError" in w for w in warnings)


async def test_hooks_see_requests_responses_and_retries() -> None:
    events: list[Any] = []

    async def on_response(event: ResponseEvent) -> None:
        events.append(event)

    async with FakeClopos(orders=3, faults=FaultPlan(rate_503=1.0, max_consecutive=1,
                                                     seed=1)) as fake:
        async with client_for(fake, on_request=events.append, on_response=on_response,
                              on_retry=events.append) as clopos:
            await clopos.orders.get(1)
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["RequestEvent", "ResponseEvent", "RetryEvent", "RequestEvent",
                     "ResponseEvent"]
    first_response, retry, last_response = events[1], events[2], events[4]
    assert isinstance(first_response, ResponseEvent) and first_response.status == 503
    assert isinstance(retry, RetryEvent) and retry.attempt == 1
    assert isinstance(last_response, ResponseEvent) and last_response.status == 200
    assert last_response.attempt == 2 and isinstance(events[3], RequestEvent)


async def test_a_failing_hook_is_logged_not_raised(
    fake: FakeClopos, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: object) -> None:
        raise RuntimeError("monitoring is down")

    async with client_for(fake, on_response=broken) as clopos:
        page = await clopos.orders.list_page(limit=1)
    assert len(page.items) == 1
    assert any("hook" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)


async def test_last_response_still_works_but_is_deprecated(fake: FakeClopos) -> None:
    async with client_for(fake) as clopos:
        with pytest.warns(DeprecationWarning, match="with_raw_response"):
            assert clopos.last_response is None
        order = await clopos.orders.get(2)
        with pytest.warns(DeprecationWarning):
            last = clopos.last_response
        assert last is not None
        assert last.response.status == 200
        assert last.envelope.raw["data"]["id"] == order.id
        with pytest.raises(NotFoundError):
            await clopos.orders.get(987654)
        with pytest.warns(DeprecationWarning):
            assert clopos.last_response is last  # failures do not replace it


async def test_rate_limit_state_is_exposed() -> None:
    from clopos_async.testing import Quota

    async with FakeClopos(orders=3, quota=Quota(limit=50, window=60.0)) as fake:
        async with client_for(fake) as clopos:
            assert clopos.rate_limit.limit is None
            raw = await clopos.orders.with_raw_response.get(1)
            state = clopos.rate_limit
    assert state.limit == 50 and state.remaining == 49
    assert state.reset_after is not None and 0 <= state.reset_after <= 60
    assert raw.rate_limit is not None and raw.rate_limit.remaining == 49


async def test_no_secret_or_token_anywhere(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    async with FakeClopos(orders=5, client_secret=SECRET, token_ttl=3600) as fake:
        token = fake.issue_token()
        clients = [
            client_for(fake),
            AsyncClopos(token=token, base_url=fake.url),
            AsyncClopos(token=token, base_url=fake.url, api_version="v1", brand="b",
                        venue_id=1),
        ]
        for clopos in clients:
            seen += [repr(clopos), str(clopos), repr(clopos.with_options(timeout=3))]
            async with clopos:
                try:
                    await clopos.orders.get(1)
                    await clopos.orders.get(99999)
                except clopos_async.CloposError as exc:
                    seen += [str(exc), repr(exc), repr(exc.__dict__)]
        wrong = client_for(fake, client_secret=SECRET + "x")
        async with wrong:
            with pytest.raises(clopos_async.AuthenticationError) as caught:
                await wrong.orders.get(1)
        seen += [str(caught.value), repr(caught.value), repr(caught.value.__dict__), repr(wrong)]
        issued_tokens = fake.issued_tokens()
    seen += [record.getMessage() for record in caplog.records]
    text = "\n".join(seen)
    for value in [SECRET, token, *issued_tokens]:
        assert value not in text


async def test_with_options_shares_the_client(fake: FakeClopos) -> None:
    async with client_for(fake, retry=RetryPolicy(max_retries=1)) as clopos:
        view = clopos.with_options(timeout=5)
        await view.orders.list_page(limit=1)
        await clopos.orders.list_page(limit=1)
        assert fake.counters.auth_calls == 1  # one token for both
        assert view.config.timeout.total == 5 and clopos.config.timeout.total == 30
        assert view.config.retry is clopos.config.retry  # the rest is the original's


async def test_a_retried_auth_failure_is_named_in_the_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    faults = FaultPlan(rate_503=1.0, apply_to_auth=True, seed=1)
    async with FakeClopos(orders=3, faults=faults) as fake, client_for(fake) as clopos:
        with pytest.raises(ServerError):  # every request fails; only the logs matter here
            await clopos.orders.get(1)
    auth_path = clopos.version.auth_path
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and f"ServerError at POST {auth_path}" in warnings[0], warnings
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert any(line.startswith(f"POST {auth_path} -> 503") for line in debug), debug


def test_the_library_logger_has_a_null_handler() -> None:
    handlers = logging.getLogger("clopos_async").handlers
    assert any(isinstance(handler, logging.NullHandler) for handler in handlers)


def test_a_script_that_never_configured_logging_prints_no_warning() -> None:
    import subprocess
    import sys

    script = (
        "import logging, clopos_async\n"
        "logging.getLogger('clopos_async').warning('retrying GET /v2/orders')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0 and done.stderr == ""
