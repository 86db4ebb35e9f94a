"""The library index: many works scanned once, kept in one SQLite file, listed and searched.

The Python API that ``forewarn library`` is a thin shell over::

    from forewarn.library import Library

    with Library("library.sqlite3") as library:
        summary = library.add(["~/fics"])          # scans only new or changed works
        for row in library.works(search="naruto", labels=["death"]):
            print(row.id, row.title, row.warnings)
        stored = library.get(row.id)               # the report dict, without passages

A work is the SHA-256 of its bytes: a copy elsewhere is the same work seen at another path, and a
work is scanned again only when its bytes or forewarn's detectors (``Report.detectors``) change.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from forewarn import places
from forewarn.errors import ForewarnError
from forewarn.library.export import ExportFormat, export
from forewarn.library.index import AddSummary, Progress, Step, add
from forewarn.library.scanner import Scanner, ScanOptions, Target, current_versions, scan_target
from forewarn.library.store import MIN_PREFIX, ErrorRow, Store, WorkRow
from forewarn.library.targets import expand
from forewarn.readers.txt import DEFAULT_MAX_BYTES

__all__ = [
    "AddSummary",
    "ErrorRow",
    "Library",
    "Progress",
    "ScanOptions",
    "Step",
    "StoredWork",
    "Target",
    "WorkRow",
    "current_versions",
    "default_path",
    "scan_target",
]

_HEX = re.compile(r"[0-9a-f]+")


def default_path() -> Path:
    """Where the library lives unless told: ``<user data dir>/forewarn/library.sqlite3``."""
    return places.library_path()


@dataclass(frozen=True, slots=True)
class StoredWork:
    """One work's listing row and its stored report dict (``render_json.report_to_dict``)."""

    row: WorkRow
    report: dict[str, Any]


class Library:
    """An open library file; ``create=False`` refuses a path where there is no library yet."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.store = Store(default_path() if path is None else path, create=create)

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(
        self,
        paths: Sequence[str] = (),
        *,
        calibre: Sequence[str] = (),
        who: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
        scanner: Scanner = scan_target,
        progress: Progress | None = None,
    ) -> AddSummary:
        """Index files, folders (recursively), globs and Calibre libraries; see ``index.add``."""
        targets = expand([os.path.expanduser(p) for p in paths], [os.path.expanduser(c) for c in calibre])
        options = ScanOptions(who=who, max_bytes=max_bytes)
        return add(self.store, targets, options, scanner=scanner, progress=progress)

    def works(self, *, search: str | None = None, labels: Sequence[str] = ()) -> list[WorkRow]:
        """The works by title. ``search``: FTS5 query over title, author, fandom, tags, summary
        (``fandom:naruto``, ``"found family"``, ``angst OR fluff``; text that is not valid FTS5
        is searched as plain words); ``labels``: only works warned for all of them."""
        try:
            return self.store.works(search=search, labels=labels)
        except sqlite3.OperationalError:
            if search is None:
                raise
        words = ['"' + word.replace('"', '""') + '"' for word in search.split()]
        if not words:
            raise ForewarnError("the search is empty")
        return self.store.works(search=" ".join(words), labels=labels)

    def errors(self) -> list[ErrorRow]:
        """The files that could not be indexed, with the problem."""
        return self.store.errors()

    def resolve(self, work_id: str) -> WorkRow:
        """The work whose id (hash) starts with ``work_id``; ``ForewarnError`` if none or several."""
        prefix = work_id.strip().lower()
        if not _HEX.fullmatch(prefix) or len(prefix) < MIN_PREFIX:
            raise ForewarnError(f"{work_id!r} is not a work id (at least {MIN_PREFIX} hex digits)")
        keys = self.store.find(prefix)
        if not keys:
            raise ForewarnError(f"no work with id {work_id} in {self.path}")
        if len(keys) > 1:
            raise ForewarnError(f"id {work_id} matches {len(keys)} works; give more of it")
        return self.store.works(keys=keys)[0]

    def get(self, work_id: str) -> StoredWork:
        """One work with its stored report (spoiler-safe: passages were never stored)."""
        row = self.resolve(work_id)
        return StoredWork(row, self.store.report(row.key))

    def report(self, row: WorkRow) -> dict[str, Any]:
        """The stored report dict of a listed work."""
        return self.store.report(row.key)

    def remove(self, work_ids: Sequence[str]) -> list[WorkRow]:
        """Forget these works; all ids are checked first, so a bad one removes nothing."""
        rows = {row.key: row for row in (self.resolve(w) for w in work_ids)}
        self.store.remove(list(rows))
        return list(rows.values())

    def export(self, fmt: ExportFormat, out: TextIO) -> int:
        """Write every work as JSON lines or CSV; how many."""
        return export(self.store, fmt, out)

    def pragma(self, name: str) -> Any:
        """A PRAGMA's value, for checks: ``journal_mode``, ``integrity_check``."""
        return self.store.pragma(name)
