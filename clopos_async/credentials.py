"""`Credentials`: what the auth endpoint takes, as a pure core value (no I/O, no auth logic).

It lives below `auth.py` so that the version profile (which builds the auth body) and the
token manager can both use it without the pure core importing the auth layer.
"""

from __future__ import annotations

import attrs

__all__ = ["Credentials", "redacted"]


def redacted(value: object) -> str:
    """A repr that shows whether a secret is set, never the secret itself."""
    return "'***'" if value else repr(value)


@attrs.frozen
class Credentials:
    """What the auth endpoint takes. The secret never appears in repr."""

    client_id: str
    client_secret: str = attrs.field(repr=redacted)
    brand: str
    integrator_id: str | None = None
    venue_id: str | None = None
