"""Work -> Report: segment, detect, aggregate, compare with what the author declared.

Pure: no I/O, no printing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from forewarn import aggregate
from forewarn.declared import compare, warning_stance, work_declared_labels
from forewarn.detectors import COMBINATION, LABEL_AUTHORITY, default_detectors
from forewarn.detectors.base import Detector, Scorer
from forewarn.labels import ARCHIVE_WARNINGS, UNDERAGE
from forewarn.model import Finding, Passage, Report, Work
from forewarn.segment import segment
from forewarn.who import VERSION as WHO_VERSION
from forewarn.who import analyse_who, kb
from forewarn.who.types import Who
from forewarn.work_level import WorkLevelModel
from forewarn.work_level import default_model as default_work_model

# A character at least this important (forewarn.who: 1 for the most important of the work) is
# one the story follows: their death is a Major Character Death.
MAJOR_IMPORTANCE = 0.6

# AO3 renamed "Underage" to "Underage Sex"; older downloads carry the old name.
_ARCHIVE_ALIASES = {"Underage": UNDERAGE}


def declared_archive_warnings(work: Work) -> tuple[str, ...]:
    """The four AO3 Archive Warnings the author picked, under their current names."""
    names = (_ARCHIVE_ALIASES.get(w, w) for w in work.declared.archive_warnings)
    return tuple(dict.fromkeys(n for n in names if n in ARCHIVE_WARNINGS))


def detect(
    passages: Sequence[Passage], detectors: Sequence[Detector], rule: str = COMBINATION
) -> tuple[list[Finding], list[Finding]]:
    """Run the detectors; return every finding, and the findings that count for the verdicts.

    What counts is settled per label by ``aggregate.combine``: for a label with an authority in
    ``LABEL_AUTHORITY`` (the learned model for the 8 labelled warnings), its score counts. Under
    the "gate" rule an authority's findings matter only on passages where another detector found
    one of its labels, so it scores only those passages, and only those labels: same result, a
    fraction of the work. An authority that is a ``Scorer`` gives bare scores there (its findings
    would only be thrown away), so the first list then holds none of its findings.
    """
    names = [d.name for d in detectors]
    authorities = set(LABEL_AUTHORITY.values()) & set(names)
    gated = rule == "gate" and len(authorities) < len(names)
    proposers = [d for d in detectors if not (gated and d.name in authorities)]
    findings = [f for d in proposers for f in d.detect(passages)]
    by_index = {p.index: p for p in passages}
    scores: dict[tuple[str, int], float] = {}
    for detector in (d for d in detectors if gated and d.name in authorities):
        labels = {label for label, name in LABEL_AUTHORITY.items() if name == detector.name}
        wanted: dict[int, set[str]] = {}
        for f in findings:
            if f.label in labels:
                wanted.setdefault(f.passage, set()).add(f.label)
        proposed = [by_index[i] for i in sorted(wanted)]
        if isinstance(detector, Scorer):
            scores.update(detector.score(proposed, wanted))
        else:
            findings.extend(detector.detect(proposed))
    return findings, aggregate.combine(findings, names, LABEL_AUTHORITY, rule, scores)


@dataclass(frozen=True, slots=True)
class Gathered:
    """What the detectors and the who-analysis found in a work, before any work-level decision."""

    passages: tuple[Passage, ...]
    findings: tuple[Finding, ...]  # every detector's findings
    counted: tuple[Finding, ...]  # the findings that count, after ``aggregate.combine``
    detectors: tuple[str, ...]  # versioned names of the detectors that ran
    who: Who | None


def gather(work: Work, detectors: Sequence[Detector] | None = None, *, who: bool = True) -> Gathered:
    """Segment ``work``, run the detectors and the who-analysis: everything a Report is made from."""
    detectors = default_detectors() if detectors is None else tuple(detectors)
    passages = segment(work)
    findings, counted = detect(passages, detectors)
    # Who-analysis reads every detector's death findings (the lexicon's name who dies).
    people = analyse_who(work, [f for f in findings if f.label in ("death", "dying")]) if who else None
    return Gathered(
        tuple(passages), tuple(findings), tuple(counted), tuple(d.name for d in detectors), people
    )


def learned_labels(detectors: Collection[str]) -> frozenset[str]:
    """The labels whose passage scores come from a learned model among ``detectors`` (names)."""
    return frozenset(label for label, name in LABEL_AUTHORITY.items() if name in detectors)


def major_characters(people: Who) -> frozenset[str]:
    """The characters a death of whom is a Major Character Death (WARNINGS.md): the ones the story
    follows, and the canon main characters of its fandom (those of the knowledge base's ships)."""
    fandom = kb.load().fandom(people.fandom.name) if people.fandom else None
    canon = {name for ship in fandom.ships for name in ship.split("/")} if fandom else set()
    return frozenset(
        c.name for c in people.characters if c.importance >= MAJOR_IMPORTANCE or (c.known and c.name in canon)
    )


def report(work: Work, gathered: Gathered, model: WorkLevelModel | None = None) -> Report:
    """The Report of ``work`` from what was gathered; ``model``: the work-level model (the shipped one
    unless given)."""
    model = model or default_work_model()
    people = gathered.who
    learned = learned_labels(gathered.detectors)
    verdicts = aggregate.verdicts(
        work,
        gathered.passages,
        gathered.counted,
        people.who_dies if people else (),
        learned=learned,
        model=model,
    )
    declared = work_declared_labels(work)
    verdicts = tuple(replace(v, declared=v.label in declared) for v in verdicts)
    detected = [v.label for v in verdicts if v.tier == "warn"]
    declared_archive = declared_archive_warnings(work)
    archive = tuple(
        replace(a, declared=a.name in declared_archive)
        for a in aggregate.archive_warnings(verdicts, major_characters(people) if people else None)
    )
    return Report(
        work=work,
        verdicts=verdicts,
        archive_warnings=archive,
        detectors=(*gathered.detectors, model.name, *((WHO_VERSION,) if people else ())),
        who=people,
        declared_labels=tuple(sorted(declared)),
        comparison=compare(declared, detected),
        archive_comparison=compare(declared_archive, [a.name for a in archive]),
        warning_stance=warning_stance(work.declared),
        chapters=aggregate.chapter_verdicts(work, gathered.passages, gathered.counted, verdicts),
    )


def analyse(work: Work, detectors: Sequence[Detector] | None = None, *, who: bool = True) -> Report:
    """Everything forewarn says about ``work``.

    ``who=False`` skips characters, relationships and fandom (faster on huge batches); Major
    Character Death then cannot name anyone and is not reported.

    >>> from forewarn.readers.txt import work_from_text
    >>> report = analyse(work_from_text("The river was calm. Nobody was hurt."))
    >>> [v.label for v in report.warnings]
    []
    """
    return report(work, gather(work, detectors, who=who))
