"""The exception hierarchy: every failure the SDK raises is a `CloposError`.

```
CloposError
├── APIError
│   ├── APIStatusError            the server answered with an error (4xx/5xx, or success: false)
│   │   ├── BadRequestError         400
│   │   ├── AuthenticationError     401, and the auth endpoint's 200 with success: false
│   │   ├── PermissionDeniedError   403
│   │   ├── NotFoundError           404
│   │   ├── ConflictError           409
│   │   ├── UnprocessableEntityError 422 (every message the body lists is shown)
│   │   ├── RateLimitError          429 (.retry_after)
│   │   ├── RedirectError           3xx: never followed (it could take the token elsewhere)
│   │   └── ServerError             5xx
│   ├── APIConnectionError        no usable answer: refused, reset, DNS, ...
│   │   └── APITimeoutError
│   ├── ResponseTooLargeError     the body exceeded max_response_bytes (never retried)
│   └── ResponseValidationError   a 2xx body that is not JSON or cannot be structured
└── OutcomeUnknownError           a create whose result cannot be known (see the README)
```

Bad arguments raise `ValueError`/`TypeError` before anything is sent; they are not API errors.
Messages never contain tokens or secrets: they are built from the server's `error`/`message`
fields, the status code and the request path only. Server text is data: ``str(exc)`` shows it
with control characters escaped and its length bounded (`shown`); the raw text stays on the
exception (``message``, ``body``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .shown import shown

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CloposError",
    "ConflictError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "UnprocessableEntityError",
]


class CloposError(Exception):
    """Base class of every error this SDK raises."""


class APIError(CloposError):
    """A request to the Clopos API failed."""

    def __init__(self, message: str, *, method: str | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path

    def __str__(self) -> str:
        where = f" ({self.method} {shown(self.path, 200)})" if self.method and self.path else ""
        return f"{shown(self.message)}{where}"


class APIStatusError(APIError):
    """The server answered with an error status or an error envelope.

    `error_code` is the envelope's machine-readable `error` (for the list-shaped error of the
    live v1 API, the first item's `exception`); `message` the human-readable text; `details`
    the optional `details` object; `body` the decoded body (or the raw text when not JSON);
    `retry_after` the wait in seconds the server asked for (Retry-After; on a 429 also the
    rate-limit reset), if any.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_code: str | None = None,
        details: Any = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
        method: str | None = None,
        path: str | None = None,
    ):
        super().__init__(message, method=method, path=path)
        self.retry_after = retry_after
        self.status_code = status_code
        self.error_code = error_code
        self.details = details
        self.body = body
        self.headers: Mapping[str, str] = headers if headers is not None else {}

    def __str__(self) -> str:
        code = f" [{shown(self.error_code, 100)}]" if self.error_code else ""
        return f"HTTP {self.status_code}{code}: {super().__str__()}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code!r}, "
            f"error_code={self.error_code!r}, message={shown(self.message)!r})"
        )


class BadRequestError(APIStatusError):
    """400: missing or invalid parameters or body fields."""


class AuthenticationError(APIStatusError):
    """401, or the auth endpoint refusing credentials (400, 401, or 200 with success: false)."""


class PermissionDeniedError(APIStatusError):
    """403: the brand lacks a module (e.g. `call_center`) or the integrator lacks a scope."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist in the targeted brand and venue."""


class ConflictError(APIStatusError):
    """409: a duplicate unique field, or an Idempotency-Key reused with a different body."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but failed validation; every message is in ``str()``."""


class RedirectError(APIStatusError):
    """3xx: the API never redirects, so the answer is an error, not followed.

    Following it would send the token to wherever ``Location`` (``headers["location"]``)
    points; a moved ``base_url`` is a configuration change to make on purpose.
    """


class RateLimitError(APIStatusError):
    """429: a rate limit was exceeded; `retry_after` is the server's wait in seconds, if any."""


class ServerError(APIStatusError):
    """5xx: the gateway or the upstream POS API failed (504: upstream took over 8 s)."""


class APIConnectionError(APIError):
    """No HTTP answer was received: connection refused or reset, DNS failure, broken response.

    ``request_sent`` is False only when the connection was never established, i.e. when the
    server cannot have seen the request (the one case where replaying a create is safe).
    """

    def __init__(
        self,
        message: str,
        *,
        request_sent: bool = True,
        method: str | None = None,
        path: str | None = None,
    ):
        super().__init__(message, method=method, path=path)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """The request did not complete within its timeout."""


class ResponseTooLargeError(APIError):
    """The response body exceeded the client's ``max_response_bytes`` (decompressed).

    Not retried: the same request would bring the same body. ``prefix`` holds the first
    bytes only (at most `PREFIX_BYTES`), never the giant body.
    """

    PREFIX_BYTES = 1024

    def __init__(
        self,
        message: str,
        *,
        limit: int,
        status_code: int,
        prefix: bytes = b"",
        method: str | None = None,
        path: str | None = None,
    ):
        super().__init__(message, method=method, path=path)
        self.limit = limit
        self.status_code = status_code
        self.prefix = bytes(prefix[: self.PREFIX_BYTES])


class ResponseValidationError(APIError):
    """A 2xx response whose body is not JSON or does not have the documented shape.

    `body` holds the raw response text, so nothing the server said is lost.
    """

    def __init__(
        self,
        message: str,
        *,
        body: str,
        status_code: int,
        method: str | None = None,
        path: str | None = None,
    ):
        super().__init__(message, method=method, path=path)
        self.body = body
        self.status_code = status_code


class OutcomeUnknownError(CloposError):
    """A write may or may not have reached the server; retrying blindly could duplicate it.

    Reconcile with `idempotency_key` (resend with the same key on v1) or by listing recent
    orders. `reconcile_with` holds what identifies the write for checking it by hand (a
    receipt's ``id`` and the payments a close sent, a create's ``cid``). `__cause__` holds
    the failure that made the outcome unknown.
    """

    def __init__(self, message: str, *, idempotency_key: str = "",
                 reconcile_with: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.idempotency_key = idempotency_key
        self.reconcile_with: Mapping[str, Any] = dict(reconcile_with or {})
