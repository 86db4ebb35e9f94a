"""Hypothesis strategies for hostile and unlucky inputs, one family per reader.

A ``Case`` is a small folder of files (the story, and what lies beside it: a FanFicFare
sidecar, a Calibre library) plus the path handed to forewarn. Big inputs are drawn as recipes
(a unit and a repeat count) so that Hypothesis's own data stays small while the input can be
hundreds of kilobytes: the shapes that made regular expressions quadratic are runs of one thing.

Families (``KINDS``):
- ``txt``: story text or hostile runs, in many encodings and line-ending mixes, or raw bytes;
- ``html``: AO3 work pages and downloads, FanFiction.Net, FanFicFare and generic layouts, with
  declared charsets that are not text encodings, deep nesting and broken markup;
- ``epub``: zip structures: a valid EPUB, then patched headers (zip versions, compression
  methods, encryption flags), missing or broken container/OPF, many or large members;
- ``sidecar``: a FanFicFare page with a JSON sidecar of the wrong types or deep nesting;
- ``calibre``: a library whose ``metadata.db`` holds junk ids, NULLs, blobs and crafted paths;
- ``special``: named pipes, directories, links to devices, loops and dangling links;
- ``mutant``: the repository's own fixture files, truncated, flipped and spliced.
"""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

KINDS = ("txt", "html", "epub", "sidecar", "calibre", "special", "mutant")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MAX_REPEAT = 40_000  # a unit repeated up to this many times: inputs up to a few hundred KB


@dataclass(frozen=True)
class Case:
    """Files to write into an empty folder, and the path (relative to it) forewarn is given."""

    kind: str
    main: str
    files: tuple[tuple[str, bytes], ...] = ()
    special: str | None = None  # made by the runner: "fifo", "dir", "devzero", "loop", "dangling"
    cli: bool = False  # also run the command line on it, end to end
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def size(self) -> int:
        return sum(len(data) for _, data in self.files)


# --- text -----------------------------------------------------------------------------------

SENTENCES = (
    "She screamed as the knife went in, and blood soaked the floor.",
    "He realized he died, and smiled.",
    "They kissed in the rain.",
    "Harry Potter walked to the window and did not look back.",
    "His blood ran cold.",
    "“I could kill you,” she laughed.",
    "The war had taken everything from them.",
    "Chapter 3: The Long Night",
    "Mr. Smith said, “Dr. Watson is here… again?!”",
    "* * *",
    "~~~",
    "He was only fifteen when it happened.",
    "She cut herself on the glass and hid the scars.",
    "Summary: angst. Notes: I don't own anything.",
    "Draco/Harry, Hermione & Ron",
)
UNITS = (
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    " ",
    "\t",
    ".",
    ". ",
    "...",
    "…",
    "!",
    "?!",
    "-",
    "—",
    "*",
    "~",
    '"',
    "'",
    "“",
    "„",
    ",",
    "<",
    ">",
    "&",
    "&amp;",
    "#",
    "a",
    "é",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1a",
    "kill ",
    "blood dead knife ",
    "he said, ",
    "she died. ",
    "Mr. ",
    "Chapter 1\n",
    "* * *\n",
    "<p>",
    "</p>",
    "<br>",
    "<div>",
    "<h1>",
    "<b><i>",
    "&#x0;",
    "&#1114112;",
    "\\",
    "`",
    "${",
    "  \n",
    "\n \n",
    "-- ",
    "_",
    "*kill*",
    "[",
    "(",
    "'s ",
    "A",
    "HE ",
    "1. ",
)
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "latin-1",
    "shift_jis",
    "koi8-r",
    "gb18030",
    "cp437",
    "mac_roman",
)
SEPARATORS = ("\n", "\r\n", "\r", "\n\n", " ", "\t", "\x0c", "\u2028", "\r\r\n", "\n\r")


def _story() -> st.SearchStrategy[str]:
    line = st.one_of(st.sampled_from(SENTENCES), st.text(max_size=120))
    return st.builds(
        lambda lines, sep: sep.join(lines), st.lists(line, max_size=30), st.sampled_from(SEPARATORS)
    )


def _run() -> st.SearchStrategy[str]:
    """One unit (or two alternating) repeated: the shape of every quadratic-regex input found."""
    unit = st.one_of(
        st.sampled_from(UNITS), st.builds(str.__add__, st.sampled_from(UNITS), st.sampled_from(UNITS))
    )
    return st.builds(lambda u, n: u * n, unit, st.integers(1, MAX_REPEAT))


def text_body() -> st.SearchStrategy[str]:
    """Story text, a hostile run, or the two spliced."""
    return st.one_of(
        _story(),
        _run(),
        st.builds(lambda a, b, c: a + b + c, _story(), _run(), _story()),
    )


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def text_bytes() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.builds(_encode, text_body(), st.sampled_from(ENCODINGS)),
        st.binary(max_size=4096),
        st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=8), st.integers(1, 20_000)),
    )


@st.composite
def txt_cases(draw: st.DrawFn) -> Case:
    name = draw(st.sampled_from(("story.txt", "story", "story.html", "story.epub", "notes.md", "s.TXT")))
    return Case("txt", name, ((name, draw(text_bytes())),), cli=draw(st.booleans()))


# --- HTML -----------------------------------------------------------------------------------

CHARSETS = (
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "windows-1252",
    "shift_jis",
    "utf-16",
    "utf-32",
    "base64",
    "rot13",
    "zlib",
    "hex",
    "uu",
    "bz2",
    "quopri",
    "utf-7",
    "idna",
    "punycode",
    "unicode_escape",
    "nope",
    "",
    "x" * 300,
    "utf\x00",
    'utf-8"><script>',
    "ascii",
    "mbcs",
)


def _layout(body: str, charset: str, which: int, title: str) -> str:
    meta = f'<meta charset="{charset}">' if which % 2 else f'<?xml version="1.0" encoding="{charset}"?>'
    layouts = (
        # AO3 work page as a browser saves it
        f"<!DOCTYPE html><html><head>{meta}<title>{title} - Archive of Our Own</title></head><body>"
        '<ul id="header" class="primary"><li>Policy Questions &amp; Abuse Reports</li></ul>'
        '<div id="main"><dl class="work meta group"><dt class="warning tags">Archive Warning:</dt>'
        f'<dd class="warning tags"><a class="tag">{title}</a></dd></dl><div id="workskin">'
        f'<div class="preface group"><h2 class="title heading">{title}</h2></div>'
        f'<div id="chapters"><div class="userstuff">{body}</div></div></div></div></body></html>',
        # AO3 download
        f'<html><head>{meta}<title>{title}</title></head><body><div id="preface"><p class="message">'
        'Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a></p>'
        f'<div class="meta"><dl class="tags"><dt>Archive Warning:</dt><dd>{title}</dd></dl></div></div>'
        f'<div id="chapters"><h2 class="toc-heading">Chapter 1</h2><div class="userstuff">{body}</div>'
        "</div></body></html>",
        # FanFiction.Net
        f'<html><head>{meta}</head><body><div id="profile_top"><b class="xcontrast_txt">{title}</b>'
        f'<span class="xgray xcontrast_txt">Rated: T - English - Words: 9</span></div>'
        f'<div id="storytext" class="storytext">{body}</div></body></html>',
        # FanFicFare HTML
        f"<html><head>{meta}<title>{title}</title></head><body><h3>{title}</h3>"
        f"<div><b>Category:</b> {title}<br/><b>Warnings:</b> {title}<br/></div>"
        f'<a name="section0001"></a><h2>Chapter</h2><div>{body}</div></body></html>',
        # generic
        f"<html><head>{meta}</head><body><nav>Home | Login</nav><article>{body}</article></body></html>",
        # a fragment
        body,
    )
    return layouts[which % len(layouts)]


def _markup(text: str, wrap: str, n: int) -> str:
    """Text cut into paragraphs, or wrapped in ``n`` levels of one element (unclosed when odd)."""
    if wrap == "p":
        return "".join(f"<p>{para}</p>" for para in text.split("\n"))
    closing = "" if n % 2 else f"</{wrap}>" * n
    return f"<{wrap}>" * n + text + closing


@st.composite
def html_cases(draw: st.DrawFn) -> Case:
    text = draw(text_body())
    wrap = draw(st.sampled_from(("p", "div", "h1", "span", "b", "blockquote", "table")))
    body = _markup(text, wrap, draw(st.integers(0, 20_000)) if wrap != "p" else 1)
    page = _layout(
        body, draw(st.sampled_from(CHARSETS)), draw(st.integers(0, 11)), draw(st.text(max_size=40))
    )
    encoding = draw(st.sampled_from(("utf-8", "cp1252", "utf-16", "shift_jis")))
    name = draw(st.sampled_from(("work.html", "work.htm", "work.xhtml", "work.txt", "work")))
    return Case("html", name, ((name, _encode(page, encoding)),), cli=draw(st.booleans()))


# --- EPUB / zip -----------------------------------------------------------------------------

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
OPF = (
    '<?xml version="1.0" encoding="{charset}"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>'
    "<dc:creator>fuzz</dc:creator><dc:subject>{title}</dc:subject><dc:description>{title}</dc:description>"
    "<dc:source>https://archiveofourown.org/works/1</dc:source></metadata><manifest>{items}</manifest>"
    "<spine>{refs}</spine></package>"
)


def _zip(members: list[tuple[str, bytes]], compression: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            method = zipfile.ZIP_STORED if name == "mimetype" else compression
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def _patch_headers(data: bytes, field_name: str, value: int, which: int) -> bytes:
    """Set one header field of the ``which``-th member, in its local and central headers alike.

    Fields: "version" (version needed to extract), "flags" (general purpose bits: 1 is
    encryption), "method" (compression method).
    """
    local = {"version": 4, "flags": 6, "method": 8}[field_name]
    central = {"version": 6, "flags": 8, "method": 10}[field_name]
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        positions, start = [], 0
        while (found := out.find(signature, start)) >= 0:
            positions.append(found)
            start = found + 4
        if positions:
            at = positions[which % len(positions)] + offset
            out[at : at + 2] = struct.pack("<H", value & 0xFFFF)
    return bytes(out)


@st.composite
def epub_cases(draw: st.DrawFn) -> Case:
    chapters = draw(st.integers(0, 6))
    title = draw(st.text(max_size=30)).replace("<", "&lt;").replace("&", "&amp;")
    charset = draw(st.sampled_from(("utf-8", "utf-8", "base64", "utf-16", "nope", "latin-1")))
    opf_path = draw(
        st.sampled_from(("OEBPS/content.opf", "content.opf", "../content.opf", "a/b/../../c.opf"))
    )
    members: list[tuple[str, bytes]] = [("mimetype", b"application/epub+zip")]
    if draw(st.booleans()) or chapters:
        members.append(("META-INF/container.xml", CONTAINER.format(opf=opf_path).encode()))
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    items = refs = ""
    for i in range(chapters):
        href = draw(
            st.sampled_from((f"ch{i}.xhtml", f"../ch{i}.xhtml", f"/abs/ch{i}.xhtml", f"ch{i}.xhtml#x"))
        )
        items += f'<item id="c{i}" href="{href}" media-type="application/xhtml+xml"/>'
        refs += f'<itemref idref="c{i}"/>'
        text = draw(text_body())
        page = _layout(
            _markup(text, "p", 1), draw(st.sampled_from(CHARSETS)), draw(st.integers(0, 11)), title
        )
        members.append((base + href.split("#")[0].lstrip("/"), page.encode("utf-8", "replace")))
    opf = OPF.format(charset=charset, title=title, items=items, refs=refs)
    if draw(st.booleans()):
        members.append((opf_path.lstrip("/"), opf.encode("utf-8", "replace")))
    if draw(st.integers(0, 9)) == 0:  # many members
        members += [(f"extra/{i}.xhtml", b"<p>x</p>") for i in range(draw(st.integers(1, 3000)))]
    if draw(st.integers(0, 9)) == 0:  # one large, highly compressible member
        members.append((base + "big.xhtml", b"<p>" + b"a " * draw(st.integers(1, 3_000_000)) + b"</p>"))
    compression = draw(st.sampled_from((zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2)))
    data = _zip(members, compression)
    for _ in range(draw(st.integers(0, 2))):
        field_name = draw(st.sampled_from(("version", "flags", "method")))
        value = draw(st.sampled_from((0, 1, 8, 9, 12, 14, 20, 45, 63, 64, 99, 0xFFFF, 0x41)))
        data = _patch_headers(data, field_name, value, draw(st.integers(0, 50)))
    if draw(st.integers(0, 5)) == 0:  # truncated or bytes flipped
        cut = draw(st.integers(0, len(data)))
        data = (
            data[:cut]
            if draw(st.booleans())
            else data[:cut] + bytes([draw(st.integers(0, 255))]) + data[cut + 1 :]
        )
    name = draw(st.sampled_from(("book.epub", "book.zip", "book", "book.txt")))
    return Case("epub", name, ((name, data),), cli=draw(st.booleans()))


# --- FanFicFare sidecars --------------------------------------------------------------------

SIDECAR_KEYS = (
    "title",
    "author",
    "category",
    "characters",
    "ships",
    "warnings",
    "rating",
    "genre",
    "status",
    "description",
    "numWords",
    "numChapters",
    "storyUrl",
    "extratags",
    "freeformtags",
)


def _json_value() -> st.SearchStrategy[object]:
    scalar = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
    )
    return st.recursive(
        scalar,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


@st.composite
def sidecar_cases(draw: st.DrawFn) -> Case:
    story = "<p>" + "</p><p>".join(draw(st.lists(st.sampled_from(SENTENCES), max_size=8))) + "</p>"
    page = _layout(story, "utf-8", 3, "Fuzz")
    choice = draw(st.integers(0, 3))
    if choice == 0:  # deeply nested: what made json (or whatever walks it) recurse without end
        depth = draw(st.integers(1, 200_000))
        sidecar = ('{"title": ' + "[" * depth + "]" * depth + "}").encode()
    elif choice == 1:
        sidecar = draw(st.binary(max_size=200))
    else:
        data = draw(st.dictionaries(st.sampled_from(SIDECAR_KEYS), _json_value(), max_size=10))
        sidecar = json.dumps(data).encode()
    name = draw(st.sampled_from(("story.html", "story.epub")))
    files: tuple[tuple[str, bytes], ...]
    if name.endswith(".epub"):
        book = FIXTURES / "fanficfare" / "test1-nosidecar.epub"
        files = ((name, book.read_bytes()), (name + ".json", sidecar))
    else:
        sidecar_name = draw(st.sampled_from((name + ".json", "story.json")))
        files = ((name, page.encode()), (sidecar_name, sidecar))
    return Case("sidecar", name, files, cli=draw(st.booleans()))


# --- Calibre libraries ----------------------------------------------------------------------

_JUNK = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.binary(max_size=20),
    st.sampled_from(("1", "2.5", "../../etc", "/etc/passwd", "EPUB", "TXT")),
)


def _calibre_db(rows: dict[str, list[tuple[object, ...]]], broken: int) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "metadata.db")
        connection = sqlite3.connect(path)
        schema = {
            "books": "id, title, path, sort, author_sort",
            "data": "id, book, format, name, uncompressed_size",
            "authors": "id, name, sort",
            "books_authors_link": "id, book, author",
            "custom_columns": "id, label, name, datatype, is_multiple, display",
        }
        for table, columns in schema.items():
            if broken == 1 and table == "data":
                continue  # a library missing a table
            connection.execute(f"CREATE TABLE {table} ({columns})")
            width = len(columns.split(","))
            for row in rows.get(table, []):
                connection.execute(
                    f"INSERT INTO {table} VALUES ({','.join('?' * width)})",
                    (tuple(row) + (None,) * width)[:width],
                )
        if broken == 2:
            connection.execute("PRAGMA journal_mode=WAL")
        connection.commit()
        connection.close()
        data = path.read_bytes()
    if broken == 3:
        data = data[: len(data) // 2]
    return data


@st.composite
def calibre_cases(draw: st.DrawFn) -> Case:
    books = draw(st.integers(0, 4))
    rows: dict[str, list[tuple[object, ...]]] = {
        "books": [],
        "data": [],
        "authors": [],
        "books_authors_link": [],
    }
    files: list[tuple[str, bytes]] = []
    for i in range(books):
        book_id = draw(st.one_of(st.just(i + 1), _JUNK))
        folder = draw(st.sampled_from((f"Author/Book ({i + 1})", "../outside", "/etc", "")))
        fmt = draw(st.sampled_from(("EPUB", "TXT", "HTML", "ZIP", "HTMLZ", "PDF", "epub", "")))
        rows["books"].append((book_id, draw(st.one_of(st.text(max_size=20), _JUNK)), folder, "s", "a"))
        rows["data"].append((i + 1, draw(st.one_of(st.just(book_id), _JUNK)), fmt, "book", 10))
        rows["authors"].append((i + 1, draw(st.one_of(st.text(max_size=20), _JUNK)), "a"))
        rows["books_authors_link"].append((i + 1, book_id, draw(st.one_of(st.just(i + 1), _JUNK))))
        if folder.startswith("Author") and fmt.upper() in ("TXT", "HTML", "EPUB"):
            files.append((f"lib/{folder}/book.{fmt.lower()}", draw(text_bytes())))
    if draw(st.booleans()):
        rows["custom_columns"] = [
            (
                1,
                draw(st.sampled_from(("cw_detected", "warnings"))),
                "x",
                draw(st.sampled_from(("text", "int", "comments", None))),
                0,
                "{}",
            )
        ]
    database = _calibre_db(rows, draw(st.integers(0, 5)))
    files.append(("lib/metadata.db", database))
    return Case("calibre", "lib", tuple(files), cli=draw(st.booleans()))


# --- special files and fixtures -------------------------------------------------------------


@st.composite
def special_cases(draw: st.DrawFn) -> Case:
    special = draw(st.sampled_from(("fifo", "dir", "devzero", "loop", "dangling", "missing")))
    name = draw(st.sampled_from(("story.txt", "story.epub", "story.html", "lib")))
    return Case("special", name, special=special, cli=draw(st.booleans()))


def _fixture_files() -> list[Path]:
    return sorted(
        p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".html", ".epub", ".txt", ".json")
    )


@st.composite
def mutant_cases(draw: st.DrawFn) -> Case:
    source = draw(st.sampled_from(_fixture_files()))
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.integers(0, 4))
        if action == 0:
            data[at] = draw(st.integers(0, 255))
        elif action == 1:
            del data[at:]
        elif action == 2:
            size = draw(st.integers(1, 4096))
            data[at:at] = data[at : at + size] * draw(st.integers(1, 50))
        elif action == 3:
            data[at:at] = _encode(draw(_run()), "utf-8")[:300_000]
        else:
            del data[at : at + draw(st.integers(1, 10_000))]
    return Case(
        "mutant",
        source.name,
        ((source.name, bytes(data)),),
        cli=draw(st.booleans()),
        meta={"from": source.name},
    )


def cases(kinds: tuple[str, ...] = KINDS) -> st.SearchStrategy[Case]:
    families = {
        "txt": txt_cases(),
        "html": html_cases(),
        "epub": epub_cases(),
        "sidecar": sidecar_cases(),
        "calibre": calibre_cases(),
        "special": special_cases(),
        "mutant": mutant_cases(),
    }
    return st.one_of(*(families[k] for k in kinds))
