"""The library index: add / list / show / remove / export, scanned once per bytes and versions,
one work per hash, error rows that never stop a run, search, labels, profiles, WAL."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from forewarn import cli_library
from forewarn._native import PanicException
from forewarn.api import scan_text
from forewarn.library import Library, ScanOptions, Step, Target, current_versions, default_path, scan_target
from forewarn.library.targets import expand
from forewarn.model import Report
from tests.conftest import shared_path

VIOLENT = """Dana walked into the bar and the man swung at her. She ducked and he hit the wall.

He pulled a knife and stabbed Dana in the side. Blood poured over her fingers and soaked her shirt.

Dana fell. She lay dead on the floor, her eyes open, and the bar went quiet. Oren knelt over Dana.
"""
CALM = """Harbour Morning

The river was calm. Mira fed the ducks and counted the boats coming in from the bay.

Her brother brought bread and honey, and they watched the gulls until the tide turned.
"""
GARDEN = """The Garden Letters

Ivo wrote to his aunt about the tomatoes, the rain, and the cat that slept in the greenhouse.

She wrote back about her bees and the long summer, and sent him seeds for next spring.
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_library.main(["library", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as a big terminal, so that a title is never cut to fit 80 columns."""
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def stories(tmp_path: Path) -> Path:
    folder = tmp_path / "fics"
    (folder / "deep" / "er").mkdir(parents=True)
    (folder / "violent.txt").write_text(VIOLENT, encoding="utf-8")
    (folder / "deep" / "calm.html").write_text(_page(CALM), encoding="utf-8")
    (folder / "deep" / "er" / "garden.html").write_text(_page(GARDEN), encoding="utf-8")
    return folder


def _page(story: str) -> str:
    """An HTML page of a story whose first line is its title (a .txt file's title is its name)."""
    title, *paragraphs = story.split("\n\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "library.sqlite3"


class Counting:
    """A scanner that counts what it scans, then scans for real (cheaply, without who)."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, target: Target, options: ScanOptions) -> Report:
        self.paths.append(target.path)
        return scan_target(target, options)


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# --- add, list, show, remove, export ---------------------------------------------------------


def test_add_indexes_a_folder_recursively_and_list_shows_warnings(capsys, stories, db):
    code, out, _ = _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    assert code == 0
    assert "3 scanned, 0 unchanged, 0 errors" in out
    code, out, _ = _run(capsys, "list", "--db", str(db))
    assert code == 0
    assert "violent.txt" in out and "Harbour Morning" in out and "The Garden Letters" in out
    assert "violence (" in out and "blood (" in out
    assert "3 works" in out


def test_list_json_is_spoiler_safe_and_complete(capsys, stories, db):
    _run(capsys, "add", str(stories), "--db", str(db))
    code, out, _ = _run(capsys, "list", "--db", str(db), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["hidden"] == 0
    by_title = {w["title"]: w for w in data["works"]}
    violent = by_title["violent.txt"]
    assert {w["label"] for w in violent["warnings"]} >= {"violence", "blood"}
    assert all(set(w) == {"label", "severity", "confidence"} for w in violent["warnings"])
    assert violent["paths"] == [str(stories / "violent.txt")]
    assert len(violent["id"]) == 12 and violent["hash"].startswith(violent["id"])
    assert "Dana" not in json.dumps(violent["warnings"])  # no names of who dies, no passages


def test_show_renders_the_stored_report_without_passages(capsys, stories, db):
    _run(capsys, "add", str(stories), "--db", str(db))
    work = Library(db).works(search="violent")[0]
    code, out, _ = _run(capsys, "show", work.id[:6], "--db", str(db))
    assert code == 0
    assert "violent.txt" in out and "Violence" in out and "Blood" in out
    assert "soaked her shirt" not in out
    assert "--show-passages" in out
    code, out, _ = _run(capsys, "show", work.id, "--db", str(db), "--show-passages")
    assert code == 0
    assert "soaked her shirt" not in out
    assert "forewarn scan --show-passages" in " ".join(out.split())


def test_show_json_holds_the_report_dict_without_evidence(capsys, stories, db):
    _run(capsys, "add", str(stories), "--db", str(db))
    work = Library(db).works(search="violent")[0]
    code, out, _ = _run(capsys, "show", work.id, "--db", str(db), "--format", "json")
    assert code == 0
    data = json.loads(out)
    report = data["report"]
    assert data["hash"] == work.hash and report["source"]["path"] == data["paths"][0]
    assert report["spoilers_hidden"] is True
    assert all("evidence" not in w for w in report["warnings"])
    assert report["who_dies"] == []
    assert report["detectors"] == list(current_versions(who=True))


def test_show_refuses_unknown_short_and_non_hex_ids(capsys, stories, db):
    _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    for bad in ("ffffffff", "ab", "not-hex"):
        code, _, err = _run(capsys, "show", bad, "--db", str(db))
        assert code == 2 and "forewarn: error:" in err


def test_remove_forgets_works_and_an_unknown_id_removes_nothing(capsys, stories, db):
    _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    works = Library(db).works()
    code, _, err = _run(capsys, "remove", works[0].id, "ffffffffffff", "--db", str(db))
    assert code == 2 and "no work with id ffffffffffff" in err
    assert len(Library(db).works()) == 3
    code, out, _ = _run(capsys, "remove", works[0].id, works[1].id, "--db", str(db))
    assert code == 0 and f"removed {works[0].id}" in out
    left = Library(db).works()
    assert [w.id for w in left] == [works[2].id]
    assert _rows(db, "SELECT count(*) FROM paths") == [(1,)]
    assert _rows(db, "SELECT count(*) FROM works_fts") == [(1,)]
    assert _rows(db, "SELECT count(DISTINCT work) FROM labels WHERE work != (SELECT id FROM works)") == [(0,)]


def test_export_jsonl_and_csv(capsys, stories, db, tmp_path):
    _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    code, out, _ = _run(capsys, "export", "--db", str(db))
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 3
    assert {Path(line["paths"][0]).name for line in lines} == {"violent.txt", "calm.html", "garden.html"}
    assert {line["report"]["title"] for line in lines} == {None, "Harbour Morning", "The Garden Letters"}
    assert all(set(line) == {"id", "hash", "paths", "scanned_at", "report"} for line in lines)
    target = tmp_path / "out.csv"
    code, _, err = _run(capsys, "export", "--db", str(db), "--format", "csv", "-o", str(target))
    assert code == 0 and "wrote 3 works" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == 3
    violent = next(r for r in rows if r["title"] == "violent.txt")
    assert "violence (" in violent["warnings"] and violent["paths"] == str(stories / "violent.txt")


def test_read_commands_need_an_existing_library(capsys, tmp_path):
    code, _, err = _run(capsys, "list", "--db", str(tmp_path / "none.sqlite3"))
    assert code == 2 and "no library here yet" in err
    assert not (tmp_path / "none.sqlite3").exists()


def test_add_without_paths_is_a_usage_error(capsys, db):
    code, _, err = _run(capsys, "add", "--db", str(db))
    assert code == 2 and "nothing to add" in err


def test_default_library_lives_in_the_user_data_folder(capsys, stories, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "forewarn" / "library.sqlite3"
    code, _, _ = _run(capsys, "add", str(stories / "violent.txt"), "--no-who")
    assert code == 0
    assert (tmp_path / "data" / "forewarn" / "library.sqlite3").is_file()


# --- scanning once -----------------------------------------------------------------------------


def test_a_second_run_scans_nothing(stories, db):
    counting = Counting()
    with Library(db) as library:
        first = library.add([str(stories)], who=False, scanner=counting)
        second = library.add([str(stories)], who=False, scanner=counting)
    assert (first.scanned, first.unchanged) == (3, 0)
    assert (second.scanned, second.unchanged) == (0, 3)
    assert len(counting.paths) == 3
    assert _rows(db, "SELECT DISTINCT scans FROM works") == [(1,)]


def test_new_detector_versions_or_schema_trigger_a_rescan(stories, db):
    counting = Counting()
    with Library(db) as library:
        library.add([str(stories)], who=False, scanner=counting)
    # As if two works had been scanned by older code: another lexicon, an older report schema.
    connection = sqlite3.connect(db)
    connection.execute(
        "UPDATE works SET versions = ? WHERE title = 'violent.txt'",
        (json.dumps(["lexicon.v0", "passage-clf.v2", "work-level.v1"]),),
    )
    connection.execute("UPDATE works SET schema = '0.9' WHERE title = 'Harbour Morning'")
    connection.commit()
    connection.close()
    with Library(db) as library:
        summary = library.add([str(stories)], who=False, scanner=counting)
        rows = {w.title: w for w in library.works()}
    assert (summary.scanned, summary.unchanged) == (2, 1)
    assert sorted(Path(p).name for p in counting.paths[3:]) == ["calm.html", "violent.txt"]
    assert rows["violent.txt"].scans == 2 and rows["violent.txt"].versions == current_versions(False)
    assert rows["The Garden Letters"].scans == 1


def test_a_report_with_who_serves_a_run_without_it_but_not_the_reverse(stories, db):
    counting = Counting()
    with Library(db) as library:
        assert library.add([str(stories)], who=False, scanner=counting).scanned == 3
        assert library.add([str(stories)], who=True, scanner=counting).scanned == 3  # who was missing
        assert library.add([str(stories)], who=False, scanner=counting).scanned == 0
        assert library.add([str(stories)], who=True, scanner=counting).scanned == 0
        assert {w.versions for w in library.works()} == {current_versions(True)}


def test_current_versions_are_what_a_scan_records():
    text = "He stabbed the guard and blood ran over the stones."
    assert scan_text(text, who=True).detectors == current_versions(True)
    assert scan_text(text, who=False).detectors == current_versions(False)


# --- identity: one work per hash ---------------------------------------------------------------


def test_same_bytes_at_two_paths_are_one_work(stories, db, tmp_path):
    copy = tmp_path / "elsewhere" / "copy-of-violent.txt"
    copy.parent.mkdir()
    copy.write_bytes((stories / "violent.txt").read_bytes())
    counting = Counting()
    with Library(db) as library:
        library.add([str(stories), str(copy)], who=False, scanner=counting)
        works = library.works()
    assert len(works) == 3 and len(counting.paths) == 3
    violent = next(w for w in works if w.title == "violent.txt")
    assert violent.paths == tuple(sorted((str(copy), str(stories / "violent.txt"))))


def test_a_changed_file_replaces_its_old_work(stories, db):
    with Library(db) as library:
        library.add([str(stories)], who=False)
        old = next(w for w in library.works() if w.title == "Harbour Morning")
        (stories / "deep" / "calm.html").write_text(_page(CALM.replace("ducks", "swans")), encoding="utf-8")
        summary = library.add([str(stories)], who=False)
        works = library.works()
    assert (summary.scanned, summary.unchanged) == (1, 2)
    calm = next(w for w in works if w.title == "Harbour Morning")
    assert calm.hash != old.hash and len(works) == 3
    assert calm.paths == (str(stories / "deep" / "calm.html"),)


def test_folders_globs_and_files_expand_to_story_files_once(stories, tmp_path):
    (stories / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (stories / ".hidden").mkdir()
    (stories / ".hidden" / "secret.txt").write_text(VIOLENT, encoding="utf-8")
    named = stories / "notes.md"
    named.write_text(CALM, encoding="utf-8")
    targets = expand([str(stories), str(stories / "**" / "*.txt"), str(named), str(tmp_path / "no*.epub")])
    names = [Path(t.path).name for t in targets]
    assert names == ["violent.txt", "calm.html", "garden.html", "notes.md", "no*.epub"]
    assert targets[-1].problem == "no file matches this pattern"


# --- errors --------------------------------------------------------------------------------------


def test_a_bad_file_is_an_error_row_and_the_run_goes_on(capsys, stories, db):
    (stories / "empty.txt").write_bytes(b"")
    (stories / "broken.epub").write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    assert code == 2
    assert "3 scanned, 0 unchanged, 2 errors" in out
    assert f"{stories / 'empty.txt'}: file is empty" in err
    code, out, _ = _run(capsys, "list", "--errors", "--db", str(db), "--format", "json")
    errors = {Path(e["path"]).name: e["problem"] for e in json.loads(out)["errors"]}
    assert errors.keys() == {"empty.txt", "broken.epub"}
    assert "file is empty" in errors["empty.txt"]
    code, out, _ = _run(capsys, "list", "--errors", "--db", str(db))
    assert "empty.txt" in out


def test_a_known_bad_file_is_not_retried_until_it_changes(stories, db):
    bad = stories / "broken.epub"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    counting = Counting()
    with Library(db) as library:
        library.add([str(stories)], who=False, scanner=counting)
        again = library.add([str(stories)], who=False, scanner=counting)
        assert len(again.errors) == 1 and not again.errors[0].fresh
        assert counting.paths.count(str(bad)) == 1
        bad.unlink()
        bad.with_suffix(".txt").write_text("A short story about a storm at sea.", encoding="utf-8")
        bad.with_suffix(".txt").rename(bad)  # the same path, now readable bytes
        fixed = library.add([str(stories)], who=False, scanner=counting)
        assert not fixed.errors and library.errors() == []


def test_a_bug_while_scanning_one_work_is_recorded_and_the_rest_indexed(stories, db):
    def flaky(target: Target, options: ScanOptions) -> Report:
        if target.path.endswith("calm.html"):
            raise RuntimeError("boom")
        return scan_target(target, options)

    with Library(db) as library:
        summary = library.add([str(stories)], who=False, scanner=flaky)
        assert summary.scanned == 2
        (error,) = library.errors()
    assert error.path.endswith("calm.html")
    assert error.problem == "internal error, please report it: RuntimeError: boom"


def test_progress_hears_about_every_target(stories, db):
    seen: list[Step] = []
    totals: list[int] = []

    class Recorder:
        def start(self, total: int) -> None:
            totals.append(total)

        def advance(self, step: Step) -> None:
            seen.append(step)

    (stories / "empty.txt").write_bytes(b"")
    with Library(db) as library:
        library.add([str(stories)], who=False, progress=Recorder())
    assert totals == [4]
    assert sorted(s.outcome for s in seen) == ["error", "scanned", "scanned", "scanned"]


# --- Calibre -------------------------------------------------------------------------------------


def _calibre_library(root: Path) -> Path:
    root.mkdir()
    db = sqlite3.connect(root / "metadata.db")
    db.executescript(
        """
        CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, path TEXT);
        CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE books_authors_link (id INTEGER PRIMARY KEY, book INTEGER, author INTEGER);
        CREATE TABLE data (id INTEGER PRIMARY KEY, book INTEGER, format TEXT, uncompressed_size INTEGER,
                           name TEXT);
        INSERT INTO books VALUES (1, 'Knife Night', 'Ann/Knife Night (1)'), (2, 'Only a PDF', 'Ann/PDF (2)');
        INSERT INTO authors VALUES (1, 'Ann');
        INSERT INTO books_authors_link VALUES (1, 1, 1), (2, 2, 1);
        INSERT INTO data VALUES (1, 1, 'TXT', 10, 'Knife Night - Ann'), (2, 2, 'PDF', 10, 'PDF - Ann');
        """
    )
    db.commit()
    db.close()
    book = root / "Ann" / "Knife Night (1)"
    book.mkdir(parents=True)
    (book / "Knife Night - Ann.txt").write_text(VIOLENT.split("\n", 2)[2], encoding="utf-8")
    return root


def test_a_calibre_library_is_indexed_book_by_book(capsys, tmp_path, db):
    calibre = _calibre_library(tmp_path / "calibre")
    code, out, _ = _run(capsys, "add", "--calibre", str(calibre), "--db", str(db), "--no-who")
    assert code == 2  # the PDF-only book is an error row
    assert "1 scanned" in out
    with Library(db) as library:
        (work,) = library.works()
        assert work.calibre_id == 1 and work.title == "Knife Night"
        assert any("no format forewarn reads (PDF)" in e.problem for e in library.errors())
        # A Calibre library named as a plain PATH is read the same way, and nothing is rescanned.
        again = library.add([str(calibre)], who=False)
        assert (again.scanned, again.unchanged) == (0, 1)


# --- search, labels, profiles --------------------------------------------------------------------


def test_search_finds_title_author_fandom_tags_and_summary(stories, db):
    ao3 = stories / "tagged.html"
    ao3.write_text(
        "<html><head><title>Tagged</title></head><body><h1>Tagged</h1><p>Plain story text.</p></body></html>",
        encoding="utf-8",
    )
    with Library(db) as library:
        library.add([str(stories)], who=False)
        assert [w.title for w in library.works(search="harbour")] == ["Harbour Morning"]
        assert [w.title for w in library.works(search="title:garden")] == ["The Garden Letters"]
        assert [w.title for w in library.works(search="harb*")] == ["Harbour Morning"]
        assert library.works(search="nonexistentword") == []
        # Not valid FTS5 ("-" and a lone quote): searched as plain words instead of failing.
        assert [w.title for w in library.works(search="garden-letters")] == ["The Garden Letters"]
        assert [w.title for w in library.works(search='garden"')] == ["The Garden Letters"]


def test_search_reads_the_authors_fandoms_tags_and_summary(db):
    files = sorted(shared_path("fixtures", "ao3").glob("*.html"))  # two real AO3 downloads
    with Library(db) as library:
        library.add([str(f) for f in files], who=False)

        def found(query: str) -> list[str]:
            return [Path(w.paths[0]).name for w in library.works(search=query)]

        assert found("fandom:valdemar") == ["218676-incompleteWork.html"]
        assert found('"chest wounds"') == ["23009290-htmlTest.html"]  # an additional tag
        assert found("tags:honoroit") == ["23009290-htmlTest.html"]  # a relationship
        assert found("summary:jkatha") == ["218676-incompleteWork.html"]
        assert found("hurt/comfort") == ["23009290-htmlTest.html"]  # not FTS5: plain words


def test_list_search_and_label_on_the_command_line(capsys, stories, db):
    _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    code, out, _ = _run(capsys, "list", "--search", "garden", "--db", str(db))
    assert code == 0 and "The Garden Letters" in out and "violent.txt" not in out
    assert "1 work matches" in out
    code, out, _ = _run(capsys, "list", "--label", "violence,blood", "--db", str(db))
    assert "violent.txt" in out and "Harbour Morning" not in out
    code, out, _ = _run(capsys, "list", "--label", "suicide", "--db", str(db))
    assert "No works match." in out
    with pytest.raises(SystemExit):
        cli_library.main(["library", "list", "--label", "violnce", "--db", str(db)])


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text('[labels]\nblood = "hide"\nviolence = "fold"\n', encoding="utf-8")
    return path


def test_list_profile_hides_and_folds(capsys, stories, db, profile):
    _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    code, out, _ = _run(capsys, "list", "--profile", str(profile), "--db", str(db))
    assert code == 0
    assert "violent.txt" not in out and "Harbour Morning" in out
    assert "1 work hidden by your profile; --show-hidden lists them with the reason" in out
    code, out, _ = _run(capsys, "list", "--profile", str(profile), "--show-hidden", "--db", str(db))
    assert "violent.txt" in out
    flat = " ".join(out.split())
    assert "hidden by your profile: blood (blood = hide)" in flat
    assert "folded: violence (violence =" in flat


def test_list_profile_json_carries_the_judgement(capsys, stories, db, tmp_path):
    folding = tmp_path / "fold.toml"
    folding.write_text('[labels]\nviolence = "fold"\n', encoding="utf-8")
    _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    code, out, _ = _run(capsys, "list", "--profile", str(folding), "--db", str(db), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["hidden"] == 0
    violent = next(w for w in data["works"] if w["title"] == "violent.txt")
    assert violent["profile"]["action"] == "fold" and violent["profile"]["folded"] == ["violence"]
    _, out, _ = _run(capsys, "list", "--profile", str(folding), "--db", str(db))
    flat = " ".join(out.split())
    assert "folded: violence (violence = fold)" in flat


def test_list_default_profile_and_a_bad_profile(capsys, stories, db, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    _run(capsys, "add", str(stories), "--db", str(db), "--no-who")
    code, out, _ = _run(capsys, "list", "--profile", "default", "--db", str(db))
    assert code == 0 and "3 works" in out  # no default profile file: the empty profile shows all
    (tmp_path / "config" / "forewarn").mkdir(parents=True)
    (tmp_path / "config" / "forewarn" / "profile.toml").write_text(
        '[labels]\nblood = "hide"\n', encoding="utf-8"
    )
    code, out, _ = _run(capsys, "list", "--profile", "default", "--db", str(db))
    assert "2 works" in out and "1 work hidden" in out
    code, out, _ = _run(capsys, "list", "--db", str(db))
    assert "3 works" in out  # without --profile nothing is hidden
    bad = tmp_path / "bad.toml"
    bad.write_text('[labels]\nviolnce = "hide"\n', encoding="utf-8")
    code, _, err = _run(capsys, "list", "--profile", str(bad), "--db", str(db))
    assert code == 2 and "did you mean violence" in err


# --- the file ------------------------------------------------------------------------------------


def test_the_library_file_is_in_wal_mode_and_sound(stories, db):
    with Library(db) as library:
        library.add([str(stories)], who=False)
        assert library.pragma("journal_mode") == "wal"
        assert library.pragma("integrity_check") == "ok"
    assert _rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert _rows(db, "PRAGMA user_version") == [(1,)]


def test_a_file_that_is_not_a_library_is_refused(capsys, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    code, _, err = _run(capsys, "list", "--db", str(junk))
    assert code == 2 and "not a forewarn library" in err


def test_another_programs_database_is_left_alone(capsys, stories, tmp_path):
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    code, _, err = _run(capsys, "add", str(stories), "--db", str(other), "--no-who")
    assert code == 2 and "not a forewarn library" in err
    assert _rows(other, "SELECT name FROM sqlite_master") == [("notes",)]


def test_every_library_subcommand_and_option_has_help_text():
    parser = argparse.ArgumentParser()
    cli_library.add_parser(parser.add_subparsers(dest="command"))
    library = next(a for a in parser._actions if a.dest == "command").choices["library"]
    assert library.description
    commands = next(a for a in library._actions if a.dest == "library_command")
    assert commands.help and set(commands.choices) == {"add", "list", "show", "remove", "export"}
    for name, sub in commands.choices.items():
        assert sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.dest}"


def test_export_writes_to_any_text_stream(stories, db):
    with Library(db) as library:
        library.add([str(stories)], who=False)
        buffer = io.StringIO()
        assert library.export("jsonl", buffer) == 3
    assert len(buffer.getvalue().splitlines()) == 3


def test_a_native_panic_while_scanning_one_work_is_recorded_too(stories, db):
    # PyO3 raises a panic in the native core as a BaseException, which `except Exception` misses.
    def panicking(target: Target, options: ScanOptions) -> Report:
        if target.path.endswith("calm.html"):
            raise PanicException("index out of bounds")
        return scan_target(target, options)

    with Library(db) as library:
        summary = library.add([str(stories)], who=False, scanner=panicking)
        assert summary.scanned == 2
        (error,) = library.errors()
    assert error.problem == "internal error, please report it: PanicException: index out of bounds"
