"""Bytes to text: encodings people have, mojibake, binary and empty files."""

from __future__ import annotations

import codecs
import pickle

import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", as Windows tools decode
import pytest

from forewarn.errors import ForewarnError, UnreadableInputError
from forewarn.readers.decode import SNIFF_BYTES, decode_bytes

# Every character here exists in windows-1252, so each encoding below can carry it.
SAMPLE = "“Don’t go,” Zoë said. Café — naïve… 25°C\nThe second line.\n"


@pytest.mark.parametrize(
    ("name", "data", "note"),
    [
        ("utf-8", SAMPLE.encode("utf-8"), None),
        ("utf-8 with BOM", codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), None),
        ("utf-16 LE with BOM", codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "UTF-16 (little-endian)"),
        ("utf-16 BE with BOM", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "UTF-16 (big-endian)"),
        ("utf-16 LE without BOM", SAMPLE.encode("utf-16-le"), "UTF-16 (little-endian, no BOM)"),
        ("utf-16 BE without BOM", SAMPLE.encode("utf-16-be"), "UTF-16 (big-endian, no BOM)"),
        ("utf-32 LE with BOM", codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "UTF-32 (little-endian)"),
        ("windows-1252", SAMPLE.encode("cp1252"), "windows-1252"),
    ],
)
def test_decode_reads_each_common_encoding(name: str, data: bytes, note: str | None) -> None:
    text, notes = decode_bytes(data, "story.txt")
    assert text == SAMPLE, name
    if note is None:
        assert notes == ()
    else:
        assert any(note in n for n in notes), notes


def test_decode_falls_back_to_latin1_for_bytes_windows1252_leaves_undefined() -> None:
    text, notes = decode_bytes(b"caf\xe9 \x81ok", "story.txt")
    assert text == "café \x81ok"
    assert notes == ("decoded as latin-1",)


def test_decode_keeps_utf8_and_reads_stray_windows1252_bytes_as_such() -> None:
    data = "Zoë said".encode() + b" \x93hi\x94"
    text, notes = decode_bytes(data, "story.txt")
    assert text == "Zoë said “hi”"
    assert notes == ("decoded as UTF-8 with some windows-1252 bytes",)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"one\r\ntwo\r\n\r\nthree", "one\ntwo\n\nthree"),
        (b"one\rtwo\r\rthree", "one\ntwo\n\nthree"),
        (b"one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
        ("one\r\ntwo".encode("utf-16"), "one\ntwo"),
    ],
)
def test_decode_normalises_newlines(data: bytes, expected: str) -> None:
    assert decode_bytes(data, "story.txt")[0] == expected


@pytest.mark.parametrize(
    "damaged",
    [
        # UTF-8 read as windows-1252 and saved as UTF-8 again: "â€™" for "’".
        SAMPLE.encode("utf-8").decode("sloppy-windows-1252"),
        # The same, but only on some lines of the file.
        SAMPLE.splitlines()[0].encode("utf-8").decode("sloppy-windows-1252") + "\nThe second line.\n",
    ],
)
def test_decode_repairs_mojibake(damaged: str) -> None:
    assert "â€" in damaged
    text, notes = decode_bytes(damaged.encode("utf-8"), "story.txt")
    assert text == SAMPLE
    assert "repaired mojibake" in notes


@pytest.mark.parametrize(
    "legit",
    [
        "Ça va ? À bientôt. Où est l’hôtel ?",
        "Señor Ñandú, ¿qué año? ¡Sí!",
        "Die Größe der Straße; Ørsted; Dvořák in Łódź.",
        "Ελληνικά, русский, 日本語, 한국어.",
        "naïve résumé — “quoted” … café…",
        "ÂÊÎÔÛ ÀÉÈ",
        SAMPLE,
    ],
)
def test_decode_leaves_legitimate_accented_text_alone(legit: str) -> None:
    assert decode_bytes(legit.encode("utf-8"), "story.txt") == (legit, ())


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00mimetypeapplication/epub+zip",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>",
        bytes(range(256)) * 4,
        bytes(range(1, 32)) * 40,  # no NUL, but nothing but control characters
        b"\x00" * 64,
    ],
)
def test_decode_rejects_binary_files(data: bytes) -> None:
    with pytest.raises(UnreadableInputError) as caught:
        decode_bytes(data, "cover.png")
    assert str(caught.value) == "cover.png: looks like a binary file, not text"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t\r\n",
        codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b"\n\n",
        codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
    ],
)
def test_decode_rejects_empty_files(data: bytes) -> None:
    with pytest.raises(UnreadableInputError) as caught:
        decode_bytes(data, "empty.txt")
    assert str(caught.value) == "empty.txt: file is empty"
    assert caught.value.path == "empty.txt"
    assert caught.value.problem == "file is empty"


def test_decode_drops_nul_padding_at_the_end_of_a_text_file() -> None:
    text, notes = decode_bytes(b"The river was calm.\n" + b"\x00" * 100, "story.txt")
    assert text == "The river was calm.\n"
    assert notes == ("dropped NUL padding at the end",)


def test_decode_drops_nul_characters_inside_utf16_text() -> None:
    text, notes = decode_bytes(codecs.BOM_UTF16_LE + "calm\x00 river".encode("utf-16-le"), "story.txt")
    assert text == "calm river"
    assert "dropped 1 NUL character" in notes


def test_decode_drops_stray_nuls_past_the_sniffed_start_of_a_text_file() -> None:
    data = b"calm river. " * (SNIFF_BYTES // 12 + 1) + b"\x00end"
    text, notes = decode_bytes(data, "story.txt")
    assert text.endswith("river. end") and "\x00" not in text
    assert notes == ("dropped 1 stray NUL byte",)


def test_unreadable_input_error_is_one_line_and_pickles() -> None:
    error = UnreadableInputError("dir/story.txt", "file is empty")
    assert isinstance(error, ForewarnError)
    assert str(error) == "dir/story.txt: file is empty"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.problem, str(copy)) == (error.path, error.problem, str(error))
