"""SDK argument errors in the command line's words: ``--max must be >= 1``, not ``max_items``.

The SDK checks every argument before sending anything and names its Python parameter; the
user typed a flag. Only messages of argument errors (ValueError, TypeError) are rewritten.
"""

from __future__ import annotations

import re

__all__ = ["FLAG_FOR_PARAMETER", "in_flag_terms"]

# Python parameter -> the flag (or argument) that sets it.
FLAG_FOR_PARAMETER: dict[str, str] = {
    "RetryPolicy.max_retries": "--retries",
    "max_items": "--max",
    "date_from": "--from",
    "date_to": "--to",
    "with_": "--with",
    "filters": "--filter",
    "base_url": "--base-url",
    "api_version": "--api-version",
    "client_id": "--client-id",
    "client_secret": "--client-secret",
    "integrator_id": "--integrator-id",
    "venue_id": "--venue-id",
    "idempotency_key": "--idempotency-key",
    "order_id": "ID",
    "token_ttl": "--token-ttl",
    "limit": "--limit",
    "status": "--status",
    "sort": "--sort",
    "concurrency": "--concurrency",
    "timeout": "--timeout",
    "latency": "--latency",
}

# A parameter with an underscore or a dot cannot be an ordinary word, so it is replaced
# anywhere; a plain word ("limit", "status") only where the message starts with it.
_COMPOUND = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(name) for name in FLAG_FOR_PARAMETER if "_" in name or "." in name)
    + r")(?!\w)"
)
_LEADING = re.compile(
    r"^("
    + "|".join(re.escape(name) for name in FLAG_FOR_PARAMETER if name.isalpha())
    + r")(?=\W)"
)


def in_flag_terms(message: str) -> str:
    """``message`` with the SDK's parameter names replaced by the flags that set them."""
    message = _LEADING.sub(lambda match: FLAG_FOR_PARAMETER[match[1]], message)
    return _COMPOUND.sub(lambda match: FLAG_FOR_PARAMETER[match[1]], message)
