"""The one cattrs converter: API JSON <-> models, lenient where the API is inconsistent.

Every hook is registered explicitly, so cattrs never guesses at a union, and
``detailed_validation`` is off because this runs on every page of orders. When something
cannot be structured, the error is located afterwards (on the failure path only) and raised
as ``StructureError`` with a path such as ``Order.payload.products[0].count``.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, Union, cast, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from clopos_async.fast_structure import FastStructurer
from clopos_async.models.enums import DiscountType, OrderStatus
from clopos_async.models.orders import Modificator, Order, OrderMeta
from clopos_async.timestamps import format_timestamp, parse_timestamp

__all__ = [
    "StructureError",
    "converter",
    "parse_timestamp",
    "structure",
    "structure_created_order",
    "structure_list",
    "unstructure",
]

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]
_NoneType = type(None)


class StructureError(ValueError):
    """Raised when API data does not fit a model; ``str()`` names the model and field path."""

    def __init__(
        self, reason: str, *, model: str | None = None, path: Sequence[str | int] = ()
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.model = model
        self.path: list[str | int] = list(path)

    def __str__(self) -> str:
        where = self.model or ""
        for part in self.path:
            where += f"[{part}]" if isinstance(part, int) else f".{part}" if where else part
        return f"{where}: {self.reason}" if where else self.reason


# What bad input can raise inside generated code; anything else is a bug and propagates.
_DATA_ERRORS = (StructureError, KeyError, TypeError, ValueError, AttributeError, ArithmeticError)
WIRE_NAMES: dict[type, dict[str, str]] = {OrderMeta: {"order_total": "orderTotal"}}


def _fail(expected: str, value: object) -> StructureError:
    shown = repr(value)
    return StructureError(f"expected {expected}, got {shown[:80]}")


# -- scalar hooks: accept every form the API is known to send --


# Prices and counts repeat across a listing; Decimal is immutable, so one instance per
# distinct JSON number serves them all. Keyed by (type, value): 1 and 1.0 print differently.
_DECIMALS: dict[tuple[type, Any], Decimal | None] = {}
_DECIMALS_MAX = 4096


def _structure_decimal(value: Any, tp: Any) -> Decimal | None:
    cls = type(value)
    if cls is float or cls is int:
        key = (cls, value)
        cached = _DECIMALS.get(key, _DECIMALS)
        if cached is not _DECIMALS:
            return cached  # type: ignore[return-value]
        if len(_DECIMALS) >= _DECIMALS_MAX:
            _DECIMALS.clear()
        number = _DECIMALS[key] = _to_decimal(value, cls)
        return number
    return _to_decimal(value, cls)


def _to_decimal(value: Any, cls: type) -> Decimal | None:
    if cls is Decimal:
        return value if value.is_finite() else None
    if cls is int:
        return Decimal(value)
    if cls is float:
        # repr is the shortest round-tripping form: 8.5 -> Decimal("8.5"), 0.1 -> Decimal("0.1").
        return Decimal(repr(value)) if value - value == 0 else None
    if cls is str:  # e.g. orderTotal "16.2000"
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    raise _fail("a number", value)


def _structure_datetime(value: Any, _: Any) -> datetime | None:
    # Malformed timestamps (e.g. "203-05-25T...") become None rather than failing the order.
    return parse_timestamp(value)


def _structure_int(value: Any, tp: Any) -> int:
    cls = type(value)
    if cls is int and tp is int:
        return value  # type: ignore[no-any-return]
    if tp is not int:  # another int subclass (e.g. an IntEnum elsewhere): cattrs' default
        return tp(value)  # type: ignore[no-any-return]
    if cls is bool or (cls is float and value.is_integer()):
        return int(value)
    if cls is str:
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _fail("an integer", value)


def _structure_str(value: Any, tp: Any) -> str:
    cls = type(value)
    if cls is str and tp is str:
        return value  # type: ignore[no-any-return]
    if tp is not str:  # another str subclass (e.g. a str Enum elsewhere): cattrs' default
        return tp(value)  # type: ignore[no-any-return]
    if cls is int or cls is float or cls is Decimal:
        return str(value)
    raise _fail("a string", value)


def _structure_flag(value: Any, _: Any) -> bool:
    cls = type(value)
    if cls is bool:
        return value  # type: ignore[no-any-return]
    if cls is int:  # the API sends many flags as 0/1
        return bool(value)
    if cls is str:
        lowered = value.strip().lower()
        if lowered in ("1", "true"):
            return True
        if lowered in ("0", "false"):
            return False
    raise _fail("a boolean or 0/1", value)


def _structure_id(value: Any, _: Any) -> int | str:
    # Ids are kept exactly as sent: 75 stays 75, "ORD-12345" and "75" stay strings.
    cls = type(value)
    if cls is int or cls is str:
        return value  # type: ignore[no-any-return]
    if cls is float and value.is_integer():
        return int(value)
    raise _fail("an integer or string id", value)


def _structure_status(value: Any, _: Any) -> OrderStatus | str:
    if isinstance(value, str):  # OrderStatus is a str too
        return OrderStatus.parse(value)
    if type(value) in (int, float):  # never reject an order over its status
        return str(value)
    raise _fail("a status string", value)


def _structure_discount_type(value: Any, _: Any) -> DiscountType | int:
    return DiscountType.parse(_structure_int(value, int))


def _structure_any(value: Any, _: Any) -> Any:
    return value


# -- factories: resolve the inner hook once, when cattrs first asks for the type --


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _union_of(*members: type) -> Callable[[Any], bool]:
    expected = frozenset(members)
    return lambda tp: _is_union(tp) and frozenset(get_args(tp)) == expected


def _is_optional(tp: Any) -> bool:
    return _is_union(tp) and _NoneType in get_args(tp)


def _optional_hook(tp: Any) -> Hook:
    rest = tuple(arg for arg in get_args(tp) if arg is not _NoneType)
    inner_type: Any = rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 (runtime union)
    inner = converter.get_structure_hook(inner_type)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure_optional


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(tp: Any) -> Hook:
    item_type = get_args(tp)[0]
    item = converter.get_structure_hook(item_type)

    def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
        if value is None:  # null where a list is expected: treat as empty
            return ()
        if type(value) is not list and type(value) is not tuple:
            raise _fail("a JSON array", value)
        try:
            return tuple([item(element, item_type) for element in value])
        except _DATA_ERRORS as exc:
            raise _locate_item(value, item, item_type, exc) from exc

    return structure_tuple


def _locate_item(items: Sequence[Any], hook: Hook, item_type: Any, exc: Exception) -> Exception:
    """Re-run the hook on each element to find the one that failed (failure path only)."""
    for index, element in enumerate(items):
        try:
            hook(element, item_type)
        except Exception as found:  # diagnosis only: whatever fails here is the culprit
            error = found if isinstance(found, StructureError) else StructureError(str(found))
            error.path.insert(0, index)
            return error
    return exc


def _attrs_hook(cls: type) -> Hook:
    renames = WIRE_NAMES.get(cls, {})
    overrides: dict[str, Any] = {field: override(rename=wire) for field, wire in renames.items()}
    generated: Hook = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=False,
        _cattrs_detailed_validation=False,
        **overrides,
    )
    name = _name(cls)

    def structure_attrs(value: Any, _: Any) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise StructureError(f"expected a JSON object, got {type(value).__name__}", model=name)
        try:
            return generated(value, cls)
        except _DATA_ERRORS as exc:
            raise _locate_field(cls, value, renames, exc) from exc

    return structure_attrs


def _locate_field(
    cls: type, value: Mapping[str, Any], renames: dict[str, str], exc: Exception
) -> StructureError:
    """Re-run each field's hook to find the one that failed (failure path only)."""
    name = _name(cls)
    for field in attrs.fields(get_origin(cls) or cls):
        key = renames.get(field.name, field.name)
        if key not in value:
            if field.default is attrs.NOTHING:
                return StructureError("required field is missing", model=name, path=[key])
            continue
        try:
            converter.get_structure_hook(field.type)(value[key], field.type)
        except Exception as found:  # diagnosis only: whatever fails here is the culprit
            error = found if isinstance(found, StructureError) else StructureError(str(found))
            error.path.insert(0, key)
            error.model = name
            return error
    return StructureError(str(exc) or type(exc).__name__, model=name)


def _flatten_modificator(value: Any) -> Any:
    """Turn ``{modificator: {id, name, price}, count}`` into the flat ``Modificator`` shape."""
    if type(value) is not dict or "modificator" not in value:
        return value
    flat = {key: item for key, item in value.items() if key != "modificator"}
    nested = value["modificator"]
    if isinstance(nested, Mapping):
        for source, target in (("id", "modificator_id"), ("name", "name"), ("price", "price")):
            if source in nested:
                flat.setdefault(target, nested[source])
    elif nested is not None:  # a bare id
        flat.setdefault("modificator_id", nested)
    return flat


def _modificator_hook(_: Any) -> Hook:
    structure_flat = _attrs_hook(Modificator)
    return lambda value, tp: structure_flat(_flatten_modificator(value), tp)


def _configure(conv: cattrs.Converter) -> None:
    # Classes go to cattrs' singledispatch, which is consulted first and already holds int and
    # str. It matches subclasses too, so bool, DiscountType and OrderStatus get their own
    # entries (the most specific class wins) and the int/str hooks defer for other subclasses.
    classes: list[tuple[type, Hook]] = [
        (Decimal, _structure_decimal),
        (datetime, _structure_datetime),
        (int, _structure_int),
        (str, _structure_str),
        (bool, _structure_flag),
        (OrderStatus, _structure_status),
        (DiscountType, _structure_discount_type),
    ]
    for cls, hook in classes:
        conv.register_structure_hook(cls, hook)
    # Predicates and factories: a later registration wins over an earlier one.
    conv.register_structure_hook_factory(attrs.has, _attrs_hook)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
    conv.register_structure_hook_factory(_is_optional, _optional_hook)
    # `object` via singledispatch would catch every class; a predicate matches it alone.
    conv.register_structure_hook_func(lambda tp: tp is object, _structure_any)
    conv.register_structure_hook_func(_union_of(int, str), _structure_id)
    conv.register_structure_hook_func(_union_of(OrderStatus, str), _structure_status)
    conv.register_structure_hook_func(_union_of(DiscountType, int), _structure_discount_type)
    conv.register_structure_hook_factory(lambda t: t is Modificator, _modificator_hook)

    conv.register_unstructure_hook(datetime, format_timestamp)
    # Enums become their plain values. Unions dispatch on the runtime class; cattrs would
    # otherwise pass `OrderStatus | str` through untouched (the enum is a str).
    conv.register_unstructure_hook(OrderStatus, lambda status: status.value)
    conv.register_unstructure_hook(DiscountType, lambda kind: kind.value)
    conv.register_unstructure_hook_func(_is_union, conv.unstructure)
    conv.register_unstructure_hook(
        OrderMeta,
        make_dict_unstructure_fn(OrderMeta, conv, order_total=override(rename="orderTotal")),
    )


converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)
_configure(converter)
# The compiled fast path for response models; the converter stays the reference (and the
# diagnosis path when data does not fit).
_fast = FastStructurer(converter, {Modificator: _flatten_modificator})


def structure(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from decoded JSON; raise ``StructureError`` if it does not fit.

    >>> structure({"id": 1, "status": "pending"}, Order).status
    <OrderStatus.PENDING: 'PENDING'>
    """
    if attrs.has(cls):
        try:
            return cast(T, _fast.function_for(cls)(data, cls))
        except _DATA_ERRORS:
            pass  # the converter's path below says exactly what does not fit
    try:
        return converter.structure(data, cls)
    except _DATA_ERRORS as exc:
        error = _as_structure_error(exc, cls)
        raise error from _cause(error, exc)


def structure_list(items: list[object], cls: type[T]) -> list[T]:
    """Build a list of ``cls`` (e.g. one page of orders), resolving the hook once.

    >>> [o.id for o in structure_list([{"id": 1}, {"id": "ORD-2"}], Order)]
    [1, 'ORD-2']
    """
    if not isinstance(items, (list, tuple)):
        raise StructureError(f"expected a JSON array, got {type(items).__name__}")
    if attrs.has(cls):
        fast = _fast.function_for(cls)
        try:
            return [fast(item, cls) for item in items]
        except _DATA_ERRORS:
            pass  # the converter's path below says exactly what does not fit
    hook = converter.get_structure_hook(cls)
    try:
        return [hook(item, cls) for item in items]
    except _DATA_ERRORS as exc:
        error = _as_structure_error(_locate_item(items, hook, cls, exc), cls)
        raise error from _cause(error, exc)


def structure_created_order(data: object) -> Order:
    """Build the ``Order`` a create call returned, whichever documented shape it has.

    The id is ``data.id``, else ``data.payload.id`` (the OAS shape); ``venue_id`` and the
    timestamps are taken from ``payload`` too when only it has them.

    >>> structure_created_order({"status": "PENDING", "payload": {"id": 295}}).id
    295
    """
    if not isinstance(data, Mapping):
        raise StructureError(f"expected a JSON object, got {type(data).__name__}", model="Order")
    if data.get("id") is not None:
        return structure(data, Order)
    payload = data.get("payload")
    if not isinstance(payload, Mapping) or payload.get("id") is None:
        raise StructureError("no order id in data.id or data.payload.id", model="Order")
    merged = dict(data)
    merged["id"] = payload["id"]
    for key in ("venue_id", "created_at", "updated_at"):
        if merged.get(key) is None and key in payload:
            merged[key] = payload[key]
    return structure(merged, Order)


def unstructure(obj: object) -> dict[str, Any]:
    """Turn a model into a JSON-ready dict (wire names; Decimal kept; datetimes ISO with Z).

    >>> unstructure(structure({"id": 1, "total": 42000}, Order))["total"]
    Decimal('42000')
    """
    result = converter.unstructure(obj)
    if not isinstance(result, dict):
        raise TypeError(f"unstructure() expects an attrs model, got {type(obj).__name__}")
    return result


def _as_structure_error(exc: Exception, cls: Any) -> StructureError:
    if not isinstance(exc, StructureError):
        exc = StructureError(str(exc) or type(exc).__name__)
    if exc.model is None:
        exc.model = _name(cls)
    return exc


def _cause(error: StructureError, exc: Exception) -> Exception | None:
    # An error that is already a StructureError is raised as itself: it must not become its
    # own __cause__ (a cycle that tracebacks and error reporters choke on).
    return None if error is exc else exc


def _name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)
