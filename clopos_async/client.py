"""`AsyncClopos`: configuration, lifecycle, and the authenticated request path."""

from __future__ import annotations

import contextvars
import copy
import functools
import logging
import os
import time
import uuid
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import aiohttp
import attrs

from .auth import Credentials, IssuedToken, TokenManager
from .errors import CloposError, RateLimitError
from .hooks import Hook, RequestEvent, ResponseEvent, RetryEvent, call_hook
from .ratelimit import AdmissionGate, RateLimitState
from .retry import RetryPolicy, call_with_retries
from .shared_quota import QuotaStore, shared_gate
from .transport import HttpTransport, Request, Response
from .versions import ApiVersion, get_version
from .wire import (
    Envelope,
    RateLimitInfo,
    encode_json,
    parse_rate_limit,
    read_envelope,
    validation_error,
)

__all__ = ["DEFAULT_BASE_URL", "AsyncClopos", "Reply"]

logger = logging.getLogger("clopos_async")

DEFAULT_BASE_URL = "https://integrations.clopos.com/open-api"
DEFAULT_TIMEOUT = 30.0

# (transport identity, reply): which client it belongs to, and what it was. A client and its
# with_options() views share the transport, so they share "the last response" too.
_last_reply: contextvars.ContextVar[tuple[int, Reply] | None] = contextvars.ContextVar(
    "clopos_async_last_reply", default=None
)


@attrs.frozen
class Reply:
    """A decoded success envelope together with the HTTP response it came from."""

    envelope: Envelope
    response: Response
    method: str
    path: str
    rate_limit: RateLimitInfo | None = None


def _client_timeout(timeout: float | aiohttp.ClientTimeout) -> aiohttp.ClientTimeout:
    if isinstance(timeout, aiohttp.ClientTimeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    # Connecting should never take most of the budget; fail fast and let a retry try again.
    return aiohttp.ClientTimeout(total=float(timeout), connect=min(10.0, float(timeout)))


def _require(names: Mapping[str, str | None], *, why: str) -> None:
    missing = [name for name, value in names.items() if not value]
    if missing:
        raise ValueError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                         f"required {why}")


class AsyncClopos:
    """An async client for the Clopos Open API, v2 (default) or v1.

    Example::

        async with AsyncClopos(client_id="...", client_secret="...", brand="mybrand",
                               integrator_id="...") as clopos:
            async for order in clopos.orders.list(status="PENDING"):
                print(order.id, order.status)

    Credentials are exchanged for a token on first use and refreshed ahead of expiry; pass
    ``token=`` to use a token you already have. ``session=`` lends the client an
    ``aiohttp.ClientSession`` that it will use but never close. ``shared_quota=`` (a
    ``redis://`` URL or a ``QuotaStore``) makes every process of the tenant share one
    rate-limit budget (``pip install 'clopos-async[redis]'``).
    """

    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        brand: str | None = None,
        integrator_id: str | None = None,
        api_version: str = "v2",
        venue_id: str | int | None = None,
        token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        session: aiohttp.ClientSession | None = None,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 8,
        retry_ambiguous_writes: bool = False,
        on_request: Hook[RequestEvent] | None = None,
        on_response: Hook[ResponseEvent] | None = None,
        on_retry: Hook[RetryEvent] | None = None,
        shared_quota: str | QuotaStore | None = None,
    ) -> None:
        self.version: ApiVersion = get_version(api_version)
        venue = str(venue_id) if venue_id is not None else None
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError("session must be an aiohttp.ClientSession")
        if self.version.sends_brand_header:
            _require({"brand": brand, "venue_id": venue}, why="for API v1 (x-brand, x-venue)")
        self._brand = brand
        self._venue_id = venue
        if token is not None:
            if not isinstance(token, str) or not token:
                raise ValueError("token must be a non-empty string")
            self._credentials: Credentials | None = None
            self._tokens = TokenManager(None, static_token=token)
        else:
            scope = {"integrator_id": integrator_id, "venue_id": venue}
            _require(
                {
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "brand": brand,
                    self.version.auth_scope_field: scope[self.version.auth_scope_field],
                },
                why=f"for API {self.version.name} unless token= is given",
            )
            assert client_id and client_secret and brand
            self._credentials = Credentials(
                client_id=client_id,
                client_secret=client_secret,
                brand=brand,
                integrator_id=integrator_id,
                venue_id=venue,
            )
            self._tokens = TokenManager(self._exchange_credentials)
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise TypeError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
        if not isinstance(retry_ambiguous_writes, bool):
            raise TypeError("retry_ambiguous_writes must be a bool")
        self._retry = retry if retry is not None else RetryPolicy()
        self._timeout: aiohttp.ClientTimeout | None = None  # per-copy override (with_options)
        self._retry_ambiguous_writes = retry_ambiguous_writes
        self._shared_gate = shared_gate(
            shared_quota, base_url=base_url, brand=brand,
            owner=venue if self.version.sends_brand_header else integrator_id,
            owner_name="venue_id" if self.version.sends_brand_header else "integrator_id",
        )
        self._gate = AdmissionGate(max_concurrency, shared=self._shared_gate)
        self._on_request, self._on_response, self._on_retry = on_request, on_response, on_retry
        self.base_url = base_url.rstrip("/")
        self._transport = HttpTransport(
            self.base_url, timeout=_client_timeout(timeout), session=session
        )
        from .resources.orders import OrdersResource  # resources import the client's types

        self.orders = OrdersResource(self)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> AsyncClopos:
        """Build a client from ``CLOPOS_*`` environment variables; keyword arguments win.

        Reads CLOPOS_CLIENT_ID, CLOPOS_CLIENT_SECRET, CLOPOS_BRAND, CLOPOS_INTEGRATOR_ID,
        CLOPOS_VENUE_ID, CLOPOS_TOKEN, CLOPOS_API_VERSION and CLOPOS_BASE_URL.
        """
        env = os.environ if environ is None else environ
        names = ("client_id", "client_secret", "brand", "integrator_id", "venue_id", "token",
                 "api_version", "base_url")
        kwargs: dict[str, Any] = {}
        for name in names:
            value = env.get(f"CLOPOS_{name.upper()}")
            if value:
                kwargs[name] = value
        kwargs.update(overrides)
        return cls(**kwargs)

    def __repr__(self) -> str:
        creds = self._credentials
        auth = "token=***" if creds is None else f"client_id={creds.client_id!r}"
        return (
            f"<AsyncClopos {self.version.name} {self.base_url} brand={self._brand!r} "
            f"venue_id={self._venue_id!r} {auth}>"
        )

    # -- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> AsyncClopos:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP session (unless it was passed in) and cancel a pending token exchange."""
        await self._tokens.aclose()
        await self._transport.aclose()
        if self._shared_gate is not None:
            await self._shared_gate.aclose()

    @property
    def closed(self) -> bool:
        """Whether `aclose` was called."""
        return self._transport.closed

    # -- requests ----------------------------------------------------------------------

    async def _exchange_credentials(self) -> IssuedToken:
        assert self._credentials is not None
        path = self.version.auth_path
        sent_at = time.monotonic()
        response = await self._transport.send(
            Request("POST", path, body=encode_json(self.version.auth_body(self._credentials)))
        )
        envelope = read_envelope(
            response.status, response.headers, response.body,
            method="POST", path=path, auth_endpoint=True,
        )
        body = envelope.raw if isinstance(envelope.raw, dict) else {}
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise validation_error("the auth response has no token", response.body,
                                   response.status, method="POST", path=path)
        expires_at, expires_in = body.get("expires_at"), body.get("expires_in")
        return IssuedToken.from_auth_response(
            token,
            expires_at=float(expires_at) if isinstance(expires_at, (int, float)) else None,
            expires_in=float(expires_in) if isinstance(expires_in, (int, float)) else None,
            sent_at=sent_at,
        )

    @property
    def rate_limit(self) -> RateLimitState:
        """The quota the server last reported: ``limit``, ``remaining``, ``reset_after``."""
        return self._gate.state

    def with_options(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | aiohttp.ClientTimeout | None = None,
    ) -> AsyncClopos:
        """A view of this client with another retry policy or timeout, for some calls.

        It shares the session, token and rate-limit gate; close the original, not the view.
        Example::

            order = await clopos.with_options(timeout=5, retry=RetryPolicy.never()).orders.get(1)
        """
        view = copy.copy(self)
        if retry is not None:
            if not isinstance(retry, RetryPolicy):
                raise TypeError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
            view._retry = retry
        if timeout is not None:
            view._timeout = _client_timeout(timeout)
        from .resources.orders import OrdersResource

        view.orders = OrdersResource(view)
        return view

    async def _authorized_send(self, request: Request) -> Response:
        """Send with the current token; on a 401, refresh once and replay once."""
        token = await self._tokens.token()
        response = await self._transport.send(self._with_auth(request, token))
        if response.status == 401 and self._tokens.can_refresh:
            fresh = await self._tokens.invalidate(token)
            if fresh is not None:
                response = await self._transport.send(self._with_auth(request, fresh))
        return response

    def _with_auth(self, request: Request, token: str) -> Request:
        headers = {
            **request.headers,
            **self.version.request_headers(token, brand=self._brand, venue_id=self._venue_id),
        }
        if request.idempotency_key is not None:
            headers["Idempotency-Key"] = request.idempotency_key
        return attrs.evolve(request, headers=headers)

    async def _attempt(self, request: Request, attempt: int) -> Reply:
        """One admitted attempt: token, send (with the 401 replay), quota bookkeeping, decode."""
        method, path, key = request.method, request.path, request.idempotency_key
        async with self._gate.admit(max_wait=self._retry.max_retry_after):
            if self._on_request is not None:  # no event objects on the hot path without hooks
                await call_hook(self._on_request, RequestEvent(method, path, attempt, key))
            try:
                response = await self._authorized_send(request)
            except CloposError as exc:
                logger.debug("%s %s failed: %s (attempt %d, idempotency key %s)",
                             method, path, type(exc).__name__, attempt, key)
                raise
            rate_limit = parse_rate_limit(response.headers, now=time.time(),
                                          prefer=self.version.rate_limit_header_prefix)
            self._gate.observe(rate_limit)
        logger.debug("%s %s -> %d in %.0f ms (attempt %d, idempotency key %s)",
                     method, path, response.status, response.elapsed * 1000, attempt, key)
        if self._on_response is not None:
            await call_hook(self._on_response, ResponseEvent(
                method, path, attempt, response.status, response.elapsed, response.headers, key
            ))
        envelope = read_envelope(response.status, response.headers, response.body,
                                 method=method, path=path)
        reply = Reply(envelope=envelope, response=response, method=method, path=path,
                      rate_limit=rate_limit)
        _last_reply.set((id(self._transport), reply))
        return reply

    async def _before_retry(
        self, request: Request, error: CloposError, attempt: int, wait: float
    ) -> None:
        if isinstance(error, RateLimitError):
            # One 429 holds every sender, not only this one (every process, when shared).
            await self._gate.pause_everywhere(wait)
            logger.warning("rate limited on %s %s; pausing all requests for %.2fs",
                           request.method, request.path, wait)
        else:
            logger.warning("retrying %s %s after %s (attempt %d failed); waiting %.2fs",
                           request.method, request.path, type(error).__name__, attempt, wait)
        await call_hook(self._on_retry,
                        RetryEvent(request.method, request.path, attempt, error, wait))

    @property
    def last_response(self) -> Reply | None:
        """The last successful response this client got in the current task, or None.

        Raw access beside the typed results: ``.response.status``, ``.response.headers``,
        ``.envelope.raw`` (the decoded JSON) and ``.rate_limit``. Per task (a context
        variable), so concurrent coroutines never see each other's responses. Example::

            order = await clopos.orders.get(108)
            print(clopos.last_response.response.status, clopos.last_response.envelope.raw)
        """
        last = _last_reply.get()
        if last is None or last[0] != id(self._transport):
            return None
        return last[1]

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        json: object = None,
        idempotency_key: str | None = None,
    ) -> Reply:
        """Send an authenticated request to ``path`` (relative to the base URL) and decode it.

        The escape hatch for endpoints without a typed method; it retries and paces like
        every other call. POSTs always carry an Idempotency-Key (yours, else a new uuid4),
        the same one on every attempt.
        """
        method = method.upper()
        if method == "POST" and idempotency_key is None:
            idempotency_key = str(uuid.uuid4())
        request = Request(
            method,
            path,
            params=tuple(params),
            body=encode_json(json) if json is not None else None,
            timeout=self._timeout,
            idempotency_key=idempotency_key,
        )
        return await call_with_retries(
            lambda attempt: self._attempt(request, attempt),
            policy=self._retry,
            idempotent=method != "POST",
            # A replayed create is safe where the API honours Idempotency-Key (v1) or
            # where the caller accepted the risk.
            replay_safe=self.version.documents_idempotency or self._retry_ambiguous_writes,
            idempotency_key=idempotency_key,
            before_wait=functools.partial(self._before_retry, request),
        )
