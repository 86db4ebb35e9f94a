from __future__ import annotations

from forewarn import aggregate
from forewarn.labels import LABEL_NAMES, MAJOR_CHARACTER_DEATH
from forewarn.model import Finding, Passage
from forewarn.work_level import WorkLevelModel
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


# A work-level model for these tests: warn exactly when some passage shows the label on the page
# with a score of at least 0.5 (the shipped weights are fitted on labelled works and may change).
ON_PAGE = WorkLevelModel((20.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), -10.0, "test-work-level")


def _verdicts(findings, who_dies=(), text=TEXT, passages=None):
    return aggregate.verdicts(story_work(text), passages or _passages(), findings, who_dies, model=ON_PAGE)


def test_presence_is_noisy_or_of_best_score_per_passage():
    start = TEXT.index("Blood")
    findings = [
        _finding("blood", 0.6, start, start + 15),
        _finding("blood", 0.3, start, start + 15),  # same passage: only the best counts
        _finding("blood", 0.5, 0, 17, passage=0),
    ]
    blood = _verdicts(findings)[LABEL_NAMES.index("blood")]
    assert blood.presence == round(1 - 0.4 * 0.5, 4)
    assert blood.passages == 2 and blood.present and blood.tier == "warn"
    assert blood.confidence == round(ON_PAGE.warn_probability(_evidence(findings, "blood")), 4)
    assert blood.first_chapter == 0 and blood.first_percent == 0.0
    assert [e.score for e in blood.evidence] == [0.6, 0.5]


def _evidence(findings, label):
    return aggregate.label_evidence(findings, len(_passages()), ())[label]


def test_weak_findings_stay_below_the_threshold():
    f = _finding("war", 0.2, 0, 17, passage=0)
    war = _verdicts([f])[LABEL_NAMES.index("war")]
    assert war.presence == 0.2 and not war.present and war.tier == "absent"


def test_a_label_only_mentioned_is_folded_apart_from_the_warnings():
    told = _finding("death", 0.8, 0, 17, passage=0, severity="mentioned")
    death = _verdicts([told])[LABEL_NAMES.index("death")]
    assert death.tier == "mention" and death.present and death.severity == "mentioned"
    assert death.confidence < 0.5 <= death.presence


def test_a_warning_off_the_page_is_central():
    # The shipped model can warn on strong mentions (a story about a death it never shows).
    central = WorkLevelModel((0.0, 0.0, 20.0, 0.0, 0.0, 0.0, 0.0), -10.0, "test")
    told = _finding("suicide", 0.8, 0, 17, passage=0, severity="mentioned")
    verdicts = aggregate.verdicts(story_work(TEXT), _passages(), [told], model=central)
    suicide = verdicts[LABEL_NAMES.index("suicide")]
    assert suicide.tier == "warn" and suicide.severity == "central"


def test_major_character_death_needs_a_named_major_character():
    start = TEXT.index("Then")
    unnamed = [_finding("death", 0.9, start, len(TEXT))]

    assert aggregate.archive_warnings(_verdicts(unnamed)) == ()

    verdicts = _verdicts(unnamed, who_dies=("Anna",))
    (mcd,) = aggregate.archive_warnings(verdicts)
    assert mcd.name == MAJOR_CHARACTER_DEATH and mcd.characters == ("Anna",) and mcd.because == ("death",)
    assert aggregate.archive_warnings(verdicts, major={"Anna"}) == (mcd,)
    assert aggregate.archive_warnings(verdicts, major={"Bob"}) == ()  # a minor character's death


def test_archive_warnings_come_from_the_warning_list_only():
    told = _finding("sexual-assault", 0.9, 0, 17, passage=0, severity="mentioned")
    assert aggregate.archive_warnings(_verdicts([told])) == ()
    shown = _finding("sexual-assault", 0.9, 0, 17, passage=0)
    assert [a.name for a in aggregate.archive_warnings(_verdicts([shown]))] == ["Rape/Non-Con"]


def test_underage_sex_needs_a_stated_age_or_minor_status():
    text = "They kissed in the dark and then more. She was only fourteen."
    passages = [Passage(0, 0, len(text), 0, text)]
    vague = Finding("underage", 0.9, "depicted", 0, 0, 29, text[:29], "test.v1")
    stated = Finding("underage", 0.9, "depicted", 0, 0, len(text), text, "test.v1")
    assert aggregate.archive_warnings(_verdicts([vague], text=text, passages=passages)) == ()
    names = [a.name for a in aggregate.archive_warnings(_verdicts([stated], text=text, passages=passages))]
    assert names == ["Underage Sex"]


GORY = "The blade tore through his ribs and blood spurted over the shattered bone. "
PUNCH = "He punched the man once and walked away. "


def _violent_work(paragraphs):
    text = "\n\n".join(paragraphs)
    passages, findings, start = [], [], 0
    for i, paragraph in enumerate(paragraphs):
        end = start + len(paragraph)
        passages.append(Passage(i, start, end, 0, paragraph))
        findings.append(Finding("violence", 0.9, "depicted", i, start, end, paragraph, "test.v1"))
        start = end + 2
    return aggregate.verdicts(story_work(text), passages, findings, model=ON_PAGE)


def test_graphic_violence_needs_a_scene_that_lingers_on_wounds():
    punches = _violent_work([PUNCH] * 4)
    assert punches[LABEL_NAMES.index("violence")].severity == "depicted"
    assert aggregate.archive_warnings(punches) == ()
    one_wound = _violent_work([GORY, PUNCH, PUNCH, PUNCH])
    assert aggregate.archive_warnings(one_wound) == ()
    gore = _violent_work([GORY, GORY, PUNCH, GORY])
    assert gore[LABEL_NAMES.index("violence")].severity == "graphic"
    assert [a.name for a in aggregate.archive_warnings(gore)] == ["Graphic Depictions Of Violence"]


def test_weak_passages_corroborate_only_a_convincing_one():
    weak = [_finding("death", 0.4, 0, 17, passage=0), _finding("death", 0.4, 18, 30, passage=1)]
    death = _verdicts(weak)[LABEL_NAMES.index("death")]
    assert death.presence == 0.4 and not death.present  # two threats are not a death

    strong = [_finding("death", 0.6, 0, 17, passage=0), _finding("death", 0.4, 18, 30, passage=1)]
    death = _verdicts(strong)[LABEL_NAMES.index("death")]
    assert death.presence == round(1 - 0.4 * 0.6, 4) and death.present


def test_a_death_scene_warns_of_death_too():
    scene = _finding("dying", 0.9, TEXT.index("Then"), len(TEXT))
    verdicts = _verdicts([scene], who_dies=("Anna",))
    death = verdicts[LABEL_NAMES.index("death")]
    assert verdicts[LABEL_NAMES.index("dying")].tier == "warn"
    assert death.tier == "warn" and death.severity == "depicted" and death.characters == ("Anna",)
    assert death.evidence and death.evidence[0].text == scene.evidence
    # Without anyone named dying there is no death scene (WARNINGS.md), so neither is warned.
    assert {v.label for v in _verdicts([scene]) if v.tier == "warn"} == set()
