"""Calibre library: listed read-only, best format per book, calibredb command lines."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from forewarn.errors import UnreadableInputError
from forewarn.readers.calibre import calibredb_commands, is_calibre_library, list_books

SCHEMA = """
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, path TEXT);
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE books_authors_link (id INTEGER PRIMARY KEY, book INTEGER, author INTEGER);
CREATE TABLE data (id INTEGER PRIMARY KEY, book INTEGER, format TEXT, uncompressed_size INTEGER, name TEXT);
CREATE TABLE custom_columns (id INTEGER PRIMARY KEY, label TEXT, name TEXT, datatype TEXT);
"""


def make_library(root: Path, *, with_column: bool = False) -> Path:
    root.mkdir()
    db = sqlite3.connect(root / "metadata.db")
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO books VALUES (?, ?, ?)",
        [
            (1, "Fire and Feather", "nianeyna/Fire and Feather (1)"),
            (2, "Only a PDF", "someone/Only a PDF (2)"),
            (5, "Text and HTML", "someone/Text and HTML (5)"),
            (7, "Escape", "../../outside"),
        ],
    )
    db.executemany("INSERT INTO authors VALUES (?, ?)", [(1, "nianeyna"), (2, "someone"), (3, "co|author")])
    db.executemany(
        "INSERT INTO books_authors_link VALUES (?, ?, ?)", [(1, 1, 1), (2, 2, 2), (3, 5, 2), (4, 5, 3)]
    )
    db.executemany(
        "INSERT INTO data VALUES (?, ?, ?, ?, ?)",
        [
            (1, 1, "TXT", 10, "Fire and Feather - nianeyna"),
            (2, 1, "EPUB", 10, "Fire and Feather - nianeyna"),
            (3, 1, "MOBI", 10, "Fire and Feather - nianeyna"),
            (4, 2, "PDF", 10, "Only a PDF - someone"),
            (5, 5, "TXT", 10, "Text and HTML - someone"),
            (6, 5, "HTML", 10, "Text and HTML - someone"),
            (7, 7, "EPUB", 10, "evil"),
        ],
    )
    if with_column:
        db.execute("INSERT INTO custom_columns VALUES (1, 'cw_detected', 'Detected', 'text')")
    db.commit()
    db.close()
    return root


def test_lists_books_with_their_richest_format(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    assert is_calibre_library(library)
    books = {b.id: b for b in list_books(library)}
    assert sorted(books) == [1, 2, 5, 7]
    fire = books[1]
    assert fire.title == "Fire and Feather" and fire.authors == ("nianeyna",)
    assert fire.format == "EPUB" and fire.formats == ("EPUB", "MOBI", "TXT")
    assert fire.path == str(
        (library / "nianeyna/Fire and Feather (1)/Fire and Feather - nianeyna.epub").resolve()
    )
    assert books[2].format is None and books[2].path is None  # PDF only: nothing forewarn reads
    assert books[5].format == "HTML" and books[5].authors == ("someone", "co,author")
    assert books[7].path is None  # a path leaving the library is never followed


def test_library_is_opened_read_only(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    before = (library / "metadata.db").read_bytes()
    list_books(library)
    calibredb_commands(library, {1: ["death"]})
    assert (library / "metadata.db").read_bytes() == before
    assert sorted(p.name for p in library.iterdir()) == ["metadata.db"]  # no journal or wal left


def test_calibredb_commands_create_then_set_own_column(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    commands = calibredb_commands(library, {5: ["self-harm"], 1: ["death", "blood", "death"]})
    lib = str(library)
    assert commands == [
        [
            "calibredb",
            "add_custom_column",
            "--library-path",
            lib,
            "--is-multiple",
            "cw_detected",
            "Detected warnings (forewarn)",
            "text",
        ],
        ["calibredb", "set_custom", "--library-path", lib, "cw_detected", "1", "death,blood"],
        ["calibredb", "set_custom", "--library-path", lib, "cw_detected", "5", "self-harm"],
    ]


def test_existing_column_is_not_recreated(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib", with_column=True)
    commands = calibredb_commands(library, {1: []})
    assert commands == [["calibredb", "set_custom", "--library-path", str(library), "cw_detected", "1", ""]]


@pytest.mark.parametrize("column", ["#warnings", "warnings", "tags"])
def test_never_writes_the_users_warnings_column(tmp_path: Path, column: str) -> None:
    library = make_library(tmp_path / "lib")
    with pytest.raises(ValueError, match="never writes"):
        calibredb_commands(library, {1: ["death"]}, column=column)


def test_folder_without_metadata_db_is_a_clear_error(tmp_path: Path) -> None:
    assert not is_calibre_library(tmp_path)
    with pytest.raises(UnreadableInputError, match="not a Calibre library"):
        list_books(tmp_path)
