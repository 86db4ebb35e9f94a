"""FanFicFare EPUB and HTML made by FanFicFare itself (tests/fixtures/fanficfare/README.md)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from forewarn.readers.sniff import read_work

FFF = Path(__file__).resolve().parent / "fixtures" / "fanficfare"
CHAPTERS = [
    "Prologue tests:[bare amp(&) qt(') amp(&) gt(>) lt(<) ATnT(AT&T) L(£) Onna(女)]",
    "Chapter 1, Xenos on Cinnabar",
    "Chapter 2, Sinmay on Kintikin",
    'Chapter 3, "Over" Cinnabar',
    "Chapter 4 & 4.5",
    "Chapter 5 < 5.4",
    "Chapter A & B < C > D",
    "Chapter 7",
    "Chapter 8",
]


def _story(work) -> str:
    return " ".join(" ".join(work.text[s.start : s.end] for s in work.story_sections()).split())


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("test1.epub", "fanficfare-epub"),
        ("test1-nosidecar.epub", "fanficfare-epub"),
        ("test1.html", "fanficfare-html"),
        ("test1-nosidecar.html", "fanficfare-html"),
    ],
)
def test_fanficfare_files_read_with_metadata_and_chapters(name: str, fmt: str) -> None:
    work = read_work(FFF / name)
    assert work.source.format == fmt
    assert work.title == "Test Story Title 1"
    assert work.author == "Test Author aa"
    d = work.declared
    assert d.rating == "Tweenie"
    assert d.fandoms[:2] == ("Furbie", "Harry Potter")
    assert d.characters == ("Bob Smith", "Fred Smythe", "George Johnson")
    assert d.relationships == (
        "Harry Potter & Hermione Granger",
        "Harry Potter/Ginny Weasley",
        "Harry Potter/Ginny Weasley/Albus Dumbledore",
    )
    # FanFicFare's "Warnings" from a non-AO3 site are tags, not AO3 archive warnings
    assert d.archive_warnings == ()
    assert "Violence" in d.additional_tags and "Comedy" in d.additional_tags
    assert d.summary is not None and d.summary.startswith("Description tests:")
    assert d.get("status") == "In-Progress"
    assert d.get("words") == "123,456"
    assert [c.title for c in work.chapters] == CHAPTERS
    assert _story(work).startswith("Prologue This is a fake adapter for testing purposes.")
    assert "Table of Contents" not in work.text and "Packaged" not in work.text


def test_sidecar_is_used_and_noted() -> None:
    assert read_work(FFF / "test1.epub").source.notes == ("metadata from test1.epub.json",)
    assert read_work(FFF / "test1-nosidecar.epub").source.notes == ()


def test_fanficfare_epub_and_html_give_the_same_story() -> None:
    assert _story(read_work(FFF / "test1.epub")) == _story(read_work(FFF / "test1.html"))


def _rename_labels(src: Path, dest: Path) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("title_page.xhtml"):
                data = data.replace(b"<b>Rating:</b>", b"<b>Age rating:</b>").replace(
                    b"<b>Characters:</b>", b"<b>Who:</b>"
                )
            zout.writestr(info, data)


def test_renamed_title_page_labels_fall_back_to_sidecar(tmp_path: Path) -> None:
    _rename_labels(FFF / "test1.epub", tmp_path / "renamed.epub")
    shutil.copy(FFF / "test1.epub.json", tmp_path / "renamed.epub.json")
    work = read_work(tmp_path / "renamed.epub")
    assert work.declared.rating == "Tweenie"
    assert work.declared.characters == ("Bob Smith", "Fred Smythe", "George Johnson")


def test_renamed_title_page_labels_without_sidecar_keep_the_rest(tmp_path: Path) -> None:
    _rename_labels(FFF / "test1.epub", tmp_path / "renamed.epub")
    work = read_work(tmp_path / "renamed.epub")
    assert work.source.format == "fanficfare-epub"
    assert work.declared.rating is None  # the label is unknown: better nothing than a guess
    assert work.declared.characters == ()
    assert work.title == "Test Story Title 1"  # from the OPF
    assert len(work.chapters) == 9


def test_sidecar_named_like_the_file_without_extension(tmp_path: Path) -> None:
    shutil.copy(FFF / "test1-nosidecar.epub", tmp_path / "story.epub")
    (tmp_path / "story.json").write_text(
        '{"rating": "Explicit", "warnings": "Major Character Death"}', encoding="utf-8"
    )
    work = read_work(tmp_path / "story.epub")
    assert work.declared.rating == "Explicit"
    assert work.declared.archive_warnings == ("Major Character Death",)


def test_broken_sidecar_is_ignored_with_a_note(tmp_path: Path) -> None:
    shutil.copy(FFF / "test1-nosidecar.epub", tmp_path / "story.epub")
    (tmp_path / "story.epub.json").write_text("{not json", encoding="utf-8")
    work = read_work(tmp_path / "story.epub")
    assert work.declared.rating == "Tweenie"
    assert any("unreadable metadata sidecar" in n for n in work.source.notes)
