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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from forewarn.labels import (
    BY_NAME,
    GRAPHIC_VIOLENCE,
    LABELS,
    MAJOR_CHARACTER_DEATH,
    RAPE_NON_CON,
    UNDERAGE,
)
from forewarn.model import (
    SEVERITIES,
    ArchiveWarning,
    Evidence,
    Finding,
    Passage,
    Severity,
    Verdict,
    Work,
)

REPORT_THRESHOLD = 0.5
FINDING_FLOOR = 0.15  # a weaker finding is noise: it counts for nothing in a verdict
EVIDENCE_PASSAGES = 3  # passages combined into the confidence, and shown as evidence
_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_DEATH_LABELS = ("death", "dying")  # the labels whose verdicts name who dies


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


def verdicts(
    work: Work,
    passages: Sequence[Passage],
    findings: Sequence[Finding],
    who_dies: Sequence[str] = (),
) -> tuple[Verdict, ...]:
    """One verdict per label, in taxonomy order.

    ``who_dies``: the named characters the whole-work analysis (``forewarn.who``) found dying or
    dead; a detector sees one passage and cannot tell a character's name from any capital.
    """
    by_label: dict[str, dict[int, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.score >= FINDING_FLOOR:
            by_label[f.label][f.passage].append(f)
    story_start = min((p.start for p in passages), default=0)
    story_span = max((p.end for p in passages), default=0) - story_start

    result = []
    for label in LABELS:
        per_passage = by_label.get(label.name, {})
        best = sorted(
            (max(fs, key=lambda f: (f.score, -f.start)) for fs in per_passage.values()),
            key=lambda f: (-f.score, f.start),
        )
        top = best[:EVIDENCE_PASSAGES]
        convinced = bool(top) and top[0].score >= REPORT_THRESHOLD
        confidence = round(
            _noisy_or([f.score for f in top]) if convinced else top[0].score if top else 0.0, 4
        )
        present = confidence >= REPORT_THRESHOLD
        # Severity and characters come from findings strong enough to count on their own.
        counted = [f for fs in per_passage.values() for f in fs if f.score >= REPORT_THRESHOLD] or top
        severity: Severity = max((f.severity for f in counted), key=_RANK.__getitem__, default="mentioned")
        first = min((f for f in counted), key=lambda f: f.start, default=None)
        names = tuple(who_dies) if present and label.name in _DEATH_LABELS else ()
        result.append(
            Verdict(
                label=label.name,
                confidence=confidence,
                present=present,
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
                    for f in top
                ),
                characters=names,
            )
        )
    return tuple(result)


def archive_warnings(verdicts: Sequence[Verdict]) -> tuple[ArchiveWarning, ...]:
    """AO3's Archive Warnings that the label verdicts earn.

    - Major Character Death: death, dying or suicide of a *named* character, not any death.
    - Graphic Depictions Of Violence: a violence-type label depicted graphically.
    - Rape/Non-Con: sexual assault on the page (not only mentioned).
    - Underage Sex: underage sexual content.
    """
    present = {v.label: v for v in verdicts if v.present}
    found: list[ArchiveWarning] = []

    dead = [present[x] for x in (*_DEATH_LABELS, "suicide") if x in present and present[x].characters]
    if dead:
        names = sorted({n for v in dead for n in v.characters})
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
        for v in present.values()
        if v.severity == "graphic" and BY_NAME[v.label].archive_warning == GRAPHIC_VIOLENCE
    ]
    if graphic:
        found.append(
            ArchiveWarning(
                GRAPHIC_VIOLENCE, max(v.confidence for v in graphic), tuple(v.label for v in graphic)
            )
        )
    assault = present.get("sexual-assault")
    if assault and assault.severity != "mentioned":
        found.append(ArchiveWarning(RAPE_NON_CON, assault.confidence, ("sexual-assault",)))
    underage = present.get("underage")
    if underage:
        found.append(ArchiveWarning(UNDERAGE, underage.confidence, ("underage",)))
    return tuple(found)
