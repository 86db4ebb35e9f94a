"""Story pages saved from sites without a reader of their own: only the main content is read.

Fixtures in tests/fixtures/generic_html are hand-written pages with invented text; each names in a
comment the public page or scraper whose structure it follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import forewarn
from forewarn.errors import UnreadableInputError
from forewarn.readers.main_content import NOTE, chrome_words
from forewarn.readers.sniff import read_work

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "generic_html"

CASES = {
    "wordpress-post.html": (
        [
            "The lantern swung on its hook while Tamsin counted the milestones out loud.",
            "Every seventh stone had a name carved into it, and none of the names were hers.",
            "At the ford she stopped, set the lantern on a flat rock, and listened to the water argue"
            " with itself.",
        ],
        [
            "Home",
            "Violence",
            "Death Note",
            "Report Abuse",
            "Posted on",
            "Share this",
            "Related",
            "Dead End",
            "Suicide Squad",
            "killed me",
            "stab someone",
            "Leave a Reply",
            "email address",
            "About me",
            "self-harm",
            "Abuse",
            "Privacy Policy",
            "powered by WordPress",
            "Skip to content",
        ],
    ),
    "xenforo-thread.html": (
        [
            "The tide went out further than Pell had ever seen it go.",
            "Fishing boats lay on their sides in the mud like tired dogs, and the gulls had gone quiet.",
            "She walked out past the last mooring post, boots sinking, until the village was a smudge"
            " of chimney smoke behind her.",
            "The old chart marked the sandbar with a single careful cross.",
        ],
        [
            "Forums",
            "Creative Writing",
            "Violence",
            "Log in",
            "Register",
            "Death Note",
            "Report",
            "Abuse",
            "Joined",
            "Share",
            "#1",
            "Sig:",
            "major character death",
            "Like",
            "Reply",
            "Gorebutcher",
            "Write your reply",
            "Similar threads",
            "Killing Floor",
            "Bled Dry",
            "Terms and rules",
            "XenForo",
        ],
    ),
    "wattpad-part.html": (
        [
            "Ivo pressed his palm flat against the greenhouse glass and felt it hum.",
            "The moths had come back in the night, hundreds of them, folded like tiny letters on every pane.",
            "He did not wake his sister; some mornings were better kept for one person.",
        ],
        [
            "Horror",
            "Violence",
            "Death Note",
            "Log in",
            "Sign Up",
            "Reads",
            "Votes",
            "Part Comments",
            "Advertisement",
            "Dead Island",
            "Continue to next part",
            "killed me",
            "wanted to die",
            "suicide",
            "also like",
            "Blood Moon",
            "murder",
            "Report Abuse",
            "Terms",
            "12",
        ],
    ),
    "nested-divs-menu-table.html": (
        [
            "The observatory had been closed for eleven years when Ren picked the lock.",
            "Dust lay over the brass like a second skin, and the great lens was clouded with it.",
            '"You said there would be a telescope," Kai whispered. "You didn\'t say it would be haunted."',
            "Ren laughed and pushed open the dome, and cold starlight spilled across the floor.",
            "They stayed until the sky turned grey, naming constellations that did not exist.",
        ],
        [
            "Home",
            "Violence",
            "Death Note",
            "Report Abuse",
            "Anime Angst Ring",
            "guestbook",
            "Part 1",
            "Part 3",
            "Back to Fics",
            "Terms of Service",
        ],
    ),
    "bare-paragraphs.html": (
        [
            "Moonrise over Carrow came late that autumn, and the orchard keeper noticed first.",
            "She had a habit of walking the rows with a tin cup of cider, tapping each trunk as if"
            " counting sheep.",
            "Something is listening, she thought, and kept walking anyway.",
            "By the last row the moon was up, swollen and orange, and the apples shone like coins.",
        ],
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_story_text_is_read_and_site_chrome_is_not(name: str) -> None:
    story, chrome = CASES[name]
    work = read_work(FIXTURES / name)
    assert work.source.format == "html"
    for sentence in story:
        assert sentence in work.text, sentence
    for text in chrome:
        assert text not in work.text, text
    # the story is all there is: every sentence of it, in order, and little else
    assert sum(len(s) for s in story) >= 0.8 * len(work.text.replace("\n", ""))
    positions = [work.text.index(s) for s in story]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", sorted(CASES))
def test_note_says_when_the_site_was_left_out(name: str) -> None:
    work = read_work(FIXTURES / name)
    if name == "bare-paragraphs.html":
        assert NOTE not in work.source.notes
    else:
        assert NOTE in work.source.notes


def test_title_author_and_chapter_headings_inside_the_main_block() -> None:
    work = read_work(FIXTURES / "wordpress-post.html")
    assert work.author == "Wren Halloway"
    assert [c.title for c in work.chapters] == ["The Lantern Road"]  # one heading: one chapter
    wattpad = read_work(FIXTURES / "wattpad-part.html")
    assert [c.title for c in wattpad.chapters] == ["Three"]
    old = read_work(FIXTURES / "nested-divs-menu-table.html")
    assert old.title == "Fallen Stars - Part 2" and old.author == "Starling"
    thread = read_work(FIXTURES / "xenforo-thread.html")
    assert thread.title == "Cinder and Salt (Original) | SpaceBattles Forums"


def test_bare_page_is_read_whole(tmp_path: Path) -> None:
    work = read_work(FIXTURES / "bare-paragraphs.html")
    assert work.text.startswith("Moonrise over Carrow came late")
    assert work.text.endswith("shone like coins.")
    assert work.source.notes == ()


def test_menu_and_comments_are_never_evidence(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><title>Quiet Harbour</title></head><body>
    <div id="menu"><ul><li><a href="/report">Report Abuse</a></li><li><a href="/c/violence">Violence</a></li>
    <li><a href="/f/dn">Death Note</a></li><li><a href="/policy">Policy</a></li></ul></div>
    <div class="story"><h2>Quiet Harbour</h2>
    <p>The ferry came in at six, as it always did, and Nell tied the ropes while the gulls complained.</p>
    <p>Her brother waved from the deck with a paper bag of warm bread held high above his head.</p>
    <p>They ate it on the harbour wall, legs swinging, and watched the fog roll out to sea.</p>
    <p>In the evening they played cards by the stove until the lamp burned low and the cat fell asleep.</p>
    </div>
    <div class="comments"><h3>Comments</h3>
    <div class="comment"><p>omg this killed me, I'm dead, I literally died.</p></div>
    <div class="comment"><p>The violence of my tears! I want to stab the author for this ending.</p></div>
    </div>
    <div class="footer">Report Abuse | Violence policy | Death Note fan site</div>
    </body></html>"""
    path = tmp_path / "harbour.html"
    path.write_text(page, encoding="utf-8")
    report = forewarn.scan(path)
    assert "ferry came in at six" in report.work.text
    for text in ("Report Abuse", "Violence", "Death Note", "Policy", "killed me", "stab"):
        assert text not in report.work.text
    assert report.warnings == ()


@pytest.mark.parametrize(
    ("attrs", "words"),
    [
        ('class="chapter-content"', set()),
        ('id="story-header"', {"header"}),
        ('class="p-body-sidebar"', {"sidebar"}),
        ('class="has-sidebar no-comments"', set()),
        ('class="commentList"', {"comment"}),
        ('class="message-user"', {"messageuser"}),
        ('class="reading"', set()),
        ('class="shadow"', set()),
        ('id="navigation"', {"navigation"}),
    ],
)
def test_chrome_words_match_whole_words(attrs: str, words: set[str]) -> None:
    from forewarn.readers.html_text import body_of, parse_html

    el = body_of(parse_html(f"<html><body><div {attrs}>x</div></body></html>"))[0]
    assert chrome_words(el)[0] == words


def test_story_header_inside_the_article_keeps_the_title(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/v'>Violence</a></nav><article>"
        "<div id='story-header'><h1>The Salt Road</h1></div><div class='chapter-content'>"
        "<p>Mara walked the salt road until her boots were white to the ankle.</p></div>"
        "</article><footer>Report Abuse</footer></body></html>",
        encoding="utf-8",
    )
    work = read_work(path)
    assert [c.title for c in work.chapters] == ["The Salt Road"]
    assert "Mara walked the salt road" in work.text
    assert "Violence" not in work.text and "Report Abuse" not in work.text


def test_page_wrapped_in_one_form_is_still_read(tmp_path: Path) -> None:
    # ASP.NET WebForms pages wrap the whole body in <form id="aspnetForm">
    story = "".join(f"<p>Line {i} of the story goes on a little longer here.</p>" for i in range(20))
    path = tmp_path / "aspx.html"
    path.write_text(
        f"<html><body><form id='aspnetForm'><div class='has-sidebar'>{story}</div></form></body></html>"
    )
    work = read_work(path)
    assert "Line 0 of the story" in work.text and "Line 19 of the story" in work.text


def test_story_split_across_blocks_is_not_lost(tmp_path: Path) -> None:
    long_part = "".join(f"<p>Sentence {i} of the first scene, long enough to count.</p>" for i in range(200))
    path = tmp_path / "split.html"
    path.write_text(
        f"<html><body><div class='scene'>{long_part}</div>"
        "<div class='scene'><p>The last scene is short but it is the story's ending.</p></div></body></html>"
    )
    work = read_work(path)
    assert "The last scene is short" in work.text and "Sentence 0 of" in work.text


def test_twenty_thousand_paragraphs(tmp_path: Path) -> None:
    paras = "".join(f"<p>Paragraph {i} of a very long story.</p>" for i in range(20_000))
    path = tmp_path / "long.html"
    path.write_text(
        f"<html><body><nav><a href='/'>Home</a></nav><div id='sidebar'><a href='/x'>Violence</a></div>"
        f"<main>{paras}</main><div class='comments'><p>this killed me</p></div></body></html>"
    )
    work = read_work(path)
    assert work.text.count("Paragraph ") == 20_000
    assert "Violence" not in work.text and "killed me" not in work.text


@pytest.mark.parametrize(
    "data", [b"<html><body>\x00\x00</body></html>", b"<html>", b"<html><body></body></html>"]
)
def test_empty_or_broken_pages_do_not_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(data)
    try:
        work = read_work(path)
    except UnreadableInputError as exc:
        assert "empty.html" in str(exc)
    else:
        assert work.text == ""


def test_a_page_with_control_characters_around_dropped_chrome_is_read(tmp_path):
    # lxml parses control characters out of a broken page but refuses them when a dropped element's
    # tail text is moved to its neighbour: they are left out, never a traceback.
    page = (
        "<html><body><nav>Home | Report Abuse</nav>\x01tail\x02<article>"
        + "".join(f"<p>Paragraph {i} of the story, told\x0b at length.</p>" for i in range(30))
        + "<div class='comments'>this killed me</div>\x03after</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("utf-8"))
    work = forewarn.scan(path).work
    assert "Paragraph 29 of the story" in work.text and "killed me" not in work.text
