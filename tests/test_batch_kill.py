"""kill -9 during `forewarn batch`, again and again, at random points: every line of the output stays
a whole row (or a torn last line that the next run cuts off), and resuming ends with exactly one
valid row per id, none of them scanned twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_batch import make_records, read_rows, validate, write_jsonl

WORKS = 300
KILLS = 5


def _command(records: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "forewarn.cli_batch", "batch", str(records), "--out", str(out), *extra]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO / "src"), env.get("PYTHONPATH"))))
    return env


def _whole_lines(out: Path) -> int:
    """Rows written so far, read the way a second program would (a torn last line not counted)."""
    try:
        return out.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _rows_in_parts(out: Path) -> int:
    pq = pytest.importorskip("pyarrow.parquet")
    return sum(pq.read_metadata(p).num_rows for p in out.glob("part-*.parquet"))


def _kill_runs(records: Path, out: Path, count, works: int, extra: tuple[str, ...], seed: int) -> list[int]:
    """KILLS runs, each SIGKILLed at a random moment after it wrote something; the counts seen."""
    rng = random.Random(seed)
    counts = [count(out)]
    for n in range(KILLS):
        process = subprocess.Popen(
            _command(records, out, "--quiet", *extra),
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the workers can be killed with it
        )
        # Wait until this run writes a random few rows, so that the kill lands inside the scanning
        # loop (mid-scan, mid-write or mid-rename) and leaves work for the next, then a moment more.
        goal = counts[-1] + rng.randint(1, works // (2 * KILLS))
        deadline = time.monotonic() + 60
        while count(out) < goal and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.05))
        if n % 2:
            process.kill()  # the main process only: its orphaned workers must not write anything
        else:
            os.killpg(process.pid, signal.SIGKILL)  # the whole job, as an OOM killer or a preemption
        process.wait()
        counts.append(count(out))
        assert counts[-1] >= counts[-2]
    return counts


def _finish(records: Path, out: Path, extra: tuple[str, ...]) -> None:
    done = subprocess.run(
        [*_command(records, out, *extra), "--summary-json"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_kill_9_at_random_points_then_resume_gives_exactly_one_row_per_id(tmp_path):
    records = write_jsonl(tmp_path / "works.jsonl", make_records(WORKS, html_every=5))
    out = tmp_path / "rows.jsonl"
    seed = int(os.environ.get("FOREWARN_KILL_SEED", "14"))
    counts = _kill_runs(records, out, _whole_lines, WORKS, ("--jobs", "2"), seed)
    assert counts[-1] < WORKS, f"the kills came too late to test anything: {counts}"
    print("rows after each kill:", counts)
    # Every line but a torn last one is a whole row.
    lines = out.read_bytes().split(b"\n")
    assert all(line.startswith(b'{"id":') and line.endswith(b"}") for line in lines[:-1])

    _finish(records, out, ("--jobs", "2"))
    rows = read_rows(out)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == WORKS
    assert sorted(ids) == [f"w{i:05d}" for i in range(WORKS)]
    for row in rows:
        validate(row)
        assert row["error"] is None


def test_kill_9_while_writing_parquet_parts_then_resume_gives_exactly_one_row_per_id(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    records = write_jsonl(tmp_path / "works.jsonl", make_records(WORKS, seed=15))
    out = tmp_path / "rows.parquet"
    extra = ("--jobs", "2", "--part-rows", "10")
    counts = _kill_runs(records, out, _rows_in_parts, WORKS, extra, seed=15)
    assert counts[-1] < WORKS, f"the kills came too late to test anything: {counts}"
    _finish(records, out, extra)
    ids = pq.read_table(out, columns=["id"]).column("id").to_pylist()
    assert len(ids) == len(set(ids)) == WORKS
    assert not list(out.glob(".part-*"))


def test_ctrl_c_stops_cleanly_and_the_same_command_carries_on(tmp_path):
    records = write_jsonl(tmp_path / "works.jsonl", make_records(WORKS, seed=16))
    out = tmp_path / "rows.jsonl"
    process = subprocess.Popen(
        _command(records, out, "--jobs", "2"),
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while _whole_lines(out) < 10 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)  # to the main process only, as a terminal's Ctrl-C reaches it first
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "run the same command again to finish" in err
    written = read_rows(out)  # every line whole
    assert 10 <= len(written) < WORKS
    _finish(records, out, ("--jobs", "2"))
    assert sorted(r["id"] for r in read_rows(out)) == [f"w{i:05d}" for i in range(WORKS)]
