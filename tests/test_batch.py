"""forewarn batch: inputs of every kind, one row per work in the documented schema, error rows,
resuming, JSON lines and Parquet alike, bounded input, a work that kills its worker."""

from __future__ import annotations

import gzip
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forewarn._native import PanicException
from forewarn.api import scan
from forewarn.batch import (
    Inputs,
    JsonlWriter,
    Record,
    arrow_schema,
    columns,
    json_schema,
    open_writer,
    read_records,
    row_for,
    run_batch,
)
from forewarn.batch import worker as batch_worker
from forewarn.batch.runner import CRASHED
from forewarn.batch.writers import ParquetWriter
from forewarn.cli_batch import main
from forewarn.errors import ForewarnError
from forewarn.library.scanner import ScanOptions, Target
from forewarn.render_json import report_to_dict
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "the-lighthouse-keeper.txt"
SENTENCES = (
    "Kai walked down to the harbour and counted the boats.",
    "The rain drummed on the roof of the old library all night.",
    "Mira laughed and handed him another cup of tea.",
    "He pulled a knife and stabbed the guard, and blood pooled on the stones.",
    "She screamed as the blade cut her arm, and the blood soaked her sleeve.",
    "They talked about the war, the long march and the friends they had lost.",
    "The cat slept in the greenhouse among the tomatoes.",
    "He hit her across the face and she fell against the table.",
    "Jonah lay dead on the floor of the tower, and Mira wept over him.",
    "She dragged the razor across her wrist again and watched it bleed.",
    "By morning the fever had broken and the village was quiet again.",
)
AO3_PAGE = """<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Harbour Lights</title></head>
<body><div id="preface"><h1>Harbour Lights</h1><div class="byline">by Someone</div>
<dl class="tags"><dt>Rating:</dt><dd>Mature</dd><dt>Archive Warning:</dt>
<dd>Graphic Depictions Of Violence</dd></dl></div>
<div id="chapters"><div class="userstuff"><p>Caf\u00e9 owner Kai pulled a knife and stabbed the guard.</p>
<p>Blood pooled on the stones \u2014 he did not stop.</p></div></div></body></html>"""


# --- helpers shared with test_batch_kill.py and test_spark.py ---------------------------------


def make_records(count: int, seed: int = 14, *, html_every: int = 0) -> list[dict[str, Any]]:
    """``count`` short works as ``{"id", "text"}`` records (every ``html_every``-th as HTML)."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for i in range(count):
        chapters = []
        for c in range(rng.randint(1, 3)):
            paragraphs = [" ".join(rng.choice(SENTENCES) for _ in range(4)) for _ in range(rng.randint(2, 5))]
            chapters.append((f"Chapter {c + 1}", paragraphs))
        if html_every and i % html_every == 0:
            body = "".join(
                f"<h2>{title}</h2>" + "".join(f"<p>{p}</p>" for p in paras) for title, paras in chapters
            )
            html = f"<html><head><title>Work {i}</title></head><body>{body}</body></html>"
            records.append({"id": f"w{i:05d}", "html": html})
        else:
            text = f"Work {i}\n\n" + "\n\n".join(t + "\n\n" + "\n\n".join(ps) for t, ps in chapters)
            records.append({"id": f"w{i:05d}", "text": text})
    return records


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return path


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Every row of a JSON-lines output; fails on any line that is not a whole JSON object."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            assert line.endswith("\n"), f"torn line: {line[:80]!r}"
            rows.append(json.loads(line))
    return rows


def validate(row: dict[str, Any]) -> None:
    """Check a row against the shipped JSON Schema (jsonschema when installed, else a small checker)."""
    try:
        import jsonschema
    except ImportError:
        _check(row, json_schema(), "row")
    else:
        jsonschema.validate(row, json_schema(), cls=jsonschema.Draft202012Validator)
    assert tuple(row) == columns()  # the same keys, in the schema's order


def _check(value: Any, spec: dict[str, Any], where: str) -> None:
    kinds = spec.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    python = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list}
    python |= {"object": dict, "null": type(None)}
    ok = any(
        isinstance(value, python[k]) and not (k in ("integer", "number") and isinstance(value, bool))
        for k in kinds
    )
    assert not kinds or ok, f"{where}: {value!r} is not {kinds}"
    assert "enum" not in spec or value in spec["enum"], where
    assert "const" not in spec or value == spec["const"], where
    if isinstance(value, int | float) and not isinstance(value, bool):
        assert spec.get("minimum", value) <= value <= spec.get("maximum", value), where
    if isinstance(value, dict):
        props = spec["properties"]
        assert set(spec.get("required", ())) <= set(value) and set(value) <= set(props), where
        for key, item in value.items():
            _check(item, props[key], f"{where}.{key}")
    if isinstance(value, list):
        for n, item in enumerate(value):
            _check(item, spec["items"], f"{where}[{n}]")


def _batch(*argv: str) -> int:
    return main(["batch", *argv])


# --- the row ---------------------------------------------------------------------------------


def test_row_holds_what_the_json_report_says_without_spoilers():
    row = row_for(Record(str(EXAMPLE), "file", target=Target(str(EXAMPLE))), ScanOptions())
    report = report_to_dict(scan(EXAMPLE))
    validate(row)
    assert row["error"] is None and row["path"] == str(EXAMPLE) and row["format"] == "text"
    assert [(w["label"], w["severity"], w["confidence"]) for w in row["warnings"]] == [
        (w["label"], w["severity"], w["confidence"]) for w in report["warnings"]
    ]
    assert [a["name"] for a in row["archive_warnings"]] == [a["name"] for a in report["archive_warnings"]]
    assert row["words"] == report["words"] and row["detectors"] == report["detectors"]
    assert row["chapter_count"] == len(row["chapters"]) == len(report["chapters"])
    text = json.dumps(row)
    assert '"evidence"' not in text and '"characters"' not in text  # no passages, no names of who dies


def test_html_record_is_read_as_utf_8_whatever_its_meta_charset_says():
    row = row_for(Record("h", "html", data=AO3_PAGE), ScanOptions())
    validate(row)
    assert row["error"] is None and row["kind"] == "html" and row["path"] is None
    assert "violence" in [w["label"] for w in row["warnings"]]


def test_bytes_and_lone_surrogates_and_empty_text():
    options = ScanOptions(who=False)
    from_bytes = row_for(Record("b", "bytes", data=EXAMPLE.read_bytes()), options)
    assert from_bytes["error"] is None and from_bytes["words"] == report_to_dict(scan(EXAMPLE))["words"]
    assert row_for(Record("s", "text", data="He stabbed him \ud800 and blood ran."), options)["error"] is None
    empty = row_for(Record("e", "text", data="  \n"), options)
    validate(empty)
    assert empty["error"] == "text is empty" and empty["warnings"] is None and empty["detectors"]
    too_big = row_for(Record("t", "text", data="word " * 300), ScanOptions(max_bytes=1000))
    assert "over the 1,000-byte limit" in too_big["error"]


def test_arrow_schema_is_the_json_schema():
    pytest.importorskip("pyarrow")
    schema = arrow_schema()
    assert tuple(schema.names) == columns()
    assert str(schema.field("warnings").type.value_type.field("first_chapter").type) == "int64"
    assert not schema.field("id").nullable and schema.field("error").nullable


# --- inputs ------------------------------------------------------------------------------------


def test_records_files_give_each_kind_and_bad_lines_give_problems(tmp_path):
    (tmp_path / "fics").mkdir()
    (tmp_path / "fics" / "a.txt").write_text("He stabbed the guard.", encoding="utf-8")
    lines = [
        json.dumps({"id": 7, "text": "story"}),
        json.dumps({"id": "h", "html": "<p>x</p>", "text": "ignored: html wins"}),
        json.dumps({"id": "p", "path": "fics/a.txt"}),
        "",
        "not json",
        json.dumps(["a list"]),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "n"}),
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(read_records(str(tmp_path / "r.jsonl")))
    assert [(r.id, r.kind) for r in records[:3]] == [("7", "text"), ("h", "html"), ("p", "path")]
    assert records[2].path == str(tmp_path / "fics" / "a.txt")  # relative to the records file
    bad = records[3:]
    assert [r.id for r in bad] == [f"{tmp_path / 'r.jsonl'}:{n}" for n in (5, 6, 7)] + ["n"]
    assert all(r.problem for r in bad)
    with gzip.open(tmp_path / "r.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines))  # and no newline at the end
    inputs = Inputs.of([str(tmp_path / "r.jsonl.gz")])
    assert inputs.count() == 8 and len(list(inputs)) == 7


def test_a_record_over_the_line_limit_is_skipped_not_held(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "x" * 5000}) + "\n" + json.dumps({"id": "ok", "text": "y"}) + "\n"
    )
    records = list(read_records(str(path), max_line=1000))
    assert [r.id for r in records] == [f"{path}:1", "ok"]
    assert "over the 1,000-byte limit" in (records[0].problem or "")


# --- runs --------------------------------------------------------------------------------------


def test_batch_of_files_folders_globs_and_records_writes_one_valid_row_each(tmp_path, capsys):
    folder = tmp_path / "fics"
    (folder / "deep").mkdir(parents=True)
    (folder / "one.txt").write_text("Mira laughed. He stabbed the guard and blood pooled.", encoding="utf-8")
    (folder / "deep" / "two.html").write_text(AO3_PAGE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8")  # not a story suffix: not taken from a folder
    records = write_jsonl(tmp_path / "works.jsonl", [*make_records(6, html_every=3), {"id": "e", "text": ""}])
    out = tmp_path / "rows.jsonl"
    code = _batch(
        str(folder), str(EXAMPLE), str(tmp_path / "nothing-*.txt"), str(records), "--out", str(out), "-j", "2"
    )
    assert code == 0
    rows = read_rows(out)
    for row in rows:
        validate(row)
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(rows) == 3 + 1 + 1 + 7
    assert by_id[str(folder / "deep" / "two.html")]["kind"] == "file"
    assert by_id[str(folder / "empty.txt")]["error"] == "file is empty"
    assert by_id[str(tmp_path / "nothing-*.txt")]["error"] == "no file matches this pattern"
    assert by_id["e"]["error"] == "text is empty"
    assert by_id["w00000"]["kind"] == "html" and by_id["w00001"]["kind"] == "text"
    assert "12 rows written" in capsys.readouterr().out


def test_second_run_skips_every_id_written_and_duplicates_give_one_row(tmp_path, capsys):
    works = make_records(10)
    records = write_jsonl(tmp_path / "works.jsonl", [*works[:6], works[0], *works[6:]])  # w00000 twice
    out = tmp_path / "rows.jsonl"
    assert _batch(str(records), "--out", str(out), "-j", "1", "--summary-json") == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["written"], first["duplicates"], first["skipped"]) == (10, 1, 0)
    assert _batch(str(records), "--out", str(out), "-j", "1", "--summary-json") == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["written"], second["skipped"], second["duplicates"]) == (0, 11, 0)
    assert sorted(r["id"] for r in read_rows(out)) == [w["id"] for w in works]


def test_torn_last_line_is_cut_off_and_its_work_scanned_again(tmp_path):
    out = tmp_path / "rows.jsonl"
    records = make_records(5)
    writer = JsonlWriter(out)
    run_batch((Record(r["id"], "text", data=r["text"]) for r in records[:3]), writer, jobs=1)
    writer.close()
    whole = out.read_bytes()
    out.write_bytes(whole[: len(whole) - 40])  # the last row torn mid-write
    writer = JsonlWriter(out)
    assert len(writer.ids()) == 2 and out.read_bytes().endswith(b"\n")
    summary = run_batch((Record(r["id"], "text", data=r["text"]) for r in records), writer, jobs=1)
    writer.close()
    assert (summary.written, summary.skipped) == (3, 2)
    assert sorted(r["id"] for r in read_rows(out)) == [r["id"] for r in records]


def test_only_one_run_writes_an_output_at_a_time(tmp_path):
    writer = JsonlWriter(tmp_path / "rows.jsonl")
    try:
        with pytest.raises(ForewarnError, match="another forewarn batch is writing"):
            JsonlWriter(tmp_path / "rows.jsonl")
    finally:
        writer.close()


def test_parquet_output_equals_jsonl_and_resumes_by_parts(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    records = write_jsonl(
        tmp_path / "works.jsonl", [*make_records(9, html_every=4), {"id": "e", "text": " "}]
    )
    assert _batch(str(records), "--out", str(tmp_path / "rows.jsonl"), "-j", "2", "-q") == 0
    out = tmp_path / "rows.parquet"
    # A part a kill interrupted before its rename: removed, and its rows scanned again.
    out.mkdir()
    (out / ".part-00003.parquet.tmp").write_bytes(b"half a part")
    writer = ParquetWriter(out, part_rows=4)
    first = [Record(r["id"], "text", data=r.get("text") or "") for r in make_records(9, html_every=4)[:5]]
    run_batch(first[:5], writer, jobs=1)
    writer.close()
    assert sorted(p.name for p in out.iterdir()) == [
        ".forewarn-batch.lock",
        "part-00000.parquet",
        "part-00001.parquet",
    ]
    for stale in out.glob("part-*"):
        stale.unlink()  # start over, through the command line this time
    assert _batch(str(records), "--out", str(out), "-j", "2", "-q", "--part-rows", "4") == 0
    assert _batch(str(records), "--out", str(out), "-j", "2", "-q", "--part-rows", "4") == 0
    assert len(list(out.glob("part-*.parquet"))) == 3
    table = pq.read_table(out)
    assert table.schema.equals(arrow_schema())
    parquet_rows = sorted(table.to_pylist(), key=lambda r: r["id"])
    jsonl_rows = sorted(read_rows(tmp_path / "rows.jsonl"), key=lambda r: r["id"])
    assert parquet_rows == jsonl_rows


class _Counted:
    """Records handed out one at a time, counting how many were taken."""

    def __init__(self, records: list[Record]) -> None:
        self.records, self.taken = records, 0

    def __iter__(self) -> Iterator[Record]:
        for record in self.records:
            self.taken += 1
            yield record


def test_input_is_read_only_as_fast_as_rows_are_written(tmp_path):
    counted = _Counted([Record(r["id"], "text", data=r["text"]) for r in make_records(60)])
    ahead: list[int] = []

    class Watch:
        written = 0

        def start(self, total: int | None) -> None:
            pass

        def advance(self, row: dict[str, Any]) -> None:
            Watch.written += 1
            ahead.append(counted.taken - Watch.written)

    writer = open_writer(tmp_path / "rows.jsonl")
    run_batch(counted, writer, jobs=1, chunk=2, progress=Watch())
    writer.close()
    # 1 worker: at most 2 * 1 + 2 chunks of 2 records out at once (and one chunk being filled).
    assert max(ahead) <= (2 * 1 + 2) * 2 + 2, ahead
    assert Watch.written == 60


def poisoned_chunk(records: list[Record]) -> Any:
    """A worker task that dies (as in an out-of-memory kill) on the work with id "poison"."""
    if any(r.id == "poison" for r in records):
        os._exit(9)
    return batch_worker.scan_chunk(records)


def test_a_work_that_kills_its_worker_becomes_an_error_row_and_the_rest_go_on(tmp_path):
    works = [Record(r["id"], "text", data=r["text"]) for r in make_records(12)]
    works.insert(5, Record("poison", "text", data="It looked like any other story."))
    writer = open_writer(tmp_path / "rows.jsonl")
    summary = run_batch(works, writer, jobs=2, chunk=2, chunk_fn=poisoned_chunk)
    writer.close()
    rows = {r["id"]: r for r in read_rows(tmp_path / "rows.jsonl")}
    assert len(rows) == 13 and summary.written == 13 and summary.errors == 1
    assert rows["poison"]["error"] == CRASHED
    assert all(r["error"] is None for i, r in rows.items() if i != "poison")


def test_usage_errors_exit_2(tmp_path, capsys):
    assert _batch("--out", str(tmp_path / "rows.jsonl")) == 2
    assert "nothing to scan" in capsys.readouterr().err
    (tmp_path / "file.parquet").write_text("not a folder")
    assert _batch(str(EXAMPLE), "--out", str(tmp_path / "file.parquet")) == 2
    assert "not a folder of Parquet parts" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _batch(str(EXAMPLE), "--out", str(tmp_path / "rows.jsonl"), "--jobs", "0")


@pytest.mark.parametrize("bug", [RuntimeError("boom"), PanicException("boom")], ids=["python", "panic"])
def test_a_bug_on_one_record_becomes_its_error_row(
    monkeypatch: pytest.MonkeyPatch, bug: BaseException
) -> None:
    def failing(record: Record, options: ScanOptions) -> Any:
        raise bug

    monkeypatch.setattr(batch_worker, "_scan", failing)
    row = row_for(Record("w1", "text", data="She ran home."), ScanOptions())
    assert row["error"] == f"internal error: {type(bug).__name__}: boom"
