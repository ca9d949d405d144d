"""Everything that differs between API v1 and v2, in one profile object per version.

Resources and the client ask the profile (paths, headers, auth body, status vocabulary,
create-order body, idempotency guarantees) instead of branching on a version string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from .credentials import Credentials
from .endpoints import path_segment
from .models.enums import OrderStatus
from .models.new_order import NewOrder
from .validators import ArgumentTypeError, invalid

__all__ = [
    "V1", "V2", "ApiVersion", "ApiVersionName", "NotInVersionError", "OrderId", "ResourceId",
    "get_version", "versions_with",
]  # fmt: skip

ApiVersionName = Literal["v1", "v2"]
ResourceId = int | str
OrderId = ResourceId

# Resource name -> path below the version prefix, for what both versions document.
_COMMON_PATHS: Mapping[str, str] = {
    "orders": "orders",
    "sale_types": "sale-types",  # REFERENCE §4.10
    "receipts": "receipts",  # REFERENCE §4.1
    "customers": "customers",  # REFERENCE §4.2
    "products": "products",  # §4.4
    "stop_list": "products/stop-list",  # §4.5
    "categories": "categories",  # §4.6
    "stations": "stations",  # §4.7
    "customer_groups": "customer-groups",  # REFERENCE §4.3
    "venues": "venues",  # REFERENCE §4.8
    "users": "users",  # REFERENCE §4.9
    "payment_methods": "payment-methods",  # REFERENCE §4.11
}

# What only v2 documents.
_V2_ONLY_PATHS: Mapping[str, str] = {
    "price_lists": "price-lists",  # REFERENCE §4.12
    "price_list_prices": "price-lists/prices",
}
# Receipt operations only one version has (REFERENCE §4.1); "{id}" is the receipt's id.
_V1_RECEIPT_PATHS: Mapping[str, str] = {
    "receipts.create": "receipts",
    "receipts.put": "receipts/{id}",
    "receipts.delete": "receipts/{id}",
}
_V2_RECEIPT_PATHS: Mapping[str, str] = {
    "receipts.close": "receipts/{id}/close",
    "receipts.stock_operations": "receipts/{id}/stock-operations",
    "receipts.by_cid": "receipts/cid/{id}",
}


class NotInVersionError(ValueError):
    """The operation does not exist in the client's API version (raised before sending)."""


@attrs.frozen
class ApiVersion:
    """The facts of one API version (REFERENCE §1.2)."""

    name: ApiVersionName
    prefix: str
    list_statuses: tuple[OrderStatus, ...]
    # Whether the API documents Idempotency-Key, so a create may be replayed safely.
    documents_idempotency: bool
    # Flavour of the rate-limit headers: IETF RateLimit-* (v2) or X-RateLimit-* (v1).
    rate_limit_header_prefix: str
    # The credential that scopes a token: v2 tokens belong to an integrator, v1 to a venue.
    auth_scope_field: Literal["integrator_id", "venue_id"]
    sends_brand_header: bool
    lowercase_statuses: bool
    # v1 nests the order under payload (REFERENCE §3.5); v2 takes it flat (§3.6).
    nested_create_body: bool
    # The longest window of the documented rate-limit policy (REFERENCE §2.3): v2's tiers
    # are 1-minute windows, v1 adds an hourly one. A reset beyond it is not believed.
    rate_limit_window: float = 3600.0
    max_limit: int = 100
    # Resource name -> path below `prefix` (REFERENCE §4); a resource absent here does not
    # exist in this version.
    paths: Mapping[str, str] = attrs.field(factory=lambda: dict(_COMMON_PATHS))

    @property
    def auth_path(self) -> str:
        """Path of the token endpoint."""
        return f"{self.prefix}/auth"

    def path(
        self, resource: str, item_id: ResourceId | None = None, *, id_name: str = "id"
    ) -> str:
        """Path of a resource's collection, or of one item (its id URL-quoted).

        Raises `NotInVersionError`, naming the versions that have it, if this one does not.
        """
        relative = self.paths.get(resource)
        if relative is None:
            others = " or ".join(versions_with(resource)) or "no API version"
            raise NotInVersionError(
                f"{resource} is not available in API {self.name}; it needs {others}"
            )
        if "{id}" in relative:  # an operation on one item: receipts/{id}/close
            if item_id is None:
                raise ValueError(f"{resource} needs an id")
            return f"{self.prefix}/" + relative.replace(
                "{id}", path_segment(item_id, name=id_name))
        if item_id is None:
            return f"{self.prefix}/{relative}"
        return f"{self.prefix}/{relative}/{path_segment(item_id, name=id_name)}"

    def orders_path(self, order_id: OrderId | None = None) -> str:
        """Path of the orders collection, or of one order (its id URL-quoted)."""
        return self.path("orders", order_id, id_name="order_id")

    def auth_body(self, credentials: Credentials) -> dict[str, str]:
        """The JSON body of the token exchange."""
        body = {
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "brand": credentials.brand,
        }
        scope = getattr(credentials, self.auth_scope_field)
        if scope is None:
            raise ValueError(f"{self.auth_scope_field} is required for API {self.name}")
        body[self.auth_scope_field] = scope
        return body

    def request_headers(
        self, token: str, *, brand: str | None, venue_id: str | None
    ) -> dict[str, str]:
        """Headers of an authenticated call: x-token, plus x-brand/x-venue as the version wants."""
        headers = {"x-token": token}
        if self.sends_brand_header and brand is not None:
            headers["x-brand"] = brand
        if venue_id is not None:
            headers["x-venue"] = venue_id
        return headers

    def wire_status(self, status: str | OrderStatus) -> str:
        """Validate a list filter status (case-insensitive) and spell it as this version does."""
        value = status.value if isinstance(status, OrderStatus) else status
        if not isinstance(value, str):
            invalid("status", "a string or OrderStatus", status, error=ArgumentTypeError)
        for allowed in self.list_statuses:
            if allowed.value.lower() == value.strip().lower():
                return self._spell(allowed)
        names = ", ".join(self._spell(s) for s in self.list_statuses)
        invalid("status", f"one of {names} for API {self.name}", value)

    def _spell(self, status: OrderStatus) -> str:
        return status.value.lower() if self.lowercase_statuses else status.value

    def create_body(self, order: NewOrder | Mapping[str, object]) -> Mapping[str, object]:
        """The create-order body: a NewOrder translated for this version, a mapping unchanged."""
        if isinstance(order, NewOrder):
            return order.to_v1_body() if self.nested_create_body else order.to_v2_body()
        if isinstance(order, Mapping):
            return order
        invalid("order", "a NewOrder or a mapping", order, error=ArgumentTypeError)


V2 = ApiVersion(
    name="v2",
    prefix="/v2",
    list_statuses=(
        OrderStatus.PENDING,
        OrderStatus.RECEIVED,
        OrderStatus.IGNORE,
        OrderStatus.DELIVERED,
    ),
    documents_idempotency=False,
    rate_limit_header_prefix="ratelimit-",
    rate_limit_window=60.0,
    auth_scope_field="integrator_id",
    sends_brand_header=False,
    lowercase_statuses=False,
    nested_create_body=False,
    paths={**_COMMON_PATHS, **_V2_ONLY_PATHS, **_V2_RECEIPT_PATHS},
)

V1 = ApiVersion(
    name="v1",
    prefix="",
    list_statuses=(
        OrderStatus.PENDING,
        OrderStatus.CONFIRMED,
        OrderStatus.COMPLETED,
        OrderStatus.CANCELLED,
    ),
    documents_idempotency=True,
    rate_limit_header_prefix="x-ratelimit-",
    auth_scope_field="venue_id",
    sends_brand_header=True,
    lowercase_statuses=True,
    nested_create_body=True,
    paths={**_COMMON_PATHS, **_V1_RECEIPT_PATHS},
)


def versions_with(resource: str) -> list[str]:
    """The names of the API versions that have ``resource``."""
    return [version.name for version in (V1, V2) if resource in version.paths]


def get_version(name: str) -> ApiVersion:
    """The profile for ``"v1"`` or ``"v2"``."""
    profiles = {"v1": V1, "v2": V2}
    profile = profiles.get(name.lower()) if isinstance(name, str) else None
    if profile is None:
        invalid("api_version", "one of v1, v2", name)
    return profile
