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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
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
    ArchiveWarning,
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
