"""One quota, many processes: an optional admission budget shared through a store (Redis).

The Clopos quota belongs to a tenant (base URL, brand, integrator), not to a process; with
``AsyncClopos(..., shared_quota="redis://...")`` every process of the tenant paces from one
sliding-window log of send times, one copy of the server's latest ``RateLimit-*`` word and one
429 pause, instead of each from its own. Redis is imported only when this option is used.

- `store`: what a store must do, and how a quota's keys are named;
- `gate`: the client's side (ask the store, degrade to local pacing, recover);
- `redis_store`: the Redis store (``pip install 'clopos-async[redis]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .gate import SharedGate
from .store import QuotaStore, QuotaStoreUnavailable, ServerReport, quota_namespace

if TYPE_CHECKING:
    from .redis_store import RedisQuotaStore

__all__ = [
    "QuotaStore",
    "QuotaStoreUnavailable",
    "RedisQuotaStore",
    "ServerReport",
    "SharedGate",
    "quota_namespace",
    "shared_gate",
]

_URL_SCHEMES = ("redis://", "rediss://", "unix://")


def __getattr__(name: str) -> Any:
    # `RedisQuotaStore` on demand, so importing this package never imports redis.
    if name == "RedisQuotaStore":
        return _redis_store_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _redis_store_class() -> type[RedisQuotaStore]:
    try:
        from .redis_store import RedisQuotaStore
    except ImportError as exc:
        raise ImportError(
            "shared_quota needs the redis package: pip install 'clopos-async[redis]'"
        ) from exc
    return RedisQuotaStore


def shared_gate(
    option: str | QuotaStore | None, *, base_url: str, brand: str | None, owner: str | None,
    owner_name: str,
) -> SharedGate | None:
    """Build the client's shared gate from its ``shared_quota=`` option (None: not shared).

    ``owner`` is the integrator (v2) or venue (v1) the quota belongs to; ``owner_name`` the
    client option that sets it, for the error message.
    """
    if option is None:
        return None
    if isinstance(option, str):
        if not option.startswith(_URL_SCHEMES):
            scheme = option.split(":", 1)[0] if ":" in option else ""
            raise ValueError(
                "shared_quota must be a redis://, rediss:// or unix:// URL or a QuotaStore "
                f"(such as RedisQuotaStore), got a URL with scheme {scheme!r}"
            )
    elif not all(callable(getattr(option, name, None)) for name in ("reserve", "pause", "aclose")):
        raise TypeError("shared_quota must be a Redis URL or a QuotaStore "
                        f"(reserve, pause, aclose), got {type(option).__name__}")
    if not brand or not owner:
        raise ValueError(f"shared_quota needs brand and {owner_name} (even with token=): "
                         "they say whose quota is shared")
    namespace = quota_namespace(base_url, brand, owner)
    if isinstance(option, str):
        return SharedGate(_redis_store_class().from_url(option), namespace, owns_store=True)
    return SharedGate(option, namespace, owns_store=False)
