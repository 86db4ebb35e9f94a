"""The fuzz harness: hostile inputs through every reader and the command line, counted.

    python -m tests.fuzz.harness --cases 10000 [--jobs 2] [--seed 0] [--save tests/regressions/fuzz]

Each shard draws cases with Hypothesis (``cases.py``) and hands each to its own executor
process, which writes the case into an empty folder, reads and scans it (``forewarn.scan`` or
the Calibre library scan), renders the Report as JSON and as a table, and for some cases runs
``forewarn scan`` end to end. What counts:

- **crash**: anything but a ``ForewarnError`` escaped the library, or the command line printed
  a traceback or exited with a code it does not document;
- **hang**: the case took more than 1 s per 100 KB of input (at least 1 s), or the executor did
  not answer at all and was killed;
- **rejected**: forewarn refused the input with its one-line error, as it should for bad input.

Peak memory is the largest resident size any executor reached. ``--save`` keeps every crash
and hang as a regression case (its files and a ``case.json``) that ``tests/test_fuzz.py``
replays on every run.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tests.fuzz.cases import KINDS, Case, cases

BUDGET_PER_100KB = 1.0  # seconds: more is a hang (the definition)
MIN_BUDGET = 1.0  # seconds: the floor, for inputs of a few bytes
KILL_AFTER = 30.0  # seconds beyond the budget before an executor that does not answer is killed
CLI_EXIT_CODES = (0, 1, 2)  # ok, warnings found (--fail-on), errors (cli.EXIT_*)


def budget(size: int) -> float:
    return max(MIN_BUDGET, BUDGET_PER_100KB * size / 100_000)


# --- the executor: one case at a time, in its own process -----------------------------------


def _make_special(folder: Path, case: Case) -> None:
    target = folder / case.main
    if case.special == "fifo":
        os.mkfifo(target)
    elif case.special == "dir":
        target.mkdir()
    elif case.special == "devzero":
        target.symlink_to("/dev/zero")
    elif case.special == "loop":
        target.symlink_to(target)
    elif case.special == "dangling":
        target.symlink_to(folder / "nowhere")


def _write(folder: Path, case: Case) -> None:
    for name, data in case.files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if case.special:
        _make_special(folder, case)


def exercise(path: Path, kind: str) -> str:
    """Read, scan and render one input through the library; 'ok' or 'rejected'."""
    from rich.console import Console

    from forewarn.api import scan, scan_calibre_library
    from forewarn.errors import ForewarnError
    from forewarn.model import Report
    from forewarn.render_json import report_to_dict
    from forewarn.render_table import print_reports

    try:
        if kind == "calibre":
            results = list(scan_calibre_library(path))
            reports = [r for r in results if isinstance(r, Report)]
        else:
            reports = [scan(path)]
    except ForewarnError:
        return "rejected"
    for report in reports:
        json.dumps(report_to_dict(report, show_passages=True), ensure_ascii=False)
    print_reports(reports, Console(file=io.StringIO(), width=100), show_passages=True, show_mentions=True)
    return "ok"


def run_cli(path: Path) -> str | None:
    """``forewarn scan`` end to end; a problem, or None."""
    from forewarn.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["scan", str(path), "--format", "jsonl"])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    if code not in CLI_EXIT_CODES:
        return f"exit code {code}"
    if "Traceback" in err.getvalue() or "internal error" in err.getvalue():
        return "a bug reported on stderr: " + err.getvalue()[-1000:]
    return None


def run_case(case: Case) -> dict[str, Any]:
    """Outcome of one case: {'outcome', 'seconds', 'detail'}."""
    with tempfile.TemporaryDirectory(prefix="forewarn-fuzz-") as tmp:
        folder = Path(tmp)
        _write(folder, case)
        path = folder / case.main
        started = time.perf_counter()
        detail = ""
        try:
            outcome = exercise(path, case.kind)
            if case.cli and (problem := run_cli(path)):
                outcome, detail = "crash", "cli: " + problem
        except BaseException:  # everything that escapes is what we count
            outcome, detail = "crash", traceback.format_exc(limit=-8)
        seconds = time.perf_counter() - started
    if outcome != "crash" and seconds > budget(case.size):
        outcome, detail = "hang", f"{seconds:.1f} s for {case.size} bytes"
    return {"outcome": outcome, "seconds": seconds, "detail": detail}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _executor(connection: Connection) -> None:
    from forewarn.api import scan_text

    scan_text("A warm-up story: she cut her hand and it bled.")  # load the models before timing
    while True:
        case = connection.recv()
        if case is None:
            return
        result = run_case(case)
        result["peak_mb"] = _peak_mb()
        connection.send(result)


class Executor:
    """An executor process that can be killed and replaced when a case hangs it."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_executor, args=(child,), daemon=True)
        self.process.start()

    def run(self, case: Case) -> dict[str, Any]:
        self.connection.send(case)
        limit = budget(case.size) + KILL_AFTER + 10.0  # + warm-up of a fresh executor
        if self.connection.poll(limit):
            try:
                result: dict[str, Any] = self.connection.recv()
                return result
            except EOFError:
                pass  # the executor died (killed by the kernel for memory, or a segfault)
            self.close()
            self._start()
            return {"outcome": "crash", "seconds": 0.0, "detail": "executor process died", "peak_mb": 0.0}
        self.close()
        self._start()
        return {"outcome": "hang", "seconds": limit, "detail": f"no answer in {limit:.0f} s", "peak_mb": 0.0}

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


# --- a shard: Hypothesis draws, the executor runs -------------------------------------------


@dataclass
class Tally:
    cases: int = 0
    crashes: int = 0
    hangs: int = 0
    rejected: int = 0
    peak_mb: float = 0.0
    bytes: int = 0
    slowest: float = 0.0  # the largest share of its time budget any case used (1.0 = a hang)
    by_kind: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def add(self, case: Case, result: dict[str, Any], saved: str | None) -> None:
        self.cases += 1
        self.bytes += case.size
        self.by_kind[case.kind] = self.by_kind.get(case.kind, 0) + 1
        self.peak_mb = max(self.peak_mb, result.get("peak_mb", 0.0))
        if result["outcome"] in ("ok", "rejected"):
            self.slowest = max(self.slowest, result["seconds"] / budget(case.size))
        outcome = result["outcome"]
        if outcome == "rejected":
            self.rejected += 1
        elif outcome in ("crash", "hang"):
            if outcome == "crash":
                self.crashes += 1
            else:
                self.hangs += 1
            self.failures.append(
                {
                    "outcome": outcome,
                    "kind": case.kind,
                    "main": case.main,
                    "size": case.size,
                    "detail": result["detail"][-1500:],
                    "saved": saved,
                }
            )

    def merge(self, other: Tally) -> None:
        for name in ("cases", "crashes", "hangs", "rejected", "bytes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.peak_mb = max(self.peak_mb, other.peak_mb)
        self.slowest = max(self.slowest, other.slowest)
        for kind, n in other.by_kind.items():
            self.by_kind[kind] = self.by_kind.get(kind, 0) + n
        self.failures += other.failures


def save_case(case: Case, result: dict[str, Any], into: Path) -> str:
    """Keep a failing case as a regression: its files and a case.json that says how to replay it."""
    digest = hashlib.sha256(repr((case.kind, case.main, case.files, case.special)).encode()).hexdigest()[:12]
    folder = into / f"{result['outcome']}-{case.kind}-{digest}"
    if folder.exists():
        return str(folder)
    files = folder / "files"
    files.mkdir(parents=True)
    for name, data in case.files:
        path = files / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    description = {
        "kind": case.kind,
        "main": case.main,
        "special": case.special,
        "cli": case.cli,
        "found": result["outcome"],
        "detail": result["detail"][-1500:],
    }
    (folder / "case.json").write_text(json.dumps(description, indent=2) + "\n", encoding="utf-8")
    return str(folder)


def load_saved(folder: Path) -> Case:
    """A saved regression case, ready to run again."""
    description = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    root = folder / "files"
    files = (
        tuple((str(p.relative_to(root)), p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file())
        if root.is_dir()
        else ()
    )
    return Case(
        description["kind"],
        description["main"],
        files,
        description.get("special"),
        description.get("cli", False),
    )


def run_shard(n: int, seed: int, kinds: tuple[str, ...], save: str | None) -> Tally:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    tally = Tally()
    executor = Executor()

    @hypothesis_seed(seed)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(kinds))
    def one(case: Case) -> None:
        if tally.cases >= n:
            return
        result = executor.run(case)
        saved = (
            save_case(case, result, Path(save)) if save and result["outcome"] in ("crash", "hang") else None
        )
        tally.add(case, result, saved)

    try:
        one()
    finally:
        executor.close()
    return tally


def _shard_main(n: int, seed: int, kinds: tuple[str, ...], save: str | None, queue: Any) -> None:
    queue.put(asdict(run_shard(n, seed, kinds, save)))


def fuzz(
    cases_total: int, jobs: int, seed: int, kinds: tuple[str, ...] = KINDS, save: str | None = None
) -> Tally:
    """Run ``cases_total`` cases over ``jobs`` shards; the summed tally."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    shares = [cases_total // jobs + (1 if i < cases_total % jobs else 0) for i in range(jobs)]
    shards = [
        context.Process(target=_shard_main, args=(share, seed + i, kinds, save, queue))
        for i, share in enumerate(shares)
        if share
    ]
    for shard in shards:
        shard.start()
    total = Tally()
    for _ in shards:
        total.merge(Tally(**queue.get()))
    for shard in shards:
        shard.join()
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help="comma-separated families: " + ", ".join(KINDS)
    )
    parser.add_argument("--save", help="keep each crash and hang as a regression case in this folder")
    args = parser.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    started = time.perf_counter()
    tally = fuzz(args.cases, args.jobs, args.seed, kinds, args.save)
    elapsed = time.perf_counter() - started
    for failure in tally.failures:
        print(
            f"--- {failure['outcome']}: {failure['kind']} {failure['main']} ({failure['size']} bytes)"
            f"{' saved in ' + failure['saved'] if failure['saved'] else ''}\n{failure['detail']}"
        )
    kinds_line = ", ".join(f"{k} {n}" for k, n in sorted(tally.by_kind.items()))
    print(
        f"fuzz: seed {args.seed}: {tally.cases} cases ({kinds_line}), {tally.bytes / 2**20:.0f} MB of input, "
        f"{elapsed:.0f} s\n"
        f"crashes {tally.crashes} · hangs {tally.hangs} · rejected with a clear error {tally.rejected} · "
        f"peak memory {tally.peak_mb:.0f} MB per executor · the slowest case took {tally.slowest:.0%} of its "
        f"time budget (1 s per 100 KB, at least 1 s)"
    )
    return 1 if tally.crashes or tally.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
