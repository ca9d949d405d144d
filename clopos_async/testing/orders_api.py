"""The four orders routes (list, get, create, ignore) for one API version (REFERENCE §3)."""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from .auth import current_auth
from .config import ApiRules, FakeConfig
from .counters import FakeCounters
from .creation import build_v1_order, build_v2_order
from .listing import SORT_FIELDS, SelectionCache, parse_list_query, parse_relations, render_order
from .php_query import parse_php_query
from .responses import FakeApiError, api_error, dumps, json_response, read_json_object
from .store import IdempotencyCache, OrderStore, StoredResponse
from .timestamps import envelope_now

__all__ = ["OrdersApi"]

Order = dict[str, Any]


class OrdersApi:
    """Handlers for one version; v1 and v2 each get an instance sharing the same store."""

    def __init__(
        self,
        rules: ApiRules,
        config: FakeConfig,
        store: OrderStore,
        counters: FakeCounters,
        idempotency: IdempotencyCache,
        cache: SelectionCache,
    ) -> None:
        self.rules = rules
        self._v1 = rules.version == "v1"
        self._config = config
        self._store = store
        self._counters = counters
        self._idempotency = idempotency
        self._cache = cache

    async def list_orders(self, request: web.Request) -> web.Response:
        """``GET …/orders``: validated filters, a page of orders, the version's envelope."""
        started = time.perf_counter()
        query = parse_list_query(parse_php_query(request.query.items()), self.rules)
        rows = self._cache.select(self._store, query, current_auth().venue)
        start = (query.page - 1) * query.limit
        relations = dict(query.relations)
        data = [render_order(o, relations) for o in rows[start : start + query.limit]]
        total = len(rows)
        if self._v1:
            pagination = {
                "page": query.page,
                "per_page": query.limit,
                "total": total,
                # Laravel's last_page is never below 1, even for an empty result.
                "total_pages": max(1, -(-total // query.limit)),  # integers: no float rounding
            }
            return json_response({"success": True, "data": data, "pagination": pagination})
        stamp, unix = envelope_now()
        return json_response(
            {
                "success": True,
                "data": data,
                "total": total,
                "time": int((time.perf_counter() - started) * 1000),
                "timestamp": stamp,
                "unix": unix,
                "sorts": list(SORT_FIELDS),
            }
        )

    async def get_order(self, request: web.Request) -> web.Response:
        """``GET …/orders/{id}``, with the optional ``receipt:columns`` embed."""
        order = self._find(request)
        relations = parse_relations(parse_php_query(request.query.items()).get("with"))
        return json_response({"success": True, "data": render_order(order, relations)})

    async def create_order(self, request: web.Request) -> web.Response:
        """``POST …/orders`` with Idempotency-Key replay (same body) and conflict (other body)."""
        body = await read_json_object(request)
        key = request.headers.get("Idempotency-Key", "").strip()
        fingerprint = f"{request.path}\n{json.dumps(body, sort_keys=True)}"
        if key:
            seen = self._idempotency.get(key)
            if seen is not None:
                if seen.fingerprint != fingerprint:
                    # Docs are silent; 409 mirrors the documented duplicate-cid rule and Stripe.
                    raise api_error(
                        409,
                        "idempotency_key_reused",
                        "Idempotency-Key was already used with a different request body",
                    )
                self._counters.duplicates_prevented += 1
                return json_response(None, seen.status, text=seen.text)

        venue = _venue_value(current_auth().venue)
        build = build_v1_order if self._v1 else build_v2_order
        order = self._store.add(build(body, self._store.new_id, venue, time.time()))
        self._counters.orders_created += 1

        if self._v1:
            envelope: dict[str, Any] = {"success": True, "data": render_order(order, {})}
        else:
            data: dict[str, Any]
            if self._config.create_response_shape == "B":
                # The OAS shape (REFERENCE §3.6 B): the new id is only in data.payload.id.
                stamps = {k: order[k] for k in ("updated_at", "created_at", "id", "venue_id")}
                data = {"status": order["status"], "payload": stamps}
            else:
                data = render_order(order, {}, with_payload=False)
            envelope = {"success": True, "message": "Order created", "data": data}
        text = dumps(envelope)
        if key:
            self._idempotency.put(key, StoredResponse(fingerprint, 201, text))
        return json_response(None, 201, text=text)

    async def update_order(self, request: web.Request) -> web.Response:
        """``PUT …/orders/{id}``: only ``{"status": "IGNORE"}`` is allowed (REFERENCE §3.7)."""
        order = self._find(request)  # route-model binding runs before validation in Laravel
        body = await read_json_object(request)
        if body != {"status": "IGNORE"}:
            raise api_error(400, "validation_failed", "Status is not allowed")
        self._store.set_status(order, "IGNORE")
        shape = self._config.ignore_response_shape or ("minimal" if self._v1 else "order")
        if shape == "order":
            return json_response(
                {"success": True, "data": render_order(order, {}, with_payload=False)}
            )
        stamp, unix = envelope_now()
        return json_response(
            {
                "success": True,
                "data": {"id": order["id"], "status": order["status"]},
                "timestamp": stamp,
                "unix": unix,
            }
        )

    def _find(self, request: web.Request) -> Order:
        order_id = request.match_info["order_id"]
        order = self._store.get(order_id)
        venue = current_auth().venue
        if order is not None and (venue is None or str(order.get("venue_id")) == venue):
            return order
        raise self._not_found(order_id)

    def _not_found(self, order_id: str) -> FakeApiError:
        if not self._v1:
            return api_error(404, "resource_not_found", "Order not found")
        # v1's Laravel exception shape, as seen live by PEER-PY (REFERENCE §2.2).
        message = (
            f"No query results for model [App\\Models\\Client\\ServiceNotification] {order_id}"
        )
        return FakeApiError(
            404,
            {
                "success": False,
                "error": [
                    {
                        "message": message,
                        "type": "server_side",
                        "exception": "NotFoundHttpException",
                        "http_code": 404,
                    }
                ],
                "message": message,
            },
        )


def _venue_value(header: str | None) -> int | str | None:
    """``x-venue`` as the stored venue id: an int when numeric, like the seeded data."""
    if header is None:
        return None
    return int(header) if header.isdigit() else header
