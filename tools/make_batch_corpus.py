"""Build N works from ../shared/data for measuring ``forewarn batch``: a JSON-lines file of records
(the form archives export), or a folder of story files.

A ``.jsonl`` ``--out`` gets one record a line, in turn:

- ``{"id", "html"}``: the 20 real works of ``works-dev/files`` (AO3 pages and downloads); every
  other one of them is written to a file beside the JSONL instead and given as ``{"id", "path"}``
  (a path relative to the JSONL's folder);
- ``{"id", "html"}``: the 10 PAN 2023 sample works (chapter HTML) wrapped in an HTML page;
- ``{"id", "text"}``: plain-text stories of 8-40 labelled passages from ``passages-train.jsonl`` in
  chapters of 4-8, drawn at random (seeded);

and ``--bad K`` adds K records that must become error rows (empty text, no id, a line that is not
JSON, a missing file). Any other ``--out`` is a folder, made by ``tools/make_library_corpus.py``.
Everything is written outside the repository (the shared data never goes into it)::

    python tools/make_batch_corpus.py --out /tmp/forewarn-batch/works.jsonl -n 10000
    forewarn batch /tmp/forewarn-batch/works.jsonl --out /tmp/forewarn-batch/rows.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

# The shared pieces live in the library corpus tool, beside this one (tools/ is on the path
# when either runs as a script or a benchmark imports it).
import make_library_corpus
from make_library_corpus import html_page, prepare, stitched

TOOLS = Path(__file__).resolve().parent
REPO = TOOLS.parent
DATA = REPO.parent / "shared" / "data"
MARK = ".forewarn-batch-corpus"  # left in the folder so that a rebuild may empty it, and nothing else


def _bad(i: int, files: Path) -> str:
    makers = (
        json.dumps({"id": f"bad-{i:06d}-empty", "text": "   "}),
        json.dumps({"text": "A record without an id."}),
        f'{{"id": "bad-{i:06d}-broken", "text": "not closed',
        json.dumps({"id": f"bad-{i:06d}-missing", "path": f"{files.name}/no-such-file-{i}.html"}),
    )
    return makers[i % len(makers)]


def build_jsonl(out: Path, count: int, seed: int, bad: int) -> dict[str, int]:
    """Write ``count`` records (and ``bad`` bad ones) to ``out``; how many of each kind."""
    ao3 = sorted((DATA / "works-dev" / "files").iterdir())
    pan = [json.loads(line) for line in (DATA / "pan23-sample-works.jsonl").open(encoding="utf-8")]
    passages = [json.loads(line)["text"] for line in (DATA / "passages-train.jsonl").open(encoding="utf-8")]
    rng = random.Random(seed)
    files = out.parent / f"{out.stem}-files"
    files.mkdir()
    kinds = {"html": 0, "path": 0, "pan": 0, "text": 0}
    spread = {int(x * (count + bad) / max(bad, 1)) for x in range(bad)}  # where the bad lines go
    bad_done = 0
    with out.open("w", encoding="utf-8") as handle:
        for i in range(count):
            while bad_done < bad and (i + bad_done) in spread:
                handle.write(_bad(bad_done, files) + "\n")
                bad_done += 1
            rid = f"w{i:06d}"
            kind = ("ao3", "pan", "text")[i % 3]
            if kind == "ao3":
                source = ao3[(i // 3) % len(ao3)]
                html = source.read_bytes().decode("utf-8", "replace") + f"\n<!-- batch corpus, copy {i} -->\n"
                if (i // 3 // len(ao3)) % 2:  # each file in turn as HTML and as a path
                    name = f"{rid}-{source.name}"
                    (files / name).write_text(html, encoding="utf-8")
                    record = {"id": rid, "path": f"{files.name}/{name}"}
                    kinds["path"] += 1
                else:
                    record = {"id": rid, "html": html}
                    kinds["html"] += 1
            elif kind == "pan":
                work = pan[(i // 3) % len(pan)]
                record = {"id": rid, "html": html_page(f"PAN sample {work['work_id']}", work["text"])}
                kinds["pan"] += 1
            else:
                record = {"id": rid, "text": stitched(rng, passages, i)}
                kinds["text"] += 1
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        for j in range(bad_done, bad):
            handle.write(_bad(j, files) + "\n")
    if bad:
        kinds["bad"] = bad
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=10000, help="how many works (default 10000)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("/tmp/forewarn-batch/works.jsonl"),
        help="a .jsonl file (its folder is emptied and filled) or a folder of story files",
    )
    parser.add_argument("--seed", type=int, default=14, help="random seed of the stitched stories")
    parser.add_argument("--bad", type=int, default=0, help="records that must become error rows (default 0)")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"make_batch_corpus: {DATA} is absent: the shared data must sit beside the checkout")
    if args.out.suffix != ".jsonl":
        return int(
            make_library_corpus.main(["--out", str(args.out), "-n", str(args.count), "--bad", str(args.bad)])
        )
    prepare(args.out.parent, MARK, "make_batch_corpus")
    kinds = build_jsonl(args.out.resolve(), args.count, args.seed, args.bad)
    size = args.out.stat().st_size / 2**20
    print(
        f"wrote {sum(kinds.values())} records ({size:,.0f} MB) to {args.out}: "
        + ", ".join(f"{n} {k}" for k, n in kinds.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
