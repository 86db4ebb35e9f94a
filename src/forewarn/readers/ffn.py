"""FanFiction.Net (and FictionPress) story pages as saved from a browser, current and older layouts.

One page holds one chapter. The current layout (since about 2012): title (``#profile_top b``),
author (the ``/u/`` link), summary, the fandom breadcrumb (``#pre_story_links``, crossovers
too), the metadata line (``span.xgray``: ``Rated: Fiction T - English - Angst/Tragedy -
[Sakura H., Sasuke U.] - Chapters: 22 - …``), the chapter select (``#chap_select``) and the
text (``#storytext`` inside ``#storytextp``).

Older layouts (tables, before ``#profile_top``) carry the same facts in other places, and each
is read where the page has it:

- the text in ``#storytext`` / ``div.storytext`` (``<div id=storytext class=storytext>``), or
  ``#storytextp`` when it has no inner ``#storytext``;
- the title in ``#gui_table1i b`` or the breadcrumb's ``<b>`` (``Books » Harry Potter » <b>Title</b>``),
  the author in ``Author: <a href='/u/…'>`` or the first ``/u/`` link;
- the metadata line in ``<div style='color:gray;'>``, ``span.gray`` or any element whose text
  starts with ``Rated:`` (characters joined by ``&`` in those years);
- the chapter select named ``chapter`` (``<SELECT title='chapter navigation' Name=chapter>``);
- the page script's ``var title_t``, ``var summary``, ``var cat_title``, ``var author``,
  ``var chapter`` / ``var chapters``, where the page has them (about 2010-2012).
"""

from __future__ import annotations

import os
import re
from typing import Any

from forewarn.model import Declared, Source, Work
from forewarn.readers.decode import decode_html
from forewarn.readers.epub import DEFAULT_MAX_BYTES
from forewarn.readers.files import read_regular
from forewarn.readers.html_text import (
    TextBuilder,
    find_by_id,
    iter_elements,
    local,
    node_text,
    paragraphs,
    parse_html,
    remove_keeping_tail,
)

GENRES = (
    "Adventure",
    "Angst",
    "Crime",
    "Drama",
    "Family",
    "Fantasy",
    "Friendship",
    "General",
    "Horror",
    "Humor",
    "Hurt/Comfort",
    "Mystery",
    "Parody",
    "Poetry",
    "Romance",
    "Sci-Fi",
    "Spiritual",
    "Supernatural",
    "Suspense",
    "Tragedy",
    "Western",
)
_GENRE_RE = re.compile("|".join(re.escape(g) for g in sorted(GENRES, key=len, reverse=True)))
_KEYED = re.compile(r"^([A-Za-z ]+):\s*(.*)$")
_CROSSOVER = re.compile(r"^(.*?)\s*\+\s*(.*?)\s*Crossover$")


_LAYOUT_MARKERS = (
    "profile_top",
    "storytextp",
    "fictionratings.com",
    "chapter navigation",
    "var storyid",
    "rated:",
)
_SCRIPT_STRING = re.compile(r"""\bvar\s+(\w+)\s*=\s*'((?:[^'\\\n]|\\.)*)'\s*;""")
_SCRIPT_NUMBER = re.compile(r"\bvar\s+(\w+)\s*=\s*(\d+)\s*;")
_USER_LINK = re.compile(r"^(https?://[^/]+)?/u/\d+")
_BREADCRUMB_SEP = "\u00bb"  # »


def looks_like_ffn_html(head: str) -> bool:
    """Whether a page is a FanFiction.Net / FictionPress story page, current or older layout."""
    lowered = head.lower()
    return (
        ("fanfiction" in lowered or "fictionpress" in lowered)
        and "storytext" in lowered
        and any(marker in lowered for marker in _LAYOUT_MARKERS)
    )


def split_genres(item: str) -> tuple[str, ...] | None:
    """'Angst/Hurt/Comfort' -> ('Angst', 'Hurt/Comfort'); None when it is not a genre item."""
    found = _GENRE_RE.findall(item)
    if found and "/".join(found) == item.strip():
        return tuple(found)
    return None


def parse_characters(item: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """'[Sakura H., Sasuke U.] Kakashi H.' -> (characters, relationships 'Sakura H./Sasuke U.')."""
    relationships = []
    characters: list[str] = []
    for group in re.findall(r"\[([^\]]*)\]", item):
        names = [n.strip() for n in group.split(",") if n.strip()]
        characters += names
        if len(names) >= 2:
            relationships.append("/".join(names))
    rest = re.sub(r"\[[^\]]*\]", ",", item)
    # older layouts join characters with '&' ("Sakura H. & Naruto U.")
    characters += [n.strip() for n in re.split(r",|\s&\s", rest) if n.strip()]
    return tuple(dict.fromkeys(characters)), tuple(relationships)


def parse_metadata_line(line: str) -> dict[str, Any]:
    """The fields of FFN's metadata line; genres and characters are optional.

    >>> m = parse_metadata_line("Rated: Fiction T - English - Angst/Tragedy - [Sakura H., Sasuke U.]"
    ...                         " - Chapters: 22 - Words: 114,414 - Status: Complete")
    >>> m["rating"], m["genres"], m["relationships"], m["chapters"]
    ('T', ('Angst', 'Tragedy'), ('Sakura H./Sasuke U.',), '22')
    """
    out: dict[str, Any] = {"genres": (), "characters": (), "relationships": ()}
    items = [i.strip() for i in re.split(r"\s+-\s+", " ".join(line.split())) if i.strip()]
    position = 0
    for item in items:
        keyed = _KEYED.match(item)
        if keyed and keyed.group(1).strip().lower() in {
            "rated",
            "chapters",
            "words",
            "reviews",
            "favs",
            "follows",
            "updated",
            "published",
            "status",
            "id",
        }:
            key, value = keyed.group(1).strip().lower(), keyed.group(2).strip()
            if key == "rated":
                out["rating"] = value.replace("Fiction", "").strip() or value
            else:
                out[key] = value
            continue
        if item.lower() in {"complete", "completed"}:  # older layouts: "- Complete" alone
            out["status"] = "Complete"
            continue
        position += 1
        genres = split_genres(item)
        if position == 1 and "language" not in out:
            out["language"] = item
        elif genres is not None and not out["genres"]:
            out["genres"] = genres
        else:
            out["characters"], out["relationships"] = parse_characters(item)
    return out


def read_ffn_html(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read a saved FanFiction.Net story page (one chapter per page)."""
    spath = os.fspath(path)
    text, decode_notes = decode_html(read_regular(spath, max_bytes))
    return work_from_ffn_root(parse_html(text), spath, decode_notes)


def work_from_ffn_root(root: Any, path: str | None, notes: tuple[str, ...] = ()) -> Work:
    notes_list = list(notes)
    story = _story_element(root)
    script = _script_vars(root)
    profile = (find_by_id([root], "profile_top") or [None])[0]
    title = author = summary = None
    meta: dict[str, Any] = {"genres": (), "characters": (), "relationships": ()}
    meta_found = False
    if profile is not None:
        for el in iter_elements(profile):
            tag = local(el)
            if tag == "b" and title is None:
                title = node_text(el) or None
            elif tag == "a" and author is None and _USER_LINK.match(el.get("href") or ""):
                author = node_text(el) or None
            elif (
                tag == "div"
                and el is not profile
                and summary is None
                and node_text(el)
                and not _inside_metadata(el)
            ):
                summary = node_text(el)
            elif tag == "span" and "xgray" in (el.get("class") or "").split():
                meta = parse_metadata_line(node_text(el))
                meta_found = True
    if not meta_found:
        line = _legacy_metadata_line(root, story)
        if line:
            meta = parse_metadata_line(line)
    title = title or _legacy_title(root, story) or _script_text(script, "title_t") or None
    if title is None and script.get("title"):
        title = script["title"].replace("+", " ")
    author = author or _legacy_author(root, story) or _script_text(script, "author") or None
    summary = summary or _script_text(script, "summary") or None
    fandoms = _fandoms(root, story) or _script_fandoms(script)
    chapter_title, chapter_number = _chapter(root)
    chapter_number = chapter_number or script.get("chapter")
    total = meta.get("chapters") or script.get("chapters")
    if total and total != "1":
        notes_list.append(f"FanFiction.Net page holds chapter {chapter_number or '?'} of {total} only")
    builder = TextBuilder()
    builder.add([summary] if summary else [], "summary", in_chapter=False)
    builder.start_chapter(chapter_title or title or "")
    if chapter_title:
        builder.add([chapter_title], "chapter-title")
    builder.add(paragraphs(_without_share_box(story)) if story is not None else [], "story")
    if story is None:
        notes_list.append("no #storytext on the page; no story text read")
    extra = [("language", meta["language"])] if meta.get("language") else []
    for key in ("status", "published", "updated", "words", "chapters", "id"):
        if meta.get(key):
            extra.append((key, meta[key]))
    declared = Declared(
        rating=meta.get("rating"),
        fandoms=fandoms,
        relationships=meta["relationships"],
        characters=meta["characters"],
        additional_tags=meta["genres"],
        summary=summary,
        extra=tuple(extra),
    )
    return builder.build(
        Source(path, "ffn-html", tuple(notes_list)), title=title, author=author, declared=declared
    )


def _classes(el: Any) -> list[str]:
    return (el.get("class") or "").split()


def _story_element(root: Any) -> Any:
    """``#storytext``, else ``div.storytext``, else ``#storytextp`` (all layouts since ~2008)."""
    found = find_by_id([root], "storytext")
    if found:
        return found[0]
    for el in iter_elements(root):
        if local(el) == "div" and "storytext" in _classes(el):
            return el
    found = find_by_id([root], "storytextp")
    return found[0] if found else None


def _without_share_box(story: Any) -> Any:
    """The story element without a share button (``div.a2a_kit``) older pages put inside it."""
    boxes = [el for el in iter_elements(story) if "a2a_kit" in _classes(el)]
    for box in boxes:
        remove_keeping_tail(box)
    return story


def _is_within(el: Any, ancestor: Any) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


def _before_story(root: Any, story: Any) -> list[Any]:
    """The page's elements before the story text (where older layouts put title and metadata)."""
    out = []
    for el in iter_elements(root):
        if story is not None and el is story:
            break
        out.append(el)
    return out


def _legacy_metadata_line(root: Any, story: Any) -> str | None:
    """The innermost element before the text whose text starts with 'Rated:' ('- English - …')."""
    best = None
    for el in _before_story(root, story):
        if local(el) not in {"div", "span", "td", "font", "p"}:
            continue
        text = node_text(el)
        if text.startswith("Rated:") and " - " in text:
            best = text  # later matches are nested deeper: keep the innermost
    if best is None:
        return None
    cut = best.find(" Chapter ")
    return best if cut < 0 or "Chapters:" in best[:cut] else best[:cut]


def _legacy_title(root: Any, story: Any) -> str | None:
    for table in find_by_id([root], "gui_table1i"):
        for el in iter_elements(table):
            if local(el) == "b" and node_text(el):
                return node_text(el)
    crumb = _breadcrumb(root, story)
    if crumb is not None:
        bolds = [node_text(el) for el in iter_elements(crumb) if local(el) == "b" and node_text(el)]
        if bolds:
            return bolds[-1]
    return None


def _legacy_author(root: Any, story: Any) -> str | None:
    for el in _before_story(root, story):
        if local(el) == "a" and _USER_LINK.match(el.get("href") or "") and node_text(el):
            return node_text(el)
    return None


def _breadcrumb(root: Any, story: Any) -> Any:
    """The innermost element before the text holding links separated by '»'."""
    best = None
    for el in _before_story(root, story):
        if local(el) not in {"td", "div", "span", "p"}:
            continue
        own = (el.text or "") + "".join(child.tail or "" for child in el)
        if _BREADCRUMB_SEP in own and any(local(a) == "a" for a in el):
            best = el
    return best


def _script_vars(root: Any) -> dict[str, str]:
    """``var name = 'value';`` and ``var name = 123;`` from the page's inline scripts."""
    out: dict[str, str] = {}
    for el in iter_elements(root):
        if local(el) != "script" or el.get("src") or not el.text or "var " not in el.text:
            continue
        for name, value in _SCRIPT_STRING.findall(el.text):
            out.setdefault(name, re.sub(r"\\(.)", r"\1", value))
        for name, value in _SCRIPT_NUMBER.findall(el.text):
            out.setdefault(name, value)
    return out


def _script_text(script: dict[str, str], name: str) -> str | None:
    value = script.get(name)
    return " ".join(value.split()) if value and value.strip() else None


def _script_fandoms(script: dict[str, str]) -> tuple[str, ...]:
    value = _script_text(script, "cat_title")
    if not value:
        return ()
    crossover = _CROSSOVER.match(value)
    if crossover:
        return tuple(part for part in crossover.groups() if part)
    if value.endswith(" Crossover"):
        return tuple(p.strip() for p in value[: -len(" Crossover")].split(" and ") if p.strip())
    return (value,)


def _inside_metadata(el: Any) -> bool:
    parent = el.getparent()
    while parent is not None:
        if local(parent) == "span":
            return True
        parent = parent.getparent()
    return False


def _fandoms(root: Any, story: Any = None) -> tuple[str, ...]:
    links = find_by_id([root], "pre_story_links")
    container = links[0] if links else _breadcrumb(root, story)
    if container is None:
        return ()
    names = [node_text(a) for a in iter_elements(container) if local(a) == "a"]
    names = [n for n in names if n]
    if not names:
        return ()
    last = names[-1]
    crossover = _CROSSOVER.match(last)
    if crossover:
        return tuple(part for part in crossover.groups() if part)
    return (last,)


def _chapter(root: Any) -> tuple[str | None, str | None]:
    selects = find_by_id([root], "chap_select") or [
        el
        for el in iter_elements(root)
        if local(el) == "select" and (el.get("name") or "").lower() == "chapter"
    ]
    for select in selects[:1]:
        for option in iter_elements(select):
            if local(option) == "option" and option.get("selected") is not None:
                text = node_text(option)
                match = re.match(r"^(\d+)\.\s*(.*)$", text)
                if match:
                    return match.group(2) or text, match.group(1)
                return text, option.get("value")
    return None, None
