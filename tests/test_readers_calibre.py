"""Calibre library: listed read-only, junk rows survived, only forewarn's own column written,
ZIP and HTMLZ books read. Calibre itself is not needed here (see test_calibre_real.py)."""

from __future__ import annotations

import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest

from forewarn.api import scan_calibre_library, write_calibre_column
from forewarn.errors import ForewarnError, UnreadableInputError
from forewarn.readers import calibre
from forewarn.readers.calibre import (
    COLUMN_MARK,
    check_column,
    is_calibre_library,
    list_books,
    read_library,
    write_column,
)
from forewarn.readers.zipped_html import read_zipped_html

SCHEMA = """
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, path TEXT);
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE books_authors_link (id INTEGER PRIMARY KEY, book INTEGER, author INTEGER);
CREATE TABLE data (id INTEGER PRIMARY KEY, book INTEGER, format TEXT, uncompressed_size INTEGER, name TEXT);
CREATE TABLE custom_columns (
    id INTEGER PRIMARY KEY, label TEXT, name TEXT, datatype TEXT, mark_for_delete BOOL DEFAULT 0,
    editable BOOL DEFAULT 1, display TEXT DEFAULT '{}', is_multiple BOOL DEFAULT 0, normalized BOOL
);
"""
OURS = json.dumps({"description": COLUMN_MARK, "is_names": False})
STORY = "Lena cut herself with the razor, and the blood ran down her arm into the sink."
PAGE = (
    "<html><head><title>Zipped</title></head><body><h1>Chapter 1</h1>"
    "<p>He stabbed the guard, and blood pooled on the stone floor.</p></body></html>"
)


def make_library(root: Path, *, column: tuple[str, str, int, str] | None = None) -> Path:
    """A metadata.db shaped like Calibre's; ``column`` = (label, datatype, is_multiple, display)."""
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
            (8, "Zipped", "someone/Zipped (8)"),
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
            (8, 8, "TXT", 10, "Zipped - someone"),
            (9, 8, "HTMLZ", 10, "Zipped - someone"),
        ],
    )
    if column is not None:
        db.execute(
            "INSERT INTO custom_columns (label, name, datatype, is_multiple, display, normalized)"
            " VALUES (?, 'Some heading', ?, ?, ?, 1)",
            column,
        )
    db.commit()
    db.close()
    return root


def write_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# --- listing -----------------------------------------------------------------------------------


def test_lists_books_with_their_richest_format(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    assert is_calibre_library(library)
    books = {b.id: b for b in list_books(library)}
    assert sorted(books) == [1, 2, 5, 7, 8]
    fire = books[1]
    assert fire.title == "Fire and Feather" and fire.authors == ("nianeyna",)
    assert fire.format == "EPUB" and fire.formats == ("EPUB", "MOBI", "TXT")
    assert fire.path == str(
        (library / "nianeyna/Fire and Feather (1)/Fire and Feather - nianeyna.epub").resolve()
    )
    assert books[2].format is None and books[2].path is None  # PDF only: nothing forewarn reads
    assert books[5].format == "HTML" and books[5].authors == ("someone", "co,author")
    assert books[7].path is None  # a path leaving the library is never followed
    assert books[8].format == "HTMLZ" and books[8].path is not None and books[8].path.endswith(".htmlz")


def test_format_preference_reads_zips_after_epub_and_html_before_text() -> None:
    order = calibre.FORMAT_PREFERENCE
    assert order.index("EPUB") < order.index("HTML") < order.index("HTMLZ") < order.index("TXT")
    assert order.index("HTML") < order.index("ZIP") < order.index("TXT")


def test_library_is_opened_read_only(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib", column=("cw_detected", "text", 1, OURS))
    before = (library / "metadata.db").read_bytes()
    list_books(library)
    check_column(library)
    assert (library / "metadata.db").read_bytes() == before
    assert sorted(p.name for p in library.iterdir()) == ["metadata.db"]  # no journal or wal left


def test_wal_mode_library_gets_no_wal_or_shm_files(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    db = sqlite3.connect(library / "metadata.db")
    assert db.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    db.close()  # the last connection checkpoints and removes -wal and -shm; the mode stays
    assert sorted(p.name for p in library.iterdir()) == ["metadata.db"]
    before = (library / "metadata.db").read_bytes()
    assert len(list_books(library)) == 5
    calibre.custom_columns(library)
    assert sorted(p.name for p in library.iterdir()) == ["metadata.db"]  # `mode=ro` alone makes both
    assert (library / "metadata.db").read_bytes() == before


def test_read_only_library_folder_is_readable(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    mode = library.stat().st_mode
    library.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert len(list_books(library)) == 5
    finally:
        library.chmod(mode)


def _junk_library(root: Path) -> Path:
    """Rows no Calibre writes: NULL and text ids, a NULL folder, NULL and odd formats and names,
    a title that is not UTF-8."""
    root.mkdir()
    db = sqlite3.connect(root / "metadata.db")
    db.executescript(SCHEMA.replace("id INTEGER PRIMARY KEY, title", "id, title"))
    db.executemany(
        "INSERT INTO books VALUES (?, ?, ?)",
        [
            (None, "Null id", "a/Null id"),
            ("three", "Text id", "a/Text id"),
            (2.5, "Float id", "a/Float id"),
            (4, None, "a/No title (4)"),
            (6, "No folder", None),
            (9, "Odd rows", "a/Odd rows (9)"),
            (9, "Twice", "a/Twice"),
            (10, b"\xff blob", "a/Blob (10)"),
        ],
    )
    db.execute("INSERT INTO books VALUES (11, CAST(X'FF4142' AS TEXT), 'a/Bad UTF-8 (11)')")
    db.executemany("INSERT INTO authors VALUES (?, ?)", [(1, None), (2, "Ann")])
    db.executemany(
        "INSERT INTO books_authors_link VALUES (?, ?, ?)", [(1, 9, 1), (2, 9, 2), (3, "x", 2), (4, None, 2)]
    )
    db.executemany(
        "INSERT INTO data (book, format, name) VALUES (?, ?, ?)",
        [
            (4, "TXT", "story"),
            (6, "TXT", "story"),
            (9, None, "odd"),
            (9, "TXT", None),
            (9, "EPUB", "../../escape"),
            (9, "T/XT", "odd"),
            (9, "TXT", "odd\x00name"),
            (None, "TXT", "orphan"),
            ("nine", "TXT", "orphan"),
        ],
    )
    db.commit()
    db.close()
    (root / "a" / "No title (4)").mkdir(parents=True)
    (root / "a" / "No title (4)" / "story.txt").write_text(STORY, encoding="utf-8")
    return root


def test_junk_book_rows_are_errors_for_that_row_and_never_a_traceback(tmp_path: Path) -> None:
    library = _junk_library(tmp_path / "lib")
    listing = read_library(library)
    assert [b.id for b in listing.books] == [4, 6, 9, 10, 11]
    problems = sorted(str(p).removeprefix(f"{library}: calibre book ") for p in listing.problems)
    assert problems == [
        "'three' (Text id): its id is not a positive whole number in metadata.db; skipped",
        "2.5 (Float id): its id is not a positive whole number in metadata.db; skipped",
        "9 (Twice): its id appears twice in metadata.db; skipped",
        "None (Null id): its id is not a positive whole number in metadata.db; skipped",
    ]
    books = {b.id: b for b in listing.books}
    assert books[4].title == "" and books[4].format == "TXT"
    assert books[6].path is None and "no folder path" in " ".join(books[6].notes)
    assert books[9].authors == ("Ann",) and books[9].formats == () and len(books[9].notes) == 6
    assert books[10].title == "" and books[10].path is None
    assert books[11].title == "\ufffdAB"  # a byte that is not UTF-8 costs only itself


def test_scanning_a_junk_library_reports_each_bad_row_and_reads_the_rest(tmp_path: Path) -> None:
    library = _junk_library(tmp_path / "lib")
    results = scan_calibre_library(library, who=False)
    errors = [r for r in results if isinstance(r, UnreadableInputError)]
    reports = [r for r in results if not isinstance(r, UnreadableInputError)]
    assert len(errors) == 8  # four junk rows, and books 6, 9, 10 and 11 with nothing to read
    assert [r.work.source.calibre_id for r in reports] == [4]
    assert "self-harm" in [v.label for v in reports[0].warnings]
    odd = next(str(e) for e in errors if "Odd rows" in str(e))
    assert "no format forewarn reads (no files); skipped a format row" in odd


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 40, b""],
    ids=["garbage", "empty"],
)
def test_a_metadata_db_that_is_not_sqlite_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "metadata.db").write_bytes(content)
    with pytest.raises(UnreadableInputError, match=r"metadata\.db"):
        scan_calibre_library(tmp_path)


def test_a_metadata_db_without_calibre_tables_is_a_clear_error(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "metadata.db").execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(UnreadableInputError, match=r"unreadable metadata\.db: no such table"):
        scan_calibre_library(tmp_path)


def test_folder_without_metadata_db_is_a_clear_error(tmp_path: Path) -> None:
    assert not is_calibre_library(tmp_path)
    with pytest.raises(UnreadableInputError, match="not a Calibre library"):
        list_books(tmp_path)


# --- whose column ------------------------------------------------------------------------------


def test_a_missing_column_will_be_created_and_forewarns_own_is_accepted(tmp_path: Path) -> None:
    assert check_column(make_library(tmp_path / "none")) is False
    assert check_column(make_library(tmp_path / "ours", column=("cw_detected", "text", 1, OURS))) is True
    library = make_library(tmp_path / "deleted", column=("cw_detected", "int", 0, "{}"))
    db = sqlite3.connect(library / "metadata.db")
    db.execute("UPDATE custom_columns SET mark_for_delete = 1")
    db.commit()
    db.close()
    assert check_column(library) is False  # calibre drops it when it next opens the library


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        (("cw_detected", "text", 0, "{}"), "single-value text, with no description"),
        (("cw_detected", "int", 0, "{}"), "a int column"),
        (("cw_detected", "text", 1, "{}"), "multiple-value text, with no description"),
        (("cw_detected", "text", 1, '{"description": "mine"}'), "described 'mine'"),
        (("cw_detected", "text", 0, OURS), "single-value text, described"),
        (("cw_detected", "comments", 0, OURS), "a comments column"),
        (("cw_detected", "text", 1, json.dumps({"description": COLUMN_MARK, "is_names": True})), "names"),
        (("cw_detected", "text", 1, "not json"), "with no description"),
    ],
)
def test_a_column_forewarn_did_not_make_is_refused_naming_library_and_column(
    tmp_path: Path, column: tuple[str, str, int, str], kind: str
) -> None:
    library = make_library(tmp_path / "lib", column=column)
    with pytest.raises(ForewarnError, match="column #cw_detected exists but is not forewarn's own") as error:
        check_column(library)
    assert str(library) in str(error.value) and kind in str(error.value)
    assert "nothing was written" in str(error.value)


@pytest.mark.parametrize("column", ["#warnings", "warnings", "tags", "#Title"])
def test_never_writes_the_users_warnings_column(tmp_path: Path, column: str) -> None:
    library = make_library(tmp_path / "lib")
    with pytest.raises(ForewarnError, match="never writes"):
        write_column(library, {1: ["death"]}, column=column, calibre_debug="/nonexistent")


@pytest.mark.parametrize("column", ["CW", "1x", "cw-detected", "", "#"])
def test_a_name_calibre_would_refuse_is_refused_first(tmp_path: Path, column: str) -> None:
    with pytest.raises(ForewarnError, match="not a calibre column name"):
        write_column(make_library(tmp_path / "lib"), {1: ["death"]}, column=column)


# --- writing, through a stand-in for calibre-debug ------------------------------------------------


def fake_calibre_debug(tmp_path: Path, result: str, *, code: int = 0) -> Path:
    """An executable that records its arguments and job, and answers like WRITE_SCRIPT."""
    program = tmp_path / "calibre-debug"
    record = tmp_path / "record.json"
    program.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        "job = json.load(open(sys.argv[-1]))\n"
        "script = open(sys.argv[2]).read()\n"
        f"json.dump({{'argv': sys.argv[1:], 'job': job, 'script': script}}, open({str(record)!r}, 'w'))\n"
        f"print('calibre noise')\nprint({result!r})\nsys.exit({code})\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    return program


def test_every_book_is_written_in_one_calibre_run(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    ok = 'FOREWARN-RESULT {"ok": true, "written": 2, "changed": 1, "missing": [9]}'
    program = fake_calibre_debug(tmp_path, ok)
    result = write_column(
        library, {5: ["self-harm"], 1: ["death", "blood", "death"], 9: []}, calibre_debug=str(program)
    )
    assert (result.written, result.changed, result.missing) == (2, 1, (9,))
    record = json.loads((tmp_path / "record.json").read_text())
    assert record["argv"][0] == "-e" and record["argv"][2] == "--"
    assert record["script"] == calibre.WRITE_SCRIPT
    assert record["job"] == {
        "library": str(library.resolve()),
        "label": "cw_detected",
        "heading": calibre.COLUMN_HEADING,
        "mark": COLUMN_MARK,
        "values": {"1": ["death", "blood"], "5": ["self-harm"], "9": []},
    }
    assert not list(Path(record["argv"][1]).parent.glob("*"))  # the job's temporary files are gone


def test_a_user_column_stops_the_write_before_calibre_is_started(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib", column=("cw_detected", "text", 0, "{}"))
    program = fake_calibre_debug(tmp_path, 'FOREWARN-RESULT {"ok": true, "written": 1, "changed": 1}')
    with pytest.raises(ForewarnError, match="not forewarn's own"):
        write_column(library, {1: ["death"]}, calibre_debug=str(program))
    assert not (tmp_path / "record.json").exists()


@pytest.mark.parametrize(
    ("output", "code", "message"),
    [
        ('FOREWARN-RESULT {"ok": false, "problem": "another calibre program is running"}', 0, "running"),
        ("Traceback: boom", 1, r"writing to calibre failed \(exit 1\)"),
        ("no result line", 0, "writing to calibre failed"),
        ("FOREWARN-RESULT {not json", 0, "an answer forewarn cannot read"),
        ('FOREWARN-RESULT {"ok": true}', 0, "an answer forewarn cannot read"),
    ],
)
def test_a_failed_calibre_run_is_a_forewarn_error(
    tmp_path: Path, output: str, code: int, message: str
) -> None:
    library = make_library(tmp_path / "lib")
    program = fake_calibre_debug(tmp_path, output, code=code)
    with pytest.raises(ForewarnError, match=message) as error:
        write_column(library, {1: ["death"]}, calibre_debug=str(program))
    assert str(error.value).startswith(str(library))


def test_missing_calibre_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ForewarnError, match=r"calibre-debug .* is not installed; nothing was written"):
        write_column(make_library(tmp_path / "lib"), {1: ["death"]})


def test_nothing_to_write_starts_nothing(tmp_path: Path) -> None:
    assert write_column(make_library(tmp_path / "lib"), {}, calibre_debug="/nonexistent").written == 0
    assert write_calibre_column(tmp_path / "lib", []) == 0


# --- ZIP and HTMLZ -------------------------------------------------------------------------------


def test_htmlz_is_read_from_its_index_html(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "book.htmlz",
        {"index.html": PAGE, "style.css": "p {}", "metadata.opf": "<package/>", "images/x.html": "<p>no</p>"},
    )
    work = read_zipped_html(path, kind="HTMLZ")
    assert work.title == "Zipped" and "stabbed the guard" in work.text and "no" not in work.text.split()
    assert work.source.notes[0] == "read index.html inside the HTMLZ archive"


def test_calibres_html_zip_is_read_in_spine_order(tmp_path: Path) -> None:
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><manifest>'
        '<item id="b" href="text/b.html" media-type="application/xhtml+xml"/>'
        '<item id="a" href="text/a.html" media-type="application/xhtml+xml"/>'
        '<item id="x" href="../../etc/passwd" media-type="application/xhtml+xml"/>'
        '</manifest><spine><itemref idref="b"/><itemref idref="x"/><itemref idref="a"/></spine></package>'
    )
    path = write_zip(
        tmp_path / "story.zip",
        {
            "mimetype": "application/epub+zip",
            "content.opf": opf,
            "text/a.html": "<html><body><h2>Two</h2><p>Second chapter text is here.</p></body></html>",
            "text/b.html": "<html><body><h2>One</h2><p>First chapter text is here.</p></body></html>",
        },
    )
    work = read_zipped_html(path)
    assert work.text.index("First chapter") < work.text.index("Second chapter")
    assert [c.title for c in work.chapters] == ["One", "Two"]
    assert work.source.notes[0] == "read 2 files inside the ZIP archive, in order"


def test_zip_of_text_files_is_read_in_natural_order(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "story.zip",
        {
            "chapter10.txt": "The end came at last.",
            "chapter2.txt": STORY,
            "__MACOSX/._chapter2.txt": b"\x00\x05\x16\x07",
            "../escape.txt": "never read",
        },
    )
    work = read_zipped_html(path)
    assert work.text.index("razor") < work.text.index("The end")
    assert "never read" not in work.text and work.source.format == "text"


def test_a_single_html_page_goes_through_the_site_readers(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "page.zip", {"My Story.html": PAGE})
    work = read_zipped_html(path)
    assert work.source.format == "html" and work.source.path == str(path)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"cover.jpg": b"\xff\xd8"}, "holds no HTML or text"),
        ({"a.txt": b"\x00\x01\x02\x03" * 100}, "no readable text"),
    ],
)
def test_zip_without_a_story_is_a_clear_error(
    tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    with pytest.raises(UnreadableInputError, match=message):
        read_zipped_html(write_zip(tmp_path / "x.zip", dict(members)))


def test_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.htmlz"
    path.write_text("plain text", encoding="utf-8")
    with pytest.raises(UnreadableInputError, match="not a readable HTMLZ"):
        read_zipped_html(path, kind="HTMLZ")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bomb.zip", {"index.html": b"<p>" + b"a" * (8 * 1024 * 1024)})
    with pytest.raises(UnreadableInputError, match="zip bomb"):
        read_zipped_html(path)


def test_text_over_max_bytes_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "big.zip", {"a.txt": STORY * 50, "b.txt": STORY * 50})
    with pytest.raises(UnreadableInputError, match="limit"):
        read_zipped_html(path, max_bytes=len(STORY) * 60)


def test_calibre_library_zip_and_htmlz_books_are_scanned(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    write_zip(library / "someone/Zipped (8)/Zipped - someone.htmlz", {"index.html": PAGE})
    (library / "someone/Zipped (8)/Zipped - someone.txt").write_text("not this one", encoding="utf-8")
    results = scan_calibre_library(library, who=False)
    (report,) = [r for r in results if not isinstance(r, UnreadableInputError)]
    assert report.work.source.calibre_id == 8 and "stabbed" in report.work.text
    assert "read index.html inside the HTMLZ archive" in report.work.source.notes
