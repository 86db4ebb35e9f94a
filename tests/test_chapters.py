"""Per-chapter warnings: every chapter's verdicts come from the work's evidence and never contradict
the work's (``aggregate.chapter_verdicts``), in the Report, the JSON and the table's chapter strip."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import forewarn
from forewarn import aggregate
from forewarn.evaluate_works import Scanned, reports, scan_records
from forewarn.labels import LABEL_NAMES
from forewarn.model import (
    WORK_SEVERITIES,
    Chapter,
    ChapterReport,
    ChapterVerdict,
    Finding,
    Passage,
    Report,
    Section,
    Source,
    Work,
    WorkSeverity,
)
from forewarn.render_table import chapter_strip, render_report
from forewarn.work_level import WorkLevelModel
from tests.conftest import REPO, shared_path


def _rank(severity: WorkSeverity) -> int:
    return WORK_SEVERITIES.index(severity)


def check_chapters(report: Report) -> None:
    """The invariants between a Report's work-level verdicts and its chapter verdicts."""
    work = report.work
    assert [(c.index, c.title) for c in report.chapters] == [
        (i, c.title) for i, c in enumerate(work.chapters)
    ]
    for chapter in report.chapters:
        labels = [v.label for v in chapter.verdicts]
        assert labels == sorted(labels, key=LABEL_NAMES.index), "taxonomy order, one verdict a label"
        assert len(set(labels)) == len(labels)
        for cv in chapter.verdicts:
            assert cv.tier in ("warn", "mention") and 0.0 <= cv.confidence <= 1.0
            assert (cv.severity == "mentioned") == (cv.tier == "mention")
    for v in report.verdicts:
        held = [cv for c in report.chapters for cv in c.verdicts if cv.label == v.label]
        warned = [cv for cv in held if cv.tier == "warn"]
        if v.tier == "warn" and report.chapters:
            # (a) a work's warning is a warning in at least one chapter …
            assert warned, f"{v.label}: a work-level warning in no chapter"
            # (b) … no chapter's severity ranks above the work's, and some chapter reaches it.
            assert max(_rank(cv.severity) for cv in warned) == _rank(v.severity), v.label
            assert all(cv.confidence <= v.confidence for cv in warned), v.label
        else:
            # (a) a chapter warns of a label only when the work does.
            assert not warned, f"{v.label}: a chapter warning of a work-level {v.tier}"
        if v.tier == "mention" and report.chapters:
            # (c) a label the work only mentions is a mention in at least one chapter (and only that).
            assert held, f"{v.label}: a work-level mention in no chapter"
        if v.tier == "absent":
            assert not held, f"{v.label}: absent from the work but held by a chapter"
        # (c) a chapter of a warned label that only mentions it lists it as a mention.
        assert all(cv.confidence <= v.presence for cv in held if cv.tier == "mention"), v.label
    if len(work.chapters) == 1:
        # A work of one chapter: the chapter says what the work says.
        (only,) = report.chapters
        assert [(cv.label, cv.tier, cv.severity) for cv in only.verdicts] == [
            (v.label, v.tier, v.severity) for v in report.verdicts if v.present
        ]
        assert [cv.confidence for cv in only.verdicts] == [
            v.confidence if v.tier == "warn" else v.presence for v in report.verdicts if v.present
        ]


def test_a_chapter_verdict_holds_no_text():
    assert [f.name for f in dataclasses.fields(ChapterVerdict)] == ["label", "tier", "severity", "confidence"]


# --- real works ---------------------------------------------------------------------------------

REAL = [
    ("shared", "fixtures/ao3/23009290-htmlTest.html"),
    ("shared", "fixtures/ao3/23009290-epubTest.epub"),
    ("shared", "fixtures/ao3/218676-incompleteWork.html"),
    ("shared", "fixtures/ao3/218676-incompleteWork.epub"),
    ("shared", "seeds/000_1f5270f4df896558.txt"),
    ("shared", "seeds/003_73d3285b3b136fb8.txt"),
    ("repo", "tests/fixtures/fanficfare/test1.epub"),
    ("repo", "tests/fixtures/fanficfare/test1.html"),
    ("repo", "tests/fixtures/ao3_page/entire-work.html"),
    ("repo", "tests/fixtures/ffn/story-chapter2.html"),
]


@pytest.mark.parametrize(("where", "name"), REAL, ids=[name for _, name in REAL])
def test_chapters_agree_with_the_work_on_real_files(where, name):
    path = shared_path(*name.split("/")) if where == "shared" else REPO / name
    report = forewarn.scan(path)
    assert len(report.chapters) == len(report.work.chapters)
    check_chapters(report)


@cache
def _dev_works() -> tuple[Scanned, ...]:
    scanned, errors = scan_records(str(shared_path("data", "works-dev")))
    assert not errors
    return tuple(scanned)


@pytest.mark.parametrize("cv", [0, 5], ids=["shipped-model", "5-fold-models"])
def test_chapters_agree_with_the_work_on_every_dev_work(cv):
    scanned = _dev_works()
    results = reports(scanned, cv)
    assert sum(len(r.work.chapters) > 1 for r in results) >= 4, "the dev set holds multi-chapter works"
    for report in results:
        check_chapters(report)


def test_a_real_three_chapter_work_warns_in_the_chapter_that_shows_it():
    # 218676 (AO3 fixture): body hatred is off the page, referred to in chapter 2 only.
    report = forewarn.scan(shared_path("fixtures", "ao3", "218676-incompleteWork.html"))
    assert [v.label for v in report.warnings] == ["body-hatred"]
    assert chapter_strip(report) == "ch 2: body hatred (central)"


# --- made-up works ------------------------------------------------------------------------------

QUIET = "Mira made tea and watched the rain on the window. Her brother laughed at the cat, who sulked."
CUTTING = (
    "Alone in the bathroom, Mira took the razor from the cabinet and cut her wrist, once and then "
    "again. She pressed a towel to her arm and hid it under a long sleeve."
)
SPRING = "In spring they walked by the river and ate lunch in the park while children played on the swings."


def _chaptered(bodies: Sequence[str]) -> Work:
    """A work of one chapter per body, each with a title section and a story section."""
    text, sections, chapters = "", [], []
    for i, body in enumerate(bodies):
        text += "\n\n" if text else ""
        start = len(text)
        title = f"Chapter {i + 1}"
        text += title
        sections.append(Section("chapter-title", start, len(text), i))
        text += "\n\n"
        sections.append(Section("story", len(text), len(text) + len(body), i))
        text += body
        chapters.append(Chapter(title, start, len(text)))
    return Work(text, tuple(sections), tuple(chapters), Source(None, "text"), title="Made up")


def test_self_harm_in_chapter_two_only_is_a_warning_of_chapter_two_only():
    report = forewarn.scan(_chaptered([QUIET, CUTTING, SPRING]))
    assert "self-harm" in [v.label for v in report.warnings]
    check_chapters(report)
    first, second, third = report.chapters
    assert not first.verdicts and not third.verdicts
    assert "self-harm" in [v.label for v in second.warnings]
    assert chapter_strip(report).startswith("ch 2: ") and "self-harm" in chapter_strip(report)
    assert "ch 1" not in chapter_strip(report) and "ch 3" not in chapter_strip(report)


def test_chapter_headings_in_plain_text_give_the_same_strip():
    text = f"Chapter 1\n\n{QUIET}\n\nChapter 2\n\n{CUTTING}\n\nChapter 3\n\n{SPRING}\n"
    report = forewarn.scan_text(text)
    assert len(report.work.chapters) == 3
    check_chapters(report)
    assert chapter_strip(report) == "ch 2: self-harm"


def _console_text(report: Report, **options: bool) -> str:
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(render_report(report, **options))
    return out.getvalue()


def test_table_shows_the_chapter_strip_for_a_multi_chapter_work_only():
    report = forewarn.scan(_chaptered([QUIET, CUTTING, SPRING]))
    assert f"Chapters: {chapter_strip(report)}" in _console_text(report)
    single = forewarn.scan(_chaptered([QUIET + " " + CUTTING]))
    assert single.warnings and chapter_strip(single) == ""
    assert "Chapters:" not in _console_text(single)
    calm = forewarn.scan(_chaptered([QUIET, SPRING]))
    assert not calm.warnings and "Chapters:" not in _console_text(calm)


def _strip_report(chapters: Sequence[Sequence[ChapterVerdict]]) -> Report:
    work = _chaptered(["x"] * len(chapters))
    return Report(
        work=work,
        verdicts=(),
        archive_warnings=(),
        detectors=(),
        chapters=tuple(ChapterReport(i, f"Chapter {i + 1}", tuple(vs)) for i, vs in enumerate(chapters)),
    )


def test_strip_numbers_chapters_from_one_names_severity_unless_depicted_and_merges_runs():
    harm = ChapterVerdict("self-harm", "warn", "graphic", 0.9)
    death = ChapterVerdict("death", "warn", "depicted", 0.8)
    violence = ChapterVerdict("violence", "warn", "depicted", 0.7)
    told = ChapterVerdict("suicide", "mention", "mentioned", 0.6)
    report = _strip_report([[], [], [harm], [told], [violence], [violence], [violence], [death]])
    assert chapter_strip(report) == "ch 3: self-harm (graphic) · ch 5–7: violence · ch 8: death"
    assert chapter_strip(_strip_report([[told], [told]])) == "", "mentions are not in the strip"


def test_a_report_built_without_chapters_keeps_working():
    report = _strip_report([])
    assert report.chapters == () and chapter_strip(report) == ""
    assert report.to_dict()["chapters"] == []


# --- JSON ---------------------------------------------------------------------------------------


def test_json_lists_every_chapter_with_its_warnings_and_mentions():
    report = forewarn.scan(_chaptered([QUIET, CUTTING, SPRING]))
    doc = json.loads(json.dumps(report.to_dict()))
    assert doc["schema"] == "1.2"
    assert [c["index"] for c in doc["chapters"]] == [1, 2, 3]  # from 1, as first_chapter and evidence
    for c, chapter in zip(doc["chapters"], report.work.chapters, strict=True):
        assert set(c) == {"index", "title", "start", "end", "warnings", "mentions"}
        assert (c["title"], c["start"], c["end"]) == (chapter.title, chapter.start, chapter.end)
        assert all(set(w) == {"label", "severity", "confidence"} for w in c["warnings"])
        assert all(set(m) == {"label", "confidence"} for m in c["mentions"])
    assert doc["chapters"][0]["warnings"] == [] and doc["chapters"][2]["warnings"] == []
    second = {w["label"]: w for w in doc["chapters"][1]["warnings"]}
    harm = report.verdict("self-harm")
    assert second["self-harm"] == {
        "label": "self-harm",
        "severity": harm.severity,
        "confidence": harm.confidence,
    }


def test_json_chapters_hold_no_passage_text_even_with_show_passages():
    report = forewarn.scan(_chaptered([QUIET, CUTTING, SPRING]))
    for show in (False, True):
        chapters = json.dumps(report.to_dict(show_passages=show)["chapters"])
        assert "razor" not in chapters and "wrist" not in chapters
    evidence = report.to_dict(show_passages=True)["warnings"][0]["evidence"]
    assert evidence and all(e["chapter"] == 2 for e in evidence)  # the passages name their chapter


def test_json_of_a_real_multi_chapter_download():
    doc = forewarn.scan(shared_path("fixtures", "ao3", "218676-incompleteWork.epub")).to_dict()
    assert [(c["index"], [w["label"] for w in c["warnings"]]) for c in doc["chapters"]] == [
        (1, []),
        (2, ["body-hatred"]),
        (3, []),
    ]


# --- the rules on made-up findings ----------------------------------------------------------------

# Work-level models that decide differently, so that every branch is met: warn on one strong scene
# on the page, warn on strong mentions alone (central), and the shipped one.
ON_PAGE = WorkLevelModel((20.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), -10.0, "test-on-page")
MENTIONS = WorkLevelModel((0.0, 0.0, 20.0, 0.0, 0.0, 0.0, 0.0), -10.0, "test-mentions")
GORY = "The blade tore through his ribs and blood spurted over the shattered bone."
PLAIN = "They met at the gate and talked for a while."


def _synthetic(chapters: int, passages: Sequence[tuple[int, bool]]) -> tuple[Work, list[Passage]]:
    """A work whose passages are (chapter, gory?) in order; every chapter holds at least one."""
    text, result, starts = "", [], {}
    for i, (chapter, gory) in enumerate(sorted(passages)):
        text += "\n\n" if text else ""
        starts.setdefault(chapter, len(text))
        body = GORY if gory else PLAIN
        result.append(Passage(i, len(text), len(text) + len(body), chapter, body))
        text += body
    bounds = [starts[c] for c in range(chapters)] + [len(text)]
    work = Work(
        text,
        tuple(Section("story", p.start, p.end, p.chapter) for p in result),
        tuple(Chapter(f"Chapter {c + 1}", bounds[c], bounds[c + 1]) for c in range(chapters)),
        Source(None, "text"),
    )
    return work, result


LABELS = ("violence", "war", "death", "dying", "self-harm", "suicide")


@st.composite
def _cases(draw):
    chapters = draw(st.integers(1, 4))
    layout = [(c, draw(st.booleans())) for c in range(chapters)]
    layout += draw(st.lists(st.tuples(st.integers(0, chapters - 1), st.booleans()), max_size=6))
    work, passages = _synthetic(chapters, layout)
    findings = []
    for _ in range(draw(st.integers(0, 12))):
        p = passages[draw(st.integers(0, len(passages) - 1))]
        label = draw(st.sampled_from(LABELS))
        score = draw(st.sampled_from((0.1, 0.3, 0.45, 0.5, 0.6, 0.8, 0.95)))
        severity = draw(st.sampled_from(("mentioned", "depicted", "graphic")))
        findings.append(Finding(label, score, severity, p.index, p.start, p.end, p.text, "test.v1"))
    who_dies = draw(st.sampled_from(((), ("Anna",))))
    model = draw(st.sampled_from((ON_PAGE, MENTIONS, None)))
    return work, passages, findings, who_dies, model


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_chapters_never_contradict_the_work_on_made_up_findings(case):
    work, passages, findings, who_dies, model = case
    verdicts = aggregate.verdicts(work, passages, findings, who_dies, model=model)
    chapters = aggregate.chapter_verdicts(work, passages, findings, verdicts)
    check_chapters(Report(work, verdicts, (), (), chapters=chapters))


def _one(label, score, severity, passage):
    return Finding(label, score, severity, passage.index, passage.start, passage.end, passage.text, "test.v1")


def test_a_death_scene_is_a_death_in_its_chapter():
    work, passages = _synthetic(3, [(0, False), (1, False), (2, False)])
    findings = [_one("dying", 0.9, "depicted", passages[2])]
    verdicts = aggregate.verdicts(work, passages, findings, ("Anna",), model=ON_PAGE)
    chapters = aggregate.chapter_verdicts(work, passages, findings, verdicts)
    assert [[(v.label, v.tier) for v in c.verdicts] for c in chapters] == [
        [],
        [],
        [("death", "warn"), ("dying", "warn")],
    ]
    check_chapters(Report(work, verdicts, (), (), chapters=chapters))


def test_an_off_page_warning_goes_to_the_chapters_that_refer_to_it_strongly():
    work, passages = _synthetic(3, [(0, False), (1, False), (2, False)])
    findings = [
        _one("suicide", 0.8, "mentioned", passages[0]),
        _one("suicide", 0.3, "mentioned", passages[1]),
        _one("suicide", 0.7, "mentioned", passages[2]),
    ]
    verdicts = aggregate.verdicts(work, passages, findings, model=MENTIONS)
    assert verdicts[LABEL_NAMES.index("suicide")].severity == "central"
    chapters = aggregate.chapter_verdicts(work, passages, findings, verdicts)
    assert [[(v.tier, v.severity) for v in c.verdicts] for c in chapters] == [
        [("warn", "central")],
        [],  # a faint reference is not even a mention
        [("warn", "central")],
    ]


def test_a_chapter_that_only_mentions_a_warned_label_lists_it_as_a_mention():
    work, passages = _synthetic(2, [(0, False), (1, False)])
    findings = [
        _one("violence", 0.9, "depicted", passages[0]),
        _one("violence", 0.7, "mentioned", passages[1]),
    ]
    verdicts = aggregate.verdicts(work, passages, findings, model=ON_PAGE)
    chapters = aggregate.chapter_verdicts(work, passages, findings, verdicts)
    assert [[(v.tier, v.severity) for v in c.verdicts] for c in chapters] == [
        [("warn", "depicted")],
        [("mention", "mentioned")],
    ]
    # The warning chapter's share of the work's evidence: 0.9 of the noisy-OR 1 - 0.1 * 0.3 = 0.97.
    violence = verdicts[LABEL_NAMES.index("violence")]
    assert violence.presence == 0.97
    assert chapters[0].verdicts[0].confidence == round(violence.confidence * 0.9 / 0.97, 4)
    assert chapters[1].verdicts[0].confidence == 0.7  # a mention: its presence


def test_graphic_violence_is_graphic_in_the_chapters_that_linger_on_wounds():
    work, passages = _synthetic(3, [(0, True), (1, False), (2, True), (2, True)])
    findings = [_one("violence", 0.9, "depicted", p) for p in passages]
    verdicts = aggregate.verdicts(work, passages, findings, model=ON_PAGE)
    assert verdicts[LABEL_NAMES.index("violence")].severity == "graphic"
    chapters = aggregate.chapter_verdicts(work, passages, findings, verdicts)
    assert [c.verdicts[0].severity for c in chapters] == ["graphic", "depicted", "graphic"]


def test_whole_work_graphic_violence_sits_in_the_chapter_of_the_labels_strongest_scene():
    # War is graphic because the work's violence lingers on wounds; war's own scenes do not.
    work, passages = _synthetic(2, [(0, True), (0, True), (0, True), (1, False), (1, False)])
    findings = [_one("violence", 0.9, "depicted", p) for p in passages[:3]]
    findings += [_one("war", 0.6, "depicted", passages[3]), _one("war", 0.8, "depicted", passages[4])]
    verdicts = aggregate.verdicts(work, passages, findings, model=ON_PAGE)
    assert verdicts[LABEL_NAMES.index("war")].severity == "graphic"
    chapters = aggregate.chapter_verdicts(work, passages, findings, verdicts)
    assert [(v.label, v.severity) for v in chapters[1].warnings] == [("war", "graphic")]
    check_chapters(Report(work, verdicts, (), (), chapters=chapters))
