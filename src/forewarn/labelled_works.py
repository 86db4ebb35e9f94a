"""Works labelled under WARNINGS.md: read the records, find and read their files.

A record (one JSON object a line, ``WARNINGS.md`` "Record format") names its story in ``file``:
a path relative to the records file's folder or one of the folders above it (the shared data
names files relative to ``shared/``), optionally ``PATH#ID`` for one work of a JSON-lines file of
``{"work_id" | "id", "text"}`` objects (the PAN 2023 sample holds chapter HTML that way).
``PATH`` is a JSON-lines file, or a folder holding the records file (the ``.jsonl`` file whose
objects have a ``warn`` field).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forewarn.errors import ForewarnError, UnreadableInputError
from forewarn.model import Work
from forewarn.readers.sniff import read_work

_SEARCH_UP = 4  # folders above the records file searched for a record's file


@dataclass(frozen=True, slots=True)
class LabelledWork:
    """One record: the careful reader's labels for one work."""

    id: str
    file: str  # as the record names it
    words: int
    warn: dict[str, str]  # label -> severity (graphic / depicted / central)
    mention: frozenset[str]
    archive_warnings: frozenset[str]
    who_dies: tuple[tuple[str, bool], ...]  # (name, major)


def records_file(path: str | os.PathLike[str]) -> Path:
    """The JSON-lines records file that ``path`` names (itself, or the one inside a folder)."""
    p = Path(path)
    if p.is_file():
        return p
    if not p.is_dir():
        raise ForewarnError(f"{p}: no such file or folder")
    candidates = [f for f in sorted(p.glob("*.jsonl")) if _holds_records(f)]
    if len(candidates) != 1:
        found = ", ".join(f.name for f in candidates) or "none"
        raise ForewarnError(f"{p}: expected one records file (.jsonl with 'warn' fields), found {found}")
    return candidates[0]


def _holds_records(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            first = json.loads(handle.readline())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(first, dict) and "warn" in first


def load_records(path: str | os.PathLike[str]) -> tuple[Path, list[LabelledWork]]:
    """The records file and its records, in file order."""
    source = records_file(path)
    records = []
    try:
        with open(source, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    records.append(_record(json.loads(line)))
                except (json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as error:
                    raise ForewarnError(f"{source}:{number}: not a WARNINGS.md record ({error})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ForewarnError(f"{source}: cannot read the records ({error})") from None
    return source, records


def _record(raw: dict[str, Any]) -> LabelledWork:
    return LabelledWork(
        id=str(raw["id"]),
        file=str(raw["file"]),
        words=int(raw.get("words") or 0),
        warn={label: str((v or {}).get("severity", "depicted")) for label, v in raw["warn"].items()},
        mention=frozenset(raw.get("mention") or ()),
        archive_warnings=frozenset(raw.get("archive_warnings") or ()),
        who_dies=tuple((str(d["name"]), bool(d.get("major", True))) for d in raw.get("who_dies") or ()),
    )


def _locate(records: Path, name: str) -> Path:
    folder = records.resolve().parent
    for base in [folder, *folder.parents][: _SEARCH_UP + 1]:
        candidate = base / name
        if candidate.exists():
            return candidate
    raise UnreadableInputError(name, f"not found beside {records} or in the {_SEARCH_UP} folders above it")


def read_labelled(records: Path, record: LabelledWork) -> Work:
    """Read the work a record names (through the same readers ``scan`` uses)."""
    name, _, ident = record.file.partition("#")
    path = _locate(records, name)
    if not ident:
        return read_work(path)
    text = _member_text(path, ident)
    # The readers take files (they sniff bytes); the member goes through a private temporary one.
    with tempfile.TemporaryDirectory(prefix="forewarn-") as folder:
        suffix = ".html" if text.lstrip().startswith("<") else ".txt"
        member = Path(folder) / f"{ident}{suffix}"
        member.write_text(text, encoding="utf-8")
        return read_work(member)


def _member_text(path: Path, ident: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line) if line.strip() else None
                if isinstance(row, dict) and str(row.get("work_id", row.get("id"))) == ident:
                    return str(row["text"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError) as error:
        raise UnreadableInputError(f"{path}#{ident}", f"not a JSON-lines file of works ({error})") from None
    raise UnreadableInputError(f"{path}#{ident}", "no work with that id in the file")


def iter_labelled(
    records: Path, labelled: Sequence[LabelledWork]
) -> Iterator[tuple[LabelledWork, Work | UnreadableInputError]]:
    """Each record with its Work, or the error that kept it from being read."""
    for record in labelled:
        try:
            yield record, read_labelled(records, record)
        except UnreadableInputError as error:
            yield record, error
