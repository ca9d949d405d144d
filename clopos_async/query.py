"""Encode Python values as the PHP/Laravel bracket query notation the Clopos API parses.

Pure functions, no I/O. Each returns an ordered list of ``(key, value)`` string pairs in a
deterministic order, ready for ``aiohttp`` (which percent-encodes the brackets; PHP decodes
literal and encoded brackets alike)::

    >>> encode_list_query(page=1, with_=["customer"], sort="-created_at")
    [('page', '1'), ('with[0]', 'customer'), ('sort[0]', 'created_at'), ('sort[1]', '-1')]

Open date ranges: the API takes both ends of ``date[0]``/``date[1]``, so a missing start is
sent as ``OPEN_RANGE_START`` (1970-01-01) and a missing end as ``OPEN_RANGE_END`` (9999-12-31).
Far bounds rather than "today" keep the encoder pure and avoid cutting off orders whose local
date is already tomorrow in UTC terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import cast

__all__ = [
    "OPEN_RANGE_END",
    "OPEN_RANGE_START",
    "DateLike",
    "FilterValue",
    "Filters",
    "QueryPairs",
    "encode_date_range",
    "encode_filters",
    "encode_list_query",
    "encode_sort",
    "encode_with",
    "parse_sort",
]

QueryPairs = list[tuple[str, str]]
DateLike = date | str
Scalar = str | int | float | Decimal | bool | date | Enum
FilterValue = Scalar | Sequence[Scalar]
Filters = Mapping[str, FilterValue] | Sequence[tuple[str, FilterValue]]

OPEN_RANGE_START = date(1970, 1, 1)
OPEN_RANGE_END = date(9999, 12, 31)

_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def encode_scalar(value: Scalar, *, parameter: str) -> str:
    """Render one query value: booleans as 1/0, dates as YYYY-MM-DD, enums by value."""
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "1" if value else "0"
    if isinstance(value, Enum):
        return encode_scalar(value.value, parameter=parameter)
    if isinstance(value, datetime):
        return _as_date(value, parameter=parameter).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise TypeError(
        f"{parameter} values must be str, int, float, Decimal, bool, date or an Enum; "
        f"got {type(value).__name__}"
    )


def encode_with(relations: str | Iterable[str] | None) -> QueryPairs:
    """Encode relations to eager-load as ``with[0]=..&with[1]=..``.

    A single string is one relation (not a sequence of characters).
    """
    if relations is None:
        return []
    items = [relations] if isinstance(relations, str) else list(relations)
    pairs: QueryPairs = []
    for index, relation in enumerate(items):
        if not isinstance(relation, str) or not relation.strip():
            raise ValueError(f"with_ must hold non-empty relation names, got {relation!r}")
        pairs.append((f"with[{index}]", relation))
    return pairs


def _as_date(value: DateLike, *, parameter: str) -> date:
    if isinstance(value, datetime):
        # An aware datetime names an instant: the API's dates are UTC days.
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"{parameter} must be a date or a 'YYYY-MM-DD' string, got {value!r}")
    raise TypeError(
        f"{parameter} must be a date or a 'YYYY-MM-DD' string, got {type(value).__name__}"
    )


def encode_date_range(date_from: DateLike | None, date_to: DateLike | None) -> QueryPairs:
    """Encode an inclusive ``created_at`` range as ``date[0]``/``date[1]``.

    Either end may be None (open); both None sends nothing.
    """
    if date_from is None and date_to is None:
        return []
    start = OPEN_RANGE_START if date_from is None else _as_date(date_from, parameter="date_from")
    end = OPEN_RANGE_END if date_to is None else _as_date(date_to, parameter="date_to")
    if start > end:
        raise ValueError(f"date_from ({start}) must not be after date_to ({end})")
    return [("date[0]", start.isoformat()), ("date[1]", end.isoformat())]


def parse_sort(sort: str) -> tuple[str, int]:
    """Split ``"-created_at"`` into ``("created_at", -1)``; ``"id"``/``"+id"`` ascend."""
    if not isinstance(sort, str):
        raise TypeError(f"sort must be a string such as '-created_at', got {type(sort).__name__}")
    direction = 1
    field = sort.strip()
    if field.startswith("-"):
        direction, field = -1, field[1:]
    elif field.startswith("+"):
        field = field[1:]
    if not _FIELD_NAME.match(field):
        raise ValueError(
            f"sort must be a field name, optionally prefixed with '-' for descending "
            f"(e.g. '-created_at'), got {sort!r}"
        )
    return field, direction


def encode_sort(sort: str | None, *, nested: bool = False) -> QueryPairs:
    """Encode ``sort="-created_at"`` as ``sort[0]=created_at&sort[1]=-1``.

    ``nested`` is the price lists' form (REFERENCE §5 item 4): ``sort[0][0]=name&sort[0][1]=asc``.
    """
    if sort is None:
        return []
    field, direction = parse_sort(sort)
    if nested:
        return [("sort[0][0]", field), ("sort[0][1]", "asc" if direction > 0 else "desc")]
    return [("sort[0]", field), ("sort[1]", str(direction))]


def _filter_items(filters: Filters) -> list[tuple[str, FilterValue]]:
    if isinstance(filters, Mapping):
        return list(filters.items())
    if isinstance(filters, (str, bytes)):
        raise TypeError("filters must be a mapping or a sequence of (field, value) pairs")
    items: list[tuple[str, FilterValue]] = []
    for pair in filters:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"filters pairs must be (field, value) tuples, got {pair!r}")
        items.append((pair[0], pair[1]))
    return items


def encode_filters(filters: Filters | None) -> QueryPairs:
    """Encode field/value tuples as ``filters[N][0]=field&filters[N][1]=value``.

    A list or tuple value (an IN filter, or a from/to range) becomes ``filters[N][1][M]``.
    """
    if filters is None:
        return []
    pairs: QueryPairs = []
    for index, (field, value) in enumerate(_filter_items(filters)):
        if not isinstance(field, str) or not _FIELD_NAME.match(field):
            raise ValueError(f"filters field names must be identifiers, got {field!r}")
        pairs.append((f"filters[{index}][0]", field))
        parameter = f"filters[{field!r}]"
        if value is None:
            raise ValueError(f"{parameter} has no value (None); leave the filter out instead")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"{parameter} is an empty list; leave the filter out instead")
            for position, item in enumerate(value):
                if isinstance(item, (list, tuple)):
                    raise TypeError(f"{parameter} values may be nested one level only")
                pairs.append(
                    (f"filters[{index}][1][{position}]", encode_scalar(item, parameter=parameter))
                )
        else:
            scalar = cast(Scalar, value)
            pairs.append((f"filters[{index}][1]", encode_scalar(scalar, parameter=parameter)))
    return pairs


def encode_list_query(
    *,
    page: int | None = None,
    limit: int | None = None,
    status: str | None = None,
    with_: str | Iterable[str] | None = None,
    date_from: DateLike | None = None,
    date_to: DateLike | None = None,
    sort: str | None = None,
    filters: Filters | None = None,
    params: Sequence[tuple[str, str]] = (),
    nested_sort: bool = False,
) -> QueryPairs:
    """Encode a list request's parameters in a fixed order (the order of the docs' examples).

    ``params`` are further top-level keys (already spelled), sent after ``status``;
    ``nested_sort`` spells ``sort`` the price lists' way (see `encode_sort`).
    """
    pairs: QueryPairs = []
    if page is not None:
        pairs.append(("page", str(page)))
    if limit is not None:
        pairs.append(("limit", str(limit)))
    if status is not None:
        pairs.append(("status", status))
    pairs += params
    pairs += encode_with(with_)
    pairs += encode_date_range(date_from, date_to)
    pairs += encode_sort(sort, nested=nested_sort)
    pairs += encode_filters(filters)
    return pairs
