"""The export's progress line on a terminal, the log handler that respects it, and the summary.

The progress line is redrawn in place with ``\\r``. It never wraps (it is cut to the
terminal's width, which a narrow terminal would otherwise turn into one stale line per
update), and anything else written to the terminal meanwhile (a retry warning) first erases
it, then it is drawn again below: `StatusLine` is shared by `Progress` and `StatusAwareHandler`.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress", "StatusAwareHandler", "StatusLine", "summary"]


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def terminal_columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` writes to (80 when it cannot be asked)."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        columns = 0
    # 0: a terminal whose size was never set (a bare pty); COLUMNS, else 80, then.
    return columns if columns > 0 else shutil.get_terminal_size().columns


class StatusLine:
    """One line of status at the cursor, which other output can set aside and bring back.

    Disabled, it draws nothing (so callers need not check).
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        enabled: bool = False,
        columns: Callable[[TextIO], int] = terminal_columns,
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self._columns = columns
        self._text = ""  # what is shown now ("" when nothing is)

    @property
    def width(self) -> int:
        """The longest text that fits: one column short of the terminal's width, since
        writing the last column wraps on some terminals."""
        return max(1, self._columns(self.stream) - 1)

    def show(self, text: str) -> None:
        """Replace the line with ``text``, cut to fit the terminal."""
        if not self.enabled:
            return
        text = text[: self.width]
        # Pad with spaces over a longer previous text; no ANSI codes, so any terminal works.
        self.stream.write("\r" + text.ljust(len(self._text)))
        self.stream.flush()
        self._text = text

    def hide(self) -> str:
        """Erase the line (the cursor ends at its start); return what it showed."""
        shown = self._text
        if self.enabled and shown:
            self.stream.write("\r" + " " * len(shown) + "\r")
            self.stream.flush()
            self._text = ""
        return shown


class StatusAwareHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A log handler that erases the status line before a record and redraws it after."""

    def __init__(self, status: StatusLine) -> None:
        super().__init__(status.stream)
        self.status = status

    def emit(self, record: logging.LogRecord) -> None:
        shown = self.status.hide()
        super().emit(record)
        if shown:
            self.status.show(shown)


class Progress:
    """The export's status text on a `StatusLine`, redrawn at most 10 times a second.

    Shows pages and items (``noun``: orders, users...) done out of their totals, the rate and
    the time left. The rate and the ETA leave out the time before the first page arrived
    (the token exchange and page 1 alone, before pages are fetched concurrently), which
    would inflate the first ETA several times over. Example::

        progress = Progress(StatusLine(sys.stderr, enabled=sys.stderr.isatty()))
        progress.update(pages=1, total_pages=10, items=100, total_items=1000)
        progress.clear()
    """

    def __init__(
        self,
        line: StatusLine,
        *,
        noun: str = "orders",
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.line = line
        self._noun = noun
        self._interval = interval
        self._clock = clock
        self._last_draw: float | None = None
        self._first: tuple[float, int] | None = None  # (when, items) at the first page

    def update(
        self, *, pages: int, total_pages: int | None, items: int, total_items: int | None
    ) -> None:
        """Record progress; redraw unless drawn less than ``interval`` ago."""
        now = self._clock()
        if self._first is None:
            self._first = (now, items)
        if not self.line.enabled:
            return
        if self._last_draw is not None and now - self._last_draw < self._interval:
            return
        self._last_draw = now
        text = self.render(
            pages=pages, total_pages=total_pages, items=items, total_items=total_items,
            now=now, width=self.line.width,
        )  # fmt: skip
        self.line.show(text)

    def render(
        self,
        *,
        pages: int,
        total_pages: int | None,
        items: int,
        total_items: int | None,
        now: float | None = None,
        width: int | None = None,
    ) -> str:
        """The status text, e.g. ``300/1,000 orders | ETA 0:01 | 3/10 pages | 950 orders/s``.

        With a ``width``, the fields that do not fit are left out from the right (the most
        useful come first) rather than cut in the middle.
        """
        now = self._clock() if now is None else now
        rate = eta = None
        if self._first is not None:
            since, at_first = self._first
            if now > since and items > at_first:
                rate = (items - at_first) / (now - since)
                if total_items is not None:
                    eta = max(0, total_items - items) / rate
        pages_text = f"{pages}/{'?' if total_pages is None else total_pages} pages"
        noun = self._noun
        items_text = f"{items:,}/{'?' if total_items is None else f'{total_items:,}'} {noun}"
        rate_text = f"? {noun}/s" if rate is None else f"{rate:,.0f} {noun}/s"
        eta_text = "ETA ?" if eta is None else f"ETA {_duration(eta)}"
        fields = [items_text, eta_text, pages_text, rate_text]
        text = fields.pop(0)
        for field in fields:
            if width is not None and len(text) + 3 + len(field) > width:
                break
            text += " | " + field
        return text

    def clear(self) -> None:
        """Erase the line, so that what follows starts on a clean line."""
        self.line.hide()


def summary(
    *, items: int, pages: int, path: str, seconds: float, noun: str = "orders"
) -> str:
    """The closing line of an export; ``noun`` is the plural (``orders``, ``customer groups``)."""
    what = noun[:-1] if items == 1 and noun.endswith("s") else noun
    page_noun = "page" if pages == 1 else "pages"
    where = "standard output" if path == "-" else path
    return f"exported {items} {what} ({pages} {page_noun}) to {where} in {seconds:.1f}s"
