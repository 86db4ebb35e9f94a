"""AO3 downloads, HTML and EPUB, current and older layouts.

Both formats share one structure: ``#preface`` (the tag list as ``dt``/``dd`` pairs, title,
byline, summary, notes), ``#chapters`` (per chapter: a header with the heading, chapter summary
and notes, then the text, then ``#endnotesN``) and ``#afterword`` (``#endnotes``). AO3's EPUB is
made by Calibre, which renames classes and splits files (repeating ids), so this reader matches
only ids, element names and the visible ``dt`` / label texts, never classes, and reads every
element carrying a given id across the spine in order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from forewarn.labels import CHOSE_NOT_TO_WARN
from forewarn.model import Declared, Source, Work
from forewarn.readers.decode import decode_html
from forewarn.readers.epub import DEFAULT_MAX_BYTES, EpubBook, description_text
from forewarn.readers.files import read_regular
from forewarn.readers.html_text import (
    HEADING_TAGS,
    TextBuilder,
    children,
    find_by_id,
    iter_elements,
    local,
    node_text,
    paragraphs,
    parse_html,
    split_list,
)

# dt label (lowercase, no colon) -> Declared field or extra key. Labels were singular before
# late 2023 ("Archive Warning:", "Relationship:"), plural after; both are listed.
FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "archive_warnings",
    "archive warnings": "archive_warnings",
    "warning": "archive_warnings",
    "warnings": "archive_warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tag": "additional_tags",
    "additional tags": "additional_tags",
    "freeform": "additional_tags",
    "freeforms": "additional_tags",
    "language": "language",
    "series": "series",
    "collection": "collections",
    "collections": "collections",
    "stats": "stats",
}
_TAG_FIELDS = ("archive_warnings", "categories", "fandoms", "relationships", "characters", "additional_tags")
# AO3's raw tag name in older downloads, and its display name today.
_RENAMED = {"Choose Not To Use Archive Warnings": CHOSE_NOT_TO_WARN}
_STAT = re.compile(r"([A-Z][A-Za-z ]*?):\s*(\S+)")
_CHAPTER_LABELS = {
    "chapter summary": "summary",
    "summary": "summary",
    "chapter notes": "author-note",
    "notes": "author-note",
}
_SNIFF_MARKERS = ("archiveofourown.org", 'id="preface"', 'id="chapters"')


def looks_like_ao3_html(head: str) -> bool:
    """Whether the start of an HTML document is an AO3 download."""
    lowered = head.lower().replace("'", '"')
    return all(marker in lowered for marker in _SNIFF_MARKERS)


def looks_like_ao3_epub(book: EpubBook) -> bool:
    publishers = " ".join(book.metadata.get("publisher", []))
    if "Archive of Our Own" in publishers:
        return True
    roots = [root for _, root in book.documents]
    return bool(find_by_id(roots, "preface") and find_by_id(roots, "chapters")) and any(
        "archiveofourown.org" in (el.get("href") or "")
        for el in find_by_id(roots, "preface")[0].iter()
        if isinstance(el.tag, str)
    )


def read_ao3_html(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read an AO3 HTML download.

    >>> work = read_ao3_html("../shared/fixtures/ao3/23009290-htmlTest.html")  # doctest: +SKIP
    >>> work.declared.archive_warnings  # doctest: +SKIP
    ('Graphic Depictions Of Violence',)
    """
    spath = os.fspath(path)
    text, notes = decode_html(read_regular(spath, max_bytes))
    return work_from_ao3_roots([parse_html(text)], Source(spath, "ao3-html", notes))


def work_from_ao3_epub(book: EpubBook) -> Work:
    """A Work from an AO3 EPUB already opened with :func:`~forewarn.readers.epub.open_epub`."""
    roots = [root for _, root in book.documents]
    return work_from_ao3_roots(
        roots,
        Source(book.path, "ao3-epub", tuple(book.notes)),
        fallback_title=book.first("title"),
        fallback_author=", ".join(book.metadata.get("creator", [])) or None,
        fallback_summary=description_text(book),
    )


def work_from_ao3_roots(
    roots: Sequence[Any],
    source: Source,
    *,
    fallback_title: str | None = None,
    fallback_author: str | None = None,
    fallback_summary: str | None = None,
) -> Work:
    """The shared AO3 reader: ``roots`` are the parsed documents in reading order."""
    builder = TextBuilder()
    prefaces = find_by_id(roots, "preface")
    fields, extra = _read_tags(prefaces)
    title, author = _read_title_author(prefaces, roots)
    summary_paras = _labelled_blockquote(prefaces, {"summary"})
    notes_paras = _labelled_blockquote(prefaces, {"notes"})
    for el in prefaces:
        for a in iter_elements(el):
            href = a.get("href") or ""
            if local(a) == "a" and re.search(r"archiveofourown\.org/works/\d+$", href):
                extra.append(("url", href))
                break
        else:
            continue
        break

    builder.add(summary_paras, "summary", in_chapter=False)
    builder.add(notes_paras, "author-note", in_chapter=False)
    _read_chapters(builder, find_by_id(roots, "chapters"), title)
    end_notes: list[str] = []
    for afterword in find_by_id(roots, "afterword"):
        for el in iter_elements(afterword):
            if el.get("id") == "endnotes":
                end_notes += _blockquotes(el)
    builder.add(end_notes, "author-note", in_chapter=False)

    summary = "\n\n".join(summary_paras) or fallback_summary
    declared = make_declared(fields, extra, summary)
    return builder.build(
        source,
        title=title or fallback_title,
        author=author or fallback_author,
        declared=declared,
    )


def make_declared(
    fields: dict[str, list[str]], extra: list[tuple[str, str]], summary: str | None
) -> Declared:
    """A Declared from the fields collected by :func:`store_tag` (shared with ao3_page)."""
    return Declared(
        rating=fields["rating"][0] if fields.get("rating") else None,
        archive_warnings=tuple(fields.get("archive_warnings", ())),
        categories=tuple(fields.get("categories", ())),
        fandoms=tuple(fields.get("fandoms", ())),
        relationships=tuple(fields.get("relationships", ())),
        characters=tuple(fields.get("characters", ())),
        additional_tags=tuple(fields.get("additional_tags", ())),
        summary=summary or None,
        extra=tuple(extra),
    )


def _read_tags(prefaces: Sequence[Any]) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    fields: dict[str, list[str]] = {}
    extra: list[tuple[str, str]] = []
    for preface in prefaces:
        for dl in iter_elements(preface):
            if local(dl) != "dl":
                continue
            label = ""
            for item in children(dl):
                if local(item) == "dt":
                    label = node_text(item).rstrip(":").strip().lower()
                elif local(item) == "dd" and label:
                    store_tag(fields, extra, label, item)
    return fields, extra


def store_tag(fields: dict[str, list[str]], extra: list[tuple[str, str]], label: str, dd: Any) -> None:
    """Store one ``dd`` of an AO3 tag list under its ``dt`` label (lowercase, no colon):
    tag fields as lists of tag names, stats as (name, value) pairs, the rest as text."""
    key = FIELDS.get(label)
    if key == "stats":
        for name, value in _STAT.findall(node_text(dd)):
            extra.append((name.strip().lower(), value))
        return
    if key in ("language", "series", "collections") or key is None:
        value = node_text(dd)
        if value:
            extra.append((key or label, value))
        return
    links = [node_text(a) for a in iter_elements(dd) if local(a) == "a"]
    values = [v for v in links if v] or list(split_list(node_text(dd)))
    values = [_RENAMED.get(v, v) for v in values]
    fields.setdefault(key, []).extend(values)


def _read_title_author(prefaces: Sequence[Any], roots: Sequence[Any]) -> tuple[str | None, str | None]:
    title = None
    author = None
    for preface in prefaces:
        for el in iter_elements(preface):
            tag = local(el)
            if tag == "h1" and title is None:
                title = node_text(el) or None
            elif tag == "a" and el.get("rel") == "author":
                name = node_text(el)
                author = f"{author}, {name}" if author and name not in author.split(", ") else author or name
    if author is None:
        # Anonymous and orphaned works have a byline without author links: "by Anonymous"
        for preface in prefaces:
            for el in iter_elements(preface):
                text = node_text(el) if local(el) == "div" and not children(el) else ""
                if text.startswith("by "):
                    author = text[3:].strip() or None
                    break
            if author:
                break
    if title is None:
        for preface in prefaces:
            for el in iter_elements(preface):
                if local(el) == "b":
                    title = node_text(el) or None
                    break
            if title:
                break
    return title, author


def _labelled_blockquote(containers: Sequence[Any], labels: set[str]) -> list[str]:
    """Paragraphs of each blockquote that directly follows a ``<p>`` whose text is a label."""
    out: list[str] = []
    for container in containers:
        for el in iter_elements(container):
            if local(el) != "p" or node_text(el).rstrip(":").lower() not in labels:
                continue
            following = el.getnext()
            while following is not None and not isinstance(following.tag, str):
                following = following.getnext()
            if following is not None and local(following) == "blockquote":
                out += paragraphs(following)
    return out


def _blockquotes(el: Any) -> list[str]:
    out: list[str] = []
    for quote in iter_elements(el):
        if local(quote) == "blockquote":
            out += paragraphs(quote)
    return out


def _is_chapter_header(el: Any) -> bool:
    """A chapter's header block: a heading first, then only labelled notes and links."""
    kids = children(el)
    if not kids or local(kids[0]) not in HEADING_TAGS:
        return False
    for kid in kids[1:]:
        tag = local(kid)
        if tag == "p" and node_text(kid).rstrip(":").lower() not in _CHAPTER_LABELS:
            return False
        if tag not in ("p", "blockquote", "div"):
            return False
    return True


def _read_chapters(builder: TextBuilder, regions: Sequence[Any], work_title: str | None) -> None:
    for region in regions:
        for child in children(region):
            tag = local(child)
            ident = child.get("id") or ""
            if tag in HEADING_TAGS:
                # a one-chapter work: the heading is the work title, hidden, for Calibre's TOC
                title = node_text(child)
                builder.start_chapter(title)
                builder.add([title], "chapter-title")
            elif ident.startswith("endnotes"):
                builder.add(_blockquotes(child), "author-note")
            elif _is_chapter_header(child):
                kids = children(child)
                title = node_text(kids[0])
                builder.start_chapter(title)
                builder.add([title], "chapter-title")
                for kid in kids[1:]:
                    if local(kid) != "p":
                        continue
                    kind = _CHAPTER_LABELS[node_text(kid).rstrip(":").lower()]
                    following = kid.getnext()
                    while following is not None and not isinstance(following.tag, str):
                        following = following.getnext()
                    if following is not None and local(following) == "blockquote":
                        builder.add(paragraphs(following), "summary" if kind == "summary" else "author-note")
            else:
                paras = paragraphs(child)
                if paras:
                    if builder.chapter_count == 0:
                        builder.start_chapter(work_title or "")
                    builder.add(paras, "story")
