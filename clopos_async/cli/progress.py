"""The export's progress line on a terminal, and its closing summary."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress", "summary"]


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """One status line on a terminal, redrawn in place with ``\\r`` at most 10 times a second.

    Disabled, it draws nothing (so the caller need not check). Example::

        progress = Progress(sys.stderr, enabled=sys.stderr.isatty())
        progress.update(pages=1, total_pages=10, orders=100)
        progress.clear()
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        enabled: bool,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self.enabled = enabled
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._last_draw: float | None = None
        self._width = 0

    def update(self, *, pages: int, total_pages: int | None, orders: int) -> None:
        """Redraw the line, unless it was drawn less than ``interval`` ago."""
        if not self.enabled:
            return
        now = self._clock()
        if self._last_draw is not None and now - self._last_draw < self._interval:
            return
        self._last_draw = now
        self._draw(self.render(pages=pages, total_pages=total_pages, orders=orders, now=now))

    def render(
        self, *, pages: int, total_pages: int | None, orders: int, now: float | None = None
    ) -> str:
        """The status text: pages done/total, orders written, rate and ETA."""
        elapsed = (self._clock() if now is None else now) - self._started
        rate = orders / elapsed if elapsed > 0 else 0.0
        total = "?" if total_pages is None else str(total_pages)
        eta = "?"
        if total_pages is not None and pages > 0:
            # Pages arrive at a steady pace (the last one may be short), so time per page
            # predicts better than orders per second.
            eta = _duration(elapsed / pages * max(0, total_pages - pages))
        return f"{pages}/{total} pages | {orders} orders | {rate:,.0f} orders/s | ETA {eta}"

    def clear(self) -> None:
        """Erase the line, so that what follows starts on a clean line."""
        if self.enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def _draw(self, text: str) -> None:
        # Pad with spaces over a longer previous line; no ANSI codes, so any terminal works.
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = max(self._width, len(text))


def summary(*, orders: int, pages: int, path: str, seconds: float) -> str:
    """The closing line of an export."""
    noun = "order" if orders == 1 else "orders"
    page_noun = "page" if pages == 1 else "pages"
    return f"exported {orders} {noun} ({pages} {page_noun}) to {path} in {seconds:.1f}s"
