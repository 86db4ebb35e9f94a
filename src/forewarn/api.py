"""The library's front door: paths or text in, Reports out."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from forewarn.detectors.base import Detector
from forewarn.errors import UnreadableInputError
from forewarn.model import Report, Work
from forewarn.pipeline import analyse
from forewarn.readers.calibre import ZIPPED_FORMATS, read_library, write_column
from forewarn.readers.sniff import read_work
from forewarn.readers.txt import DEFAULT_MAX_BYTES, work_from_text
from forewarn.readers.zipped_html import read_zipped_html

_PATH_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".epub", ".json")


def read(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read one file into a Work, choosing the reader by its content (not only its extension).

    Raises ``UnreadableInputError`` (naming the file and the problem) for anything unreadable.
    """
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
    who: bool = True,
) -> Report:
    """Scan a story and return its Report.

    ``path_or_text`` is a path (``pathlib.Path``, or a ``str`` that names a file: one that
    exists, or ends in .txt/.html/.epub …, or contains a path separator), story text
    (any other ``str``), or an already read ``Work``. ``who=False`` skips characters,
    relationships and fandom.

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
    return analyse(work, detectors, who=who)


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


def scan_calibre_library(
    library: str | os.PathLike[str],
    *,
    detectors: Sequence[Detector] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    who: bool = True,
) -> list[Report | UnreadableInputError]:
    """Scan every book of a Calibre library (opened read-only), each in its best format.

    Reports carry the Calibre book id in ``work.source.calibre_id``; a book without a readable
    format, and a junk row of ``metadata.db``, give an ``UnreadableInputError`` in its place.
    """
    listing = read_library(library)
    results: list[Report | UnreadableInputError] = list(listing.problems)
    for book in listing.books:
        if book.path is None or book.format is None:
            formats = ", ".join(book.formats) or "no files"
            results.append(
                UnreadableInputError(
                    f"calibre book {book.id} ({book.title})",
                    "; ".join((f"no format forewarn reads ({formats})", *book.notes)),
                )
            )
            continue
        try:
            if book.format in ZIPPED_FORMATS:  # content sniffing would take the zip for an EPUB
                work = read_zipped_html(book.path, max_bytes=max_bytes, kind=book.format)
            else:
                work = read(book.path, max_bytes=max_bytes)
        except UnreadableInputError as error:
            results.append(error)
            continue
        notes = (*work.source.notes, *book.notes)
        source = replace(work.source, calibre_id=book.id, notes=notes)
        work = replace(work, title=work.title or book.title, source=source)
        results.append(analyse(work, detectors, who=who))
    return results


def write_calibre_column(library: str | os.PathLike[str], reports: Sequence[Report]) -> int:
    """Store each book's detected labels in the library's ``#cw_detected`` column.

    Only a column forewarn created is written (it creates one when the library has none);
    never a column the user made, such as ``#warnings``, which FanFicFare users fill. All books
    go in one run of Calibre's own code. Returns how many books were written; raises
    ``ForewarnError`` naming the library when the column is not forewarn's, Calibre is missing
    or running, or the write fails.
    """
    detected = {
        r.work.source.calibre_id: [v.label for v in r.warnings]
        for r in reports
        if r.work.source.calibre_id is not None
    }
    return write_column(library, detected).written
