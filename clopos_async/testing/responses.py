"""JSON responses, the API error type handlers raise, and the middleware that renders errors."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

__all__ = [
    "DroppedResponse",
    "FakeApiError",
    "api_error",
    "drop_connection",
    "dumps",
    "error_middleware",
    "invalid_parameter",
    "is_dropped",
    "json_response",
    "read_json_object",
]

log = logging.getLogger("clopos_async.testing")


class FakeApiError(Exception):
    """Raised by handlers; ``error_middleware`` turns it into the JSON error response."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body.get("message"))
        self.status = status
        self.body = body


def api_error(status: int, error: str, message: str) -> FakeApiError:
    """Build the standard ``{"success": false, "error", "message"}`` error (REFERENCE §2.2)."""
    return FakeApiError(status, {"success": False, "error": error, "message": message})


def invalid_parameter(message: str) -> FakeApiError:
    """The documented 400 for a bad query parameter (REFERENCE §2.2: ``invalid_parameter``)."""
    return api_error(400, "invalid_parameter", message)


def dumps(body: Any) -> str:
    """Serialise ``body`` as compact JSON (non-ASCII kept as is, as a PHP backend sends it)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def json_response(
    body: Any,
    status: int = 200,
    *,
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """Answer with ``body`` as UTF-8 JSON (or with already serialised ``text``)."""
    payload = dumps(body) if text is None else text
    return web.Response(
        text=payload, status=status, content_type="application/json", headers=headers
    )


class DroppedResponse(web.Response):
    """The placeholder a handler returns once the connection is gone: nothing reaches the client.

    aiohttp's attempt to write it fails with a ConnectionError, which aiohttp swallows quietly;
    the counting middleware records it as status 0.
    """


def drop_connection(request: web.Request) -> DroppedResponse:
    """Abort the client's connection now, without a response, and return the placeholder.

    ``abort()`` (not ``close()``) so the client sees the connection die like a crashed proxy or
    a reset: ``ServerDisconnectedError``, or ``ClientOSError`` (ECONNRESET) when unread request
    bytes make the kernel send an RST.
    """
    transport = request.transport
    if transport is not None and not transport.is_closing():
        transport.abort()
    return DroppedResponse(status=499)  # never sent; 499 only makes it readable in a debugger


def is_dropped(response: web.StreamResponse) -> bool:
    """True for the placeholder of a request whose connection was aborted."""
    return isinstance(response, DroppedResponse)


async def read_json_object(request: web.Request) -> dict[str, Any]:
    """Return the request body as a JSON object, or raise the 400 a Laravel app would give."""
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        raise api_error(400, "validation_failed", "Malformed JSON request body") from None
    if not isinstance(body, dict):
        raise api_error(400, "validation_failed", "Request body must be a JSON object")
    return body


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Render every failure as a JSON envelope so clients never see aiohttp's HTML pages."""
    try:
        return await handler(request)
    except FakeApiError as exc:
        return json_response(exc.body, status=exc.status)
    except ConnectionError:
        # The client went away (e.g. it timed out during an injected slow fault) while the
        # handler read the body: nobody is left to answer, and it is not a server bug to log.
        return DroppedResponse(status=499)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        error = {404: "not_found", 405: "method_not_allowed"}.get(exc.status, "http_error")
        return json_response(
            {"success": False, "error": error, "message": exc.reason}, status=exc.status
        )
    except Exception:
        # The documented 500 shape; the traceback goes to the log for whoever runs the fake.
        log.exception("FakeClopos handler failed for %s %s", request.method, request.path)
        return json_response(
            {"success": False, "error": "server_error", "message": "Internal server error"},
            status=500,
        )
