"""Build a folder of N story files from ../shared/data, for measuring ``forewarn library add``.

Three kinds, in turn, each in its own subfolder (so that ``add`` recurses):

- ``ao3/``: the 20 real works of ``works-dev/files`` (AO3 pages and downloads), copied with a
  comment naming the copy appended, so that every copy has its own bytes (and hash);
- ``pan/``: the 10 PAN 2023 sample works (chapter HTML) wrapped in an HTML page, varied the same way;
- ``stitched/``: plain-text stories of 8-40 labelled passages from ``passages-train.jsonl`` in
  chapters of 4-8, drawn at random (seeded), so these differ in content too.

``--bad K`` adds K unreadable files (empty, binary, a broken EPUB) that must become error rows.
The folder must lie outside the repository (the shared data never goes into it)::

    python tools/make_library_corpus.py --out /tmp/forewarn-corpus -n 1000
    forewarn library add /tmp/forewarn-corpus --db /tmp/library.sqlite3
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
MARK = ".forewarn-corpus"  # left in the folder so that a rebuild may empty it, and nothing else


def html_page(title: str, body: str) -> str:
    """A minimal HTML page around ``body`` (what a generic HTML story file looks like)."""
    head = f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title></head>"
    return f"{head}\n<body>\n{body}\n</body></html>\n"


def stitched(rng: random.Random, passages: list[str], number: int) -> str:
    """A plain-text story of 8-40 labelled passages in chapters of 4-8."""
    chosen = rng.sample(passages, rng.randint(8, 40))
    lines = [f"Stitched Story {number}", ""]
    chapter = 0
    while chosen:
        chapter += 1
        size = rng.randint(4, 8)
        take, chosen = chosen[:size], chosen[size:]
        lines += [f"Chapter {chapter}", "", *(p + "\n" for p in take)]
    return "\n".join(lines)


def _bad_files(out: Path, count: int, rng: random.Random) -> None:
    folder = out / "bad"
    folder.mkdir()
    makers = (
        ("empty-{}.txt", b""),
        ("binary-{}.txt", bytes(rng.randrange(256) for _ in range(4096))),
        ("broken-{}.epub", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2048))),
    )
    for i in range(count):
        name, data = makers[i % len(makers)]
        (folder / name.format(i)).write_bytes(data)


def build(out: Path, count: int, seed: int, bad: int) -> dict[str, int]:
    """Write ``count`` works (and ``bad`` unreadable files) into ``out``; how many of each kind."""
    ao3 = sorted((DATA / "works-dev" / "files").iterdir())
    pan = [json.loads(line) for line in (DATA / "pan23-sample-works.jsonl").open(encoding="utf-8")]
    passages = [json.loads(line)["text"] for line in (DATA / "passages-train.jsonl").open(encoding="utf-8")]
    rng = random.Random(seed)
    kinds = {"ao3": 0, "pan": 0, "stitched": 0}
    for kind in kinds:
        (out / kind).mkdir()
    for i in range(count):
        kind = ("ao3", "pan", "stitched")[i % 3]
        stamp = f"\n<!-- forewarn library corpus, copy {i} -->\n"
        if kind == "ao3":
            source = ao3[kinds[kind] % len(ao3)]
            name = source.name.rsplit(".", 1)[0] + ".html"
            data = source.read_bytes() + stamp.encode()
        elif kind == "pan":
            work = pan[kinds[kind] % len(pan)]
            name = f"pan-{work['work_id']}.html"
            data = html_page(f"PAN sample {work['work_id']}", work["text"] + stamp).encode()
        else:
            name = "stitched.txt"
            data = stitched(rng, passages, i).encode()
        (out / kind / f"{i:05d}-{name}").write_bytes(data)
        kinds[kind] += 1
    if bad:
        _bad_files(out, bad, rng)
        kinds["bad"] = bad
    return kinds


def prepare(out: Path, mark: str = MARK, tool: str = "make_library_corpus") -> None:
    """Empty and make ``out`` for ``tool``: never inside the repository, and only a folder that is
    new, empty or marked with ``mark`` by an earlier run (a mark left in it for the next)."""
    out = out.resolve()
    if out == REPO or out.is_relative_to(REPO):
        sys.exit(f"{tool}: {out} is inside the repository; the shared data stays out of it")
    if out.exists():
        if any(out.iterdir()) and not (out / mark).exists():
            sys.exit(f"{tool}: {out} holds files this tool did not write; pick another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / mark).write_text(f"made by tools/{tool}.py; rebuilt on the next run\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1000, help="how many works (default 1000)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/forewarn-corpus"), help="folder to fill")
    parser.add_argument("--seed", type=int, default=12, help="random seed of the stitched stories")
    parser.add_argument("--bad", type=int, default=0, help="unreadable files to add (default 0)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"make_library_corpus: {DATA} is absent: the shared data must sit beside the checkout")
    prepare(args.out)
    kinds = build(args.out.resolve(), args.count, args.seed, args.bad)
    print(
        f"wrote {sum(kinds.values())} files to {args.out}: " + ", ".join(f"{n} {k}" for k, n in kinds.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
