"""Findings -> one verdict per label for the whole work, and AO3 Archive Warnings.

What ``Verdict.confidence`` means: forewarn's estimate of the probability that a careful
reader would tag the whole work with the label. Each passage contributes its best finding
score for the label (the detector's estimate for that passage); passages are combined as
independent evidence by noisy-OR over the ``EVIDENCE_PASSAGES`` strongest ones:
``1 - prod(1 - score)``. Only the strongest few count, so a long story with many faint
mentions does not add up to certainty; and other passages corroborate only when one passage
convinces on its own (scores at least ``REPORT_THRESHOLD``), so three threats ("it will kill
you") never add up to a death. Otherwise the confidence is the best passage's score. A label
is reported (``present``) when its confidence reaches ``REPORT_THRESHOLD``.

Per chapter (``chapter_verdicts``), from the same counted findings and the work's verdicts, so
that the two never contradict each other (see that function for the rules and the invariants).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from forewarn import work_level
from forewarn.labels import (
    BY_NAME,
    GRAPHIC_VIOLENCE,
    LABELS,
    MAJOR_CHARACTER_DEATH,
    RAPE_NON_CON,
    UNDERAGE,
)
from forewarn.model import (
    WORK_SEVERITIES,
    ArchiveWarning,
    ChapterReport,
    ChapterVerdict,
    Evidence,
    Finding,
    Passage,
    Tier,
    Verdict,
    Work,
    WorkSeverity,
)

REPORT_THRESHOLD = 0.5
FINDING_FLOOR = 0.15  # a weaker finding is noise: it counts for nothing in a verdict
EVIDENCE_PASSAGES = 3  # passages combined into the confidence, and shown as evidence
_DEATH_LABELS = work_level.DEATH_LABELS  # the labels whose verdicts name who dies


def _noisy_or(scores: Sequence[float]) -> float:
    remaining = 1.0
    for s in scores:
        remaining *= 1.0 - s
    return 1.0 - remaining


COMBINATIONS = ("gate", "replace", "mean", "max")
# "gate": the lexicon proposes the passage, evidence and severity and the learned model's score
# replaces the lexicon's; "replace": only the authority's findings count; "mean": per passage, the
# mean of both detectors' best scores, 0 where one has none; "max": every finding counts, the
# strongest per passage wins.
DEFAULT_COMBINATION = "gate"


def combine(
    findings: Sequence[Finding],
    active: Collection[str],
    authority: Mapping[str, str],
    rule: str = "gate",
    scores: Mapping[tuple[str, int], float] | None = None,
) -> list[Finding]:
    """Settle which detector's score counts for each label, before ``verdicts``.

    ``authority`` maps a label to the detector (versioned name) whose score counts for it when
    that detector is in ``active`` (the detectors that ran); labels without one, or whose
    authority did not run (or ran alone), keep every finding.

    ``rule``: "gate" keeps the other detectors' findings for the authority's labels (their
    evidence, severity, characters) but with the authority's score for that passage where it
    scored one: the rules propose, the learned model scores; where none of the model's keywords
    occur it has no opinion and the rule's score stands. "replace" keeps only the authority's
    findings; "mean" gives each passage the mean of the authority's and the other detectors' best
    scores (0 for a side without a finding), on the authority's evidence when it has some; "max"
    changes nothing (the strongest finding of a passage wins in ``verdicts``).

    ``scores``: the authority's bare scores by (label, passage index), for "gate", in place of
    (or besides) its findings (see ``detectors.base.Scorer``).
    """
    if rule not in COMBINATIONS:
        raise ValueError(f"unknown combination rule {rule!r}; one of {', '.join(COMBINATIONS)}")
    # An authority that ran alone has nothing to settle with: its findings stand as they are.
    ruled = {label for label, name in authority.items() if name in active and set(active) - {name}}
    if rule == "max" or not ruled:
        return list(findings)
    kept = [f for f in findings if f.label not in ruled]
    if rule == "replace":
        return kept + [f for f in findings if f.label in ruled and f.detector == authority[f.label]]
    if rule == "gate":
        authority_scores = dict(scores or {})
        authority_scores.update(
            ((f.label, f.passage), f.score)
            for f in findings
            if f.label in ruled and f.detector == authority[f.label]
        )
        # Where the authority scored the passage its score counts; where it did not (none of its
        # keywords occur there) it has no opinion and the proposing detector's score stands.
        return kept + [
            replace(f, score=authority_scores.get((f.label, f.passage), f.score))
            for f in findings
            if f.label in ruled and f.detector != authority[f.label]
        ]
    best: dict[tuple[str, int, bool], Finding] = {}
    for f in findings:
        if f.label in ruled:
            key = (f.label, f.passage, f.detector == authority[f.label])
            if key not in best or (f.score, -f.start) > (best[key].score, -best[key].start):
                best[key] = f
    for label, passage in sorted({(k[0], k[1]) for k in best}):
        own, other = best.get((label, passage, True)), best.get((label, passage, False))
        score = ((own.score if own else 0.0) + (other.score if other else 0.0)) / 2
        base = own or other
        assert base is not None
        kept.append(replace(base, score=round(score, 4)))
    return kept


def group_findings(findings: Iterable[Finding]) -> dict[str, dict[int, list[Finding]]]:
    """The findings that count (at least ``FINDING_FLOOR``), by label and then by passage index."""
    by_label: dict[str, dict[int, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.score >= FINDING_FLOOR:
            by_label[f.label][f.passage].append(f)
    return by_label


def label_evidence(
    findings: Iterable[Finding], passages: int, learned: Collection[str], who_dies: Sequence[str] = ()
) -> dict[str, work_level.LabelEvidence]:
    """The work-level features of every label with a finding (what ``forewarn train-works`` fits on)."""
    return {
        label: work_level.label_evidence(label, per_passage, passages, label in learned, who_dies)
        for label, per_passage in group_findings(findings).items()
    }


def verdicts(
    work: Work,
    passages: Sequence[Passage],
    findings: Sequence[Finding],
    who_dies: Sequence[str] = (),
    *,
    learned: Collection[str] = (),
    model: work_level.WorkLevelModel | None = None,
) -> tuple[Verdict, ...]:
    """One verdict per label, in taxonomy order, with its tier (warn / mention / absent).

    ``who_dies``: the named characters the whole-work analysis (``forewarn.who``) found dying or
    dead; a detector sees one passage and cannot tell a character's name from any capital.
    ``learned``: the labels whose passage scores come from a learned model (``LABEL_AUTHORITY``).
    ``model``: the work-level model (``work_level.default_model()`` unless given).
    """
    model = model or work_level.default_model()
    by_label = group_findings(findings)
    story_start = min((p.start for p in passages), default=0)
    story_span = max((p.end for p in passages), default=0) - story_start
    passage_text = {p.index: p.text for p in passages}
    violent = [
        f for label in work_level.VIOLENT_LABELS for fs in by_label.get(label, {}).values() for f in fs
    ]
    graphic_violence = (
        work_level.graphic_violent_passages(violent, passage_text) >= work_level.GRAPHIC_PASSAGES
    )

    result = []
    for label in LABELS:
        per_passage = by_label.get(label.name, {})
        best = sorted(
            (max(fs, key=lambda f: (f.score, -f.start)) for fs in per_passage.values()),
            key=lambda f: (-f.score, f.start),
        )
        top = best[:EVIDENCE_PASSAGES]
        convinced = bool(top) and top[0].score >= REPORT_THRESHOLD
        presence = round(_noisy_or([f.score for f in top]) if convinced else top[0].score if top else 0.0, 4)
        evidence = work_level.label_evidence(
            label.name, per_passage, len(passages), label.name in learned, who_dies
        )
        confidence = round(model.warn_probability(evidence), 4) if per_passage else 0.0
        tier: Tier = (
            "warn"
            if work_level.is_warning(evidence, confidence)
            else "mention"
            if presence >= REPORT_THRESHOLD
            else "absent"
        )
        severity: WorkSeverity = "mentioned"
        if tier == "warn":
            # Violence is graphic when its scenes linger on wounds; other labels by their findings.
            is_violent = label.name in work_level.VIOLENT_LABELS
            graphic = graphic_violence if is_violent else evidence.graphic
            severity = "graphic" if graphic else "depicted" if evidence.onpage else "central"
        # Evidence: for a warning the passages that show it on the page first, then the strongest.
        shown = [f for f in best if f.severity != "mentioned" and f.score >= REPORT_THRESHOLD]
        shown_first = (
            (shown + [f for f in best if f.severity == "mentioned" or f.score < REPORT_THRESHOLD])[
                :EVIDENCE_PASSAGES
            ]
            if tier == "warn"
            else top
        )
        # Where it is first earned: for a warning, the first passage that shows it on the page.
        counted = [f for fs in per_passage.values() for f in fs if f.score >= REPORT_THRESHOLD] or top
        first = min(shown if tier == "warn" and shown else counted, key=lambda f: f.start, default=None)
        names = tuple(who_dies) if tier == "warn" and label.name in _DEATH_LABELS else ()
        result.append(
            Verdict(
                label=label.name,
                confidence=confidence,
                presence=presence,
                tier=tier,
                severity=severity,
                passages=len(per_passage),
                first_chapter=work.chapter_at(first.start) if first else None,
                first_percent=(
                    round(100.0 * (first.start - story_start) / story_span, 1)
                    if first and story_span
                    else None
                ),
                evidence=tuple(
                    Evidence(
                        f.start, f.end, f.evidence, work.chapter_at(f.start), round(f.score, 4), f.severity
                    )
                    for f in shown_first
                ),
                characters=names,
            )
        )
    return _with_implied(result, who_dies)


def _with_implied(verdicts: Sequence[Verdict], who_dies: Sequence[str]) -> tuple[Verdict, ...]:
    """WARNINGS.md: "a death scene gets both" dying and death: a warning of one is one of the other,
    on the page, resting on the scene's evidence where the label has none of its own."""
    by_label = {v.label: v for v in verdicts}
    result = []
    for v in verdicts:
        causes = [by_label[c] for c, implied in work_level.IMPLIES.items() if implied == v.label]
        cause = next((c for c in causes if c.tier == "warn"), None)
        if cause is not None and v.tier != "warn":
            v = replace(
                v,
                tier="warn",
                confidence=max(v.confidence, cause.confidence),
                severity="depicted",
                evidence=v.evidence or cause.evidence,
                first_chapter=cause.first_chapter if v.first_chapter is None else v.first_chapter,
                first_percent=cause.first_percent if v.first_percent is None else v.first_percent,
                characters=tuple(who_dies) if v.label in _DEATH_LABELS else v.characters,
            )
        result.append(v)
    return tuple(result)


def _presence(scores: Sequence[float]) -> float:
    """The presence rule of ``verdicts`` over some passages' best scores: the noisy-OR of the
    strongest ``EVIDENCE_PASSAGES`` when one of them convinces on its own, else the best one."""
    top = sorted(scores, reverse=True)[:EVIDENCE_PASSAGES]
    if not top:
        return 0.0
    return round(_noisy_or(top) if top[0] >= REPORT_THRESHOLD else top[0], 4)


def chapter_verdicts(
    work: Work, passages: Sequence[Passage], findings: Sequence[Finding], verdicts: Sequence[Verdict]
) -> tuple[ChapterReport, ...]:
    """What each chapter holds of the work's warnings and mentions: one ``ChapterReport`` per
    chapter of ``work``, in order, from the findings that count (those ``verdicts`` was given) and
    the work's ``verdicts`` themselves, so that a chapter never contradicts the work.

    For a label the work warns of, a chapter is a warning where it shows the label on the page (a
    passage finding of at least ``work_level.STRONG`` with severity depicted or graphic: what the
    work-level model counts as ``onpage``), and, for a label another implies (``work_level.IMPLIES``:
    a death scene is a death), where the implying label is a warning. Its severity is the chapter's
    own (graphic when one of those findings is graphic; for violence, war and dissection when one
    of those passages lingers on wounds, the work's rule for graphic violence), capped at the
    work's. A warning with no such chapter is off the page (central): it goes to the chapters
    that refer to it with a finding of at least ``STRONG`` (none: the chapter of its strongest
    finding), at the work's severity. The work's graphic violence is a whole-work judgement (three
    gory violent passages, across violence, war and dissection): when none of the label's own
    chapters is graphic, the one of its strongest finding carries it. Any other chapter with a
    finding of at least ``REPORT_THRESHOLD`` lists the label as a mention.

    For a label the work only mentions, every chapter with a finding of at least
    ``REPORT_THRESHOLD`` mentions it (the work's mention rule on one chapter); an absent label
    is in no chapter. Hence, for every label:

    - a chapter warns of it only if the work does, and a work's warning is a warning in at
      least one chapter;
    - a chapter's severity never ranks above the work's (``WORK_SEVERITIES``), and the work's
      is reached in at least one chapter;
    - a label the work mentions is at most a mention in a chapter, and at least one chapter
      mentions it; a label the work does not hold is in no chapter;
    - a chapter's confidence is at most the work's confidence (warning) or presence (mention);
    - a work of one chapter: that chapter says what the work says, confidence included.

    A chapter's confidence: for a mention, its presence (the rule of ``Verdict.presence`` on the
    chapter's passages); for a warning, the work's confidence times the chapter's share of the
    work's presence (a chapter that holds all of the work's evidence is as sure as the work).
    """
    n = len(work.chapters)
    if not n:
        return ()
    chapter_of = {p.index: p.chapter if 0 <= p.chapter < n else work.chapter_at(p.start) for p in passages}
    passage_text = {p.index: p.text for p in passages}
    gory: dict[int, bool] = {}

    def lingers(passage: int) -> bool:
        if passage not in gory:
            gory[passage] = work_level.gore_terms(passage_text.get(passage, "")) >= work_level.GORE_TERMS
        return gory[passage]

    by_label = group_findings(findings)
    settled: dict[str, dict[int, ChapterVerdict]] = {}
    # An implying label (dying) is settled before the label it implies (death).
    for v in sorted(verdicts, key=lambda v: v.label not in work_level.IMPLIES):
        causes = [c for c, implied in work_level.IMPLIES.items() if implied == v.label]
        settled[v.label] = _label_chapters(
            v,
            by_label.get(v.label, {}),
            chapter_of,
            lingers,
            {c: cv for cause in causes for c, cv in settled.get(cause, {}).items() if cv.tier == "warn"},
        )
    order = {v.label: i for i, v in enumerate(verdicts)}
    return tuple(
        ChapterReport(
            index,
            chapter.title,
            tuple(
                sorted(
                    (per[index] for per in settled.values() if index in per),
                    key=lambda cv: order[cv.label],
                )
            ),
        )
        for index, chapter in enumerate(work.chapters)
    )


def _label_chapters(
    v: Verdict,
    per_passage: Mapping[int, Sequence[Finding]],
    chapter_of: Mapping[int, int],
    lingers: Callable[[int], bool],
    implied_by: Mapping[int, ChapterVerdict],
) -> dict[int, ChapterVerdict]:
    """One label's verdict per chapter (chapter index -> verdict); see ``chapter_verdicts``."""
    if v.tier == "absent":
        return {}
    best: dict[int, list[float]] = defaultdict(list)  # chapter -> each passage's best score
    shown: dict[int, list[Finding]] = defaultdict(list)  # chapter -> strong findings on the page
    for passage, fs in per_passage.items():
        chapter = chapter_of.get(passage, 0)
        best[chapter].append(max(f.score for f in fs))
        shown[chapter].extend(f for f in fs if f.severity != "mentioned" and f.score >= work_level.STRONG)
    presence = {c: _presence(scores) for c, scores in best.items()}
    top = {c: max(scores) for c, scores in best.items()}
    if v.tier == "mention":
        return {
            c: ChapterVerdict(v.label, "mention", "mentioned", min(p, v.presence))
            for c, p in sorted(presence.items())
            if p >= REPORT_THRESHOLD
        }

    violent = v.label in work_level.VIOLENT_LABELS
    own: dict[int, WorkSeverity] = {
        c: (
            "graphic"
            if any(lingers(f.passage) if violent else f.severity == "graphic" for f in fs)
            else "depicted"
        )
        for c, fs in shown.items()
        if fs
    }
    for c in implied_by:
        own.setdefault(c, "depicted")  # "a death scene gets both" (WARNINGS.md)
    if not own:  # off the page: where the story refers to it (most) strongly
        referred = [c for c, score in top.items() if score >= work_level.STRONG]
        if not referred and top:
            referred = [max(top, key=lambda c: (top[c], -c))]
        own = {c: v.severity for c in referred or [v.first_chapter or 0]}
    cap = WORK_SEVERITIES.index(v.severity)
    rank = {c: min(WORK_SEVERITIES.index(s), cap) for c, s in own.items()}
    if max(rank.values()) < cap:
        strongest = max(rank, key=lambda c: (top.get(c, 0.0), -c))
        rank[strongest] = cap
    # A chapter that holds all of the label's strongest passages is as sure as the work; one that
    # holds less, by its share of the work's presence.
    share = {c: p / v.presence if v.presence else 0.0 for c, p in presence.items()}
    result = {
        c: ChapterVerdict(
            v.label,
            "warn",
            WORK_SEVERITIES[rank[c]],
            round(
                min(
                    v.confidence,
                    max(
                        v.confidence * share.get(c, 0.0),
                        implied_by[c].confidence if c in implied_by else 0.0,
                    ),
                ),
                4,
            ),
        )
        for c in sorted(rank)
    }
    for c, p in sorted(presence.items()):
        if c not in result and p >= REPORT_THRESHOLD:
            result[c] = ChapterVerdict(v.label, "mention", "mentioned", min(p, v.presence))
    return result


def archive_warnings(
    verdicts: Sequence[Verdict], major: Collection[str] | None = None
) -> tuple[ArchiveWarning, ...]:
    """AO3's Archive Warnings that the warning list (tier "warn") earns, by AO3's definitions.

    - Major Character Death: death, dying or suicide of a named character who is ``major`` (one
      the story follows; ``None``: every named one), not any death;
    - Graphic Depictions Of Violence: violence, war or dissection warned at severity graphic;
    - Rape/Non-Con: sexual assault on the page (not only mentioned, not off the page);
    - Underage Sex: underage sexual content where the evidence states a minor's age or status
      (a character whose age the text does not give is not assumed to be a minor).
    """
    warned = {v.label: v for v in verdicts if v.tier == "warn"}
    found: list[ArchiveWarning] = []

    dead = [warned[x] for x in (*_DEATH_LABELS, "suicide") if x in warned and warned[x].characters]
    names = sorted({n for v in dead for n in v.characters if major is None or n in major})
    if names:
        found.append(
            ArchiveWarning(
                MAJOR_CHARACTER_DEATH,
                max(v.confidence for v in dead),
                tuple(v.label for v in dead),
                tuple(names),
            )
        )
    graphic = [
        v
        for v in warned.values()
        if v.severity == "graphic" and BY_NAME[v.label].archive_warning == GRAPHIC_VIOLENCE
    ]
    if graphic:
        found.append(
            ArchiveWarning(
                GRAPHIC_VIOLENCE, max(v.confidence for v in graphic), tuple(v.label for v in graphic)
            )
        )
    assault = warned.get("sexual-assault")
    if assault and assault.severity in ("depicted", "graphic"):
        found.append(ArchiveWarning(RAPE_NON_CON, assault.confidence, ("sexual-assault",)))
    underage = warned.get("underage")
    if underage and any(work_level.states_minor(e.text) for e in underage.evidence):
        found.append(ArchiveWarning(UNDERAGE, underage.confidence, ("underage",)))
    return tuple(found)
