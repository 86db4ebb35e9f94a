"""Where rows go: a JSON-lines file, or a folder of Parquet parts. Both can be killed at any moment
and reopened: a reopened output knows the ids it holds (a resumed run skips them), and never holds
half a row.

- JSON lines: each row is one ``os.write`` on an ``O_APPEND`` descriptor, so a kill leaves at
  most a torn last line, which reopening cuts off.
- Parquet (``OUT.parquet`` is a folder, as Spark writes it): rows are kept until a part is full
  (or a minute has passed), written to a hidden temporary file and renamed into place; a kill
  loses only the rows not yet in a part, and the resumed run scans those works again.

Only one run may write an output at a time (an advisory lock, where the system has ``fcntl``).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from forewarn.batch.rows import arrow_schema
from forewarn.defaults import PART_ROWS
from forewarn.errors import ForewarnError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one run per output is then up to the user
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

PART_SECONDS = 60.0  # ... or a part at least this often, so that a kill loses little time


class RowWriter(Protocol):
    """An output of rows that a run appends to."""

    def ids(self) -> set[str]:
        """The ids already in the output (read when it was opened)."""
        ...

    def write(self, row: dict[str, Any]) -> None: ...

    def close(self) -> None:
        """Make every row written so far durable (a Parquet writer writes its last part)."""
        ...


def open_writer(path: str | os.PathLike[str], *, part_rows: int = PART_ROWS) -> JsonlWriter | ParquetWriter:
    """The writer for ``path``: Parquet for a name ending in ``.parquet``, JSON lines otherwise."""
    if os.fspath(path).lower().endswith(".parquet"):
        return ParquetWriter(path, part_rows=part_rows)
    return JsonlWriter(path)


def _lock(fd: int, path: Path) -> None:
    if fcntl is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ForewarnError(f"{path}: another forewarn batch is writing this output") from None


def encode_row(row: dict[str, Any]) -> bytes:
    """One JSON line (compact; the id first, so that a resumed run reads ids quickly)."""
    try:
        text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate somewhere: escaped, still valid JSON
        return (json.dumps(row, separators=(",", ":")) + "\n").encode("ascii")


class JsonlWriter:
    """Rows appended to a JSON-lines file, one atomic write each."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        _lock(self.fd, self.path)
        self._ids = self._read_ids()

    def _read_ids(self) -> set[str]:
        ids: set[str] = set()
        good = 0  # bytes up to the end of the last whole line
        with open(self.path, "rb") as handle:
            for number, line in enumerate(handle, 1):
                if not line.endswith(b"\n"):
                    break  # torn by a kill mid-write: cut off below, and the work scanned again
                rid = _id_of(line)
                if rid is None:
                    log.warning(
                        "%s:%d: not a row; left as it is, and its work scanned again", self.path, number
                    )
                else:
                    ids.add(rid)
                good += len(line)
        if good < os.fstat(self.fd).st_size:
            log.info("%s: cutting off a torn last line", self.path)
            os.ftruncate(self.fd, good)
        return ids

    def ids(self) -> set[str]:
        return self._ids

    def write(self, row: dict[str, Any]) -> None:
        data = encode_row(row)
        written = os.write(self.fd, data)
        while written < len(data):  # short writes (a full disk raises instead): finish the line
            written += os.write(self.fd, data[written:])

    def close(self) -> None:
        if self.fd >= 0:
            os.fsync(self.fd)
            os.close(self.fd)  # also releases the lock
            self.fd = -1


def _id_of(line: bytes) -> str | None:
    """The ``id`` of a row line, decoding only the id when the line starts with it."""
    try:
        if line.startswith(b'{"id":'):
            rid, _ = json.JSONDecoder().raw_decode(line.decode("utf-8"), 6)
        else:
            rid = json.loads(line).get("id")
    except (ValueError, AttributeError):
        return None
    return rid if isinstance(rid, str) else None


class ParquetWriter:
    """Rows in a folder of Parquet parts (``part-00000.parquet`` …), each renamed into place whole."""

    def __init__(self, path: str | os.PathLike[str], *, part_rows: int = PART_ROWS) -> None:
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise ForewarnError(
                "Parquet output needs pyarrow: pip install 'forewarn[parquet]' (or write .jsonl)"
            ) from None
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise ForewarnError(f"{self.path}: exists and is not a folder of Parquet parts")
        self.path.mkdir(parents=True, exist_ok=True)
        self.lock_fd = os.open(self.path / ".forewarn-batch.lock", os.O_RDWR | os.O_CREAT, 0o644)
        _lock(self.lock_fd, self.path)
        for stale in self.path.glob(".part-*.tmp"):  # a part a kill interrupted: its rows are redone
            stale.unlink()
        self.part_rows = part_rows
        self.buffer: list[dict[str, Any]] = []
        self.since = time.monotonic()
        parts = sorted(self._parts())
        self.next_part = int(parts[-1].stem.split("-")[1]) + 1 if parts else 0
        self._ids = self._read_ids(parts)

    def _parts(self) -> Iterator[Path]:
        return self.path.glob("part-*.parquet")

    def _read_ids(self, parts: list[Path]) -> set[str]:
        import pyarrow.parquet as pq

        ids: set[str] = set()
        for part in parts:
            ids.update(pq.read_table(part, columns=["id"]).column("id").to_pylist())
        return ids

    def ids(self) -> set[str]:
        return self._ids

    def write(self, row: dict[str, Any]) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.part_rows or time.monotonic() - self.since >= PART_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the rows held so far as one part (temporary name, fsync, rename)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.since = time.monotonic()
        if not self.buffer:
            return
        name = f"part-{self.next_part:05d}.parquet"
        tmp = self.path / f".{name}.tmp"
        table = pa.Table.from_pylist(self.buffer, schema=arrow_schema())
        pq.write_table(table, tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, self.path / name)
        self.next_part += 1
        self.buffer = []

    def close(self) -> None:
        if self.lock_fd >= 0:
            self.flush()
            os.close(self.lock_fd)
            self.lock_fd = -1
