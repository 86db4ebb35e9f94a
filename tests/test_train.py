"""forewarn.train: reproducible models from labelled passages."""

from __future__ import annotations

import json
from pathlib import Path

from forewarn.cli import main
from forewarn.detectors.classifier import ClassifierDetector, PassageModel
from forewarn.model import Passage
from forewarn.train import load_rows, train_model

_YES = "he stabbed the guard with a knife and blood ran over his fist as the man screamed"
_NO = "she said the film had a fight scene but it was fun and nobody got hurt at all"
_WAR_YES = "the soldiers of the army shelled the city and the civilians fled the battle"
_WAR_NO = "they played a board game about war and laughed about the little soldier pieces"


def write_synthetic(path: Path) -> Path:
    """40 labelled passages of two warnings in 20 works, votes varying."""
    rows = []
    for i in range(40):
        warning = "violence" if i < 20 else "war"
        positive = i % 2 == 0
        text = (_YES if positive else _NO) if warning == "violence" else (_WAR_YES if positive else _WAR_NO)
        votes = [1, 1, i % 3 == 0] if positive else [0, i % 5 == 0, 0]
        rows.append(
            {
                "warning": warning,
                "labels": [int(v) for v in votes],
                "text": f"{text} {i}",
                "work_id": str(i // 2),
            }
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_train_twice_gives_identical_bytes(tmp_path):
    data = write_synthetic(tmp_path / "passages.jsonl")
    assert main(["train", str(data), "--out", str(tmp_path / "a")]) == 0
    assert main(["train", str(data), "--out", str(tmp_path / "b")]) == 0
    first = (tmp_path / "a" / "passage-clf.v2.npz").read_bytes()
    assert first == (tmp_path / "b" / "passage-clf.v2.npz").read_bytes()


def test_trained_model_round_trips_and_separates_the_classes(tmp_path):
    model = train_model(load_rows(write_synthetic(tmp_path / "passages.jsonl")))
    assert model.warnings == ("violence", "war")
    model.save(tmp_path / "m.npz")
    loaded = PassageModel.load(tmp_path / "m.npz")
    assert (loaded.weights == model.weights).all()
    detector = ClassifierDetector(tmp_path / "m.npz")
    yes = detector.detect([Passage(0, 0, len(_YES), 0, _YES)])
    no = detector.detect([Passage(0, 0, len(_NO), 0, _NO)])
    assert max(f.score for f in yes if f.label == "violence") > max(
        (f.score for f in no if f.label == "violence"), default=0.0
    )
