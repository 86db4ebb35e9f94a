"""Adding to the library: each target hashed, scanned only when its bytes or the code changed,
and committed on its own, so an interrupted run loses at most the work it was on."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from forewarn.errors import BUGS, ForewarnError
from forewarn.library.scanner import (
    Scanner,
    ScanOptions,
    Target,
    current_versions,
    digest,
    is_current,
    scan_target,
)
from forewarn.library.store import Listing, Store
from forewarn.model import Report
from forewarn.render_json import report_to_dict

log = logging.getLogger(__name__)

Outcome = Literal["scanned", "unchanged", "error"]


@dataclass(frozen=True, slots=True)
class Step:
    """What became of one target."""

    path: str
    outcome: Outcome
    problem: str | None = None  # for an error
    fresh: bool = False  # for an error: found in this run, not an unchanged file's known error


class Progress(Protocol):
    """Told about a run as it goes (the CLI draws a progress bar from it)."""

    def start(self, total: int) -> None: ...

    def advance(self, step: Step) -> None: ...


@dataclass(slots=True)
class AddSummary:
    """What one ``add`` did."""

    total: int = 0
    scanned: int = 0  # works scanned now (new bytes, or a report from older code)
    unchanged: int = 0  # works already indexed with current code (their path list updated)
    errors: list[Step] = field(default_factory=list)  # targets that could not be indexed
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "scanned": self.scanned,
            "unchanged": self.unchanged,
            "errors": [{"path": e.path, "problem": e.problem} for e in self.errors],
            "seconds": round(self.seconds, 3),
        }


def add(
    store: Store,
    targets: Sequence[Target],
    options: ScanOptions | None = None,
    *,
    scanner: Scanner = scan_target,
    progress: Progress | None = None,
) -> AddSummary:
    """Index ``targets`` into ``store``; a bad target becomes an error row and the run goes on."""
    options = options or ScanOptions()
    summary = AddSummary(total=len(targets))
    began = time.perf_counter()
    if progress:
        progress.start(len(targets))
    versions = current_versions(options.who)
    for target in targets:
        step = _add_one(store, target, options, versions, scanner)
        if step.outcome == "scanned":
            summary.scanned += 1
        elif step.outcome == "unchanged":
            summary.unchanged += 1
        else:
            summary.errors.append(step)
        if progress:
            progress.advance(step)
    summary.seconds = time.perf_counter() - began
    return summary


def _add_one(
    store: Store, target: Target, options: ScanOptions, versions: tuple[str, ...], scanner: Scanner
) -> Step:
    if target.problem is not None:
        store.record_error(target.path, target.problem)
        return Step(target.path, "error", target.problem, fresh=True)
    try:
        hashed = digest(target, options)
    except ForewarnError as error:
        problem = getattr(error, "problem", str(error))
        store.record_error(target.path, problem)
        return Step(target.path, "error", problem, fresh=True)
    known = store.work_state(hashed)
    if known is not None and is_current(known[1], known[2], options):
        store.attach_path(target.path, known[0])
        return Step(target.path, "unchanged")
    failed = store.error_state(target.path)
    if failed is not None and failed[:2] == (hashed, versions):
        # The same bytes failed with the same code: it would fail the same way again.
        return Step(target.path, "error", failed[2])
    try:
        report = scanner(target, options)
    except ForewarnError as error:
        problem = getattr(error, "problem", str(error))
        store.record_error(target.path, problem, hashed, versions)
        return Step(target.path, "error", problem, fresh=True)
    except BUGS as error:  # a bug on one work must not stop the library: record it, go on
        log.info("scanning %s failed", target.path, exc_info=True)  # the traceback with -v
        problem = f"internal error, please report it: {type(error).__name__}: {error}"
        store.record_error(target.path, problem, hashed, versions)
        return Step(target.path, "error", problem, fresh=True)
    report_dict = report_to_dict(report)  # without passages: spoilers are never stored
    store.save(hashed, target.path, listing(report, report_dict), report_dict)
    return Step(target.path, "scanned")


def listing(report: Report, report_dict: dict[str, Any]) -> Listing:
    """The columns stored beside a report, for listing, filtering and searching."""
    work = report.work
    declared = work.declared
    detected_fandom = report.who.fandom.name if report.who and report.who.fandom else ""
    path = work.source.path or ""
    detected_only = [label for label, status in report.comparison if status == "detected-only"]
    detected_only += [name for name, status in report.archive_comparison if status == "detected-only"]
    tags = (
        *([declared.rating] if declared.rating else []),
        *declared.archive_warnings,
        *declared.categories,
        *declared.relationships,
        *declared.characters,
        *declared.additional_tags,
    )
    return Listing(
        title=work.title or path.rsplit("/", 1)[-1] or "(untitled)",
        author=work.author or "",
        fandom=", ".join(declared.fandoms) or detected_fandom,
        words=int(report_dict.get("words", 0)),
        chapters=len(work.chapters),
        format=work.source.format,
        calibre_id=work.source.calibre_id,
        warnings=[
            {"label": v.label, "severity": v.severity, "confidence": round(v.confidence, 4)}
            for v in report.warnings
        ],
        archive_warnings=[a.name for a in report.archive_warnings],
        declared_labels=list(report.declared_labels),
        detected_only=detected_only,
        labels=[(v.label, v.tier, v.severity, v.confidence) for v in (*report.warnings, *report.mentions)],
        tags="\n".join(tags),
        summary=declared.summary or "",
        schema=report.schema,
        versions=list(report.detectors),
    )
