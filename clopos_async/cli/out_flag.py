"""The ``--out FILE`` of every export: checked before anything is fetched, named as typed."""

from __future__ import annotations

import contextlib
from typing import TextIO

from ..output_file import OutputExistsError, OutputPathError, open_output
from .errors import UsageError

__all__ = ["checked_output"]


def checked_output(path: str, *, force: bool) -> contextlib.AbstractContextManager[TextIO]:
    """The stream an export writes to (see `open_output`), or `UsageError` naming ``--out``."""
    try:
        return open_output(path, overwrite=force)
    except OutputExistsError as exc:
        raise UsageError(f"--out {path} exists; pass --force to replace it") from exc
    except OutputPathError as exc:
        raise UsageError(f"--out: {exc}") from exc
