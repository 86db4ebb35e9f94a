"""The fuzz harness in CI: a short run finds nothing, and every case it ever found stays fixed.

``make fuzz`` runs the long version (10,000 cases); ``tests/fuzz/`` holds the strategies and the
harness, ``tests/regressions/fuzz/`` the cases it found (each a folder: the files and a
``case.json``), replayed here in a separate process so that a hang cannot hang the suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz.harness import Executor, fuzz, load_saved

SAVED = Path(__file__).parent / "regressions" / "fuzz"
CASES = sorted(p for p in SAVED.iterdir() if (p / "case.json").is_file()) if SAVED.is_dir() else []


@pytest.fixture(scope="module")
def executor() -> Iterator[Executor]:
    running = Executor()
    yield running
    running.close()


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_a_case_the_fuzzer_found_stays_fixed(folder: Path, executor: Executor) -> None:
    result = executor.run(load_saved(folder))
    assert result["outcome"] in ("ok", "rejected"), result["detail"]


def test_the_regression_cases_cover_every_class_the_fuzzer_found() -> None:
    kinds = {(load_saved(p).kind, p.name.split("-")[0]) for p in CASES}
    assert {("calibre", "crash"), ("epub", "crash"), ("html", "crash"), ("sidecar", "crash")} <= kinds
    assert {("special", "hang"), ("html", "hang"), ("mutant", "hang"), ("txt", "hang")} <= kinds


def test_a_short_fuzz_run_finds_no_crash_and_no_hang() -> None:
    tally = fuzz(cases_total=120, jobs=2, seed=20261203)
    assert tally.cases == 120
    assert (tally.crashes, tally.hangs) == (0, 0), tally.failures
    assert tally.rejected > 0  # the run did reach the error paths
