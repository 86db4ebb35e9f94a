"""The library page's data: filters read from a query string, the reader's profile applied, sorted
and cut into pages. Nothing here knows about HTTP or HTML (the app renders what it returns).

The library answers the text search (FTS5); the rest (labels to have and not to have, a minimum
severity, a fandom, the profile, the order, the page) is applied here to the listed rows, which
hold the warn-tier warnings and so need no report. The rows of the whole library are read once
per change of the library file (``Snapshot``), and only the profile reads each work's stored
report, once per work and profile (``Judge``): a page of a 10,000-work library costs a filter
and a sort in memory.
"""

from __future__ import annotations

import math
import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from forewarn.labels import LABEL_NAMES
from forewarn.library import Library, WorkRow
from forewarn.profile import SEVERITY_ORDER, Judgement, Profile

PER_PAGE = 50
PER_PAGE_CHOICES = (25, 50, 100, 200)
SEVERITIES = SEVERITY_ORDER[1:]  # the warn tier's: central < depicted < graphic
_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}


def _title_key(row: WorkRow) -> tuple[str, int]:
    return (row.title.casefold(), row.key)


def _worst(row: WorkRow) -> int:
    return max((_RANK.get(w["severity"], 0) for w in row.warnings), default=-1)


# How each sortable column orders rows (ties by title, so a page is always the same page).
SORTS: dict[str, Callable[[WorkRow], Any]] = {
    "title": _title_key,
    "author": lambda r: (r.author.casefold() or "\uffff", *_title_key(r)),
    "fandom": lambda r: (r.fandom.casefold() or "\uffff", *_title_key(r)),
    "words": lambda r: (r.words, *_title_key(r)),
    "chapters": lambda r: (r.chapters, *_title_key(r)),
    "warnings": lambda r: (len(r.warnings), _worst(r), *_title_key(r)),
    "scanned": lambda r: (r.scanned_at, *_title_key(r)),
}


@dataclass(frozen=True, slots=True)
class Query:
    """What the reader asked of the list; every field comes from the query string, checked."""

    search: str = ""
    include: tuple[str, ...] = ()  # warned for all of these
    exclude: tuple[str, ...] = ()  # warned for none of these
    severity: str = ""  # "": any; else at least this severe (for the included labels, or any warning)
    fandom: str = ""  # part of the fandom's name, any case
    sort: str = "title"
    desc: bool = False
    page: int = 1
    per: int = PER_PAGE
    hidden: bool = False  # list the works the profile hides (with the reason) instead

    @classmethod
    def parse(cls, params: Any) -> tuple[Query, list[str]]:
        """A query from request parameters (anything with ``get`` and ``getlist``), and the
        problems found in them; a bad value is dropped with a problem, never an error page."""
        problems: list[str] = []

        def labels(name: str) -> tuple[str, ...]:
            chosen: list[str] = []
            for raw in params.getlist(name):
                for value in str(raw).split(","):
                    value = value.strip()
                    if not value or value in chosen:
                        continue
                    if value in LABEL_NAMES:
                        chosen.append(value)
                    else:
                        problems.append(f"unknown label {value!r} ignored")
            return tuple(chosen)

        def number(name: str, default: int) -> int:
            raw = params.get(name) or ""
            if not raw:
                return default
            try:
                return max(1, int(raw))
            except ValueError:
                problems.append(f"{name} {raw!r} is not a number")
                return default

        severity = (params.get("severity") or "").strip()
        if severity and severity not in SEVERITIES:
            problems.append(f"unknown severity {severity!r} ignored")
            severity = ""
        sort = params.get("sort") or "title"
        if sort not in SORTS:
            problems.append(f"cannot sort by {sort!r}")
            sort = "title"
        per = number("per", PER_PAGE)
        if per not in PER_PAGE_CHOICES:
            per = min(PER_PAGE_CHOICES, key=lambda choice: abs(choice - per))
        query = cls(
            search=(params.get("q") or "").strip()[:500],
            include=labels("include"),
            exclude=labels("exclude"),
            severity=severity,
            fandom=(params.get("fandom") or "").strip()[:200],
            sort=sort,
            desc=params.get("order") == "desc",
            page=number("page", 1),
            per=per,
            hidden=params.get("view") == "hidden",
        )
        return query, problems

    @property
    def filtered(self) -> bool:
        return bool(self.search or self.include or self.exclude or self.severity or self.fandom)

    def params(self, **changes: Any) -> str:
        """This query as a query string (``?q=…&include=…``), with ``changes``; defaults left out."""
        query = replace(self, **changes)
        pairs: list[tuple[str, str]] = []
        if query.search:
            pairs.append(("q", query.search))
        pairs += [("include", label) for label in query.include]
        pairs += [("exclude", label) for label in query.exclude]
        for name, value, default in (
            ("severity", query.severity, ""),
            ("fandom", query.fandom, ""),
            ("sort", query.sort, "title"),
            ("order", "desc" if query.desc else "", ""),
            ("per", str(query.per), str(PER_PAGE)),
            ("view", "hidden" if query.hidden else "", ""),
            ("page", str(query.page), "1"),
        ):
            if value != default:
                pairs.append((name, value))
        return "?" + urlencode(pairs) if pairs else "?"

    def sort_link(self, column: str) -> str:
        """The link of a column heading: sort by it, or turn the order round when it already sorts."""
        desc = not self.desc if self.sort == column else column in ("words", "chapters", "warnings")
        return self.params(sort=column, desc=desc, page=1)


class Judge:
    """A profile's judgements of stored works, each worked out once (a work's report changes only
    with a new scan, which changes ``scanned_at``); a new profile starts afresh."""

    MAX_ENTRIES = 200_000  # far above any library; a bound, so that a server never grows unchecked

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._seen: dict[tuple[str, str], Judgement] = {}

    def __call__(self, library: Library, row: WorkRow) -> Judgement | None:
        if self.profile.empty:
            return None
        key = (row.hash, row.scanned_at)
        judgement = self._seen.get(key)
        if judgement is None:
            if len(self._seen) >= self.MAX_ENTRIES:
                self._seen.clear()
            judgement = self.profile.judge(library.report(row))
            self._seen[key] = judgement
        return judgement


class Snapshot:
    """Every row of the library, read again only when the library file (or its write-ahead log)
    changes: stamped before reading, so a write during a read only makes the next request read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[tuple[int, int, int] | None, ...] | None = None
        self._rows: list[WorkRow] = []
        self._fandoms: list[str] = []

    def _stamp_now(self) -> tuple[tuple[int, int, int] | None, ...]:
        # An empty log says nothing (each connection makes one, the last one closing deletes it):
        # only its size and time while it holds writes, and the main file's, tell a change.
        stamps: list[tuple[int, int, int] | None] = []
        for name in (self.path, Path(f"{self.path}-wal")):
            try:
                info = os.stat(name)
            except OSError:
                stamps.append(None)
                continue
            stamps.append((info.st_mtime_ns, info.st_size, info.st_ino) if info.st_size else None)
        return tuple(stamps)

    def rows(self, library: Library) -> tuple[list[WorkRow], list[str]]:
        """(every row by title, the commonest fandoms)."""
        stamp = self._stamp_now()
        with self._lock:
            if stamp != self._stamp:
                rows = library.works()
                self._rows, self._fandoms, self._stamp = rows, fandom_choices(rows), stamp
            return self._rows, self._fandoms


@dataclass(slots=True)
class Page:
    """One page of the list, with what the reader needs to know about the rest."""

    query: Query
    rows: list[tuple[WorkRow, Judgement | None]]
    matches: int  # works that pass the filters and the profile (or that it hides, in the hidden view)
    hidden: int  # works that pass the filters but the profile hides
    total: int  # works in the library
    pages: int
    fandoms: list[str] = field(default_factory=list)  # the commonest, for the fandom field's choices
    problems: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return (self.query.page - 1) * self.query.per + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def passes(row: WorkRow, query: Query) -> bool:
    """The filters but the text search: labels to have and not to have, severity and fandom."""
    warned = {w["label"]: w["severity"] for w in row.warnings}
    if not all(label in warned for label in query.include):
        return False
    if any(label in warned for label in query.exclude):
        return False
    if query.severity:
        floor = _RANK[query.severity]
        judged = [warned[label] for label in query.include] if query.include else list(warned.values())
        if not any(_RANK.get(s, 0) >= floor for s in judged):
            return False
    return not (query.fandom and query.fandom.casefold() not in row.fandom.casefold())


def fandom_choices(rows: Sequence[WorkRow], limit: int = 200) -> list[str]:
    """The fandoms named most often in the library, for the fandom field's suggestions."""
    counts: Counter[str] = Counter()
    for row in rows:
        for name in row.fandom.split(", "):
            if name.strip():
                counts[name.strip()] += 1
    return sorted(name for name, _ in counts.most_common(limit))


def library_page(
    library: Library,
    judge: Judge,
    query: Query,
    problems: Sequence[str] = (),
    snapshot: Snapshot | None = None,
) -> Page:
    """The page of works ``query`` asks for: filtered, judged by the profile, sorted, cut."""
    if snapshot is None:
        every = library.works()
        fandoms = fandom_choices(every)
    else:
        every, fandoms = snapshot.rows(library)
    found = every
    if query.search:
        keys = {row.key for row in library.works(search=query.search)}
        found = [row for row in every if row.key in keys]
    shown: list[tuple[WorkRow, Judgement | None]] = []
    hidden: list[tuple[WorkRow, Judgement | None]] = []
    for row in found:
        if not passes(row, query):
            continue
        judgement = judge(library, row)
        (hidden if judgement is not None and judgement.hidden else shown).append((row, judgement))
    listed = hidden if query.hidden else shown
    order = SORTS[query.sort]
    listed.sort(key=lambda pair: order(pair[0]), reverse=query.desc)
    pages = max(1, math.ceil(len(listed) / query.per))
    page = min(query.page, pages)
    query = replace(query, page=page)
    start = (page - 1) * query.per
    return Page(
        query=query,
        rows=listed[start : start + query.per],
        matches=len(listed),
        hidden=len(hidden),
        total=len(every),
        pages=pages,
        fandoms=fandoms,
        problems=list(problems),
    )
