"""``python -m clopos_async``: the same command line as the ``clopos-async`` script."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
