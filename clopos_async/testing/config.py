"""Static settings of one FakeClopos server and the per-version rules it enforces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["V1_RULES", "V2_RULES", "ApiRules", "FakeConfig", "rules_for"]

ApiVersion = Literal["v1", "v2"]

# The venues every fake brand has; seeded orders are spread over both.
DEFAULT_VENUES: dict[int, str] = {1: "Main", 2: "Second"}


@dataclass(frozen=True)
class ApiRules:
    """What differs between v1 and v2 on the orders routes, kept in one place."""

    version: ApiVersion
    limit_default: int
    limit_max: int
    # Query value -> stored (v2 vocabulary) status.
    status_filter: dict[str, str]
    status_message: str


V2_RULES = ApiRules(
    version="v2",
    limit_default=50,
    limit_max=200,  # not documented for v2 orders; REFERENCE §5.34 recommends capping at 200
    status_filter={s: s for s in ("PENDING", "RECEIVED", "IGNORE", "DELIVERED")},
    status_message="status must be one of PENDING, RECEIVED, IGNORE, DELIVERED",
)

# v1 filters use the OAS vocabulary; the stored orders use the v2 one (the v1 get examples show
# PENDING/RECEIVED), so the fake maps the four documented v1 words onto the v2 statuses.
V1_RULES = ApiRules(
    version="v1",
    limit_default=20,
    limit_max=100,
    status_filter={
        "pending": "PENDING",
        "confirmed": "RECEIVED",
        "completed": "DELIVERED",
        "cancelled": "IGNORE",
    },
    status_message="status must be one of pending, confirmed, completed, cancelled",
)


def rules_for(version: ApiVersion) -> ApiRules:
    """Return the rules of ``version``."""
    return V1_RULES if version == "v1" else V2_RULES


@dataclass(frozen=True)
class FakeConfig:
    """Credentials and behaviour switches of a FakeClopos server."""

    api_version: ApiVersion = "v2"
    client_id: str = "fake_client_id"
    client_secret: str = "fake_client_secret"
    brand: str = "fakebrand"
    integrator_id: str = "test_fake_integrator"
    token_ttl: float = 3600.0
    # True: the brand is a production brand, so integrators whose id starts with "test_" get the
    # documented HTTP 200 + success:false answer at /v2/auth (REFERENCE §1.4).
    production_brand: bool = False
    create_response_shape: Literal["A", "B"] = "A"
    # None: each version's documented shape ("order" for v2, "minimal" for v1).
    ignore_response_shape: Literal["order", "minimal"] | None = None
    latency: float = 0.0
    venues: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_VENUES))
