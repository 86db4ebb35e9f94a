"""``forewarn serve``'s page through Starlette's TestClient: routes, filters, paging, the profile,
passages kept closed, uploads (kept only when asked, capped before they are read whole), and the
defences: every story string escaped, a CSP without script, CSRF and Host checks, work ids only.

The stories are made up for these tests (original characters and fandoms); ``XSS_STORIES`` carry
hostile titles, authors, tags, summaries, chapter titles and text (also used by the browser suite).
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import signal
import sqlite3
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

pytest.importorskip("starlette", reason="forewarn serve needs starlette (pip install -e '.[dev]')")
pytest.importorskip("httpx2", reason="Starlette's TestClient needs httpx2 (pip install -e '.[dev]')")

from starlette.testclient import TestClient

from forewarn import cli_web
from forewarn.api import scan
from forewarn.library import Library
from forewarn.library.index import listing
from forewarn.library.store import Store
from forewarn.profile import load_profile
from forewarn.render_json import report_to_dict
from forewarn.web import Settings, create_app
from forewarn.web.listing import Query
from forewarn.web.security import CONTENT_SECURITY_POLICY, BodyTooLarge, Guard, host_name

BASE = "http://127.0.0.1"


# --- made-up stories ------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    file: str
    title: str
    author: str
    fandom: str
    tags: tuple[str, ...]
    summary: str
    chapters: tuple[str, ...]  # paragraphs separated by blank lines
    warnings: tuple[str, ...] = ("No Archive Warnings Apply",)
    chapter_titles: tuple[str, ...] = ()


def ao3_download(story: Story) -> str:
    """An AO3-style HTML download; every string escaped, so markup in a story is its text."""
    e = html.escape
    fields = [
        ("Rating", ["Mature"]),
        ("Archive Warning", list(story.warnings)),
        ("Fandom", [story.fandom]),
        ("Additional Tags", list(story.tags)),
    ]
    links = [(name, ", ".join(f'<a href="#">{e(v)}</a>' for v in values)) for name, values in fields]
    tags = "".join(f"<dt>{name}:</dt><dd>{dd}</dd>" for name, dd in links)
    chapters = ""
    for i, text in enumerate(story.chapters):
        heading = story.chapter_titles[i] if i < len(story.chapter_titles) else f"Chapter {i + 1}"
        paragraphs = "".join(f"<p>{e(p)}</p>" for p in text.split("\n\n"))
        chapters += f'<div class="meta group"><h2 class="heading">{e(heading)}</h2></div>'
        chapters += f'<div class="userstuff">{paragraphs}</div>'
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(story.title)}</title></head><body>'
        '<div id="preface"><p><a href="https://archiveofourown.org/works/1">Archive</a></p>'
        f'<div class="meta"><dl class="tags">{tags}</dl><h1>{e(story.title)}</h1>'
        f'<div class="byline">by <a rel="author" href="#">{e(story.author)}</a></div>'
        f'<p>Summary</p><blockquote class="userstuff"><p>{e(story.summary)}</p></blockquote></div></div>'
        f'<div id="chapters">{chapters}</div></body></html>'
    )


SALT = Story(
    "salt-and-iron.html",
    "Salt and Iron",
    "wrenhollis",
    "Skerry Point (Original Work)",
    ("Angst", "Storms"),
    "The wreckers come to Skerry Point on the longest night of the year.",
    (
        "Wren heard the boats before she saw them. Elias took the lamp down from its hook and told her to "
        "bar the door.",
        "The first man came through the window with a knife. Elias swung the iron bar and broke his arm, "
        "and the man screamed and stabbed at him again and again. Blood ran over the floor and soaked "
        "into the boards.\n\nCaptain Oake shot the second man in the chest. He fell against the stove "
        "and did not get up.",
        "Elias died before dawn, with Wren holding his hand. She closed his eyes and sat with his body "
        "until the tide turned, and in the morning she buried him under the lamp.",
    ),
    ("Graphic Depictions Of Violence", "Major Character Death"),
)
GARDEN = Story(
    "garden-letters.html",
    "The Garden Letters",
    "quietfern",
    "Hollowmere Chronicles",
    ("Fluff", "Epistolary"),
    "Ivo writes to Tamsin about tomatoes, rain, and the cat that sleeps in the greenhouse.",
    (
        "Dear Tamsin, the tomatoes are finally red and the cat has claimed the warmest pot in the "
        "greenhouse. I have named her Marigold and she has not agreed to it.",
        "Dear Ivo, the bees are slow this year, but the honey is dark and sweet. I am sending you seeds "
        "for next spring and a jar for the long evenings.",
    ),
)
RIVER = Story(
    "what-the-river-keeps.html",
    "What the River Keeps",
    "lowtide",
    "Skerry Point (Original Work)",
    ("Grief", "Hurt/Comfort"),
    "Jonah has a plan for the night. Wren has other ideas.",
    (
        "Jonah had not slept in four days. He wrote a suicide note at the kitchen table and left it under "
        "the salt cellar where his sister would find it. Then he emptied the bottle of sleeping pills into "
        "his hand and swallowed them all, one after another, with a glass of whisky.\n\nHe lay down on the "
        "bed and waited to die. He was tired of living, and he wanted it to be over.",
        "Wren found him there an hour later, grey and barely breathing. She called the ambulance and held "
        "his head while he vomited, and the paramedics pumped his stomach on the kitchen floor.\n\nAt the "
        "hospital the doctor said it was his second suicide attempt, and that he should not be alone.",
    ),
    ("Creator Chose Not To Use Archive Warnings",),
)
NIGHT = Story(
    "night-shift.html",
    "Night Shift at St. Brigid's",
    "ampersandra",
    "St. Brigid's General (Original Work)",
    ("Hospital", "Slow Burn"),
    "Three patients, one storm, and a vending machine that only takes exact change.",
    (
        "The ambulance brought in a man from the motorway crash. His leg was broken in two places and the "
        "bone had come through the skin. Amara cut away his jeans while Tobias held pressure on the wound, "
        "and the blood soaked through the gauze faster than they could change it.",
        "By four in the morning the storm had knocked out the lights twice. Tobias found her asleep on the "
        "bench by the window and put his coat over her.",
    ),
)
STORIES = (SALT, GARDEN, RIVER, NIGHT)
BAR = """Title: The Bar

Chapter 1

Dana walked into the bar and the man swung at her. She ducked and he hit the wall.

Chapter 2

He pulled a knife and stabbed Dana in the side. Blood poured over her fingers and soaked her shirt.

Dana fell. She lay dead on the floor, her eyes open, and the bar went quiet. Oren knelt over Dana.
"""
BAR_PASSAGE = "Blood poured over her fingers"

# Each payload would set window.__xss (or open a dialog) if it ever reached the page as markup.
PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1></svg>",
    '<svg><script>window.__xss=1;alert("svg")</script></svg>',
    '<a href="javascript:window.__xss=1">click me</a>',
    "javascript:window.__xss=1",
    '" onmouseover="window.__xss=1" x="',
    "' autofocus onfocus='window.__xss=1' x='",
    '"><script>window.__xss=1</script>',
    "</title><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<details open ontoggle="window.__xss=1">',
    "<body onload=window.__xss=1>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    "{{ 7*7 }}<!-- -->",
)


def xss_story(i: int, payload: str) -> Story:
    """A violent little story whose every string carries ``payload`` (so its passages do too)."""
    return Story(
        f"xss-{i:02d}.html",
        f"Evil {i} {payload}",
        f"author {payload}",
        f"Fandom {payload}",
        (f"tag {payload}", "Angst"),
        f"Summary {payload}",
        (
            f"Mara walked into the yard {payload} and the guard swung his club at her.",
            f"He pulled a knife {payload} and stabbed Mara in the side. Blood poured over her fingers "
            f"{payload} and soaked her shirt.\n\nMara fell. She lay dead on the ground {payload}.",
        ),
        ("Graphic Depictions Of Violence",),
        (f"Chapter 1 {payload}", f"Chapter 2 {payload}"),
    )


XSS_STORIES = tuple(xss_story(i, p) for i, p in enumerate(PAYLOADS))


def xss_text(i: int, payload: str) -> str:
    """The same payload in a plain-text story, where it is the raw text itself."""
    return (
        f"Title: Plain {i} {payload}\n\nChapter 1: {payload}\n\n"
        f"The guard swung his club {payload} at Mara.\n\n"
        f"Chapter 2\n\nHe stabbed Mara in the side {payload}. Blood poured over her fingers.\n"
    )


def write_stories(folder: Path, stories: tuple[Story, ...]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for story in stories:
        (folder / story.file).write_text(ao3_download(story), encoding="utf-8")


def build_library(folder: Path, *, xss: bool = False) -> Path:
    """The made-up stories (and, with ``xss``, the payload stories) indexed into a new library."""
    stories = folder / "stories"
    write_stories(stories, STORIES)
    (stories / "the-bar.txt").write_text(BAR, encoding="utf-8")
    if xss:
        write_stories(stories / "xss", XSS_STORIES)
        for i, payload in enumerate(PAYLOADS):
            (stories / "xss" / f"plain-{i:02d}.txt").write_text(xss_text(i, payload), encoding="utf-8")
    db = folder / "library.sqlite3"
    with Library(db) as library:
        summary = library.add([str(stories)])
    assert not summary.errors, summary.errors
    return db


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library(tmp_path_factory.mktemp("web"), xss=True)


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A copy of the built library for one test (the story files stay where they are)."""
    copy = tmp_path / "library.sqlite3"
    shutil.copyfile(built, copy)
    return copy


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "config" / "profile.toml"


def client_for(db: Path, profile: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(db=db, profile=profile, **settings)), base_url=BASE)


@pytest.fixture
def client(db: Path, profile: Path) -> TestClient:
    return client_for(db, profile)


def ids(db: Path) -> dict[str, str]:
    with Library(db) as library:
        return {row.title: row.id for row in library.works()}


def listed(page: str) -> list[str]:
    """The titles of the works a library page lists, in order."""
    return [
        html.unescape(t)
        for t in re.findall(r'<td class="col-title"><a href="/work/[0-9a-f]+">([^<]*)</a>', page)
    ]


def token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF field on the page"
    return found.group(1)


# --- the library page -----------------------------------------------------------------------


def test_library_page_lists_every_work_with_badges(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    titles = listed(page.text)
    for story in STORIES:
        assert story.title in titles
    assert "The Bar" in titles
    assert 'class="badge sev-' in page.text
    assert "Graphic Depictions Of Violence" in page.text or "Major Character Death" in page.text


def test_label_filter_keeps_only_works_warned_for_it(client: TestClient) -> None:
    titles = listed(client.get("/?include=violence").text)
    assert "Salt and Iron" in titles and "The Bar" in titles
    assert "The Garden Letters" not in titles
    excluded = listed(client.get("/?exclude=violence").text)
    assert "The Garden Letters" in excluded and "Salt and Iron" not in excluded


def test_severity_fandom_and_search_filters(client: TestClient) -> None:
    graphic = listed(client.get("/?severity=graphic").text)
    assert "Night Shift at St. Brigid's" in graphic
    assert "The Garden Letters" not in graphic
    fandom = listed(client.get("/?fandom=hollowmere").text)
    assert fandom == ["The Garden Letters"]
    assert listed(client.get("/?q=Epistolary").text) == ["The Garden Letters"]


def test_bad_filter_values_are_named_not_fatal(client: TestClient) -> None:
    page = client.get("/?include=violnce&severity=extreme&sort=colour&page=x")
    assert page.status_code == 200
    assert "unknown label" in page.text and "unknown severity" in page.text
    assert "The Garden Letters" in listed(page.text)


def test_query_parameters_are_reflected_escaped(client: TestClient) -> None:
    payload = '"><script>window.__xss=1</script>'
    page = client.get("/", params={"q": payload, "fandom": payload, "include": payload})
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert escape(payload) in page.text
    assert_no_active_content(page.text)


def test_the_list_follows_changes_made_by_another_process(
    client: TestClient, db: Path, tmp_path: Path
) -> None:
    assert "The Ferry" not in listed(client.get("/").text)
    story = tmp_path / "ferry.txt"
    story.write_text(BAR.replace("The Bar", "The Ferry"), encoding="utf-8")
    with Library(db) as library:  # as `forewarn library add` would, beside the server
        library.add([str(story)])
    assert "The Ferry" in listed(client.get("/").text)
    with Library(db) as library:
        library.remove([ids(db)["The Ferry"]])
    assert "The Ferry" not in listed(client.get("/").text)


def test_query_round_trips_through_its_links() -> None:
    query, problems = Query.parse(
        _Params({"q": ["found family"], "include": ["violence,death"], "sort": ["words"], "order": ["desc"]})
    )
    assert not problems
    again, _ = Query.parse(_Params.from_query(query.params()))
    assert again == query


class _Params:
    def __init__(self, values: dict[str, list[str]]) -> None:
        self.values = values

    @classmethod
    def from_query(cls, text: str) -> _Params:
        from urllib.parse import parse_qs

        return cls(parse_qs(text.lstrip("?")))

    def get(self, name: str) -> str | None:
        return self.values.get(name, [None])[0]

    def getlist(self, name: str) -> list[str]:
        return self.values.get(name, [])


# --- paging and sorting over many works -----------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 works: two real reports stored again under new hashes, titles and word counts."""
    folder = tmp_path_factory.mktemp("big")
    write_stories(folder, (SALT, GARDEN))
    reports = [scan(folder / SALT.file), scan(folder / GARDEN.file)]
    rows = [(listing(r, report_to_dict(r)), report_to_dict(r)) for r in reports]
    db = folder / "library.sqlite3"
    Library(db).close()
    with Store(db) as store:
        for i in range(120):
            row, report = rows[i % 2]
            copy = replace(row, title=f"Work {i:03d}", words=1000 + i)
            store.save(f"{i:064x}", str(folder / f"gone-{i}.txt"), copy, report)
    return db


def test_pages_of_fifty(big: Path, profile: Path) -> None:
    client = client_for(big, profile)
    first = client.get("/")
    assert listed(first.text) == [f"Work {i:03d}" for i in range(50)]
    assert "Works 1–50 of 120" in first.text
    assert 'rel="next"' in first.text
    third = client.get("/?page=3")
    assert listed(third.text) == [f"Work {i:03d}" for i in range(100, 120)]
    assert 'rel="next"' not in third.text
    assert listed(client.get("/?page=99").text) == listed(third.text)  # past the end: the last page
    assert len(listed(client.get("/?per=25").text)) == 25


def test_sorting_by_a_column(big: Path, profile: Path) -> None:
    client = client_for(big, profile)
    assert listed(client.get("/?sort=words&order=desc").text)[:2] == ["Work 119", "Work 118"]
    page = client.get("/?sort=words")
    assert listed(page.text)[0] == "Work 000"
    assert 'aria-sort="ascending"' in page.text
    # a label filter keeps the order and the paging
    violent = listed(client.get("/?include=violence&sort=words&order=desc").text)
    assert violent[0] == "Work 118" and len(violent) == 50


# --- the profile on the list ----------------------------------------------------------------


def test_profile_hides_counts_lists_with_reason_and_folds(client: TestClient, profile: Path) -> None:
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text('[labels]\nsuicide = "hide"\nblood = "fold"\n', encoding="utf-8")
    page = client.get("/")
    assert "What the River Keeps" not in listed(page.text)
    assert re.search(r"\d+ works? hidden by your profile", page.text)
    hidden = client.get("/?view=hidden")
    assert "What the River Keeps" in listed(hidden.text)
    assert "hidden by your profile: suicide (suicide = hide)" in hidden.text
    assert 'class="folded"' in page.text and "blood = fold" in page.text


def test_a_broken_profile_is_shown_not_fatal(client: TestClient, profile: Path) -> None:
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text("[labels]\nviolnce = 'hide'\n", encoding="utf-8")
    page = client.get("/")
    assert page.status_code == 200
    assert "Your profile could not be read" in page.text and "did you mean violence" in page.text
    assert "Salt and Iron" in listed(page.text)


# --- a work ---------------------------------------------------------------------------------


def test_work_page_shows_warnings_without_passages(client: TestClient, db: Path) -> None:
    page = client.get(f"/work/{ids(db)['The Bar']}")
    assert page.status_code == 200
    assert "Blood" in page.text and "Violence" in page.text
    assert BAR_PASSAGE not in page.text
    assert "Show the passages" in page.text
    assert 'class="strip"' in page.text  # two chapters: the per-chapter strip


def test_passages_come_from_a_rescan_each_closed(client: TestClient, db: Path) -> None:
    page = client.get(f"/work/{ids(db)['The Bar']}/passages")
    assert page.status_code == 200
    assert BAR_PASSAGE in page.text
    passages = re.findall(r"<details class=\"spoiler\"( open)?>", page.text)
    assert passages and not any(passages), "every passage starts closed"
    # the passage text sits inside its <details>, after the summary that hides it
    assert re.search(
        r'<details class="spoiler">\s*<summary>.*?</summary>\s*<blockquote class="passage">Blood',
        page.text,
        re.S,
    )


def test_who_dies_is_hidden_like_a_passage(client: TestClient, db: Path) -> None:
    page = client.get(f"/work/{ids(db)['Salt and Iron']}/passages").text
    assert re.search(
        r'<summary><span class="what">Who dies</span>.*?</summary>\s*<p class="passage">Elias', page, re.S
    )
    stored = client.get(f"/work/{ids(db)['Salt and Iron']}").text
    assert "Who dies" not in stored


def test_passages_of_a_file_that_is_gone_or_changed(client: TestClient, db: Path, tmp_path: Path) -> None:
    work = ids(db)["The Bar"]
    with Library(db) as library:
        [path] = library.get(work).row.paths
    original = Path(path).read_bytes()
    try:
        Path(path).write_text(BAR + "\nOne more line.\n", encoding="utf-8")
        page = client.get(f"/work/{work}/passages")
        assert page.status_code == 200
        assert "gone or has changed" in page.text and BAR_PASSAGE not in page.text
    finally:
        Path(path).write_bytes(original)


@pytest.mark.parametrize(
    "url",
    [
        "/work/zzzz",
        "/work/abc",
        "/work/..%2F..%2Fetc%2Fpasswd",
        "/work/../../etc/passwd",
        "/work/%2Fetc%2Fpasswd/passages",
        "/static/",
        "/static/..%2Fapp.py",
        "/static/app.py",
        "/static/../app.py",
        "/uploads/",
        "/library.sqlite3",
    ],
)
def test_no_path_from_a_request_opens_a_file(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 404
    assert "sqlite" not in page.headers.get("content-type", "")
    assert "def create_app" not in page.text and "root:" not in page.text


def test_the_stylesheet_is_served(client: TestClient) -> None:
    page = client.get("/static/forewarn.css")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/css")


# --- security: escaping, headers, CSRF, Host ------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


# What the templates write; anything else on a page came from a story.
TAGS = frozenset(
    (
        "html",
        "head",
        "meta",
        "title",
        "link",
        "body",
        "header",
        "nav",
        "a",
        "main",
        "p",
        "h1",
        "h2",
        "h3",
        "footer",
        "code",
        "form",
        "div",
        "label",
        "input",
        "datalist",
        "option",
        "select",
        "details",
        "summary",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "button",
        "span",
        "small",
        "abbr",
        "strong",
        "em",
        "ol",
        "ul",
        "li",
        "section",
        "article",
        "blockquote",
        "fieldset",
        "legend",
        "textarea",
        "br",
    )
)
ATTRIBUTES = frozenset(
    (
        "charset",
        "name",
        "content",
        "lang",
        "rel",
        "href",
        "class",
        "method",
        "action",
        "type",
        "value",
        "placeholder",
        "list",
        "id",
        "selected",
        "checked",
        "aria-label",
        "aria-current",
        "aria-sort",
        "title",
        "open",
        "enctype",
        "accept",
        "rows",
        "maxlength",
        "role",
        "aria-hidden",
        "colspan",
    )
)


def assert_no_active_content(page: str) -> None:
    """Every element and attribute is one the templates write: nothing a story injected."""
    parser = _Elements()
    parser.feed(page)
    for tag, attrs in parser.found:
        assert tag in TAGS, f"unexpected <{tag}> on the page"
        for name, value in attrs:
            assert name in ATTRIBUTES, f"unexpected attribute {name}={value!r} on <{tag}>"
            if name in ("href", "action") and value is not None:
                assert value.startswith(("/", "?", "#")), f"{name}={value!r}"


def test_hostile_stories_are_escaped_everywhere(client: TestClient, db: Path) -> None:
    works = ids(db)
    hostile = [title for title in works if title.startswith(("Evil ", "Plain "))]
    assert len(hostile) == 2 * len(PAYLOADS)
    pages = [client.get("/").text, client.get("/?per=200").text]
    for title in hostile:
        pages.append(client.get(f"/work/{works[title]}").text)
        pages.append(client.get(f"/work/{works[title]}/passages").text)
    for page in pages:
        assert "<script" not in page
        assert_no_active_content(page)
    # the payloads are there, as text
    joined = "\n".join(pages)
    assert escape(PAYLOADS[0]) in joined
    assert escape("Summary " + PAYLOADS[1]) in joined
    assert "{{ 7*7 }}" in joined  # data is never a template


def test_every_response_carries_the_security_headers(client: TestClient, db: Path) -> None:
    work = ids(db)["The Bar"]
    responses = [
        client.get("/"),
        client.get(f"/work/{work}"),
        client.get("/add"),
        client.get("/profile"),
        client.get("/static/forewarn.css"),
        client.get("/nowhere"),
        client.post("/add", data={"csrf": "wrong"}),
    ]
    for response in responses:
        csp = response.headers["content-security-policy"]
        assert csp == CONTENT_SECURITY_POLICY
        assert "default-src 'self'" in csp and "script-src 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_no_page_has_any_script(client: TestClient, db: Path) -> None:
    work = ids(db)["Salt and Iron"]
    for url in ("/", f"/work/{work}", f"/work/{work}/passages", "/add", "/profile"):
        assert "<script" not in client.get(url).text.lower()


def test_forms_without_the_token_are_refused(client: TestClient, db: Path) -> None:
    work = ids(db)["The Bar"]
    for url in ("/add", "/profile", f"/work/{work}/remove"):
        refused = client.post(url, data={"text": "Blood everywhere.", "action:violence": "hide"})
        assert refused.status_code == 403, url
        assert "security token" in refused.text
    assert ids(db)["The Bar"] == work  # not removed


def test_forms_from_another_site_are_refused_even_with_the_token(client: TestClient, db: Path) -> None:
    good = token(client.get("/add").text)
    work = ids(db)["The Bar"]
    for headers in (
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},
        {"referer": "http://evil.example/page"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ):
        refused = client.post(f"/work/{work}/remove", data={"csrf": good}, headers=headers)
        assert refused.status_code == 403, headers
    assert "The Bar" in ids(db)
    done = client.post(
        f"/work/{work}/remove",
        data={"csrf": good},
        headers={"origin": BASE, "sec-fetch-site": "same-origin"},
    )
    assert done.status_code == 200 and "Removed" in done.text
    assert "The Bar" not in ids(db)


def test_another_host_name_is_refused(client: TestClient) -> None:
    # A page of another site whose name was pointed at 127.0.0.1 (DNS rebinding) gets nothing.
    page = client.get("/", headers={"host": "evil.example:8000"})
    assert page.status_code == 400
    assert "Salt and Iron" not in page.text
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_host_names() -> None:
    assert host_name("127.0.0.1:8000") == "127.0.0.1"
    assert host_name("[::1]:80") == "::1"
    assert host_name("Evil.Example") == "evil.example"


# --- adding a story -------------------------------------------------------------------------


def _add(client: TestClient, **fields: Any) -> Any:
    files = fields.pop("files", None)
    data = {"csrf": token(client.get("/add").text), **fields}
    return client.post("/add", data=data, files=files, headers={"origin": BASE})


def test_upload_is_scanned_and_not_kept_unless_asked(client: TestClient, db: Path) -> None:
    before = len(ids(db))
    page = _add(client, files={"file": ("my bar story.txt", BAR.encode(), "text/plain")})
    assert page.status_code == 200
    assert "Violence" in page.text and "not</strong> kept" in page.text
    assert BAR_PASSAGE in page.text  # passages from the scan on the spot, each behind a <details>
    assert '<details class="spoiler" open' not in page.text
    assert len(ids(db)) == before


def test_upload_kept_when_asked_goes_beside_the_library_by_hash(client: TestClient, db: Path) -> None:
    text = BAR.replace("The Bar", "The Other Bar")
    page = _add(
        client, keep="on", files={"file": ("../../../etc/evil name!.txt", text.encode(), "text/plain")}
    )
    assert page.status_code == 200 and "kept it in the library" in page.text
    works = ids(db)
    assert "The Other Bar" in works
    with Library(db) as library:
        row = library.get(works["The Other Bar"]).row
    [path] = row.paths
    assert Path(path).parent == db.with_name("library-uploads") / row.hash
    assert Path(path).name == "evil-name-.txt"
    # its passages come from the kept copy
    assert BAR_PASSAGE in client.get(f"/work/{row.id}/passages").text
    # removing the work removes the library's own copy, and only that
    removed = client.post(f"/work/{row.id}/remove", data={"csrf": token(page.text)}, headers={"origin": BASE})
    assert removed.status_code == 200
    assert not Path(path).exists()


def test_pasted_text_with_a_title(client: TestClient, db: Path) -> None:
    page = _add(client, title="Pasted <b>Bar</b> story", text=BAR.split("\n", 2)[2], keep="on")
    assert page.status_code == 200
    assert "Pasted &lt;b&gt;Bar&lt;/b&gt; story" in page.text
    assert "Pasted <b>Bar</b> story" in ids(db)


def test_add_needs_a_file_or_text(client: TestClient) -> None:
    assert _add(client, text="   ").status_code == 400
    both = _add(client, text="words", files={"file": ("a.txt", b"words", "text/plain")})
    assert both.status_code == 400


def test_an_unreadable_upload_is_a_message_and_leaves_nothing(client: TestClient, db: Path) -> None:
    page = _add(client, keep="on", files={"file": ("empty.txt", b"", "text/plain")})
    assert page.status_code == 422
    assert "could not read it" in page.text
    with Library(db) as library:
        assert library.errors() == []
    uploads = db.with_name("library-uploads")
    assert not uploads.exists() or not any(uploads.iterdir())


def test_upload_over_the_cap_is_refused_before_it_is_read(db: Path, profile: Path) -> None:
    client = client_for(db, profile, max_bytes=20_000)
    big = b"The knife went in. " * 5000  # ~95 kB
    refused = _add(client, files={"file": ("big.txt", big, "text/plain")})
    assert refused.status_code == 413
    assert "too large" in refused.text.lower()
    pasted = _add(client, text="word " * 30_000)
    assert pasted.status_code == 413


def test_upload_without_a_length_is_cut_off_while_streaming(db: Path, profile: Path) -> None:
    client = client_for(db, profile, max_bytes=20_000)

    def body() -> Iterator[bytes]:
        yield (
            b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n"
        )
        for _ in range(1000):  # 1 MB offered, in pieces, with no Content-Length
            yield b"x" * 1024

    refused = client.post(
        "/add",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=zzz", "origin": BASE},
    )
    assert refused.status_code == 413


def test_upload_just_over_the_cap_is_refused_while_copied(db: Path, profile: Path) -> None:
    client = client_for(db, profile, max_bytes=20_000)
    refused = _add(client, files={"file": ("big.txt", b"The knife went in. " * 1600, "text/plain")})
    assert refused.status_code == 413


def _scope(headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http", "method": "POST", "path": "/add", "headers": [(b"host", b"127.0.0.1"), *headers]}


def test_guard_refuses_a_declared_length_without_reading_a_byte() -> None:
    reads = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the app must not be called")

    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    guard = Guard(app, hosts={"127.0.0.1"}, max_body=5000)
    asyncio.run(guard(_scope([(b"content-length", b"999999999")]), receive, send))
    assert reads == 0
    assert sent[0]["status"] == 413


def test_guard_counts_a_streamed_body_and_stops_at_the_limit() -> None:
    reads = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while True:
            await receive()

    async def send(message: Any) -> None:
        pass

    guard = Guard(app, hosts={"127.0.0.1"}, max_body=5000)
    with pytest.raises(BodyTooLarge):
        asyncio.run(guard(_scope([]), receive, send))
    assert reads == 6  # 6,000 bytes read: one piece past the limit, never the rest


# --- the profile form -----------------------------------------------------------------------


def test_profile_form_saves_simple_settings_and_keeps_the_rest(client: TestClient, profile: Path) -> None:
    profile.parent.mkdir(parents=True, exist_ok=True)
    original = (
        '# my notes\n[labels]\nviolence = "hide"\ndeath = { action = "fold", unless_tags = ["Fix-It"] }\n'
    )
    profile.write_text(original, encoding="utf-8")
    page = client.get("/profile")
    assert re.search(r'name="action:violence".*?<option value="hide" selected>', page.text, re.S)
    assert "kept as written" in page.text and "unless tagged Fix-It" in page.text
    saved = client.post(
        "/profile",
        data={
            "csrf": token(page.text),
            "action:violence": "fold",
            "severity:violence": "graphic",
            "action:blood": "hide",
            "action:Major Character Death": "hide",
            "action:default": "",
        },
        headers={"origin": BASE},
    )
    assert saved.status_code == 200 and "Saved to" in saved.text
    loaded = load_profile(profile)
    assert loaded.labels["violence"][0].action == "fold"
    assert loaded.labels["violence"][0].min_severity == "graphic"
    assert loaded.labels["blood"][0].action == "hide"
    assert loaded.labels["Major Character Death"][0].action == "hide"
    assert loaded.labels["death"][0].unless_tags == ("Fix-It",)  # what the form cannot show, kept
    backup = profile.with_name("profile.toml.bak")
    assert backup.read_text(encoding="utf-8") == original  # the comment is not lost: it is in the backup
    assert "previous file" in saved.text
    # the list follows the new profile at once
    assert "blood = hide" in client.get("/?view=hidden").text


def test_profile_form_creates_a_missing_file(client: TestClient, profile: Path) -> None:
    page = client.get("/profile")
    assert "not there yet" in page.text
    saved = client.post(
        "/profile", data={"csrf": token(page.text), "action:suicide": "hide"}, headers={"origin": BASE}
    )
    assert saved.status_code == 200
    assert load_profile(profile).labels["suicide"][0].action == "hide"


def test_profile_form_never_overwrites_a_file_it_cannot_read(client: TestClient, profile: Path) -> None:
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text("[labels\nbroken", encoding="utf-8")
    page = client.get("/profile")
    assert "cannot be used" in page.text and 'name="action:violence"' not in page.text
    refused = client.post(
        "/profile",
        data={"csrf": token(client.get("/add").text), "action:violence": "hide"},
        headers={"origin": BASE},
    )
    assert refused.status_code == 409
    assert profile.read_text(encoding="utf-8") == "[labels\nbroken"


def test_profile_form_refuses_values_it_never_offers(client: TestClient, profile: Path) -> None:
    page = client.get("/profile")
    refused = client.post(
        "/profile", data={"csrf": token(page.text), "action:violence": "explode"}, headers={"origin": BASE}
    )
    assert refused.status_code == 400
    assert not profile.exists()


# --- the command ----------------------------------------------------------------------------


def test_serve_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_web.main(["serve", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ("--db", "--port", "--no-browser", "--profile", "--max-mb", "--host"):
        assert option in out


@pytest.mark.parametrize("argv", [["serve", "--port", "99999"], ["serve", "--max-mb", "0"]])
def test_serve_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_web.main(argv)
    assert exit_.value.code == 2


def test_serve_refuses_a_broken_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "profile.toml"
    bad.write_text("[labels]\nviolnce = 'hide'\n", encoding="utf-8")
    code = cli_web.main(
        ["serve", "--db", str(tmp_path / "lib.sqlite3"), "--profile", str(bad), "--no-browser"]
    )
    assert code == 2
    assert "did you mean violence" in capsys.readouterr().err


def test_serve_refuses_a_file_that_is_not_a_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert cli_web.main(["serve", "--db", str(other), "--no-browser"]) == 2
    assert "not a forewarn library" in capsys.readouterr().err


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="needs the main thread")
def test_serve_serves_on_localhost_opens_the_browser_and_stops_on_ctrl_c(
    db: Path, profile: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[str] = []
    pages: list[str] = []

    def fetch_then_interrupt(url: str) -> None:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                pages.append(response.read().decode())
        finally:
            signal.raise_signal(signal.SIGINT)  # as Ctrl+C in the terminal

    def open_browser(url: str) -> bool:
        opened.append(url)
        threading.Thread(target=fetch_then_interrupt, args=(url,), daemon=True).start()
        return True

    monkeypatch.setattr(cli_web.webbrowser, "open", open_browser)
    code = cli_web.main(["serve", "--db", str(db), "--profile", str(profile), "--port", "0"])
    assert code == 0
    [url] = opened
    assert url.startswith("http://127.0.0.1:")
    assert pages and "Salt and Iron" in pages[0]
    captured = capsys.readouterr()
    assert f"serving your library at {url}" in captured.out
    assert "warning" not in captured.err


def test_serve_warns_for_another_address(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    ran: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: ran.append(self.config.host))
    code = cli_web.main(["serve", "--db", str(db), "--host", "0.0.0.0", "--no-browser"])
    assert ran == ["0.0.0.0"]
    assert code == 2  # the fake server never started
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err


def test_serve_says_what_is_missing_without_the_web_packages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert cli_web.main(["serve", "--db", str(tmp_path / "x.sqlite3"), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "needs starlette, jinja2, uvicorn and python-multipart" in err
