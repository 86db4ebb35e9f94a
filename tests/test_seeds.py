"""The seeds' acceptance rows from ../shared/seeds/EXPECTED.md ("must" and "must not" only)."""

from __future__ import annotations

import pytest

import forewarn
from tests.conftest import shared_path

SEXUAL = ["pornographic-content", "sexual-assault", "incest", "underage"]
NEVER = [
    *SEXUAL,
    "self-harm",
    "suicide",
    "abuse",
    "racism",
    "homophobia",
    "misogyny",
    "ableism",
    "pregnancy",
    "childbirth",
    "miscarriages",
    "abortion",
    "eating-disorders",
    "animal-death",
    "animal-cruelty",
    "war",
    "abduction",
]
SEEDS = {
    "000_1f5270f4df896558.txt": {
        "must": ["death", "blood"],
        "must_not": NEVER,
    },
    "003_73d3285b3b136fb8.txt": {
        "must": ["self-harm", "death", "blood"],
        "must_not": [x for x in NEVER if x not in ("self-harm", "suicide")],
    },
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_gets_every_must_label_and_no_must_not_label(name):
    report = forewarn.scan(shared_path("seeds", name))
    found = {v.label for v in report.warnings}
    assert set(SEEDS[name]["must"]) <= found
    assert not set(SEEDS[name]["must_not"]) & found


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_earns_major_character_death_through_a_named_character(name):
    report = forewarn.scan(shared_path("seeds", name))
    (mcd,) = [a for a in report.archive_warnings if a.name == "Major Character Death"]
    assert mcd.characters


def test_seed_000_author_note_is_not_story():
    report = forewarn.scan(shared_path("seeds", "000_1f5270f4df896558.txt"))
    text = report.work.text
    (note,) = [s for s in report.work.sections if s.kind == "author-note"]
    assert text[note.start : note.end] == "I should not listen to sad music while writing."


def test_seed_003_foreword_is_not_story():
    report = forewarn.scan(shared_path("seeds", "003_73d3285b3b136fb8.txt"))
    first = report.work.sections[0]
    assert first.kind == "foreword"
    assert report.work.text[first.start : first.end].startswith("Forwards:")
    assert report.work.sections[1].kind == "story"
