"""The plain-text reader: file errors, and story kept apart from headers, notes and chapters."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from forewarn.errors import UnreadableInputError
from forewarn.model import Work
from forewarn.readers.txt import DEFAULT_MAX_BYTES, read_text_file, work_from_text
from tests.conftest import REPO, shared_path

EXAMPLE = REPO / "examples" / "the-lighthouse-keeper.txt"


def sections(work: Work) -> list[tuple[str, str]]:
    """(kind, text) of every section, the shape the tables below are written in."""
    return [(s.kind, work.text[s.start : s.end]) for s in work.sections]


def assert_well_formed(work: Work) -> None:
    """Offsets in range, ordered, not overlapping, trimmed, and covering all non-whitespace text."""
    text = work.text
    at = 0
    for s in work.sections:
        assert 0 <= at <= s.start < s.end <= len(text), s
        assert text[at : s.start].strip() == "", f"text left out before {s}"
        assert not text[s.start].isspace() and not text[s.end - 1].isspace(), s
        assert 0 <= s.chapter < len(work.chapters), s
        assert work.chapters[s.chapter].start <= s.start and s.end <= work.chapters[s.chapter].end, s
        at = s.end
    assert text[at:].strip() == ""
    assert [s.chapter for s in work.sections] == sorted(s.chapter for s in work.sections)
    # chapters: in order, touching, and together the whole text
    assert work.chapters[0].start == 0 and work.chapters[-1].end == len(text)
    for before, after in zip(work.chapters, work.chapters[1:], strict=False):
        assert before.end == after.start and before.start < after.start


# --- reading files ------------------------------------------------------------------------------


def test_read_text_file_reads_a_story_and_says_where_it_came_from(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes("Zoë waited.\r\n\r\nThe river was calm.\r\n".encode("cp1252"))
    work = read_text_file(path)
    assert work.text == "Zoë waited.\n\nThe river was calm.\n"
    assert sections(work) == [("story", "Zoë waited.\n\nThe river was calm.")]
    assert (work.source.path, work.source.format) == (str(path), "text")
    assert work.source.notes == ("decoded as windows-1252",)
    assert work.title is None
    assert [(c.title, c.start, c.end) for c in work.chapters] == [("", 0, len(work.text))]


def test_read_text_file_never_changes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    data = "A/N: hi\r\n\r\nDonâ€™t go.\r\n".encode()
    path.write_bytes(data)
    os.utime(path, (1_000_000, 1_000_000))
    read_text_file(path)
    assert path.read_bytes() == data
    assert path.stat().st_mtime == 1_000_000


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "nowhere.txt"


def _directory(tmp_path: Path) -> Path:
    return tmp_path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"\n  \n")
    return path


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "cover.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)))
    return path


def _too_large(tmp_path: Path) -> Path:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as file:  # sparse: no disk and no time spent on it
        file.truncate(int(52.4 * 1024 * 1024))
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_missing, "no such file"),
        (_directory, "is a directory, not a file"),
        (_empty, "file is empty"),
        (_binary, "looks like a binary file, not text"),
        (_too_large, "file is 52.4 MB, over the 40 MB limit"),
    ],
)
def test_read_text_file_names_the_path_and_the_problem(
    make: Callable[[Path], Path], problem: str, tmp_path: Path
) -> None:
    path = make(tmp_path)
    with pytest.raises(UnreadableInputError) as caught:
        read_text_file(path)
    assert str(caught.value) == f"{path}: {problem}"
    assert caught.value.path == str(path)


def test_read_text_file_refuses_a_file_over_a_smaller_limit(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"The river was calm. " * 100)
    with pytest.raises(UnreadableInputError) as caught:
        read_text_file(path, max_bytes=1000)
    assert str(caught.value) == f"{path}: file is 2,000 bytes, over the 1,000-byte limit"
    assert read_text_file(path, max_bytes=2000).text.startswith("The river")
    assert DEFAULT_MAX_BYTES == 40 * 1024 * 1024


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_read_text_file_reports_a_file_it_may_not_read(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("The river was calm.", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(UnreadableInputError) as caught:
            read_text_file(path)
        assert str(caught.value) == f"{path}: permission denied"
    finally:
        path.chmod(0o600)


# --- what is story and what is not -------------------------------------------------------------------

STRUCTURE = {
    "header block, disclaimer and note": (
        "Title: The Bridge\nRating: T\nPairing: Kakashi/Sakura\nWarnings: character death\n"
        "Summary: She waits.\nHe does not come.\n\nDisclaimer: I don't own Naruto.\n\n"
        'A/N: My first fic, be nice!\n\nEnjoy!\n\nThe bridge was cold.\n\n"Hello," she said.',
        [
            (
                "author-note",
                "Title: The Bridge\nRating: T\nPairing: Kakashi/Sakura\nWarnings: character death",
            ),
            ("summary", "Summary: She waits.\nHe does not come."),
            ("disclaimer", "Disclaimer: I don't own Naruto."),
            ("author-note", "A/N: My first fic, be nice!\n\nEnjoy!"),
            ("story", 'The bridge was cold.\n\n"Hello," she said.'),
        ],
    ),
    "foreword": (
        "Forwards: She was a selfish soul, and she knew it.\n\nThe rain came at dusk.\n\nShe waited.",
        [
            ("foreword", "Forwards: She was a selfish soul, and she knew it."),
            ("story", "The rain came at dusk.\n\nShe waited."),
        ],
    ),
    "bare disclaimer": (
        "I do not own Naruto.\n\nThe rain came at dusk.",
        [("disclaimer", "I do not own Naruto."), ("story", "The rain came at dusk.")],
    ),
    "belongs-to disclaimer": (
        "Naruto belongs to Masashi Kishimoto.\n\nThe rain came at dusk.",
        [("disclaimer", "Naruto belongs to Masashi Kishimoto."), ("story", "The rain came at dusk.")],
    ),
    "note labels": (
        "AN: set after the war\n\n(A/N: no spoilers)\n\nNotes: AU.\n\nThe rain came at dusk.",
        [
            ("author-note", "AN: set after the war\n\n(A/N: no spoilers)\n\nNotes: AU."),
            ("story", "The rain came at dusk."),
        ],
    ),
    "marked end note that runs on": (
        "The rain came at dusk.\n\nShe left.\n\n"
        "A/N: Thanks for reading! Please review.\n\nSee you next time!",
        [
            ("story", "The rain came at dusk.\n\nShe left."),
            ("author-note", "A/N: Thanks for reading! Please review.\n\nSee you next time!"),
        ],
    ),
    "stock phrase at the end": (
        "The rain came at dusk.\n\nShe left.\n\nThanks for reading, everyone! R&R",
        [
            ("story", "The rain came at dusk.\n\nShe left."),
            ("author-note", "Thanks for reading, everyone! R&R"),
        ],
    ),
    "unmarked end note set apart in the author's voice": (
        "I walked to the bridge.\n\nIt was cold.\n\n\n\nI wrote this fic at 3am, sorry for the typos.",
        [
            ("story", "I walked to the bridge.\n\nIt was cold."),
            ("author-note", "I wrote this fic at 3am, sorry for the typos."),
        ],
    ),
    "scene break above an end note": (
        "The rain came at dusk.\n\nShe left.\n\n* * *\n\nA/N: bye!",
        [("story", "The rain came at dusk.\n\nShe left."), ("author-note", "* * *\n\nA/N: bye!")],
    ),
    "note in the middle": (
        "The rain came at dusk.\n\nA/N: flashback ahead\n\nShe remembered.\n\nShe left.",
        [
            ("story", "The rain came at dusk."),
            ("author-note", "A/N: flashback ahead"),
            ("story", "She remembered.\n\nShe left."),
        ],
    ),
    "note inside a paragraph": (
        "The rain came (A/N: it's winter in this AU) and she shivered.\n\nShe left.",
        [
            ("story", "The rain came"),
            ("author-note", "(A/N: it's winter in this AU)"),
            ("story", "and she shivered.\n\nShe left."),
        ],
    ),
    "one paragraph per line, no blank lines": (
        "A/N: my first story\n" + "The rain came at dusk and she waited on the bridge for him, as she had "
        "every night that long and miserable autumn, counting boats.\n"
        * 3
        + "She left.\n\nThanks for reading!",
        [
            ("author-note", "A/N: my first story"),
            (
                "story",
                (
                    "The rain came at dusk and she waited on the bridge for him, as she had every night "
                    "that long and miserable autumn, counting boats.\n"
                )
                * 3
                + "She left.",
            ),
            ("author-note", "Thanks for reading!"),
        ],
    ),
    "windows newlines": (
        "A/N: hi\r\n\r\nThe rain came at dusk.\r\n",
        [("author-note", "A/N: hi"), ("story", "The rain came at dusk.")],
    ),
}


@pytest.mark.parametrize("name", list(STRUCTURE))
def test_work_from_text_keeps_story_apart_from_notes(name: str) -> None:
    text, expected = STRUCTURE[name]
    work = work_from_text(text)
    assert sections(work) == expected
    assert_well_formed(work)


@pytest.mark.parametrize(
    "text",
    [
        "Summer came early that year.\n\nShe left.",  # not a "Summary:"
        "Note the date: it was spring.\n\nShe left.",
        "The sword belongs to Hatake Kakashi.\n\nShe left.",  # only first, or among front matter
        "The rain came.\n\nThe sword belongs to Hatake Kakashi.",
        'The rain came.\n\nShe left.\n\n\n\n"I wrote you a story," she said.',  # dialogue
        "I walked to the bridge.\n\nIt was cold.\n\n\n\nI never wrote to her again.",  # no word about writing
        "I walked to the bridge.\n\nIt was cold.\n\nI wrote this story for you, Mara.",  # no bigger gap
        "The rain came.\n\nEnjoy the silence while it lasts.",
        "The rain came.\n\nBehind her lay the old man, eyes dulled with the loss of life.",
        "The rain came.\n\n\n\nBehind her lay the old man, eyes dulled with the loss of life.",
        'The rain came.\n\n"Thank you."',
    ],
)
def test_work_from_text_leaves_story_alone(text: str) -> None:
    work = work_from_text(text)
    assert sections(work) == [("story", text.strip())]


def test_work_from_text_takes_the_title_from_a_title_line() -> None:
    work = work_from_text("Title: The Bridge\nRating: T\n\nThe rain came.")
    assert work.title == "The Bridge"
    assert work.source.path is None


def test_work_from_text_never_leaves_a_text_without_story() -> None:
    text = "Warnings: violence. The rain came and he hit her, and she fell."
    assert sections(work_from_text(text)) == [("story", text)]


# --- chapters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "titles", "expected"),
    [
        (
            "Summary: A tale.\n\nChapter 1: The Bridge\n\nThe rain came.\n\nA/N: next chapter soon!\n\n"
            "Chapter Two\n\nAN: sorry for the wait\n\nShe left.\n\nEpilogue\n\nYears later.",
            ["Chapter 1: The Bridge", "Chapter Two", "Epilogue"],
            [
                ("summary", 0, "Summary: A tale."),
                ("chapter-title", 0, "Chapter 1: The Bridge"),
                ("story", 0, "The rain came."),
                ("author-note", 0, "A/N: next chapter soon!"),
                ("chapter-title", 1, "Chapter Two"),
                ("author-note", 1, "AN: sorry for the wait"),
                ("story", 1, "She left."),
                ("chapter-title", 2, "Epilogue"),
                ("story", 2, "Years later."),
            ],
        ),
        (
            "CHAPTER IV\n\nShe left.\n\n~Ch. 5 - The End~\n\nGone.\n\n"
            "Part 2\nAgain.\n\nPrologue of the war was long.",
            ["CHAPTER IV", "Ch. 5 - The End", "Part 2"],
            [
                ("chapter-title", 0, "CHAPTER IV"),
                ("story", 0, "She left."),
                ("chapter-title", 1, "~Ch. 5 - The End~"),
                ("story", 1, "Gone."),
                ("chapter-title", 2, "Part 2"),
                ("story", 2, "Again.\n\nPrologue of the war was long."),
            ],
        ),
        (  # before "Chapter 1" stands what is not story: a title, a byline
            "The Bridge\nby Someone Else\n\nPrologue\n\nThe rain came.",
            ["Prologue"],
            [
                ("author-note", 0, "The Bridge\nby Someone Else"),
                ("chapter-title", 0, "Prologue"),
                ("story", 0, "The rain came."),
            ],
        ),
        (  # notes before the first chapter, between chapters and at the end
            "Disclaimer: I don't own Harry Potter.\n\nA/N: My new story. Please review!\n\n"
            'Chapter 1: Beginnings\n\nHarry woke early.\n\n"Goodbye," she said.\n\n'
            "A/N: So what did you think? Review replies:\n\nGuest: thanks!\n\n"
            "Chapter 2: Endings\n\n(A/N: short one, sorry)\n\nThe train left.\n\n"
            "~*~*~\n\nPlease review! xoxo",
            ["Chapter 1: Beginnings", "Chapter 2: Endings"],
            [
                ("disclaimer", 0, "Disclaimer: I don't own Harry Potter."),
                ("author-note", 0, "A/N: My new story. Please review!"),
                ("chapter-title", 0, "Chapter 1: Beginnings"),
                ("story", 0, 'Harry woke early.\n\n"Goodbye," she said.'),
                ("author-note", 0, "A/N: So what did you think? Review replies:\n\nGuest: thanks!"),
                ("chapter-title", 1, "Chapter 2: Endings"),
                ("author-note", 1, "(A/N: short one, sorry)"),
                ("story", 1, "The train left."),
                ("author-note", 1, "~*~*~\n\nPlease review! xoxo"),
            ],
        ),
        (  # before "Chapter 2" only a summary: no chapter of its own
            "Summary: A tale.\n\nChapter 2\n\nShe left.",
            ["Chapter 2"],
            [
                ("summary", 0, "Summary: A tale."),
                ("chapter-title", 0, "Chapter 2"),
                ("story", 0, "She left."),
            ],
        ),
        (  # before "Chapter 2" stands the unheaded first chapter
            "It began in spring.\n\nChapter 2\n\nShe left.",
            ["", "Chapter 2"],
            [
                ("story", 0, "It began in spring."),
                ("chapter-title", 1, "Chapter 2"),
                ("story", 1, "She left."),
            ],
        ),
        (
            "Chapter two of her life began that day.\n\nPart of me wanted to stay.\n\nShe left.",
            [""],
            [
                (
                    "story",
                    0,
                    "Chapter two of her life began that day.\n\nPart of me wanted to stay.\n\nShe left.",
                )
            ],
        ),
    ],
)
def test_work_from_text_finds_chapters(
    text: str, titles: list[str], expected: list[tuple[str, int, str]]
) -> None:
    work = work_from_text(text)
    assert [c.title for c in work.chapters] == titles
    assert [(s.kind, s.chapter, work.text[s.start : s.end]) for s in work.sections] == expected
    assert_well_formed(work)


# --- the seeds and the bundled example --------------------------------------------------------------


def test_seed_000_ends_with_an_author_note() -> None:
    work = read_text_file(shared_path("seeds", "000_1f5270f4df896558.txt"))
    assert_well_formed(work)
    assert [s.kind for s in work.sections] == ["story", "author-note"]
    story, note = sections(work)
    assert note[1] == "I should not listen to sad music while writing."
    assert story[1].startswith("Sakura wondered if she should feel sad.")
    assert story[1].endswith("eye's dulled with the loss of life.")


def test_seed_003_starts_with_a_foreword() -> None:
    work = read_text_file(shared_path("seeds", "003_73d3285b3b136fb8.txt"))
    assert_well_formed(work)
    assert [s.kind for s in work.sections] == ["foreword", "story"]
    foreword, story = sections(work)
    assert foreword[1].startswith("Forwards: ") and "\n" not in foreword[1]
    assert story[1].startswith("Gray cloud spread across the evening sky")
    assert story[1].endswith("now they have gotten their consequence.")


def test_example_story_reads_as_summary_note_story_note() -> None:
    work = read_text_file(EXAMPLE)
    assert_well_formed(work)
    assert work.source.notes == ()
    assert [s.kind for s in work.sections] == ["summary", "author-note", "story", "author-note"]
    summary, note, story, end_note = sections(work)
    assert summary[1].startswith("Summary: ")
    assert note[1].startswith("A/N: ")
    assert story[1].startswith("The storm reached Skerry Point")
    assert "Elias Brand was dead" in story[1] and "blood" in story[1]
    assert story[1].endswith("the light at Skerry Point still burned.")
    assert end_note[1].startswith("A/N: Thank you so much for reading!")
    assert 600 <= len(story[1].split()) <= 900
