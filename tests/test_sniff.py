"""read_work chooses the reader by content, not by extension."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from forewarn.readers.sniff import FORMATS, read_work, sniff

TESTS = Path(__file__).resolve().parent
AO3 = TESTS.parent.parent / "shared" / "fixtures" / "ao3"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"PK\x03\x04rest", "epub"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
        (b"  <html><body>", "html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "html"),
        (b"<!-- saved --> <html>", "html"),
        (b"<p>one</p><p>two</p><br>", "html"),
        (b"Chapter 1\n\nIt was a dark night. 3 < 4 and 5 > 2.", "text"),
        (b"", "text"),
    ],
)
def test_sniff_by_content(head: bytes, expected: str) -> None:
    assert sniff(head) == expected


def test_extension_does_not_decide(tmp_path: Path) -> None:
    fire = AO3 / "218676-incompleteWork.epub"
    if not fire.is_file():
        pytest.skip(f"{fire} is absent: the shared AO3 fixtures are not beside this checkout")
    shutil.copy(fire, tmp_path / "story.txt")
    shutil.copy(AO3 / "218676-incompleteWork.html", tmp_path / "story.dat")
    assert read_work(tmp_path / "story.txt").source.format == "ao3-epub"
    assert read_work(tmp_path / "story.dat").source.format == "ao3-html"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("fanficfare/test1.epub", "fanficfare-epub"),
        ("fanficfare/test1.html", "fanficfare-html"),
        ("ffn/story-chapter2.html", "ffn-html"),
    ],
)
def test_fixture_formats(name: str, fmt: str) -> None:
    assert read_work(TESTS / "fixtures" / name).source.format == fmt
    assert fmt in FORMATS


def test_plain_text_goes_to_the_text_reader(tmp_path: Path) -> None:
    pytest.importorskip("forewarn.readers.txt", reason="the text reader (readers/txt.py) lands from main")
    path = tmp_path / "story.html"  # the extension lies: the content is text
    path.write_text("Chapter 1\n\nIt was a dark night.\n", encoding="utf-8")
    assert read_work(path).source.format == "text"


def test_epub_without_mimetype_is_still_read_by_its_package(tmp_path: Path) -> None:
    path = tmp_path / "b.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "content.opf",
            '<package xmlns="http://www.idpf.org/2007/opf"><metadata/>'
            '<manifest><item id="a" href="a.html" media-type="application/xhtml+xml"/></manifest>'
            '<spine><itemref idref="a"/></spine></package>',
        )
        z.writestr("a.html", "<html><body><p>Hello.</p></body></html>")
    work = read_work(path)
    assert work.source.format == "epub" and work.text == "Hello."


FIXTURES = TESTS / "fixtures"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ao3_page/entire-work.html", "ao3-page"),
        ("ao3_page/oneshot-older.html", "ao3-page"),
        ("ffn/legacy-2011-storytextp.html", "ffn-html"),
        ("ffn/legacy-2008-table.html", "ffn-html"),
        ("ffn/fictionpress-legacy.html", "ffn-html"),
        ("ffn/story-chapter2.html", "ffn-html"),
    ],
)
def test_pages_saved_from_a_browser(name: str, fmt: str, tmp_path: Path) -> None:
    assert read_work(FIXTURES / name).source.format == fmt
    copy = tmp_path / "saved.txt"  # the extension does not decide
    shutil.copy(FIXTURES / name, copy)
    assert read_work(copy).source.format == fmt


def test_ao3_page_format_is_listed() -> None:
    assert "ao3-page" in FORMATS and "ao3-html" in FORMATS


def test_real_ao3_work_pages_are_ao3_pages() -> None:
    folder = TESTS.parent.parent / "shared" / "data" / "works-dev" / "files"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the shared data is not beside this checkout")
    pages = sorted(folder.glob("FujoWebDev__AO3.js__*.html")) + sorted(folder.glob("Txuritan__*.html"))
    pages.append(folder / "hellersqueen__ao3helper-extension__work-complete.html")
    for page in pages:
        assert read_work(page).source.format == "ao3-page", page.name
    for download in folder.glob("chiefaccelerators__*.html"):
        assert read_work(download).source.format == "ao3-html", download.name


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"export const testHtml = `\n<!DOCTYPE html>\n<html lang='en'>", "html"),
        (b"const page: string = `<html><body>", "html"),
        (b"export const x = `hello <b>world</b>`;", "text"),
        (b"const answer = 42;\n", "text"),
    ],
)
def test_html_in_a_template_literal(head: bytes, expected: str) -> None:
    assert sniff(head) == expected


def test_template_literal_page_is_unwrapped(tmp_path: Path) -> None:
    page = (FIXTURES / "ao3_page" / "oneshot-older.html").read_text(encoding="utf-8")
    wrapped = tmp_path / "page.ts"
    wrapped.write_text("export const page = `\n" + page.replace("`", "\\`") + "`;\n", encoding="utf-8")
    work = read_work(wrapped)
    assert work.source.format == "ao3-page"
    assert work.title == "Tidewater"
    assert "`;" not in work.text
