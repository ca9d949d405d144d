"""The token manager on its own: single flight, refresh ahead of expiry, 401 invalidation.

End-to-end auth against FakeClopos (real exchanges, real 401s) is in `test_client.py`.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from clopos_async.auth import Credentials, IssuedToken, TokenManager, refresh_margin


class Exchanger:
    """Mints numbered tokens; can be told to block or fail, to test concurrency."""

    def __init__(self, lifetime: float = 3600.0) -> None:
        self.calls = 0
        self.lifetime = lifetime
        self.gate: asyncio.Event | None = None
        self.fail_with: Exception | None = None

    async def __call__(self) -> IssuedToken:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_with is not None:
            raise self.fail_with
        return IssuedToken(f"token-{self.calls}", time.monotonic() + self.lifetime)


async def test_first_use_exchanges_once_for_many_concurrent_callers() -> None:
    exchanger = Exchanger()
    exchanger.gate = asyncio.Event()
    manager = TokenManager(exchanger)
    waiters = [asyncio.ensure_future(manager.token()) for _ in range(100)]
    await asyncio.sleep(0)
    exchanger.gate.set()
    tokens = await asyncio.gather(*waiters)
    assert set(tokens) == {"token-1"}
    assert exchanger.calls == 1


async def test_token_is_cached_while_fresh() -> None:
    exchanger = Exchanger()
    manager = TokenManager(exchanger)
    assert await manager.token() == "token-1"
    assert await manager.token() == "token-1"
    assert exchanger.calls == 1


async def test_expiring_token_is_refreshed_ahead_of_time() -> None:
    now = [time.monotonic()]
    exchanger = Exchanger(lifetime=3600.0)
    manager = TokenManager(exchanger, clock=lambda: now[0])
    assert await manager.token() == "token-1"
    now[0] += 3600 - 61  # a minute and a second before expiry: still fresh
    assert await manager.token() == "token-1"
    now[0] += 2  # inside the last minute: refreshed ahead of expiry
    assert await manager.token() == "token-2"
    assert exchanger.calls == 2


def test_refresh_margin_scales_with_lifetime() -> None:
    assert refresh_margin(3600) == 60
    assert refresh_margin(1.0) == pytest.approx(0.1)
    assert refresh_margin(-5) == 0


async def test_invalidate_shares_one_refresh_among_callers_of_the_same_token() -> None:
    exchanger = Exchanger()
    manager = TokenManager(exchanger)
    rejected = await manager.token()
    fresh = await asyncio.gather(*(manager.invalidate(rejected) for _ in range(20)))
    assert set(fresh) == {"token-2"}
    assert exchanger.calls == 2


async def test_invalidate_of_an_already_replaced_token_does_not_exchange() -> None:
    exchanger = Exchanger()
    manager = TokenManager(exchanger)
    old = await manager.token()
    await manager.invalidate(old)
    assert await manager.invalidate(old) == "token-2"
    assert exchanger.calls == 2


async def test_a_failed_exchange_reaches_every_waiter_without_retrying_per_waiter() -> None:
    now = [0.0]
    exchanger = Exchanger()
    exchanger.gate = asyncio.Event()
    exchanger.fail_with = RuntimeError("auth down")
    manager = TokenManager(exchanger, clock=lambda: now[0])
    waiters = [asyncio.ensure_future(manager.token()) for _ in range(10)]
    await asyncio.sleep(0)
    exchanger.gate.set()
    results = await asyncio.gather(*waiters, return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    assert exchanger.calls == 1
    # Right after a failure, callers share it instead of hammering the auth endpoint.
    with pytest.raises(RuntimeError, match="auth down"):
        await manager.token()
    assert exchanger.calls == 1
    exchanger.fail_with = None
    now[0] += 0.6  # past the first cooldown (0.5 s, doubling with each failure)
    assert await manager.token() == "token-2"
    assert exchanger.calls == 2


async def test_a_cancelled_caller_does_not_cancel_the_shared_exchange() -> None:
    exchanger = Exchanger()
    exchanger.gate = asyncio.Event()
    manager = TokenManager(exchanger)
    first = asyncio.ensure_future(manager.token())
    second = asyncio.ensure_future(manager.token())
    await asyncio.sleep(0)
    first.cancel()
    exchanger.gate.set()
    assert await second == "token-1"
    assert first.cancelled()


async def test_aclose_cancels_a_pending_exchange() -> None:
    exchanger = Exchanger()
    exchanger.gate = asyncio.Event()
    manager = TokenManager(exchanger)
    waiter = asyncio.ensure_future(manager.token())
    await asyncio.sleep(0)
    await manager.aclose()
    with pytest.raises(asyncio.CancelledError):
        await waiter


async def test_static_token_is_used_as_is_and_cannot_refresh() -> None:
    manager = TokenManager(None, static_token="given")
    assert await manager.token() == "given"
    assert not manager.can_refresh
    assert await manager.invalidate("given") is None


def test_secrets_stay_out_of_repr() -> None:
    credentials = Credentials(client_id="id", client_secret="s3cr3t", brand="b",
                              integrator_id="i")
    token = IssuedToken("tok-value", 0.0)
    assert "s3cr3t" not in repr(credentials) and "s3cr3t" not in str(credentials)
    assert "tok-value" not in repr(token)
    assert "given" not in repr(TokenManager(None, static_token="given"))


def test_the_earlier_expiry_wins() -> None:
    sent = time.monotonic()
    by_epoch = IssuedToken.from_auth_response("t", expires_at=time.time() + 100,
                                              expires_in=3600, sent_at=sent)
    by_delta = IssuedToken.from_auth_response("t", expires_at=time.time() + 3600,
                                              expires_in=50, sent_at=sent)
    only_delta = IssuedToken.from_auth_response("t", expires_at=None, expires_in=50,
                                                sent_at=sent)
    default = IssuedToken.from_auth_response("t", expires_at=None, expires_in=None,
                                             sent_at=sent)
    assert by_epoch.expires_at - sent == pytest.approx(100, abs=5)
    assert by_delta.expires_at - sent == pytest.approx(50, abs=5)
    assert only_delta.expires_at - sent == pytest.approx(50, abs=5)
    assert default.expires_at - sent == pytest.approx(3600, abs=5)


def test_an_expiry_already_past_falls_back_to_the_other_field() -> None:
    sent = time.monotonic()
    skewed = IssuedToken.from_auth_response("t", expires_at=time.time() - 30, expires_in=60,
                                            sent_at=sent)
    assert skewed.expires_at - sent == pytest.approx(60, abs=5)
