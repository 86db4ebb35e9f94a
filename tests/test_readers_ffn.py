"""FanFiction.Net story pages (hand-written fixtures in tests/fixtures/ffn)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forewarn.model import Work
from forewarn.readers.ffn import parse_metadata_line, split_genres
from forewarn.readers.sniff import read_work

FFN = Path(__file__).resolve().parent / "fixtures" / "ffn"


def test_ffn_story_page_reads_profile_and_chapter() -> None:
    work = read_work(FFN / "story-chapter2.html")
    assert work.source.format == "ffn-html"
    assert work.title == "Lanterns Over the Leaf"
    assert work.author == "paperwren"
    d = work.declared
    assert d.rating == "T"
    assert d.fandoms == ("Naruto",)
    assert d.additional_tags == ("Angst", "Hurt/Comfort")
    assert d.relationships == ("Sakura H./Sasuke U.",)
    assert d.characters == ("Sakura H.", "Sasuke U.", "Kakashi H.")
    assert d.summary is not None and d.summary.startswith("After the war, Sakura keeps a lantern lit")
    assert d.get("language") == "English"
    assert d.get("chapters") == "22"
    assert d.get("words") == "114,414"
    assert d.get("status") == "Complete"
    assert [c.title for c in work.chapters] == ["Smoke on the Training Ground"]
    story = work.text[work.story_sections()[0].start : work.story_sections()[0].end]
    assert story.startswith("A/N: Thank you for the reviews!")
    assert story.endswith("across the village below.")
    assert "not story text" not in work.text and "storyTextResize" not in work.text
    assert "Type your review" not in work.text
    assert "chapter 2 of 22 only" in work.source.notes[0]


def test_ffn_crossover_oneshot_without_genres_or_characters() -> None:
    work = read_work(FFN / "crossover-oneshot.html")
    assert work.declared.fandoms == ("Harry Potter", "Naruto")
    assert work.declared.rating == "K+"
    assert work.declared.additional_tags == ()
    assert work.declared.characters == ()
    assert [c.title for c in work.chapters] == ["Two Kinds of Quiet"]
    assert work.source.notes == ()


@pytest.mark.parametrize(
    ("line", "genres", "characters", "relationships"),
    [
        (
            "Rated: Fiction T - English - Angst/Tragedy - [Sakura H., Sasuke U.] - Chapters: 22 - "
            "Words: 114,414 - Status: Complete",
            ("Angst", "Tragedy"),
            ("Sakura H.", "Sasuke U."),
            ("Sakura H./Sasuke U.",),
        ),
        (
            "Rated: Fiction M - English - Hurt/Comfort/Romance - Naruto U., Hinata H. - Words: 1,000",
            ("Hurt/Comfort", "Romance"),
            ("Naruto U.", "Hinata H."),
            (),
        ),
        ("Rated: Fiction K - Spanish - Words: 500 - Status: Complete", (), (), ()),
        (
            "Rated: Fiction T - English - [Naruto U., Hinata H.] [Sasuke U., Sakura H.] Kakashi H."
            " - Words: 9",
            (),
            ("Naruto U.", "Hinata H.", "Sasuke U.", "Sakura H.", "Kakashi H."),
            ("Naruto U./Hinata H.", "Sasuke U./Sakura H."),
        ),
    ],
)
def test_metadata_line_genres_and_characters_are_optional(line, genres, characters, relationships) -> None:
    meta = parse_metadata_line(line)
    assert meta["genres"] == genres
    assert meta["characters"] == characters
    assert meta["relationships"] == relationships


def test_split_genres_keeps_hurt_comfort_whole() -> None:
    assert split_genres("Hurt/Comfort/Angst") == ("Hurt/Comfort", "Angst")
    assert split_genres("Sakura H.") is None


# --- older layouts (tables, before #profile_top), FanFiction.Net and FictionPress -------------

SITE_TEXT = ("Login", "Sign Up", "Just In", "Forums", "Terms of Service", "Report Abuse", "Review", "Share")


def _story(work: Work) -> str:
    return "\n\n".join(work.text[s.start : s.end] for s in work.story_sections())


def test_2011_layout_reads_script_vars_metadata_div_and_chapter_select() -> None:
    work = read_work(FFN / "legacy-2011-storytextp.html")
    assert work.source.format == "ffn-html"
    assert (work.title, work.author) == ("Paper Cranes", "inkfold")
    d = work.declared
    assert d.rating == "T"
    assert d.fandoms == ("Naruto",)
    assert d.additional_tags == ("Hurt/Comfort", "Friendship")
    assert d.characters == ("Sakura H.", "Naruto U.")
    assert d.summary is not None and d.summary.endswith("Friendship, 'quiet' healing.")
    assert d.get("language") == "English" and d.get("words") == "6,120"
    assert d.get("published") == "12-21-10" and d.get("id") == "7000001"
    assert [c.title for c in work.chapters] == ["Folding"]
    assert "chapter 2 of 3 only" in work.source.notes[0]
    story = _story(work)
    assert story.startswith("The first crane came out crooked")
    assert story.endswith("came on one by one.")
    for text in SITE_TEXT:
        assert text not in work.text, text


def test_older_table_layout_with_breadcrumb_and_gray_span() -> None:
    work = read_work(FFN / "legacy-2008-table.html")
    assert work.source.format == "ffn-html"
    assert (work.title, work.author) == ("Salt and Lanterns", "tidewrack")
    d = work.declared
    assert d.rating == "K+"
    assert d.fandoms == ("Harry Potter",)
    assert d.additional_tags == ("Mystery", "Drama")
    assert d.characters == ("Luna L.", "Neville L.")
    assert d.get("status") == "Complete"
    assert d.summary == "A lighthouse keeper's daughter finds a stranger on the rocks."
    assert [c.title for c in work.chapters] == ["The Lamp"]
    story = _story(work)
    assert story.startswith("Luna found him at low tide")
    assert story.endswith("he opened his eyes.")
    for text in SITE_TEXT:
        assert text not in work.text, text


def test_fictionpress_older_layout() -> None:
    work = read_work(FFN / "fictionpress-legacy.html")
    assert work.source.format == "ffn-html"
    assert (work.title, work.author) == ("Glass Orchard", "mirelle")
    assert work.declared.rating == "K"
    assert work.declared.fandoms == ("Fantasy",)
    assert work.declared.get("status") == "Complete"
    assert work.source.notes == ()
    assert _story(work).startswith("In the orchard the apples were glass")
    for text in SITE_TEXT:
        assert text not in work.text, text


def test_older_layout_offsets_are_aligned() -> None:
    for name in ("legacy-2011-storytextp.html", "legacy-2008-table.html", "fictionpress-legacy.html"):
        work = read_work(FFN / name)
        for section in work.sections:
            text = work.text[section.start : section.end]
            assert text and text == text.strip()


def test_older_layout_characters_joined_by_ampersand() -> None:
    meta = parse_metadata_line(
        "Rated: K+ - English - Humor - Ron W. & Hermione G. - Published: 03-13-06 - Complete"
    )
    assert meta["characters"] == ("Ron W.", "Hermione G.")
    assert meta["status"] == "Complete"
