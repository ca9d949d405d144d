"""`ClientConfig`: everything an `AsyncClopos` is configured with, checked once, frozen.

Each option is one field with its validator (and converter), so adding an option is adding a
field; ``with_options(...)`` is ``attrs.evolve(config, ...)``, which re-runs the validators.
The client keeps the live parts (session, token manager, rate-limit gate) itself: a config is
a plain value, safe to share, compare and print (secrets are redacted).
"""

from __future__ import annotations

from typing import Any

import attrs

from .credentials import Credentials, redacted
from .endpoints import check_base_url
from .hooks import Hook, RequestEvent, ResponseEvent, RetryEvent
from .ratelimit import MAX_CONCURRENCY
from .retry import RetryPolicy
from .timeout import Timeout
from .validators import attrs_check, check_instance, check_int, check_non_empty_str
from .versions import V2, ApiVersion, get_version

__all__ = [
    "DEFAULT_BASE_URL", "DEFAULT_MAX_RESPONSE_BYTES", "DEFAULT_TIMEOUT", "ClientConfig",
]

DEFAULT_BASE_URL = "https://integrations.clopos.com/open-api"
DEFAULT_TIMEOUT = 30.0
# Far above any page of orders (100 full orders are well under 1 MiB), far below trouble.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# Smaller caps would refuse ordinary error bodies.
MIN_RESPONSE_BYTES = 1024


def _version(value: object) -> ApiVersion:
    return value if isinstance(value, ApiVersion) else get_version(value)  # type: ignore[arg-type]


def _venue(value: object) -> str | None:
    return None if value is None else str(value)


def _timeout(value: object) -> Timeout:
    return Timeout.of(value)


def _optional_token(_: object, __: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None:
        check_non_empty_str("token", value, secret=True)


def _optional_retry(_: object, __: attrs.Attribute[RetryPolicy], value: object) -> None:
    check_instance("retry", value, RetryPolicy)


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    check_instance(attribute.name, value, bool)


def _missing(names: dict[str, object], why: str) -> None:
    missing = [name for name, value in names.items() if not value]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise ValueError(f"{', '.join(missing)} {verb} required {why}")


@attrs.frozen(kw_only=True)
class ClientConfig:
    """The settings of one client (see `AsyncClopos` for what each means).

    Example::

        config = ClientConfig(token="...", timeout=10)
        faster = attrs.evolve(config, retry=RetryPolicy.never())
    """

    api_version: ApiVersion = attrs.field(default=V2, converter=_version)
    base_url: str = attrs.field(default=DEFAULT_BASE_URL, converter=check_base_url)
    client_id: str | None = None
    client_secret: str | None = attrs.field(default=None, repr=redacted)
    brand: str | None = None
    integrator_id: str | None = None
    venue_id: str | None = attrs.field(default=None, converter=_venue)
    token: str | None = attrs.field(default=None, repr=redacted, validator=_optional_token)
    timeout: Timeout = attrs.field(default=Timeout.of(DEFAULT_TIMEOUT), converter=_timeout)
    retry: RetryPolicy = attrs.field(factory=RetryPolicy, validator=_optional_retry)
    max_concurrency: int = attrs.field(
        default=8,
        validator=attrs_check(check_int, minimum=1, maximum=MAX_CONCURRENCY, qualified=False),
    )
    # Bodies are counted decompressed while read; a bigger one is ResponseTooLargeError.
    max_response_bytes: int = attrs.field(
        default=DEFAULT_MAX_RESPONSE_BYTES,
        validator=attrs_check(check_int, minimum=MIN_RESPONSE_BYTES, qualified=False),
    )
    retry_ambiguous_writes: bool = attrs.field(default=False, validator=_bool)
    # A listed item that does not fit its model raises instead of coming through degraded.
    strict: bool = attrs.field(default=False, validator=_bool)
    # Listings make the cyclic GC run less often while they run (`gc_scope.relaxed_gc`);
    # False leaves the collector exactly as the application set it, for every listing.
    relax_gc: bool = attrs.field(default=True, validator=_bool)
    on_request: Hook[RequestEvent] | None = attrs.field(default=None, repr=False)
    on_response: Hook[ResponseEvent] | None = attrs.field(default=None, repr=False)
    on_retry: Hook[RetryEvent] | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        version = self.api_version
        if version.sends_brand_header:
            _missing({"brand": self.brand, "venue_id": self.venue_id},
                     f"for API {version.name} (x-brand, x-venue)")
        if self.token is None:
            scope = version.auth_scope_field
            _missing(
                {"client_id": self.client_id, "client_secret": self.client_secret,
                 "brand": self.brand, scope: getattr(self, scope)},
                f"for API {version.name} unless token= is given",
            )

    @property
    def credentials(self) -> Credentials | None:
        """What the auth endpoint takes, or None with a static ``token``."""
        if self.token is not None:
            return None
        assert self.client_id and self.client_secret and self.brand
        return Credentials(
            client_id=self.client_id,
            client_secret=self.client_secret,
            brand=self.brand,
            integrator_id=self.integrator_id,
            venue_id=self.venue_id,
        )

    def evolve(self, **changes: Any) -> ClientConfig:
        """A copy with ``changes`` applied and checked (``attrs.evolve``)."""
        return attrs.evolve(self, **changes)
