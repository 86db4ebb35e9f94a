"""Any EPUB or HTML that no archive-specific reader claims: headings as chapter breaks.

An HTML page is read without its site: only the main content (see ``main_content.py``), so that
a menu's "Violence" or a comment's "this killed me" never counts as story text. An EPUB is
already just the book and is read whole.

The chapter heading level is the highest level (h1, then h2, then h3) that occurs at least
twice; a single heading above it is the work's title, not a chapter. An EPUB document without
such a heading still starts a chapter when the table of contents names it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from forewarn.model import Declared, Source, Work
from forewarn.readers.epub import DEFAULT_MAX_BYTES, EpubBook, description_text, open_epub
from forewarn.readers.html_text import (
    TextBuilder,
    body_of,
    children,
    iter_elements,
    local,
    node_text,
    segments,
)
from forewarn.readers.main_content import NOTE as MAIN_CONTENT_NOTE
from forewarn.readers.main_content import extract_main

_LEVELS = ("h1", "h2", "h3")


def chapter_level(roots: Sequence[Any]) -> str | None:
    """The heading tag that marks chapters in these documents, or None when there is none."""
    counts = dict.fromkeys(_LEVELS, 0)
    for root in roots:
        # Outermost headings only, as ``segments`` reads them (a heading inside one is part of its
        # title): each element's text is then read once, however deep the headings nest.
        stack = [root]
        while stack:
            el = stack.pop()
            tag = local(el)
            if tag in counts:
                counts[tag] += 1 if node_text(el) else 0
                continue
            stack.extend(reversed(children(el)))
    for tag in _LEVELS:
        if counts[tag] >= 2:
            return tag
    present = [tag for tag in _LEVELS if counts[tag]]
    return present[-1] if present else None  # one chapter; a heading above it is the title


def build_with_headings(
    builder: TextBuilder,
    bodies: Sequence[tuple[Any, str | None]],
) -> str | None:
    """Add each body's text to ``builder``, starting a chapter at each chapter heading.

    ``bodies`` pairs a body element with its table-of-contents label (EPUB) or None. Returns
    the first heading above chapter level, which is usually the work's title.
    """
    if sum(1 for _, label in bodies if label) >= 2:
        _build_per_document(builder, bodies)
        return None
    level = chapter_level([body for body, _ in bodies])
    above = set(_LEVELS[: _LEVELS.index(level)]) if level else set()
    first_above: str | None = None
    for body, toc_label in bodies:
        items = segments(body, headings=_LEVELS)
        if toc_label and not any(kind == level for kind, _ in items):
            builder.start_chapter(toc_label)
        story: list[str] = []
        for kind, text in items:
            if kind == level:
                _flush_story(builder, story)
                builder.start_chapter(text)
                builder.add([text], "chapter-title")
            elif kind in above:
                _flush_story(builder, story)
                if first_above is None:
                    first_above = text
                builder.add([text], "foreword", in_chapter=False)
            else:
                story.append(text)
        _flush_story(builder, story)
    return first_above


def _build_per_document(builder: TextBuilder, bodies: Sequence[tuple[Any, str | None]]) -> None:
    """One chapter per document the table of contents names; its first matching heading is the
    chapter title and every other heading is story text (e.g. a scene title inside a chapter)."""
    for body, toc_label in bodies:
        items = segments(body, headings=_LEVELS)
        if toc_label:
            builder.start_chapter(toc_label)
        story: list[str] = []
        wanted = " ".join((toc_label or "").split()).lower()
        titled = not wanted
        for kind, text in items:
            if not titled and kind != "para" and " ".join(text.split()).lower() == wanted:
                builder.add([text], "chapter-title")
                titled = True
            else:
                story.append(text)
        _flush_story(builder, story)


def _flush_story(builder: TextBuilder, story: list[str]) -> None:
    if story:
        if builder.chapter_count == 0:
            builder.start_chapter("")
        builder.add(story, "story")
        story.clear()


def read_epub(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read any EPUB: spine order, headings as chapter breaks."""
    return work_from_epub_book(open_epub(path, max_bytes=max_bytes))


def work_from_epub_book(book: EpubBook, *, fmt: str = "epub") -> Work:
    """A Work from an EPUB that no archive-specific reader claims."""
    builder = TextBuilder()
    summary = description_text(book)
    bodies = [(body_of(root), book.toc.get(href)) for href, root in book.documents]
    first_above = build_with_headings(builder, bodies)
    creators = book.metadata.get("creator", [])
    declared = Declared(
        summary=summary,
        additional_tags=tuple(book.metadata.get("subject", [])),
    )
    return builder.build(
        Source(book.path, fmt, tuple(book.notes)),
        title=book.first("title") or first_above,
        author=", ".join(creators) or None,
        declared=declared,
    )


def work_from_html_root(root: Any, path: str | os.PathLike[str] | None, notes: Sequence[str] = ()) -> Work:
    """A Work from one HTML page that no archive-specific reader claims.

    Only the page's main content is read (the tree is pruned in place); ``Source.notes`` says so
    when site navigation, sidebars or comments were left out.
    """
    title = None
    for el in iter_elements(root):
        if local(el) == "title":
            title = node_text(el) or None
            break
    author = None
    for el in iter_elements(root):
        if local(el) == "meta" and (el.get("name") or "").lower() == "author":
            author = (el.get("content") or "").strip() or None
            break
    main, dropped = extract_main(body_of(root))
    if dropped:
        notes = (*notes, MAIN_CONTENT_NOTE)
    builder = TextBuilder()
    first_above = build_with_headings(builder, [(main, None)])
    return builder.build(
        Source(os.fspath(path) if path is not None else None, "html", tuple(notes)),
        title=first_above or title,
        author=author,
    )
