"""The library out to other tools: JSON lines (the stored reports whole) or CSV (the listing columns)."""

from __future__ import annotations

import csv
import json
from typing import Literal, TextIO

from forewarn.library.store import Store, WorkRow

ExportFormat = Literal["jsonl", "csv"]
CSV_COLUMNS = (
    "id",
    "hash",
    "title",
    "author",
    "fandom",
    "words",
    "chapters",
    "format",
    "warnings",
    "archive_warnings",
    "declared_labels",
    "detected_only",
    "paths",
    "scanned_at",
    "versions",
)


def warning_text(row: WorkRow) -> str:
    """The warn-tier labels as a reader scans them: "violence (graphic), blood (depicted)"."""
    return ", ".join(f"{w['label']} ({w['severity']})" for w in row.warnings)


def export(store: Store, fmt: ExportFormat, out: TextIO) -> int:
    """Write every work to ``out``; how many were written. Spoiler-safe: no passages are stored."""
    count = 0
    if fmt == "jsonl":
        for row, report in store.reports():
            entry = {
                "id": row.id,
                "hash": row.hash,
                "paths": list(row.paths),
                "scanned_at": row.scanned_at,
                "report": report,
            }
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in store.works():
        writer.writerow(
            (
                row.id,
                row.hash,
                row.title,
                row.author,
                row.fandom,
                row.words,
                row.chapters,
                row.format,
                warning_text(row),
                "; ".join(row.archive_warnings),
                "; ".join(row.declared_labels),
                "; ".join(row.detected_only),
                "; ".join(row.paths),
                row.scanned_at,
                " ".join(row.versions),
            )
        )
        count += 1
    return count
