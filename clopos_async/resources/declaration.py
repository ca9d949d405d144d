"""How a resource is declared: its model, its list parameters, its operations (no I/O here).

A declaration is data; `resources.base.Resource` turns it into ``list_page``, ``list``,
``get`` and their ``with_raw_response`` twins, and the CLI into ``list``/``get`` commands.
Paths live in the version profile (``ApiVersion.paths``) under the declaration's ``name``.

Typed list parameters (`Param`) are checked before anything is sent and then encoded the
documented way: a top-level key (``status=PENDING``) or a filter tuple
(``filters[N][0]=type&filters[N][1]=DISH``; a list is a membership filter, a bool ``1``/``0``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from ..query import FilterValue
from ..validators import check_choice, check_instance, check_int, invalid
from ..versions import ApiVersion

__all__ = ["Listing", "Param", "ResourceSpec", "choice", "flag", "ids"]

T = TypeVar("T")

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


def choice(*allowed: str, wire: str | None = None) -> Param:
    """A filter taking one of ``allowed`` or a list of them (a membership filter)."""

    def encode(_: ApiVersion, name: str, value: Any) -> FilterValue:
        values = value if isinstance(value, (list, tuple)) else [value]
        checked = [check_choice(name, getattr(item, "value", item), allowed) for item in values]
        return checked if isinstance(value, (list, tuple)) else checked[0]

    return Param(encode, wire)


def _yes_no(text: str) -> bool | str:
    """``1``/``true``/``yes`` and ``0``/``false``/``no``; anything else is left for ``encode``
    to reject, naming the parameter."""
    words = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
    return words.get(text.strip().lower(), text)


def _id_text(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


def flag(*, wire: str | None = None) -> Param:
    """A yes/no filter, sent as ``1``/``0``."""
    return Param(lambda _, name, value: check_instance(name, value, bool), wire,
                 cli_type=_yes_no)


def ids(*, wire: str | None = None) -> Param:
    """A filter on one id or a list of ids (ints)."""

    def encode(_: ApiVersion, name: str, value: Any) -> FilterValue:
        if isinstance(value, (list, tuple)):
            if not value:
                invalid(name, "an id or a non-empty list of ids", value)
            return [check_int(name, item, minimum=1) for item in value]
        return check_int(name, value, minimum=1)

    return Param(encode, wire, cli_type=_id_text)


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
    # Columns of the CLI's table: (header, attribute) pairs read from each item.
    columns: Sequence[tuple[str, str]] = (("ID", "id"), ("NAME", "name"))

    @property
    def label(self) -> str:
        """The name as users read it: ``sale types``."""
        return self.name.replace("_", " ")
