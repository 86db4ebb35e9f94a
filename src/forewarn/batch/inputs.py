"""What ``forewarn batch`` reads: story files, folders, globs and Calibre libraries (expanded by
``forewarn.library.targets``), and JSON-lines files of ``{"id", "text" | "html" | "path"}`` records.

Records are streamed: a JSON-lines file is read a line at a time (a line over the limit is skipped
in pieces, never held whole), so memory does not grow with the input. Only the list of file paths
that folders and globs expand to is held, as ``library add`` holds it.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal, cast

from forewarn.library.scanner import Target
from forewarn.library.targets import expand

Kind = Literal["file", "path", "text", "html", "bytes"]

# Suffixes of a JSON-lines file of records (anything else is a story, a folder or a glob).
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
# Which field wins when a record holds several: HTML keeps the chapters and the author's tags.
PAYLOAD_FIELDS: tuple[Kind, ...] = ("html", "text", "path")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Record:
    """One work to scan, as it travels to a worker process (picklable).

    >>> Record("ao3:1", "text", data="The river was calm.").kind
    'text'
    """

    id: str
    kind: Kind
    data: str | bytes | None = None  # the text or HTML (str) or file bytes, for those kinds
    target: Target | None = None  # for "file" and "path": what to read
    problem: str | None = None  # known unusable before scanning: becomes an error row as it is

    @property
    def path(self) -> str | None:
        """The file this record reads, or None for text, HTML and bytes."""
        if self.target is None:
            return None
        if self.target.book is not None and self.target.book.path is None:
            return None  # a Calibre book with no format forewarn reads: its "path" is a description
        return self.target.path


def is_records_file(arg: str) -> bool:
    """Whether a command-line input is a JSON-lines file of records (or ``-``, standard input)."""
    return arg == STDIN or arg.lower().endswith(RECORD_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Inputs:
    """The inputs of one run, in the order given: file targets (expanded now) and records files."""

    parts: tuple[tuple[Target, ...] | str, ...]  # expanded targets, or a records file to stream

    @classmethod
    def of(cls, args: Sequence[str], calibre: Sequence[str] = ()) -> Inputs:
        """Expand every file, folder, glob and Calibre library; records files are only named."""
        parts: list[tuple[Target, ...] | str] = []
        for arg in args:
            parts.append(arg if is_records_file(arg) else tuple(expand([arg])))
        if calibre:
            parts.append(tuple(expand([], calibre)))
        return cls(tuple(parts))

    def count(self) -> int | None:
        """How many records there are (lines of records files counted); None for standard input."""
        total = 0
        for part in self.parts:
            if part == STDIN:
                return None
            total += len(part) if isinstance(part, tuple) else _count_lines(part)
        return total

    def __iter__(self) -> Iterator[Record]:
        for part in self.parts:
            if isinstance(part, tuple):
                yield from (_from_target(t) for t in part)
            else:
                yield from read_records(part)


def _from_target(target: Target) -> Record:
    return Record(target.path, "file", target=target, problem=target.problem)


def _open(path: str) -> IO[bytes]:
    if path == STDIN:
        return sys.stdin.buffer
    if path.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def _count_lines(path: str) -> int:
    lines = 0
    last = b"\n"
    with _open(path) as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def read_records(path: str, *, max_line: int = 1 << 30) -> Iterator[Record]:
    """The records of a JSON-lines file, one line at a time; a bad line becomes a record with a
    ``problem`` and the id ``FILE:LINE`` (stable, so a resumed run skips it too).

    A ``path`` is taken relative to the records file's folder (archives export relative paths).
    """
    base = os.getcwd() if path == STDIN else os.path.dirname(os.path.abspath(path))
    name = "<stdin>" if path == STDIN else os.path.abspath(path)  # ids stay put whatever the cwd
    with _open(path) as handle:
        for number, line in _lines(handle, max_line):
            if line is None:
                yield Record(
                    f"{name}:{number}", "text", problem=f"record is over the {max_line:,}-byte limit"
                )
            elif line.strip():
                yield _record(line, f"{name}:{number}", base)


def _lines(handle: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; None for a line longer than ``limit`` (read past in pieces, never kept)."""
    number = 0
    while line := handle.readline(limit):
        number += 1
        if len(line) < limit or line.endswith(b"\n"):
            yield number, line
            continue
        while (rest := handle.readline(limit)) and not rest.endswith(b"\n"):
            pass
        yield number, None


def _record(line: bytes, where: str, base: str) -> Record:
    try:
        obj: Any = json.loads(line)
    except ValueError as error:
        return Record(where, "text", problem=f"not a JSON object: {error}")
    if not isinstance(obj, dict):
        return Record(where, "text", problem="not a JSON object")
    rid = obj.get("id")
    if rid is None or isinstance(rid, bool | list | dict) or rid == "":
        return Record(where, "text", problem='record has no "id" (a string or a number)')
    rid = str(rid)
    for kind in PAYLOAD_FIELDS:
        value = obj.get(kind)
        if isinstance(value, str):
            if kind == "path":
                target = Target(os.path.join(base, os.path.expanduser(value)))
                return Record(rid, "path", target=target)
            return Record(rid, kind, data=value)
    return Record(rid, "text", problem='record has no "text", "html" or "path" string')
