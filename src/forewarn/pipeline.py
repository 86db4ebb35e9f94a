"""Work -> Report: segment, detect, aggregate. Pure: no I/O, no printing."""

from __future__ import annotations

from collections.abc import Sequence

from forewarn import aggregate
from forewarn.detectors import default_detectors
from forewarn.detectors.base import Detector
from forewarn.model import Finding, Report, Work
from forewarn.names import name_checker
from forewarn.segment import segment


def analyse(work: Work, detectors: Sequence[Detector] | None = None) -> Report:
    """Everything forewarn says about ``work``.

    >>> from forewarn.readers.txt import work_from_text
    >>> report = analyse(work_from_text("The river was calm. Nobody was hurt."))
    >>> [v.label for v in report.warnings]
    []
    """
    detectors = default_detectors() if detectors is None else tuple(detectors)
    passages = segment(work)
    findings: list[Finding] = []
    for detector in detectors:
        findings.extend(detector.detect(passages))
    verdicts = aggregate.verdicts(work, passages, findings, name_checker(work.text))
    return Report(
        work=work,
        verdicts=verdicts,
        archive_warnings=aggregate.archive_warnings(verdicts),
        detectors=tuple(d.name for d in detectors),
    )
