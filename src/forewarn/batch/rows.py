"""The batch row: one flat-ish record per work, the same in JSON lines, Parquet and Spark.

The layout is defined once, in ``row.schema.json`` (a JSON Schema shipped in the package): rows
are built here with its keys in its order, and :func:`arrow_schema` reads the same file into the
Arrow schema that Parquet and Spark use. Rows come from ``render_json.report_to_dict`` without
passages, so they hold exactly what the JSON report says, and no spoilers.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from forewarn.model import Report
from forewarn.render_json import report_to_dict

if TYPE_CHECKING:
    import pyarrow as pa

ROW_SCHEMA = "batch.v1"  # the "schema" column; bumped whenever row.schema.json changes


@cache
def json_schema() -> dict[str, Any]:
    """The row's JSON Schema (``forewarn/batch/row.schema.json``)."""
    text = resources.files("forewarn.batch").joinpath("row.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def columns() -> tuple[str, ...]:
    """The row's keys in order.

    >>> columns()[:3]
    ('id', 'schema', 'kind')
    """
    return tuple(json_schema()["properties"])


def row_from_report(report: Report, *, id: str, kind: str, path: str | None) -> dict[str, Any]:
    """The row for one scanned work (``id`` as the input named it)."""
    d = report_to_dict(report)
    declared = d["declared"]
    fandom = d["fandom"]
    row = {
        "id": id,
        "schema": ROW_SCHEMA,
        "kind": kind,
        "path": path,
        "format": d["source"]["format"],
        "calibre_id": d["source"].get("calibre_id"),
        "title": d["title"],
        "author": d["author"],
        "words": d["words"],
        "chapter_count": len(report.work.chapters),
        "warnings": [_verdict(v) for v in d["warnings"]],
        "mentions": [_verdict(v) for v in d["mentions"]],
        "archive_warnings": [
            {
                "name": a["name"],
                "confidence": a["confidence"],
                "because": a["because"],
                "declared": a["declared"],
            }
            for a in d["archive_warnings"]
        ],
        "chapters": [
            {"index": c["index"], "title": c["title"], "warnings": c["warnings"], "mentions": c["mentions"]}
            for c in d["chapters"]
        ],
        "declared_rating": declared["rating"],
        "declared_archive_warnings": declared["archive_warnings"],
        "declared_fandoms": declared["fandoms"],
        "declared_relationships": declared["relationships"],
        "declared_characters": declared["characters"],
        "declared_tags": declared["additional_tags"],
        "declared_labels": declared["labels"],
        "warning_stance": declared["stance"],
        "declared_vs_detected": d["declared_vs_detected"],
        "archive_declared_vs_detected": d["archive_declared_vs_detected"],
        "fandom": None if fandom is None else fandom["name"],
        "detectors": d["detectors"],
        "error": None,
    }
    return row


def _verdict(v: dict[str, Any]) -> dict[str, Any]:
    first = v["first_chapter"]
    return {
        "label": v["label"],
        "tier": v["tier"],
        "severity": v["severity"],
        "confidence": v["confidence"],
        "presence": v["presence"],
        "passages": v["passages"],
        "first_chapter": None if first is None else first["index"],
        "first_percent": v["first_percent"],
        "declared": v["declared"],
    }


def error_row(
    *, id: str, kind: str, path: str | None, problem: str, detectors: tuple[str, ...]
) -> dict[str, Any]:
    """The row for a work that could not be scanned: the problem, and what would have scanned it.

    >>> error_row(id="a", kind="text", path=None, problem="text is empty", detectors=())["error"]
    'text is empty'
    """
    row: dict[str, Any] = dict.fromkeys(columns())
    row.update(id=id, schema=ROW_SCHEMA, kind=kind, path=path, detectors=list(detectors), error=problem)
    return row


def arrow_schema() -> pa.Schema:
    """The Arrow schema of a row, read from the JSON Schema (needs ``pyarrow``: the parquet extra)."""
    import pyarrow as pa

    props = json_schema()["properties"]
    return pa.schema(
        [pa.field(name, _arrow_type(spec), nullable=_nullable(spec)) for name, spec in props.items()]
    )


def _nullable(spec: dict[str, Any]) -> bool:
    kinds = spec.get("type", "string")
    return isinstance(kinds, list) and "null" in kinds


def _arrow_type(spec: dict[str, Any]) -> pa.DataType:
    import pyarrow as pa

    kinds = spec.get("type", "string")
    kind = next(k for k in kinds if k != "null") if isinstance(kinds, list) else kinds
    if kind == "array":
        return pa.list_(_arrow_type(spec["items"]))
    if kind == "object":
        props = spec["properties"]
        return pa.struct([pa.field(k, _arrow_type(v), nullable=_nullable(v)) for k, v in props.items()])
    scalars = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    return scalars[kind]
