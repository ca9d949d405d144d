"""Where an export writes: checked before anything is fetched, written safely, never clobbered.

`open_output` picks how to write the path the user gave:

- ``-``: standard output.
- A path that does not exist, or an existing regular file (only with ``overwrite=True``):
  written under a temporary name beside it and renamed over it at the end (`AtomicOutput`),
  so the path holds either the complete result or what it held before. A new file is created
  with mode 0600 (an export holds customers' names, phones and addresses); a replaced file
  keeps its mode.
- A symlink: what it points to, by the same rules (the link stays a link).
- A device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a named pipe): written through,
  never replaced.

Everything that can be known before the download is checked first (an empty path, a
directory, a missing parent directory, an existing file without ``overwrite``, a file that
cannot be written), and errors name the path as given, never the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import TextIO

__all__ = [
    "NEW_FILE_MODE",
    "STDOUT",
    "AtomicOutput",
    "OutputExistsError",
    "OutputPathError",
    "open_output",
    "remove_stale_temp_files",
]

STDOUT = "-"
NEW_FILE_MODE = 0o600
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.part$")


class OutputPathError(ValueError):
    """The output path cannot be written; the message names the path as the user gave it."""


class OutputExistsError(OutputPathError):
    """The output file exists and overwriting was not asked for."""


def open_output(path: str, *, overwrite: bool = False) -> AbstractContextManager[TextIO]:
    """Check ``path`` now and return a context manager giving a text stream to write to."""
    if path == STDOUT:
        return contextlib.nullcontext(sys.stdout)
    if not path:
        raise OutputPathError("the output path is empty")
    target = Path(os.path.realpath(path))  # a symlink's target is what gets written
    try:
        status: os.stat_result | None = target.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise OutputPathError(f"cannot write {path}: {exc.strerror}") from exc
    if status is None:
        if not target.parent.is_dir():
            raise OutputPathError(f"cannot write {path}: directory {target.parent} does not exist")
        return AtomicOutput(target, mode=NEW_FILE_MODE, shown_as=path)
    if stat.S_ISDIR(status.st_mode):
        raise OutputPathError(f"cannot write {path}: it is a directory")
    if not stat.S_ISREG(status.st_mode):
        return _write_through(target, shown_as=path)
    if not overwrite:
        raise OutputExistsError(f"{path} exists")
    _check_writable(target, shown_as=path)
    return AtomicOutput(target, mode=stat.S_IMODE(status.st_mode), shown_as=path)


def _check_writable(target: Path, *, shown_as: str) -> None:
    # Opened for appending and closed at once: nothing changes, but a read-only or immutable
    # file fails now instead of at the rename after the whole download.
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_APPEND))
    except OSError as exc:
        raise OutputPathError(f"cannot write {shown_as}: {exc.strerror}") from exc


@contextlib.contextmanager
def _write_through(target: Path, *, shown_as: str) -> Iterator[TextIO]:
    """A device or pipe: written in place (replacing it would break it, or need root)."""
    try:
        stream = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise OutputPathError(f"cannot write {shown_as}: {exc.strerror}") from exc
    try:
        yield stream
        stream.flush()
    finally:
        with contextlib.suppress(OSError):
            stream.close()


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Remove temporary files beside ``target`` left by exports that no longer run.

    Only names `AtomicOutput` makes for this very target, and only those of a process id that
    is gone (a kill -9, a power cut): a concurrent export's file is left alone.
    """
    removed = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            match = _TEMP.match(entry.name)
            if match is None or match["name"] != target.name:
                continue
            if _process_exists(int(match["pid"])):
                continue
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process: assume it may still be writing
    return True


class AtomicOutput:
    """A text file written under a temporary name beside ``path``, renamed to it on success.

    A failed or interrupted export removes the temporary file, so ``path`` is either the
    complete result or untouched (an older file there survives a failed run). The file gets
    ``mode`` exactly (not reduced by the umask). Example::

        with AtomicOutput("orders.csv") as stream:
            stream.write("...")
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        mode: int = NEW_FILE_MODE,
        shown_as: str | None = None,
    ) -> None:
        self.path = Path(path)
        self._mode = mode
        self._shown_as = shown_as if shown_as is not None else str(path)
        self._temp: Path | None = None
        self._stream: TextIO | None = None

    def __enter__(self) -> TextIO:
        remove_stale_temp_files(self.path)
        directory = self.path.parent
        while True:
            # Same directory, so the final rename never crosses file systems (and is atomic).
            # The pid lets a later run tell a dead export's leftover from a running one's.
            name = f".{self.path.name}.{os.getpid()}-{secrets.token_hex(4)}.part"
            temp = directory / name
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self._mode)
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputPathError(f"cannot write {self._shown_as}: {exc.strerror}") from exc
            break
        self._temp = temp
        os.fchmod(fd, self._mode)
        # newline="" lets the csv module and json lines both write "\n" unchanged everywhere.
        self._stream = open(fd, "w", encoding="utf-8", newline="")
        return self._stream

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stream, temp = self._stream, self._temp
        self._stream = self._temp = None
        assert stream is not None and temp is not None
        try:
            if exc_type is None:
                stream.flush()
                # Without fsync, a crash soon after the rename can leave an empty file.
                os.fsync(stream.fileno())
            stream.close()
            if exc_type is None:
                try:
                    os.replace(temp, self.path)
                except OSError as error:
                    raise OSError(error.errno, error.strerror, self._shown_as) from None
                return
        except BaseException:
            with contextlib.suppress(OSError):
                stream.close()
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        with contextlib.suppress(OSError):
            temp.unlink()
