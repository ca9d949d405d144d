"""Issue 9 item 2: the raw reply of one call (with_raw_response) and of one page (Page.reply)."""

from __future__ import annotations

import asyncio

import pytest

from clopos_async import APIResponse, AsyncClopos
from clopos_async.testing import FakeClopos

from .test_orders import new_order


async def test_with_raw_response_get_is_this_calls_reply(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    raw = await clopos.orders.with_raw_response.get(2)
    assert isinstance(raw, APIResponse)
    assert raw.parsed.id == 2 and raw.status_code == 200
    assert raw.data["id"] == 2 and raw.json["data"]["id"] == 2
    assert raw.content.startswith(b"{")


async def test_concurrent_calls_each_keep_their_own_reply(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    raws = await asyncio.gather(*(clopos.orders.with_raw_response.get(i) for i in range(1, 9)))
    assert [raw.data["id"] for raw in raws] == list(range(1, 9))
    assert [raw.parsed.id for raw in raws] == list(range(1, 9))


async def test_each_page_carries_its_own_reply_under_concurrency(
    clopos: AsyncClopos, fake: FakeClopos
) -> None:
    pages = [page async for page in clopos.orders.list(limit=10, concurrency=4, sort="id")
             .pages()]
    assert len(pages) == 12
    for page in pages:
        assert page.reply is not None and page.reply.response.status == 200
        sent = page.reply.envelope.data
        assert [item["id"] for item in sent] == [order.id for order in page.items]
    # The old last_response, by contrast, is stuck on what the caller's task saw.
    with pytest.warns(DeprecationWarning):
        last = clopos.last_response
    assert last is None or last.envelope.data != pages[-1].reply.envelope.data


async def test_raw_create_and_ignore(clopos: AsyncClopos, fake: FakeClopos) -> None:
    created = await clopos.orders.with_raw_response.create(new_order(), idempotency_key="raw-1")
    assert created.status_code == 201 and created.parsed.id is not None
    assert created.data["id"] == created.parsed.id
    ignored = await clopos.orders.with_raw_response.ignore(created.parsed.id)
    assert ignored.status_code == 200 and ignored.parsed.status == "IGNORE"
