"""The library's SQLite file: its schema and every query. The only module that writes it.

One file in WAL mode. A work is identified by the SHA-256 of its bytes; the paths where those
bytes were seen point at it. Each work is written in its own short transaction, so a process
killed at any moment leaves a consistent database that the next run carries on from.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from forewarn.errors import ForewarnError

# Bumped when the tables change; a file from a newer forewarn is refused rather than damaged.
STORE_VERSION = 1
SHORT_ID = 12  # hex digits of the hash shown as a work's id
MIN_PREFIX = 4  # the shortest id prefix accepted (shorter ones match too much by accident)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS works (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,          -- SHA-256 of the file's bytes, hex: the work's identity
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    fandom TEXT NOT NULL,               -- declared fandoms, or the one forewarn recognised
    words INTEGER NOT NULL,
    chapters INTEGER NOT NULL,
    format TEXT NOT NULL,               -- the reader that understood it: "ao3-html", "text" ...
    calibre_id INTEGER,                 -- the book id when it came from a Calibre library
    warnings TEXT NOT NULL,             -- JSON [{label, severity, confidence}], warn tier, surest first
    archive_warnings TEXT NOT NULL,     -- JSON [name]: the AO3 Archive Warnings forewarn detects
    declared_labels TEXT NOT NULL,      -- JSON [label]: what the author declared (tags, warnings, notes)
    detected_only TEXT NOT NULL,        -- JSON [label or Archive Warning]: detected, never declared
    schema TEXT NOT NULL,               -- the Report schema version
    versions TEXT NOT NULL,             -- JSON [name]: Report.detectors, what produced the report
    scanned_at TEXT NOT NULL,           -- ISO 8601, UTC
    scans INTEGER NOT NULL DEFAULT 1,   -- times these bytes were scanned (a new version adds one)
    report TEXT NOT NULL                -- JSON: render_json.report_to_dict, without passages
);
CREATE TABLE IF NOT EXISTS paths (
    path TEXT PRIMARY KEY,              -- absolute; a work may have several (copies, moves)
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS paths_work ON paths(work);
CREATE TABLE IF NOT EXISTS labels (  -- one row per label found, for `list --label`
    work INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    tier TEXT NOT NULL,                 -- "warn" or "mention"
    severity TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (work, label)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS labels_label ON labels(label, tier);
CREATE TABLE IF NOT EXISTS errors (
    path TEXT PRIMARY KEY,
    problem TEXT NOT NULL,
    hash TEXT,                          -- the bytes that failed, when they could be read ...
    versions TEXT,                      -- ... and the code that failed on them: retried when either changes
    seen_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS works_fts USING fts5(
    title, author, fandom, tags, summary, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS works_fts_delete AFTER DELETE ON works BEGIN
    DELETE FROM works_fts WHERE rowid = old.id;
END;
"""

_LIST_COLUMNS = (
    "id, hash, title, author, fandom, words, chapters, format, calibre_id, warnings, archive_warnings,"
    " declared_labels, detected_only, schema, versions, scanned_at, scans"
)


def now() -> str:
    """The current time as stored: ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class WorkRow:
    """One work as listed: what a table row needs, without the stored report."""

    key: int  # the row id, internal
    hash: str
    title: str
    author: str
    fandom: str
    words: int
    chapters: int
    format: str
    calibre_id: int | None
    warnings: tuple[dict[str, Any], ...]  # {label, severity, confidence}, surest first
    archive_warnings: tuple[str, ...]
    declared_labels: tuple[str, ...]
    detected_only: tuple[str, ...]
    schema: str
    versions: tuple[str, ...]
    scanned_at: str
    scans: int
    paths: tuple[str, ...]

    @property
    def id(self) -> str:
        """The short id a reader types: the first hex digits of the hash."""
        return self.hash[:SHORT_ID]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready listing entry (spoiler-safe: no passages, no who dies); the row id stays inside."""
        return {"id": self.id, **{f.name: getattr(self, f.name) for f in fields(self) if f.name != "key"}}


@dataclass(frozen=True, slots=True)
class ErrorRow:
    """A file that could not be indexed, and why."""

    path: str
    problem: str
    hash: str | None
    versions: tuple[str, ...] | None
    seen_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "problem": self.problem, "hash": self.hash, "seen_at": self.seen_at}


@dataclass(frozen=True, slots=True)
class Listing:
    """The columns kept beside a report for listing and searching (see ``index.listing``)."""

    title: str
    author: str
    fandom: str
    words: int
    chapters: int
    format: str
    calibre_id: int | None
    warnings: list[dict[str, Any]]
    archive_warnings: list[str]
    declared_labels: list[str]
    detected_only: list[str]
    labels: list[tuple[str, str, str, float]]  # (label, tier, severity, confidence)
    tags: str  # the author's tags, for full-text search
    summary: str
    schema: str
    versions: list[str]


class Store:
    """An open library file. Use as a context manager, or call ``close``."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise ForewarnError(f"{self.path}: no library here yet; add works with `forewarn library add`")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA foreign_keys = ON")
            self._setup(create)
        except sqlite3.DatabaseError as error:
            raise ForewarnError(f"{self.path}: not a forewarn library ({error})") from None

    def _setup(self, create: bool) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > STORE_VERSION:
            raise ForewarnError(f"{self.path}: made by a newer forewarn (library format {version})")
        if version == 0 and (not create or self.db.execute("SELECT 1 FROM sqlite_master").fetchone()):
            # Someone else's database (or a read command on an empty file): never add tables to it.
            raise ForewarnError(f"{self.path}: not a forewarn library")
        # WAL: readers never block the indexer, and a killed writer leaves the file consistent.
        self.db.execute("PRAGMA journal_mode = WAL")
        # NORMAL is safe against a killed process under WAL; only a power cut may lose the last works.
        self.db.execute("PRAGMA synchronous = NORMAL")
        if version == 0:
            # One script, one transaction; IF NOT EXISTS lets two first runs race harmlessly.
            self.db.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {STORE_VERSION}; COMMIT;"
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> _Transaction:
        """``with store.transaction():`` one atomic write, holding the write lock from the start."""
        return _Transaction(self.db)

    # --- what is known --------------------------------------------------------------------

    def work_state(self, digest: str) -> tuple[int, str, tuple[str, ...]] | None:
        """(row id, schema, versions) of the work with these bytes, or None."""
        row = self.db.execute("SELECT id, schema, versions FROM works WHERE hash = ?", (digest,)).fetchone()
        return None if row is None else (row[0], row[1], tuple(json.loads(row[2])))

    def error_state(self, path: str) -> tuple[str | None, tuple[str, ...] | None, str] | None:
        """(hash, versions, problem) of the error recorded for ``path``, or None when it has none."""
        row = self.db.execute("SELECT hash, versions, problem FROM errors WHERE path = ?", (path,)).fetchone()
        if row is None:
            return None
        return row[0], None if row[1] is None else tuple(json.loads(row[1])), row[2]

    # --- writing --------------------------------------------------------------------------

    def save(self, digest: str, path: str, listing: Listing, report: dict[str, Any]) -> int:
        """Store a fresh report for these bytes, seen at ``path``, in one transaction. Its row id."""
        values = (
            listing.title,
            listing.author,
            listing.fandom,
            listing.words,
            listing.chapters,
            listing.format,
            listing.calibre_id,
            _json(listing.warnings),
            _json(listing.archive_warnings),
            _json(listing.declared_labels),
            _json(listing.detected_only),
            listing.schema,
            _json(listing.versions),
            now(),
            _json(report),
        )
        with self.transaction():
            row = self.db.execute("SELECT id FROM works WHERE hash = ?", (digest,)).fetchone()
            if row is None:
                key = self.db.execute(
                    "INSERT INTO works (title, author, fandom, words, chapters, format, calibre_id,"
                    " warnings, archive_warnings, declared_labels, detected_only, schema, versions,"
                    " scanned_at, report, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, digest),
                ).lastrowid
                assert key is not None
            else:
                key = row[0]
                self.db.execute(
                    "UPDATE works SET title = ?, author = ?, fandom = ?, words = ?, chapters = ?,"
                    " format = ?, calibre_id = ?, warnings = ?, archive_warnings = ?, declared_labels = ?,"
                    " detected_only = ?, schema = ?, versions = ?, scanned_at = ?, report = ?,"
                    " scans = scans + 1 WHERE id = ?",
                    (*values, key),
                )
                self.db.execute("DELETE FROM labels WHERE work = ?", (key,))
                self.db.execute("DELETE FROM works_fts WHERE rowid = ?", (key,))
            self.db.executemany(
                "INSERT INTO labels (work, label, tier, severity, confidence) VALUES (?, ?, ?, ?, ?)",
                [(key, *label) for label in listing.labels],
            )
            self.db.execute(
                "INSERT INTO works_fts (rowid, title, author, fandom, tags, summary)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, listing.title, listing.author, listing.fandom, listing.tags, listing.summary),
            )
            self._attach(path, key)
        return key

    def attach_path(self, path: str, key: int) -> None:
        """Record that the work ``key`` was (also) seen at ``path``."""
        with self.transaction():
            self._attach(path, key)

    def _attach(self, path: str, key: int) -> None:
        old = self.db.execute("SELECT work FROM paths WHERE path = ?", (path,)).fetchone()
        self.db.execute(
            "INSERT INTO paths (path, work, seen_at) VALUES (?, ?, ?)"
            " ON CONFLICT (path) DO UPDATE SET work = excluded.work, seen_at = excluded.seen_at",
            (path, key, now()),
        )
        self.db.execute("DELETE FROM errors WHERE path = ?", (path,))
        if old is not None and old[0] != key:
            # The file at this path now holds other bytes: the old work is gone unless seen elsewhere.
            self.db.execute(
                "DELETE FROM works WHERE id = ? AND NOT EXISTS (SELECT 1 FROM paths WHERE work = ?)",
                (old[0], old[0]),
            )

    def record_error(
        self, path: str, problem: str, digest: str | None = None, versions: Sequence[str] | None = None
    ) -> None:
        """Remember that ``path`` could not be indexed (replacing any earlier problem there)."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO errors (path, problem, hash, versions, seen_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (path) DO UPDATE SET problem = excluded.problem, hash = excluded.hash,"
                " versions = excluded.versions, seen_at = excluded.seen_at",
                (path, problem, digest, None if versions is None else _json(list(versions)), now()),
            )

    def remove(self, keys: Sequence[int]) -> None:
        """Forget these works (their paths, labels and search entries go with them)."""
        with self.transaction():
            self.db.executemany("DELETE FROM works WHERE id = ?", [(k,) for k in keys])

    # --- reading --------------------------------------------------------------------------

    def works(
        self, *, search: str | None = None, labels: Sequence[str] = (), keys: Sequence[int] | None = None
    ) -> list[WorkRow]:
        """The works, by title; ``search``: an FTS5 query over title, author, fandom, tags and summary;
        ``labels``: only works warned (warn tier) for every one of them; ``keys``: only these rows."""
        where: list[str] = []
        params: list[Any] = []
        if search is not None:
            where.append("id IN (SELECT rowid FROM works_fts WHERE works_fts MATCH ?)")
            params.append(search)
        for label in labels:
            where.append("id IN (SELECT work FROM labels WHERE label = ? AND tier = 'warn')")
            params.append(label)
        if keys is not None:
            where.append(f"id IN ({', '.join('?' * len(keys))})")
            params.extend(keys)
        sql = f"SELECT {_LIST_COLUMNS} FROM works"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY title COLLATE NOCASE, id"
        rows = self.db.execute(sql, params).fetchall()
        paths = self._paths([r[0] for r in rows])
        return [_work_row(r, paths.get(r[0], ())) for r in rows]

    def _paths(self, keys: Sequence[int]) -> dict[int, tuple[str, ...]]:
        if len(keys) <= 500:  # a few works: ask for theirs; many: one pass over the table
            sql = f"SELECT work, path FROM paths WHERE work IN ({', '.join('?' * len(keys))}) ORDER BY path"
            rows = self.db.execute(sql, list(keys))
        else:
            rows = self.db.execute("SELECT work, path FROM paths ORDER BY path")
        found: dict[int, list[str]] = {}
        wanted = set(keys)
        for work, path in rows:
            if work in wanted:
                found.setdefault(work, []).append(path)
        return {k: tuple(v) for k, v in found.items()}

    def find(self, prefix: str) -> list[int]:
        """Row ids of the works whose hash starts with ``prefix`` (lower-case hex)."""
        # The range makes the UNIQUE index on hash serve the prefix match.
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM works WHERE hash >= ? AND hash < ? ORDER BY hash", (prefix, prefix + "g")
            )
        ]

    def report(self, key: int) -> dict[str, Any]:
        row = self.db.execute("SELECT report FROM works WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        report: dict[str, Any] = json.loads(row[0])
        return report

    def reports(self) -> Iterator[tuple[WorkRow, dict[str, Any]]]:
        """Every work with its stored report, by title (for export)."""
        for row in self.works():
            yield row, self.report(row.key)

    def errors(self) -> list[ErrorRow]:
        rows = self.db.execute("SELECT path, problem, hash, versions, seen_at FROM errors ORDER BY path")
        return [
            ErrorRow(p, problem, h, None if v is None else tuple(json.loads(v)), seen)
            for p, problem, h, v, seen in rows
        ]

    def pragma(self, name: str) -> Any:
        """One PRAGMA's value ("journal_mode", "integrity_check" ...)."""
        return self.db.execute(f"PRAGMA {name}").fetchone()[0]


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on an exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _work_row(row: Sequence[Any], paths: tuple[str, ...]) -> WorkRow:
    (key, digest, title, author, fandom, words, chapters, fmt, calibre_id) = row[:9]
    warnings, archive, declared, detected_only, schema, versions, scanned_at, scans = row[9:]
    return WorkRow(
        key,
        digest,
        title,
        author,
        fandom,
        words,
        chapters,
        fmt,
        calibre_id,
        tuple(json.loads(warnings)),
        tuple(json.loads(archive)),
        tuple(json.loads(declared)),
        tuple(json.loads(detected_only)),
        schema,
        tuple(json.loads(versions)),
        scanned_at,
        scans,
        paths,
    )
