"""ZIP and HTMLZ books, as Calibre stores them: the HTML or text inside, read in memory.

Calibre keeps an HTML file a user adds as a ZIP (its "HTML to ZIP" plugin packs the page, the
files it links and an OPF package listing them) and writes HTMLZ as ``index.html`` plus
resources. Members are read with the EPUB reader's bounded reads (limits on each member's size,
its compression ratio and the total), so a zip bomb or a path-traversal name does no harm, and
no more than ``max_bytes`` of text is read in all. The story is, in this order of preference:

- ``index.html`` at the top of the archive (HTMLZ);
- the HTML documents an OPF package lists in its spine (Calibre's ZIP), in spine order;
- every HTML document, by name; else every ``.txt`` file, by name.

One HTML document goes through the same site readers as a loose HTML file (FanFicFare, AO3,
FanFiction.Net, else generic); several are read generically, headings as chapter breaks.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Sequence
from typing import Any

from lxml import etree

from forewarn.errors import UnreadableInputError
from forewarn.model import Source, Work
from forewarn.readers.ao3 import looks_like_ao3_html, work_from_ao3_roots
from forewarn.readers.ao3_page import looks_like_ao3_page, work_from_ao3_page_root
from forewarn.readers.decode import decode_bytes, decode_html
from forewarn.readers.epub import DEFAULT_MAX_BYTES, _MemberError, _Reader, open_zip, resolve_href
from forewarn.readers.fanficfare import looks_like_fanficfare_html, work_from_fanficfare_html_root
from forewarn.readers.ffn import looks_like_ffn_html, work_from_ffn_root
from forewarn.readers.generic import build_with_headings, work_from_html_root
from forewarn.readers.html_text import (
    TextBuilder,
    body_of,
    iter_elements,
    local,
    node_text,
    parse_html,
    parse_xml,
)
from forewarn.readers.main_content import NOTE as MAIN_CONTENT_NOTE
from forewarn.readers.main_content import extract_main
from forewarn.readers.txt import work_from_text

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text")
MAX_DOCUMENTS = 2000  # story files read from one archive; more is not a book
_INDEX_NAMES = ("index.html", "index.htm", "index.xhtml")
_DIGITS = re.compile(r"(\d+)")


def read_zipped_html(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, kind: str = "ZIP"
) -> Work:
    """Read a ZIP or HTMLZ book (``kind`` names it in notes and errors) into a Work.

    Raises ``UnreadableInputError`` for a file that is missing, too large, not a zip archive, a
    zip bomb, or holds no HTML or text.
    """
    with open_zip(os.fspath(path), max_bytes, kind) as reader:
        return zipped_html_from_reader(reader, kind)


def zipped_html_from_reader(reader: _Reader, kind: str = "ZIP") -> Work:
    """The Work of a ZIP or HTMLZ book opened with :func:`~forewarn.readers.epub.open_zip`."""
    names, doc_kind = story_members(reader)
    if not names:
        raise UnreadableInputError(reader.path, f"{kind} archive holds no HTML or text file to read")
    notes = [_where(names, kind)]
    if len(names) > MAX_DOCUMENTS:
        notes.append(f"read the first {MAX_DOCUMENTS} of {len(names)} files")
        names = names[:MAX_DOCUMENTS]
    documents = _read_members(reader, names, notes)
    if doc_kind == "text":
        return _work_from_texts(documents, reader.path, notes)
    if len(documents) == 1:
        return _work_from_page(documents[0][1], reader.path, notes)
    return _work_from_pages(documents, reader.path, notes)


def story_members(reader: _Reader) -> tuple[list[str], str]:
    """The archive members that hold the story, in reading order, and 'html' or 'text'."""
    safe = [
        name
        for name, info in reader.names.items()
        if not info.is_dir() and resolve_href("", name) == name and not _is_junk(name)
    ]
    for index in _INDEX_NAMES:  # HTMLZ: the whole book is index.html
        if index in safe:
            return [index], "html"
    html = [name for name in safe if name.lower().endswith(HTML_SUFFIXES)]
    in_spine = _spine(reader, set(html))
    if in_spine:
        return in_spine, "html"
    if html:
        return sorted(html, key=_natural), "html"
    return sorted((name for name in safe if name.lower().endswith(TEXT_SUFFIXES)), key=_natural), "text"


def _is_junk(name: str) -> bool:
    """Folders and files that an archiver adds and nobody wrote (macOS resource forks, hidden)."""
    return name.startswith("__MACOSX/") or posixpath.basename(name).startswith(".")


def _natural(name: str) -> list[Any]:
    """Sort key putting "chapter2" before "chapter10"."""
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(name)]


def _spine(reader: _Reader, html: set[str]) -> list[str]:
    """The HTML members an OPF package's spine lists, in order; [] without a readable package."""
    opfs = sorted(name for name in reader.names if name.lower().endswith(".opf"))
    if not opfs:
        return []
    try:
        opf = parse_xml(reader.read(opfs[0]))
    except (_MemberError, etree.XMLSyntaxError):
        return []  # Calibre's HTMLZ keeps only metadata there; the HTML is found by name instead
    base = posixpath.dirname(opfs[0])
    manifest: dict[str, str] = {}
    spine: list[str] = []
    for el in iter_elements(opf):
        if local(el) == "item" and el.get("id") and el.get("href"):
            manifest[el.get("id", "")] = el.get("href", "")
        elif local(el) == "itemref" and el.get("idref"):
            spine.append(el.get("idref", ""))
    ordered: list[str] = []
    for idref in spine:
        target = resolve_href(base, manifest.get(idref, ""))
        if target in html and target not in ordered:
            ordered.append(target)
    return ordered


def _where(names: Sequence[str], kind: str) -> str:
    if len(names) == 1:
        return f"read {names[0]} inside the {kind} archive"
    return f"read {len(names)} files inside the {kind} archive, in order"


def _read_members(reader: _Reader, names: Sequence[str], notes: list[str]) -> list[tuple[str, bytes]]:
    """Each member's bytes; a corrupt one is skipped with a note (the reader caps the total read)."""
    documents: list[tuple[str, bytes]] = []
    for name in names:
        try:
            data = reader.read(name)
        except _MemberError as exc:
            notes.append(f"{name} is corrupt ({exc}); skipped")
            continue
        documents.append((name, data))
    if not documents:
        raise UnreadableInputError(reader.path, f"no readable story file in the archive ({'; '.join(notes)})")
    return documents


def _work_from_texts(documents: Sequence[tuple[str, bytes]], path: str, notes: list[str]) -> Work:
    """Text files joined in order, each decoded on its own (they may differ in encoding)."""
    texts: list[str] = []
    for name, data in documents:
        try:
            text, decode_notes = decode_bytes(data, f"{path}: {name}")
        except UnreadableInputError as error:
            notes.append(f"{name}: {error.problem}; skipped")
            continue
        texts.append(text.strip("\n"))
        notes.extend(f"{name}: {note}" if len(documents) > 1 else note for note in decode_notes)
    if not texts:
        raise UnreadableInputError(path, f"no readable text in the archive ({'; '.join(notes)})")
    return work_from_text("\n\n\n".join(texts), path=path, notes=notes)


def _work_from_page(data: bytes, path: str, notes_in: Sequence[str]) -> Work:
    """One HTML page, read by the same site readers as a loose HTML file."""
    text, decode_notes = decode_html(data)
    notes = (*notes_in, *decode_notes)
    root = parse_html(text)
    if looks_like_fanficfare_html(text):
        return work_from_fanficfare_html_root(root, path, notes)
    if looks_like_ao3_page(text):
        return work_from_ao3_page_root(root, Source(path, "ao3-page", notes))
    if looks_like_ao3_html(text):
        return work_from_ao3_roots([root], Source(path, "ao3-html", notes))
    if looks_like_ffn_html(text):
        return work_from_ffn_root(root, path, notes)
    return work_from_html_root(root, path, notes)


def _work_from_pages(documents: Sequence[tuple[str, bytes]], path: str, notes_in: Sequence[str]) -> Work:
    """Several HTML documents as one book: main content of each, headings as chapter breaks."""
    notes = list(notes_in)
    title: str | None = None
    bodies: list[tuple[Any, str | None]] = []
    for _name, data in documents:
        text, decode_notes = decode_html(data)
        notes.extend(note for note in decode_notes if note not in notes)
        root = parse_html(text)
        if title is None:
            title = next((node_text(el) for el in iter_elements(root) if local(el) == "title"), None) or None
        main, dropped = extract_main(body_of(root))
        if dropped and MAIN_CONTENT_NOTE not in notes:
            notes.append(MAIN_CONTENT_NOTE)
        bodies.append((main, None))
    builder = TextBuilder()
    first_above = build_with_headings(builder, bodies)
    return builder.build(Source(path, "html", tuple(notes)), title=first_above or title)
