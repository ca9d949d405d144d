"""Sans-I/O wire format: JSON bodies, success envelopes and error mapping.

Nothing here touches the network, so every documented response shape is tested directly
(gidgethub's ``sansio`` is the model). The transport hands in status, headers and bytes.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Mapping
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any

import attrs

from .dumping import decimal_as_number, dump_json
from .errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)


def _optional_orjson() -> Any:
    # orjson is an optional extra ("clopos-async[speed]"): same results, faster.
    try:
        return importlib.import_module("orjson")
    except ImportError:
        return None


_orjson: Any = _optional_orjson()

__all__ = [
    "Envelope",
    "decode_json",
    "encode_json",
    "error_for_status",
    "parse_envelope",
]

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def decode_json(body: bytes) -> Any:
    """Decode a JSON body; raises ValueError (never a bare JSONDecodeError subclass leak)."""
    if _orjson is not None:
        try:
            return _orjson.loads(body)
        except _orjson.JSONDecodeError as exc:
            raise ValueError(str(exc)) from None
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


def encode_json(value: object) -> bytes:
    """Encode a request body; Decimal amounts become JSON numbers."""
    if _orjson is not None:
        encoded: bytes = _orjson.dumps(value, default=decimal_as_number)
        return encoded
    return dump_json(value, decimals="number").encode()


@attrs.frozen
class Envelope:
    """A 2xx body normalised from any of the documented success shapes (REFERENCE §2.1)."""

    data: Any
    success: bool = True
    total: int | None = None
    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None
    message: str | None = None
    raw: Any = None


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def parse_envelope(decoded: Any) -> Envelope:
    """Normalise a decoded success body.

    A bare list is the data; a dict with neither ``success`` nor ``data`` is a bare resource;
    otherwise ``success`` defaults to true, ``data`` is read, and the total comes from
    ``total`` or ``pagination.total`` (``meta.total`` as a last resort).
    """
    if isinstance(decoded, list):
        return Envelope(data=decoded, raw=decoded)
    if not isinstance(decoded, dict):
        return Envelope(data=decoded, raw=decoded)
    if "success" not in decoded and "data" not in decoded:
        return Envelope(data=decoded, raw=decoded)
    pagination: dict[str, Any] = {}
    for block in (decoded.get("pagination"), decoded.get("meta")):
        if isinstance(block, dict):
            pagination = block
            break
    total = _int_or_none(decoded.get("total"))
    if total is None:
        total = _int_or_none(pagination.get("total"))
    message = decoded.get("message")
    return Envelope(
        data=decoded.get("data"),
        success=decoded.get("success", True) is not False,
        total=total,
        page=_int_or_none(pagination.get("page", pagination.get("current_page"))),
        per_page=_int_or_none(pagination.get("per_page")),
        total_pages=_int_or_none(pagination.get("total_pages", pagination.get("last_page"))),
        message=message if isinstance(message, str) else None,
        raw=decoded,
    )


def _error_fields(decoded: Any) -> tuple[str | None, str | None, Any]:
    """Pull (error_code, message, details) out of any documented error body."""
    if not isinstance(decoded, dict):
        return None, None, None
    error = decoded.get("error")
    message = decoded.get("message")
    details = decoded.get("details")
    code: str | None = None
    if isinstance(error, list) and error and isinstance(error[0], dict):
        # The live v1 API's shape: a list of {message, type, exception, http_code}.
        first = error[0]
        code = first.get("exception") or first.get("type")
        if not isinstance(message, str) or not message or message == "…":
            message = first.get("message")
        if details is None:
            details = error
    elif isinstance(error, str):
        code = error
        # Identifiers have no spaces. Create-customer's 400 swaps the roles (message
        # "Validation failed", error "The name field is required."): keep both as text.
        if any(ch.isspace() for ch in error):
            code = None
            message = f"{message}: {error}" if isinstance(message, str) and message else error
    return (
        str(code) if code is not None else None,
        message if isinstance(message, str) and message else None,
        details,
    )


def error_for_status(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    method: str | None = None,
    path: str | None = None,
    retry_after: float | None = None,
    auth_endpoint: bool = False,
) -> APIStatusError:
    """Build the typed exception for an error response (4xx/5xx, or 2xx with success: false).

    The class comes from the HTTP status; a 2xx that says ``success: false`` is an
    authentication/configuration failure on the auth endpoint and a bad request elsewhere.
    The body is kept decoded when it is JSON, else as text (an HTML error page, say).
    """
    try:
        decoded: Any = decode_json(body) if body else None
    except ValueError:
        decoded = body.decode("utf-8", "replace")
    code, message, details = _error_fields(decoded)
    if auth_endpoint and status in (200, 201, 400, 401):
        # Bad credentials come back as 401, 400 (v1 guide, REFERENCE §5.11) or a 200 with
        # success: false (test integrator on a production brand, §5.10).
        cls: type[APIStatusError] = AuthenticationError
    elif status < 400:
        # A 2xx that says success: false: no status class fits; the base class says so.
        cls = APIStatusError
    elif status >= 500:
        cls = ServerError
    else:
        cls = _STATUS_ERRORS.get(status, APIStatusError)
    if message is None:
        message = _default_message(status, decoded)
    kwargs: dict[str, Any] = {
        "status_code": status,
        "error_code": code,
        "details": details,
        "body": decoded,
        "headers": dict(headers),
        "method": method,
        "path": path,
    }
    if retry_after is None:
        now = time.time()
        # Every v2 response carries RateLimit-Reset; only on a 429 is it an instruction to wait.
        retry_after = parse_retry_after(headers, now=now, use_reset=cls is RateLimitError)
    kwargs["retry_after"] = retry_after
    return cls(message, **kwargs)


def _default_message(status: int, decoded: Any) -> str:
    if isinstance(decoded, str):
        snippet = " ".join(decoded.split())[:120]
        return f"unexpected non-JSON error body: {snippet!r}" if snippet else "empty error body"
    if status < 400:
        return "the server reported success: false"
    return f"HTTP {status} error"


def is_error_body(decoded: Any) -> bool:
    """Whether a decoded 2xx body is an error envelope (``success: false``)."""
    return isinstance(decoded, dict) and decoded.get("success") is False


def validation_error(
    reason: str, body: bytes, status: int, *, method: str | None, path: str | None
) -> ResponseValidationError:
    """A 2xx response we cannot use; the raw text is kept on the exception."""
    return ResponseValidationError(
        reason,
        body=body.decode("utf-8", "replace"),
        status_code=status,
        method=method,
        path=path,
    )


def read_envelope(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    method: str | None = None,
    path: str | None = None,
    auth_endpoint: bool = False,
) -> Envelope:
    """Turn a response into an `Envelope`, or raise the typed error it stands for.

    4xx/5xx raise by status; a 2xx that is not JSON raises `ResponseValidationError`
    (a proxy's HTML page, a truncated body); a 2xx with ``success: false`` raises like an
    error status.
    """
    if status >= 400 or status < 200:
        raise error_for_status(
            status, headers, body, method=method, path=path, auth_endpoint=auth_endpoint
        )
    if not body.strip():
        if status == 204:
            return Envelope(data=None)
        raise validation_error("empty response body", body, status, method=method, path=path)
    try:
        decoded = decode_json(body)
    except ValueError as exc:
        raise validation_error(
            f"response body is not valid JSON ({exc})", body, status, method=method, path=path
        ) from None
    if is_error_body(decoded):
        raise error_for_status(
            status, headers, body, method=method, path=path, auth_endpoint=auth_endpoint
        )
    return parse_envelope(decoded)


# -- rate-limit headers (REFERENCE §2.3) ----------------------------------------------------

# A reset above this is an epoch timestamp (v1's X-RateLimit-Reset), not a number of seconds.
_EPOCH_THRESHOLD = 1_000_000_000


@attrs.frozen
class RateLimitInfo:
    """What one response said about the quota: limit, remaining and seconds until reset."""

    limit: int | None
    remaining: int | None
    reset_after: float | None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number == number and number >= 0 else None  # rejects NaN and negatives


def _reset_delta(value: str | None, now: float) -> float | None:
    number = _number(value)
    if number is not None and number > _EPOCH_THRESHOLD:
        return max(number - now, 0.0)
    return number


def _structured_rate_limit(value: str) -> dict[str, float]:
    """Read the IETF structured field: ``limit=100, remaining=0, reset=30`` (draft -03..-06)
    or ``"default";r=0;t=30`` (draft -07 and later)."""
    found: dict[str, float] = {}
    names = {"limit": "limit", "l": "limit", "remaining": "remaining", "r": "remaining",
             "reset": "reset", "t": "reset"}
    for part in value.replace(",", ";").split(";"):
        key, _, raw = part.strip().partition("=")
        number = _number(raw) if raw else None
        if key.strip().lower() in names and number is not None:
            found[names[key.strip().lower()]] = number
    return found


def parse_rate_limit(
    headers: Mapping[str, str], *, now: float, prefer: str = "ratelimit-"
) -> RateLimitInfo | None:
    """Read IETF ``RateLimit-*`` (v2), ``X-RateLimit-*`` (v1, epoch reset) or ``RateLimit``.

    ``headers`` must have lower-case names; ``now`` is the epoch time, for epoch resets;
    ``prefer`` is the flavour the API version documents, read first when both are sent.
    """
    for prefix in (prefer, *(p for p in ("ratelimit-", "x-ratelimit-") if p != prefer)):
        remaining = headers.get(prefix + "remaining")
        if remaining is not None or headers.get(prefix + "reset") is not None:
            limit, left = _number(headers.get(prefix + "limit")), _number(remaining)
            return RateLimitInfo(
                limit=int(limit) if limit is not None else None,
                remaining=int(left) if left is not None else None,
                reset_after=_reset_delta(headers.get(prefix + "reset"), now),
            )
    structured = headers.get("ratelimit")
    if structured:
        fields = _structured_rate_limit(structured)
        if fields:
            return RateLimitInfo(
                limit=int(fields["limit"]) if "limit" in fields else None,
                remaining=int(fields["remaining"]) if "remaining" in fields else None,
                reset_after=fields.get("reset"),
            )
    return None


def parse_retry_after(
    headers: Mapping[str, str], *, now: float, use_reset: bool = True
) -> float | None:
    """How long the server asks us to wait: ``Retry-After`` (seconds or an HTTP date), else
    (with ``use_reset``) the rate-limit reset. None when the response says nothing."""
    value = headers.get("retry-after")
    if value is not None:
        seconds = _number(value)
        if seconds is not None:
            return seconds
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return max(when.timestamp() - now, 0.0)
    info = parse_rate_limit(headers, now=now) if use_reset else None
    return info.reset_after if info is not None else None
