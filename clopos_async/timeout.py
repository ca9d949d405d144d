"""`Timeout`: how long one attempt may take, as a neutral value (only transport.py maps it).

    >>> Timeout.of(30)
    Timeout(total=30.0, connect=10.0)
"""

from __future__ import annotations

import attrs

from .validators import check_positive_number

__all__ = ["DEFAULT_CONNECT_CAP", "Timeout"]

# Connecting should never take most of the budget; fail fast and let a retry try again.
DEFAULT_CONNECT_CAP = 10.0


def _optional_positive(instance: object, attribute: attrs.Attribute[float | None],
                       value: float | None) -> None:
    if value is not None:
        check_positive_number(f"Timeout.{attribute.name}", value, unit="seconds")


@attrs.frozen
class Timeout:
    """Seconds for one whole attempt (``total``) and for opening its connection (``connect``).

    None means no limit of that kind (as ``aiohttp.ClientTimeout`` has it).
    """

    total: float | None = attrs.field(validator=_optional_positive)
    connect: float | None = attrs.field(default=None, validator=_optional_positive)

    @classmethod
    def of(cls, value: object, *, name: str = "timeout") -> Timeout:
        """A `Timeout` from seconds, or from anything with ``total``/``connect`` attributes.

        Seconds get a connect timeout of at most `DEFAULT_CONNECT_CAP`. An object with
        ``total`` and ``connect`` (an ``aiohttp.ClientTimeout``, say) is copied as it is.
        """
        if isinstance(value, Timeout):
            return value
        if hasattr(value, "total") and hasattr(value, "connect"):
            return cls(total=value.total, connect=value.connect)
        seconds = check_positive_number(name, value, unit="seconds")
        return cls(total=seconds, connect=min(DEFAULT_CONNECT_CAP, seconds))
