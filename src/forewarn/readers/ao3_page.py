"""AO3 work pages as a browser saves them ("Save page as…"), one chapter or the entire work.

A work page is the site around the work: header and navigation, the "Share" and "Download"
menus, kudos, comments, bookmarks and the footer ("Policy Questions & Abuse Reports"). None of
it is read. What is read, by AO3's own classes and ids:

- the tag block ``dl.work.meta.group`` (``dd.rating.tags``, ``dd.warning.tags``, …,
  ``dd.language``, ``dd.series``, ``dd.stats``) -> :class:`~forewarn.model.Declared`, through
  the same field mapping as the download reader (:mod:`forewarn.readers.ao3`);
- the work preface (``div.preface`` with ``h2.title``, ``h3.byline``, ``.summary``,
  ``.notes``) -> title, author, summary and author-note sections;
- ``#chapters``: per chapter ``div.chapter`` (``div.chapter.preface`` with ``h3.title``,
  chapter summary and notes, ``div.userstuff`` with the text, end notes), or for a one-chapter
  work a ``div.userstuff`` directly; the "Chapter Text" / "Work Text:" landmarks are dropped;
- the work's end notes (``#work_endnotes``, ``.afterword .end.notes``) -> author-note.

Anything else a saved page may hold inside ``#chapters`` (markup injected by reader
extensions between chapters) is not story text.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from typing import Any

from forewarn.model import SectionKind, Source, Work
from forewarn.readers.ao3 import FIELDS, make_declared, store_tag
from forewarn.readers.decode import decode_html
from forewarn.readers.epub import DEFAULT_MAX_BYTES
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
    remove_keeping_tail,
)

FORMAT = "ao3-page"

# dd class token -> the dt label the download reader's mapping knows.
_DD_CLASSES = {
    "rating": "rating",
    "warning": "archive warnings",
    "category": "categories",
    "fandom": "fandoms",
    "relationship": "relationships",
    "character": "characters",
    "freeform": "additional tags",
    "language": "language",
    "series": "series",
    "collections": "collections",
    "stats": "stats",
}
_META_BLOCK = re.compile(r"""<dl[^>]+class\s*=\s*["']?[^"'>]*\bwork\b[^"'>]*\bmeta\b""", re.IGNORECASE)
_SEE_END = re.compile(r"^\(See the end of the (?:chapter|work) for", re.IGNORECASE)
_WORK_URL = re.compile(r"archiveofourown\.org/works/\d+")
_OWN_LINK = re.compile(r"^(?:https?://archiveofourown\.org)?/works/(\d+)(?:[/?#]|$)")


def looks_like_ao3_page(text: str) -> bool:
    """Whether an HTML document is an AO3 work page (not a download): the work's tag block
    ``dl.work.meta`` and ``#chapters`` or ``#workskin``, on a page that names the Archive."""
    lowered = text.lower().replace("'", '"')
    if not ("archiveofourown" in lowered or "archive of our own" in lowered or "ao3" in lowered):
        return False
    if 'id="preface"' in lowered and 'id="workskin"' not in lowered:
        return False  # a download: readers/ao3.py
    has_body = 'id="chapters"' in lowered or 'id="workskin"' in lowered
    return has_body and bool(_META_BLOCK.search(text))


def read_ao3_page(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read an AO3 work page saved from a browser.

    >>> page = "../shared/data/works-dev/files/FujoWebDev__AO3.js__323217-index.html"
    >>> work = read_ao3_page(page)  # doctest: +SKIP
    >>> work.source.format, work.declared.rating  # doctest: +SKIP
    ('ao3-page', 'Not Rated')
    """
    spath = os.fspath(path)
    text, notes = decode_html(read_regular(spath, max_bytes))
    return work_from_ao3_page_root(parse_html(text), Source(spath, FORMAT, notes))


# --- small tree helpers -----------------------------------------------------------------------


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _has(el: Any, *names: str) -> bool:
    return set(names) <= _classes(el)


def _descendants(root: Any) -> Iterator[Any]:
    it = iter_elements(root)
    next(it, None)
    yield from it


def _inside(el: Any, stop: Any, predicate: Any) -> bool:
    """Whether an ancestor of ``el`` below ``stop`` satisfies ``predicate``."""
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if predicate(parent):
            return True
        parent = parent.getparent()
    return False


def _without(el: Any, drop: Any) -> Any:
    """A copy of ``el`` without the descendants for which ``drop`` is true (their tails kept)."""
    clone = copy.deepcopy(el)
    for child in [c for c in _descendants(clone) if drop(c)]:
        remove_keeping_tail(child)
    return clone


def _is_landmark(el: Any) -> bool:
    return local(el) in HEADING_TAGS and "landmark" in _classes(el)


def _text_paras(el: Any) -> list[str]:
    """Paragraphs of a ``div.userstuff``, without AO3's "Chapter Text" landmark heading."""
    return paragraphs(_without(el, _is_landmark))


def _module_paras(module: Any) -> list[str]:
    """The author's text of a summary or notes module: its ``blockquote.userstuff``, or the
    module without its heading and AO3's "(See the end of the chapter for more notes.)"."""
    quotes = [q for q in iter_elements(module) if local(q) == "blockquote"]
    if quotes:
        out: list[str] = []
        for quote in quotes:
            if not _inside(quote, module, lambda p: local(p) == "blockquote"):
                out += paragraphs(quote)
        return out
    cleaned = _without(module, lambda el: local(el) in HEADING_TAGS)
    return [p for p in paragraphs(cleaned) if not _SEE_END.match(p)]


# --- the reader -------------------------------------------------------------------------------


def work_from_ao3_page_root(root: Any, source: Source) -> Work:
    """A Work from a parsed AO3 work page."""
    fields: dict[str, list[str]] = {}
    extra: list[tuple[str, str]] = []
    meta = _meta_block(root)
    if meta is not None:
        _read_meta(meta, fields, extra)
    url = _work_url(root)
    if url:
        extra.append(("url", url))

    workskin = (find_by_id([root], "workskin") or [None])[0]
    chapters_region = (find_by_id([root], "chapters") or [None])[0]
    scope = workskin if workskin is not None else _main(root)
    preface = _work_preface(scope, chapters_region)
    title, author = _title_author(preface if preface is not None else scope)

    builder = TextBuilder()
    summary_paras: list[str] = []
    before: list[Any] = []
    after: list[Any] = []
    for module in _work_modules(scope, chapters_region):
        after_chapters = chapters_region is not None and _follows(module, chapters_region)
        (after if after_chapters or _has(module, "end") else before).append(module)
    for module in before:
        paras = _module_paras(module)
        if _has(module, "summary"):
            summary_paras += paras
            builder.add(paras, "summary", in_chapter=False)
        else:
            builder.add(paras, "author-note", in_chapter=False)
    notes = list(source.notes)
    if chapters_region is not None:
        _read_chapters(builder, chapters_region, title)
    if not any(s.kind == "story" for s in builder.build(source).sections):
        notes.append("no chapter text found on the AO3 page")
    for module in after:
        builder.add(_module_paras(module), "author-note", in_chapter=False)

    summary = "\n\n".join(summary_paras) or None
    return builder.build(
        Source(source.path, source.format, tuple(notes), source.calibre_id),
        title=title,
        author=author,
        declared=make_declared(fields, extra, summary),
    )


def _meta_block(root: Any) -> Any:
    for el in iter_elements(root):
        if local(el) == "dl" and _has(el, "work", "meta"):
            return el
    for el in iter_elements(root):  # older pages: a dl.meta holding rating/warning dds
        if local(el) == "dl" and "meta" in _classes(el):
            return el
    return None


def _read_meta(dl: Any, fields: dict[str, list[str]], extra: list[tuple[str, str]]) -> None:
    label = ""
    for item in children(dl):
        tag = local(item)
        if tag == "dt":
            label = node_text(item).rstrip(":").strip().lower()
        elif tag == "dd":
            key = next((_DD_CLASSES[c] for c in _classes(item) if c in _DD_CLASSES), None)
            if key is None and label in FIELDS:
                key = label
            if key == "series":
                positions = [node_text(el) for el in iter_elements(item) if "position" in _classes(el)]
                for value in positions or [node_text(item)]:
                    if value:
                        extra.append(("series", value))
            elif key is not None:
                store_tag(fields, extra, key, item)
            elif label:
                store_tag(fields, extra, label, item)
            label = ""


def _work_url(root: Any) -> str | None:
    for el in iter_elements(root):
        if local(el) == "link" and el.get("rel") == "canonical":
            href = el.get("href") or ""
            if _WORK_URL.search(href):
                return href
    for el in iter_elements(root):
        if local(el) == "meta" and el.get("property") == "og:url":
            content = el.get("content") or ""
            if _WORK_URL.search(content):
                return content
    # the work's own links: its navigation ("Entire Work", "Share", "Download") and chapter titles
    for el in iter_elements(root):
        if not (local(el) == "ul" and _has(el, "work", "navigation")) and not (
            local(el) in HEADING_TAGS and "title" in _classes(el)
        ):
            continue
        for a in iter_elements(el):
            match = _OWN_LINK.match(a.get("href") or "") if local(a) == "a" else None
            if match:
                return f"https://archiveofourown.org/works/{match.group(1)}"
    return None


def _main(root: Any) -> Any:
    for el in iter_elements(root):
        if el.get("id") == "main":
            return el
    return root


def _work_preface(scope: Any, chapters_region: Any) -> Any:
    """The work's preface: a ``div.preface`` outside ``#chapters`` holding the title heading."""
    for el in iter_elements(scope):
        if local(el) != "div" or "preface" not in _classes(el) or "chapter" in _classes(el):
            continue
        if chapters_region is not None and _inside(el, None, lambda p: p is chapters_region):
            continue
        if any(local(h) == "h2" for h in iter_elements(el)):
            return el
    return None


def _title_author(preface: Any) -> tuple[str | None, str | None]:
    title = author = None
    for el in iter_elements(preface):
        tag = local(el)
        if title is None and tag == "h2" and "title" in _classes(el):
            title = node_text(el) or None
        elif author is None and tag in HEADING_TAGS and "byline" in _classes(el):
            names = [node_text(a) for a in iter_elements(el) if local(a) == "a" and a.get("rel") == "author"]
            author = ", ".join(dict.fromkeys(n for n in names if n)) or node_text(el) or None
    if title is None:
        for el in iter_elements(preface):
            if local(el) == "h2":
                title = node_text(el) or None
                break
    return title, author


def _work_modules(scope: Any, chapters_region: Any) -> list[Any]:
    """Work-level summary and notes modules (not the chapters', not inside comments)."""
    out = []
    for el in iter_elements(scope):
        if local(el) != "div" or "module" not in _classes(el):
            continue
        if not (_classes(el) & {"summary", "notes"}):
            continue
        if chapters_region is not None and (
            el is chapters_region or _inside(el, None, lambda p: p is chapters_region)
        ):
            continue
        if _inside(el, scope, lambda p: bool(_classes(p) & {"summary", "notes"})):
            continue
        if _inside(el, scope, lambda p: p.get("id") in {"feedback", "comments_placeholder", "footer"}):
            continue
        out.append(el)
    return out


def _follows(el: Any, other: Any) -> bool:
    """Whether ``el`` comes after ``other`` in document order."""
    for node in other.getroottree().getroot().iter():
        if node is other:
            return True
        if node is el:
            return False
    return False


def _read_chapters(builder: TextBuilder, region: Any, work_title: str | None) -> None:
    chapters = [c for c in children(region) if local(c) == "div" and "chapter" in _classes(c)]
    chapters = [c for c in chapters if "preface" not in _classes(c)]
    if not chapters:
        texts = [c for c in children(region) if "userstuff" in _classes(c)]
        if not texts and "userstuff" in _classes(region):
            texts = [region]  # older pages: #chapters is itself the userstuff
        builder.start_chapter(work_title or "")
        if work_title:
            builder.add([work_title], "chapter-title")
        for text in texts:
            builder.add(_text_paras(text), "story")
        return
    for chapter in chapters:
        _read_chapter(builder, chapter, work_title)


def _read_chapter(builder: TextBuilder, chapter: Any, work_title: str | None) -> None:
    started = False
    for part in children(chapter):
        classes = _classes(part)
        if "preface" in classes:
            for el in children(part):
                if local(el) in HEADING_TAGS and "title" in _classes(el) and not started:
                    title = node_text(el)
                    builder.start_chapter(title)
                    builder.add([title], "chapter-title")
                    started = True
                elif local(el) == "div" and "module" in _classes(el):
                    if not started:
                        builder.start_chapter(work_title or "")
                        started = True
                    kind: SectionKind = "summary" if "summary" in _classes(el) else "author-note"
                    builder.add(_module_paras(el), kind)
        elif "userstuff" in classes:
            if not started:
                builder.start_chapter(work_title or "")
                started = True
            builder.add(_text_paras(part), "story")
