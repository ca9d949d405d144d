"""Where requests may go: checks on ``base_url``, request paths and path segments.

The token is sent to ``base_url`` + path, so both decide who receives it. A path that does
not start with ``/`` changes the host (``"@evil:9999/x"``), a dot segment walks out of the
API prefix, userinfo in ``base_url`` would be sent as ``Authorization: Basic`` and shown in
``repr(client)``. Pure functions, so `ClientConfig` and the resources call the same rules;
every check raises ``ValueError`` naming the parameter and what is allowed, before anything
is sent.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, unquote, urlsplit

__all__ = [
    "check_base_url",
    "check_request_path",
    "is_plain_http_to_another_host",
    "path_segment",
]

def check_base_url(base_url: object) -> str:
    """``base_url`` without a trailing slash, or ``ValueError`` saying what is wrong.

    Allowed: ``http(s)://host[:port][/prefix]``; no credentials, query or fragment.
    """
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must be an http(s) URL, got {_safe(base_url)!r}")
    try:
        parts = urlsplit(base_url)
        port = parts.port  # a port that is not a number raises here
    except ValueError:
        raise ValueError(f"base_url is not a valid URL: {_safe(base_url)!r}") from None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError(
            "base_url must not contain credentials (user:password@); the API authenticates "
            f"with client_id/client_secret or token=, got {_safe(base_url)!r}"
        )
    if not parts.hostname:
        raise ValueError(f"base_url must name a host, got {base_url!r}")
    if parts.query or parts.fragment or base_url.endswith(("?", "#")):
        raise ValueError(f"base_url must not have a query or fragment, got {base_url!r}")
    if any(char.isspace() or not char.isprintable() for char in base_url):
        raise ValueError(f"base_url must not contain spaces or control characters, "
                         f"got {base_url!r}")
    del port
    return base_url.rstrip("/")


def is_plain_http_to_another_host(base_url: str) -> bool:
    """Whether the token would cross the network unencrypted (http:// to a non-loopback host)."""
    parts = urlsplit(base_url)
    if parts.scheme != "http":
        return False
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name: it may resolve anywhere


_REFUSED_IN_PATH = frozenset("?#\\ ")


def check_request_path(path: object) -> str:
    """A request path relative to ``base_url``: starts with one ``/``, no dot segments.

    No authority (``//host``), no query or fragment (pass ``params=``), no backslashes,
    whitespace or control characters; ``.`` and ``..`` are refused also percent-encoded.
    """
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"path must start with a single '/' (relative to base_url), "
                         f"got {path!r}")
    # str.isprintable() refuses every whitespace character but the space, so these two C
    # scans say what a per-character loop would, at a fraction of its cost per request.
    if not path.isprintable() or not _REFUSED_IN_PATH.isdisjoint(path):
        raise ValueError("path must not contain '?', '#', '\\\\', whitespace or control "
                         f"characters (pass query parameters as params=), got {path!r}")
    if "." not in path and "%" not in path:
        return path  # no segment can be (or decode to) "." or ".."
    for segment in path.split("/"):
        if unquote(segment) in (".", ".."):
            raise ValueError(f"path must not contain '.' or '..' segments, got {path!r}")
    return path


def path_segment(value: str | int, *, name: str) -> str:
    """``value`` quoted as one path segment (e.g. an id); ``.`` and ``..`` are refused.

    A quoted ``"../x"`` stays one segment (``..%2Fx``); a bare ``.`` or ``..`` would not.
    """
    text = str(value)
    if not text.strip() or text in (".", ".."):
        raise ValueError(f"{name} must be a non-empty id other than '.' or '..', got {text!r}")
    return quote(text, safe="")


def _safe(url: object) -> object:
    """The URL with any ``user:password@`` removed, for error messages."""
    if not isinstance(url, str) or "@" not in url:
        return url
    scheme, sep, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    return f"{scheme}{sep}***@{authority.rpartition('@')[2]}{slash}{tail}"
