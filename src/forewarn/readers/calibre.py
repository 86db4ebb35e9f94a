"""A Calibre library (a folder with ``metadata.db``): list its books, write results back.

Reading never changes the library: ``metadata.db`` is opened with the SQLite URI
``mode=ro&immutable=1``, so that not even a ``-wal``/``-shm`` file appears beside a database in
WAL mode (a plain ``mode=ro`` creates both). Junk in a row (a NULL or text book id, a
missing folder) costs that book or row, with a clear error or log line, never the library.

Writing back goes through Calibre's own code, into one column that forewarn created and can
recognise as its own: multiple-value text whose description is :data:`COLUMN_MARK`. Any
other column of that name (one the user made, of any kind), and Calibre's and the user's own
columns such as FanFicFare's ``#warnings``, are refused before anything is written. All books
are written in one ``calibre-debug -e`` run of :data:`WRITE_SCRIPT`, which checks the column
again inside Calibre and refuses to run while the calibre GUI or calibre-server has libraries
open, as ``calibredb`` does. That run takes under a second for 10,000 books; one ``calibredb
set_custom`` per book took 0.2-0.4 s each, 40-70 minutes for the same books.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forewarn.errors import ForewarnError, UnreadableInputError

log = logging.getLogger(__name__)

# Formats forewarn can read, richest first.
FORMAT_PREFERENCE = ("EPUB", "HTML", "HTM", "XHTML", "HTMLZ", "ZIP", "TXT")
ZIPPED_FORMATS = frozenset({"HTMLZ", "ZIP"})  # read by readers/zipped_html.py
DEFAULT_COLUMN = "cw_detected"
COLUMN_HEADING = "Detected warnings (forewarn)"
# The mark that makes a column forewarn's own: the description it gives the column it creates.
COLUMN_MARK = "Content warnings detected by forewarn. forewarn --write-calibre replaces what is here."
_PROTECTED_COLUMNS = frozenset({"warnings", "tags", "title", "authors", "comments"})
_LABEL = re.compile(r"[a-z][a-z0-9_]*\Z")  # what Calibre accepts as a column's lookup name
_FORMAT = re.compile(r"[A-Za-z0-9_]+\Z")  # "EPUB", "ORIGINAL_EPUB": also the file's extension
_RESULT = "FOREWARN-RESULT "
WRITE_TIMEOUT_S = 600


@dataclass(frozen=True, slots=True)
class CalibreBook:
    """One book of a Calibre library and the file forewarn would read for it."""

    id: int  # Calibre's book id
    title: str
    authors: tuple[str, ...]
    format: str | None  # the best readable format ("EPUB", "HTML", "TXT"), None if none
    path: str | None  # absolute path of that format's file
    formats: tuple[str, ...] = ()  # every format the library holds for the book
    notes: tuple[str, ...] = ()  # rows of metadata.db about this book that were skipped


@dataclass(frozen=True, slots=True)
class CalibreListing:
    """The books of a library, and the ``books`` rows that could not be used, one error each."""

    books: tuple[CalibreBook, ...]
    problems: tuple[UnreadableInputError, ...] = ()


@dataclass(frozen=True, slots=True)
class CalibreColumn:
    """One custom column as ``metadata.db`` describes it."""

    label: str  # the lookup name without '#'
    name: str  # the heading shown in Calibre
    datatype: str  # "text", "int", "comments", ...
    is_multiple: bool
    display: dict[str, Any] = field(default_factory=dict)  # Calibre's display settings


def is_calibre_library(path: str | os.PathLike[str]) -> bool:
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, "metadata.db"))


def _connect(library: str | os.PathLike[str]) -> sqlite3.Connection:
    lib = os.fspath(library)
    db = Path(library, "metadata.db").resolve()
    try:
        if not db.is_file():
            raise UnreadableInputError(lib, "not a Calibre library (no metadata.db)")
        busy = any(_not_empty(db.with_name(db.name + suffix)) for suffix in ("-journal", "-wal"))
    except OSError as exc:  # a folder we may not look into
        raise UnreadableInputError(lib, f"cannot open metadata.db: {exc.strerror or exc}") from exc
    if busy:  # immutable=1 reads the main file only: what calibre is writing now is not seen
        log.warning("%s: calibre seems to be writing to this library; recent changes may be missed", lib)
    try:
        # immutable=1: no lock, no journal, no -wal/-shm file, whatever the journal mode.
        connection = sqlite3.connect(f"{db.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise UnreadableInputError(lib, f"cannot open metadata.db: {exc}") from exc
    connection.text_factory = lambda data: data.decode("utf-8", "replace")  # a bad byte is not fatal
    return connection


def _not_empty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def list_books(library: str | os.PathLike[str]) -> list[CalibreBook]:
    """Every usable book in the library, by id, with its best readable format's path."""
    return list(read_library(library).books)


def read_library(library: str | os.PathLike[str]) -> CalibreListing:
    """Every book in the library with its best readable format, and the rows that are junk.

    Raises ``UnreadableInputError`` naming the library when ``metadata.db`` cannot be read at
    all; a junk ``books`` row becomes one problem in the listing, a junk ``data`` or
    ``authors`` row is skipped with a note on its book (or a log line when it names no book).
    """
    lib = os.fspath(library)
    connection = _connect(library)
    try:
        rows = connection.execute("SELECT id, title, path FROM books ORDER BY id").fetchall()
        data = connection.execute("SELECT book, format, name FROM data").fetchall()
        author_rows = connection.execute(
            "SELECT l.book, a.name FROM books_authors_link l JOIN authors a ON a.id = l.author ORDER BY l.id"
        ).fetchall()
    except sqlite3.Error as exc:
        raise UnreadableInputError(lib, f"unreadable metadata.db: {exc}") from exc
    finally:
        connection.close()
    notes: dict[int, list[str]] = {}
    formats = _formats(lib, data, notes)
    authors = _authors(lib, author_rows, notes)
    books: list[CalibreBook] = []
    problems: list[UnreadableInputError] = []
    seen: set[int] = set()
    root = Path(library).resolve()
    for raw_id, raw_title, raw_path in rows:
        title = _text(raw_title) or ""
        book_id = _book_id(raw_id)
        if book_id is None or book_id in seen:
            why = "its id appears twice" if book_id is not None else "its id is not a positive whole number"
            where = f"{lib}: calibre book {raw_id!r} ({title})"
            problems.append(UnreadableInputError(where, f"{why} in metadata.db; skipped"))
            continue
        seen.add(book_id)
        books.append(_book(root, book_id, title, _text(raw_path), formats, authors, notes))
    return CalibreListing(tuple(books), tuple(problems))


def _book_id(value: object) -> int | None:
    return value if type(value) is int and value > 0 else None


def _text(value: object) -> str | None:
    """A usable text value: a string without NUL (which no file name or title holds)."""
    return value if isinstance(value, str) and "\x00" not in value else None


def _formats(
    lib: str, rows: Iterable[tuple[Any, ...]], notes: dict[int, list[str]]
) -> dict[int, dict[str, str]]:
    """Book id -> format -> file name without extension, from the ``data`` rows that make sense."""
    formats: dict[int, dict[str, str]] = {}
    for raw_book, raw_format, raw_name in rows:
        book_id, fmt, name = _book_id(raw_book), _text(raw_format), _text(raw_name)
        if book_id is None:
            log.warning("%s: a data row names book %r, not a book id; skipped", lib, raw_book)
        elif fmt is None or not _FORMAT.match(fmt) or name is None or "/" in name or "\\" in name:
            notes.setdefault(book_id, []).append(f"skipped a format row ({raw_format!r}, {raw_name!r})")
        else:
            formats.setdefault(book_id, {})[fmt.upper()] = name
    return formats


def _authors(lib: str, rows: Iterable[tuple[Any, ...]], notes: dict[int, list[str]]) -> dict[int, list[str]]:
    authors: dict[int, list[str]] = {}
    for raw_book, raw_name in rows:
        book_id, name = _book_id(raw_book), _text(raw_name)
        if book_id is None:
            log.warning("%s: an author link names book %r, not a book id; skipped", lib, raw_book)
        elif name is None:
            notes.setdefault(book_id, []).append(f"skipped an author ({raw_name!r})")
        else:
            authors.setdefault(book_id, []).append(name.replace("|", ","))
    return authors


def _book(
    root: Path,
    book_id: int,
    title: str,
    folder: str | None,
    formats: Mapping[int, Mapping[str, str]],
    authors: Mapping[int, list[str]],
    notes: Mapping[int, list[str]],
) -> CalibreBook:
    held = formats.get(book_id, {})
    book_notes = list(notes.get(book_id, ()))
    best = next((f for f in FORMAT_PREFERENCE if f in held), None)
    file_path = None
    if best is not None and folder is None:
        book_notes.append("the book has no folder path in metadata.db")
        best = None
    elif best is not None and folder is not None:
        candidate = (root / folder / f"{held[best]}.{best.lower()}").resolve()
        if candidate.is_relative_to(root):  # a crafted path must not leave the library
            file_path = str(candidate)
        else:
            best = None
    return CalibreBook(
        book_id,
        title,
        tuple(authors.get(book_id, ())),
        best,
        file_path,
        tuple(sorted(held)),
        tuple(book_notes),
    )


# --- the column forewarn writes ----------------------------------------------------------------


def custom_columns(library: str | os.PathLike[str]) -> dict[str, CalibreColumn]:
    """Custom column label -> its settings, read-only; columns Calibre will delete are left out."""
    connection = _connect(library)
    try:
        if not connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'custom_columns'"
        ).fetchone():
            return {}  # a library that never had a custom column may lack the table
        cursor = connection.execute("SELECT * FROM custom_columns")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except sqlite3.Error as exc:
        raise UnreadableInputError(os.fspath(library), f"unreadable metadata.db: {exc}") from exc
    finally:
        connection.close()
    columns: dict[str, CalibreColumn] = {}
    for row in rows:
        label = _text(row.get("label"))
        if label is None or row.get("mark_for_delete"):
            continue
        columns[label] = CalibreColumn(
            label,
            _text(row.get("name")) or "",
            _text(row.get("datatype")) or "",
            bool(row.get("is_multiple")),
            _display(row.get("display")),
        )
    return columns


def _display(value: object) -> dict[str, Any]:
    try:
        display = json.loads(value) if isinstance(value, str) else {}
    except ValueError:
        return {}
    return display if isinstance(display, dict) else {}


def is_forewarn_column(column: CalibreColumn) -> bool:
    """True for a column made as forewarn makes its own: multiple-value text, forewarn's mark."""
    return (
        column.datatype == "text"
        and column.is_multiple
        and not column.display.get("is_names")
        and column.display.get("description") == COLUMN_MARK
    )


def check_column(library: str | os.PathLike[str], column: str = DEFAULT_COLUMN) -> bool:
    """Whether forewarn may write ``column``: True when it exists and is forewarn's own, False
    when it does not exist yet (forewarn will create it).

    Raises ``ForewarnError`` naming the library and the column for anything else.
    """
    lib = os.fspath(library)
    label = column_label(library, column)
    existing = custom_columns(library).get(label)
    if existing is None:
        return False
    if not is_forewarn_column(existing):
        raise ForewarnError(
            f"{lib}: column #{label} exists but is not forewarn's own ({describe(existing)}); "
            f"nothing was written. Rename or remove that column in calibre, or give it forewarn's "
            f'settings (text, multiple values, description "{COLUMN_MARK}")'
        )
    return True


def column_label(library: str | os.PathLike[str], column: str) -> str:
    """The lookup name without '#'; refuses Calibre's and the user's columns and bad names."""
    label = column.removeprefix("#")
    if label.lower() in _PROTECTED_COLUMNS:
        raise ForewarnError(
            f"{os.fspath(library)}: forewarn never writes the #{label} column; "
            f"it writes only its own #{DEFAULT_COLUMN}"
        )
    if not _LABEL.match(label):
        raise ForewarnError(
            f"{os.fspath(library)}: #{label} is not a calibre column name (lower-case letters, digits, _)"
        )
    return label


def describe(column: CalibreColumn) -> str:
    """'single-value text', 'int', 'multiple-value text described "…"' and so on."""
    if column.datatype != "text":
        return f"a {column.datatype or 'untyped'} column"
    kind = "multiple-value" if column.is_multiple else "single-value"
    if column.display.get("is_names"):
        kind += " names-like"
    description = column.display.get("description") or ""
    return f"{kind} text, " + (f"described {description!r}" if description else "with no description")


# Run by Calibre's own Python (`calibre-debug -e WRITE_SCRIPT -- PAYLOAD.json`); the payload
# names the library, the column, forewarn's mark and {book id: [labels]}. Prints one result line.
WRITE_SCRIPT = r"""
import json, os, sys


def report(**result):
    print("FOREWARN-RESULT " + json.dumps(result), flush=True)


def ours(meta, mark):
    display = meta.get("display") or {}
    return (meta.get("datatype") == "text" and bool(meta.get("is_multiple"))
            and not display.get("is_names") and display.get("description") == mark)


def main():
    with open(sys.argv[-1], encoding="utf-8") as handle:
        job = json.load(handle)
    library, label = job["library"], job["label"]
    if not os.path.isfile(os.path.join(library, "metadata.db")):
        return report(ok=False, problem="not a calibre library (no metadata.db)")  # db() would make one
    from calibre.utils.lock import singleinstance
    if not singleinstance("db"):  # the check calibredb makes: the GUI or calibre-server is running
        return report(ok=False, problem="another calibre program (the calibre GUI or calibre-server) "
                      "is running; close it and try again")
    from calibre.library import db
    cache = db(library).new_api
    try:
        meta = cache.backend.custom_column_label_map.get(label)
        if meta is None:
            cache.create_custom_column(label, job["heading"], "text", True,
                                       display={"description": job["mark"], "is_names": False})
            cache.close()
            cache = db(library).new_api  # calibre loads a new column when it opens the library
            meta = cache.backend.custom_column_label_map.get(label)
        if meta is None or not ours(meta, job["mark"]):
            return report(ok=False, problem="column #%s exists but is not forewarn's own" % label)
        known = cache.all_book_ids()
        values = {int(k): tuple(v) for k, v in job["values"].items() if int(k) in known}
        changed = cache.set_field("#" + label, values)
        report(ok=True, written=len(values), changed=len(changed),
               missing=sorted(int(k) for k in job["values"] if int(k) not in known))
    finally:
        cache.close()


main()
"""


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one write-back did."""

    written: int  # books whose column value was set
    changed: int  # of those, books whose value differed before
    missing: tuple[int, ...] = ()  # book ids no longer in the library


def find_calibre_debug() -> str | None:
    """``calibre-debug`` on PATH, or beside ``calibredb`` (macOS keeps both in the app bundle)."""
    found = shutil.which("calibre-debug")
    calibredb = shutil.which("calibredb")
    if found is None and calibredb is not None:
        found = shutil.which("calibre-debug", path=os.path.dirname(os.path.realpath(calibredb)))
    return found


def write_command(calibre_debug: str, script: str, payload: str) -> list[str]:
    """The one command line that writes every book."""
    return [calibre_debug, "-e", script, "--", payload]


def write_column(
    library: str | os.PathLike[str],
    detected: Mapping[int, Iterable[str]],
    *,
    column: str = DEFAULT_COLUMN,
    calibre_debug: str | None = None,
) -> WriteResult:
    """Store detected labels per book id in forewarn's own column, all books in one Calibre run.

    Creates the column when the library lacks it. Raises ``ForewarnError`` naming the library
    (and the column) when the column is not forewarn's, Calibre is missing or busy, or the
    write fails; then nothing was written.
    """
    lib = os.fspath(library)
    label = column_label(library, column)
    check_column(library, label)  # refuse before starting calibre; the script checks again
    if not detected:
        return WriteResult(0, 0)
    program = calibre_debug or find_calibre_debug()
    if program is None:
        raise ForewarnError(f"{lib}: calibre-debug (part of calibre) is not installed; nothing was written")
    job = {
        "library": str(Path(library).resolve()),
        "label": label,
        "heading": COLUMN_HEADING,
        "mark": COLUMN_MARK,
        "values": {str(int(book)): list(dict.fromkeys(labels)) for book, labels in sorted(detected.items())},
    }
    with tempfile.TemporaryDirectory(prefix="forewarn-calibre-") as tmp:
        script, payload = Path(tmp, "write_column.py"), Path(tmp, "job.json")
        script.write_text(WRITE_SCRIPT, encoding="utf-8")
        payload.write_text(json.dumps(job), encoding="utf-8")
        return _run(lib, write_command(program, str(script), str(payload)))


def _run(lib: str, command: list[str]) -> WriteResult:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window is opened; headless machines too
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            errors="replace",  # calibre's own messages may be in any encoding
            check=False,
            env=env,
            timeout=WRITE_TIMEOUT_S,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ForewarnError(f"{lib}: could not run calibre-debug: {exc}") from exc
    lines = [line for line in done.stdout.splitlines() if line.startswith(_RESULT)]
    if done.returncode != 0 or not lines:
        problem = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ForewarnError(f"{lib}: writing to calibre failed (exit {done.returncode}): {problem}")
    try:
        result = json.loads(lines[-1].removeprefix(_RESULT))
        if not result["ok"]:
            raise ForewarnError(f"{lib}: {result['problem']}; nothing was written")
        return WriteResult(int(result["written"]), int(result["changed"]), tuple(result["missing"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise ForewarnError(
            f"{lib}: calibre-debug gave an answer forewarn cannot read: {lines[-1]!r}"
        ) from exc
