"""Opening the files a user names: regular files only, never more than the size limit.

A named pipe, a socket or a device (``/dev/zero``, a link to one) given as a story must be
refused before anything reads from it: opening a pipe blocks until a writer comes, and a device
never ends. The file is checked by ``stat`` before it is opened, opened without blocking (a file
swapped for a pipe between the two cannot hang the open), and checked again on the open handle.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from forewarn.errors import UnreadableInputError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _refuse_special(path: str, mode: int) -> None:
    for test, kind in _KINDS:
        if test(mode):
            raise UnreadableInputError(path, f"is {kind}, not a story file")
    if not stat.S_ISREG(mode):
        raise UnreadableInputError(path, "is not a regular file")


def too_large(size: int, max_bytes: int) -> str:
    return f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (max_bytes)"


def check_regular(path: str, max_bytes: int) -> int:
    """Stat ``path``; refuse it unless it is a regular file of at most ``max_bytes``. Its size."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableInputError(path, "no such file") from None
    except PermissionError:
        raise UnreadableInputError(path, "permission denied") from None
    except (OSError, ValueError) as exc:  # a link loop, a name too long, a NUL in the name …
        raise UnreadableInputError(
            path, f"cannot open file: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    _refuse_special(path, info.st_mode)
    if info.st_size > max_bytes:
        raise UnreadableInputError(path, too_large(info.st_size, max_bytes))
    return info.st_size


def open_regular(path: str, max_bytes: int) -> BinaryIO:
    """Open a regular file of at most ``max_bytes`` for binary reading (see the module notes)."""
    check_regular(path, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise UnreadableInputError(path, "permission denied") from None
    except OSError as exc:
        raise UnreadableInputError(path, f"cannot open file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode)
        if info.st_size > max_bytes:
            raise UnreadableInputError(path, too_large(info.st_size, max_bytes))
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_regular(path: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (one that grows while read is refused)."""
    try:
        with open_regular(path, max_bytes) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableInputError(path, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise UnreadableInputError(path, too_large(len(data), max_bytes))
    return data
