"""FanFiction.Net (and FictionPress) story pages as saved from a browser.

One page holds one chapter: title (``#profile_top b``), author (the ``/u/`` link), summary,
the fandom breadcrumb (``#pre_story_links``, crossovers too), the metadata line
(``span.xgray``: ``Rated: Fiction T - English - Angst/Tragedy - [Sakura H., Sasuke U.] -
Chapters: 22 - …``), the chapter select (``#chap_select``) and the text (``#storytext``).
"""

from __future__ import annotations

import os
import re
from typing import Any

from forewarn.model import Declared, Source, Work
from forewarn.readers.epub import DEFAULT_MAX_BYTES, check_size
from forewarn.readers.html_text import (
    TextBuilder,
    decode_html,
    find_by_id,
    iter_elements,
    local,
    node_text,
    paragraphs,
    parse_html,
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


def looks_like_ffn_html(head: str) -> bool:
    lowered = head.lower()
    return (
        ("fanfiction" in lowered or "fictionpress" in lowered)
        and "storytext" in lowered
        and ("profile_top" in lowered)
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
    characters += [n.strip() for n in rest.split(",") if n.strip()]
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
    check_size(spath, max_bytes)
    with open(spath, "rb") as handle:
        text, decode_notes = decode_html(handle.read(max_bytes + 1))
    return work_from_ffn_root(parse_html(text), spath, decode_notes)


def work_from_ffn_root(root: Any, path: str | None, notes: tuple[str, ...] = ()) -> Work:
    notes_list = list(notes)
    profile = (find_by_id([root], "profile_top") or [None])[0]
    title = author = summary = None
    meta: dict[str, Any] = {"genres": (), "characters": (), "relationships": ()}
    if profile is not None:
        for el in iter_elements(profile):
            tag = local(el)
            if tag == "b" and title is None:
                title = node_text(el) or None
            elif (
                tag == "a" and author is None and re.match(r"^(https?://[^/]+)?/u/\d+", el.get("href") or "")
            ):
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
    fandoms = _fandoms(root)
    chapter_title, chapter_number = _chapter(root)
    total = meta.get("chapters")
    if total and total != "1":
        notes_list.append(f"FanFiction.Net page holds chapter {chapter_number or '?'} of {total} only")
    story = find_by_id([root], "storytext")
    builder = TextBuilder()
    builder.add([summary] if summary else [], "summary", in_chapter=False)
    builder.start_chapter(chapter_title or title or "")
    if chapter_title:
        builder.add([chapter_title], "chapter-title")
    builder.add(paragraphs(story[0]) if story else [], "story")
    if not story:
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


def _inside_metadata(el: Any) -> bool:
    parent = el.getparent()
    while parent is not None:
        if local(parent) == "span":
            return True
        parent = parent.getparent()
    return False


def _fandoms(root: Any) -> tuple[str, ...]:
    links = find_by_id([root], "pre_story_links")
    if not links:
        return ()
    names = [node_text(a) for a in iter_elements(links[0]) if local(a) == "a"]
    if not names:
        return ()
    last = names[-1]
    crossover = _CROSSOVER.match(last)
    if crossover:
        return tuple(part for part in crossover.groups() if part)
    return (last,)


def _chapter(root: Any) -> tuple[str | None, str | None]:
    for select in find_by_id([root], "chap_select"):
        for option in iter_elements(select):
            if local(option) == "option" and option.get("selected") is not None:
                text = node_text(option)
                match = re.match(r"^(\d+)\.\s*(.*)$", text)
                if match:
                    return match.group(2) or text, match.group(1)
                return text, option.get("value")
    return None, None
