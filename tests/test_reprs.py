"""Reprs people read in logs and debuggers: short, telling, secret-free (issue 13 item 14)."""

from __future__ import annotations

from typing import Any

import pytest

from clopos_async import CloposError, NotInVersionError, RetryPolicy
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


async def test_the_new_resources_models_and_errors_never_show_a_secret(api_version: str) -> None:
    # Every 0.2.0 resource object, one model of each, and an error from each kind of call:
    # neither the client secret nor the token (a client made with it) shows in repr or str.
    async with FakeClopos(api_version=api_version, client_secret="s3cr3t-of-the-brand") as fake:
        secrets = (fake.config.client_secret, fake.issue_token())
        shown: list[object] = []
        async with client_for(fake) as by_secret, client_for(
                fake, client_id=None, client_secret=None, token=secrets[1]) as by_token:
            for clopos in (by_secret, by_token):
                resources: list[Any] = [clopos.products, clopos.categories, clopos.stations,
                             clopos.venues, clopos.users, clopos.payment_methods,
                             clopos.customer_groups, clopos.receipts, clopos.customers,
                             clopos.price_lists]  # fmt: skip
                shown += [clopos, *resources, clopos.products.with_raw_response,
                          clopos.receipts.with_raw_response]
                for resource in resources:
                    if resource is clopos.price_lists and api_version == "v1":
                        with pytest.raises(NotInVersionError) as not_here:
                            await resource.list_page(limit=1)
                        shown.append(not_here.value)
                        continue
                    page = await resource.list_page(limit=1)
                    shown += [page, *page.items]
                    if resource.spec.gettable:
                        with pytest.raises(CloposError) as caught:
                            await resource.get("no-such-id")
                        shown.append(caught.value)
                shown += await clopos.products.stop_list()
                with pytest.raises(CloposError) as bad:
                    await clopos.request("GET", "/no-such-path")
                shown.append(bad.value)
    assert len(shown) > 40
    for thing in shown:
        text = repr(thing) + str(thing)
        assert not any(secret in text for secret in secrets), type(thing)
