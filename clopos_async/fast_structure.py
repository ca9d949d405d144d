"""Generated structuring functions for the response models: the hot path of every page.

cattrs' generic functions call one hook per field, and the Optional hook another, about 60
calls per order. Here each model gets a function compiled once from its fields, where the
common cases (None, an int, a str) are an inline type check and only real conversions
(Decimal, datetime, statuses, nested models) call a hook. The hooks are the converter's own
(`serde.converter`), so the rules are the same; on any failure the caller re-runs the
converter's slower path, which says exactly which field is wrong.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

import attrs
import cattrs

__all__ = ["FastStructurer"]

Hook = Callable[[Any, Any], Any]
_NoneType = type(None)
_INLINE = (int, str, bool)  # types whose plain JSON value is already the Python value


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


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


class FastStructurer:
    """Compiles and caches one structuring function per attrs class."""

    def __init__(
        self, converter: cattrs.Converter, preprocess: dict[type, Callable[[Any], Any]]
    ) -> None:
        self._converter = converter
        # Classes whose input is reshaped first (e.g. the two Modificator shapes).
        self._preprocess = preprocess
        self._functions: dict[type, Hook] = {}

    def function_for(self, cls: type) -> Hook:
        """The compiled ``(data, cls) -> instance`` function for ``cls``."""
        function = self._functions.get(cls)
        if function is None:
            function = self._compile(cls)
            reshape = self._preprocess.get(cls)
            if reshape is not None:
                compiled = function

                def function(value: Any, tp: Any) -> Any:
                    return compiled(reshape(value), tp)

            self._functions[cls] = function
        return function

    def _compile(self, cls: type) -> Hook:
        namespace: dict[str, Any] = {"__cls": cls}
        lines = [
            "def structure(d, _):",
            "    if type(d) is not dict:",
            "        raise TypeError('expected a JSON object')",
            "    g = d.get",
        ]
        arguments = []
        for index, field in enumerate(attrs.fields(cls)):
            local = f"f{index}"
            key = field.alias  # the __init__ argument name
            wire = self._wire_name(cls, field.name)
            if field.default is attrs.NOTHING:
                lines.append(f"    if {wire!r} not in d:")
                lines.append(f"        raise KeyError({wire!r})")
            lines.append(f"    v = g({wire!r})")
            lines.append(f"    {local} = {self._expression(field.type, index, namespace)}")
            arguments.append(f"{key}={local}")
        if _plain_slots_class(cls):
            # attrs' frozen __init__ guards each assignment; nothing here needs guarding,
            # so write the slots directly (about half the cost, same object, still frozen).
            namespace["__new"] = object.__new__
            lines.append("    o = __new(__cls)")
            for index, field in enumerate(attrs.fields(cls)):
                namespace[f"__s{index}"] = cls.__dict__[field.name].__set__
                lines.append(f"    __s{index}(o, f{index})")
            lines.append("    return o")
        else:
            lines.append(f"    return __cls({', '.join(arguments)})")
        exec("\n".join(lines), namespace)  # source built above from field names only
        function: Hook = namespace["structure"]
        return function

    def _wire_name(self, cls: type, name: str) -> str:
        from .serde import WIRE_NAMES  # one table of renames, shared with the converter

        return WIRE_NAMES.get(cls, {}).get(name, name)

    def _expression(self, tp: Any, index: int, namespace: dict[str, Any]) -> str:
        """Python source that turns the JSON value ``v`` into a value of type ``tp``."""
        hook, tp_name = f"h{index}", f"t{index}"
        namespace[tp_name] = tp
        if tp is object:
            return "v"
        if _is_union(tp) and _NoneType in get_args(tp):
            inner = tuple(arg for arg in get_args(tp) if arg is not _NoneType)
            inner_tp: Any = inner[0] if len(inner) == 1 else Union[inner]  # noqa: UP007
            namespace[tp_name] = inner_tp
            checks = " or ".join(f"type(v) is {t.__name__}" for t in inner if t in _INLINE)
            if attrs.has(inner_tp):
                namespace[hook] = self.function_for(inner_tp)
            else:
                namespace[hook] = self._converter.get_structure_hook(inner_tp)
            if checks and all(t in _INLINE for t in inner):
                return f"v if v is None or {checks} else {hook}(v, {tp_name})"
            return f"None if v is None else {hook}(v, {tp_name})"
        if get_origin(tp) is tuple and attrs.has(get_args(tp)[0]):
            item_tp = get_args(tp)[0]
            namespace[hook] = self._converter.get_structure_hook(tp)  # None, bad shapes
            namespace[f"i{index}"] = self.function_for(item_tp)
            namespace[f"it{index}"] = item_tp
            return (f"tuple([i{index}(e, it{index}) for e in v]) if type(v) is list "
                    f"else {hook}(v, {tp_name})")
        namespace[hook] = self._converter.get_structure_hook(tp)
        if _is_union(tp) and all(t in _INLINE for t in get_args(tp)):
            checks = " or ".join(f"type(v) is {t.__name__}" for t in get_args(tp))
            return f"v if {checks} else {hook}(v, {tp_name})"
        return f"{hook}(v, {tp_name})"
