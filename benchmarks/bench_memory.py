"""Peak memory on the largest inputs forewarn accepts, and memory over many scans in one process.

Prints, each from a fresh child process (ru_maxrss):
- ``forewarn scan`` of a story just under the default ``--max-mb`` (40 MB of text, ~7.7 M words),
  plain ASCII and with curly quotes (Python then stores the text at 2 bytes per character);
- the same for 5 MB and 20 MB, to show that the peak grows linearly with the story;
- ``forewarn scan`` of an EPUB of 200 members of 1 MB each (refused by the total-text cap);
and the resident size of one process after 1,000, 2,000, … ``--scans`` consecutive scans of
different ~1,500-word stories, which must stay flat (no cache or leak grows with use).

A script, not a test: ``python benchmarks/bench_memory.py [--scans 10000]``. Stories are made
from ``examples/the-lighthouse-keeper.txt`` (in the repository), so it needs nothing else.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "the-lighthouse-keeper.txt"
MB = 1024 * 1024


def story_of(size: int, curly: bool = False) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    if curly:
        text = text.replace("'", "’").replace('"', "“")
    copies = max(1, size // len(text.encode("utf-8")))
    return "\n\n".join([text] * copies)


def peak_of_scan(path: Path, *args: str) -> tuple[float, int]:
    """Peak resident MB of ``forewarn scan PATH`` in a child process, and its exit code."""
    code = (
        "import resource, sys, contextlib, io\n"
        "from forewarn.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['scan', {str(path)!r}, '--format', 'json', *{list(args)!r}])\n"
        "print(rc, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rc, kib = done.stdout.split()[-2:]
    return int(kib) / 1024, int(rc)


def big_epub(path: Path, members: int, member_bytes: int) -> Path:
    chapter = ("<html><body><p>" + "word " * (member_bytes // 5) + "</p></body></html>").encode()
    items = "".join(
        f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>' for i in range(members)
    )
    refs = "".join(f'<itemref idref="c{i}"/>' for i in range(members))
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf"><metadata/>'
        f"<manifest>{items}</manifest><spine>{refs}</spine></package>"
    )
    container = (
        '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", container)
        z.writestr("content.opf", opf)
        for i in range(members):
            z.writestr(f"c{i}.xhtml", chapter)
    return path


def many_scans(scans: int, every: int = 1000) -> list[tuple[int, float]]:
    """Resident MB after each ``every`` scans of different stories, in this process."""
    from forewarn import scan_text

    paragraphs = [p for p in EXAMPLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    words = sorted(set(re.findall(r"[a-z]{4,}", " ".join(paragraphs))))
    rng = random.Random(1)
    samples = []
    for i in range(1, scans + 1):
        # A different story each time, with names and words never seen before, as a library has.
        name = "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(3)).title()
        chosen = rng.sample(paragraphs, min(12, len(paragraphs)))
        noise = " ".join(rng.choice(words) + rng.choice(("ing", "ed", "ly", "ness", "")) for _ in range(40))
        scan_text(f"{name} looked up.\n\n" + "\n\n".join(chosen) + f"\n\n{name} said {noise}.")
        if i % every == 0:
            samples.append((i, _rss_mb()))
    return samples


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=10_000)
    parser.add_argument("--skip-large", action="store_true", help="only the many-scans part")
    args = parser.parse_args()
    if not args.skip_large:
        with tempfile.TemporaryDirectory() as tmp:
            for size in (5, 20, 39):
                for curly in (False, True):
                    path = Path(tmp, f"story-{size}.txt")
                    path.write_text(story_of(size * MB, curly), encoding="utf-8")
                    peak, _ = peak_of_scan(path)
                    kind = "curly quotes" if curly else "ASCII"
                    print(
                        f"{path.stat().st_size / MB:5.1f} MB story ({kind}): peak {peak:5.0f} MB", flush=True
                    )
            epub = big_epub(Path(tmp, "big.epub"), 200, MB)
            peak, rc = peak_of_scan(epub)
            outcome = "refused: over --max-mb" if rc == 2 else "read"
            print(
                f"EPUB of 200 x 1 MB members ({epub.stat().st_size / MB:.1f} MB on disk, {outcome}): "
                f"peak {peak:.0f} MB",
                flush=True,
            )
    samples = many_scans(args.scans)
    line = ", ".join(f"{n}: {mb:.0f} MB" for n, mb in samples)
    print(f"resident after consecutive scans in one process: {line}")
    if len(samples) >= 2:
        first, last = samples[0][1], samples[-1][1]
        print(f"growth from scan {samples[0][0]} to {samples[-1][0]}: {last - first:+.1f} MB")


if __name__ == "__main__":
    main()
