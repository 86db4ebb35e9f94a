"""End-to-end speed, memory and start-up of `forewarn scan`, as issue 15 measures them.

Two inputs of at least ``--words`` words each, written to temporary files:

- **passages**: the training passages (keyword-dense) concatenated, repeated to size;
- **stories**: ordinary fan fiction, the PAN sample works, the shared AO3 fixtures and the dev works,
  read by forewarn's own readers and concatenated, repeated to size.

Each is scanned by the CLI in a fresh process (``forewarn scan FILE --json``, who-analysis on, start-up
included) and reported as words per second of that process's CPU time (one core: numpy's threads are
pinned to one) and peak resident memory. Because machines differ, each rate is also given as a ratio
to a plain regex tokenisation of the same text timed in the same run (``re.findall(r"\\w+", text)``):
"0.25x" means forewarn takes four times as long as merely finding the words.

Start-up: wall time of ``forewarn --help`` and of ``forewarn scan`` on a 1,000-word story (best of
``--repeat``), beside ``python -c pass``. A script, not a test: ``python benchmarks/bench_speed.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from forewarn import read

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def passages_text() -> str:
    with open(SHARED / "data" / "passages-train.jsonl", encoding="utf-8") as handle:
        return "\n\n".join(json.loads(line)["text"] for line in handle)


def stories_text(scratch: Path) -> str:
    """The PAN sample works, the AO3 fixtures and the dev works, each read as forewarn reads it."""
    texts = []
    with open(SHARED / "data" / "pan23-sample-works.jsonl", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            page = scratch / f"pan-{n}.html"
            page.write_text(json.loads(line)["text"], encoding="utf-8")
            texts.append(read(page).text)
    texts.extend(read(path).text for path in sorted((SHARED / "fixtures" / "ao3").glob("*.html")))
    texts.extend(read(path).text for path in sorted((SHARED / "data" / "works-dev" / "files").iterdir()))
    return "\n\n".join(texts)


def repeated(text: str, words: int) -> str:
    return "\n\n".join([text] * max(1, -(-words // len(text.split()))))


def regex_seconds(text: str) -> float:
    """CPU seconds of the plain baseline: every word found by one regex."""
    pattern = re.compile(r"\w+")
    start = time.process_time()
    pattern.findall(text)
    return time.process_time() - start


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    return env


# A fresh process that runs the command and reports its rusage: CPU time and peak memory of that
# one scan alone (the children's ru_maxrss is a running maximum over all of a process's children).
_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def cli_scan(forewarn: str, path: Path) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak MB) of one CLI scan in a fresh process."""
    command = [forewarn, "scan", str(path), "--format", "json", "--max-mb", "500", "--no-profile"]
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    wall = time.perf_counter() - start
    cpu, peak_kib = out.stdout.split()
    return float(cpu), wall, int(peak_kib) / 1024


def best_wall(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=child_env())
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5_000_000, help="words in each input (default 5 M)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each start-up measurement")
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is absent: the benchmark needs ../shared")
    forewarn = shutil.which("forewarn") or str(Path(sys.executable).with_name("forewarn"))

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        inputs = {"passages": passages_text(), "stories": stories_text(scratch)}
        header = ("input", "words", "CPU s", "wall s", "words/s/core", "vs regex", "peak MB")
        print("{:<10} {:>10} {:>7} {:>7} {:>13} {:>9} {:>8}".format(*header))
        for name, base in inputs.items():
            text = repeated(base, args.words)
            path = scratch / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            words = len(text.split())
            baseline = words / regex_seconds(text)
            del text
            cpu, wall, peak = cli_scan(forewarn, path)
            rate = words / cpu
            ratio = rate / baseline
            row = f"{name:<10} {words:>10,} {cpu:>7.1f} {wall:>7.1f} {rate:>13,.0f}"
            print(f"{row} {ratio:>8.2f}x {peak:>8,.0f}")
            print(f"{'':<10} regex \\w+ tokenisation of the same text: {baseline:,.0f} words/s")

        story = " ".join(inputs["stories"].split()[:1000])
        small = scratch / "one-thousand-words.txt"
        small.write_text(story, encoding="utf-8")
        python = best_wall([sys.executable, "-c", "pass"], args.repeat)
        help_ = best_wall([forewarn, "--help"], args.repeat)
        scan = best_wall([forewarn, "scan", str(small), "--no-profile"], args.repeat)
        print(f"start-up (best of {args.repeat}): python -c pass {python * 1000:.0f} ms;")
        print(f"  forewarn --help {help_ * 1000:.0f} ms; scan of a 1,000-word story {scan * 1000:.0f} ms")


if __name__ == "__main__":
    main()
