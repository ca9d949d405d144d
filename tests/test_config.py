"""Issue 9 items 4-6: ClientConfig, the neutral Timeout, the auth parser, one vocabulary."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from typing import Any

import aiohttp
import attrs
import pytest

from clopos_async import (
    ArgumentTypeError,
    AsyncClopos,
    AuthenticationError,
    ClientConfig,
    NewOrderProduct,
    ResponseValidationError,
    RetryPolicy,
    Timeout,
)
from clopos_async.auth import parse_token_response
from clopos_async.testing import FakeClopos
from clopos_async.transport import Request
from clopos_async.validators import check_choice, check_int, check_non_empty_str

from .conftest import client_for


def test_config_is_frozen_checked_and_evolved() -> None:
    config = ClientConfig(token="tok-123", timeout=12)
    assert config.timeout == Timeout(total=12.0, connect=10.0)
    assert config.api_version.name == "v2" and config.credentials is None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.timeout = Timeout(1)  # type: ignore[misc]
    faster = config.evolve(retry=RetryPolicy.never(), timeout=3)
    assert faster.retry.max_retries == 0 and faster.timeout.total == 3
    assert config.timeout.total == 12
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds, got 0"):
        config.evolve(timeout=0)  # evolve re-runs the validators
    with pytest.raises(TypeError, match="retry must be a RetryPolicy"):
        config.evolve(retry=3)
    assert "tok-123" not in repr(config) and "tok-123" not in repr(faster)


def test_a_client_from_a_config(fake_v1_config: ClientConfig) -> None:
    clopos = AsyncClopos(config=fake_v1_config)
    assert clopos.config is fake_v1_config and clopos.version.name == "v1"
    assert "s3cret" not in repr(clopos) and "s3cret" not in repr(clopos.config)


@pytest.fixture
def fake_v1_config() -> ClientConfig:
    return ClientConfig(api_version="v1", client_id="id", client_secret="s3cret", brand="b",
                        venue_id=1, base_url="http://127.0.0.1:1/open-api/")


async def test_with_options_is_evolve_and_shares_the_live_parts(fake: FakeClopos) -> None:
    async with client_for(fake) as clopos:
        view = clopos.with_options(timeout=5, retry_ambiguous_writes=True)
        assert view.config == clopos.config.evolve(timeout=5, retry_ambiguous_writes=True)
        await view.orders.get(1)
        await clopos.orders.get(2)
        assert fake.counters.auth_calls == 1
        with pytest.raises(ValueError, match="with_options cannot change brand"):
            clopos.with_options(brand="other")
        with pytest.raises(ValueError, match="timeout"):
            clopos.with_options(timeout=-1)


def test_timeout_is_neutral_and_mapped_only_by_the_transport() -> None:
    assert Timeout.of(30) == Timeout(total=30.0, connect=10.0)
    assert Timeout.of(4) == Timeout(total=4.0, connect=4.0)
    assert Timeout.of(aiohttp.ClientTimeout(total=7, connect=2)) == Timeout(7, 2)
    request = Request("GET", "/v2/orders", timeout=Timeout.of(3))
    assert not any("aiohttp" in repr(type(value)) for value in attrs.astuple(request))
    with pytest.raises(ValueError, match=r"Timeout\.connect must be a positive number"):
        Timeout(total=1, connect=0)


def test_old_aiohttp_timeouts_still_configure_a_client() -> None:
    clopos = AsyncClopos(token="t", timeout=aiohttp.ClientTimeout(total=9, connect=3))
    assert clopos.config.timeout == Timeout(9, 3)


def _auth(status: int, body: object) -> Any:
    return parse_token_response(status, {}, json.dumps(body).encode(), path="/v2/auth",
                                sent_at=time.monotonic(), now=time.time())


def test_the_auth_answer_is_read_by_a_pure_parser() -> None:
    issued = _auth(200, {"success": True, "token": "oat_x", "expires_in": 3600})
    assert issued.value == "oat_x" and 3500 < issued.expires_at - time.monotonic() <= 3600
    assert "oat_x" not in repr(issued)
    with pytest.raises(AuthenticationError):
        _auth(200, {"success": False, "error": "mismatch", "message": "test integrator"})
    with pytest.raises(AuthenticationError):
        _auth(401, {"success": False, "message": "bad credentials"})
    with pytest.raises(ResponseValidationError, match="no token"):
        _auth(200, {"success": True, "expires_in": 60})


# -- one vocabulary, one message shape (issue 9 item 6) --------------------------------------

SHAPE = re.compile(r"^[\w.\[\]/]+ must be .+, got .+$")


def test_validators_share_one_message_shape() -> None:
    cases: list[tuple[Any, type[Exception]]] = [
        (lambda: check_int("limit", 0, minimum=1, maximum=100), ValueError),
        (lambda: check_int("limit", True, minimum=1), TypeError),
        (lambda: check_choice("status", "SHIPPED", ("PENDING", "RECEIVED")), ValueError),
        (lambda: check_non_empty_str("token", 42, secret=True), TypeError),
    ]
    for build, error in cases:
        with pytest.raises(error) as caught:
            build()
        assert SHAPE.match(str(caught.value)), str(caught.value)
    with pytest.raises(ValueError) as secret:
        check_non_empty_str("token", "   ", secret=True)
    assert str(secret.value) == "token must be a non-empty string, got a str"
    assert issubclass(ArgumentTypeError, TypeError) and issubclass(ArgumentTypeError, ValueError)


async def test_every_entry_point_speaks_the_vocabulary(clopos: AsyncClopos,
                                                       fake: FakeClopos) -> None:
    checks: list[Any] = [
        lambda: clopos.orders.list(limit=0),
        lambda: clopos.orders.list(concurrency=0),
        lambda: clopos.sale_types.list(limit=101),
        lambda: clopos.orders.watch(interval=0),
        lambda: clopos.orders.watch(window=timedelta(0)),
        lambda: RetryPolicy(max_retries=-1),
        lambda: RetryPolicy(total_timeout="60"),
        lambda: AsyncClopos(token="t", timeout=0),
        lambda: AsyncClopos(token="t", max_concurrency=0),
        lambda: AsyncClopos(api_version="v3", token="t"),
        lambda: AsyncClopos(token="t", base_url="integrations.clopos.com"),
        lambda: NewOrderProduct(product_id=1, product_name="x", count=0, price=1),
    ]
    for build in checks:
        with pytest.raises(ValueError) as caught:
            build()
        assert SHAPE.match(str(caught.value)), str(caught.value)
    with pytest.raises(TypeError) as wrong_id:
        await clopos.orders.get(1.5)  # type: ignore[arg-type]
    assert SHAPE.match(str(wrong_id.value)), str(wrong_id.value)
    assert fake.counters.requests == 0
