"""Against a real calibre: a library made by ``calibredb``, scanned, written back, checked.

Skipped when calibre (``calibredb`` and ``calibre-debug``) is not installed; on Debian and
Ubuntu ``apt-get install --no-install-recommends calibre`` provides both, and ``.ci/run``
installs it. Headless, ``calibredb add`` works as is; only the cover calibre renders for an
EPUB without one needs Qt WebEngine, which as root runs only with ``--no-sandbox`` (else the
book is still added, without a cover). ``FOREWARN_CALIBRE_BOOKS=10000`` sizes the timing test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forewarn.api import scan_calibre_library, write_calibre_column
from forewarn.cli import main
from forewarn.errors import ForewarnError, UnreadableInputError
from forewarn.model import Report
from forewarn.readers import calibre
from forewarn.readers.calibre import COLUMN_MARK, find_calibre_debug, list_books, write_column

CALIBREDB = shutil.which("calibredb")
CALIBRE_DEBUG = find_calibre_debug()
pytestmark = pytest.mark.skipif(
    CALIBREDB is None or CALIBRE_DEBUG is None,
    reason="calibre is not installed (no calibredb / calibre-debug on PATH); "
    "apt-get install --no-install-recommends calibre",
)

SELF_HARM = "Lena cut herself with the razor, and the blood ran down her arm into the sink."
VIOLENCE = "He stabbed the guard in the chest, and blood pooled on the stone floor."
CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Guard</dc:title>
<dc:creator>Eve Pub</dc:creator><dc:identifier id="id">forewarn-test-1</dc:identifier>
<dc:language>en</dc:language></metadata>
<manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="c1"/></spine></package>"""


def _page(title: str, text: str) -> str:
    return (
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title></head>'
        f"<body><h1>Chapter 1</h1><p>{text}</p><p>Nobody spoke for a long time.</p></body></html>"
    )


def _headless(config: Path, patch: pytest.MonkeyPatch) -> None:
    """Keep calibre's settings out of the user's own, and let it run headless."""
    patch.setenv("CALIBRE_CONFIG_DIRECTORY", str(config))
    patch.setenv("QT_QPA_PLATFORM", "offscreen")
    if os.geteuid() == 0:  # Qt WebEngine (EPUB covers) refuses to sandbox itself as root
        patch.setenv("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")


@pytest.fixture(autouse=True)
def _calibre_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    _headless(tmp_path_factory.mktemp("calibre-config"), monkeypatch)


def calibredb(library: Path, command: str, *args: str) -> str:
    assert CALIBREDB is not None
    done = subprocess.run(
        [CALIBREDB, command, "--library-path", str(library), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if "Another calibre program" in done.stdout + done.stderr:
        pytest.skip("the calibre GUI or calibre-server is running here; calibredb refuses to work")
    assert done.returncode == 0, done.stderr
    return done.stdout


def books_as_listed(library: Path) -> dict[int, dict[str, Any]]:
    """Every field of every book, as ``calibredb list`` shows them."""
    rows = json.loads(calibredb(library, "list", "--fields", "all", "--for-machine"))
    return {row["id"]: row for row in rows}


def without(rows: dict[int, dict[str, Any]], *fields: str) -> dict[int, dict[str, Any]]:
    return {book: {k: v for k, v in row.items() if k not in fields} for book, row in rows.items()}


def column_labels(library: Path) -> set[str]:
    return {line.split(" ")[0] for line in calibredb(library, "custom_columns").splitlines() if line.strip()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A library of four books (TXT, EPUB, HTML kept by calibre as ZIP, HTMLZ), made once."""
    if CALIBREDB is None or CALIBRE_DEBUG is None:
        pytest.skip("calibre is not installed")
    with pytest.MonkeyPatch.context() as patch:
        _headless(tmp_path_factory.mktemp("calibre-config"), patch)
        files = tmp_path_factory.mktemp("files")
        library = tmp_path_factory.mktemp("template") / "library"
        library.mkdir()
        (files / "razor.txt").write_text(SELF_HARM, encoding="utf-8")
        with zipfile.ZipFile(files / "guard.epub", "w") as epub:
            epub.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
            epub.writestr("META-INF/container.xml", CONTAINER)
            epub.writestr("content.opf", OPF)
            epub.writestr("c1.xhtml", _page("The Guard", VIOLENCE))
        (files / "Loose Page.html").write_text(_page("Loose Page", SELF_HARM), encoding="utf-8")
        with zipfile.ZipFile(files / "zipped.htmlz", "w") as htmlz:
            htmlz.writestr("index.html", _page("Zipped", VIOLENCE))
            htmlz.writestr("style.css", "p { margin: 0 }")
        for name in ("razor.txt", "guard.epub", "Loose Page.html", "zipped.htmlz"):
            calibredb(library, "add", str(files / name))
        calibredb(library, "add_custom_column", "mine", "My notes", "text")
        calibredb(library, "add_custom_column", "--is-multiple", "warnings", "Warnings", "text")
        calibredb(library, "set_custom", "mine", "1", "keep me")
        calibredb(library, "set_custom", "warnings", "2", "Graphic Depictions Of Violence")
        calibredb(library, "set_metadata", "--field", "tags:read,favourite", "3")
        yield library


@pytest.fixture
def library(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "library"))


def test_calibre_keeps_the_books_in_the_formats_forewarn_reads(library: Path) -> None:
    formats = {b.title: b.format for b in list_books(library)}
    assert formats == {"razor": "TXT", "The Guard": "EPUB", "Loose Page": "ZIP", "zipped": "HTMLZ"}


def test_scan_and_write_back_change_only_forewarns_column(library: Path) -> None:
    before = books_as_listed(library)
    columns_before = column_labels(library)
    results = scan_calibre_library(library, who=False)
    reports = [r for r in results if isinstance(r, Report)]
    assert len(reports) == 4, [str(r) for r in results if isinstance(r, UnreadableInputError)]
    detected = {r.work.source.calibre_id: [v.label for v in r.warnings] for r in reports}
    assert all(detected.values())

    assert write_calibre_column(library, reports) == 4

    after = books_as_listed(library)
    assert without(after, "*cw_detected", "last_modified") == without(before, "last_modified")
    assert {book: row["*cw_detected"] for book, row in after.items()} == detected
    assert column_labels(library) == columns_before | {"cw_detected"}
    assert after[1]["*mine"] == "keep me" and after[2]["*warnings"] == ["Graphic Depictions Of Violence"]
    details = calibredb(library, "custom_columns", "--details")
    assert COLUMN_MARK.split(" --write-calibre")[0] in details  # the mark forewarn knows it by

    # Again: the column is now recognised as forewarn's own, and nothing differs.
    again = write_column(library, {book: labels for book, labels in detected.items() if book is not None})
    assert (again.written, again.changed) == (4, 0)
    cleared = write_column(library, {1: []})  # a book whose warnings are gone is cleared
    assert cleared.changed == 1 and books_as_listed(library)[1]["*cw_detected"] == []


def test_the_command_line_writes_back_and_says_so(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--no-who", "--format", "json", "--write-calibre", str(library)]) == 0
    err = capsys.readouterr().err
    assert f"wrote #cw_detected for 4 book(s) of {library}" in err


@pytest.mark.parametrize(
    ("options", "datatype", "value"),
    [
        ((), "text", "my own words"),
        (("--is-multiple",), "text", "mine,also mine"),
        ((), "int", "3"),
    ],
    ids=["single-text", "multiple-text-without-mark", "integer"],
)
def test_a_user_column_named_cw_detected_is_refused_and_nothing_is_written(
    library: Path, options: tuple[str, ...], datatype: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    calibredb(library, "add_custom_column", *options, "cw_detected", "My CW", datatype)
    calibredb(library, "set_custom", "cw_detected", "1", value)
    before = (library / "metadata.db").read_bytes()
    listed = books_as_listed(library)
    reports = [r for r in scan_calibre_library(library, who=False) if isinstance(r, Report)]

    with pytest.raises(ForewarnError) as error:
        write_calibre_column(library, reports)
    assert str(library) in str(error.value) and "#cw_detected" in str(error.value)
    assert "not forewarn's own" in str(error.value) and "nothing was written" in str(error.value)
    assert main(["scan", "--no-who", "--format", "json", "--write-calibre", str(library)]) == 2
    assert "#cw_detected exists but is not forewarn's own" in capsys.readouterr().err

    assert (library / "metadata.db").read_bytes() == before
    assert books_as_listed(library) == listed


def test_calibre_side_check_refuses_a_user_column_too(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The script checks again inside calibre: a column made between forewarn's check and the
    write (or a check forewarn got wrong) is still refused."""
    calibredb(library, "add_custom_column", "--is-multiple", "cw_detected", "My CW", "text")
    calibredb(library, "set_custom", "cw_detected", "1", "mine")
    listed = books_as_listed(library)
    monkeypatch.setattr(calibre, "check_column", lambda *args, **kwargs: True)
    with pytest.raises(ForewarnError, match="not forewarn's own; nothing was written"):
        write_column(library, {1: ["death"], 2: ["blood"]})
    assert books_as_listed(library) == listed


def test_a_running_calibre_gui_stops_the_write(library: Path) -> None:
    """The calibre GUI and calibre-server hold calibre's 'db' lock; forewarn waits its turn."""
    assert CALIBRE_DEBUG is not None
    hold = (
        "from calibre.utils.lock import singleinstance; import time; "
        "print(singleinstance('db'), flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([CALIBRE_DEBUG, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        if holder.stdout.readline().strip() != "True":
            pytest.skip("another calibre program already holds calibre's lock")
        before = (library / "metadata.db").read_bytes()  # calibredb would wait for the lock
        with pytest.raises(ForewarnError, match=r"another calibre program .* is running"):
            write_column(library, {1: ["death"]})
        assert (library / "metadata.db").read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


MAKE_BOOKS = """
import sys
from calibre.library import db
from calibre.ebooks.metadata.book.base import Metadata
cache = db(sys.argv[-2]).new_api
cache.add_books([(Metadata("Book %d" % i, ["Author"]), {}) for i in range(int(sys.argv[-1]))])
cache.close()
"""


def test_writing_many_books_is_one_quick_calibre_run(tmp_path: Path) -> None:
    """10,000 books in well under a minute (one calibredb call per book took 0.23 s each)."""
    assert CALIBRE_DEBUG is not None
    count = int(os.environ.get("FOREWARN_CALIBRE_BOOKS", "300"))
    library = tmp_path / "many"
    library.mkdir()
    script = tmp_path / "make_books.py"
    script.write_text(MAKE_BOOKS, encoding="utf-8")
    subprocess.run([CALIBRE_DEBUG, "-e", str(script), "--", str(library), str(count)], check=True)
    labels = ["death", "blood", "violence", "self-harm", "suicide"]
    detected = {book: labels[book % 5 : book % 5 + 2] for book in range(1, count + 1)}
    start = time.perf_counter()
    result = write_column(library, detected)
    elapsed = time.perf_counter() - start
    print(f"\nwrote #cw_detected for {count} books in {elapsed:.2f} s", file=sys.stderr)
    assert (result.written, result.changed) == (count, count)
    assert elapsed < 60
    rows = json.loads(calibredb(library, "list", "--fields", "*cw_detected", "--for-machine", "--limit", "3"))
    assert {row["id"]: row["*cw_detected"] for row in rows} == {b: detected[b] for b in (1, 2, 3)}
