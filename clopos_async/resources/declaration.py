"""How a resource is declared: its model, its list parameters, its operations (no I/O here).

A declaration is data; `resources.base.Resource` turns it into ``list_page``, ``list``,
``get`` and their ``with_raw_response`` twins, and the CLI into ``list``/``get`` commands.
Paths live in the version profile (``ApiVersion.paths``) under the declaration's ``name``.

Typed list parameters (`Param`) are checked before anything is sent and then encoded the
documented way: a top-level key (``status=PENDING``) or a filter tuple
(``filters[N][0]=type&filters[N][1]=DISH``; a list is a membership filter, a bool ``1``/``0``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from ..query import FilterValue
from ..validators import (
    ArgumentTypeError,
    check_choice,
    check_instance,
    check_int,
    check_non_empty_str,
    invalid,
)
from ..versions import ApiVersion

__all__ = [
    "Listing", "Param", "ResourceSpec", "choice", "field_names", "flag", "ids", "levels", "text",
]  # fmt: skip

T = TypeVar("T")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")

# (version, argument name, value) -> the value to send, after checking it.
Encoder = Callable[[ApiVersion, str, Any], FilterValue]


@attrs.frozen
class Param:
    """A typed list argument: how to check and spell it, and where it goes on the wire."""

    encode: Encoder
    wire: str | None = None  # the field name on the wire; default: the argument's name
    top_level: bool = False  # a query key of its own (``status=``) rather than a filter
    # How the CLI reads one ``--name VALUE`` (repeated: a list); ``encode`` still checks it.
    cli_type: Callable[[str], Any] = str
    # Whether ``encode`` takes a list of values (a membership filter): the CLI flag then
    # repeats; otherwise a repeated flag is refused as a usage error.
    several: bool = True


def choice(*allowed: str, wire: str | None = None, top_level: bool = False) -> Param:
    """A filter taking one of ``allowed`` or a list of them (a membership filter)."""

    def encode(_: ApiVersion, name: str, value: Any) -> FilterValue:
        values = value if isinstance(value, (list, tuple)) else [value]
        checked = [check_choice(name, getattr(item, "value", item), allowed) for item in values]
        return checked if isinstance(value, (list, tuple)) else checked[0]

    return Param(encode, wire, top_level)


def _yes_no(text: str) -> bool | str:
    """``1``/``true``/``yes`` and ``0``/``false``/``no``; anything else is left for ``encode``
    to reject, naming the parameter."""
    words = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
    return words.get(text.strip().lower(), text)


def _int_text(text: str) -> int | str:
    """A CLI id or code: digits are the int they mean; anything else is left for ``encode``."""
    return int(text) if text.strip().isdigit() else text


def levels(*allowed: int, wire: str | None = None, top_level: bool = False) -> Param:
    """A filter taking one of the integer codes ``allowed`` (``status=1``, ``inventory_behavior``
    0/1/3) or a list of them (a membership filter)."""
    shown = ", ".join(map(str, allowed))

    def check(name: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            invalid(name, f"one of {shown}", value, error=ArgumentTypeError)
        if value not in allowed:
            invalid(name, f"one of {shown}", value)
        return value

    def encode(_: ApiVersion, name: str, value: Any) -> FilterValue:
        if isinstance(value, (list, tuple)):
            if not value:
                invalid(name, f"one of {shown} or a non-empty list of them", value)
            return [check(name, item) for item in value]
        return check(name, value)

    return Param(encode, wire, top_level, cli_type=_int_text)


def flag(*, wire: str | None = None, top_level: bool = False) -> Param:
    """A yes/no filter, sent as ``1``/``0``."""
    return Param(lambda _, name, value: check_instance(name, value, bool), wire, top_level,
                 cli_type=_yes_no, several=False)


def field_names(*, wire: str | None = None) -> Param:
    """A top-level list of field names sent comma-separated (``selects=price,cost_price``)."""

    def encode(_: ApiVersion, name: str, value: Any) -> FilterValue:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, (list, tuple)) or not names:
            invalid(name, "a field name or a non-empty list of them", value,
                    error=ArgumentTypeError)
        for item in names:
            if not isinstance(item, str) or not _FIELD.fullmatch(item):
                invalid(name, "field names (letters, digits, '_', '.')", item)
        return ",".join(names)

    return Param(encode, wire, top_level=True)


def ids(*, wire: str | None = None, top_level: bool = False) -> Param:
    """A filter on one id or a list of ids (ints)."""

    def encode(_: ApiVersion, name: str, value: Any) -> FilterValue:
        if isinstance(value, (list, tuple)):
            if not value:
                invalid(name, "an id or a non-empty list of ids", value)
            return [check_int(name, item, minimum=1) for item in value]
        return check_int(name, value, minimum=1)

    return Param(encode, wire, top_level, cli_type=_int_text)


def text(*, wire: str | None = None) -> Param:
    """A filter on a non-blank string (a name, a phone: the server matches it as it does)."""
    return Param(lambda _, name, value: check_non_empty_str(name, value), wire, several=False)


@attrs.frozen(kw_only=True)
class Listing:
    """What a resource's list endpoint takes (REFERENCE §2.4 to §2.6 and the resource's page).

    ``with_values`` None accepts any relation (the API does not list them); a tuple accepts
    only those. ``sort_fields`` empty means the endpoint takes no sort; ``nested_sort`` spells
    it ``sort[0][0]=field&sort[0][1]=asc|desc`` (price lists) instead of ``sort[0]``/``sort[1]``.
    """

    default_limit: int
    max_limit: int
    with_values: tuple[str, ...] | None = ()
    sort_fields: tuple[str, ...] = ()
    nested_sort: bool = False
    date_range: bool = False
    params: Mapping[str, Param] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class ResourceSpec(Generic[T]):
    """A resource: its name (the key of its path in each version profile), model and operations.

    Example (the whole declaration of a plain read-only resource)::

        SALE_TYPES = ResourceSpec(name="sale_types", model=SaleType,
                                  listing=Listing(default_limit=20, max_limit=100))
    """

    name: str
    model: type[T]
    listing: Listing | None = None
    gettable: bool = False
    get_with_values: tuple[str, ...] | None = ()
    # Further typed arguments of ``get`` (``include_children``), encoded like list ones.
    get_params: Mapping[str, Param] = attrs.field(factory=dict)
    # Columns of the CLI's table: (header, attribute) pairs read from each item.
    columns: Sequence[tuple[str, str]] = (("ID", "id"), ("NAME", "name"))

    @property
    def label(self) -> str:
        """The name as users read it: ``sale types``."""
        return self.name.replace("_", " ")
