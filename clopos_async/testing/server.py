"""FakeClopos: the documented Clopos orders API (v1 and v2) served on loopback by aiohttp.web.

Both versions' routes are served at once, under one base URL::

    POST {url}/auth          v1 auth           POST {url}/v2/auth          v2 auth
    GET  {url}/orders        v1 list           GET  {url}/v2/orders        v2 list
    GET  {url}/orders/{id}   v1 get            GET  {url}/v2/orders/{id}   v2 get
    POST {url}/orders        v1 create         POST {url}/v2/orders        v2 create
    PUT  {url}/orders/{id}   v1 ignore         PUT  {url}/v2/orders/{id}   v2 ignore
    GET  {url}/sale-types    v1 sale types     GET  {url}/v2/sale-types    v2 sale types
                             (a bare JSON array)                            (paginated)
    GET/POST {url}/receipts, GET/PUT/PATCH/DELETE {url}/receipts/{id}      v1 receipts
    GET {url}/v2/receipts, GET/PATCH {url}/v2/receipts/{id}, POST …/{id}/close,
    GET …/{id}/stock-operations, GET {url}/v2/receipts/cid/{cid}           v2 receipts
    GET/POST {url}[/v2]/customers, GET {url}[/v2]/customers/{id}           customers

Receipts and customers are seeded from the orders the first time they are read (see
``sales_data``); ``close_receipt()``/``add_receipt()`` play the POS while a client runs.
    GET  {url}[/v2]/products, products/{id}, products/stop-list, categories,
         categories/{id}, stations, stations/{id}: the seeded catalogue (``testing.catalogue``)

``api_version`` only picks which credentials ``credentials`` shows, the default version of
``issue_token()``, and the flavour of the generated orders (v1: mostly ``Y-m-d H:i:s``
timestamps, ``receive_*`` fields, ``orderTotal`` strings). Tokens only work on routes of the
version they were issued for.

Choices where the docs are silent (the SDK must not depend on them):

- ``x-venue`` scopes v2 (lists, get, ignore; new orders go to that venue). On v1 it is required
  but does not filter, so one data set looks the same through both versions.
- v1 status filters map ``pending/confirmed/completed/cancelled`` to
  ``PENDING/RECEIVED/DELIVERED/IGNORE``; stored orders always use the v2 words.
- Creates answer 201 on both versions. ``Idempotency-Key``: same key and body (and path) replays
  the first response verbatim; another body is 409 ``idempotency_key_reused``. Only successful
  creates are remembered, in a bounded per-server store.
- PUT accepts exactly ``{"status": "IGNORE"}`` from any current status.
- A whole-second ``token_ttl`` ends on a whole second (``exp = ceil(now + ttl)``, as a real
  ``exp`` claim does), so ``expires_at`` is exactly what is enforced. A fractional one is
  enforced exactly and announced rounded down, never promising more than is kept.

Unreliability, off by default and replaceable at runtime (``fake.faults = …``, ``fake.quota = …``,
``None`` switches it off; a new value starts afresh):

- ``faults=FaultPlan(...)``: seeded 5xx, connection resets, slow answers, HTML and truncated
  bodies, with "after the handler ran" variants for ambiguous writes (see ``faults.py``).
- ``quota=Quota(limit, window)``: a sliding-window limit per token tenant (v2: brand and
  integrator, v1: brand and venue) on the authenticated routes, with the version's limit headers
  on every answer from after authentication (errors and 429s included) and ``Retry-After`` on 429s
  (see ``quota.py``). 401s from auth itself and injected faults carry no limit headers.
- ``auth_quota=Quota(60, 60.0)``: the same per client IP on the two /auth routes (tier 1).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Literal

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .auth import AuthApi, TokenRegistry, auth_middleware
from .catalogue import make_categories, make_products, make_stations, make_stop_list
from .catalogue_api import PRODUCT_GET_RELATIONS, PRODUCT_RELATIONS, Catalogue
from .config import V1_RULES, V2_RULES, ApiVersion, FakeConfig
from .counters import FakeCounters, counting_middleware
from .credentials import FakeCredentials
from .data import make_order, make_orders
from .faults import FaultInjector, FaultPlan
from .listing import SelectionCache
from .orders_api import OrdersApi
from .quota import Quota, QuotaGate, auth_ip_key, tenant_key
from .reference_api import ReferenceApi, ReferenceRules, Shape, embed, filter_and_sort
from .reference_data import (
    PRICE_LIST_SORTS,
    catalog_product,
    make_customer_groups,
    make_payment_methods,
    make_price_lists,
    make_prices,
    make_sale_types,
    make_users,
    make_venues,
)
from .responses import error_middleware
from .sales_api import CustomersApi, ReceiptsApi, SalesStore
from .store import IdempotencyCache, OrderStore

__all__ = ["FakeClopos"]

_VERSIONS: tuple[ApiVersion, ...] = ("v1", "v2")


class FakeClopos:
    """A real HTTP server implementing the Clopos orders API, for tests and benchmarks.

    Example:
        >>> async def demo() -> None:
        ...     async with FakeClopos(orders=10) as fake:
        ...         print(fake.url)  # pass as base_url, with fake.credentials

    Keywords beyond the data and credentials: ``latency`` (seconds added to every answer),
    ``middlewares`` (extra aiohttp middlewares, after fault injection and before auth),
    ``faults`` (a ``FaultPlan``), ``quota`` (a ``Quota`` per token tenant) and ``auth_quota``
    (a ``Quota`` per client IP on /auth); ``unstructurable`` (a share of the generated orders
    spoiled so that the models cannot type them, see ``testing.data.spoil_order``).

    The seeded catalogue (products, stop list, categories, stations; ``testing.catalogue``)
    is ``fake.catalogue``, the same for both versions; ``set_stop_limit`` changes the stop
    list as the POS would.

    Example:
        >>> flaky = FakeClopos(faults=FaultPlan.mixed(0.3, seed=7, max_consecutive=2),
        ...                    quota=Quota(limit=5, window=1.0))
    """

    def __init__(
        self,
        orders: int | Iterable[dict[str, Any]] = 250,
        *,
        api_version: ApiVersion = "v2",
        token_ttl: float = 3600.0,
        seed: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
        now: datetime | None = None,
        days: float = 60.0,
        client_id: str = "fake_client_id",
        client_secret: str = "fake_client_secret",
        brand: str = "fakebrand",
        integrator_id: str = "test_fake_integrator",
        production_brand: bool = False,
        create_response_shape: Literal["A", "B"] = "A",
        ignore_response_shape: Literal["order", "minimal"] | None = None,
        latency: float = 0.0,
        middlewares: Iterable[Middleware] = (),
        faults: FaultPlan | None = None,
        quota: Quota | None = None,
        auth_quota: Quota | None = None,
        unstructurable: float = 0.0,
    ) -> None:
        if api_version not in ("v1", "v2"):
            raise ValueError("api_version must be 'v1' or 'v2'")
        if latency < 0 or token_ttl <= 0:
            raise ValueError("latency must be >= 0 and token_ttl > 0")
        self.config = FakeConfig(
            api_version=api_version,
            client_id=client_id,
            client_secret=client_secret,
            brand=brand,
            integrator_id=integrator_id,
            token_ttl=token_ttl,
            production_brand=production_brand,
            create_response_shape=create_response_shape,
            ignore_response_shape=ignore_response_shape,
            latency=latency,
        )
        self._seed = seed
        self._now = now
        if isinstance(orders, int):
            initial = make_orders(orders, seed=seed, flavour=api_version, now=now, days=days,
                                  unstructurable=unstructurable)
        else:
            initial = list(orders)  # used as given: tests may keep references to these dicts
        for order in initial:
            order.setdefault("receipt", None)
        self._store = OrderStore(initial)
        # Reference data per version flavour; tests may edit these lists while serving.
        self.sale_types: dict[ApiVersion, list[dict[str, Any]]] = {
            version: make_sale_types(self.config.venues, flavour=version)
            for version in ("v1", "v2")
        }
        # The catalogue (products, stop list, categories, stations), shared by both versions.
        self.catalogue = Catalogue(make_categories(), make_stations(), make_products(),
                                   make_stop_list())
        venues = self.config.venues
        self.venues = {v: make_venues(venues, flavour=v) for v in _VERSIONS}
        self.users = {v: make_users(flavour=v) for v in _VERSIONS}
        self.payment_methods = {v: make_payment_methods(venues, flavour=v) for v in _VERSIONS}
        self.customer_groups = {v: make_customer_groups(flavour=v) for v in _VERSIONS}
        self.price_lists = make_price_lists()  # v2 only (REFERENCE §4.12)
        self.prices = make_prices()
        self.counters = FakeCounters()
        self.sales = SalesStore(self.orders_list, seed=seed, counters=self.counters)
        self._faults = FaultInjector(self.counters, faults)
        self._quota = QuotaGate(self.counters, tenant_key, quota)
        self._auth_quota = QuotaGate(self.counters, auth_ip_key, auth_quota)
        self._tokens = TokenRegistry(self.config)
        self._idempotency = IdempotencyCache()
        self._cache = SelectionCache()
        self._extra_middlewares = list(middlewares)
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    def __repr__(self) -> str:
        # No secret: the fake's client_secret is a test value, but reprs end up in logs.
        where = self._url if self._url is not None else "not running"
        return (
            f"<FakeClopos {self.config.api_version} {where} orders={len(self._store.orders)} "
            f"faults={'on' if self.faults else 'off'} quota={'on' if self.quota else 'off'}>"
        )

    # ----------------------------------------------------------------- public state

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321/open-api`` (only while running)."""
        if self._url is None:
            raise RuntimeError("FakeClopos is not running; use 'async with' or start()")
        return self._url

    @property
    def port(self) -> int:
        """The bound TCP port (only while running)."""
        return int(self.url.rsplit(":", 1)[1].split("/", 1)[0])

    @property
    def open_connections(self) -> int:
        """TCP connections the server holds open now (0 when stopped), e.g. to check that a
        client closed its pool or a cancelled fetch left nothing behind."""
        runner = self._runner
        server = runner.server if runner is not None else None
        return len(server.connections) if server is not None else 0

    @property
    def api_version(self) -> ApiVersion:
        """The version whose credentials and data flavour this server presents."""
        return self.config.api_version

    @property
    def credentials(self) -> FakeCredentials:
        """Credentials the server accepts for ``api_version`` (v2: integrator_id, v1: venue_id).

        With ``production_brand=True`` and the default ``test_…`` integrator, these are the
        credentials that get the documented 200 + ``success: false`` mismatch at /v2/auth.
        """
        cfg = self.config
        creds = FakeCredentials(
            client_id=cfg.client_id, client_secret=cfg.client_secret, brand=cfg.brand
        )
        if cfg.api_version == "v2":
            creds["integrator_id"] = cfg.integrator_id
        else:
            creds["venue_id"] = str(min(cfg.venues))
        return creds

    @property
    def orders(self) -> dict[int | str, dict[str, Any]]:
        """The live store, id -> order dict; each order keeps its receipt under ``"receipt"``.

        After editing order dicts in place in a store of 5,000+ orders, call ``touch()``.
        """
        return self._store.orders

    def orders_list(self) -> list[dict[str, Any]]:
        """The stored orders in insertion order (generated ones by id, created ones last)."""
        return list(self._store.orders.values())

    @property
    def faults(self) -> FaultPlan | None:
        """The active fault plan; assign a new one (re-seeded from its ``seed``) or ``None``."""
        return self._faults.plan

    @faults.setter
    def faults(self, plan: FaultPlan | None) -> None:
        self._faults.plan = plan

    @property
    def quota(self) -> Quota | None:
        """The per-tenant quota; assigning one (or ``None``) forgets the current windows."""
        return self._quota.quota

    @quota.setter
    def quota(self, quota: Quota | None) -> None:
        self._quota.quota = quota

    @property
    def auth_quota(self) -> Quota | None:
        """The per-IP quota of the /auth routes; assigning one forgets its windows."""
        return self._auth_quota.quota

    @auth_quota.setter
    def auth_quota(self, quota: Quota | None) -> None:
        self._auth_quota.quota = quota

    # ----------------------------------------------------------------- test helpers

    def issue_token(
        self,
        *,
        api_version: ApiVersion | None = None,
        venue_id: int | None = None,
        ttl: float | None = None,
    ) -> str:
        """Mint a valid token without an /auth call (for the SDK's ``token=`` option)."""
        token, _info = self._tokens.issue(
            api_version or self.config.api_version, venue_id=venue_id, ttl=ttl
        )
        return token

    def issued_tokens(self) -> list[str]:
        """Every token this server issued (so tests can check none of them leaks)."""
        return self._tokens.issued()

    def expire_tokens(self) -> None:
        """Invalidate every token issued so far; the next authenticated call gets 401."""
        self._tokens.expire_all()

    def add_order(self, order: Mapping[str, Any] | None = None, /, **fields: Any) -> dict[str, Any]:
        """Store ``order`` (or a generated one), updated with ``fields``; return the stored dict.

        Example:
            >>> fake = FakeClopos(orders=0)
            >>> fake.add_order(status="PENDING")["id"]
            1
        """
        if order is not None:
            new = dict(order)
        else:
            new = make_order(
                self._store.new_id(),
                seed=self._seed,
                flavour=self.config.api_version,
                now=self._now,
            )
            new["receipt"] = None  # receipts come from set_status, with store-issued ids
        new.update(fields)
        new.setdefault("id", self._store.new_id())
        return self._store.add(new)

    def set_status(
        self, order_id: int | str, status: str, *, receipt: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Change an order's status as the POS would (RECEIVED/DELIVERED attach a receipt)."""
        order = self._store.get(order_id)
        if order is None:
            raise KeyError(order_id)
        return self._store.set_status(order, status, receipt=receipt)

    @property
    def receipts(self) -> dict[Any, dict[str, Any]]:
        """The live receipt store, id -> receipt (v2 table + v1 extras, lines included).

        Seeded on first use: one receipt per order that carries a receipt id.
        """
        return self.sales.receipts

    @property
    def customers(self) -> dict[Any, dict[str, Any]]:
        """The live customer store, id -> customer (the orders' ``customer_id``s, seeded)."""
        return self.sales.customers

    def add_receipt(self, **fields: Any) -> dict[str, Any]:
        """Open a new receipt as a POS would (status 1), updated with ``fields``; return it.

        Example:
            >>> FakeClopos(orders=0).add_receipt(total=12.5)["status"]
            1
        """
        return self.sales.add_receipt(**fields)

    def close_receipt(
        self, receipt_id: Any, *, payment_methods: list[dict[str, Any]] | None = None,
        closed_at: str | None = None,
    ) -> dict[str, Any]:
        """Close an open receipt as the POS would (e.g. while a client watches); return it.

        ``payment_methods`` defaults to one cash payment of the total; ``closed_at``
        (``YYYY-MM-DD HH:MM:SS`` UTC) to now. Not counted in ``counters.receipts_closed``,
        which counts the API's closings.
        """
        receipt = self.sales.receipt(receipt_id)
        if receipt is None:
            raise KeyError(receipt_id)
        if receipt["status"] != 1:
            raise ValueError(f"receipt {receipt_id!r} is not open")
        payments = payment_methods or [{"id": 1, "name": "Cash", "amount": receipt["total"]}]
        self.sales.close(receipt, payments, closed_at)
        return receipt
    def set_stop_limit(self, product_id: int, limit: int | float | None) -> None:
        """Put a product on the stop list with ``limit`` left (0: unavailable), change its
        limit, or take it off (``limit=None``), as the POS would; the entry is stamped now
        (epoch milliseconds). Raises KeyError for a product the catalogue does not have.

        Example:
            >>> fake = FakeClopos(orders=0)
            >>> fake.set_stop_limit(12, 0)
            >>> [row["id"] for row in fake.catalogue.stop_list]
            [140, 58, 12]
        """
        self.catalogue.set_stop_limit(product_id, limit)

    def touch(self) -> None:
        """Tell the server order dicts were edited in place (drops cached list results)."""
        self._store.touch()

    # ----------------------------------------------------------------- the application

    def build_app(self) -> web.Application:
        """Build the aiohttp application (usable with aiohttp's own test utilities too)."""
        app = web.Application(middlewares=self._middlewares())
        auth = AuthApi(self.config, self._tokens, self.counters)
        app.router.add_post("/open-api/auth", auth.auth_v1, name="v1.auth")
        app.router.add_post("/open-api/v2/auth", auth.auth_v2, name="v2.auth")
        for prefix, rules in (("/open-api", V1_RULES), ("/open-api/v2", V2_RULES)):
            api = OrdersApi(
                rules, self.config, self._store, self.counters, self._idempotency, self._cache
            )
            # Resource names "<version>.<resource>" tell auth_middleware which rules apply.
            orders = app.router.add_resource(f"{prefix}/orders", name=f"{rules.version}.orders")
            orders.add_route("GET", api.list_orders)
            orders.add_route("POST", api.create_order)
            one = app.router.add_resource(
                f"{prefix}/orders/{{order_id}}", name=f"{rules.version}.order"
            )
            one.add_route("GET", api.get_order)
            one.add_route("PUT", api.update_order)
            self._add_reference_routes(app, prefix, rules.version)
            self._add_sales_routes(app, prefix, rules.version)
        return app

    def _add_sales_routes(self, app: web.Application, prefix: str, version: ApiVersion) -> None:
        receipts = ReceiptsApi(version, self.sales, self.counters)
        collection = app.router.add_resource(f"{prefix}/receipts", name=f"{version}.receipts")
        collection.add_route("GET", receipts.list_receipts)
        one = app.router.add_resource(f"{prefix}/receipts/{{receipt_id}}",
                                      name=f"{version}.receipt")
        one.add_route("GET", receipts.get_receipt)
        one.add_route("PATCH", receipts.patch_receipt)
        if version == "v1":  # create, full update and delete were dropped in v2 (§4.1)
            collection.add_route("POST", receipts.create_receipt)
            one.add_route("PUT", receipts.put_receipt)
            one.add_route("DELETE", receipts.delete_receipt)
        else:
            app.router.add_post(f"{prefix}/receipts/{{receipt_id}}/close",
                                receipts.close_receipt, name=f"{version}.receipt_close")
            app.router.add_get(f"{prefix}/receipts/{{receipt_id}}/stock-operations",
                               receipts.stock_operations, name=f"{version}.receipt_stock")
            app.router.add_get(f"{prefix}/receipts/cid/{{cid}}", receipts.get_by_cid,
                               name=f"{version}.receipt_by_cid")
        customers = CustomersApi(version, self.sales, self.counters)
        people = app.router.add_resource(f"{prefix}/customers", name=f"{version}.customers")
        people.add_route("GET", customers.list_customers)
        people.add_route("POST", customers.create_customer)
        app.router.add_get(f"{prefix}/customers/{{customer_id}}", customers.get_customer,
                           name=f"{version}.customer")

    def _add_reference_routes(self, app: web.Application, prefix: str,
                              version: ApiVersion) -> None:
        # PEER-PY: 20 by default, 1..100; v1 has a documented bare-array answer (§4.10).
        sale_types = ReferenceApi(
            version, ReferenceRules(limit_default=20, limit_max=100, bare_array_on_v1=True),
            lambda: self.sale_types[version],
        )
        app.router.add_get(f"{prefix}/sale-types", sale_types.list_items,
                           name=f"{version}.sale_types")
        self._add_catalogue_routes(app, prefix, version)
        self._add_people_and_places(app, prefix, version)
        if version == "v2":
            self._add_price_list_routes(app, prefix)

    def _add_catalogue_routes(self, app: web.Application, prefix: str,
                              version: ApiVersion) -> None:
        # REFERENCE §4.4 to §4.7; the stop list before products/{id}, which would match it.
        catalogue = self.catalogue
        app.router.add_get(f"{prefix}/products/stop-list", catalogue.stop_list_route,
                           name=f"{version}.stop_list")
        resources = (
            ("products", ReferenceApi(
                version, ReferenceRules(limit_default=50, limit_max=100,
                                        relations=PRODUCT_RELATIONS,
                                        get_relations=PRODUCT_GET_RELATIONS,
                                        not_found="Product not found"),
                lambda: catalogue.products, select=catalogue.select_products,
                render=catalogue.render_product, find=catalogue.find_product)),
            ("categories", ReferenceApi(
                version, ReferenceRules(limit_default=50, limit_max=999,
                                        not_found="Category not found"),
                lambda: catalogue.categories, select=catalogue.select_categories,
                render=catalogue.render_category, find=catalogue.find_category)),
            ("stations", ReferenceApi(
                version, ReferenceRules(limit_default=50, limit_max=200,
                                        not_found="Station not found"),
                lambda: catalogue.stations, select=catalogue.select_stations,
                find=catalogue.find_station)),
        )
        for name, api in resources:
            app.router.add_get(f"{prefix}/{name}", api.list_items, name=f"{version}.{name}")
            app.router.add_get(f"{prefix}/{name}/{{item_id}}", api.get_item,
                               name=f"{version}.{name}_item")

    def _add_people_and_places(self, app: web.Application, prefix: str,
                               version: ApiVersion) -> None:
        # Undocumented paging (REFERENCE §5 item 36): PEER-PY's 20 by default, 1..100.
        venues = ReferenceApi(version, ReferenceRules(
            limit_default=20, limit_max=100, shapes={"v1": "iso", "v2": "total"},
        ), lambda: self.venues[version])
        app.router.add_get(f"{prefix}/venues", venues.list_items, name=f"{version}.venues")
        users = ReferenceApi(version, ReferenceRules(
            limit_default=20, limit_max=100, not_found="User not found",
        ), lambda: self.users[version], find=lambda user_id: next(
            (user for user in self.users[version] if user["id"] == user_id), None))
        app.router.add_get(f"{prefix}/users", users.list_items, name=f"{version}.users")
        app.router.add_get(f"{prefix}/users/{{item_id}}", users.get_item,
                           name=f"{version}.users_item")
        methods = ReferenceApi(version, ReferenceRules(limit_default=20, limit_max=100),
                               lambda: self.payment_methods[version])
        app.router.add_get(f"{prefix}/payment-methods", methods.list_items,
                           name=f"{version}.payment_methods")
        # REFERENCE §4.3: 1..200, the canonical envelope with its documented `sorts`.
        groups = ReferenceApi(version, ReferenceRules(
            limit_default=50, limit_max=200, shapes={"v1": "total", "v2": "total"},
            sorts=("id", "name", "discount_type", "discount_value", "total_amount",
                   "created_at", "updated_at", "deleted_at"),
        ), lambda: self.customer_groups[version])
        app.router.add_get(f"{prefix}/customer-groups", groups.list_items,
                           name=f"{version}.customer_groups")

    def _add_price_list_routes(self, app: web.Application, prefix: str) -> None:
        # REFERENCE §4.12: 1..999, {data, pagination} with no `success`, nested asc/desc sort.
        shapes: dict[ApiVersion, Shape] = {"v2": "data_pagination"}
        lists = ReferenceApi(
            "v2", ReferenceRules(limit_default=50, limit_max=999, shapes=shapes,
                                 relations=("prices",)),
            lambda: self.price_lists,
            select=filter_and_sort(sorts=PRICE_LIST_SORTS, nested_sort=True),
            render=embed({"prices": lambda row: [p for p in self.prices
                                                 if p["list_id"] == row["id"]]}),
        )
        prices = ReferenceApi(
            "v2", ReferenceRules(limit_default=50, limit_max=999, shapes=shapes,
                                 relations=("product", "list")),
            lambda: self.prices,
            select=filter_and_sort(filters=("id", "product_id", "list_id")),
            render=embed({
                "product": lambda row: catalog_product(row["product_id"]),
                "list": lambda row: next((pl for pl in self.price_lists
                                          if pl["id"] == row["list_id"]), None),
            }),
        )
        # The fixed path first: otherwise nothing else could be named "prices".
        app.router.add_get(f"{prefix}/price-lists/prices", prices.list_items,
                           name="v2.price_list_prices")
        app.router.add_get(f"{prefix}/price-lists", lists.list_items, name="v2.price_lists")

    def _middlewares(self) -> list[Middleware]:
        """The one request pipeline, outermost first."""
        return [
            # 1. Counting sees every request and its final status, whatever answers it.
            counting_middleware(self.counters),
            # 2. Latency applies to every answer, errors included.
            self._latency_middleware,
            # 3. Errors (FakeApiError, aiohttp's 404/405, crashes) become JSON envelopes.
            error_middleware,
            # 4. Faults (injected 5xx, slow answers, resets, bad bodies), before auth so they can
            #    hit any route including /auth (when the plan says so). A "before" fault never
            #    reaches the quota, so it uses up no quota, as a failing gateway would not.
            self._faults.middleware,
            # 4b. User middlewares; they must be decorated with @web.middleware.
            *self._extra_middlewares,
            # 5. Quota tier 1: /auth per client IP. (Tier 2, the failed-request flood guard, is
            #    not modelled.)
            self._auth_quota.middleware,
            # 6. Auth: x-token / x-brand / x-venue; sets current_auth() for the handlers.
            auth_middleware(self._tokens),
            # 7. Quota tier 3: per token tenant; it needs current_auth(), hence after auth.
            self._quota.middleware,
        ]

    @web.middleware
    async def _latency_middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        if self.config.latency > 0:
            await asyncio.sleep(self.config.latency)
        return await handler(request)

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Bind the socket and start serving; ``url`` is valid afterwards."""
        if self._runner is not None:
            raise RuntimeError("FakeClopos is already running")
        self._faults.start()
        runner = web.AppRunner(self.build_app(), access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self._host, self._port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        host, port = runner.addresses[0][:2]
        shown = f"[{host}]" if ":" in host else host
        self._url = f"http://{shown}:{port}/open-api"

    async def close(self) -> None:
        """Stop serving and release the socket (safe to call twice)."""
        runner, self._runner, self._url = self._runner, None, None
        if runner is not None:
            self._faults.shutdown()  # slow faults end now instead of holding up the cleanup
            await runner.cleanup()

    async def serve_forever(self) -> None:
        """Serve until cancelled (for a CLI running the fake in the foreground)."""
        if self._runner is None:
            await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.close()

    async def __aenter__(self) -> FakeClopos:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
