"""The only module that talks HTTP: one aiohttp session, one attempt per `send`.

Everything above it (auth, retries, resources) deals in `Request` and `Response` values and
the SDK's own exceptions; aiohttp's exceptions never escape this module, not even as the
``__cause__`` or ``__context__`` of ours: they carry the request's headers (the token).
Bodies are read up to ``max_response_bytes`` (counted after decompression, so a gzip bomb
stops there too).
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import aiohttp
import attrs
from yarl import URL

from ._version import __version__
from .errors import APIConnectionError, APITimeoutError, ResponseTooLargeError
from .shown import shown
from .timeout import Timeout

__all__ = ["HttpTransport", "Request", "Response"]

USER_AGENT = f"clopos-async/{__version__}"
_CHUNK = 64 * 1024
# Headers whose values are secrets: never shown in a repr.
_SECRET_HEADERS = frozenset({"x-token", "authorization", "cookie", "proxy-authorization"})


def _redacted_headers(headers: Mapping[str, str]) -> str:
    return repr({name: "***" if name.lower() in _SECRET_HEADERS else value
                 for name, value in headers.items()})


def _body_size(body: bytes | None) -> str:
    # The auth request's body holds the client secret; a body is shown by its size only.
    return "None" if body is None else f"<{len(body)} bytes>"


@attrs.frozen
class Request:
    """One HTTP request, before auth headers are added."""

    method: str
    path: str
    params: Sequence[tuple[str, str]] = ()
    body: bytes | None = attrs.field(default=None, repr=_body_size)
    headers: Mapping[str, str] = attrs.field(factory=dict, repr=_redacted_headers)
    timeout: Timeout | None = None  # None: the transport's default
    idempotency_key: str | None = None


@attrs.frozen
class Response:
    """What came back: status, headers (lower-case names) and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed: float


@functools.lru_cache(maxsize=32)
def _aiohttp_timeout(timeout: Timeout) -> aiohttp.ClientTimeout:
    """The one place the neutral `Timeout` becomes aiohttp's (both frozen: made once each)."""
    return aiohttp.ClientTimeout(total=timeout.total, connect=timeout.connect)


def _lowercase_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


class HttpTransport:
    """Send requests over one aiohttp session, created lazily inside the running loop.

    A session passed in is the caller's: it is used as is and never closed here.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: Timeout,
        session: aiohttp.ClientSession | None = None,
        max_response_bytes: int,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = _aiohttp_timeout(timeout)
        self.max_response_bytes = max_response_bytes
        self._session = session
        self._owns_session = session is None
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether `aclose` was called."""
        return self._closed

    def _session_for_request(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("the client is closed; create a new AsyncClopos")
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            )
        return self._session

    def _url(self, request: Request) -> URL:
        # Encoded here, as the docs do (':' as %3A, ',' as %2C in the receipt selector);
        # yarl would leave those characters bare. Paths arrive already quoted.
        url = self.base_url + request.path
        if request.params:
            url += "?" + urlencode(list(request.params))
        return URL(url, encoded=True)

    async def send(self, request: Request) -> Response:
        """Perform one attempt; connection failures become `APIConnectionError`."""
        try:
            return await self._send(request)
        except aiohttp.ConnectionTimeoutError as exc:
            failure = _connection_error(APITimeoutError, "connecting timed out", request, exc,
                                        sent=False)
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            failure = _connection_error(APITimeoutError, "the request timed out", request, exc,
                                        sent=True)
        except aiohttp.ClientConnectorError as exc:
            failure = _connection_error(APIConnectionError, "could not connect", request, exc,
                                        sent=False)
        except aiohttp.ClientError as exc:
            # Dropped or broken mid-request: the server may have seen the request.
            failure = _connection_error(APIConnectionError, "the connection failed", request,
                                        exc, sent=True)
        # Raised outside the handlers, so aiohttp's exception is neither cause nor context;
        # Python 3.10 still chains it as the context here, hence the explicit unlinking.
        try:
            raise failure
        finally:
            failure.__context__ = None

    async def _send(self, request: Request) -> Response:
        session = self._session_for_request()
        headers = request.headers
        if request.body is not None:
            headers = {**headers, "Content-Type": "application/json"}
        started = time.monotonic()
        async with session.request(
            request.method,
            self._url(request),
            data=request.body,
            headers=headers,
            timeout=_aiohttp_timeout(request.timeout) if request.timeout else self.timeout,
            allow_redirects=False,
        ) as response:
            body = await self._read_capped(response, request)
            return Response(
                status=response.status,
                headers=_lowercase_headers(response.headers),
                body=body,
                elapsed=time.monotonic() - started,
            )

    async def _read_capped(self, response: aiohttp.ClientResponse, request: Request) -> bytes:
        """The body, decompressed, or `ResponseTooLargeError` once it passes the cap.

        Read in chunks and counted as it arrives, so neither a huge body nor a gzip bomb is
        ever held whole; leaving early closes the connection instead of draining it.
        """
        limit = self.max_response_bytes
        declared = response.content_length
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        if declared is not None and not encoded:
            # aiohttp reads exactly Content-Length bytes of a plain body: checked up front.
            if declared > limit:
                raise _too_large(response, request, limit, b"")
            return await response.read()
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_large(response, request, limit, chunks[0] if chunks else chunk)
            chunks.append(chunk)
        return b"".join(chunks)

    async def aclose(self) -> None:
        """Close the session if this transport created it."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()


def _connection_error(
    cls: type[APIConnectionError],
    what: str,
    request: Request,
    exc: BaseException,
    *,
    sent: bool,
) -> APIConnectionError:
    # The type and text only: aiohttp's exception itself holds the request headers.
    detail = f"{type(exc).__name__}: {shown(str(exc), 200)}" if str(exc) else type(exc).__name__
    return cls(
        f"{what} ({detail})", request_sent=sent, method=request.method, path=request.path
    )


def _too_large(
    response: aiohttp.ClientResponse, request: Request, limit: int, prefix: bytes
) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the response body exceeds max_response_bytes={limit} (HTTP {response.status}); "
        "not read further",
        limit=limit,
        status_code=response.status,
        prefix=prefix,
        method=request.method,
        path=request.path,
    )
