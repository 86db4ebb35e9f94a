"""A Calibre library (a folder with ``metadata.db``): list its books, write results back.

The database is opened read-only (sqlite URI ``mode=ro``); forewarn never writes to it
directly. Writing back goes through Calibre's own ``calibredb`` tool, into forewarn's own
``#cw_detected`` column and never into the user's ``#warnings``:
:func:`calibredb_commands` only builds the command lines, the caller decides to run them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from forewarn.errors import UnreadableInputError

# Formats forewarn can read, richest first.
FORMAT_PREFERENCE = ("EPUB", "HTML", "HTM", "XHTML", "TXT")
DEFAULT_COLUMN = "cw_detected"
_PROTECTED_COLUMNS = frozenset({"warnings", "tags", "title", "authors", "comments"})


@dataclass(frozen=True, slots=True)
class CalibreBook:
    """One book of a Calibre library and the file forewarn would read for it."""

    id: int  # Calibre's book id
    title: str
    authors: tuple[str, ...]
    format: str | None  # the best readable format ("EPUB", "HTML", "TXT"), None if none
    path: str | None  # absolute path of that format's file
    formats: tuple[str, ...] = ()  # every format the library holds for the book


def is_calibre_library(path: str | os.PathLike[str]) -> bool:
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, "metadata.db"))


def _connect(library: str | os.PathLike[str]) -> sqlite3.Connection:
    db = Path(library, "metadata.db").resolve()
    if not db.is_file():
        raise UnreadableInputError(os.fspath(library), "not a Calibre library (no metadata.db)")
    try:
        return sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise UnreadableInputError(os.fspath(library), f"cannot open metadata.db: {exc}") from exc


def list_books(library: str | os.PathLike[str]) -> list[CalibreBook]:
    """Every book in the library, by id, with its best readable format's path."""
    root = Path(library).resolve()
    connection = _connect(library)
    try:
        books = connection.execute("SELECT id, title, path FROM books ORDER BY id").fetchall()
        formats: dict[int, dict[str, str]] = {}
        for book, fmt, name in connection.execute("SELECT book, format, name FROM data"):
            formats.setdefault(book, {})[str(fmt).upper()] = str(name)
        authors: dict[int, list[str]] = {}
        for book, name in connection.execute(
            "SELECT l.book, a.name FROM books_authors_link l JOIN authors a ON a.id = l.author ORDER BY l.id"
        ):
            authors.setdefault(book, []).append(str(name).replace("|", ","))
    except sqlite3.Error as exc:
        raise UnreadableInputError(os.fspath(library), f"unreadable metadata.db: {exc}") from exc
    finally:
        connection.close()
    result = []
    for book_id, title, book_path in books:
        held = formats.get(book_id, {})
        best = next((f for f in FORMAT_PREFERENCE if f in held), None)
        file_path = None
        if best is not None:
            candidate = (root / str(book_path) / f"{held[best]}.{best.lower()}").resolve()
            if candidate.is_relative_to(root):  # a crafted path must not leave the library
                file_path = str(candidate)
            else:
                best = None
        result.append(
            CalibreBook(
                int(book_id),
                str(title),
                tuple(authors.get(book_id, ())),
                best,
                file_path,
                tuple(sorted(held)),
            )
        )
    return result


def custom_columns(library: str | os.PathLike[str]) -> dict[str, str]:
    """Custom column label -> datatype, read-only."""
    connection = _connect(library)
    try:
        rows = connection.execute("SELECT label, datatype FROM custom_columns").fetchall()
    except sqlite3.Error:
        rows = []  # a library that never had a custom column may lack the table
    finally:
        connection.close()
    return {str(label): str(datatype) for label, datatype in rows}


def calibredb_commands(
    library: str | os.PathLike[str],
    detected: Mapping[int, Iterable[str]],
    *,
    column: str = DEFAULT_COLUMN,
    calibredb: str = "calibredb",
) -> list[list[str]]:
    """The ``calibredb`` command lines that store detected labels per book id.

    Adds the column first when the library lacks it. Refuses Calibre's and the user's own
    columns (``#warnings`` above all): forewarn writes only where it owns the data.

    >>> calibredb_commands("/lib", {3: ["self-harm", "blood"]})[-1]  # doctest: +SKIP
    ['calibredb', 'set_custom', '--library-path', '/lib', 'cw_detected', '3', 'self-harm,blood']
    """
    label = column.lstrip("#")
    if label.lower() in _PROTECTED_COLUMNS or not label:
        raise ValueError(f"forewarn never writes the #{label} column; use its own #{DEFAULT_COLUMN}")
    lib = os.fspath(library)
    commands: list[list[str]] = []
    existing = custom_columns(library)
    if label not in existing:
        commands.append(
            [
                calibredb,
                "add_custom_column",
                "--library-path",
                lib,
                "--is-multiple",
                label,
                "Detected warnings (forewarn)",
                "text",
            ]
        )
    elif existing[label] != "text":
        raise ValueError(f"column #{label} exists with type {existing[label]!r}, not text")
    for book_id, labels in sorted(detected.items()):
        value = ",".join(dict.fromkeys(labels))
        commands.append([calibredb, "set_custom", "--library-path", lib, label, str(int(book_id)), value])
    return commands
