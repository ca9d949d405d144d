"""The one vocabulary for checking arguments, with one message shape.

Every message names the parameter, the allowed values and what was given::

    >>> check_int("limit", 0, minimum=1, maximum=100)
    Traceback (most recent call last):
    ...
    ValueError: limit must be an int in 1..100, got 0

A value of the wrong type raises `ArgumentTypeError` (a `TypeError` that is also a
`ValueError`: older versions raised either, and code catching either keeps working), a value
of the right type outside the allowed ones `ValueError`; both with the same shape. Secrets
pass ``secret=True`` so that only their type is shown. `attrs_check` wraps the same checks
as attrs validators, so models and configuration speak the same words as method arguments.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

import attrs

__all__ = [
    "ArgumentTypeError",
    "attrs_check",
    "check_choice",
    "check_decimal",
    "check_instance",
    "check_int",
    "check_non_empty_str",
    "check_positive_number",
    "invalid",
]

T = TypeVar("T")


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type (catchable as either `TypeError` or `ValueError`)."""


def _given(value: object, *, secret: bool = False) -> str:
    return f"a {type(value).__name__}" if secret else repr(value)


def invalid(
    name: str, allowed: str, value: object, *, error: type[Exception] = ValueError,
    secret: bool = False,
) -> NoReturn:
    """Raise ``error("<name> must be <allowed>, got <value>")``: the one message shape."""
    raise error(f"{name} must be {allowed}, got {_given(value, secret=secret)}")


def _int_range(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"an int in {minimum}..{maximum}"
    if minimum is not None:
        return f"an int >= {minimum}"
    if maximum is not None:
        return f"an int <= {maximum}"
    return "an int"


def check_int(
    name: str, value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` if it is an int (not a bool) within ``minimum..maximum``."""
    allowed = _int_range(minimum, maximum)
    if isinstance(value, bool) or not isinstance(value, int):
        invalid(name, allowed, value, error=ArgumentTypeError)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        invalid(name, allowed, value)
    return value


def check_positive_number(name: str, value: object, *, unit: str = "") -> float:
    """Return ``value`` as a float if it is a finite int or float above zero."""
    allowed = f"a positive number{f' of {unit}' if unit else ''}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        invalid(name, allowed, value, error=ArgumentTypeError)
    if not 0 < value < float("inf"):
        invalid(name, allowed, value)
    return float(value)


def check_decimal(
    name: str, value: object, *, minimum: int | None = None, exclusive: bool = False
) -> Decimal:
    """Return ``value`` if it is a finite Decimal, ``>= minimum`` (``> minimum``: exclusive)."""
    allowed = "a finite number"
    if minimum is not None:
        allowed += f" {'>' if exclusive else '>='} {minimum}"
    if not isinstance(value, Decimal) or not value.is_finite():
        # A non-numeric string or NaN has the right kind but a bad value.
        kind_ok = isinstance(value, (str, Decimal))
        invalid(name, allowed, value, error=ValueError if kind_ok else ArgumentTypeError)
    if minimum is not None and (value <= minimum if exclusive else value < minimum):
        invalid(name, allowed, value)
    return value


def check_non_empty_str(name: str, value: object, *, secret: bool = False) -> str:
    """Return ``value`` if it is a string with something other than whitespace in it."""
    if not isinstance(value, str):
        invalid(name, "a non-empty string", value, error=ArgumentTypeError, secret=secret)
    if not value.strip():
        invalid(name, "a non-empty string", value, secret=secret)
    return value


def check_choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of the ``allowed`` strings (compared exactly)."""
    choices = tuple(allowed)
    if not isinstance(value, str) or value not in choices:
        invalid(name, f"one of {', '.join(choices)}", value,
                error=ValueError if isinstance(value, str) else ArgumentTypeError)
    return value


def check_instance(name: str, value: object, cls: type[T]) -> T:
    """Return ``value`` if it is an instance of ``cls``."""
    if not isinstance(value, cls):
        invalid(name, f"a {cls.__name__}", value, error=ArgumentTypeError)
    return value


def attrs_check(
    check: Callable[..., Any], *args: Any, qualified: bool = True, **kwargs: Any
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator running ``check(name, value, *args, **kwargs)``.

    The name is ``Class.field`` (``qualified``) so a message says where the value went::

        max_retries: int = attrs.field(default=3, validator=attrs_check(check_int, minimum=0))
    """

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        name = f"{type(instance).__name__}.{attribute.name}" if qualified else attribute.name
        check(name, value, *args, **kwargs)

    return validate
