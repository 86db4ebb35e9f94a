"""AO3 downloads: the real HTML and EPUB files in ../shared/fixtures/ao3, both formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from forewarn.model import Source
from forewarn.readers.ao3 import read_ao3_html, work_from_ao3_epub, work_from_ao3_roots
from forewarn.readers.epub import open_epub
from forewarn.readers.html_text import parse_html
from forewarn.readers.sniff import read_work

AO3 = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "ao3"

FIRE = "218676-incompleteWork"
AIM = "23009290"


def _path(name: str) -> Path:
    path = AO3 / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared AO3 fixtures are not beside this checkout")
    return path


def _pair(work_id: str) -> tuple[Path, Path]:
    if work_id == FIRE:
        return _path(f"{FIRE}.html"), _path(f"{FIRE}.epub")
    return _path(f"{AIM}-htmlTest.html"), _path(f"{AIM}-epubTest.epub")


def _story(work) -> str:
    return " ".join(" ".join(work.text[s.start : s.end] for s in work.story_sections()).split())


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_fire_and_feather_reads_declared_metadata(fmt: str) -> None:
    html, epub = _pair(FIRE)
    work = read_work(html if fmt == "html" else epub)
    assert work.source.format == f"ao3-{fmt}"
    assert work.title == "Fire and Feather"
    assert work.author == "nianeyna"
    d = work.declared
    assert d.rating == "General Audiences"
    assert d.archive_warnings == ("No Archive Warnings Apply",)
    assert d.categories == ("Gen",)
    assert d.fandoms == ("Valdemar Series - Mercedes Lackey",)
    assert d.relationships == ()
    assert d.characters == ("Original Characters",)
    assert d.additional_tags == ()
    assert d.summary is not None and d.summary.startswith("In a small village on the western border")
    assert d.get("language") == "English"
    assert d.get("chapters") == "3/?"
    assert d.get("words") == "7,526"
    assert d.get("published") == "2006-07-09"
    assert d.get("updated") == "2007-06-25"
    assert d.get("url") == "https://archiveofourown.org/works/218676"


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_fire_and_feather_chapters_notes_and_end_notes(fmt: str) -> None:
    html, epub = _pair(FIRE)
    work = read_work(html if fmt == "html" else epub)
    assert [c.title for c in work.chapters] == [
        "Chapter 1: Festival",
        "Chapter 2: Riversong K'Vala",
        "Chapter 3: Conversations",
    ]
    kinds = [(s.kind, s.chapter) for s in work.sections]
    assert kinds == [
        ("summary", 0),
        ("author-note", 0),
        ("chapter-title", 0),
        ("story", 0),
        ("chapter-title", 1),
        ("author-note", 1),
        ("story", 1),
        ("author-note", 1),
        ("chapter-title", 2),
        ("story", 2),
        ("author-note", 2),
    ]
    text = {(s.kind, s.chapter): work.text[s.start : s.end] for s in work.sections}
    assert text[("author-note", 0)].startswith("This is my first fanfic ever.")
    assert text[("story", 0)].startswith("A/N: Yay! My first fanfic!")
    assert text[("story", 0)].endswith("Now. Review!")
    # chapter 2: notes before the text and chapter end notes after it
    notes_ch2 = [
        work.text[s.start : s.end] for s in work.sections if s.kind == "author-note" and s.chapter == 1
    ]
    assert notes_ch2[0].startswith("Only one more chapter of this")
    assert notes_ch2[1] == "oh bb!Nia, why so many italics?"
    # chapter 3's notes are all at the end; the work's end notes follow them
    assert text[("author-note", 2)].startswith("Seriously, so many italics.")
    assert text[("author-note", 2)].endswith(
        "I think this is my longest published work to date. That's depressing."
    )
    # the "See the end of the chapter for more notes" links are navigation, not text
    assert "See the end of" not in work.text


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_my_aim_reads_declared_metadata(fmt: str) -> None:
    html, epub = _pair(AIM)
    work = read_work(html if fmt == "html" else epub)
    assert work.source.format == f"ao3-{fmt}"
    assert work.title == "My Aim Is Steady And True"
    assert work.author == "nianeyna"
    d = work.declared
    assert d.rating == "Teen And Up Audiences"
    assert d.archive_warnings == ("Graphic Depictions Of Violence",)
    assert d.categories == ("M/M",)
    assert d.fandoms == ("Final Fantasy XIV",)
    assert d.relationships == ("Honoroit Banlardois/Emmanellain de Fortemps",)
    assert d.characters == ("Honoroit Banlardois", "Emmanellain de Fortemps")
    assert d.additional_tags == (
        "Hurt/Comfort",
        "Stabbing",
        "Chest Wounds",
        "Fantasy Medicine",
        "Future Fic",
        "Adult!Honoroit",
        "Angst with a Happy Ending",
        "Id Fic",
    )
    assert d.summary == (
        "100 percent all-natural fandom-grade h/c. Please ignore all the reasons canonical, "
        "medical, and logical why this doesn't make sense. shh. just come."
    )
    assert d.get("chapters") == "1/1"
    assert d.get("language") == "English"
    assert [c.title for c in work.chapters] == ["My Aim Is Steady And True"]
    assert [s.kind for s in work.sections] == [
        "summary",
        "author-note",
        "chapter-title",
        "story",
        "author-note",
    ]
    story = work.text[work.story_sections()[0].start : work.story_sections()[0].end]
    assert story.startswith("Their contact was late.")
    assert story.endswith("“I rather like the sound of that.”")
    end_note = work.text[work.sections[-1].start : work.sections[-1].end]
    assert end_note.startswith("Dedicated to everyone over at #the-emmhono-corner")


@pytest.mark.parametrize("work_id", [FIRE, AIM])
def test_html_and_epub_give_the_same_chapters_and_story(work_id: str) -> None:
    html, epub = _pair(work_id)
    from_html, from_epub = read_work(html), read_work(epub)
    assert [c.title for c in from_html.chapters] == [c.title for c in from_epub.chapters]
    assert _story(from_html) == _story(from_epub)
    assert len(_story(from_html)) > 10_000
    assert from_html.declared == from_epub.declared


@pytest.mark.parametrize("work_id", [FIRE, AIM])
def test_offsets_are_aligned(work_id: str) -> None:
    for path in _pair(work_id):
        work = read_work(path)
        for s in work.sections:
            assert 0 <= s.start < s.end <= len(work.text)
            assert work.text[s.start : s.end] == work.text[s.start : s.end].strip()
        for c in work.chapters:
            assert 0 <= c.start <= c.end <= len(work.text)
        starts = [s.start for s in work.sections]
        assert starts == sorted(starts)
        title_sections = [s for s in work.sections if s.kind == "chapter-title"]
        assert [work.text[s.start : s.end] for s in title_sections] == [c.title for c in work.chapters]


def test_direct_readers_match_sniffing() -> None:
    html, epub = _pair(AIM)
    assert read_ao3_html(html) == read_work(html)
    assert work_from_ao3_epub(open_epub(epub)) == read_work(epub)


OLD_LAYOUT = """<html><head><meta charset="utf-8"><title>T</title></head><body>
<div id="preface"><p class="message"><b>Old Work</b><br/>Posted originally on the
<a href="https://archiveofourown.org/">Archive of Our Own</a> at
<a href="https://archiveofourown.org/works/1">https://archiveofourown.org/works/1</a>.</p>
<div class="meta"><dl class="tags">
<dt>Rating:</dt><dd><a href="x">Mature</a></dd>
<dt>Archive Warning:</dt><dd><a href="x">Choose Not To Use Archive Warnings</a>,
<a href="x">Major Character Death</a></dd>
<dt>Category:</dt><dd><a href="x">F/F</a></dd>
<dt>Fandom:</dt><dd><a href="x">Original Work</a></dd>
<dt>Relationship:</dt><dd><a href="x">A/B</a></dd>
<dt>Character:</dt><dd><a href="x">A</a>, <a href="x">B</a></dd>
<dt>Additional Tags:</dt><dd><a href="x">Self-Harm</a></dd>
<dt>Series:</dt><dd>Part 2 of <a href="x">Lanterns</a></dd>
</dl>
<h1>Old Work</h1><div class="byline">by Anonymous</div>
<p>Summary</p><blockquote class="userstuff"><p>A summary.</p></blockquote>
</div></div>
<div id="chapters" class="userstuff">
<div class="meta group"><h2 class="heading">Chapter 1</h2>
<p>Chapter Summary</p><blockquote class="userstuff"><p>Chapter summary here.</p></blockquote></div>
<div class="userstuff"><p>Story one.</p></div>
<div class="meta group"><h2 class="heading">Chapter 2: The End</h2></div>
<div class="userstuff"><p>Story two.</p><script>alert(1)</script></div>
</div>
<div id="afterword"></div>
</body></html>"""

NEW_LAYOUT = (
    OLD_LAYOUT.replace("Archive Warning:", "Archive Warnings:")
    .replace("Category:", "Categories:")
    .replace("Fandom:", "Fandoms:")
    .replace("Relationship:", "Relationships:")
    .replace("Character:", "Characters:")
    .replace("Choose Not To Use Archive Warnings", "Creator Chose Not To Use Archive Warnings")
)


@pytest.mark.parametrize("page", [OLD_LAYOUT, NEW_LAYOUT], ids=["singular-labels", "plural-labels"])
def test_older_and_newer_label_styles_read_the_same(page: str) -> None:
    work = work_from_ao3_roots([parse_html(page)], Source(None, "ao3-html"))
    d = work.declared
    assert d.rating == "Mature"
    assert d.archive_warnings == ("Creator Chose Not To Use Archive Warnings", "Major Character Death")
    assert d.categories == ("F/F",)
    assert d.fandoms == ("Original Work",)
    assert d.relationships == ("A/B",)
    assert d.characters == ("A", "B")
    assert d.additional_tags == ("Self-Harm",)
    assert d.get("series") == "Part 2 of Lanterns"
    assert work.author == "Anonymous"
    assert [c.title for c in work.chapters] == ["Chapter 1", "Chapter 2: The End"]
    assert [(s.kind, s.chapter) for s in work.sections] == [
        ("summary", 0),
        ("chapter-title", 0),
        ("summary", 0),
        ("story", 0),
        ("chapter-title", 1),
        ("story", 1),
    ]
    assert "alert" not in work.text
