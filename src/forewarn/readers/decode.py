"""Bytes to text, for the files people actually have.

Fan fiction reaches forewarn as whatever an archive, an editor or a copy-paste left behind, so
each rule below answers a kind of file seen in the wild:

- A byte-order mark is the strongest evidence there is: UTF-8, UTF-16 and UTF-32 files that
  carry one are decoded as it says (Windows Notepad wrote "Unicode" files as UTF-16 LE + BOM).
- UTF-16 without a BOM shows itself by NUL bytes in every other position; any other file with
  NUL bytes in its first 64 KB is binary (images, archives, EPUBs and PDFs all have them early).
- Plain UTF-8 is the common case and is tried first. Old Windows editors saved windows-1252, so a
  file with no valid UTF-8 multi-byte sequence at all is read as windows-1252 (latin-1 where it
  uses the five bytes 1252 leaves undefined). A UTF-8 file with a few stray 1252 bytes (a pasted
  curly quote) keeps its UTF-8 and decodes only the stray bytes as 1252.
- Mojibake ("donâ€™t": UTF-8 once read as windows-1252 and saved again) is repaired with
  ftfy.fix_encoding, line by line and only on lines ftfy calls bad: it undoes only the known
  mistake and leaves legitimate accented text alone.
- Newlines become "\\n" (Windows "\\r\\n", old Mac "\\r"), so that blank-line rules work the same
  everywhere; nothing else is reflowed, so offsets index the text the user has.
- Binary that slips past the NUL test is caught by its share of control characters.

The sniffing looks only at the first 64 KB; everything on the whole text is a C-level call
(decode, count, replace, one regex search), never a Python loop over its characters.

An HTML or XHTML page is decoded as a browser decodes it (:func:`decode_html`): its byte-order
mark (UTF-8 or UTF-16), else the charset it declares, else UTF-8, else windows-1252; no mojibake
repair, no newline change.
"""

from __future__ import annotations

import codecs
import re

from forewarn.errors import UnreadableInputError

SNIFF_BYTES = 64 * 1024  # how much of a file the binary and UTF-16 sniffing looks at

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one. Text files and HTML pages both
# read them here.
_BOMS: tuple[tuple[bytes, str, str | None], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "decoded as UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "decoded as UTF-32 (big-endian)"),
    (codecs.BOM_UTF8, "utf-8", None),  # a UTF-8 BOM is noise, not news
    (codecs.BOM_UTF16_LE, "utf-16-le", "decoded as UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "decoded as UTF-16 (big-endian)"),
)

# One well-formed UTF-8 multi-byte sequence. Text saved as windows-1252 practically never
# contains one by accident, so its presence says "this is UTF-8 with a few stray bytes".
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

# Characters no text file has many of (tab, newline, form feed and carriage return are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_SHARE = 0.05  # of the sniffed characters; real text stays far below it

# A UTF-8 lead byte followed by a continuation byte, both as windows-1252 (or latin-1) shows
# them: "â€™", "Ã©". Every mojibake line has one; legitimate text rarely does ("é…" can).
_MOJIBAKE_HINT = re.compile(
    "[\xc2-\xf4][\x80-\xbf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039"
    "\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)

# What windows-1252 makes of each byte; the five bytes it leaves undefined map as latin-1 does.
_CP1252 = tuple(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the bytes that are not UTF-8 as windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_CP1252[b] for b in bad), error.end


codecs.register_error("forewarn.cp1252", _cp1252_fallback)


def decode_bytes(data: bytes, path: str) -> tuple[str, tuple[str, ...]]:
    """Decode a text file's bytes; return the text and notes on what was done to it.

    Raises ``UnreadableInputError(path, ...)`` for empty and binary files.

    >>> decode_bytes("caf\\u00e9\\r\\n".encode("cp1252"), "a.txt")
    ('café\\n', ('decoded as windows-1252',))
    """
    if not data.strip():
        raise UnreadableInputError(path, "file is empty")
    notes: list[str] = []
    text = _decode(data, path, notes)

    controls = len(_CONTROL.findall(text, 0, SNIFF_BYTES))
    if controls > max(4, _CONTROL_SHARE * min(len(text), SNIFF_BYTES)):
        raise UnreadableInputError(path, "looks like a binary file, not text")
    if not text.isascii():
        text = _repair_mojibake(text, notes)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A second BOM (files concatenated, or re-saved) and a DOS end-of-file mark are not text.
    text = text.lstrip("\ufeff").rstrip("\x1a")
    if not text.strip():
        raise UnreadableInputError(path, "file is empty")
    return text, tuple(notes)


def _decode(data: bytes, path: str, notes: list[str]) -> str:
    for bom, encoding, note in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if encoding == "utf-8":
                return _decode_8bit(body, notes)
            if note:
                notes.append(note)
            return _decode_wide(body, encoding, notes)

    if b"\x00" in data[:SNIFF_BYTES]:
        wide = _utf16_without_bom(data[:SNIFF_BYTES])
        if wide is None:
            padded = data.rstrip(b"\x00")  # some tools pad a text file with NULs at the end
            if not padded.strip() or b"\x00" in padded[:SNIFF_BYTES]:
                raise UnreadableInputError(path, "looks like a binary file, not text")
            notes.append("dropped NUL padding at the end")
            data = padded
        else:
            notes.append(f"decoded as UTF-16 ({'little' if wide.endswith('le') else 'big'}-endian, no BOM)")
            return _decode_wide(data, wide, notes)
    if b"\x00" in data:  # past the sniffed start of a file that is clearly text: stray, drop
        notes.append(f"dropped {_count(data.count(0), 'stray NUL byte')}")
        data = data.replace(b"\x00", b"")
    return _decode_8bit(data, notes)


def _utf16_without_bom(sample: bytes) -> str | None:
    """Name the UTF-16 byte order when NULs sit in one byte position only (mostly-ASCII UTF-16)."""
    half = len(sample) // 2
    if half == 0:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _decode_wide(body: bytes, encoding: str, notes: list[str]) -> str:
    unit = 4 if encoding.startswith("utf-32") else 2
    if len(body) % unit:
        notes.append("dropped an incomplete last character")
        body = body[: len(body) - len(body) % unit]
    text = body.decode(encoding, errors="replace")
    if "\ufffd" in text:
        notes.append("replaced undecodable characters")
    if "\x00" in text:  # NUL characters in UTF-16 text are padding or a conversion mistake
        notes.append(f"dropped {_count(text.count(chr(0)), 'NUL character')}")
        text = text.replace("\x00", "")
    return text


def _decode_8bit(data: bytes, notes: list[str]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):
        notes.append("decoded as UTF-8 with some windows-1252 bytes")
        return data.decode("utf-8", errors="forewarn.cp1252")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        notes.append("decoded as latin-1")
        return data.decode("latin-1")
    notes.append("decoded as windows-1252")
    return text


def _repair_mojibake(text: str, notes: list[str]) -> str:
    # Only lines holding a suspect pair go to ftfy (its own test is slow on a whole book), and
    # each line on its own: a file can mix damaged lines with sound ones.
    pieces: list[str] = []
    copied = 0  # text[:copied] is already in pieces
    checked = 0  # lines before this offset have been looked at
    for match in _MOJIBAKE_HINT.finditer(text):
        if match.start() < checked:
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        checked = end = len(text) if end < 0 else end
        line = text[start:end]
        # ftfy loads only for text with a suspect pair: most stories never need it.
        import ftfy
        from ftfy.badness import is_bad

        if is_bad(line):
            fixed = ftfy.fix_encoding(line)
            if fixed != line:
                pieces += [text[copied:start], fixed]
                copied = end
    if not pieces:
        return text
    notes.append("repaired mojibake")
    return "".join(pieces) + text[copied:]


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


# --- HTML pages ---------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# The byte-order marks a browser knows (the WHATWG Encoding Standard has no UTF-32).
_HTML_BOMS = frozenset({"utf-8", "utf-16-le", "utf-16-be"})


def text_encoding(name: str) -> str | None:
    """The codec's canonical name if ``name`` is a text encoding Python knows, else None.

    A page may declare anything as its charset; ``base64``, ``zlib`` or ``rot13`` are codecs but
    not text encodings (``bytes.decode`` refuses them with a LookupError), and utf-7's decoder
    is no browser's: none of them is trusted.

    >>> text_encoding("UTF8"), text_encoding("base64"), text_encoding("no-such")
    ('utf-8', None, None)
    """
    try:
        info = codecs.lookup(name.strip().lower())
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _UNTRUSTED_CODECS:
        return None
    return info.name


_UNTRUSTED_CODECS = frozenset({"utf-7", "idna", "punycode", "raw-unicode-escape", "unicode-escape"})


def decode_html(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode an HTML or XHTML document: BOM, then declared charset, then UTF-8, then cp1252.

    Returns the text and notes about anything guessed (for ``Source.notes``).

    >>> decode_html(b'<meta charset="utf-8"><p>caf\\xc3\\xa9</p>')[0][-8:]
    'café</p>'
    """
    for bom, encoding, _ in _BOMS:
        if encoding in _HTML_BOMS and data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), ()
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match:
        declared = text_encoding(match.group(1).decode("ascii", "replace"))
        if declared:
            if declared in {"iso8859-1", "ascii"}:
                declared = "cp1252"  # what browsers do, and what such pages really are
            try:
                return data.decode(declared), ()
            except (UnicodeError, ValueError):  # bytes the declared codec cannot take
                pass
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    # A browser's default for a page that declares nothing; not _decode_8bit's guesses for files.
    return data.decode("cp1252", errors="replace"), ("decoded as cp1252 (not valid UTF-8)",)
