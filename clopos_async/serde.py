"""The one cattrs converter and its one structuring engine: API JSON <-> models.

Every hook is registered explicitly, so cattrs never guesses at a union. Attrs classes get
their hook from a factory that compiles one Python function per class from its fields
(`_compile`): the common cases (None, an int, a str) are an inline type check, only real
conversions call a hook, nested models call each other's compiled functions directly, and
field defaults apply when a key is absent. So ``converter.structure`` *is* the fast path.

The lenient rules live here, once, for every model:
- unknown keys are ignored; a JSON key differs from the attribute only via ``models.fields.wire``;
- ``[]`` where an object (a model) is expected means the object is absent (Laravel writes an
  empty or unloaded relation as ``[]``): the field gets its default;
- ``null`` where a list is expected is an empty tuple.

When something does not fit, the error is located afterwards (failure path only) by running
each field's own code again, and raised as ``StructureError`` with a path such as
``Order.payload.products[0].count``. `structure_items` instead degrades such an item (the part
that does not fit becomes ``None``, or ``()`` for a list) so one bad record never costs the others.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from clopos_async.models.enums import DiscountType, OrderStatus
from clopos_async.models.fields import wire_name
from clopos_async.models.orders import Modificator, Order
from clopos_async.models.page import DegradedItem
from clopos_async.models.products import RecipeItem, flatten_recipe_row
from clopos_async.timestamps import format_timestamp, parse_timestamp

__all__ = [
    "StructureError",
    "converter",
    "parse_timestamp",
    "structure",
    "structure_created_order",
    "structure_items",
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


def _fail(expected: str, value: object) -> StructureError:
    shown = repr(value)
    return StructureError(f"expected {expected}, got {shown[:80]}")


# -- scalar hooks: accept every form the API is known to send --


# Prices and counts repeat across a listing; Decimal is immutable, so one instance per
# distinct JSON number (or numeric string, e.g. orderTotal "16.2000") serves them all. One
# table per JSON type: 1, 1.0 and "1" are equal or alike as keys but print differently.
# Compiled functions look a number up here themselves and call the hook only on a miss.
_DECIMALS_OF: dict[type, dict[Any, Decimal | None]] = {float: {}, int: {}, str: {}}
_DECIMALS_MAX = 4096


def _structure_decimal(value: Any, tp: Any) -> Decimal | None:
    cls = type(value)
    cache = _DECIMALS_OF.get(cls)
    if cache is None:
        return _to_decimal(value, cls)
    number = cache.get(value, cache)
    if number is cache:
        if len(cache) >= _DECIMALS_MAX:
            cache.clear()
        number = cache[value] = _to_decimal(value, cls)
    return number  # type: ignore[return-value]


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


# Beyond 2**53 a float no longer holds every integer, so one there may not be the number the
# server wrote: orjson reads an integer literal beyond 64 bits as a float (the standard library
# keeps it exact). Two distinct ids 10**29 + 1 and 10**29 + 2 would both become
# 99999999999999991433150857216, a wrong id that the paginator then drops as a repeat.
_EXACT_FLOAT_INTS = 2.0**53


def _exact_int(value: float) -> int | None:
    """The integer a float stands for, if it surely is one (else None)."""
    return int(value) if value.is_integer() and abs(value) <= _EXACT_FLOAT_INTS else None


def _structure_int(value: Any, tp: Any) -> int:
    cls = type(value)
    if cls is int and tp is int:
        return value  # type: ignore[no-any-return]
    if tp is not int:  # another int subclass (e.g. an IntEnum elsewhere): cattrs' default
        return tp(value)  # type: ignore[no-any-return]
    if cls is bool:
        return int(value)
    if cls is float and (exact := _exact_int(value)) is not None:
        return exact
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
    if cls is float and (exact := _exact_int(value)) is not None:
        return exact
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


def _int_enum_of(tp: Any) -> Any:
    """``E`` for a union ``E | int`` where ``E`` is an int enum (ReceiptStatus), else None."""
    if not _is_union(tp):
        return None
    members = get_args(tp)
    enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)
             and issubclass(m, int)]
    return enums[0] if len(members) == 2 and int in members and len(enums) == 1 else None


def _structure_int_enum(value: Any, tp: Any) -> Any:
    # An unknown number is kept as the int, never rejected (the order statuses' rule).
    number = _structure_int(value, int)
    members: Any = _int_enum_of(tp)
    try:
        return members(number)
    except ValueError:
        return number


# -- shapes of types: resolved once, when cattrs first asks for a type --


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _union_of(*members: type) -> Callable[[Any], bool]:
    expected = frozenset(members)
    return lambda tp: _is_union(tp) and frozenset(get_args(tp)) == expected


def _is_optional(tp: Any) -> bool:
    return _is_union(tp) and _NoneType in get_args(tp)


def _without_none(tp: Any) -> Any:
    rest = tuple(arg for arg in get_args(tp) if arg is not _NoneType)
    return rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 (runtime union)


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _model_of(tp: Any) -> Any:
    """The model class a field of type ``tp`` (``X`` or ``X | None``) holds, else None."""
    inner = _without_none(tp) if _is_optional(tp) else tp
    return inner if attrs.has(inner) else None


def _model_items_of(tp: Any) -> Any:
    """The model class of the items of a ``tuple[X, ...]`` field, else None."""
    return get_args(tp)[0] if _is_homogeneous_tuple(tp) and attrs.has(get_args(tp)[0]) else None


def _is_empty_array(value: Any) -> bool:
    # Laravel serialises an empty or unloaded relation as [] where an object is documented.
    return type(value) is list and not value


# -- generic hooks --


def _optional_hook(tp: Any) -> Hook:
    inner_type = _without_none(tp)
    inner = converter.get_structure_hook(inner_type)
    if _model_of(inner_type) is not None:

        def structure_optional_model(value: Any, _: Any) -> Any:
            return None if value is None or _is_empty_array(value) else inner(value, inner_type)

        return structure_optional_model

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure_optional


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
            raise _locate_item(value, item, item_type, exc) from None

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


# Models whose JSON is reshaped before structuring (the two stored Modificator shapes).
_RESHAPE: dict[type, Callable[[Any], Any]] = {
    Modificator: _flatten_modificator,
    RecipeItem: flatten_recipe_row,  # the docs' flat row, or the mocks' product with a pivot
}


# -- the engine: one compiled function per model --

_MISSING: Any = object()  # "the key is absent", distinct from null
_INLINE = (int, str, bool)  # types whose plain JSON value is already the Python value
_compiled_functions: dict[type, Hook] = {}
_diagnosis_checks: dict[type, list[tuple[attrs.Attribute[Any], str, Callable[[Any], Any]]]] = {}


def _as_dict(value: Any) -> dict[Any, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError("expected a JSON object")


def _default_of(field: attrs.Attribute[Any]) -> Callable[[], Any]:
    """What an absent key gives: the field's default (a fresh one for factories)."""
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            raise TypeError(f"{field.name}: defaults that take self are not supported")
        factory: Callable[[], Any] = default.factory
        return factory
    if default is attrs.NOTHING:

        def missing() -> Any:
            raise StructureError("required field is missing")

        return missing
    return lambda: default


def _not_an_object(field: attrs.Attribute[Any], model: Any) -> Callable[[Any], Any]:
    """What a model field gets when its JSON value is not an object (failure-ish path)."""
    absent = _default_of(field)
    nullable = _is_optional(field.type)
    hook = converter.get_structure_hook(model)

    def not_an_object(value: Any) -> Any:
        if value is _MISSING or _is_empty_array(value):
            return absent()
        if value is None and nullable:
            return None
        return hook(value, model)  # a Mapping that is not a dict, or the located error

    return not_an_object


def _field_source(
    field: attrs.Attribute[Any], index: int, namespace: dict[str, Any], *, diagnosis: bool
) -> list[str]:
    """Source lines setting local ``f{index}`` from the JSON object ``d``.

    ``d.get(key)`` rather than a bound ``g = d.get``: 3.11+ calls the method without
    building it (12-30% cheaper per key, measured on 3.11-3.13; 5% dearer on 3.10).

    The same lines serve the fast function and, on failure, the diagnosis of one field; only
    what nested models call differs (their compiled functions, or their locating hooks).
    """
    key, tp = wire_name(field), field.type
    value, hook, tp_name = f"f{index}", f"h{index}", f"t{index}"
    model = _model_of(tp)
    if model is not None:
        namespace[hook] = converter.get_structure_hook(model) if diagnosis else _compiled(model)
        namespace[tp_name] = model
        namespace[f"o{index}"] = _not_an_object(field, model)
        structured = f"{hook}(v, {tp_name}) if type(v) is dict else"
        if field.default is None and _is_optional(tp):  # absent == null: no sentinel needed
            structured += " None if v is None else"
            return [f"    v = d.get({key!r})", f"    {value} = {structured} o{index}(v)"]
        return [f"    v = d.get({key!r}, M)", f"    {value} = {structured} o{index}(v)"]
    namespace[tp_name] = tp
    namespace[hook] = converter.get_structure_hook(tp)
    items = _model_items_of(tp)
    if tp is object:
        expression = "v"
    elif items is not None and not diagnosis:
        namespace[f"i{index}"], namespace[f"it{index}"] = _compiled(items), items
        build = f"tuple([i{index}(e, it{index}) for e in v]) if type(v) is list else"
        if type(field.default) is tuple:  # immutable, so d.get can hand out the default itself
            namespace[f"a{index}"] = field.default
            absent = f"a{index} if v is a{index} else"
            return [f"    v = d.get({key!r}, a{index})",
                    f"    {value} = {build} {absent} {hook}(v, {tp_name})"]
        expression = f"{build} {hook}(v, {tp_name})"
    elif _is_optional(tp):
        inner = _without_none(tp)
        namespace[tp_name], namespace[hook] = inner, converter.get_structure_hook(inner)
        members = get_args(inner) if _is_union(inner) else (inner,)
        checks = " or ".join(f"type(v) is {t.__name__}" for t in members if t in _INLINE)
        if checks and all(t in _INLINE for t in members):
            expression = f"v if v is None or {checks} else {hook}(v, {tp_name})"
        elif inner is Decimal and not diagnosis:
            # The shared instance straight from `_DECIMALS_OF` (no call); the hook on a miss.
            namespace["__floats"] = _DECIMALS_OF[float].get
            namespace["__ints"] = _DECIMALS_OF[int].get
            namespace["__texts"] = _DECIMALS_OF[str].get
            cached = ("c if (type(v) is float and (c := __floats(v, M)) is not M)"
                      " or (type(v) is int and (c := __ints(v, M)) is not M)"
                      " or (type(v) is str and (c := __texts(v, M)) is not M) else")
            expression = f"None if v is None else {cached} {hook}(v, {tp_name})"
        else:
            expression = f"None if v is None else {hook}(v, {tp_name})"
    elif _is_union(tp) and all(t in _INLINE for t in get_args(tp)):
        checks = " or ".join(f"type(v) is {t.__name__}" for t in get_args(tp))
        expression = f"v if {checks} else {hook}(v, {tp_name})"
    else:
        expression = f"{hook}(v, {tp_name})"
    if field.default is None and (_is_optional(tp) or tp is object):
        return [f"    v = d.get({key!r})", f"    {value} = {expression}"]  # absent == null here
    # A constant default is bound as is; a factory is called each time the key is absent.
    factory = isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
    constant = field.default is not attrs.NOTHING and not factory
    namespace[f"a{index}"] = field.default if constant else _default_of(field)
    if field.default is attrs.NOTHING:  # required: absent raises (diagnosis checks first)
        raise_if_absent = [] if diagnosis else [f"    if v is M: raise KeyError({key!r})"]
        return [f"    v = d.get({key!r}, M)", *raise_if_absent, f"    {value} = {expression}"]
    absent = f"a{index}" if constant else f"a{index}()"
    return [f"    v = d.get({key!r}, M)", f"    {value} = {absent} if v is M else {expression}"]


def _plain_slots_class(cls: type) -> bool:
    """Whether instances can be built by writing slots: no validators, converters, hooks."""
    return (
        "__slots__" in cls.__dict__
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and all(
            field.init and field.validator is None and field.converter is None
            and isinstance(cls.__dict__.get(field.name), types.MemberDescriptorType)
            for field in attrs.fields(cls)
        )
    )


def _unguarded(cls: type) -> type:
    """A subclass of ``cls`` with the same slots whose attributes can simply be assigned.

    Assigning ``__class__`` between the two is allowed (same layout: the twin adds no slot)
    and changes nothing but the type, so the compiled function fills the twin and hands out
    a genuine, frozen ``cls``; the twin itself never leaves this module. Measured against
    calling each slot's ``__set__`` (the previous way): 6 fields 504 -> 226 ns on 3.11,
    628 -> 274 on 3.12, 522 -> 263 on 3.13, 505 -> 371 on 3.10 (benchmarks/README.md).
    """
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__module__": cls.__module__,
    }
    return type(cls)(f"_Unguarded{cls.__name__}", (cls,), namespace)


def _compiled(cls: Any) -> Hook:
    """The compiled ``(data, cls) -> instance`` function of a model (no error locating)."""
    function = _compiled_functions.get(cls)
    if function is None:
        # A recursive model (a category's children, a product's variants) names itself: while
        # it compiles, its own fields reach it through this stub, which calls the finished one.
        _compiled_functions[cls] = lambda value, tp: _compiled_functions[cls](value, tp)
        try:
            function = _compile(cls)
        except BaseException:
            del _compiled_functions[cls]
            raise
        reshape = _RESHAPE.get(cls)
        if reshape is not None:
            compiled = function

            def function(value: Any, tp: Any) -> Any:
                return compiled(reshape(value), tp)

        _compiled_functions[cls] = function
    return function


def _compile(cls: Any) -> Hook:
    namespace: dict[str, Any] = {"__cls": cls, "M": _MISSING, "__as_dict": _as_dict}
    lines = [
        "def structure(d, _):",
        "    if type(d) is not dict:",
        "        d = __as_dict(d)",
    ]
    fields = attrs.fields(cls)
    for index, field in enumerate(fields):
        lines += _field_source(field, index, namespace, diagnosis=False)
    if _plain_slots_class(cls):
        # attrs' frozen __init__ guards each assignment; nothing here needs guarding. The
        # object is born as the model's unguarded twin (`_unguarded`), whose plain attribute
        # writes the interpreter turns into direct slot stores, then becomes the model itself.
        namespace["__new"], namespace["__twin"] = object.__new__, _unguarded(cls)
        lines.append("    o = __new(__twin)")
        lines += [f"    o.{field.name} = f{index}" for index, field in enumerate(fields)]
        lines.append("    o.__class__ = __cls")
        lines.append("    return o")
    else:
        arguments = ", ".join(f"{field.alias}=f{index}" for index, field in enumerate(fields))
        lines.append(f"    return __cls({arguments})")
    exec("\n".join(lines), namespace)  # source built above from field names only
    function: Hook = namespace["structure"]
    return function


def _checks(cls: Any) -> list[tuple[attrs.Attribute[Any], str, Callable[[Any], Any]]]:
    """Per field: (field, JSON key, a function structuring just that field of a dict)."""
    checks = _diagnosis_checks.get(cls)
    if checks is None:
        checks = []
        for index, field in enumerate(attrs.fields(cls)):
            namespace: dict[str, Any] = {"M": _MISSING}
            source = ["def check(d):"]
            source += _field_source(field, index, namespace, diagnosis=True)
            source.append(f"    return f{index}")
            exec("\n".join(source), namespace)  # source built from field names only
            checks.append((field, wire_name(field), namespace["check"]))
        _diagnosis_checks[cls] = checks
    return checks


def _model_hook(cls: Any) -> Hook:
    """The converter's hook for a model: the compiled function, located errors on failure."""
    fast = _compiled(cls)

    def structure_model(value: Any, _: Any) -> Any:
        try:
            return fast(value, cls)
        except _DATA_ERRORS:
            raise _locate_field(cls, value) from None

    return structure_model


def _locate_field(cls: Any, value: Any) -> StructureError:
    """Run each field's own code again to find the one that failed (failure path only)."""
    name = _name(cls)
    reshape = _RESHAPE.get(cls)
    value = reshape(value) if reshape is not None else value
    if not isinstance(value, Mapping):
        return StructureError(f"expected a JSON object, got {type(value).__name__}", model=name)
    for field, key, check in _checks(cls):
        if key not in value and field.default is attrs.NOTHING:
            return StructureError("required field is missing", model=name, path=[key])
        try:
            check(value)
        except Exception as found:  # diagnosis only: whatever fails here is the culprit
            error = found if isinstance(found, StructureError) else StructureError(str(found))
            error.path.insert(0, key)
            error.model = name
            return error
    return StructureError("the object does not fit, though each field does alone", model=name)


# -- degrading: an item that does not fit keeps what does --


def _salvage(cls: Any, value: Any, path: list[str | int], problems: list[str]) -> Any:
    """Build ``cls`` from ``value`` with every part that does not fit set to ``None`` (a list
    field to ``()``, `_unfit_value`).

    Each such part is appended to ``problems`` as ``"<json path>: <reason>"``. Nested models
    and list items are salvaged in turn, so only the innermost failing part is lost.
    """
    try:
        return _compiled(cls)(value, cls)
    except _DATA_ERRORS:
        pass
    reshape = _RESHAPE.get(cls)
    value = reshape(value) if reshape is not None else value
    if not isinstance(value, Mapping):  # nothing of it fits: its defaults, and no id
        problems.append(str(StructureError(
            f"expected a JSON object, got {type(value).__name__}", path=path)))
        return cls(**{
            field.alias or field.name: None if field.default is attrs.NOTHING
            else _default_of(field)() for field in attrs.fields(cls)
        })
    arguments: dict[str, Any] = {}
    for field, key, check in _checks(cls):
        here, argument = [*path, key], field.alias or field.name
        if key not in value and field.default is attrs.NOTHING:
            problems.append(str(StructureError("required field is missing", path=here)))
            arguments[argument] = None
            continue
        try:
            arguments[argument] = check(value)
            continue
        except Exception as exc:  # whatever fails here is what gets dropped
            failure = exc
        raw = value.get(key)
        model, items = _model_of(field.type), _model_items_of(field.type)
        if model is not None and isinstance(raw, Mapping):
            arguments[argument] = _salvage(model, raw, here, problems)
        elif items is not None and type(raw) is list:
            arguments[argument] = tuple(
                [_salvage(items, element, [*here, i], problems) for i, element in enumerate(raw)]
            )
        else:
            reason = failure.reason if isinstance(failure, StructureError) else str(failure)
            inner = failure.path if isinstance(failure, StructureError) else []
            problems.append(str(StructureError(reason, path=[*here, *inner])))
            arguments[argument] = _unfit_value(field)
    return cls(**arguments)


def _unfit_value(field: attrs.Attribute[Any]) -> Any:
    """What a field that does not fit becomes: None, but a list field its empty tuple.

    A list field holding None would break its own type, and the code that iterates it with
    it (``Category.walk`` raised TypeError on a category whose ``children`` was ``{}``).
    """
    return field.default if type(field.default) is tuple else None


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
    conv.register_structure_hook_factory(attrs.has, _model_hook)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
    conv.register_structure_hook_factory(_is_optional, _optional_hook)
    # `object` via singledispatch would catch every class; a predicate matches it alone.
    conv.register_structure_hook_func(lambda tp: tp is object, _structure_any)
    conv.register_structure_hook_func(_union_of(int, str), _structure_id)
    conv.register_structure_hook_func(_union_of(OrderStatus, str), _structure_status)
    conv.register_structure_hook_func(_union_of(DiscountType, int), _structure_discount_type)
    # Any other `IntEnum-like | int` field (ReceiptStatus | int): members, unknowns kept.
    conv.register_structure_hook_func(
        lambda tp: _int_enum_of(tp) not in (None, DiscountType), _structure_int_enum
    )

    conv.register_unstructure_hook(datetime, format_timestamp)
    # Enums become their plain values. Unions dispatch on the runtime class; cattrs would
    # otherwise pass `OrderStatus | str` through untouched (the enum is a str).
    conv.register_unstructure_hook(OrderStatus, lambda status: status.value)
    conv.register_unstructure_hook(DiscountType, lambda kind: kind.value)
    conv.register_unstructure_hook_func(_is_union, conv.unstructure)
    conv.register_unstructure_hook_factory(attrs.has, _unstructure_model_hook)


def _unstructure_model_hook(cls: Any) -> Callable[[Any], Any]:
    renamed: dict[str, Any] = {
        field.name: override(rename=wire_name(field))
        for field in attrs.fields(cls)
        if wire_name(field) != field.name
    }
    return make_dict_unstructure_fn(cls, converter, **renamed)


converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)
_configure(converter)


def structure(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from decoded JSON; raise ``StructureError`` if it does not fit.

    >>> structure({"id": 1, "status": "pending"}, Order).status
    <OrderStatus.PENDING: 'PENDING'>
    """
    try:
        return converter.structure(data, cls)
    except _DATA_ERRORS as exc:
        raise _as_structure_error(exc, cls) from None


def _item_function(cls: Any) -> Hook:
    return _compiled(cls) if attrs.has(cls) else converter.get_structure_hook(cls)


def _check_array(items: object) -> None:
    if not isinstance(items, (list, tuple)):
        raise StructureError(f"expected a JSON array, got {type(items).__name__}")


def structure_list(items: list[object], cls: type[T]) -> list[T]:
    """Build a list of ``cls``, raising ``StructureError`` (with the index) if one does not fit.

    >>> [o.id for o in structure_list([{"id": 1}, {"id": "ORD-2"}], Order)]
    [1, 'ORD-2']
    """
    _check_array(items)
    fast = _item_function(cls)
    try:
        return [fast(item, cls) for item in items]
    except _DATA_ERRORS as exc:
        hook = converter.get_structure_hook(cls)
        raise _as_structure_error(_locate_item(items, hook, cls, exc), cls) from None


def structure_items(
    items: list[object], cls: type[T], *, strict: bool = False
) -> tuple[list[T], tuple[DegradedItem, ...]]:
    """Build one page's items; one that does not fit is degraded instead of failing the page.

    A degraded item keeps every part that fits (the rest is ``None``) and is listed, with
    what was wrong, in the second result. ``strict=True`` raises ``StructureError`` instead.

    >>> items, degraded = structure_items([{"id": 1}, {"id": 2, "venue_id": "x"}], Order)
    >>> [o.venue_id for o in items], degraded[0].index, degraded[0].problems
    ([None, None], 1, ("venue_id: expected an integer, got 'x'",))
    """
    if strict or not attrs.has(cls):
        return structure_list(items, cls), ()
    _check_array(items)
    fast = _compiled(cls)
    try:
        return [fast(item, cls) for item in items], ()
    except _DATA_ERRORS:
        pass  # the slower loop below finds the items that do not fit
    built: list[T] = []
    degraded: list[DegradedItem] = []
    for index, item in enumerate(items):
        problems: list[str] = []
        built.append(_salvage(cls, item, [], problems))
        if problems:
            sent_id = item.get("id") if isinstance(item, Mapping) else None
            degraded.append(DegradedItem(index=index, id=sent_id, problems=tuple(problems)))
    return built, tuple(degraded)


def structure_created_order(data: object) -> Order:
    """Build the ``Order`` a create (or get) call returned, whichever documented shape it has.

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


def _name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)
