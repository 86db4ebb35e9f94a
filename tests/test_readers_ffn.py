"""FanFiction.Net story pages (hand-written fixtures in tests/fixtures/ffn)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
