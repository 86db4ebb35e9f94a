"""Generic EPUB and HTML, and every kind of bad input: each a clear error or a noted best effort."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest

from forewarn.errors import UnreadableInputError
from forewarn.readers import epub as epub_module
from forewarn.readers.epub import open_epub, resolve_href
from forewarn.readers.sniff import read_work

CONTAINER = b"""<?xml version="1.0"?><container version="1.0"
 xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""


def _doc(body: str, title: str = "x") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>{title}</title><style>p {{ color: red }}</style></head><body>{body}</body></html>"
    ).encode()


def make_epub(
    path: Path,
    docs: list[tuple[str, bytes]],
    *,
    spine: list[str] | None = None,
    extra: dict[str, bytes] | None = None,
    title: str = "A Plain Book",
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """An EPUB with ``docs`` ((href relative to OEBPS/, bytes)) in the spine, in memory only."""
    items = "".join(
        f'<item id="d{i}" href="{href}" media-type="application/xhtml+xml"/>'
        for i, (href, _) in enumerate(docs)
    )
    refs = spine if spine is not None else [f"d{i}" for i in range(len(docs))]
    opf = (
        f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>'
        f"<dc:creator>Someone</dc:creator><dc:description>&lt;p&gt;A &lt;b&gt;blurb&lt;/b&gt;.&lt;/p&gt;"
        f"</dc:description><dc:subject>Angst</dc:subject></metadata>"
        f"<manifest>{items}</manifest><spine>"
        + "".join(f'<itemref idref="{r}"/>' for r in refs)
        + "</spine></package>"
    ).encode()
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("OEBPS/content.opf", opf)
        for href, data in docs:
            z.writestr(posix_join("OEBPS", href), data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def posix_join(base: str, href: str) -> str:
    import posixpath

    return posixpath.normpath(posixpath.join(base, href))


CH1 = _doc("<h1>Chapter One</h1><p>First   line\n of text.</p><script>var x = 'no';</script><p>Second.</p>")
CH2 = _doc("<h1>Chapter Two</h1><p>More text<br/>on two lines.</p><div/><p>After a self-closing div.</p>")


# --- generic EPUB and HTML ------------------------------------------------------------------


def test_generic_epub_uses_spine_order_and_headings(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "b.epub", [("one.xhtml", CH1), ("two.xhtml", CH2)], spine=["d1", "d0"])
    work = read_work(path)
    assert work.source.format == "epub"
    assert work.title == "A Plain Book" and work.author == "Someone"
    assert work.declared.summary == "A blurb."
    assert [c.title for c in work.chapters] == ["Chapter Two", "Chapter One"]
    assert work.text == (
        "Chapter Two\n\nMore text\non two lines.\n\nAfter a self-closing div.\n\n"
        "Chapter One\n\nFirst line of text.\n\nSecond."
    )
    assert [s.kind for s in work.sections] == ["chapter-title", "story", "chapter-title", "story"]
    assert "color" not in work.text and "var x" not in work.text


def test_generic_html_title_heading_and_chapter_headings(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><title>Tab title</title><meta name="author" content="Ann">
    <script>document.write("evil")</script><style>body{}</style></head><body>
    <h1>The Work</h1><h2>Part 1</h2><p>One.</p><h2>Part 2</h2><p>Two.</p><noscript>nojs</noscript>
    </body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    work = read_work(path)
    assert work.source.format == "html"
    assert work.title == "The Work" and work.author == "Ann"
    assert [c.title for c in work.chapters] == ["Part 1", "Part 2"]
    assert [work.text[s.start : s.end] for s in work.story_sections()] == ["One.", "Two."]
    assert "evil" not in work.text and "nojs" not in work.text


def test_html_without_headings_is_one_untitled_chapter(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(b"<p>caf\xe9 au lait</p><p>second</p>")  # cp1252, no charset declared
    work = read_work(path)
    assert work.text == "café au lait\n\nsecond"
    assert len(work.chapters) == 1 and work.chapters[0].end == len(work.text)
    assert work.source.notes == ("decoded as cp1252 (not valid UTF-8)",)


def test_html_full_of_scripts_reads_only_the_text(tmp_path: Path) -> None:
    scripts = "<script>" + "var a = 1;" * 20_000 + "</script>"
    path = tmp_path / "scripts.html"
    path.write_text(f"<html><head>{scripts}</head><body>{scripts}<p>Only this.</p>{scripts}</body></html>")
    work = read_work(path)
    assert work.text == "Only this."


def test_deeply_nested_html_does_not_overflow(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 1_000 + "deep" + "</div>" * 1_000 + "</body></html>")
    assert "deep" in read_work(path).text
    # past libxml2's own depth cap the innermost text is lost, but nothing crashes or hangs
    path.write_text(
        "<html><body><p>top</p>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>"
    )
    assert read_work(path).text.startswith("top")


# --- bad input -------------------------------------------------------------------------------


def test_corrupt_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.epub"
    path.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    with pytest.raises(UnreadableInputError, match="corrupt zip"):
        read_work(path)


def test_truncated_epub_is_a_clear_error(tmp_path: Path) -> None:
    good = make_epub(tmp_path / "good.epub", [("one.xhtml", CH1)])
    data = good.read_bytes()
    path = tmp_path / "cut.epub"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableInputError):
        read_work(path)


def test_zip_that_is_not_an_epub_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "photos.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.jpg", b"\xff\xd8")
    with pytest.raises(UnreadableInputError, match="holds no HTML or text file"):
        read_work(path)


def test_zip_bomb_member_is_refused_quickly(tmp_path: Path) -> None:
    bomb = _doc("<p>" + "a" * (8 * 1024 * 1024) + "</p>")  # compresses about 1000:1
    path = make_epub(tmp_path / "bomb.epub", [("one.xhtml", bomb)])
    started = time.monotonic()
    with pytest.raises(UnreadableInputError, match="zip bomb"):
        read_work(path)
    assert time.monotonic() - started < 2


def test_zip_bomb_total_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub_module, "MAX_TOTAL_UNCOMPRESSED", 10_000)
    path = make_epub(tmp_path / "big.epub", [("one.xhtml", CH1)], extra={"OEBPS/pad.bin": b"x" * 20_000})
    with pytest.raises(UnreadableInputError, match="safe limit"):
        read_work(path)


def test_member_lying_about_its_size_is_read_in_bounded_chunks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(epub_module, "MAX_MEMBER_BYTES", 5_000)
    path = make_epub(tmp_path / "big.epub", [("one.xhtml", _doc("<p>" + "word " * 5_000 + "</p>"))])
    with pytest.raises(UnreadableInputError, match="safe limits"):
        read_work(path)


def test_path_traversal_names_are_never_followed_or_extracted(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    evil = _doc("<p>escaped</p>")
    path = make_epub(
        inner / "trav.epub",
        [("one.xhtml", CH1), ("../../evil.xhtml", evil)],
        extra={"../../evil.xhtml": evil, "/abs.xhtml": evil},
    )
    work = read_work(path)
    assert "escaped" not in work.text
    assert any("outside the book" in n for n in work.source.notes)
    assert sorted(os.listdir(inner)) == ["trav.epub"]
    assert not (tmp_path / "evil.xhtml").exists()
    assert resolve_href("OEBPS", "../../x.xhtml") is None
    assert resolve_href("OEBPS", "/etc/passwd") is None
    assert resolve_href("OEBPS", "text/ch%201.xhtml#p3") == "OEBPS/text/ch 1.xhtml"


def test_drm_rights_file_is_a_clear_error(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "drm.epub", [("one.xhtml", CH1)], extra={"META-INF/rights.xml": b"<rights/>"})
    with pytest.raises(UnreadableInputError, match="DRM"):
        read_work(path)


ENCRYPTION = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
<enc:EncryptionMethod Algorithm="{alg}"/><enc:CipherData><enc:CipherReference URI="{uri}"/>
</enc:CipherData></enc:EncryptedData></encryption>"""


def test_encrypted_content_is_a_clear_error(tmp_path: Path) -> None:
    xml = ENCRYPTION.format(alg="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/one.xhtml")
    path = make_epub(
        tmp_path / "enc.epub", [("one.xhtml", CH1)], extra={"META-INF/encryption.xml": xml.encode()}
    )
    with pytest.raises(UnreadableInputError, match="encrypted"):
        read_work(path)


def test_obfuscated_fonts_alone_are_fine(tmp_path: Path) -> None:
    xml = ENCRYPTION.format(alg="http://www.idpf.org/2008/embedding", uri="OEBPS/font.otf")
    path = make_epub(
        tmp_path / "font.epub", [("one.xhtml", CH1)], extra={"META-INF/encryption.xml": xml.encode()}
    )
    work = read_work(path)
    assert "First line of text." in work.text
    assert any("fonts" in n for n in work.source.notes)


def test_missing_spine_items_are_skipped_with_a_note(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "gap.epub", [("one.xhtml", CH1)], spine=["d0", "nope"])
    work = read_work(path)
    assert "First line of text." in work.text
    assert any("'nope' is not in the manifest" in n for n in work.source.notes)


def test_manifest_item_missing_from_archive_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "m.epub"
    make_epub(path, [("one.xhtml", CH1), ("two.xhtml", CH2)])
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp_path / "m2.epub", "w") as zout:
        for info in zin.infolist():
            if not info.filename.endswith("two.xhtml"):
                zout.writestr(info, zin.read(info))
    work = read_work(tmp_path / "m2.epub")
    assert [c.title for c in work.chapters] == ["Chapter One"]
    assert any("missing from the archive" in n for n in work.source.notes)


def test_epub_with_no_readable_documents_is_a_clear_error(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "empty.epub", [("one.xhtml", CH1)], spine=["ghost"])
    with pytest.raises(UnreadableInputError, match="no readable content"):
        read_work(path)


def test_files_over_max_bytes_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with open(path, "wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(UnreadableInputError, match=r"over the .*-byte limit"):
        read_work(path)
    small = make_epub(tmp_path / "b.epub", [("one.xhtml", CH1)])
    with pytest.raises(UnreadableInputError, match="limit"):
        open_epub(small, max_bytes=100)


def test_missing_file_and_directory_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="no such file"):
        read_work(tmp_path / "nope.epub")
    with pytest.raises(UnreadableInputError, match="directory"):
        read_work(tmp_path)


def test_error_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.epub"
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(UnreadableInputError) as info:
        read_work(path)
    assert str(info.value).startswith(str(path) + ": ")
    assert "\n" not in str(info.value)
    assert info.value.path == str(path)


def test_generic_epub_with_a_toc_makes_one_chapter_per_listed_document() -> None:
    from forewarn.readers.generic import work_from_epub_book

    fff = Path(__file__).resolve().parent / "fixtures" / "fanficfare" / "test1.epub"
    work = work_from_epub_book(open_epub(fff))  # read generically, ignoring FanFicFare's marks
    titles = [c.title for c in work.chapters]
    assert titles[0] == "Title Page" and titles[2] == "Chapter 1, Xenos on Cinnabar"
    assert len(titles) == 10  # inner "Chapter title from site" headings stay story text
    assert "Chapter title from site" in work.text[work.story_sections()[2].start :]
