"""Reprs people read in logs and debuggers: short, telling, secret-free (issue 13 item 14)."""

from __future__ import annotations

from clopos_async import RetryPolicy
from clopos_async.testing import FakeClopos

from .conftest import client_for


async def test_an_order_repr_shows_the_key_fields_only() -> None:
    async with FakeClopos(orders=3) as fake, client_for(fake) as clopos:
        order = await clopos.orders.get(2)
    shown = repr(order)
    assert shown.startswith("<Order id=2 status=") and f"venue_id={order.venue_id}" in shown
    assert len(shown) < 200
    customer = order.payload.customer if order.payload else None
    assert customer is not None and customer.name and customer.name not in shown


async def test_a_with_options_view_says_it_is_one() -> None:
    async with FakeClopos(orders=1) as fake, client_for(fake) as clopos:
        view = clopos.with_options(retry=RetryPolicy.never(), timeout=5)
        assert "view(" not in repr(clopos)
        assert repr(view) != repr(clopos)
        assert "view(retry=RetryPolicy(max_retries=0" in repr(view) and "timeout=5" in repr(view)
        assert fake.config.client_secret not in repr(view)
