"""Golden Reports: the results of the default scan, pinned, so that a rewrite cannot change them.

The golden set is every story input the project keeps or reads beside it:

* ``repo:`` the repository's own fixtures (``tests/fixtures/**``, story files: ``.html``, ``.epub``,
  ``.txt``; a JSON sidecar is read with its story) and ``examples/the-lighthouse-keeper.txt``;
* ``shared:`` the seeds (``../shared/seeds/*.txt``) and the shared fixtures
  (``../shared/fixtures/**``, story files), named by their path relative to ``../shared``;
* ``dev:`` the works of ``../shared/data/works-dev/careful.jsonl``, named by their record id and
  read through ``forewarn.labelled_works`` (``load_records`` + ``read_labelled``).

Each input's golden (``tests/golden/<sha256 of its key, 16 hex digits>.json``) holds what the
default scan (``pipeline.gather`` then ``pipeline.report``, which is what ``forewarn.scan`` does)
says about it, and no text at all: the shared data must not be copied into the repository. So it
keeps labels, tiers, severities, confidences and presences (rounded to 6 places, compared with a
tolerance of 1e-6), the evidence's offsets and chapters, every counted finding's detector, cue,
offsets and score, the archive warnings, the per-chapter verdicts, characters, relationships,
fandom, who dies and the deaths' offsets, the detectors, the sections and chapters as offsets,
the word count; and sha256 digests of the work's text and of its metadata (title, author, the
author's declared tags and summary, chapter titles), so that a reader change is caught too.

    python tools/golden.py --update     # scan every input, write its golden (and drop stale ones)
    python tools/golden.py --check      # scan every input, print each difference; exit 1 on any
    python tools/golden.py --check --only shared:seeds/000_1f5270f4df896558.txt

Inputs under ``../shared`` are left out, with a note, where ``../shared`` is absent.
``tests/test_golden.py`` runs the same check per golden file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GOLDEN = REPO / "tests" / "golden"
DEV_RECORDS = "data/works-dev/careful.jsonl"  # relative to SHARED
EXAMPLE = "examples/the-lighthouse-keeper.txt"
STORY_SUFFIXES = frozenset({".html", ".epub", ".txt"})
FORMAT = 1  # the golden files' own format; bump it (and --update) when what they hold changes
PLACES = 6  # floats are rounded to this many decimal places
TOLERANCE = 1e-6  # and compared with this tolerance (plus a hair for the rounding itself)
_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class Input:
    """One input of the golden set: ``key`` is ``repo:PATH``, ``shared:PATH`` or ``dev:ID``."""

    key: str

    @property
    def origin(self) -> str:
        return self.key.partition(":")[0]

    @property
    def ref(self) -> str:
        return self.key.partition(":")[2]

    @property
    def needs_shared(self) -> bool:
        return self.origin in ("shared", "dev")

    @property
    def golden_path(self) -> Path:
        return GOLDEN / f"{hashlib.sha256(self.key.encode()).hexdigest()[:16]}.json"


def shared_available() -> bool:
    return SHARED.is_dir()


def _stories(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in STORY_SUFFIXES)


def inputs() -> list[Input]:
    """Every input of the golden set that is here (the shared ones only where ../shared is)."""
    found = [Input(f"repo:{p.relative_to(REPO).as_posix()}") for p in _stories(REPO / "tests" / "fixtures")]
    found.append(Input(f"repo:{EXAMPLE}"))
    if shared_available():
        found += [
            Input(f"shared:{p.relative_to(SHARED).as_posix()}")
            for p in sorted((SHARED / "seeds").glob("*.txt"))
        ]
        found += [Input(f"shared:{p.relative_to(SHARED).as_posix()}") for p in _stories(SHARED / "fixtures")]
        found += [Input(f"dev:{ident}") for ident in _dev_records()[1]]
    return found


@cache
def _dev_records() -> tuple[Path, dict[str, Any]]:
    from forewarn.labelled_works import load_records

    source, records = load_records(SHARED / DEV_RECORDS)
    return source, {r.id: r for r in records}


def read_input(item: Input) -> Any:
    """The Work of ``item``, read as the project reads it."""
    from forewarn.api import read
    from forewarn.labelled_works import read_labelled

    if item.origin == "repo":
        return read(REPO / item.ref)
    if item.origin == "shared":
        return read(SHARED / item.ref)
    if item.origin == "dev":
        source, records = _dev_records()
        return read_labelled(source, records[item.ref])
    raise ValueError(f"{item.key}: unknown origin")


# ---------------------------------------------------------------------------------------------
# Report -> golden dict (no text)


def _sha(value: Any) -> str:
    data = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, PLACES) if math.isfinite(value) else repr(value)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def _verdict(entry: dict[str, Any]) -> dict[str, Any]:
    """A verdict of ``report_to_dict`` without its text (evidence text, chapter titles)."""
    out = {k: v for k, v in entry.items() if k not in ("label", "name", "group", "evidence", "first_chapter")}
    first = entry.get("first_chapter")
    out["first_chapter"] = None if first is None else first["index"]
    out["evidence"] = [
        [e["start"], e["end"], e["chapter"], e["score"], e["severity"]] for e in entry.get("evidence", ())
    ]
    return out


def golden_of(item: Input, work: Any = None) -> dict[str, Any]:
    """Scan ``item`` (or its already read ``work``) and return its golden dict."""
    from forewarn.model import word_count
    from forewarn.pipeline import gather, report
    from forewarn.render_json import report_to_dict

    work = read_input(item) if work is None else work
    gathered = gather(work)
    rep = report(work, gathered)
    d = report_to_dict(rep, show_passages=True)

    findings: dict[str, list[list[Any]]] = {}
    for f in gathered.counted:
        findings.setdefault(f.label, []).append(
            [f.detector, f.cue, f.start, f.end, f.passage, f.score, f.severity]
        )
    for rows in findings.values():
        rows.sort(key=lambda r: (r[2], r[3], r[0], r[1], r[4]))
    all_findings: dict[str, int] = {}
    for f in gathered.findings:
        all_findings[f.detector] = all_findings.get(f.detector, 0) + 1

    metadata = {
        "title": work.title,
        "author": work.author,
        "declared": d["declared"],
        "chapter_titles": [c.title for c in work.chapters],
    }
    who: dict[str, Any] | None = None
    if rep.who is not None:
        who = {
            "characters": d["characters"],
            "relationships": d["relationships"],
            "fandom": d["fandom"],
            "who_dies": d["who_dies"],
            "deaths": [[x.name, x.start, x.end, x.cue] for x in rep.who.deaths],
        }
    golden = {
        "golden": FORMAT,
        "input": item.key,
        "schema": d["schema"],
        "text_sha256": _sha(work.text),
        "metadata_sha256": _sha(metadata),
        "format": work.source.format,
        "reader_notes": list(work.source.notes),
        "chars": len(work.text),
        "words": word_count(work.text),
        "sections": [[s.kind, s.start, s.end, s.chapter] for s in work.sections],
        "chapters": [[c.start, c.end] for c in work.chapters],
        "passages": len(gathered.passages),
        "detectors": d["detectors"],
        "findings_per_detector": dict(sorted(all_findings.items())),
        "verdicts": {
            v.label: {
                "tier": v.tier,
                "severity": v.severity,
                "confidence": v.confidence,
                "presence": v.presence,
                "declared": v.declared,
            }
            for v in rep.verdicts
        },
        "warnings": {e["label"]: _verdict(e) for e in d["warnings"]},
        "mentions": {e["label"]: _verdict(e) for e in d["mentions"]},
        "findings": dict(sorted(findings.items())),
        "archive_warnings": {a.pop("name"): a for a in d["archive_warnings"]},
        "declared_labels": d["declared"]["labels"],
        "warning_stance": d["declared"]["stance"],
        "declared_vs_detected": d["declared_vs_detected"],
        "archive_declared_vs_detected": d["archive_declared_vs_detected"],
        "chapter_verdicts": [
            [
                c["index"],
                [[w["label"], w["severity"], w["confidence"]] for w in c["warnings"]],
                [[m["label"], m["confidence"]] for m in c["mentions"]],
            ]
            for c in d["chapters"]
        ],
        "who": who,
    }
    result: dict[str, Any] = _round(golden)
    return result


def dumps(golden: dict[str, Any]) -> str:
    return json.dumps(golden, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Comparing


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def _same_number(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, numbers) or not isinstance(b, numbers):
        return False
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return abs(a - b) <= TOLERANCE + _SLACK


def differences(golden: Any, now: Any, path: str = "") -> Iterator[str]:
    """Each difference between ``golden`` and ``now``, as ``path: golden X, now Y``."""
    here = path or "(root)"
    if isinstance(golden, dict) and isinstance(now, dict):
        for key in golden:
            sub = f"{path}.{key}" if path else str(key)
            if key not in now:
                yield f"{sub}: golden {_show(golden[key])}, now missing"
            else:
                yield from differences(golden[key], now[key], sub)
        for key in now:
            if key not in golden:
                sub = f"{path}.{key}" if path else str(key)
                yield f"{sub}: golden missing, now {_show(now[key])}"
        return
    if isinstance(golden, list) and isinstance(now, list):
        if len(golden) != len(now):
            yield f"{here}: golden has {len(golden)} items, now {len(now)}"
        for index, (g, n) in enumerate(zip(golden, now, strict=False)):
            yield from differences(g, n, f"{path}[{index}]")
        for index in range(len(now), len(golden)):
            yield f"{path}[{index}]: golden {_show(golden[index])}, now missing"
        for index in range(len(golden), len(now)):
            yield f"{path}[{index}]: golden missing, now {_show(now[index])}"
        return
    if golden == now and type(golden) is type(now):
        return
    if _same_number(golden, now):
        return
    yield f"{here}: golden {_show(golden)}, now {_show(now)}"


def check_one(item: Input) -> list[str]:
    """The differences of ``item`` from its golden (one line each); [] when it matches."""
    if not item.golden_path.exists():
        return [f"no golden file {item.golden_path.name} (run python tools/golden.py --update)"]
    golden = json.loads(item.golden_path.read_text(encoding="utf-8"))
    return list(differences(golden, golden_of(item)))


def load_golden_files() -> list[tuple[Path, Input]]:
    """Every golden file with the input it pins."""
    found = []
    for path in sorted(GOLDEN.glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))["input"]
        found.append((path, Input(key)))
    return found


# ---------------------------------------------------------------------------------------------
# Command line


def _selected(only: list[str] | None) -> list[Input]:
    items = inputs()
    if only:
        wanted = set(only)
        items = [i for i in items if i.key in wanted]
        missing = wanted - {i.key for i in items}
        if missing:
            raise SystemExit(f"not in the golden set (here): {', '.join(sorted(missing))}")
    return items


def update(only: list[str] | None) -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    items = _selected(only)
    started = time.perf_counter()
    changed = 0
    for item in items:
        text = dumps(golden_of(item))
        path = item.golden_path
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed += 1
    stale = []
    if not only:
        keys = {i.key for i in items}
        for path, item in load_golden_files():
            if item.key not in keys and (shared_available() or not item.needs_shared):
                path.unlink()
                stale.append(item.key)
    print(
        f"{len(items)} inputs scanned in {time.perf_counter() - started:.1f} s; "
        f"{changed} golden files written, {len(stale)} stale ones removed ({', '.join(stale) or 'none'})"
    )
    if not shared_available():
        print(f"note: {SHARED} is absent: the seeds, shared fixtures and dev works were left out")
    return 0


def check(only: list[str] | None) -> int:
    items = _selected(only)
    started = time.perf_counter()
    failed = 0
    for item in items:
        lines = check_one(item)
        if lines:
            failed += 1
            print(f"--- {item.key} ({item.golden_path.name}): {len(lines)} differences")
            for line in lines[:200]:
                print(f"    {line}")
            if len(lines) > 200:
                print(f"    ... and {len(lines) - 200} more")
    if not only:
        keys = {i.key for i in items}
        for path, item in load_golden_files():
            if item.key not in keys and (shared_available() or not item.needs_shared):
                failed += 1
                print(f"--- {item.key} ({path.name}): golden file for an input that is gone")
    elapsed = time.perf_counter() - started
    print(f"{len(items)} inputs checked in {elapsed:.1f} s: {failed} with differences")
    if not shared_available():
        print(f"note: {SHARED} is absent: the seeds, shared fixtures and dev works were not checked")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--update", action="store_true", help="scan every input and write its golden file")
    mode.add_argument("--check", action="store_true", help="scan every input and print each difference")
    mode.add_argument("--list", action="store_true", help="list the inputs and their golden files")
    parser.add_argument("--only", action="append", metavar="KEY", help="just this input (repeatable)")
    args = parser.parse_args(argv)
    if args.list:
        for item in _selected(args.only):
            print(f"{item.golden_path.name}  {item.key}")
        return 0
    return update(args.only) if args.update else check(args.only)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
