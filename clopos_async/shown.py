"""Server text is data: how any text that came from outside is shown to a person.

A server's ``message`` can hold newlines and terminal escape codes (a forged ``CRITICAL``
line inside a WARNING, a cleared screen) or be megabytes long. Wherever such text reaches
``str(exc)``, a log line or the command line, it goes through `shown`: control and
format characters are escaped and the length is bounded. The raw text stays available
where it was found (``exc.body``, ``exc.message``), for those who need it.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_SHOWN", "shown"]

# Long enough for any honest error message, short enough for a log line.
MAX_SHOWN = 1000
# Control (Cc), format (Cf: bidi overrides, zero-width) and line/paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else (
        f"\\U{code:08x}")


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` made safe to print: control characters escaped, at most ~``limit`` characters.

    >>> shown("bad\\n\\x1b[31mCRITICAL forged")
    'bad\\\\x0a\\\\x1b[31mCRITICAL forged'
    >>> shown("x" * 20, limit=5)
    'xxxxx… (15 more characters)'
    """
    cut = text[:limit]
    if not cut.isprintable():
        cut = "".join(_escaped(char) for char in cut)
    if len(text) > limit:
        cut += f"… ({len(text) - limit} more characters)"
    return cut
