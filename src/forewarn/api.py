"""The library's front door: paths or text in, Reports out."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from forewarn.detectors.base import Detector
from forewarn.errors import UnreadableInputError
from forewarn.model import Report, Work
from forewarn.pipeline import analyse
from forewarn.readers.txt import DEFAULT_MAX_BYTES, work_from_text

_PATH_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".epub", ".json")


def read(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read one file into a Work, choosing the reader by its content.

    Raises ``UnreadableInputError`` (naming the file and the problem) for anything unreadable.
    """
    try:
        from forewarn.readers.sniff import read_work
    except ImportError:  # only plain text is supported by this build
        from forewarn.readers.txt import read_text_file as read_work
    return read_work(path, max_bytes=max_bytes)


def _looks_like_path(value: str) -> bool:
    if "\n" in value or len(value) > 4096:
        return False
    return os.path.exists(value) or value.lower().endswith(_PATH_SUFFIXES) or os.sep in value


def scan(
    path_or_text: str | os.PathLike[str] | Work,
    *,
    detectors: Sequence[Detector] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Scan a story and return its Report.

    ``path_or_text`` is a path (``pathlib.Path``, or a ``str`` that names a file: one that
    exists, or ends in .txt/.html/.epub …, or contains a path separator), story text
    (any other ``str``), or an already read ``Work``.

    >>> report = scan("She screamed as the knife went in, and blood soaked the floor.")
    >>> "blood" in [v.label for v in report.warnings]
    True
    """
    if isinstance(path_or_text, Work):
        work = path_or_text
    elif isinstance(path_or_text, os.PathLike) or _looks_like_path(path_or_text):
        work = read(path_or_text, max_bytes=max_bytes)
    else:
        if not path_or_text.strip():
            raise UnreadableInputError("<text>", "text is empty")
        work = work_from_text(path_or_text)
    return analyse(work, detectors)


def scan_many(
    paths: Sequence[str | os.PathLike[str]],
    *,
    detectors: Sequence[Detector] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Report | UnreadableInputError]:
    """Scan each path; an unreadable one gives its error in place of a Report, never stops the rest."""
    results: list[Report | UnreadableInputError] = []
    for path in paths:
        try:
            results.append(scan(Path(path), detectors=detectors, max_bytes=max_bytes))
        except UnreadableInputError as error:
            results.append(error)
    return results
