"""Token issuing (v1 opaque, v2 JWT-shaped), the two /auth routes, and the auth middleware."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import string
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .config import ApiVersion, FakeConfig
from .counters import FakeCounters
from .responses import api_error, json_response, read_json_object
from .timestamps import ceil_seconds

__all__ = [
    "AuthApi",
    "AuthContext",
    "TokenInfo",
    "TokenRegistry",
    "auth_middleware",
    "current_auth",
]

_ALNUM = string.ascii_letters + string.digits
_MISSING_HEADERS = "Missing authentication headers"
_INVALID_HEADERS = "Missing or invalid authentication headers"


@dataclass(frozen=True)
class TokenInfo:
    """What the server remembers about one issued token."""

    version: ApiVersion
    brand: str
    venue_id: int
    integrator_id: str | None
    expires_at: float  # epoch seconds, exact (the response rounds it up)


@dataclass(frozen=True)
class AuthContext:
    """The authenticated caller of the current request."""

    token: TokenInfo
    # v2 x-venue: only that venue's orders are visible and new orders go there. None means every
    # venue: v2 without x-venue, and always on v1, where x-venue is required but does not scope
    # (the docs do not say it filters), so one data set looks the same through both versions.
    venue: str | None


# A ContextVar, not request storage: aiohttp >= 3.12 warns on str request keys and older versions
# have no RequestKey, and the handler runs inside the middleware's context anyway.
_current: ContextVar[AuthContext] = ContextVar("clopos_fake_auth")


def current_auth() -> AuthContext:
    """Return the caller set by ``auth_middleware`` for the request being handled."""
    return _current.get()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TokenRegistry:
    """Issued tokens; only tokens issued here (and not expired) are accepted."""

    def __init__(self, config: FakeConfig) -> None:
        self._config = config
        self._tokens: dict[str, TokenInfo] = {}
        self._secret = secrets.token_bytes(32)

    def issued(self) -> list[str]:
        """The tokens issued and not expired or pruned (tests check none of them leaks)."""
        return list(self._tokens)

    def issue(
        self,
        version: ApiVersion,
        *,
        venue_id: int | None = None,
        ttl: float | None = None,
        integrator_id: str | None = None,
    ) -> tuple[str, TokenInfo]:
        """Mint a token for ``version``; v1 tokens are ``oauth_…``, v2 tokens are HS256 JWTs."""
        cfg = self._config
        now = time.time()
        lifetime = cfg.token_ttl if ttl is None else ttl
        venue = venue_id if venue_id is not None else min(cfg.venues)
        integrator = (integrator_id or cfg.integrator_id) if version == "v2" else None
        expires_at = now + lifetime
        if lifetime > 0 and float(lifetime).is_integer():
            # Whole-second lifetimes end on a whole second, as a real `exp` claim does, so the
            # announced expires_at is exactly what is enforced (and at least `lifetime` away).
            expires_at = ceil_seconds(expires_at)
        info = TokenInfo(version, cfg.brand, venue, integrator, expires_at)
        opaque = "oauth_" + "".join(secrets.choice(_ALNUM) for _ in range(64))
        if version == "v1":
            token = opaque
        else:
            # The claims observed in the documented example token (REFERENCE §1.4).
            claims = {
                "token": opaque,
                "brand": cfg.brand,
                "stage": "beta",
                "venue_id": venue,
                "integrator_id": integrator,
                "iat": math.floor(info.expires_at - lifetime),
                "exp": math.floor(info.expires_at),
            }
            header = _b64url(
                json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode()
            )
            body = _b64url(json.dumps(claims, separators=(",", ":")).encode())
            signing_input = f"{header}.{body}".encode("ascii")
            signature = hmac.new(self._secret, signing_input, hashlib.sha256).digest()
            token = f"{header}.{body}.{_b64url(signature)}"
        self._prune(now)
        self._tokens[token] = info
        return token, info

    def lookup(self, token: str) -> TokenInfo | None:
        """Return the token's info, or ``None`` when unknown or expired."""
        info = self._tokens.get(token)
        if info is None or info.expires_at <= time.time():
            return None
        return info

    def expire_all(self) -> None:
        """Invalidate every token issued so far (they then get 401, like expired ones)."""
        self._tokens.clear()

    def _prune(self, now: float) -> None:
        # Bound the registry on long runs that re-authenticate a lot.
        if len(self._tokens) >= 10_000:
            self._tokens = {t: i for t, i in self._tokens.items() if i.expires_at > now}


def _required_fields(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in fields:
        value = body.get(name)
        if value is None or value == "":
            raise api_error(400, "validation_failed", f"{name} is required")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise api_error(400, "validation_failed", f"{name} must be a string")
        values[name] = str(value)  # venue_id is a string in every example; accept ints too
    return values


def _announced_ttl(ttl: float) -> int:
    # Rounded down, like expires_at: the fake enforces the exact float TTL, so announcing more
    # (rounding up) would make a correct client send a token the fake already rejects.
    return math.floor(ttl)


class AuthApi:
    """The ``POST /open-api/auth`` (v1) and ``POST /open-api/v2/auth`` handlers."""

    def __init__(self, config: FakeConfig, tokens: TokenRegistry, counters: FakeCounters) -> None:
        self._config = config
        self._tokens = tokens
        self._counters = counters

    def _check_secret(self, fields: dict[str, str]) -> None:
        cfg = self._config
        # Bytes, because compare_digest rejects non-ASCII str.
        matches = (
            hmac.compare_digest(fields["client_id"].encode(), cfg.client_id.encode())
            and hmac.compare_digest(fields["client_secret"].encode(), cfg.client_secret.encode())
            and fields["brand"] == cfg.brand
        )
        if not matches:
            raise api_error(401, "authentication_failed", "Invalid credentials")

    async def auth_v2(self, request: web.Request) -> web.Response:
        """Issue a JWT; a test integrator on a production brand gets 200 + success:false."""
        self._counters.auth_calls += 1
        body = await read_json_object(request)
        fields = _required_fields(body, ("client_id", "client_secret", "brand", "integrator_id"))
        self._check_secret(fields)
        integrator = fields["integrator_id"]
        if integrator != self._config.integrator_id:
            raise api_error(400, "invalid_integrator", "Invalid integrator_id")
        if self._config.production_brand and integrator.startswith("test_"):
            # Documented: this rejection is HTTP 200 with success:false (REFERENCE §1.4, §2.2).
            return json_response(
                {
                    "success": False,
                    "error": "integrator_environment_mismatch",
                    "message": "Test integrators cannot access production brands",
                }
            )
        token, info = self._tokens.issue("v2", integrator_id=integrator)
        return json_response(
            {
                "success": True,
                "token": token,
                "token_type": "Bearer",
                "expires_in": _announced_ttl(self._config.token_ttl),
                "expires_at": math.floor(info.expires_at),
                "message": "Authentication successful",
            }
        )

    async def auth_v1(self, request: web.Request) -> web.Response:
        """Issue an opaque ``oauth_…`` token for one venue."""
        self._counters.auth_calls += 1
        body = await read_json_object(request)
        fields = _required_fields(body, ("client_id", "client_secret", "brand", "venue_id"))
        self._check_secret(fields)
        venue = fields["venue_id"]
        if not venue.isdigit() or int(venue) not in self._config.venues:
            raise api_error(400, "invalid_parameter", "venue_id is not a venue of this brand")
        token, _info = self._tokens.issue("v1", venue_id=int(venue))
        return json_response(
            {
                "success": True,
                "token": token,
                "token_type": "Bearer",
                "expires_in": _announced_ttl(self._config.token_ttl),
                "message": "Authentication successful",
            }
        )


def auth_middleware(tokens: TokenRegistry) -> Middleware:
    """Check ``x-token`` (+ ``x-brand``/``x-venue`` on v1) on every route except /auth.

    Routes are named ``"<version>.<operation>"``; the version in the name selects the header
    rules, and a token is only valid on routes of the version it was issued for.
    """

    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
        name = request.match_info.route.name
        if request.match_info.http_exception is not None or not name or name.endswith(".auth"):
            return await handler(request)
        version = name.split(".", 1)[0]
        headers = request.headers
        token = headers.get("x-token", "").strip()
        venue = headers.get("x-venue", "").strip() or None
        if version == "v1":
            brand = headers.get("x-brand", "").strip()
            if not token or not brand or venue is None:
                raise api_error(401, "unauthorized", _MISSING_HEADERS)
        elif not token:
            raise api_error(401, "unauthorized", _MISSING_HEADERS)
        info = tokens.lookup(token)
        if info is None or info.version != version:
            raise api_error(401, "unauthorized", _INVALID_HEADERS)
        if version == "v1" and headers.get("x-brand", "").strip() != info.brand:
            raise api_error(401, "unauthorized", _INVALID_HEADERS)
        reset = _current.set(AuthContext(info, None if version == "v1" else venue))
        try:
            return await handler(request)
        finally:
            _current.reset(reset)

    return authenticate
