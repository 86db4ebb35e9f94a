"""How fast ``forewarn serve`` answers the library page: list + filter + profile + one page of 50.

Builds a library of N works (default 1,000): a few dozen real works scanned for real (from
``tools/make_library_corpus.py`` when ``../shared/data`` is beside the checkout, else the
made-up stories of ``tools/screenshots.py``), then their stored reports copied under new hashes,
titles, authors, fandoms and word counts until there are N (``Store.save``, one transaction
each, as ``library add`` writes them). A reader profile hides one label and folds two.

Then it times requests of the library page over a real HTTP connection to uvicorn on 127.0.0.1
(and in-process through Starlette's TestClient): the first request after start (every stored
report judged by the profile), then each kind of filter again and again. The target is under
300 ms a page for 1,000 works::

    .venv/bin/python benchmarks/bench_web.py                 # --works 1000 --repeat 20
    .venv/bin/python benchmarks/bench_web.py --works 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

PROFILE = """\
[labels]
suicide = "hide"
blood = { action = "fold", min_severity = "depicted" }
violence = [{ action = "hide", min_severity = "graphic" }, { action = "fold" }]
"""
FANDOMS = (
    "Naruto",
    "Harry Potter - J. K. Rowling",
    "Star Wars",
    "Marvel Cinematic Universe",
    "Original Work",
    "Sherlock (TV)",
    "Good Omens",
    "Skerry Point (Original Work)",
)
QUERIES = {
    "first page": "/",
    "label filter (violence)": "/?include=violence",
    "exclude + severity": "/?exclude=death&severity=depicted",
    "text search": "/?q=angst",
    "fandom": "/?fandom=naruto",
    "sorted by words, page 10": "/?sort=words&order=desc&page=10",
    "hidden by the profile": "/?view=hidden",
    "everything at once": "/?include=violence&exclude=suicide&severity=central&fandom=a&sort=author&page=2",
}


def _base_files(folder: Path, count: int) -> list[Path]:
    """Story files to scan for real: the shared corpus when present, else made-up stories."""
    try:
        import make_library_corpus

        if make_library_corpus.DATA.is_dir():
            corpus = folder / "corpus"
            corpus.mkdir()
            make_library_corpus.build(corpus, count, seed=12, bad=0)
            return sorted(p for p in corpus.rglob("*") if p.is_file())
    except ImportError:
        pass
    import screenshots

    stories = folder / "stories"
    stories.mkdir()
    for story in screenshots.STORIES:
        (stories / story[0]).write_text(screenshots.ao3_download(story), encoding="utf-8")
    return sorted(stories.iterdir())


def build(db: Path, works: int, base: int, folder: Path) -> tuple[float, int]:
    """A library of ``works`` works in ``db``; the seconds it took and how many were scanned."""
    from forewarn.library import Library
    from forewarn.library.index import listing
    from forewarn.library.store import Store
    from forewarn.render_json import report_to_dict

    began = time.perf_counter()
    files = _base_files(folder, base)
    scanned = []
    with Library(db) as library:

        def keep(target, options):  # type: ignore[no-untyped-def]
            from forewarn.library import scan_target

            report = scan_target(target, options)
            scanned.append(report)
            return report

        library.add([str(p) for p in files], scanner=keep)
    templates = [(report, report_to_dict(report)) for report in scanned]
    templates = [(listing(r, d), d) for r, d in templates]
    rng = random.Random(13)
    words = ("Salt", "Iron", "River", "Garden", "Night", "Ashes", "Letters", "Harbour", "Watch", "Storm")
    with Store(db) as store:
        have = len(scanned)
        for i in range(have, works):
            row, report = templates[i % len(templates)]
            title = f"{rng.choice(words)} and {rng.choice(words)} {i}"
            fandom = FANDOMS[i % len(FANDOMS)]
            copy = replace(
                row, title=title, author=f"author{i % 97}", fandom=fandom, words=rng.randint(500, 200_000)
            )
            store.save(f"{i:064x}", f"/nonexistent/bench/{i}.txt", copy, report)
    return time.perf_counter() - began, len(scanned)


def _timed(get: object, path: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        status = get(path)  # type: ignore[operator]
        times.append((time.perf_counter() - began) * 1000)
        if status != 200:
            raise SystemExit(f"bench_web: {path} answered {status}")
    return times


def _report(label: str, times: list[float]) -> str:
    median, most = statistics.median(times), max(times)
    return f"  {label:<28} median {median:7.1f} ms   max {most:7.1f} ms   (n={len(times)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=1000, help="works in the library (default 1000)")
    parser.add_argument(
        "--base", type=int, default=30, help="works scanned for real before copying (default 30)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="requests per query (default 20)")
    parser.add_argument("--target-ms", type=float, default=300.0, help="the budget per page (default 300)")
    args = parser.parse_args(argv)

    from starlette.testclient import TestClient

    from forewarn.web import Settings, create_app
    from forewarn.web.background import BackgroundServer

    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="forewarn-bench-web-") as temporary:
        folder = Path(temporary)
        db = folder / "library.sqlite3"
        seconds, real = build(db, args.works, args.base, folder)
        size = db.stat().st_size / 2**20
        print(f"library: {args.works:,} works ({real} scanned for real, the rest copies)", end=" ")
        print(f"in {seconds:.1f} s, {size:.1f} MB")
        profile = folder / "profile.toml"
        profile.write_text(PROFILE, encoding="utf-8")
        settings = Settings(db=db, profile=profile)

        with BackgroundServer(create_app(settings)) as server:

            def fetch(path: str) -> int:
                with urllib.request.urlopen(server.url + path) as response:
                    response.read()
                    return int(response.status)

            print(f"over HTTP (uvicorn on {server.url}), one page of 50:")
            cold = _timed(fetch, "/", 1)
            print(_report("first request (cold)", cold))
            worst = max(worst, *cold)
            for label, path in QUERIES.items():
                times = _timed(fetch, path, args.repeat)
                worst = max(worst, statistics.median(times))
                print(_report(label, times))

        client = TestClient(create_app(settings), base_url="http://127.0.0.1")
        print("in-process (Starlette TestClient):")
        cold = _timed(lambda p: client.get(p).status_code, "/", 1)
        print(_report("first request (cold)", cold))
        for label, path in QUERIES.items():
            print(_report(label, _timed(lambda p: client.get(p).status_code, path, args.repeat)))
    verdict = "within" if worst <= args.target_ms else "OVER"
    print(f"slowest median over HTTP (or the cold first page): {worst:.1f} ms:", end=" ")
    print(f"{verdict} the {args.target_ms:.0f} ms target")
    return 0 if worst <= args.target_ms else 1


if __name__ == "__main__":
    sys.exit(main())
