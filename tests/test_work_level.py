"""The work-level decision: tiers, features that cannot grow with neutral text, the shipped model."""

from __future__ import annotations

import json

import pytest

import forewarn
from forewarn import aggregate, work_level
from forewarn.model import Finding
from forewarn.work_level import FEATURES, WorkLevelModel, default_model, gore_terms, states_minor
from tests.conftest import REPO, shared_path

NEUTRAL = (
    "The kettle clicked off and she poured two cups. Outside, the gulls argued over the harbour wall "
    "and the fishing boats came in one by one, their lights swinging. He read the paper aloud, the "
    "weather first, then the tide tables, then a long piece about the new library in town."
)


def _finding(label, score, passage, severity="depicted"):
    return Finding(label, score, severity, passage, 0, 1, "x", "test.v1")


def test_features_are_what_the_model_reads():
    model = default_model()
    assert len(model.weights) == len(FEATURES)
    assert model.name == work_level.NAME
    evidence = aggregate.label_evidence([_finding("blood", 0.8, 0), _finding("blood", 0.6, 3)], 10, ())
    blood = evidence["blood"]
    assert blood.vector() == [0.8, 0.6, 0.0, 0.2, 0.0, 0.0, 0.0]


def test_mentions_and_scenes_make_different_features():
    told = aggregate.label_evidence([_finding("death", 0.9, 0, "mentioned")], 10, ())["death"]
    assert (told.top_onpage, told.top_mentioned, told.onpage) == (0.0, 0.9, 0)


def test_model_round_trips_through_json():
    model = WorkLevelModel((1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), -1.5, "x.v1")
    assert WorkLevelModel.from_json(json.loads(json.dumps(model.to_json()))) == model


def test_model_with_other_features_is_refused():
    data = WorkLevelModel((1.0,) * len(FEATURES), 0.0).to_json()
    data["features"] = ["something", "else"]
    with pytest.raises(ValueError, match="features"):
        WorkLevelModel.from_json(data)


def test_shipped_model_file_notes_its_training_data():
    path = REPO / "src" / "forewarn" / "detectors" / "models" / "work-level.v1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["trained_on"]["records"] == "careful.jsonl" and data["trained_on"]["examples"] > 50


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("The blade slid between his ribs and blood pooled under him.", 4),
        ("He punched the wall and left.", 0),
    ],
)
def test_gore_terms_count_distinct_words_of_bodily_damage(text, count):
    assert gore_terms(text) == count


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("She was only fifteen.", True),
        ("a 14-year-old boy", True),
        ("He had turned sixteen that spring.", True),
        ("They met in junior high", True),
        ("the teenagers at the party", False),
        ("She was eighteen and at university.", False),
        ("It happened fifteen years ago.", False),
        ("He was seventeen years old", True),
    ],
)
def test_states_minor_needs_an_age_under_18_or_an_unmistakable_status(text, minor):
    assert states_minor(text) is minor


def _warned(text: str) -> set[str]:
    return {v.label for v in forewarn.scan_text(text).warnings}


@pytest.mark.parametrize("seed", ["000_1f5270f4df896558.txt", "003_73d3285b3b136fb8.txt"])
def test_adding_neutral_text_adds_no_warning(seed):
    story = shared_path("seeds", seed).read_text(encoding="utf-8")
    padded = story + "\n\n" + "\n\n".join([NEUTRAL] * 60)
    assert _warned(padded) <= _warned(story)


def test_a_long_neutral_story_gets_no_warning():
    assert _warned("\n\n".join([NEUTRAL] * 200)) == set()


@pytest.mark.parametrize(
    "backstory",
    [
        "Years ago, before any of this, his brother had died in the war, and nobody spoke of it.",
        "She remembered the day her father died. It was years ago now.",
    ],
)
def test_a_death_in_backstory_is_a_mention_not_a_warning(backstory):
    report = forewarn.scan_text(backstory + "\n\n" + "\n\n".join([NEUTRAL] * 3))
    assert [v.label for v in report.warnings] == []
    assert [v.label for v in report.mentions] == ["death"]
    data = report.to_dict()
    assert data["warnings"] == [] and [(m["label"], m["tier"]) for m in data["mentions"]] == [
        ("death", "mention")
    ]


def test_a_death_on_the_page_is_a_warning():
    scene = (
        "The soldier stabbed him in the chest. Blood poured from the wound and he fell dead on the stones."
    )
    report = forewarn.scan_text(scene + "\n\n" + NEUTRAL)
    assert {"death", "blood"} <= {v.label for v in report.warnings}
    assert all(v.tier == "warn" and v.severity != "mentioned" for v in report.warnings)
