"""AO3 work pages as browsers save them: real pages in ../shared, synthetic ones in fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from forewarn.errors import UnreadableInputError
from forewarn.readers.ao3_page import looks_like_ao3_page, read_ao3_page
from forewarn.readers.sniff import read_work
from tests.conftest import SHARED, shared_path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ao3_page"
WORKS_DEV = SHARED / "data" / "works-dev"
# Site text that must never reach the story: footer, menus, feedback, landmarks.
SITE_STRINGS = (
    "Policy Questions",
    "Abuse Reports",
    "Kudos",
    "Bookmark",
    "Comments",
    "Site Map",
    "Work Search",
    "Chapter Text",
    "Work Text",
    "Share",
    "Incest Bingo",
)


def _page_records() -> list[dict[str, Any]]:
    """works.jsonl lines for the AO3 work pages (not the downloads), or [] without ../shared."""
    listing = WORKS_DEV / "works.jsonl"
    if not listing.is_file():
        return []
    records = [json.loads(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in records if r["format"].startswith("AO3 work page")]


PAGES = _page_records()
PAGE_IDS = [Path(r["file"]).name for r in PAGES]


def _story(work: Any) -> str:
    return "\n\n".join(work.text[s.start : s.end] for s in work.story_sections())


def _norm(text: str) -> str:
    return " ".join(text.split())


def _first_and_last_paragraph(path: Path) -> tuple[str, str]:
    """The first and last non-empty ``<p>`` of the chapter text, read with lxml independently."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".ts":
        raw = raw[raw.index("`") + 1 : raw.rindex("`")]
    root = lxml_html.document_fromstring(raw)
    paras = root.xpath(
        "//div[@id='chapters']//div[contains(concat(' ', normalize-space(@class), ' '), ' userstuff ')]//p"
    )
    texts = [_norm(p.text_content()) for p in paras]
    texts = [t for t in texts if t]
    return texts[0], texts[-1]


def _page(record: dict[str, Any]) -> Path:
    return shared_path("data", "works-dev", record["file"])


@pytest.fixture(params=PAGES or [{}], ids=PAGE_IDS or ["absent"])
def record(request: pytest.FixtureRequest) -> dict[str, Any]:
    if not request.param:
        pytest.skip(f"{WORKS_DEV} is absent: the shared data is not beside this checkout")
    found: dict[str, Any] = request.param
    return found


def test_real_pages_are_read_as_ao3_pages(record: dict[str, Any]) -> None:
    work = read_work(_page(record))
    assert work.source.format == "ao3-page"
    assert work.title == record["title"]
    assert work.author == record["author"]


def test_real_pages_declare_what_the_author_tagged(record: dict[str, Any]) -> None:
    d = read_work(_page(record)).declared
    assert d.rating == record["rating"]
    assert list(d.archive_warnings) == record["archive_warnings"]
    assert list(d.categories) == record["categories"]
    assert list(d.fandoms) == record["fandoms"]
    assert list(d.relationships) == record["relationships"]
    assert list(d.characters) == record["characters"]
    assert list(d.additional_tags) == record["additional_tags"]
    assert d.get("language") == record["language"]
    assert d.get("published") == record["published"]
    assert d.get("chapters") == record["chapters_declared"]


def test_real_pages_story_has_no_site_text(record: dict[str, Any]) -> None:
    story = _story(read_work(_page(record)))
    for text in SITE_STRINGS:
        assert text not in story, text


def test_real_pages_story_holds_the_whole_chapter_text(record: dict[str, Any]) -> None:
    path = _page(record)
    work = read_work(path)
    story = _story(work)
    first, last = _first_and_last_paragraph(path)
    squeezed = "".join(story.split())  # lxml's text_content drops <br>: compare without spaces
    assert squeezed.startswith("".join(first.split())[:80])
    assert squeezed.endswith("".join(last.split())[-80:])
    words = len(story.split())
    assert abs(words - record["words_in_file"]) <= max(25, record["words_in_file"] // 100)


def test_real_pages_keep_summary_and_notes_out_of_the_story(record: dict[str, Any]) -> None:
    work = read_work(_page(record))
    story_ranges = [(s.start, s.end) for s in work.story_sections()]
    for section in work.sections:
        if section.kind != "story":
            assert all(section.end <= a or section.start >= b for a, b in story_ranges)
    if work.declared.summary:
        summaries = [work.text[s.start : s.end] for s in work.sections if s.kind == "summary"]
        assert summaries and summaries[0].startswith(work.declared.summary)
    assert "(See the end of the" not in work.text


def test_real_pages_give_no_abuse_warning_from_the_footer(record: dict[str, Any]) -> None:
    """AO3's footer says "Policy Questions & Abuse Reports" on every page; read as story text it
    gave an "abuse" warning on almost every saved page. None of these works holds abuse
    (careful.jsonl labels none of them with it, warn or mention)."""
    import forewarn

    report = forewarn.scan(_page(record))
    assert report.work.source.format == "ao3-page"
    assert "abuse" not in [v.label for v in report.warnings]


def test_entire_work_view_gives_chapters() -> None:
    path = shared_path("data", "works-dev", "files", "hellersqueen__ao3helper-extension__work-complete.html")
    work = read_work(path)
    assert [c.title for c in work.chapters] == ["Chapter 1: Chapter 1", "Chapter 2: Chapter 2"]
    story = _story(work)
    # markup an extension injected between chapters is not story text
    assert "Last read position" not in story and "Word Swap" not in story
    for chapter in work.chapters:
        assert any(s.kind == "story" and s.chapter == work.chapters.index(chapter) for s in work.sections)


def test_typescript_wrapped_page_is_read_as_the_page_inside() -> None:
    path = shared_path("data", "works-dev", "files", "bartosz-dude__archive3-reader__testHtml.ts")
    work = read_work(path)
    assert work.source.format == "ao3-page"
    assert "template literal" in work.source.notes[-1]
    assert work.declared.rating == "Mature"


# --- synthetic pages (tests/fixtures/ao3_page) ------------------------------------------------


def test_synthetic_entire_work_declared_and_sections() -> None:
    work = read_work(FIXTURES / "entire-work.html")
    assert work.source.format == "ao3-page"
    assert (work.title, work.author) == ("The Lantern Keeper", "quillmoth")
    d = work.declared
    assert d.rating == "Mature"
    assert d.archive_warnings == ("Graphic Depictions Of Violence", "Major Character Death")
    assert d.relationships == ("Keeper & Ferryman",)
    assert d.additional_tags == ("Stabbing", "Lighthouses")
    assert d.summary == "A keeper, a ferryman, and the night the light went out."
    assert d.get("series") == "Part 2 of Harbour Lights"
    assert d.get("words") == "1,234" and d.get("chapters") == "2/2"
    assert d.get("url") == "https://archiveofourown.org/works/99000001"
    assert [c.title for c in work.chapters] == ["Chapter 1: Lamp Oil", "Chapter 2: Storm"]
    kinds = [(s.kind, s.chapter) for s in work.sections]
    assert kinds == [
        ("summary", 0),
        ("author-note", 0),
        ("chapter-title", 0),
        ("summary", 0),
        ("story", 0),
        ("author-note", 0),
        ("chapter-title", 1),
        ("story", 1),
        ("author-note", 1),
    ]
    story = _story(work)
    assert story.startswith("The keeper climbed the hundred steps")
    assert story.endswith("counting steps again.")
    for text in SITE_STRINGS:
        assert text not in work.text, text
    assert "Last read position" not in work.text and "(See the end" not in work.text


def test_synthetic_older_oneshot() -> None:
    work = read_work(FIXTURES / "oneshot-older.html")
    assert work.source.format == "ao3-page"
    assert (work.title, work.author) == ("Tidewater", "Anonymous")
    assert work.declared.archive_warnings == ("No Archive Warnings Apply",)
    assert work.declared.fandoms == ("Original Work", "Sea Stories")
    assert work.declared.additional_tags == ("Fluff",)
    assert [c.title for c in work.chapters] == ["Tidewater"]
    assert _story(work) == (
        "The tide went out and left the harbour full of small bright things.\n\n"
        "Nobody counted them; everybody took one home."
    )


def test_offsets_are_aligned() -> None:
    work = read_work(FIXTURES / "entire-work.html")
    for section in work.sections:
        assert 0 <= section.start < section.end <= len(work.text)
        assert work.text[section.start : section.end].strip() == work.text[section.start : section.end]
    for chapter in work.chapters:
        assert 0 <= chapter.start <= chapter.end <= len(work.text)


def test_direct_reader_matches_sniffing() -> None:
    path = FIXTURES / "entire-work.html"
    assert read_ao3_page(path) == read_work(path)


def test_downloads_are_not_pages() -> None:
    download = SHARED / "fixtures" / "ao3" / "23009290-htmlTest.html"
    if not download.is_file():
        pytest.skip(f"{download} is absent: the shared AO3 fixtures are not beside this checkout")
    assert not looks_like_ao3_page(download.read_text(encoding="utf-8"))
    assert read_work(download).source.format == "ao3-html"


def test_a_page_without_chapters_says_so(tmp_path: Path) -> None:
    page = (FIXTURES / "oneshot-older.html").read_text(encoding="utf-8")
    start = page.index('<div id="chapters"')
    end = page.index("</div>", start) + len("</div>")
    broken = tmp_path / "broken.html"
    broken.write_text(page[:start] + page[end:], encoding="utf-8")
    work = read_work(broken)
    assert work.source.format == "ao3-page"
    assert work.story_sections() == ()
    assert "no chapter text" in work.source.notes[-1]


def test_unreadable_page_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.html"
    with pytest.raises(UnreadableInputError) as excinfo:
        read_ao3_page(missing)
    assert "gone.html" in str(excinfo.value)
