"""forewarn.evaluate: metrics on hand-made lists, grouped folds, the `forewarn eval` JSON contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from forewarn.cli import main
from forewarn.evaluate import (
    balanced_accuracy,
    balanced_sample,
    grouped_folds,
    precision_recall_f1,
    report,
)
from tests.conftest import shared_path
from tests.test_train import write_synthetic


def test_balanced_accuracy_averages_the_two_recalls():
    assert balanced_accuracy([1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 1]) == pytest.approx((0.5 + 0.75) / 2)


def test_precision_recall_f1_of_the_positive_class():
    p, r, f = precision_recall_f1([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])
    assert (p, r) == pytest.approx((2 / 3, 2 / 3))
    assert f == pytest.approx(2 / 3)


def test_precision_recall_f1_are_zero_when_nothing_is_predicted():
    assert precision_recall_f1([1, 0], [0, 0]) == (0.0, 0.0, 0.0)


def test_balanced_sample_takes_all_positives_and_is_fixed_by_seed():
    gold = np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    first = balanced_sample(gold, 3)
    assert set(np.flatnonzero(gold)) <= set(first.tolist())
    assert len(first) == 4
    assert first.tolist() == balanced_sample(gold, 3).tolist()


def test_report_gives_pooled_and_per_warning_figures():
    warnings = ["war", "war", "war", "death", "death", "death"]
    gold = np.array([1, 0, 0, 1, 0, 0])
    result = report(warnings, gold, np.array([0.9, 0.6, 0.1, 0.2, 0.1, 0.0]))
    assert list(result["warnings"]) == ["war", "death"]
    war = result["warnings"]["war"]
    assert war["balanced_accuracy"] == pytest.approx(0.75)
    assert war["n"] == 3
    assert result["warnings"]["death"]["recall"] == 0.0
    assert result["pooled"]["n"] == 6
    assert 0.0 <= result["pooled"]["balanced_f1"] <= 1.0


def test_grouped_folds_never_split_a_work():
    rows = [{"work_id": str(i % 13), "warning": ("war", "death")[i % 2]} for i in range(100)]
    folds = grouped_folds(rows, 5)
    assert sorted(i for f in folds for i in f.tolist()) == list(range(100))
    works = [{rows[i]["work_id"] for i in f.tolist()} for f in folds]
    for a in range(5):
        for b in range(a + 1, 5):
            assert not works[a] & works[b]
    assert [f.tolist() for f in folds] == [f.tolist() for f in grouped_folds(rows, 5)]


@pytest.mark.parametrize("extra", [[], ["--cv", "2"], ["--detectors", "lexicon"], ["--gold", "minority"]])
def test_eval_json_has_pooled_and_warnings(tmp_path, capsys, extra):
    data = write_synthetic(tmp_path / "passages.jsonl")
    assert main(["eval", str(data), "--format", "json", *extra]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"pooled", "warnings"}
    for figures in [result["pooled"], *result["warnings"].values()]:
        assert {"balanced_accuracy", "f1", "balanced_f1", "n"} <= set(figures)
    assert result["pooled"]["n"] == 40


def test_eval_table_prints_the_pooled_row(tmp_path, capsys):
    data = write_synthetic(tmp_path / "passages.jsonl")
    assert main(["eval", str(data)]) == 0
    assert "pooled" in capsys.readouterr().out


def test_eval_on_the_real_file_with_a_limit(capsys):
    data = shared_path("data", "passages-train.jsonl")
    assert main(["eval", str(data), "--limit", "60", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["pooled"]["n"] == 60


def test_eval_names_a_malformed_file(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no labels"}\n', encoding="utf-8")
    assert main(["eval", str(bad)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err
