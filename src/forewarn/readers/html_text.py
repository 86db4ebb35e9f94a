"""HTML to text with offsets: the helper every HTML and EPUB reader shares.

Readers walk a parsed document, turn the parts they care about into paragraphs with
:func:`paragraphs`, and hand them to a :class:`TextBuilder`, which joins paragraphs with blank
lines and records each run as a :class:`~forewarn.model.Section` (character offsets into the
final ``Work.text``, end exclusive). Scripts, styles and comments never reach the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from forewarn.model import Chapter, Declared, Section, SectionKind, Source, Work
from forewarn.readers.decode import decode_html
from forewarn.readers.decode import text_encoding as text_encoding  # re-exported for existing imports

# Elements whose content is never text a reader sees.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "select",
        "button",
        "canvas",
        "audio",
        "video",
        "map",
    }
)
# Elements that start and end a paragraph.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "caption",
        "legend",
    }
)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

_WS = re.compile(r"\s+")
_SPACES = re.compile(r" +")
_AROUND_NL = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{2,}")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


# --- parsing (decode.py decodes) ------------------------------------------------------------

# huge_tree lifts libxml2's nesting limit (256), past which it silently drops text; input size
# is capped by the readers and every walk here is iterative.
_HTML_PARSER = lxml_html.HTMLParser(huge_tree=True, no_network=True, remove_comments=False)


def parse_html(data: bytes | str) -> Any:
    """Parse HTML leniently into an lxml element tree root (never raises on bad markup)."""
    if isinstance(data, bytes):
        data = decode_html(data)[0]
    text = _XML_DECL.sub("", data, count=1).replace("\x00", "")
    if not text.strip():
        return lxml_html.document_fromstring("<html><body></body></html>")
    try:
        root = lxml_html.document_fromstring(text, parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return lxml_html.document_fromstring("<html><body></body></html>")
    return flatten_deep(root)


# Real pages nest about 10-25 elements deep (saved AO3 pages 16, a forum thread 22). Readers ask
# an element's text in loops over elements, so each level of nesting re-reads what is below it:
# markup nested thousands deep would make that quadratic. Past this depth it becomes plain text.
MAX_DEPTH = 40


def flatten_deep(root: Any) -> Any:
    """``root`` with every element deeper than ``MAX_DEPTH`` replaced by its text (in place)."""
    stack = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        if depth < MAX_DEPTH:
            stack.extend((child, depth + 1) for child in el)
        elif len(el):
            # In C, once: drop scripts and styles, take the text of the rest, then make it the
            # element's one text node (lxml re-joins split text nodes on every read of .text,
            # which is quadratic in their number).
            etree.strip_elements(el, "{*}script", "{*}style", with_tail=False)
            text = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
            for child in list(el):
                el.remove(child)
            el.text = _NOT_XML.sub("", text)
    return root


_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


def parse_xml(data: bytes) -> Any:
    """Parse an XML file (OPF, NCX, container) safely: no entities, no DTDs, no network."""
    return etree.fromstring(data, parser=_XML_PARSER)


def parse_xhtml(data: bytes) -> Any:
    """Parse an EPUB content document: as XML when it is well formed, else as lenient HTML.

    XML first, because the HTML parser misreads self-closing ``<div/>`` in XHTML.
    """
    try:
        root = etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return parse_html(data)
    if root is None or local(root) != "html":
        return parse_html(data)
    return flatten_deep(root)


# --- walking the tree -----------------------------------------------------------------------


def local(el: Any) -> str:
    """The lowercase local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    if "}" in tag:
        tag = tag.rsplit("}", 1)[1]
    return tag.lower()


def iter_elements(root: Any) -> Iterator[Any]:
    """Every element under ``root`` in document order (root included), no comments."""
    for el in root.iter():
        if isinstance(el.tag, str):
            yield el


def find_by_id(roots: Iterable[Any], ident: str) -> list[Any]:
    """Every element whose id is ``ident``, across documents, in order (EPUB splits repeat ids)."""
    return [el for root in roots for el in iter_elements(root) if el.get("id") == ident]


def children(el: Any) -> list[Any]:
    """Element children (no comments)."""
    return [c for c in el if isinstance(c.tag, str)]


def body_of(root: Any) -> Any:
    for el in iter_elements(root):
        if local(el) == "body":
            return el
    return root


# What lxml parses out of a broken page but refuses to be given back: control characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def remove_keeping_tail(el: Any) -> None:
    """Remove ``el`` and its content from the tree, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = _NOT_XML.sub("", (previous.tail or "") + el.tail)
        else:
            parent.text = _NOT_XML.sub("", (parent.text or "") + el.tail)
    parent.remove(el)


def paragraphs(root: Any) -> list[str]:
    """The paragraphs of an element: block elements and double line breaks separate them.

    Whitespace runs collapse to one space; a single ``<br>`` stays a newline inside a paragraph.
    The walk is iterative, so absurdly deep markup cannot overflow the stack.
    """
    return [text for _, text in segments(root)]


def segments(root: Any, headings: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Like :func:`paragraphs`, but elements named in ``headings`` come out as
    ``(tag, text)`` items (``("h2", "Chapter 1")``) between the ``("para", text)`` items."""
    heading_tags = frozenset(headings)
    out: list[tuple[str, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.extend(("para", text) for text in _finish(current))
            current.clear()

    def tail(el: Any) -> None:
        if el is not root and el.tail:
            current.append(_WS.sub(" ", el.tail))

    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            if local(el) in BLOCK_TAGS:
                flush()
            tail(el)
            continue
        tag = local(el)
        if not tag or tag in SKIP_TAGS:
            tail(el)
            continue
        if tag == "br":
            current.append("\n")
            tail(el)
            continue
        if tag in heading_tags and el is not root:
            flush()
            title = " ".join(" ".join(paragraphs(el)).split())
            if title:
                out.append((tag, title))
            tail(el)
            continue
        if tag in BLOCK_TAGS:
            flush()
        if el.text:
            current.append(_WS.sub(" ", el.text))
        stack.append((el, True))
        for child in reversed(el):
            stack.append((child, False))
    flush()
    return out


def _finish(chunks: list[str]) -> list[str]:
    joined = _AROUND_NL.sub("\n", _SPACES.sub(" ", "".join(chunks)))
    result = []
    for part in _BLANK_LINES.split(joined):
        part = part.strip()
        if part:
            result.append(part)
    return result


def node_text(el: Any) -> str:
    """All text of an element on one line, whitespace collapsed."""
    return " ".join(" ".join(paragraphs(el)).split())


# --- building the Work ----------------------------------------------------------------------

SEPARATOR = "\n\n"


class TextBuilder:
    """Accumulates paragraphs into one string, recording sections and chapters as it goes.

    >>> b = TextBuilder()
    >>> b.start_chapter("One")
    >>> b.add(["One"], "chapter-title")
    True
    >>> b.add(["It was dark.", "Then light."], "story")
    True
    >>> w = b.build(Source(None, "html"))
    >>> w.text[w.sections[1].start:w.sections[1].end]
    'It was dark.\\n\\nThen light.'
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._sections: list[Section] = []
        self._chapters: list[list[Any]] = []  # [title, start, end]
        self._pending_start = False

    @property
    def length(self) -> int:
        return self._length

    @property
    def chapter_count(self) -> int:
        return len(self._chapters)

    def start_chapter(self, title: str) -> None:
        """Open a new chapter; it starts where the next text is added."""
        start = self._length + len(SEPARATOR) if self._length else 0
        self._chapters.append([title, start, start])
        self._pending_start = True

    def add(self, paras: Iterable[str], kind: SectionKind, *, in_chapter: bool = True) -> bool:
        """Append paragraphs as one section of ``kind``; returns False when there was no text.

        ``in_chapter=False`` (a work's preface or end notes) labels the section with the nearest
        chapter but does not stretch that chapter's range over it.
        """
        paras = [p for p in paras if p and p.strip()]
        if not paras:
            return False
        if self._length:
            self._parts.append(SEPARATOR)
            self._length += len(SEPARATOR)
        start = self._length
        text = SEPARATOR.join(paras)
        self._parts.append(text)
        self._length += len(text)
        chapter = max(0, len(self._chapters) - 1)
        previous = self._sections[-1] if self._sections else None
        if (
            previous is not None
            and previous.kind == kind
            and previous.chapter == chapter
            and previous.end + len(SEPARATOR) == start
        ):
            self._sections[-1] = Section(kind, previous.start, self._length, chapter)
        else:
            self._sections.append(Section(kind, start, self._length, chapter))
        if in_chapter and self._chapters:
            record = self._chapters[-1]
            if self._pending_start:
                record[1] = start
                self._pending_start = False
            record[2] = self._length
        return True

    def build(
        self,
        source: Source,
        *,
        title: str | None = None,
        author: str | None = None,
        declared: Declared | None = None,
    ) -> Work:
        text = "".join(self._parts)
        chapters: list[Chapter] = []
        for chapter_title, start, end in self._chapters:
            start = min(start, len(text))
            chapters.append(Chapter(chapter_title, start, max(start, min(end, len(text)))))
        if not chapters:
            story = [s for s in self._sections if s.kind == "story"]
            start = story[0].start if story else 0
            end = story[-1].end if story else len(text)
            chapters.append(Chapter(title or "", start, end))
        return Work(
            text=text,
            sections=tuple(self._sections),
            chapters=tuple(chapters),
            source=source,
            title=title,
            author=author,
            declared=declared if declared is not None else Declared(),
        )


def split_list(value: str) -> tuple[str, ...]:
    """Split a comma-separated tag list ('A, B/C, D') into stripped, non-empty items."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a summary from metadata), paragraphs kept apart."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    root = parse_html(f"<html><body><div>{fragment}</div></body></html>")
    return SEPARATOR.join(paragraphs(body_of(root)))
