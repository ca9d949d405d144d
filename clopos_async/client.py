"""`AsyncClopos`: lifecycle, resource attributes, and the authenticated request path.

Configuration is a frozen `ClientConfig` (checked when built); this module wires it to the
live parts: the transport, the token manager and the rate-limit gate.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import functools
import logging
import os
import time
import warnings
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import aiohttp

from .auth import IssuedToken, TokenManager, parse_token_response
from .config import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    ClientConfig,
)
from .endpoints import check_request_path, is_plain_http_to_another_host
from .errors import CloposError, RateLimitError
from .hooks import Hook, RequestEvent, ResponseEvent, RetryEvent, call_hook
from .idempotency import attach_key, new_idempotency_key
from .models.categories import Category
from .models.customer_groups import CustomerGroup
from .models.payment_methods import PaymentMethod
from .models.sale_types import SaleType
from .models.stations import Station
from .models.users import User
from .models.venues import Venue
from .quota_headers import RateLimit
from .ratelimit import AdmissionGate, RateLimitState
from .reply import Reply
from .resources.base import PlainResource
from .resources.categories import CATEGORIES
from .resources.customer_groups import CUSTOMER_GROUPS
from .resources.customers import CustomersResource
from .resources.orders import OrdersResource
from .resources.payment_methods import PAYMENT_METHODS
from .resources.price_lists import PriceLists
from .resources.products import ProductsResource
from .resources.receipts import ReceiptsResource
from .resources.sale_types import SALE_TYPES
from .resources.stations import STATIONS
from .resources.users import USERS
from .resources.venues import VENUES
from .retry import RetryPolicy, call_with_retries
from .shared_quota import QuotaStore, shared_gate
from .timeout import Timeout
from .transport import HttpTransport, Request, Response
from .validators import check_instance
from .versions import ApiVersion
from .wire import encode_json, read_envelope

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncClopos", "ClientConfig", "Reply"]

logger = logging.getLogger("clopos_async")

# (transport identity, reply), for the deprecated `last_response` only.
_last_reply: contextvars.ContextVar[tuple[int, Reply] | None] = contextvars.ContextVar(
    "clopos_async_last_reply", default=None
)


class AsyncClopos:
    """An async client for the Clopos Open API, v2 (default) or v1.

    Example::

        async with AsyncClopos(client_id="...", client_secret="...", brand="mybrand",
                               integrator_id="...") as clopos:
            async for order in clopos.orders.list(status="PENDING"):
                print(order.id, order.status)

    Credentials are exchanged for a token on first use and refreshed ahead of expiry; pass
    ``token=`` to use a token you already have. ``session=`` lends the client an
    ``aiohttp.ClientSession`` that it will use but never close. A listed item that does not
    fit its model comes through degraded (see ``Page.degraded``); ``strict=True`` raises.
    While a listing runs, the cyclic garbage collector runs less often (see
    ``AsyncPaginator.pages``); ``relax_gc=False`` leaves it untouched for every listing.
    Every other keyword is a `ClientConfig` field (``config=`` takes a whole one instead).
    ``shared_quota=`` (a ``redis://`` URL or a ``QuotaStore``) makes every process of the
    tenant share one rate-limit budget (``pip install 'clopos-async[redis]'``); like
    ``session=``, it is a live part the client holds, not a `ClientConfig` field.
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
        timeout: float | Timeout | aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        session: aiohttp.ClientSession | None = None,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 8,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_ambiguous_writes: bool = False,
        on_request: Hook[RequestEvent] | None = None,
        on_response: Hook[ResponseEvent] | None = None,
        on_retry: Hook[RetryEvent] | None = None,
        strict: bool = False,
        relax_gc: bool = True,
        config: ClientConfig | None = None,
        shared_quota: str | QuotaStore | None = None,
    ) -> None:
        if config is None:
            config = ClientConfig(
                api_version=api_version, base_url=base_url, client_id=client_id,
                client_secret=client_secret, brand=brand, integrator_id=integrator_id,
                venue_id=venue_id, token=token, timeout=timeout,
                retry=retry if retry is not None else RetryPolicy(),
                max_concurrency=max_concurrency, max_response_bytes=max_response_bytes,
                retry_ambiguous_writes=retry_ambiguous_writes, strict=strict,
                relax_gc=relax_gc,
                on_request=on_request, on_response=on_response, on_retry=on_retry,
            )  # fmt: skip
        check_instance("config", config, ClientConfig)
        if session is not None:
            check_instance("session", session, aiohttp.ClientSession)
        self._config = config
        self._view_of: AsyncClopos | None = None  # the client a with_options() view shares
        self._auth_headers: tuple[str, dict[str, str]] | None = None  # (token, its headers)
        self._tokens = (
            TokenManager(None, static_token=config.token) if config.token is not None
            else TokenManager(self._exchange_credentials)
        )
        # The quota is the tenant's: brand and the version's auth scope (integrator or venue).
        scope = config.api_version.auth_scope_field
        self._shared_gate = shared_gate(
            shared_quota, base_url=config.base_url, brand=config.brand,
            owner=getattr(config, scope), owner_name=scope,
        )
        self._gate = AdmissionGate(config.max_concurrency, shared=self._shared_gate)
        if is_plain_http_to_another_host(config.base_url):
            logger.warning("base_url %s is plain http:// to a non-loopback host: the token "
                           "and credentials cross the network unencrypted", config.base_url)
        self._transport = HttpTransport(config.base_url, timeout=config.timeout, session=session,
                                        max_response_bytes=config.max_response_bytes)
        self._attach_resources()

    def _attach_resources(self) -> None:
        # Resources hold the client only as a `Requester`; a view gets its own set.
        self.orders = OrdersResource(self)
        self.sale_types: PlainResource[SaleType] = PlainResource(self, SALE_TYPES)
        self.receipts = ReceiptsResource(self)
        self.customers = CustomersResource(self)
        self.venues: PlainResource[Venue] = PlainResource(self, VENUES)
        self.users: PlainResource[User] = PlainResource(self, USERS)
        self.payment_methods: PlainResource[PaymentMethod] = PlainResource(self, PAYMENT_METHODS)
        self.customer_groups: PlainResource[CustomerGroup] = PlainResource(self, CUSTOMER_GROUPS)
        self.price_lists = PriceLists(self)  # v2 only
        self.products = ProductsResource(self)
        self.categories: PlainResource[Category] = PlainResource(self, CATEGORIES)
        self.stations: PlainResource[Station] = PlainResource(self, STATIONS)

    @property
    def config(self) -> ClientConfig:
        """The client's settings (a frozen `ClientConfig`)."""
        return self._config

    @property
    def version(self) -> ApiVersion:
        """The API version profile (``.name`` is ``"v1"`` or ``"v2"``)."""
        return self._config.api_version

    @property
    def strict(self) -> bool:
        """Whether a listed item that does not fit its model raises (else: degraded)."""
        return self._config.strict

    @property
    def retry_policy(self) -> RetryPolicy:
        """How failed requests are retried; reconciled writes pace their attempts by it too."""
        return self._config.retry

    @property
    def relax_gc(self) -> bool:
        """Whether listings relax the cyclic garbage collector while they run."""
        return self._config.relax_gc

    @property
    def base_url(self) -> str:
        """The API base URL, without a trailing slash."""
        return self._config.base_url

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
        config = self._config
        auth = "token=***" if config.token is not None else f"client_id={config.client_id!r}"
        # A with_options() view says so, and shows what it changes.
        view = ""
        if self._view_of is not None:
            view = f" view(retry={config.retry!r}, timeout={config.timeout.total})"
        return (
            f"<AsyncClopos {self.version.name} {self.base_url} brand={config.brand!r} "
            f"venue_id={config.venue_id!r} {auth}{view}>"
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
        credentials = self._config.credentials
        assert credentials is not None
        path = self.version.auth_path
        sent_at = time.monotonic()
        try:
            response = await self._transport.send(
                Request("POST", path, body=encode_json(self.version.auth_body(credentials)))
            )
        except CloposError as exc:
            logger.debug("POST %s failed: %s (token exchange)", path, type(exc).__name__)
            raise
        # Logged like every other request (the body, which holds the secret, never is).
        logger.debug("POST %s -> %d in %.0f ms (token exchange)",
                     path, response.status, response.elapsed * 1000)
        return parse_token_response(response.status, response.headers, response.body,
                                    path=path, sent_at=sent_at, now=time.time())

    @property
    def rate_limit(self) -> RateLimitState:
        """The quota the server last reported: ``limit``, ``remaining``, ``reset_after``."""
        return self._gate.state

    def with_options(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | Timeout | aiohttp.ClientTimeout | None = None,
        **changes: Any,
    ) -> AsyncClopos:
        """A view of this client with other settings (`ClientConfig` fields), for some calls.

        It shares the session, token and rate-limit gate; close the original, not the view.
        Settings that belong to those shared parts (credentials, base URL, version,
        ``max_concurrency``) cannot change in a view. Example::

            order = await clopos.with_options(timeout=5, retry=RetryPolicy.never()).orders.get(1)
        """
        if retry is not None:
            changes["retry"] = retry
        if timeout is not None:
            changes["timeout"] = timeout
        shared = sorted(set(changes) & _SHARED_SETTINGS)
        if shared:
            raise ValueError(
                f"with_options cannot change {', '.join(shared)} (shared with the original "
                "client); build another AsyncClopos instead"
            )
        view = copy.copy(self)
        view._view_of = self
        view._config = self._config.evolve(**changes)
        view._attach_resources()
        return view

    async def _authorized_send(self, request: Request) -> Response:
        """Send with the current token; on a 401, replay with a newer token.

        A token obtained moments ago is first replayed as is (a stray 401 costs no exchange);
        if it is rejected again, or is older, one exchange (shared with every caller that
        saw the same rejection) gives the token for the last replay.
        """
        token = await self._tokens.token()
        response = await self._transport.send(self._with_auth(request, token))
        for replay in range(2):
            if response.status != 401 or not self._tokens.can_refresh:
                break
            replacement = await self._tokens.invalidate(token, may_reuse=replay == 0)
            if replacement is None:
                break
            reused, token = replacement == token, replacement
            response = await self._transport.send(self._with_auth(request, token))
            if not reused:
                break  # a token newer than the rejection was rejected too: that is the answer
        return response

    def _with_auth(self, request: Request, token: str) -> Request:
        auth = self._auth_headers
        if auth is None or auth[0] != token:
            # Built once per token, not per request (brand and venue never change).
            auth = self._auth_headers = (token, self.version.request_headers(
                token, brand=self._config.brand, venue_id=self._config.venue_id
            ))
        headers = {**request.headers, **auth[1]} if request.headers else dict(auth[1])
        if request.idempotency_key is not None:
            headers["Idempotency-Key"] = request.idempotency_key
        # Built directly: attrs.evolve re-reads the class's fields on every call.
        return Request(request.method, request.path, request.params, request.body, headers,
                       request.timeout, request.idempotency_key)

    async def _attempt(self, request: Request, attempt: int) -> Reply:
        """One admitted attempt: token, send (with the 401 replay), quota bookkeeping, decode."""
        method, path, key = request.method, request.path, request.idempotency_key
        config, version = self._config, self._config.api_version
        async with self._gate.admit(max_wait=config.retry.max_retry_after):
            if config.on_request is not None:  # no event objects on the hot path without hooks
                await call_hook(config.on_request, RequestEvent(method, path, attempt, key))
            try:
                response = await self._authorized_send(request)
            except CloposError as exc:
                logger.debug("%s %s failed: %s (attempt %d, idempotency key %s)",
                             method, path, type(exc).__name__, attempt, key)
                raise
            received_at = time.time()
            rate_limit = RateLimit.from_headers(
                response.headers, now=received_at, window=version.rate_limit_window,
                prefer=version.rate_limit_header_prefix,
            )
            self._gate.observe(rate_limit, success=200 <= response.status < 300)
        logger.debug("%s %s -> %d in %.0f ms (attempt %d, idempotency key %s)",
                     method, path, response.status, response.elapsed * 1000, attempt, key)
        if config.on_response is not None:
            await call_hook(config.on_response, ResponseEvent(
                method, path, attempt, response.status, response.elapsed, response.headers, key
            ))
        envelope = read_envelope(response.status, response.headers, response.body,
                                 method=method, path=path, now=received_at,
                                 rate_limit_window=version.rate_limit_window)
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
            # The failure may be the token exchange's, not the call's: name where it happened.
            failed_at = f"{getattr(error, 'method', None)} {getattr(error, 'path', None)}"
            cause = type(error).__name__
            if getattr(error, "path", None) and failed_at != f"{request.method} {request.path}":
                cause += f" at {failed_at}"
            logger.warning("retrying %s %s after %s (attempt %d failed); waiting %.2fs",
                           request.method, request.path, cause, attempt, wait)
        await call_hook(self._config.on_retry,
                        RetryEvent(request.method, request.path, attempt, error, wait))

    @property
    def last_response(self) -> Reply | None:
        """Deprecated: the last successful response of this client in the current task.

        It cannot be made correct: pages fetched concurrently run in their own tasks, so
        after ``list(..., concurrency=4)`` it still shows an early page. Use the reply of
        the call itself instead: ``await clopos.orders.with_raw_response.get(1)`` (an
        `APIResponse` with ``.status_code``, ``.headers``, ``.json`` and ``.parsed``), a
        page's ``page.reply``, or the `Reply` that ``clopos.request()`` returns.
        """
        warnings.warn(
            "AsyncClopos.last_response is deprecated: it is wrong after concurrent "
            "pagination; use resource.with_raw_response.<method>(), Page.reply or the Reply "
            "of clopos.request()",
            DeprecationWarning,
            stacklevel=2,
        )
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
        replayable: bool | None = None,
    ) -> Reply:
        """Send an authenticated request to ``path`` (relative to the base URL) and decode it.

        The escape hatch for endpoints without a typed method; it retries and paces like
        every other call. ``path`` starts with ``/`` and has no dot segments. POSTs always
        carry an Idempotency-Key (yours, else a new one), the same one on every attempt; if
        the call is cancelled, the `asyncio.CancelledError` carries it as ``idempotency_key``.
        ``replayable=False`` never resends an attempt the server may have acted on (any
        method): the failure ends as `OutcomeUnknownError`, for the caller to reconcile.
        """
        check_request_path(path)
        method = method.upper()
        if method == "POST" and idempotency_key is None:
            idempotency_key = new_idempotency_key()
        request = Request(
            method,
            path,
            params=tuple(params),
            body=encode_json(json) if json is not None else None,
            timeout=self._config.timeout,
            idempotency_key=idempotency_key,
        )
        try:
            return await call_with_retries(
                lambda attempt: self._attempt(request, attempt),
                policy=self._config.retry,
                idempotent=method != "POST" and replayable is not False,
                # A replayed create is safe where the API honours Idempotency-Key (v1) or
                # where the caller accepted the risk, unless the write reconciles itself.
                replay_safe=replayable is not False and (
                    self.version.documents_idempotency or self._config.retry_ambiguous_writes
                ),
                idempotency_key=idempotency_key,
                before_wait=functools.partial(self._before_retry, request),
            )
        except asyncio.CancelledError as cancelled:
            if idempotency_key is not None:  # the POST may have been sent: say with what key
                attach_key(cancelled, idempotency_key)
            raise


# Settings bound to the parts a view shares with its original.
_SHARED_SETTINGS = frozenset({
    "api_version", "base_url", "client_id", "client_secret", "brand", "integrator_id",
    "venue_id", "token", "max_concurrency", "max_response_bytes",
})
