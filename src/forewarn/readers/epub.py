"""EPUB container: open safely, read the package, return content documents in spine order.

Nothing is ever extracted to disk: members are read into memory in bounded chunks, with limits
on the file size, each member's size and compression ratio, and the total read, so a zip bomb
or a path-traversal name cannot do harm. DRM-encrypted books are refused with a clear error;
missing spine items are skipped with a note. Turning the book into a Work is left to ``generic.py``
(any EPUB: spine order, headings as chapter breaks), ``ao3.py`` and ``fanficfare.py``.
"""

from __future__ import annotations

import logging
import os
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag

from lxml import etree

from forewarn.errors import UnreadableInputError
from forewarn.readers.files import open_regular
from forewarn.readers.html_text import (
    html_fragment_text,
    iter_elements,
    local,
    node_text,
    parse_xhtml,
    parse_xml,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 40 * 1024 * 1024  # the file on disk, as for plain text
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024  # everything declared in the archive
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # any one member we read
MAX_RATIO = 100  # uncompressed / compressed, for members bigger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
CHUNK = 64 * 1024

_FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
_FONT_EXTS = (".ttf", ".otf", ".woff", ".woff2", ".eot")
_DOC_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/xml", "text/xml", ""})


@dataclass
class EpubBook:
    """What an EPUB says about itself, and its content documents parsed, in spine order."""

    path: str
    metadata: dict[str, list[str]]  # dc element local name -> values, e.g. "subject": [...]
    identifiers: list[tuple[str, str]]  # (id attribute or scheme, value)
    documents: list[tuple[str, Any]]  # (archive path, parsed root) in spine order
    toc: dict[str, str]  # archive path (no fragment) -> first TOC label pointing at it
    notes: list[str] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        values = self.metadata.get(name)
        return values[0] if values else None


class _Reader:
    """Bounded member reads from one open archive."""

    def __init__(self, path: str, archive: zipfile.ZipFile, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.archive = archive
        self.total = 0
        self.max_bytes = max_bytes  # the whole text read from the archive, as for a file on disk
        self.names = {info.filename: info for info in archive.infolist()}

    def read(self, name: str) -> bytes:
        info = self.names[name]
        if info.flag_bits & 0x1:
            raise UnreadableInputError(self.path, f"encrypted EPUB member {name!r}; cannot read it")
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise _bomb(self.path, name)
        if self.total + info.file_size > self.max_bytes:
            raise self._over_limit()
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as handle:
                while True:
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    self.total += len(chunk)
                    if (
                        size > MAX_MEMBER_BYTES
                        or self.total > MAX_TOTAL_UNCOMPRESSED
                        or (size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1))
                    ):
                        raise _bomb(self.path, name)
                    if self.total > self.max_bytes:  # the directory understated the size
                        raise self._over_limit()
                    chunks.append(chunk)
        except UnreadableInputError:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ) as exc:
            raise _MemberError(f"{name}: {exc}") from exc
        return b"".join(chunks)

    def _over_limit(self) -> UnreadableInputError:
        return UnreadableInputError(
            self.path, f"the archive holds more than {self.max_bytes:,} bytes of text, the limit (max_bytes)"
        )


class _MemberError(Exception):
    """One member could not be read (corrupt); callers decide whether that is fatal."""


def _bomb(path: str, name: str) -> UnreadableInputError:
    return UnreadableInputError(
        path, f"EPUB member {name!r} expands beyond safe limits (zip bomb?); refusing to read it"
    )


def resolve_href(base_dir: str, href: str) -> str | None:
    """Archive path of ``href`` relative to ``base_dir``; None when it escapes the archive."""
    href = unquote(urldefrag(href)[0])
    if not href or href.startswith("/") or "\\" in href or ":" in href.split("/", 1)[0]:
        return None
    joined = posixpath.normpath(posixpath.join(base_dir, href))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


@contextmanager
def open_zip(path: str, max_bytes: int, kind: str = "EPUB") -> Iterator[_Reader]:
    """Open a zip archive (an EPUB, a ZIP or HTMLZ book) for bounded member reads.

    ``kind`` names the format in errors. Refuses, with an ``UnreadableInputError``: a file that is
    not a regular file of at most ``max_bytes``, a corrupt archive, one whose zip version or
    compression zipfile does not support, and one that declares more than the safe total.
    """
    handle = open_regular(path, max_bytes)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        handle.close()
        raise UnreadableInputError(path, f"not a readable {kind} (corrupt zip archive: {exc})") from exc
    except NotImplementedError as exc:  # a zip version or feature zipfile does not support
        handle.close()
        raise UnreadableInputError(path, f"not a readable {kind} (unsupported zip archive: {exc})") from exc
    with handle, archive:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > MAX_TOTAL_UNCOMPRESSED:
            raise UnreadableInputError(
                path, f"{kind} expands to {declared:,} bytes, over the safe limit (zip bomb?)"
            )
        yield _Reader(path, archive, max_bytes)


def is_epub(reader: _Reader) -> bool:
    """Whether an open zip archive has an EPUB's container, mimetype or package (else it is a ZIP
    or HTMLZ book, or junk)."""
    names = reader.names
    return "META-INF/container.xml" in names or "mimetype" in names or any(n.endswith(".opf") for n in names)


def open_epub(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> EpubBook:
    """Open an EPUB and parse its package and spine documents, in memory, within limits."""
    with open_zip(os.fspath(path), max_bytes) as reader:
        return epub_from_reader(reader)


def epub_from_reader(reader: _Reader) -> EpubBook:
    """The package and spine documents of an EPUB opened with :func:`open_zip`."""
    notes: list[str] = []
    _check_drm(reader, notes)
    opf_path = _find_opf(reader)
    try:
        opf = parse_xml(reader.read(opf_path))
    except (_MemberError, etree.XMLSyntaxError) as exc:
        raise UnreadableInputError(reader.path, f"EPUB package {opf_path!r} is unreadable: {exc}") from exc
    return _read_package(reader, opf_path, opf, notes)


def _check_drm(reader: _Reader, notes: list[str]) -> None:
    names = reader.names
    if "META-INF/rights.xml" in names:
        raise UnreadableInputError(reader.path, "EPUB is DRM-protected (META-INF/rights.xml); cannot read it")
    if "META-INF/encryption.xml" not in names:
        return
    try:
        root = parse_xml(reader.read("META-INF/encryption.xml"))
    except (_MemberError, etree.XMLSyntaxError) as exc:
        raise UnreadableInputError(reader.path, f"EPUB has an unreadable encryption.xml: {exc}") from exc
    fonts_only = True
    for data in iter_elements(root):
        if local(data) != "encrypteddata":
            continue
        algorithm = ""
        uri = ""
        for el in iter_elements(data):
            if local(el) == "encryptionmethod":
                algorithm = el.get("Algorithm", "")
            elif local(el) == "cipherreference":
                uri = el.get("URI", "")
        if algorithm not in _FONT_OBFUSCATION or not uri.lower().endswith(_FONT_EXTS):
            fonts_only = False
    if not fonts_only:
        raise UnreadableInputError(
            reader.path, "EPUB is encrypted (DRM, META-INF/encryption.xml); cannot read it"
        )
    notes.append("embedded fonts are obfuscated; ignored")


def _find_opf(reader: _Reader) -> str:
    if "META-INF/container.xml" in reader.names:
        try:
            container = parse_xml(reader.read("META-INF/container.xml"))
            for el in iter_elements(container):
                if local(el) == "rootfile" and el.get("full-path"):
                    candidate = resolve_href("", el.get("full-path", ""))
                    if candidate in reader.names:
                        return candidate
        except (_MemberError, etree.XMLSyntaxError):
            pass
    for name in reader.names:
        if name.lower().endswith(".opf") and resolve_href("", name) == name:
            return name
    raise UnreadableInputError(reader.path, "not an EPUB: no OPF package document found")


def _read_package(reader: _Reader, opf_path: str, opf: Any, notes: list[str]) -> EpubBook:
    base = posixpath.dirname(opf_path)
    metadata: dict[str, list[str]] = {}
    identifiers: list[tuple[str, str]] = []
    manifest: dict[str, tuple[str, str, str]] = {}  # id -> (href, media-type, properties)
    spine: list[str] = []
    ncx_id = ""
    for el in iter_elements(opf):
        name = local(el)
        parent = el.getparent()
        if parent is not None and local(parent) == "metadata" and name != "meta":
            value = " ".join((el.text or "").split()) if name != "description" else (el.text or "").strip()
            if value:
                metadata.setdefault(name, []).append(value)
                if name == "identifier":
                    scheme = ""
                    for key, attr in el.attrib.items():
                        if key.endswith("scheme") or key == "id":
                            scheme = scheme or attr
                    identifiers.append((scheme, value))
                if name == "contributor":
                    metadata.setdefault("contributor-id", []).append(el.get("id", ""))
        elif name == "item" and el.get("id") is not None:
            manifest[el.get("id", "")] = (
                el.get("href", ""),
                el.get("media-type", ""),
                el.get("properties", ""),
            )
        elif name == "itemref" and el.get("idref"):
            spine.append(el.get("idref", ""))  # non-linear items are text too
        elif name == "spine":
            ncx_id = el.get("toc", "")

    documents: list[tuple[str, Any]] = []
    for idref in spine:
        item = manifest.get(idref)
        if item is None:
            notes.append(f"spine item {idref!r} is not in the manifest; skipped")
            continue
        href, media_type, properties = item
        if "nav" in properties.split():
            continue  # the EPUB 3 table of contents: navigation, not story
        if media_type not in _DOC_TYPES:
            continue
        target = resolve_href(base, href)
        if target is None:
            notes.append(f"spine item {href!r} points outside the book; skipped")
            continue
        if target not in reader.names:
            notes.append(f"spine item {href!r} is missing from the archive; skipped")
            continue
        try:
            data = reader.read(target)
        except _MemberError as exc:
            notes.append(f"spine item {href!r} is corrupt ({exc}); skipped")
            continue
        documents.append((target, parse_xhtml(data)))
    if not documents:
        raise UnreadableInputError(reader.path, "EPUB has no readable content documents in its spine")

    toc = _read_toc(reader, base, manifest, ncx_id)
    return EpubBook(reader.path, metadata, identifiers, documents, toc, notes)


def _read_toc(
    reader: _Reader, base: str, manifest: dict[str, tuple[str, str, str]], ncx_id: str
) -> dict[str, str]:
    toc: dict[str, str] = {}
    candidates = []
    if ncx_id in manifest:
        candidates.append(manifest[ncx_id])
    candidates += [m for m in manifest.values() if "nav" in m[2].split()]
    for href, _media, properties in candidates:
        target = resolve_href(base, href)
        if target is None or target not in reader.names:
            continue
        try:
            root = parse_xml(reader.read(target))
        except (_MemberError, etree.XMLSyntaxError):
            continue
        doc_dir = posixpath.dirname(target)
        if "nav" in properties.split():
            for el in iter_elements(root):
                if local(el) == "a" and el.get("href"):
                    dest = resolve_href(doc_dir, el.get("href", ""))
                    if dest and dest not in toc:
                        toc[dest] = node_text(el)
        else:
            for point in iter_elements(root):
                if local(point) != "navpoint":
                    continue
                label = ""
                src = ""
                for el in point:
                    if not isinstance(el.tag, str):
                        continue
                    if local(el) == "navlabel":
                        label = node_text(el)
                    elif local(el) == "content":
                        src = el.get("src", "")
                dest = resolve_href(doc_dir, src) if src else None
                if dest and dest not in toc:
                    toc[dest] = label
        if toc:
            break
    return toc


def description_text(book: EpubBook) -> str | None:
    """The book's dc:description as plain text (it is often HTML)."""
    value = book.first("description")
    return html_fragment_text(value) or None if value else None
