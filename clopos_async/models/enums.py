"""Enumerations used by order models; unknown values are kept, never rejected."""

from __future__ import annotations

import enum


class OrderStatus(str, enum.Enum):
    """Order lifecycle status (v2 vocabulary plus the v1 list-filter vocabulary)."""

    # v2 (and v1 get examples)
    PENDING = "PENDING"
    RECEIVED = "RECEIVED"
    IGNORE = "IGNORE"
    DELIVERED = "DELIVERED"
    # v1 list filter (the OAS spells them lowercase; compare case-insensitively)
    CONFIRMED = "CONFIRMED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: str) -> OrderStatus | str:
        """Return the member matching ``value`` case-insensitively, else ``value`` unchanged.

        >>> OrderStatus.parse("pending"), OrderStatus.parse("accepted")
        (<OrderStatus.PENDING: 'PENDING'>, 'accepted')
        """
        member = _STATUS_BY_VALUE.get(value)
        if member is None:
            # The exact-case lookup above covers the common case without allocating.
            member = _STATUS_BY_VALUE.get(value.upper())
        return value if member is None else member


_STATUS_BY_VALUE: dict[str, OrderStatus] = {m.value: m for m in OrderStatus}

FINAL_STATUSES: frozenset[OrderStatus] = frozenset(
    {OrderStatus.IGNORE, OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.CANCELLED}
)


class DiscountType(int, enum.Enum):
    """Discount kind: 0 none, 1 percent, 2 fixed amount (1 and 2 per peer clients)."""

    NONE = 0
    PERCENT = 1
    FIXED = 2

    @classmethod
    def parse(cls, value: int) -> DiscountType | int:
        """Return the member for ``value``, else ``value`` unchanged.

        >>> DiscountType.parse(1), DiscountType.parse(7)
        (<DiscountType.PERCENT: 1>, 7)
        """
        member = _DISCOUNT_BY_VALUE.get(value)
        return value if member is None else member


_DISCOUNT_BY_VALUE: dict[int, DiscountType] = {m.value: m for m in DiscountType}
