"""``forewarn serve`` in a real browser: Playwright for Python driving Debian's Chromium against
uvicorn on a free port of 127.0.0.1, over a library of made-up stories (``tests/test_web.py``).

A reader's paths run with JavaScript turned off (the page must work without it): filter by a
label, open a work, reveal one blurred passage, upload a story. Then every page of the hostile
stories is opened, with every <details> opened, twice: as served (with its Content-Security-
Policy) and with the policy bypassed, so that escaping alone is shown to hold: no payload sets
``window.__xss`` and no dialog opens.

Skips, with the reason, where Chromium (``apt-get install chromium``) or playwright is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
)
pytest.importorskip("uvicorn", reason="forewarn serve needs uvicorn")

from forewarn.library import Library  # noqa: E402
from forewarn.web import Settings, create_app  # noqa: E402
from forewarn.web.background import BackgroundServer  # noqa: E402
from tests.test_web import BAR_PASSAGE, PAYLOADS, build_library, xss_text  # noqa: E402

PROFILE = '[labels]\nsuicide = "hide"\n'
NEW_STORY = """Title: The Ferry at Dusk

Chapter 1

Oren waited for the ferry in the rain. When the deckhand shoved him, Oren punched him in the face
and broke his nose.

Chapter 2

The deckhand pulled a knife and stabbed Oren in the arm. Blood ran down his sleeve and dripped onto the deck.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("browser")
    db = build_library(folder, xss=True)
    profile = folder / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    with BackgroundServer(create_app(Settings(db=db, profile=profile))) as running:
        yield running.url, db


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page with JavaScript turned off: what a reader does must work without it."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def _titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("td.col-title > a").all_inner_texts()]


def test_filter_by_a_label(page: Any, server: tuple[str, Path]) -> None:
    url, _ = server
    page.goto(url + "/")
    assert "The Garden Letters" in _titles(page)
    page.get_by_text("Warnings: must have / must not have").click()
    page.get_by_label("must have Violence", exact=True).check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"include=violence"))
    titles = _titles(page)
    assert "Salt and Iron" in titles and "The Bar" in titles
    assert "The Garden Letters" not in titles
    # the profile hides the suicide story: counted, and listed with the reason on request
    page.goto(url + "/")
    page.get_by_role("link", name=re.compile("with the reason")).click()
    assert "What the River Keeps" in _titles(page)
    assert page.get_by_text("hidden by your profile: suicide (suicide = hide)").first.is_visible()


def test_open_a_work_and_reveal_one_blurred_passage(page: Any, server: tuple[str, Path]) -> None:
    url, _ = server
    page.goto(url + "/")
    page.get_by_role("link", name="The Bar", exact=True).click()
    assert page.locator("h1").inner_text() == "The Bar"
    assert BAR_PASSAGE not in page.content()
    page.get_by_role("link", name="Show the passages").click()
    spoilers = page.locator("details.spoiler")
    assert spoilers.count() >= 2
    passages = page.locator("details.spoiler blockquote.passage")
    assert not any(passages.nth(i).is_visible() for i in range(passages.count()))
    blurred = page.locator("details.spoiler .blur").first
    assert blurred.is_visible()
    assert "blur" in blurred.evaluate("e => getComputedStyle(e).filter")
    spoilers.first.locator("summary").click()
    assert passages.first.is_visible()
    assert [passages.nth(i).is_visible() for i in range(1, passages.count())] == [False] * (
        passages.count() - 1
    )
    assert not blurred.is_visible()


def test_upload_a_story(page: Any, server: tuple[str, Path], tmp_path: Path) -> None:
    url, db = server
    story = tmp_path / "ferry.txt"
    story.write_text(NEW_STORY, encoding="utf-8")
    page.goto(url + "/add")
    page.locator("input[type=file]").set_input_files(str(story))
    page.get_by_label("Keep it in the library").check()
    page.get_by_role("button", name="Scan").click()
    assert page.locator("h1").inner_text() == "The Ferry at Dusk"
    assert page.get_by_text("kept it in the library").is_visible()
    assert page.locator("table.verdicts").get_by_text("Violence").is_visible()
    page.locator("details.spoiler summary").first.click()
    assert page.locator("details.spoiler[open] blockquote.passage").first.is_visible()
    page.goto(url + "/?q=ferry")
    assert _titles(page) == ["The Ferry at Dusk"]
    with Library(db) as library:
        assert [row.title for row in library.works(search="ferry")] == ["The Ferry at Dusk"]


def _hostile_urls(url: str, db: Path) -> list[str]:
    with Library(db) as library:
        works = [row for row in library.works() if row.title.startswith(("Evil ", "Plain "))]
    assert len(works) == 2 * len(PAYLOADS)
    urls = [f"{url}/?per=200", f"{url}/?per=200&view=hidden", f"{url}/?q=Evil&per=200"]
    for row in works:
        urls += [f"{url}/work/{row.id}", f"{url}/work/{row.id}/passages"]
    return urls


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_no_payload_ever_runs(
    browser: Any, server: tuple[str, Path], bypass_csp: bool, tmp_path: Path
) -> None:
    url, db = server
    context = browser.new_context(bypass_csp=bypass_csp)
    dialogs: list[str] = []
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    visited = 0
    for address in _hostile_urls(url, db):
        tab.goto(address)
        assert tab.evaluate("typeof window.__xss") == "undefined", address
        # Open every <details> (an injected ontoggle would fire) and hover the strip and badges.
        tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        for hover in ("ol.strip li", ".badge", "td.col-title a"):
            if tab.locator(hover).count():
                tab.locator(hover).first.hover()
        tab.wait_for_timeout(20)
        assert tab.evaluate("typeof window.__xss") == "undefined", address
        assert (
            tab.evaluate("document.querySelectorAll('script, iframe, img, svg, object, embed').length") == 0
        )
        visited += 1
    # A hostile story uploaded and scanned on the spot, not kept.
    story = tmp_path / "hostile.txt"
    story.write_text(xss_text(99, PAYLOADS[1]) + xss_text(98, PAYLOADS[0]), encoding="utf-8")
    tab.goto(url + "/add")
    tab.locator("input[type=file]").set_input_files(str(story))
    tab.get_by_role("button", name="Scan").click()
    tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    tab.wait_for_timeout(50)
    assert tab.locator("h1").inner_text().startswith("Plain 99")
    assert tab.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    assert visited > 60
    context.close()
