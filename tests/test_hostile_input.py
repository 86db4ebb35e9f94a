"""Regression tests for the classes of hostile input the fuzzer found (issue 11), one per class.

The slow-regular-expression class has its own file (``test_hostile_speed.py``), Calibre's
junk rows and read-only opening theirs (``test_readers_calibre.py``, ``test_calibre_real.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest

from forewarn import api, cli
from forewarn._native import PanicException
from forewarn.errors import UnreadableInputError
from forewarn.model import word_count
from forewarn.readers.epub import open_epub
from forewarn.readers.html_text import MAX_DEPTH, decode_html, parse_html, text_encoding
from forewarn.readers.sniff import read_work
from forewarn.who import analyse_who
from forewarn.who.windows import analyse_in_windows, window_bounds
from tests.conftest import shared_path
from tests.fuzz.cases import _patch_headers
from tests.test_readers_epub import _doc, make_epub

# --- 1. a declared charset that is not a text encoding ---------------------------------------


@pytest.mark.parametrize(
    "charset", ["base64", "hex", "rot13", "zlib", "uu", "utf-7", "idna", "nope", "utf\x00"]
)
def test_a_charset_that_is_no_text_encoding_is_ignored(charset: str) -> None:
    page = f'<html><head><meta charset="{charset}"></head><body><p>café</p></body></html>'.encode()
    text, _ = decode_html(page)
    assert "café" in text


def test_only_text_encodings_are_codecs_for_a_page() -> None:
    assert text_encoding("UTF8") == "utf-8" and text_encoding("Shift_JIS") == "shift_jis"
    assert text_encoding("base64") is None and text_encoding("punycode") is None


def test_an_html_file_and_an_epub_declaring_base64_are_read(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b'<html><head><meta charset="base64"></head><body><p>She ran.</p></body></html>')
    assert "She ran." in read_work(page).text
    doc = b'<?xml version="1.0" encoding="base64"?><html><body><p>He hid.</p></body></html>'
    book = make_epub(tmp_path / "b.epub", [("one.xhtml", doc)])
    assert "He hid." in read_work(book).text


# --- 2. zip features zipfile does not support ------------------------------------------------


def test_a_zip_that_asks_for_a_newer_zip_version_is_a_clear_error(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "new.epub", [("one.xhtml", _doc("<p>Hi.</p>"))])
    path.write_bytes(_patch_headers(path.read_bytes(), "version", 64, 0))
    with pytest.raises(UnreadableInputError, match="unsupported zip archive"):
        read_work(path)


def test_a_member_with_an_unknown_compression_method_is_skipped_or_refused(tmp_path: Path) -> None:
    path = make_epub(
        tmp_path / "odd.epub", [("one.xhtml", _doc("<p>One.</p>")), ("two.xhtml", _doc("<p>Two.</p>"))]
    )
    path.write_bytes(_patch_headers(path.read_bytes(), "method", 99, 3))  # the first chapter
    work = read_work(path)
    assert "Two." in work.text and "One." not in work.text
    assert any("one.xhtml" in note for note in work.source.notes)


# --- 3. FanFicFare sidecars of the wrong shape -----------------------------------------------

FANFICFARE_PAGE = (
    '<html><head><meta charset="utf-8"><title>T</title></head><body><h3>T</h3>'
    '<div><b>Category:</b> Naruto<br/></div><a name="section0001"></a><h2>Chapter</h2>'
    "<div><p>Sasuke walked home.</p></div></body></html>"
)


@pytest.mark.parametrize(
    "sidecar",
    [
        {"title": 5, "author": None, "category": True, "characters": [1, None, {"a": 1}], "rating": [[1]]},
        {"description": {"nested": ["x"]}, "numWords": "many", "warnings": 3.5},
    ],
)
def test_a_sidecar_with_values_of_the_wrong_type_is_read_around(
    tmp_path: Path, sidecar: dict[str, object]
) -> None:
    (tmp_path / "story.html").write_text(FANFICFARE_PAGE, encoding="utf-8")
    (tmp_path / "story.html.json").write_text(json.dumps(sidecar), encoding="utf-8")
    work = read_work(tmp_path / "story.html")
    assert "Sasuke walked home." in work.text


def test_a_sidecar_nested_deeper_than_json_can_go_is_ignored_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(FANFICFARE_PAGE, encoding="utf-8")
    (tmp_path / "story.html.json").write_text(
        '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8"
    )
    work = read_work(tmp_path / "story.html")
    assert any("ignored unreadable metadata sidecar" in note for note in work.source.notes)


# --- 5. hangs: special files, nesting ---------------------------------------------------------


def _read_in_child(path: Path) -> subprocess.CompletedProcess[str]:
    """``forewarn scan PATH`` in a child process, so a regression cannot hang the suite."""
    command = [sys.executable, "-m", "forewarn.cli", "scan", str(path), "--no-who"]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableInputError, match="named pipe"):
        read_work(fifo)
    done = _read_in_child(fifo)
    assert done.returncode == 2 and "is a named pipe, not a story file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "story.epub"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnreadableInputError, match="character device"):
        read_work(link)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(UnreadableInputError, match="cannot open"):
        read_work(loop)


def test_markup_nested_thousands_deep_is_flattened_to_its_text() -> None:
    root = parse_html("<body>" + "<h1>x " * 5000 + "</body>")
    depth, stack = 0, [(root, 0)]
    while stack:
        el, d = stack.pop()
        depth = max(depth, d)
        stack.extend((child, d + 1) for child in el)
    assert depth <= MAX_DEPTH
    assert root.text_content().count("x") > 1000  # the text stays (lxml keeps what it parsed)


def test_nesting_within_real_pages_is_untouched() -> None:
    root = parse_html(
        "<body><div><p>a<b>b<i>c<span>d</span></i></b></p><!--n--><script>s()</script></div></body>"
    )
    assert root.xpath("count(//span)") == 1 and root.xpath("count(//script)") == 1


# --- 6. memory: archives and long stories ----------------------------------------------------


def test_the_text_read_from_an_archive_is_capped_by_max_bytes(tmp_path: Path) -> None:
    chapter = _doc("<p>" + "word " * 60_000 + "</p>")  # 300 KB each, compresses well
    path = make_epub(tmp_path / "many.epub", [(f"c{i}.xhtml", chapter) for i in range(8)])
    assert path.stat().st_size < 100_000
    with pytest.raises(UnreadableInputError, match="bytes of text, the limit"):
        open_epub(path, max_bytes=1_000_000)
    assert "word" in open_epub(path, max_bytes=4_000_000).documents[0][1].xpath("string()")


def test_words_are_counted_as_split_counts_them() -> None:
    text = "one  two\nthree\u2003four " * 1000 + "five"
    assert word_count(text, chunk=7) == word_count(text) == len(text.split())


def test_a_long_story_analysed_in_windows_keeps_its_characters_and_deaths() -> None:
    from forewarn.readers.txt import read_text_file

    work = read_text_file(shared_path("seeds", "000_1f5270f4df896558.txt"))
    whole = analyse_who(work)
    size = len(work.text) // 3
    assert len(window_bounds(work.text, size)) >= 3

    def analyse(part, findings):  # type: ignore[no-untyped-def]
        return analyse_who(part, findings)

    windowed = analyse_in_windows(work, (), analyse, size=size)
    main = [c.name for c in whole.characters[:3]]
    assert set(main) <= {c.name for c in windowed.characters}
    for character in windowed.characters:  # offsets point into the whole work
        for start, end in character.mentions:
            assert work.text[start:end].strip()
    assert set(whole.who_dies) <= set(windowed.who_dies) | set()


def test_windows_cut_at_paragraph_breaks_and_cover_the_text() -> None:
    text = ("A paragraph of story text.\n\n" * 2000) + "The end."
    bounds = window_bounds(text, 10_000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(bounds))
    assert all(text[end - 2 : end] == "\n\n" for _, end in bounds[:-1])


# --- a bug on one input never stops a batch --------------------------------------------------


@pytest.mark.parametrize("bug", [KeyError("a bug"), PanicException("a bug")], ids=["python", "native-panic"])
def test_an_unexpected_error_on_one_file_is_reported_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], bug: BaseException
) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("She ran home in the rain.", encoding="utf-8")
    bad.write_text("He walked.", encoding="utf-8")
    real_scan = api.scan  # the CLI imports it when it scans

    def scan(path, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "bad.txt":
            raise bug
        return real_scan(path, **kwargs)

    monkeypatch.setattr(api, "scan", scan)
    code = cli.main(["scan", str(bad), str(good), "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"bad.txt: internal error, please report it: {type(bug).__name__}" in err
    assert "Traceback" not in err
    assert '"words": 6' in out or json.loads(out.splitlines()[-1])["words"] == 6


def test_zip_helper_patches_both_headers() -> None:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("a.txt", b"a")
    patched = _patch_headers(buffer.getvalue(), "version", 64, 0)
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(io.BytesIO(patched))
