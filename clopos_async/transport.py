"""The only module that talks HTTP: one aiohttp session, one attempt per `send`.

Everything above it (auth, retries, resources) deals in `Request` and `Response` values and
the SDK's own exceptions; aiohttp's exceptions never escape this module.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import aiohttp
import attrs
from yarl import URL

from ._version import __version__
from .errors import APIConnectionError, APITimeoutError
from .timeout import Timeout

__all__ = ["HttpTransport", "Request", "Response"]

USER_AGENT = f"clopos-async/{__version__}"


@attrs.frozen
class Request:
    """One HTTP request, before auth headers are added."""

    method: str
    path: str
    params: Sequence[tuple[str, str]] = ()
    body: bytes | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    timeout: Timeout | None = None  # None: the transport's default
    idempotency_key: str | None = None


@attrs.frozen
class Response:
    """What came back: status, headers (lower-case names) and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed: float


def _aiohttp_timeout(timeout: Timeout) -> aiohttp.ClientTimeout:
    """The one place the neutral `Timeout` becomes aiohttp's."""
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
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = _aiohttp_timeout(timeout)
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
        session = self._session_for_request()
        headers = dict(request.headers)
        if request.body is not None:
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        try:
            async with session.request(
                request.method,
                self._url(request),
                data=request.body,
                headers=headers,
                timeout=(
                    _aiohttp_timeout(request.timeout) if request.timeout else self.timeout
                ),
                allow_redirects=False,
            ) as response:
                body = await response.read()
                return Response(
                    status=response.status,
                    headers=_lowercase_headers(response.headers),
                    body=body,
                    elapsed=time.monotonic() - started,
                )
        except aiohttp.ConnectionTimeoutError as exc:
            raise _connection_error(APITimeoutError, "connecting timed out", request, exc,
                                    sent=False) from exc
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise _connection_error(APITimeoutError, "the request timed out", request, exc,
                                    sent=True) from exc
        except aiohttp.ClientConnectorError as exc:
            raise _connection_error(APIConnectionError, "could not connect", request, exc,
                                    sent=False) from exc
        except aiohttp.ClientError as exc:
            # Dropped or broken mid-request: the server may have seen the request.
            raise _connection_error(APIConnectionError, "the connection failed", request, exc,
                                    sent=True) from exc

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
    detail = type(exc).__name__
    return cls(
        f"{what} ({detail})", request_sent=sent, method=request.method, path=request.path
    )
