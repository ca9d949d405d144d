"""Customer models (REFERENCE §4.2): what loyalty and call-centre integrations read and write.

`Customer` is lenient like the order models (every field but ``id`` optional, unknown fields
ignored); `NewCustomer` is checked when built, before anything is sent.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from ..validators import ArgumentTypeError, check_int, check_non_empty_str, invalid
from .customer_groups import CustomerGroup

__all__ = ["Customer", "CustomerBalance", "Gender", "NewCustomer"]


class Gender(int, enum.Enum):
    """A customer's ``gender``: 1 male, 2 female (None: unspecified)."""

    MALE = 1
    FEMALE = 2


@attrs.frozen(kw_only=True)
class CustomerBalance:
    """A v1 customer's ``balance`` or ``cashback_balance`` (``with_=["balance"]``)."""

    id: int | str | None = None
    name: str | None = None
    type: str | None = None
    amount: Decimal | None = None
    system_type: str | None = None
    venue_id: int | None = None
    description: str | None = None
    position: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


@attrs.frozen(kw_only=True)
class Customer:
    """A customer. ``group`` (``with_=["group"]``) is its `CustomerGroup`; ``balance`` and
    ``cashback_balance`` exist on v1 only."""

    id: int | str
    venue_id: int | None = None
    cid: str | None = None
    group_id: int | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    phones: tuple[object, ...] = ()
    address: str | None = None
    address_data: tuple[object, ...] = ()
    description: str | None = None
    discount: Decimal | None = None
    spent: Decimal | None = None
    total_discount: Decimal | None = None
    total_bonus: Decimal | None = None
    receipt_count: int | None = None
    gender: Gender | int | None = None
    date_of_birth: str | None = None  # "YYYY-MM-DD"
    code: str | None = None
    source: str | None = None
    reference_id: object = None
    status: bool | None = None
    can_use_loyalty_system: bool | None = None
    is_verified: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # v1 only
    balance_id: int | str | None = None
    bonus_balance_id: int | str | None = None
    cashback_balance_id: int | str | None = None
    addresses: tuple[object, ...] = ()
    phone_verified_at: datetime | None = None
    deleted_at: datetime | None = None
    group: CustomerGroup | None = None
    balance: CustomerBalance | None = None
    cashback_balance: CustomerBalance | None = None


def _where(inst: object, attr: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attr.name}"


def _optional_text(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_non_empty_str(_where(inst, attr), value)


def _gender(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        invalid(_where(inst, attr), "Gender.MALE (1), Gender.FEMALE (2) or None", value,
                error=ArgumentTypeError)
    if value not in (1, 2):
        invalid(_where(inst, attr), "Gender.MALE (1), Gender.FEMALE (2) or None", value)


def _birth_date(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        invalid(_where(inst, attr), "a datetime.date", value, error=ArgumentTypeError)


def _group(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_int(_where(inst, attr), value, minimum=1)


@attrs.frozen(kw_only=True)
class NewCustomer:
    """A customer to create. ``name`` is required; ``phone`` and ``code`` must be unique on
    the server (a taken phone is a `ConflictError`).

    ``cid`` is generated (a uuid4) unless given: the SDK sends it on every attempt, so a
    create whose answer was lost is found again instead of made twice.

    Example:
        >>> NewCustomer(name="Rahid", phone="+994501234567").to_body()["name"]
        'Rahid'
    """

    name: str = attrs.field(validator=lambda i, a, v: check_non_empty_str(_where(i, a), v))
    phone: str | None = attrs.field(default=None, validator=_optional_text)
    email: str | None = attrs.field(default=None, validator=_optional_text)
    code: str | None = attrs.field(default=None, validator=_optional_text)
    description: str | None = attrs.field(default=None, validator=_optional_text)
    group_id: int | None = attrs.field(default=None, validator=_group)
    gender: Gender | int | None = attrs.field(default=None, validator=_gender)
    date_of_birth: date | None = attrs.field(default=None, validator=_birth_date)
    cid: str = attrs.field(factory=lambda: str(uuid.uuid4()),
                           validator=lambda i, a, v: check_non_empty_str(_where(i, a), v))

    def to_body(self) -> dict[str, object]:
        """The ``POST customers`` body (the same on v1 and v2)."""
        body: dict[str, object] = {"name": self.name, "cid": self.cid}
        optional: dict[str, object | None] = {
            "phone": self.phone, "email": self.email, "code": self.code,
            "description": self.description, "group_id": self.group_id,
            "gender": None if self.gender is None else int(self.gender),
            "date_of_birth": None if self.date_of_birth is None
            else self.date_of_birth.isoformat(),
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body


for _model in (CustomerBalance, Customer):
    attrs.resolve_types(_model)  # cattrs needs real types, not `from __future__` strings
