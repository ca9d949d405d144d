"""Exit codes, and the one error line the command line prints for each failure."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from .. import (
    APIConnectionError,
    AuthenticationError,
    CloposError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
)
from ..shown import shown

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_AUTH",
    "EXIT_CODES_HELP",
    "EXIT_INTERRUPTED",
    "EXIT_NETWORK",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_OUTCOME_UNKNOWN",
    "EXIT_PIPE_CLOSED",
    "EXIT_RATE_LIMITED",
    "EXIT_USAGE",
    "UsageError",
    "describe",
    "exit_code_for",
]

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2  # argparse's own code, reused for argument checks of the SDK
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_RATE_LIMITED = 5
EXIT_NETWORK = 6
EXIT_OUTCOME_UNKNOWN = 7
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, e.g. `... | head` stopped reading

EXIT_CODES_HELP = """\
exit codes:
  0    success
  1    other API error (server error, unexpected response, file error, ...)
  2    usage error: bad flags or arguments, missing credentials, bad --file
  3    authentication failed or permission denied
  4    not found
  5    rate limited (after the retries)
  6    network error or timeout (after the retries)
  7    outcome unknown: a create may or may not have happened (reconcile with its key)
  130  interrupted (Ctrl-C)
  141  the output pipe was closed early (e.g. `| head`)
  143  terminated (SIGTERM: kill, timeout, docker stop); no partial file is left"""


class UsageError(Exception):
    """A problem with what the user asked for, found by the command line itself (exit 2)."""


def exit_code_for(exc: BaseException) -> int:
    """The documented exit code of a failure."""
    # Order matters where classes nest: PermissionDenied/NotFound/RateLimit are status errors.
    if isinstance(exc, (AuthenticationError, PermissionDeniedError)):
        return EXIT_AUTH
    if isinstance(exc, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(exc, RateLimitError):
        return EXIT_RATE_LIMITED
    if isinstance(exc, APIConnectionError):
        return EXIT_NETWORK
    if isinstance(exc, OutcomeUnknownError):
        return EXIT_OUTCOME_UNKNOWN
    if isinstance(exc, (UsageError, ValueError, TypeError)):
        # The SDK checks arguments (status, limit, dates, credentials) before sending anything
        # and raises ValueError/TypeError: for a command line, that is a usage error.
        return EXIT_USAGE
    return EXIT_API_ERROR


def _shown_url(url: str) -> str:
    # A URL may carry user:password@; the error line must not.
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return urlunsplit(parts._replace(netloc=netloc))


def describe(exc: BaseException, *, base_url: str | None = None) -> str:
    """The text after ``error:``, on one line, control characters escaped, length bounded.

    SDK messages are secret-free by design, but may quote the server (data, not text to
    print raw). ``base_url``, when known, is named in network errors (a wrong URL is their
    usual cause).
    """
    return shown(_describe(exc, base_url=base_url))


def _describe(exc: BaseException, *, base_url: str | None) -> str:
    if isinstance(exc, APIConnectionError) and base_url:
        return f"{exc} (base URL {_shown_url(base_url)})"
    if isinstance(exc, OutcomeUnknownError):
        key = exc.idempotency_key
        text = str(exc)
        return text if key and key in text else f"{text} (idempotency key: {key!r})"
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        return f"rate limited: {exc}; the server asked to wait {exc.retry_after:g}s"
    if isinstance(exc, CloposError):
        return str(exc)
    if isinstance(exc, (UsageError, ValueError, TypeError)):
        return str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        # "Permission denied: out/orders.csv" rather than "[Errno 13] Permission denied: ..."
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return f"{type(exc).__name__}: {exc} (run with --debug for the traceback)"
