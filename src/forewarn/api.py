"""The library's front door: paths or text in, Reports out."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from forewarn.detectors.base import Detector
from forewarn.errors import UnreadableInputError
from forewarn.model import Report, Work
from forewarn.pipeline import analyse
from forewarn.readers.calibre import ZIPPED_FORMATS, CalibreBook, read_library, write_column
from forewarn.readers.sniff import read_work
from forewarn.readers.txt import DEFAULT_MAX_BYTES, work_from_text


def read(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read one file into a Work, choosing the reader by its content (not only its extension).

    Raises ``UnreadableInputError`` (naming the file and the problem) for anything unreadable.
    """
    return read_work(path, max_bytes=max_bytes)


def scan(
    path: str | os.PathLike[str] | Work,
    *,
    detectors: Sequence[Detector] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    who: bool = True,
) -> Report:
    """Scan a story file (or an already read ``Work``) and return its Report.

    ``path`` is always a path, a ``str`` as much as a ``pathlib.Path``: story text goes to
    :func:`scan_text`, so that a one-line story ("Derek/Stiles") is never taken for a file name.
    ``who=False`` skips characters, relationships and fandom.
    """
    work = path if isinstance(path, Work) else read(path, max_bytes=max_bytes)
    return analyse(work, detectors, who=who)


def read_stream(stream: BinaryIO, *, name: str = "<stdin>", max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read a story from a binary stream (standard input), any supported format, into a Work.

    The bytes (at most ``max_bytes``) go to a private temporary file, removed at once, so that
    every reader, EPUB included, reads them as it reads a file; ``Source.path`` is ``name``.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableInputError(name, f"input is over the {max_bytes:,}-byte limit (max_bytes)")
    with tempfile.TemporaryDirectory(prefix="forewarn-") as folder:
        path = os.path.join(folder, "stdin")
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            work = read(path, max_bytes=max_bytes)
        except UnreadableInputError as error:
            raise UnreadableInputError(name, error.problem) from None
    return replace(work, source=replace(work.source, path=name))


def scan_text(
    text: str,
    *,
    title: str | None = None,
    detectors: Sequence[Detector] | None = None,
    who: bool = True,
) -> Report:
    """Scan story text given as a string (chapter headings and notes are found as in a .txt file).

    >>> report = scan_text("She screamed as the knife went in, and blood soaked the floor.")
    >>> "blood" in [v.label for v in report.warnings]
    True
    """
    if not text.strip():
        raise UnreadableInputError("<text>", "text is empty")
    work = work_from_text(text)
    if title is not None:
        work = replace(work, title=title)
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


def read_calibre_book(book: CalibreBook, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read one book of a Calibre library (one with a readable format) into a Work that carries
    its Calibre id, and its title where the file has none."""
    assert book.path is not None and book.format is not None
    if book.format in ZIPPED_FORMATS:  # content sniffing would take the zip for an EPUB
        from forewarn.readers.zipped_html import read_zipped_html  # loads lxml: only for these books

        work = read_zipped_html(book.path, max_bytes=max_bytes, kind=book.format)
    else:
        work = read(book.path, max_bytes=max_bytes)
    source = replace(work.source, calibre_id=book.id, notes=(*work.source.notes, *book.notes))
    return replace(work, title=work.title or book.title, source=source)


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
            work = read_calibre_book(book, max_bytes=max_bytes)
        except UnreadableInputError as error:
            results.append(error)
            continue
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
