"""The one place the library turns a file into a Report: swap ``scan_target`` for a batch runner.

Also what the library needs to know about the scanner: the versions a scan would record now
(``current_versions``), so that a stored report is redone only when the bytes or the code change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from forewarn.api import read_calibre_book, scan
from forewarn.detectors import default_detectors
from forewarn.model import SCHEMA_VERSION, Report
from forewarn.pipeline import analyse
from forewarn.readers.calibre import CalibreBook
from forewarn.readers.files import read_regular
from forewarn.readers.txt import DEFAULT_MAX_BYTES
from forewarn.who import VERSION as WHO_VERSION
from forewarn.work_level import default_model


@dataclass(frozen=True, slots=True)
class Target:
    """One thing to index: a story file, or a Calibre book's best format."""

    path: str  # absolute path of the file to read, or a description when there is no file
    book: CalibreBook | None = None  # set for a book of a Calibre library
    problem: str | None = None  # known unreadable before reading (a Calibre book with no usable format)


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """How works are scanned; part of what decides whether a stored report is still current."""

    who: bool = True  # False: no characters, relationships, fandom or who dies (faster)
    max_bytes: int = DEFAULT_MAX_BYTES


Scanner = Callable[[Target, ScanOptions], Report]


def current_versions(who: bool = True) -> tuple[str, ...]:
    """``Report.detectors`` as a scan would record it now (the detectors load once per process).

    >>> current_versions(who=False)[-1]
    'work-level.v1'
    """
    return (
        *(d.name for d in default_detectors()),
        default_model().name,
        *((WHO_VERSION,) if who else ()),
    )


def is_current(schema: str, versions: tuple[str, ...], options: ScanOptions) -> bool:
    """Whether a stored report would come out the same from the current code under ``options``.

    A report made with the who-analysis also serves a run without it (it only holds more).
    """
    return schema == SCHEMA_VERSION and versions in (current_versions(options.who), current_versions(True))


def digest(target: Target, options: ScanOptions) -> str:
    """SHA-256 (hex) of the target's bytes; raises ``UnreadableInputError`` as the readers do
    for a missing, special or oversized file."""
    data = read_regular(target.path, options.max_bytes)
    return hashlib.sha256(data).hexdigest()


def scan_target(target: Target, options: ScanOptions) -> Report:
    """Scan one target; raises ``ForewarnError`` (``UnreadableInputError``) for bad input."""
    if target.book is None:
        return scan(Path(target.path), max_bytes=options.max_bytes, who=options.who)
    return analyse(read_calibre_book(target.book, max_bytes=options.max_bytes), who=options.who)
