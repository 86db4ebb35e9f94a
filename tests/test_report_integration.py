"""End to end: real files through readers, detectors, who-analysis and the JSON contract."""

from __future__ import annotations

import json
import sqlite3

import pytest

import forewarn
from forewarn.cli import main
from tests.conftest import shared_path

FORMATS = {"text", "ao3-html", "ao3-epub", "fanficfare-epub", "fanficfare-html", "ffn-html", "epub", "html"}
DECLARED_KEYS = {
    "rating",
    "archive_warnings",
    "categories",
    "fandoms",
    "relationships",
    "characters",
    "additional_tags",
    "summary",
}


@pytest.mark.parametrize(
    "name",
    [
        "23009290-htmlTest.html",
        "23009290-epubTest.epub",
        "218676-incompleteWork.html",
        "218676-incompleteWork.epub",
    ],
)
def test_ao3_download_follows_the_json_contract(name):
    doc = forewarn.scan(shared_path("fixtures", "ao3", name)).to_dict()
    doc = json.loads(json.dumps(doc))
    assert doc["source"]["format"] in FORMATS and doc["source"]["format"].startswith("ao3-")
    assert set(doc["declared"]) >= DECLARED_KEYS
    assert doc["schema"] == "1.2"
    assert doc["chapters"] and all(
        {"index", "title", "start", "end", "warnings", "mentions"} <= set(c) for c in doc["chapters"]
    )
    assert [c["index"] for c in doc["chapters"]] == list(range(1, len(doc["chapters"]) + 1))
    warned = {w["label"] for w in doc["warnings"]}
    assert {w["label"] for c in doc["chapters"] for w in c["warnings"]} == warned
    assert all(isinstance(w["declared"], bool) for w in doc["warnings"])
    statuses = [row["status"] for row in doc["declared_vs_detected"]]
    order = {"detected-only": 0, "both": 1, "declared-only": 2}
    assert statuses == sorted(statuses, key=order.__getitem__), "detected-only must come first"
    for c in doc["characters"]:
        assert {"name", "aliases", "mentions"} <= set(c)
    for r in doc["relationships"]:
        assert {"name", "kind", "confidence"} <= set(r) and r["kind"] in ("romantic", "platonic")


def test_declared_violence_is_marked_declared_and_reads_the_same_from_html_and_epub():
    html = forewarn.scan(shared_path("fixtures", "ao3", "23009290-htmlTest.html"))
    epub = forewarn.scan(shared_path("fixtures", "ao3", "23009290-epubTest.epub"))
    assert html.work.text == epub.work.text
    assert [(v.label, v.confidence) for v in html.warnings] == [
        (v.label, v.confidence) for v in epub.warnings
    ]
    assert html.verdict("violence").declared and html.verdict("violence").present
    assert ("violence", "both") in html.comparison
    assert html.warning_stance == "warned"
    assert html.who is not None
    assert "Honoroit Banlardois/Emmanellain de Fortemps" in [r.name for r in html.who.relationships]


def test_no_archive_warnings_apply_is_a_claim_the_report_checks():
    report = forewarn.scan(shared_path("fixtures", "ao3", "218676-incompleteWork.epub"))
    assert report.warning_stance == "no-warnings-apply"
    assert all(status == "detected-only" for _, status in report.comparison)


def test_who_dies_is_a_spoiler_shown_only_with_passages():
    report = forewarn.scan(shared_path("seeds", "000_1f5270f4df896558.txt"))
    hidden, shown = report.to_dict(), report.to_dict(show_passages=True)
    assert hidden["spoilers_hidden"] and not shown["spoilers_hidden"]
    assert hidden["who_dies"] == []
    assert [a["characters"] for a in hidden["archive_warnings"]] == [[]]
    assert shown["who_dies"] == ["Uchiha Sasuke"]
    (mcd,) = shown["archive_warnings"]
    assert mcd["name"] == "Major Character Death" and mcd["characters"] == ["Uchiha Sasuke"]
    death = next(w for w in shown["warnings"] if w["label"] == "death")
    assert death["characters"] == ["Uchiha Sasuke"]
    assert shown["fandom"]["name"] == "Naruto"
    assert "Hatake Kakashi/Haruno Sakura" in [r["name"] for r in shown["relationships"]]


def test_without_who_analysis_major_character_death_is_not_claimed():
    report = forewarn.scan(shared_path("seeds", "000_1f5270f4df896558.txt"), who=False)
    assert report.who is None and report.archive_warnings == ()
    assert "death" in [v.label for v in report.warnings]


def _calibre_library(root, story_text):
    book_dir = root / "Ann Author" / "A Story (3)"
    book_dir.mkdir(parents=True)
    (book_dir / "A Story - Ann Author.txt").write_text(story_text, encoding="utf-8")
    db = sqlite3.connect(root / "metadata.db")
    db.executescript(
        """CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, path TEXT);
        CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE books_authors_link (id INTEGER PRIMARY KEY, book INTEGER, author INTEGER);
        CREATE TABLE data (id INTEGER PRIMARY KEY, book INTEGER, format TEXT, uncompressed_size INTEGER,
                           name TEXT);
        CREATE TABLE custom_columns (id INTEGER PRIMARY KEY, label TEXT, name TEXT, datatype TEXT);
        INSERT INTO books VALUES (3, 'A Story', 'Ann Author/A Story (3)'), (4, 'Only PDF', 'x/y (4)');
        INSERT INTO authors VALUES (1, 'Ann Author');
        INSERT INTO books_authors_link VALUES (1, 3, 1);
        INSERT INTO data VALUES (1, 3, 'TXT', 10, 'A Story - Ann Author'), (2, 4, 'PDF', 10, 'y');"""
    )
    db.commit()
    db.close()
    return root


def test_calibre_library_is_scanned_by_book_id_without_being_modified(tmp_path, capsys):
    story = "Lena cut herself with the razor, and the blood ran down her arm into the sink."
    library = _calibre_library(tmp_path / "library", story)
    before = (library / "metadata.db").read_bytes()
    code = main(["scan", "--format", "jsonl", str(library)])
    out, err = capsys.readouterr()
    (line,) = out.splitlines()
    doc = json.loads(line)
    assert doc["source"]["calibre_id"] == 3 and doc["title"] == "A Story"
    assert "self-harm" in [w["label"] for w in doc["warnings"]]
    assert code == 2 and "Only PDF" in err  # a book with no readable format is an error, not a stop
    assert (library / "metadata.db").read_bytes() == before


def test_table_puts_what_the_reader_was_not_told_first(capsys):
    path = shared_path("fixtures", "ao3", "23009290-htmlTest.html")
    assert main(["scan", str(path)]) == 0
    out = capsys.readouterr().out
    flat = " ".join(out.split())  # the console wraps long lines
    assert "Declared: Graphic Depictions Of Violence; labels from tags and notes: Blood, Violence" in flat
    lines = [line.split(":")[0] for line in out.splitlines() if line.startswith(("Detected,", "Declared "))]
    assert lines == sorted(
        lines, key=["Detected, not declared", "Declared and detected", "Declared, not detected"].index
    )
    assert "Fandom: Final Fantasy XIV" in flat
    assert "Honoroit Banlardois/Emmanellain de Fortemps (romantic" in flat


def test_table_names_the_chapters_that_hold_a_warning(capsys):
    path = shared_path("fixtures", "ao3", "218676-incompleteWork.html")
    assert main(["scan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Chapters: ch 2: body hatred (central)" in " ".join(out.split())
