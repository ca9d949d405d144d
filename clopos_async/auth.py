"""Tokens: exchange credentials lazily, cache, refresh ahead of expiry, one refresh at a time.

The manager knows nothing about HTTP: the client hands it a coroutine that performs the
exchange and returns an `IssuedToken`. That keeps the single-flight and expiry logic
testable on its own and lets the exchange go through the same transport as every call.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Mapping

import attrs

from .credentials import Credentials, redacted
from .wire import read_envelope, validation_error

__all__ = ["Credentials", "IssuedToken", "TokenManager", "parse_token_response",
           "refresh_margin"]


@attrs.frozen
class IssuedToken:
    """A token and the monotonic time at which it stops being valid."""

    value: str = attrs.field(repr=redacted)
    expires_at: float  # time.monotonic() clock

    @classmethod
    def from_auth_response(
        cls, value: str, *, expires_at: float | None, expires_in: float | None, sent_at: float
    ) -> IssuedToken:
        """Convert the server's expiry to the monotonic clock.

        ``sent_at`` is the monotonic time the request was sent: counting ``expires_in`` from
        then errs on the early side, as REFERENCE §1.5 advises. With both fields, the earlier
        expiry wins, so a server clock ahead of ours cannot make us use a dead token (a
        clock behind ours costs one early refresh at most).
        """
        lifetimes = []
        if expires_in is not None:
            lifetimes.append(sent_at + expires_in - time.monotonic())
        if expires_at is not None:
            lifetimes.append(expires_at - time.time())
        positive = [lifetime for lifetime in lifetimes if lifetime > 0]
        lifetime = min(positive) if positive else (0.0 if lifetimes else 3600.0)
        return cls(value, time.monotonic() + lifetime)


def parse_token_response(
    status: int, headers: Mapping[str, str], body: bytes, *, path: str, sent_at: float,
    now: float,
) -> IssuedToken:
    """Read the auth endpoint's answer: an `IssuedToken`, or the typed error it stands for.

    Every documented failure shape (401, 400, a 200 with ``success: false``) raises
    `AuthenticationError`; a success without a token raises `ResponseValidationError`.
    ``expires_at`` (epoch seconds) and ``expires_in`` (seconds) are both optional. ``now``
    is the wall clock (epoch seconds) when the answer arrived, for its error's Retry-After.
    """
    envelope = read_envelope(status, headers, body, method="POST", path=path,
                             auth_endpoint=True, now=now)
    fields = envelope.raw if isinstance(envelope.raw, dict) else {}
    token = fields.get("token")
    if not isinstance(token, str) or not token:
        raise validation_error("the auth response has no token", body, status,
                               method="POST", path=path)
    expires_at, expires_in = fields.get("expires_at"), fields.get("expires_in")
    return IssuedToken.from_auth_response(
        token,
        expires_at=_seconds(expires_at),
        expires_in=_seconds(expires_in),
        sent_at=sent_at,
    )


def _seconds(value: object) -> float | None:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if is_number else None  # type: ignore[arg-type]


# After a failed exchange, further ones wait this long (doubling per failure, capped).
_FAILURE_COOLDOWN = 0.5
_MAX_COOLDOWN = 30.0
# A 401 on a token obtained less than this long ago is replayed with it once before a new
# exchange: gateways answer the odd 401 on a healthy token, and exchanging on each of them
# would spend the auth quota (60 per minute per IP) in seconds.
_COALESCE_WINDOW = 30.0


def _consume_exception(future: asyncio.Future[IssuedToken]) -> None:
    # Every waiter may have been cancelled; the failure is theirs to see, not the loop's.
    if not future.cancelled():
        future.exception()


def refresh_margin(lifetime: float) -> float:
    """How long before expiry to refresh: 60 s for hour-long tokens, less for short ones."""
    return min(60.0, max(lifetime, 0.0) * 0.1)


class TokenManager:
    """Hands out a valid token; concurrent callers share one exchange.

    With a static token (``token=``) it never exchanges: the token is used as is, and a 401
    surfaces to the caller because there is nothing to refresh it with.
    """

    def __init__(
        self,
        exchange: Callable[[], Awaitable[IssuedToken]] | None,
        *,
        static_token: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if exchange is None and static_token is None:
            raise ValueError("either credentials or token= is required")
        self._exchange = exchange
        self._clock = clock  # injectable so expiry rules are testable without sleeping
        self._token: IssuedToken | None = (
            IssuedToken(static_token, float("inf")) if static_token is not None else None
        )
        self._lifetime = 3600.0
        self._obtained_at: float | None = None  # when the current token was exchanged
        self._inflight: asyncio.Future[IssuedToken] | None = None
        self._recent_failure: tuple[Exception, float] | None = None
        self._failures = 0
        self.exchanges = 0

    def __repr__(self) -> str:
        kind = "static" if self._exchange is None else "credentials"
        return f"<TokenManager {kind} exchanges={self.exchanges}>"

    @property
    def can_refresh(self) -> bool:
        """Whether a rejected token can be replaced (not with a static ``token=``)."""
        return self._exchange is not None

    def _fresh(self, token: IssuedToken | None) -> bool:
        if token is None:
            return False
        return self._clock() < token.expires_at - refresh_margin(self._lifetime)

    async def token(self) -> str:
        """Return a token valid for a while yet, exchanging credentials if needed."""
        current = self._token
        if self._fresh(current):
            assert current is not None
            return current.value
        return (await self._refresh(stale=current)).value

    async def invalidate(self, rejected: str, *, may_reuse: bool = False) -> str | None:
        """The token to replay a request the server rejected (401) with, or None if impossible.

        A token obtained since the rejected one was handed out is returned as is (callers
        that saw the same rejection share one exchange). With ``may_reuse``, a rejected token
        obtained moments ago is returned too: replay with it once before exchanging, so a
        storm of stray 401s costs no exchanges. Otherwise the token is exchanged.
        """
        if self._exchange is None:
            return None
        current = self._token
        if current is not None and current.value != rejected and self._fresh(current):
            return current.value
        if may_reuse and current is not None and self._obtained_recently() and self._fresh(
            current
        ):
            return current.value
        return (await self._refresh(stale=current, force=True)).value

    def _obtained_recently(self) -> bool:
        obtained = self._obtained_at
        return obtained is not None and self._clock() - obtained < _COALESCE_WINDOW

    async def _refresh(self, *, stale: IssuedToken | None, force: bool = False) -> IssuedToken:
        if self._exchange is None:
            assert self._token is not None
            return self._token
        current = self._token
        # Someone else refreshed since our caller looked: use theirs.
        if current is not stale and current is not None and (force or self._fresh(current)):
            return current
        failure = self._recent_failure
        if failure is not None and self._clock() < failure[1]:
            # The auth endpoint failed moments ago (and allows 60 calls a minute per IP):
            # share that answer instead of hammering it; the caller's retries back off.
            raise failure[0]
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._run_exchange(self._exchange))
            self._inflight.add_done_callback(_consume_exception)
        # Shielded: one caller being cancelled must not cancel the exchange the others share.
        return await asyncio.shield(self._inflight)

    async def _run_exchange(self, exchange: Callable[[], Awaitable[IssuedToken]]) -> IssuedToken:
        try:
            issued = await exchange()
        except Exception as exc:
            self._failures += 1
            cooldown = min(_FAILURE_COOLDOWN * 2 ** (self._failures - 1), _MAX_COOLDOWN)
            self._recent_failure = (exc, self._clock() + cooldown)
            raise
        finally:
            self._inflight = None
            self.exchanges += 1
        self._failures = 0
        self._recent_failure = None
        self._lifetime = max(issued.expires_at - self._clock(), 0.0)
        self._obtained_at = self._clock()
        self._token = issued
        return issued

    async def aclose(self) -> None:
        """Cancel an exchange still running, so closing the client leaves no task behind."""
        task = self._inflight
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
