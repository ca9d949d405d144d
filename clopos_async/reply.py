"""What one call got back: the decoded envelope with its HTTP response, and a typed view.

`Reply` is what ``clopos.request()`` returns; `APIResponse` is what the
``with_raw_response`` variants return: the typed result of that one call together with its
status, headers and raw JSON (openai-python's pattern). Both belong to one call, so
concurrent calls never see each other's replies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from .transport import Response
from .wire import Envelope, RateLimitInfo

__all__ = ["APIResponse", "Reply"]

T = TypeVar("T")


@attrs.frozen
class Reply:
    """A decoded success envelope together with the HTTP response it came from."""

    envelope: Envelope
    response: Response
    method: str
    path: str
    rate_limit: RateLimitInfo | None = None


@attrs.frozen
class APIResponse(Generic[T]):
    """The typed result of one call plus the raw reply it was built from.

    Example::

        raw = await clopos.orders.with_raw_response.get(108)
        print(raw.status_code, raw.headers.get("ratelimit-remaining"), raw.json)
        order = raw.parsed
    """

    parsed: T
    reply: Reply = attrs.field(repr=False)

    def parse(self) -> T:
        """The typed result (openai-python spells it this way)."""
        return self.parsed

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.reply.response.status

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers, lower-case names."""
        return self.reply.response.headers

    @property
    def json(self) -> Any:
        """The whole decoded body, envelope included, exactly as the server sent it."""
        return self.reply.envelope.raw

    @property
    def data(self) -> Any:
        """The envelope's ``data`` (the resource as sent, before typing)."""
        return self.reply.envelope.data

    @property
    def content(self) -> bytes:
        """The raw body bytes."""
        return self.reply.response.body

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """What this response said about the quota."""
        return self.reply.rate_limit
