"""Test against a real server: FakeClopos implements the documented Clopos orders API.

Example:
    >>> from clopos_async.testing import FakeClopos
    >>> async def test_lists_orders() -> None:
    ...     async with FakeClopos(orders=25, api_version="v2") as fake:
    ...         ...  # point the client at fake.url with fake.credentials

This package uses only the standard library and aiohttp; it does not import the SDK client.
"""

from __future__ import annotations

from .counters import FakeCounters
from .credentials import FakeCredentials
from .data import DEFAULT_NOW, make_order, make_orders, spoil_order
from .faults import FAULT_KINDS, FaultPlan
from .php_query import parse_php_query, parse_php_query_string
from .quota import Quota
from .server import FakeClopos

__all__ = [
    "DEFAULT_NOW",
    "FAULT_KINDS",
    "FakeClopos",
    "FakeCounters",
    "FakeCredentials",
    "FaultPlan",
    "Quota",
    "make_order",
    "make_orders",
    "parse_php_query",
    "parse_php_query_string",
    "spoil_order",
]
