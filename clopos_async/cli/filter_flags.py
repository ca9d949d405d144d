"""How a declared filter (`declaration.Param`) becomes a flag: what its help says it accepts,
and how the text typed after it is read.

Both ask the filter's own check rather than repeating it, so they cannot drift from it: the
help quotes what the check says of a value nothing accepts (``one of GOODS, DISH, ...``,
``an int >= 1``), and a reader keeps digits as text for a filter that takes text (a phone)
but gives a filter that takes only numbers (receipts' ``--status 2``) the number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..resources.declaration import Param
from ..versions import V2
from .flags import cli_words

__all__ = ["accepted", "filter_help", "filter_reader"]

_SAID = re.compile(r" must be (.+), got \?$")


class _Anything:
    """A value no declared parameter accepts: what its check says of it is what it accepts."""

    def __repr__(self) -> str:
        return "?"


def _refusal(name: str, param: Param, value: object) -> str | None:
    """The check's message refusing ``value``, or None if it takes it."""
    try:
        # Encoders use the version only to pick a vocabulary; the CLI asks v2's.
        param.encode(V2, name, value)
    except ValueError as exc:  # ArgumentTypeError is one too
        return str(exc)
    return None


def accepted(name: str, param: Param) -> str:
    """What a declared parameter accepts, in the CLI's words (``yes or no`` for a bool)."""
    said = _SAID.search(cli_words(_refusal(name, param, _Anything()) or ""))
    return said[1] if said else "a value"


def filter_help(name: str, param: Param) -> str:
    """The help of a declared filter's flag."""
    words = accepted(name, param)
    return f"{words}; repeat for several" if param.several else words


def filter_reader(name: str, param: Param) -> Callable[[str], Any]:
    """Reads one ``--name VALUE`` as the declaration says (`Param.cli_type`); digits its
    check refuses as text but takes as a number become that number. Anything else is left
    for the check to refuse when the command runs, naming the flag."""

    def read(text: str) -> Any:
        value = param.cli_type(text)
        if (isinstance(value, str) and text.strip().isdigit()
                and _refusal(name, param, value) is not None
                and _refusal(name, param, int(text)) is None):
            return int(text)
        return value

    return read
