"""forewarn eval-works / train-works: labelled works read, scanned and measured."""

from __future__ import annotations

import json

import pytest

from forewarn.cli import main
from forewarn.errors import ForewarnError
from forewarn.evaluate_works import BUCKETS, evaluate_works, fold_of, prf
from forewarn.labelled_works import load_records, read_labelled
from tests.conftest import shared_path

SCENE = """The soldier stabbed Tomas in the chest. Blood poured from the wound and soaked the stones.

Tomas fell and lay dead in the square, his eyes open. Nobody moved to close them.
"""
QUIET = """The kettle clicked off and she poured two cups. Outside, the gulls argued over the harbour wall.

He read the weather aloud, then the tide tables, then a piece about the new library in town.
"""


@pytest.fixture
def labelled(tmp_path):
    """Two works in a folder of their own, records one folder up (as the shared data lays them out)."""
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "scene.txt").write_text(SCENE, encoding="utf-8")
    (tmp_path / "members.jsonl").write_text(
        json.dumps({"work_id": 7, "text": QUIET}) + "\n", encoding="utf-8"
    )
    records = tmp_path / "labels" / "careful.jsonl"
    records.parent.mkdir()
    rows = [
        {
            "id": "t:1",
            "file": "stories/scene.txt",
            "words": 40,
            "warn": {
                "death": {"severity": "depicted", "evidence": "lay dead"},
                "war": {"severity": "depicted"},
            },
            "mention": {},
            "archive_warnings": [],
            "who_dies": [{"name": "Tomas", "major": False}],
        },
        {
            "id": "t:2",
            "file": "members.jsonl#7",
            "words": 30,
            "warn": {},
            "mention": {},
            "archive_warnings": [],
        },
    ]
    records.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return records


def test_records_name_files_relative_to_a_folder_above_them(labelled):
    source, records = load_records(labelled.parent)  # a folder holding one records file
    assert source == labelled and [r.id for r in records] == ["t:1", "t:2"]
    assert "stabbed Tomas" in read_labelled(source, records[0]).text
    assert "kettle" in read_labelled(source, records[1]).text  # PATH#ID: one work of a JSON-lines file


def test_eval_works_scores_the_warning_list_against_the_gold(labelled):
    result = evaluate_works(str(labelled))
    assert result["works"] == 2 and result["errors"] == []
    scene, quiet = result["per_work"]
    assert "death" in scene["found"] and scene["missed"] == ["war"]
    assert quiet["found"] == []
    micro = result["micro"]
    assert micro["fn"] >= 1 and micro["tp"] >= 1
    assert micro["tp"] + micro["fn"] == 2  # the gold holds two warnings
    assert [b["bucket"] for b in result["length"]] == [name for name, _, _ in BUCKETS]
    assert result["length"][0]["works"] == 2
    assert result["who_dies"]["tp"] + result["who_dies"]["fn"] == 1


def test_unreadable_record_is_reported_not_fatal(labelled):
    rows = labelled.read_text(encoding="utf-8") + json.dumps(
        {"id": "t:3", "file": "stories/missing.txt", "warn": {}, "mention": {}}
    )
    labelled.write_text(rows + "\n", encoding="utf-8")
    result = evaluate_works(str(labelled))
    assert result["works"] == 2 and [e["path"] for e in result["errors"]] == ["stories/missing.txt"]


def test_a_file_that_is_not_records_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(ForewarnError, match=r"not a WARNINGS\.md record"):
        load_records(bad)


def test_a_binary_records_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "records.jsonl"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00")
    assert main(["eval-works", str(bad)]) == 2
    assert "records.jsonl" in capsys.readouterr().err


def test_prf_and_folds_are_fixed():
    assert prf(0, 0, 0)["f1"] == 0.0
    assert prf(2, 0, 0)["precision"] == 1.0
    folds = {fold_of(r, 5) for r in load_records(shared_path("data", "works-dev", "careful.jsonl"))[1]}
    assert folds == set(range(5))


def test_cli_eval_works_json_and_table(labelled, capsys):
    assert main(["eval-works", str(labelled), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["works"] == 2 and "micro" in data and "archive_where_gold_has_none" in data
    assert main(["eval-works", str(labelled)]) == 0
    out = capsys.readouterr().out
    assert "warn tier micro" in out and "warnings per work by length" in out


def test_cli_eval_works_on_a_missing_path_exits_2(tmp_path, capsys):
    assert main(["eval-works", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_train_works_is_deterministic(labelled, tmp_path, capsys):
    # Two works, one with warnings and one without, are enough for a model to be fitted.
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    assert main(["train-works", str(labelled), "--out", str(first)]) == 0
    assert main(["train-works", str(labelled), "--out", str(second)]) == 0
    a = (first / "work-level.v1.json").read_text(encoding="utf-8")
    assert a == (second / "work-level.v1.json").read_text(encoding="utf-8")
    assert json.loads(a)["trained_on"]["records"] == "careful.jsonl"


def test_dev_works_are_all_read_and_cross_validated():
    records = shared_path("data", "works-dev", "careful.jsonl")
    result = evaluate_works(str(records), cv=5)
    assert result["works"] == 32 and result["errors"] == []
    assert result["settings"]["cv"] == 5
    # Every figure is there; the values themselves are reported in the README, not asserted.
    assert set(result["archive_warnings"]) == {
        "Graphic Depictions Of Violence",
        "Major Character Death",
        "Rape/Non-Con",
        "Underage Sex",
    }
