"""FanFicFare EPUB and HTML, with the JSON sidecar ``--json-meta-file`` writes when present.

FanFicFare marks its EPUBs (``dc:contributor`` "FanFicFare", identifier ``fanficfare-uid``);
its HTML has ``<a name="TOCTOP">`` and ``<a name="section0001">`` anchors. Users can rename
title-page labels, so metadata comes first from the sidecar (exact field names), then from the
OPF, and only then from the title page by FanFicFare's default labels.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from forewarn.errors import UnreadableInputError
from forewarn.labels import ARCHIVE_WARNINGS, CHOSE_NOT_TO_WARN, NO_WARNINGS_APPLY
from forewarn.model import Declared, Source, Work
from forewarn.readers.decode import decode_html
from forewarn.readers.epub import DEFAULT_MAX_BYTES, EpubBook, description_text
from forewarn.readers.files import read_regular
from forewarn.readers.html_text import (
    HEADING_TAGS,
    TextBuilder,
    body_of,
    children,
    html_fragment_text,
    iter_elements,
    local,
    node_text,
    parse_html,
    segments,
    split_list,
)

MAX_SIDECAR_BYTES = 4 * 1024 * 1024
# AO3's names over time: "Underage" became "Underage Sex"; older files say "Choose Not To …".
_AO3_WARNINGS = frozenset(ARCHIVE_WARNINGS) | {
    NO_WARNINGS_APPLY,
    CHOSE_NOT_TO_WARN,
    "Underage",
    "Choose Not To Use Archive Warnings",
}

# Sidecar key / default title-page label (lowercase) -> our key.
_KEYS = {
    "rating": "rating",
    "warnings": "warnings",
    "category": "fandoms",
    "fandoms": "fandoms",
    "ao3categories": "categories",
    "ao3 categories": "categories",
    "characters": "characters",
    "ships": "relationships",
    "relationships": "relationships",
    "genre": "genre",
    "freeformtags": "tags",
    "freeform tags": "tags",
    "freefromtags": "tags",
    "status": "status",
    "datepublished": "published",
    "published": "published",
    "dateupdated": "updated",
    "updated": "updated",
    "numwords": "words",
    "words": "words",
    "numchapters": "chapters",
    "chapters": "chapters",
    "language": "language",
    "series": "series",
    "storyurl": "url",
    "story url": "url",
    "site": "site",
    "publisher": "site",
    "description": "summary",
    "summary": "summary",
    "title": "title",
    "author": "author",
}
_EXTRA_KEYS = ("language", "series", "status", "published", "updated", "words", "chapters", "url", "site")


def looks_like_fanficfare_epub(book: EpubBook) -> bool:
    if any("fanficfare" in c.lower() for c in book.metadata.get("contributor", [])):
        return True
    return any("fanficfare-uid" in (scheme + value).lower() for scheme, value in book.identifiers)


def looks_like_fanficfare_html(head: str) -> bool:
    lowered = head.lower().replace("'", '"')
    return 'name="toctop"' in lowered or 'name="section0001"' in lowered


def sidecar_path(path: str) -> str | None:
    """The ``--json-meta-file`` sidecar beside ``path`` ('x.epub.json' or 'x.json'), if any."""
    for candidate in (path + ".json", os.path.splitext(path)[0] + ".json"):
        if candidate != path and os.path.isfile(candidate):
            return candidate
    return None


def read_sidecar(path: str, notes: list[str]) -> dict[str, Any]:
    """The sidecar's metadata, or {} (with a note) when it is absent, too large or broken."""
    found = sidecar_path(path)
    if found is None:
        return {}
    name = os.path.basename(found)
    try:
        data = json.loads(read_regular(found, MAX_SIDECAR_BYTES).decode("utf-8"))
    except UnreadableInputError as exc:
        notes.append(f"ignored metadata sidecar {name}: {exc.problem}")
        return {}
    except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than json can go
        notes.append(f"ignored unreadable metadata sidecar {name}: {str(exc)[:200]}")
        return {}
    if not isinstance(data, dict):
        notes.append(f"ignored metadata sidecar {name}: not a JSON object")
        return {}
    notes.append(f"metadata from {name}")
    return {str(key): value for key, value in data.items() if _plain(value) is not None}


def _plain(value: Any) -> Any:
    """``value`` if it is what FanFicFare writes (a string, a number, or a list of those), else None.

    A sidecar is user input: a dict, a null or a nested list where a tag list belongs is dropped.
    """

    def scalar(v: Any) -> bool:
        return isinstance(v, str | int | float) and not isinstance(v, bool)

    if scalar(value) or (isinstance(value, list) and all(scalar(v) for v in value)):
        return value
    return None


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [html.unescape(str(v)).strip() for v in value if str(v).strip()]
    return list(split_list(html.unescape(str(value))))


def _merge(target: dict[str, list[str]], source: Mapping[str, Any], *, raw: Iterable[str] = ()) -> None:
    """Fill keys missing from ``target`` from ``source`` (sidecar dict or title-page entries)."""
    keep_whole = {
        "summary",
        "title",
        "author",
        "series",
        "published",
        "updated",
        "words",
        "url",
        "status",
        "language",
        "site",
        "chapters",
        "rating",
        *raw,
    }
    for key, value in source.items():
        ours = _KEYS.get(key.lower())
        if ours is None or ours in target or value in (None, "", []):
            continue
        if ours in keep_whole:
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            target[ours] = [html.unescape(text).strip()]
        else:
            target[ours] = _values(value)


def _declared(meta: Mapping[str, list[str]]) -> Declared:
    warnings = meta.get("warnings", [])
    archive = tuple(w for w in warnings if w in _AO3_WARNINGS)
    other = [w for w in warnings if w not in _AO3_WARNINGS]
    tags = [*meta.get("tags", []), *meta.get("genre", []), *other]
    summary = meta.get("summary", [""])[0]
    return Declared(
        rating=meta.get("rating", [None])[0] if meta.get("rating") else None,
        archive_warnings=archive,
        categories=tuple(meta.get("categories", ())),
        fandoms=tuple(meta.get("fandoms", ())),
        relationships=tuple(meta.get("relationships", ())),
        characters=tuple(meta.get("characters", ())),
        additional_tags=tuple(dict.fromkeys(tags)),
        summary=html_fragment_text(summary) if summary else None,
        extra=tuple((k, meta[k][0]) for k in _EXTRA_KEYS if meta.get(k)),
    )


def _title_entries(root: Any) -> dict[str, str]:
    """Label -> value text from a FanFicFare title page (EPUB ``<b>L:</b> v<br/>`` or HTML table)."""
    entries: dict[str, str] = {}
    for row in iter_elements(root):
        if local(row) == "tr":
            cells = [c for c in children(row) if local(c) in ("td", "th")]
            if len(cells) == 2 and node_text(cells[0]).endswith(":"):
                entries.setdefault(node_text(cells[0]).rstrip(":").strip().lower(), node_text(cells[1]))
    if entries:
        return entries
    for bold in iter_elements(root):
        if local(bold) != "b" or not node_text(bold).endswith(":"):
            continue
        parts = [bold.tail or ""]
        sibling = bold.getnext()
        while sibling is not None and local(sibling) not in ("br", "b"):
            if isinstance(sibling.tag, str):
                parts.append(node_text(sibling))
            parts.append(sibling.tail or "")
            sibling = sibling.getnext()
        value = " ".join(" ".join(parts).split())
        entries.setdefault(node_text(bold).rstrip(":").strip().lower(), value)
    return entries


def _title_and_author_from_heading(root: Any) -> tuple[str | None, str | None]:
    """FanFicFare's '<h1|h3><a>Title</a> by <a>Author</a></h1|h3>' heading."""
    for el in iter_elements(root):
        if local(el) in HEADING_TAGS:
            links = [node_text(a) for a in iter_elements(el) if local(a) == "a"]
            text = node_text(el)
            if len(links) >= 2 and " by " in text:
                return links[0], ", ".join(links[1:])
            return None, None
    return None, None


def work_from_fanficfare_epub(book: EpubBook) -> Work:
    """A Work from a FanFicFare EPUB (and its sidecar, when one lies beside it)."""
    notes = list(book.notes)
    meta: dict[str, list[str]] = {}
    _merge(meta, read_sidecar(book.path, notes))
    opf: dict[str, Any] = {
        "title": book.first("title"),
        "author": ", ".join(book.metadata.get("creator", [])) or None,
        "language": book.first("language"),
        "storyUrl": book.first("source"),
    }
    _merge(meta, {k: v for k, v in opf.items() if v})
    if "summary" not in meta and (summary := description_text(book)):
        meta["summary"] = [summary]

    builder = TextBuilder()
    chapters: list[tuple[Any, str]] = []
    for href, root in book.documents:
        body = body_of(root)
        title_meta = next(
            (
                el.get("content")
                for el in iter_elements(root)
                if local(el) == "meta" and el.get("name") == "chaptertitle"
            ),
            None,
        )
        body_class = body.get("class") or ""
        if title_meta is not None or "fff_chapter" in body_class:
            title = title_meta or book.toc.get(href) or ""
            chapters.append((body, html.unescape(title)))
        elif "title_page" in href or "fff_titlepage" in body_class:
            entries = _title_entries(body)
            if not entries:
                notes.append("FanFicFare title page labels not recognised")
            _merge(meta, entries)
    if not chapters:  # a customised FanFicFare book: fall back to reading every document
        chapters = [(body_of(root), book.toc.get(href) or "") for href, root in book.documents]
        notes.append("no FanFicFare chapter pages found; read every spine document as a chapter")
    for body, title in chapters:
        _add_chapter(builder, segments(body, HEADING_TAGS), title)
    return builder.build(
        Source(book.path, "fanficfare-epub", tuple(notes)),
        title=meta.get("title", [None])[0],
        author=meta.get("author", [None])[0],
        declared=_declared(meta),
    )


def _add_chapter(builder: TextBuilder, items: Sequence[tuple[str, str]], title: str) -> None:
    builder.start_chapter(title)
    story: list[str] = []
    titled = False
    for kind, text in items:
        if not titled and kind != "para" and (not title or text == title):
            builder.add([text], "chapter-title")
            titled = True
        else:
            story.append(text)
    builder.add(story, "story")


def read_fanficfare_html(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read a FanFicFare HTML file (one page: title block, metadata table, TOC, chapters)."""
    spath = os.fspath(path)
    text, decode_notes = decode_html(read_regular(spath, max_bytes))
    return work_from_fanficfare_html_root(parse_html(text), spath, decode_notes)


def work_from_fanficfare_html_root(root: Any, path: str, notes_in: Sequence[str] = ()) -> Work:
    """A Work from a parsed FanFicFare HTML page; ``path`` locates the JSON sidecar."""
    spath = path
    notes = list(notes_in)
    meta: dict[str, list[str]] = {}
    _merge(meta, read_sidecar(spath, notes))
    _merge(meta, _title_entries(root))
    heading_title, heading_author = _title_and_author_from_heading(root)
    _merge(meta, {"title": heading_title, "author": heading_author})

    anchors = [
        a for a in iter_elements(root) if local(a) == "a" and re.fullmatch(r"section\d+", a.get("name") or "")
    ]
    titles = [node_text(a) for a in anchors]
    builder = TextBuilder()
    items = segments(body_of(root), HEADING_TAGS)
    expected = 0
    current: list[tuple[str, str]] = []
    started = False
    for kind, text in items:
        if kind != "para" and expected < len(titles) and text == titles[expected]:
            if started:
                _add_chapter(builder, current, titles[expected - 1])
            current = [(kind, text)]
            started = True
            expected += 1
        elif started:
            current.append((kind, text))
    if started:
        _add_chapter(builder, current, titles[expected - 1])
    else:
        notes.append("no FanFicFare chapter anchors found; read the page as one chapter")
        _add_chapter(builder, items, "")
    return builder.build(
        Source(spath, "fanficfare-html", tuple(notes)),
        title=meta.get("title", [None])[0],
        author=meta.get("author", [None])[0],
        declared=_declared(meta),
    )
