"""kill -9 during `forewarn library add`, again and again: the file stays sound every time, and the
same command then finishes the job without scanning any finished work a second time."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

WORKS = 40
KILLS = 5
SENTENCES = (
    "Kai walked down to the harbour and counted the boats.",
    "The rain drummed on the roof of the old library all night.",
    "Mira laughed and handed him another cup of tea.",
    "He pulled a knife and stabbed the guard, and blood pooled on the stones.",
    "She screamed as the blade cut her arm, and the blood soaked her sleeve.",
    "They talked about the war, the long march and the friends they had lost.",
    "The cat slept in the greenhouse among the tomatoes.",
    "He hit her across the face and she fell against the table.",
    "The letters came every spring, tied with string, smelling of smoke.",
    "By morning the fever had broken and the village was quiet again.",
)


def _write_works(folder: Path, seed: int = 7) -> None:
    """WORKS stories of about 3,500 words in three chapters, every one with its own bytes."""
    rng = random.Random(seed)
    folder.mkdir()
    for i in range(WORKS):
        chapters = []
        for c in range(3):
            paragraphs = [" ".join(rng.choice(SENTENCES) for _ in range(6)) for _ in range(18)]
            chapters.append(f"Chapter {c + 1}\n\n" + "\n\n".join(paragraphs))
        (folder / f"story-{i:02d}.txt").write_text(f"Story {i}\n\n" + "\n\n".join(chapters), encoding="utf-8")


def _command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "forewarn.cli_library", "library", "add", str(folder), "--db", str(db)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO / "src"), env.get("PYTHONPATH"))))
    return env


def _count(db: Path) -> int:
    """Works committed so far, read the way a second program would (WAL: never blocks the writer)."""
    if not db.exists():
        return 0
    try:
        connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return int(connection.execute("SELECT count(*) FROM works").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:  # not created yet
        return 0


def _check(db: Path) -> dict[str, object]:
    """Integrity of the file after a kill, and what it holds."""
    connection = sqlite3.connect(db)
    try:
        facts: dict[str, object] = {
            "integrity": connection.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_keys": connection.execute("PRAGMA foreign_key_check").fetchall(),
            "journal_mode": connection.execute("PRAGMA journal_mode").fetchone()[0],
        }
        if connection.execute("PRAGMA user_version").fetchone()[0]:
            connection.execute("INSERT INTO works_fts (works_fts) VALUES ('integrity-check')")
            facts["works"] = connection.execute("SELECT count(*) FROM works").fetchone()[0]
            facts["fts"] = connection.execute("SELECT count(*) FROM works_fts").fetchone()[0]
            facts["orphan_paths"] = connection.execute(
                "SELECT count(*) FROM paths WHERE work NOT IN (SELECT id FROM works)"
            ).fetchone()[0]
        return facts
    finally:
        connection.close()


def test_kill_9_at_random_points_never_damages_the_library_nor_rescans(tmp_path):
    folder = tmp_path / "fics"
    _write_works(folder)
    db = tmp_path / "library.sqlite3"
    rng = random.Random(int(os.environ.get("FOREWARN_KILL_SEED", "12")))
    counts = [0]
    for _ in range(KILLS):
        before = counts[-1]
        process = subprocess.Popen(
            [*_command(folder, db), "--quiet"],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Wait until this run commits a work, so that the kill lands inside the indexing loop
        # (mid-scan, mid-hash or mid-transaction), then let it run a random while longer.
        deadline = time.monotonic() + 30
        while _count(db) == before and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.1))
        process.kill()  # SIGKILL: no cleanup, no atexit, no rollback
        process.wait()
        facts = _check(db)
        assert facts["integrity"] == "ok", facts
        assert facts["foreign_keys"] == [] and facts["journal_mode"] == "wal", facts
        assert facts.get("fts") == facts.get("works") and facts.get("orphan_paths", 0) == 0, facts
        counts.append(int(facts.get("works", 0)))  # type: ignore[call-overload]
        assert counts[-1] >= before
    assert counts[-1] < WORKS, f"the kills came too late to test anything: {counts}"

    done = subprocess.run([*_command(folder, db)], env=_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{WORKS - counts[-1]} scanned, {counts[-1]} unchanged, 0 errors" in " ".join(done.stdout.split())
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*), count(DISTINCT hash) FROM works").fetchone() == (
            WORKS,
            WORKS,
        )
        paths = [Path(p).name for (p,) in connection.execute("SELECT path FROM paths ORDER BY path")]
        assert paths == [f"story-{i:02d}.txt" for i in range(WORKS)]
        # `scans` counts the reports stored for the same bytes: a finished work scanned twice shows 2.
        assert connection.execute("SELECT DISTINCT scans FROM works").fetchall() == [(1,)]
        assert connection.execute("SELECT count(*) FROM errors").fetchone()[0] == 0
    finally:
        connection.close()
