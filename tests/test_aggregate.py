from __future__ import annotations

from forewarn import aggregate
from forewarn.labels import LABEL_NAMES, MAJOR_CHARACTER_DEATH
from forewarn.model import Finding, Passage
from tests.conftest import story_work

TEXT = "Anna walked home. Later, Anna fell. Blood ran down. Then Anna died on the stairs."


def _passages():
    return [Passage(0, 0, 17, 0, TEXT[0:17]), Passage(1, 18, len(TEXT), 0, TEXT[18:])]


def _finding(label, score, start, end, passage=1, severity="depicted"):
    return Finding(label, score, severity, passage, start, end, TEXT[start:end], "test.v1")


def test_verdicts_cover_every_label_in_taxonomy_order():
    verdicts = aggregate.verdicts(story_work(TEXT), _passages(), [])
    assert [v.label for v in verdicts] == list(LABEL_NAMES)
    assert not any(v.present for v in verdicts)


def test_confidence_is_noisy_or_of_best_score_per_passage():
    start = TEXT.index("Blood")
    findings = [
        _finding("blood", 0.6, start, start + 15),
        _finding("blood", 0.3, start, start + 15),  # same passage: only the best counts
        _finding("blood", 0.5, 0, 17, passage=0),
    ]
    blood = aggregate.verdicts(story_work(TEXT), _passages(), findings)[LABEL_NAMES.index("blood")]
    assert blood.confidence == round(1 - 0.4 * 0.5, 4)
    assert blood.passages == 2 and blood.present
    assert blood.first_chapter == 0 and blood.first_percent == 0.0
    assert [e.score for e in blood.evidence] == [0.6, 0.5]


def test_weak_findings_stay_below_the_threshold():
    f = _finding("war", 0.2, 0, 17, passage=0)
    war = aggregate.verdicts(story_work(TEXT), _passages(), [f])[LABEL_NAMES.index("war")]
    assert war.confidence == 0.2 and not war.present


def test_major_character_death_needs_a_named_character():
    start = TEXT.index("Then")
    unnamed = [_finding("death", 0.9, start, len(TEXT))]
    work = story_work(TEXT)

    verdicts = aggregate.verdicts(work, _passages(), unnamed)
    assert aggregate.archive_warnings(verdicts) == ()

    verdicts = aggregate.verdicts(work, _passages(), unnamed, who_dies=("Anna",))
    (mcd,) = aggregate.archive_warnings(verdicts)
    assert mcd.name == MAJOR_CHARACTER_DEATH and mcd.characters == ("Anna",) and mcd.because == ("death",)


def test_graphic_violence_needs_graphic_severity():
    f = _finding("violence", 0.9, 0, 17, passage=0, severity="depicted")
    assert aggregate.archive_warnings(aggregate.verdicts(story_work(TEXT), _passages(), [f])) == ()
    g = _finding("violence", 0.9, 0, 17, passage=0, severity="graphic")
    names = [
        a.name for a in aggregate.archive_warnings(aggregate.verdicts(story_work(TEXT), _passages(), [g]))
    ]
    assert names == ["Graphic Depictions Of Violence"]


def test_weak_passages_corroborate_only_a_convincing_one():
    weak = [_finding("death", 0.4, 0, 17, passage=0), _finding("death", 0.4, 18, 30, passage=1)]
    death = aggregate.verdicts(story_work(TEXT), _passages(), weak)[LABEL_NAMES.index("death")]
    assert death.confidence == 0.4 and not death.present  # two threats are not a death

    strong = [_finding("death", 0.6, 0, 17, passage=0), _finding("death", 0.4, 18, 30, passage=1)]
    death = aggregate.verdicts(story_work(TEXT), _passages(), strong)[LABEL_NAMES.index("death")]
    assert death.confidence == round(1 - 0.4 * 0.6, 4) and death.present
