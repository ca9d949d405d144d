"""The typed `FakeClopos.credentials`: ``AsyncClopos(**fake.credentials)`` type-checks."""

from __future__ import annotations

from typing import TypedDict

__all__ = ["FakeCredentials"]


class _Always(TypedDict):
    client_id: str
    client_secret: str
    brand: str


class FakeCredentials(_Always, total=False):
    """Keyword arguments for ``AsyncClopos``: v2 has ``integrator_id``, v1 ``venue_id``.

    Example::

        async with AsyncClopos(**fake.credentials, base_url=fake.url) as clopos:
            ...
    """

    integrator_id: str
    venue_id: str
