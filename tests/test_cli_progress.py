"""The progress line's text, width and ETA, on a scripted clock and stream (pure, no I/O)."""

from __future__ import annotations

import io
import logging

from clopos_async.cli.progress import Progress, StatusAwareHandler, StatusLine


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def line(columns: int = 80) -> tuple[io.StringIO, StatusLine]:
    stream = io.StringIO()
    return stream, StatusLine(stream, enabled=True, columns=lambda _stream: columns)


def test_the_eta_leaves_out_the_start_up_time() -> None:
    clock = Clock()
    _stream, status = line()
    progress = Progress(status, clock=clock)
    clock.now = 4.0  # token exchange and page 1 alone took 4 s
    progress.update(pages=1, total_pages=10, items=100, total_items=1000)
    clock.now = 5.0  # then 100 orders a second
    text = progress.render(pages=2, total_pages=10, items=200, total_items=1000)
    # 800 left at 100/s: 8 s. Counting the start-up (200 in 5 s) would say 20 s.
    assert text == "200/1,000 orders | ETA 0:08 | 2/10 pages | 100 orders/s"


def test_fields_that_do_not_fit_are_left_out_whole() -> None:
    clock = Clock()
    stream, status = line(columns=30)
    progress = Progress(status, clock=clock)
    progress.update(pages=1, total_pages=10, items=100, total_items=1000)
    shown = stream.getvalue().split("\r")[-1]
    assert shown == "100/1,000 orders | ETA ?"
    assert len(shown) < 30


def test_a_log_record_erases_the_line_and_it_comes_back_below() -> None:
    stream, status = line()
    status.show("50/100 orders | ETA 0:01")
    handler = StatusAwareHandler(status)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.emit(logging.LogRecord("clopos_async", logging.WARNING, "", 0, "retrying", None, None))
    written = stream.getvalue()
    erased = "\r" + " " * len("50/100 orders | ETA 0:01") + "\r"
    assert written.endswith(erased + "WARNING retrying\n\r50/100 orders | ETA 0:01"), written


def test_disabled_it_writes_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(StatusLine(stream, enabled=False))
    progress.update(pages=1, total_pages=1, items=1, total_items=1)
    progress.clear()
    assert stream.getvalue() == ""
