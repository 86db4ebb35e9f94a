"""The native core's scanners are safe to share between threads (the web page scans in a pool).

Their token caches change during a call that calls back into Python for some tokens, where the
interpreter may switch threads: without the locks in static_embedding.py and features.py a second
thread's call fails with "Already borrowed"."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from forewarn.detectors import features
from forewarn.detectors.static_embedding import StaticEmbedding


@pytest.fixture(autouse=True)
def switch_often() -> Iterator[None]:
    """Let the interpreter switch threads every microsecond, so that calls overlap."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def texts(thread: int) -> list[str]:
    # Distinct non-ASCII tokens: each is new to the caches, so each call goes back into Python.
    return [
        f"Zoë{thread}x{i} Ségolène{i} was stabbed; blood ran, Chloé{i}. İ{i} killed him." for i in range(300)
    ]


def test_word_pieces_from_many_threads_equal_one_thread() -> None:
    embedding = StaticEmbedding.load()
    expected = [[embedding._python_piece_ids(x) for x in texts(t)] for t in range(6)]
    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(lambda t: [embedding.piece_ids(x) for x in texts(t)], range(6)))
    assert got == expected


def test_keyword_features_from_many_threads_equal_one_thread() -> None:
    warnings = features.WARNINGS
    wanted = (1 << len(warnings)) - 1

    def run(t: int) -> list[list[features.KeywordHit]]:
        return [features.keyword_features(x, warnings, wanted, 6) for x in texts(t)]

    reference = features.keyword_features_python
    expected = [[reference(x, warnings, wanted, 6) for x in texts(t)] for t in range(6)]
    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(run, range(6)))
    assert got == expected
