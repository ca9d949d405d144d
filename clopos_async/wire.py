"""Sans-I/O wire format: JSON bodies, success envelopes and error mapping.

Nothing here touches the network, so every documented response shape is tested directly
(gidgethub's ``sansio`` is the model). The transport hands in status, headers and bytes.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping
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
    RedirectError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from .quota_headers import MAX_WINDOW, RateLimit, parse_retry_after


def _optional_orjson() -> Any:
    # orjson is an optional extra ("clopos-async[speed]"): same results, faster.
    try:
        return importlib.import_module("orjson")
    except ImportError:
        return None


_orjson: Any = _optional_orjson()

__all__ = [
    "Envelope",
    "RateLimit",
    "RateLimitInfo",
    "decode_json",
    "encode_json",
    "error_for_status",
    "parse_envelope",
    "parse_rate_limit",
    "parse_retry_after",
]

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def decode_json(body: bytes) -> Any:
    """Decode a JSON body, with the same result whether orjson is installed or not.

    The standard library decoder is the reference and orjson only a faster way to its result:
    whatever orjson refuses (``NaN``, ``Infinity``, numbers beyond a double such as ``1e400``,
    lone surrogate escapes, deep nesting, malformed text) goes to the reference, which decides.
    It accepts the first three as Python floats (the models then treat a non-finite amount as
    absent), turns a lone surrogate into U+FFFD, and rejects the rest. Any failure is a
    ValueError (never a RecursionError or a decoder's own exception class).

    One difference is left, because finding it would cost a scan of every body: an integer
    beyond 64 bits comes back from orjson as a float (inexact), from the reference as an int.
    Neither becomes a wrong value downstream: the models refuse a float that may not be the
    integer written (`serde`), and page counts that large are no counts (`_int_or_none`).
    """
    if _orjson is not None:
        try:
            return _orjson.loads(body)
        except _orjson.JSONDecodeError:
            pass  # the reference below decides, so both backends give the same answer
    try:
        # Strict UTF-8, as orjson: json.loads(bytes) would guess UTF-16/32 and let encoded
        # surrogates through.
        decoded = json.loads(body.decode("utf-8"))
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ValueError(str(exc)) from None
    if _SURROGATE_ESCAPE.search(body):
        decoded = _without_lone_surrogates(decoded)
    return decoded


# A \uD800-\uDFFF escape: only then can the decoded text hold a lone surrogate, which no UTF-8
# writer (a file, a terminal, a log handler) accepts.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _valid_text(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _without_lone_surrogates(decoded: Any) -> Any:
    """``decoded`` with every lone surrogate in its strings and keys replaced by U+FFFD."""
    if isinstance(decoded, str):
        return _valid_text(decoded)
    stack = [decoded]  # a loop, not recursion: the JSON may be nested deeper than the stack
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            entries = [(_valid_text(key), value) for key, value in node.items()]
            node.clear()
            node.update(entries)
            children: Any = node
            indexes: Any = list(node)
        elif isinstance(node, list):
            children, indexes = node, range(len(node))
        else:
            continue
        for index in indexes:
            child = children[index]
            if isinstance(child, str):
                children[index] = _valid_text(child)
            else:
                stack.append(child)
    return decoded


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


# No listing holds more rows than a signed 64-bit id can number (MySQL's BIGINT).
_MAX_COUNT = 2**63 - 1
_MAX_COUNT_DIGITS = len(str(_MAX_COUNT))


def _int_or_none(value: object) -> int | None:
    """A page count or number as sent, else None: the server said nothing usable.

    A negative or astronomically large count (``-5``, ``10**30``) is no count: believed, it
    would stop a listing early or make it plan pages that cannot exist. Beyond 64 bits the
    two JSON backends also disagree (orjson reads such an integer as a float, the standard
    library as an int): bounding it gives both the same answer, None.
    """
    if isinstance(value, bool):
        return None
    # isdecimal, not isdigit: int() refuses digits such as "²" that isdigit accepts, and the
    # length bound keeps int() below its own limit on huge digit strings (each a ValueError).
    if isinstance(value, str) and value.isdecimal() and len(value) <= _MAX_COUNT_DIGITS:
        value = int(value)
    if isinstance(value, int) and 0 <= value <= _MAX_COUNT:
        return value
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
    if total is None and pagination:
        total = _int_or_none(pagination.get("total"))
    message = decoded.get("message")
    page = per_page = total_pages = None
    if pagination:  # a single resource has none: no page numbers to read
        page = _int_or_none(pagination.get("page", pagination.get("current_page")))
        per_page = _int_or_none(pagination.get("per_page"))
        total_pages = _int_or_none(pagination.get("total_pages", pagination.get("last_page")))
    return Envelope(
        data=decoded.get("data"),
        success=decoded.get("success", True) is not False,
        total=total,
        page=page,
        per_page=per_page,
        total_pages=total_pages,
        message=message if isinstance(message, str) else None,
        raw=decoded,
    )


# At most this many messages of one error body are shown, each at most this long.
_MAX_MESSAGES = 20
_MAX_MESSAGE_CHARS = 300


def _messages_in(value: Any) -> list[str]:
    """Every human-readable message in an error's ``error``/``details``/``errors`` part.

    Accepts a string, a list of strings or of ``{message: ...}`` objects, and Laravel's
    ``{field: [messages]}``; bounded in count (the rest summarised) and in length.
    """
    found: list[str] = []
    pending: list[Any] = [value]
    while pending and len(found) <= _MAX_MESSAGES:
        item = pending.pop(0)
        if isinstance(item, str) and item.strip():
            found.append(item[:_MAX_MESSAGE_CHARS])
        elif isinstance(item, dict):
            message = item.get("message")
            if isinstance(message, str):
                pending.append(message)
            else:
                pending.extend(list(item.values())[:_MAX_MESSAGES])
        elif isinstance(item, list):
            pending.extend(item[:_MAX_MESSAGES])
    if len(found) > _MAX_MESSAGES:
        found = [*found[:_MAX_MESSAGES], "(more messages not shown)"]
    return found


def _with_all_messages(message: str | None, parts: list[str]) -> str | None:
    """The main message followed by every other distinct message of the body."""
    others = [part for part in dict.fromkeys(parts) if part != message]
    if not others:
        return message
    listed = "; ".join(others)
    return f"{message}: {listed}" if message else listed


def _error_fields(decoded: Any) -> tuple[str | None, str | None, Any]:
    """Pull (error_code, message, details) out of any documented error body."""
    if not isinstance(decoded, dict):
        return None, None, None
    error = decoded.get("error")
    message = decoded.get("message")
    details = decoded.get("details")
    code: str | None = None
    extra: list[str] = []
    if isinstance(error, list) and error and isinstance(error[0], dict):
        # The live v1 API's shape: a list of {message, type, exception, http_code}.
        first = error[0]
        code = first.get("exception") or first.get("type")
        if not isinstance(message, str) or not message or message == "…":
            message = first.get("message")
        extra += _messages_in(error)
        if details is None:
            details = error
    elif isinstance(error, list):
        extra += _messages_in(error)
    elif isinstance(error, str):
        code = error
        # Identifiers have no spaces. Create-customer's 400 swaps the roles (message
        # "Validation failed", error "The name field is required."): keep both as text.
        if any(ch.isspace() for ch in error):
            code = None
            message = f"{message}: {error}" if isinstance(message, str) and message else error
    if details is not error:
        extra += _messages_in(details)
    extra += _messages_in(decoded.get("errors"))  # Laravel's 422: {field: [messages]}
    message = message if isinstance(message, str) and message else None
    return (
        str(code) if code is not None else None,
        _with_all_messages(message, extra),
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
    now: float | None = None,
    rate_limit_window: float = MAX_WINDOW,
) -> APIStatusError:
    """Build the typed exception for an error response (3xx/4xx/5xx, or success: false).

    The class comes from the HTTP status; a 2xx that says ``success: false`` is an
    authentication/configuration failure on the auth endpoint and a bad request elsewhere.
    The body is kept decoded when it is JSON, else as text (an HTML error page, say).
    ``now`` (epoch seconds) dates the response, for epoch and HTTP-date waits; without it
    those are ignored (this module never reads the clock).
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
    elif 300 <= status < 400:
        cls = RedirectError
    elif status < 400:
        # A 2xx that says success: false: no status class fits; the base class says so.
        cls = APIStatusError
    elif status >= 500:
        cls = ServerError
    else:
        cls = _STATUS_ERRORS.get(status, APIStatusError)
    if cls is RedirectError:
        location = headers.get("location", "nowhere")
        message = f"the server redirected to {location}; redirects are not followed"
    elif message is None:
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
        # Every v2 response carries RateLimit-Reset; only on a 429 is it an instruction to wait.
        retry_after = parse_retry_after(headers, now=now, use_reset=cls is RateLimitError,
                                        window=rate_limit_window)
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
    now: float | None = None,
    rate_limit_window: float = MAX_WINDOW,
) -> Envelope:
    """Turn a response into an `Envelope`, or raise the typed error it stands for.

    3xx/4xx/5xx raise by status; a 2xx that is not JSON raises `ResponseValidationError`
    (a proxy's HTML page, a truncated body); a 2xx with ``success: false`` raises like an
    error status. ``now`` and ``rate_limit_window`` as for `error_for_status`.
    """
    if status >= 300 or status < 200:
        raise error_for_status(
            status, headers, body, method=method, path=path, auth_endpoint=auth_endpoint,
            now=now, rate_limit_window=rate_limit_window,
        )
    if not body or body.isspace():  # as `not body.strip()`, without copying a large page
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
            status, headers, body, method=method, path=path, auth_endpoint=auth_endpoint,
            now=now, rate_limit_window=rate_limit_window,
        )
    return parse_envelope(decoded)


# -- rate-limit headers (REFERENCE §2.3): read in `quota_headers`, kept here for callers --

RateLimitInfo = RateLimit


def parse_rate_limit(
    headers: Mapping[str, str], *, now: float | None, prefer: str = "ratelimit-"
) -> RateLimit | None:
    """``RateLimit.from_headers`` under its former name."""
    return RateLimit.from_headers(headers, now=now, prefer=prefer)
