"""Choose a reader by content, not by extension, and read the file into a Work.

Zip archives are read as EPUB (AO3, FanFicFare or generic, by the package's own marks);
markup is read as HTML (FanFicFare, an AO3 work page saved from a browser, an AO3 download,
FanFiction.Net / FictionPress in their current and older layouts, or generic, by markers in the
page); anything else is plain text. A page wrapped in a JavaScript/TypeScript template literal
(``export const page = `<!DOCTYPE html>…`;``, as test fixtures keep them) is read as the HTML
inside. ``Source.format`` says which reader understood the file: one of ``text``,
``ao3-html``, ``ao3-page``, ``ao3-epub``, ``fanficfare-epub``, ``fanficfare-html``,
``ffn-html``, ``epub``, ``html``.
"""

from __future__ import annotations

import os
import re

from forewarn.errors import UnreadableInputError
from forewarn.model import Source, Work
from forewarn.readers.ao3 import (
    looks_like_ao3_epub,
    looks_like_ao3_html,
    work_from_ao3_epub,
    work_from_ao3_roots,
)
from forewarn.readers.ao3_page import looks_like_ao3_page, work_from_ao3_page_root
from forewarn.readers.decode import decode_html
from forewarn.readers.epub import DEFAULT_MAX_BYTES, epub_from_reader, is_epub, open_zip
from forewarn.readers.fanficfare import (
    looks_like_fanficfare_epub,
    looks_like_fanficfare_html,
    work_from_fanficfare_epub,
    work_from_fanficfare_html_root,
)
from forewarn.readers.ffn import looks_like_ffn_html, work_from_ffn_root
from forewarn.readers.files import open_regular, too_large
from forewarn.readers.generic import work_from_epub_book, work_from_html_root
from forewarn.readers.html_text import parse_html
from forewarn.readers.txt import read_text_file
from forewarn.readers.zipped_html import zipped_html_from_reader

FORMATS = (
    "text",
    "ao3-html",
    "ao3-page",
    "ao3-epub",
    "fanficfare-epub",
    "fanficfare-html",
    "ffn-html",
    "epub",
    "html",
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml|head|body)",
    re.IGNORECASE | re.DOTALL,
)
# `export const testHtml = \`<!DOCTYPE html>…\`;`: an HTML page kept in a JS/TS string.
_TEMPLATE_LITERAL = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:export\s+)?(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*(?::\s*[\w.]+\s*)?=\s*`"
    rb"\s*(?=<(?:!doctype\s+html|html)\b)",
    re.IGNORECASE,
)
_TAG = re.compile(rb"<(?:p|div|br|h[1-6]|span|body|html|head|meta|title)\b[^>]*>", re.IGNORECASE)


def sniff(head: bytes, path: str = "") -> str:
    """'epub', 'html' or 'text' from the first bytes of a file (the extension only breaks ties)."""
    if head.startswith(_ZIP_MAGIC):
        return "epub"
    if _HTML_START.match(head) or _TEMPLATE_LITERAL.match(head):
        return "html"
    if path.lower().endswith((".html", ".htm", ".xhtml")) and _TAG.search(head):
        return "html"
    if len(_TAG.findall(head)) >= 3 and head.lstrip().startswith(b"<"):
        return "html"
    return "text"


def read_work(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read any supported file into a Work, choosing the reader by content.

    Raises :class:`~forewarn.errors.UnreadableInputError` for files it cannot read (missing,
    over ``max_bytes``, corrupt, encrypted); never reads more than ``max_bytes`` from disk.
    """
    spath = os.fspath(path)
    with open_regular(spath, max_bytes) as handle:
        try:
            head = handle.read(8192)
            kind = sniff(head, spath)
            # What is read stays within the limit: a file that grew since the check is refused.
            data = head + handle.read(max(0, max_bytes + 1 - len(head))) if kind == "html" else b""
        except OSError as exc:
            raise UnreadableInputError(spath, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise UnreadableInputError(spath, too_large(len(data), max_bytes))
    if kind == "epub":
        with open_zip(spath, max_bytes) as reader:
            if not is_epub(reader):  # a ZIP or HTMLZ book: HTML or text files in a zip
                return zipped_html_from_reader(reader)
            book = epub_from_reader(reader)
        if looks_like_fanficfare_epub(book):
            return work_from_fanficfare_epub(book)
        if looks_like_ao3_epub(book):
            return work_from_ao3_epub(book)
        return work_from_epub_book(book)
    if kind == "html":
        text, notes = decode_html(data)
        text, notes = _unwrap_template_literal(text, notes)
        root = parse_html(text)
        if looks_like_fanficfare_html(text):
            return work_from_fanficfare_html_root(root, spath, notes)
        if looks_like_ao3_page(text):
            return work_from_ao3_page_root(root, Source(spath, "ao3-page", notes))
        if looks_like_ao3_html(text):
            return work_from_ao3_roots([root], Source(spath, "ao3-html", notes))
        if looks_like_ffn_html(text):
            return work_from_ffn_root(root, spath, notes)
        return work_from_html_root(root, spath, notes)
    return read_text_file(spath, max_bytes=max_bytes)


def _unwrap_template_literal(text: str, notes: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The HTML inside ``export const x = `…`;``, its escapes undone; other text unchanged."""
    match = _TEMPLATE_LITERAL.match(text[:2048].encode("utf-8", "surrogatepass"))
    if not match:
        return text, notes
    prefix = text.find("`")
    body = text[prefix + 1 :]
    end = body.rfind("`")
    if end >= 0:
        body = body[:end]
    body = re.sub(r"\\([`$\\])", r"\1", body)
    return body, (*notes, "HTML read from inside a JavaScript template literal")
