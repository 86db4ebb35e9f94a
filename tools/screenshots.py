"""Screenshots of ``forewarn serve`` for the README: the library page and a work page.

Builds a small library from made-up stories (written for this script: original characters and
fandoms, AO3-style downloads with tags), applies a reader profile that hides one label and folds
another, serves it on a free port of 127.0.0.1 and photographs the pages with headless Chromium
(Playwright driving Debian's ``/usr/bin/chromium``)::

    .venv/bin/python tools/screenshots.py            # writes docs/screenshots/library.png, work.png
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")

PROFILE = """\
[labels]
suicide = "hide"
pornographic-content = "hide"
blood = { action = "fold", min_severity = "depicted" }
"""

# (file name, title, author, fandom, rating, archive warnings, relationships, characters, tags,
#  summary, chapters)
STORIES: list[tuple[str, str, str, str, str, list[str], list[str], list[str], list[str], str, list[str]]] = [
    (
        "salt-and-iron.html",
        "Salt and Iron",
        "wrenhollis",
        "Skerry Point (Original Work)",
        "Mature",
        ["Graphic Depictions Of Violence", "Major Character Death"],
        ["Elias Brand & Wren Hollis"],
        ["Elias Brand", "Wren Hollis", "Captain Maren Oake"],
        ["Angst", "Storms", "Found Family"],
        "The wreckers come to Skerry Point on the longest night of the year.",
        [
            "Wren heard the boats before she saw them. Elias took the lamp down from its hook and told her "
            "to bar the door.",
            "The first man came through the window with a knife. Elias swung the iron bar and broke his "
            "arm, and the man screamed and stabbed at him again and again. Blood ran over the floor "
            "and soaked into the boards.\n\nCaptain Oake shot the second man in the chest. He fell "
            "against the stove and did not get up.",
            "Elias died before dawn, with Wren holding his hand. She closed his eyes and sat with his body "
            "until the tide turned, and in the morning she buried him under the lamp.",
        ],
    ),
    (
        "garden-letters.html",
        "The Garden Letters",
        "quietfern",
        "Hollowmere Chronicles",
        "General Audiences",
        ["No Archive Warnings Apply"],
        ["Ivo Lantern/Tamsin Reed"],
        ["Ivo Lantern", "Tamsin Reed"],
        ["Fluff", "Epistolary", "Gardening"],
        "Ivo writes to Tamsin about tomatoes, rain, and the cat that sleeps in the greenhouse.",
        [
            "Dear Tamsin, the tomatoes are finally red and the cat has claimed the warmest pot in the "
            "greenhouse. I have named her Marigold and she has not agreed to it.",
            "Dear Ivo, the bees are slow this year, but the honey is dark and sweet. I am sending you "
            "seeds for next spring and a jar for the long evenings.",
        ],
    ),
    (
        "northern-watch.html",
        "Ashes of the Northern Watch",
        "gravelroad",
        "Hollowmere Chronicles",
        "Explicit",
        ["Graphic Depictions Of Violence"],
        ["Commander Ysolde Varr/Kestrel"],
        ["Commander Ysolde Varr", "Kestrel", "Brother Anselm"],
        ["War", "Battle", "Hurt/Comfort"],
        "The wall holds for nine days. On the tenth, Kestrel goes over it.",
        [
            "The siege began at first light. Arrows came over the wall like rain, and the soldiers on the "
            "ramparts fell one after another.",
            "Kestrel drove her sword into the raider's throat and blood sprayed across her face. The man "
            "choked and died at her feet, and she kicked his body from the wall.",
            "Brother Anselm bandaged the wound in her side with shaking hands. The cut was deep and it "
            "bled through three cloths before it slowed.",
        ],
    ),
    (
        "night-shift.html",
        "Night Shift at St. Brigid's",
        "ampersandra",
        "St. Brigid's General (Original Work)",
        "Teen And Up Audiences",
        ["No Archive Warnings Apply"],
        ["Dr. Amara Quill/Nurse Tobias Wren"],
        ["Dr. Amara Quill", "Nurse Tobias Wren"],
        ["Hospital", "Slow Burn"],
        "Three patients, one storm, and a vending machine that only takes exact change.",
        [
            "The ambulance brought in a man from the motorway crash. His leg was broken in two places and "
            "the bone had come through the skin. Amara cut away his jeans while Tobias held pressure on the "
            "wound, and the blood soaked through the gauze faster than they could change it.\n\n"
            '"He\'s losing too much," Tobias said. They ran two units of blood and wheeled him to surgery.',
            "By four in the morning the storm had knocked out the lights twice. Tobias found her asleep on "
            "the bench by the window and put his coat over her.",
        ],
    ),
    (
        "what-the-river-keeps.html",
        "What the River Keeps",
        "lowtide",
        "Skerry Point (Original Work)",
        "Mature",
        ["Creator Chose Not To Use Archive Warnings"],
        [],
        ["Wren Hollis", "Jonah Pell"],
        ["Grief", "Hurt/Comfort"],
        "Jonah has a plan for the night. Wren has other ideas.",
        [
            "Jonah had not slept in four days. He wrote a suicide note at the kitchen table and left it "
            "under the salt cellar where his sister would find it. Then he emptied the bottle of sleeping "
            "pills into his hand and swallowed them all, one after another, with a glass of whisky.\n\n"
            "He lay down on the bed and waited to die. He was tired of living, and he wanted it to be over.",
            "Wren found him there an hour later, grey and barely breathing. She called the ambulance and "
            "held his head while he vomited, and the paramedics pumped his stomach on the kitchen floor."
            "\n\nAt the hospital the doctor said it was his second suicide attempt, and that he should not "
            "be alone. Wren sat with him until morning.",
        ],
    ),
    (
        "harbour-morning.html",
        "Harbour Morning",
        "quietfern",
        "Skerry Point (Original Work)",
        "General Audiences",
        ["No Archive Warnings Apply"],
        [],
        ["Mira Oake"],
        ["Fluff", "Slice of Life"],
        "Mira feeds the ducks and counts the boats.",
        [
            "The river was calm. Mira fed the ducks and counted the boats coming in from the bay.",
            "Her brother brought bread and honey, and they watched the gulls until the tide turned.",
        ],
    ),
]


def ao3_download(
    story: tuple[str, str, str, str, str, list[str], list[str], list[str], list[str], str, list[str]],
) -> str:
    """An AO3-style HTML download of a made-up story (escaped: story text is never markup here)."""
    _, title, author, fandom, rating, warnings, relationships, characters, tags, summary, chapters = story
    e = html.escape

    def dd(values: list[str]) -> str:
        return ", ".join(f'<a href="#">{e(v)}</a>' for v in values)

    fields = [
        ("Rating", [rating]),
        ("Archive Warning", warnings),
        ("Fandom", [fandom]),
        ("Relationship", relationships),
        ("Character", characters),
        ("Additional Tags", tags),
    ]
    tag_list = "".join(f"<dt>{name}:</dt><dd>{dd(values)}</dd>" for name, values in fields if values)
    body = "".join(
        f'<div class="meta group"><h2 class="heading">Chapter {i}</h2></div>'
        f'<div class="userstuff">{"".join(f"<p>{e(p)}</p>" for p in text.split(chr(10) * 2))}</div>'
        for i, text in enumerate(chapters, 1)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(title)}</title></head><body>'
        f'<div id="preface"><p class="message"><a href="https://archiveofourown.org/works/1">Archive</a></p>'
        f'<div class="meta"><dl class="tags">{tag_list}</dl><h1>{e(title)}</h1>'
        f'<div class="byline">by <a rel="author" href="#">{e(author)}</a></div>'
        f'<p>Summary</p><blockquote class="userstuff"><p>{e(summary)}</p></blockquote></div></div>'
        f'<div id="chapters">{body}</div></body></html>'
    )


def build_library(folder: Path) -> tuple[Path, Path]:
    """The made-up stories (and the example story) indexed into a library; (library, profile)."""
    from forewarn.library import Library

    stories = folder / "stories"
    stories.mkdir()
    for story in STORIES:
        (stories / story[0]).write_text(ao3_download(story), encoding="utf-8")
    example = REPO / "examples" / "the-lighthouse-keeper.txt"
    if example.is_file():
        (stories / example.name).write_bytes(example.read_bytes())
    db = folder / "library.sqlite3"
    with Library(db) as library:
        summary = library.add([str(stories)])
    if summary.errors:
        raise SystemExit(f"screenshots: could not index {summary.errors}")
    profile = folder / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    return db, profile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=REPO / "docs" / "screenshots", help="folder to write into"
    )
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("screenshots: needs playwright (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        sys.exit(f"screenshots: needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from forewarn.web import Settings, create_app
    from forewarn.web.background import BackgroundServer

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="forewarn-shots-") as temporary:
        db, profile = build_library(Path(temporary))
        app = create_app(Settings(db=db, profile=profile))
        with BackgroundServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": args.width, "height": 900}, device_scale_factor=1)
            page.goto(server.url + "/")
            page.locator("details.folded summary").first.click()  # one folded row opened, with its reason
            page.screenshot(path=str(args.out / "library.png"), full_page=True)
            page.get_by_role("link", name="Salt and Iron").click()
            page.get_by_role("link", name="Show the passages").click()
            page.locator(
                "details.spoiler summary"
            ).first.click()  # one passage revealed; the rest stay closed
            page.screenshot(path=str(args.out / "work.png"), full_page=True)
            browser.close()
    for name in ("library.png", "work.png"):
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
