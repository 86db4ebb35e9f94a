"""The native cue matcher finds exactly the words the lexicon's cue regex finds, with the rules
``_rules_for`` gives them (native/src/cues.rs, detectors/lexicon/detector.py)."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forewarn._native import CueMatcher
from forewarn.detectors.lexicon import LexiconDetector
from forewarn.detectors.lexicon.prefilter import word_ranges, word_record
from forewarn.detectors.lexicon.rules import SOURCE, data_file
from forewarn.detectors.lexicon.sentence import lower
from forewarn.model import Passage
from tests.conftest import shared_texts

DETECTOR = LexiconDetector()


def _prefixed(tmp: Path) -> LexiconDetector:
    """The shipped rules with a quarter of their cues cut to prefixes, nested ones among them (the
    shipped lexicon has none at present)."""
    data = json.loads(data_file(SOURCE).read_text(encoding="utf-8"))
    for i, rule in enumerate(data["rules"]):
        if i % 4 == 0:
            rule["cue"] = " ".join(w[: max(1, len(w) - i % 3)] + "*" for w in rule["cue"].split())
    data["rules"][1]["cue"] += " k* ki* kill* 9*"
    path = tmp / "prefixed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return LexiconDetector(rules_path=path)


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory: pytest.TempPathFactory) -> LexiconDetector:
    return _prefixed(tmp_path_factory.mktemp("lexicon"))


FULL = sorted(DETECTOR._full)
PREFIXES = sorted({w[:n] for w in FULL for n in range(1, len(w))})  # what _prefixed may cut to


def reference(detector: LexiconDetector, low: str) -> list[tuple[int, int, tuple[int, ...]]]:
    return [(m.start(), m.end(), detector._rules_for(m.group())) for m in detector._prefilter.finditer(low)]


def native(detector: LexiconDetector, low: str) -> list[tuple[int, int, tuple[int, ...]]]:
    found = detector._cues.find(low)
    assert found is not None
    return found


def assert_same(low: str, detector: LexiconDetector = DETECTOR) -> None:
    assert native(detector, low) == reference(detector, low), low


# --- generated text ---------------------------------------------------------------------------

# Word characters and not, by Python's \w: apostrophes, hyphens, underscores, digits, non-ASCII
# letters (é, ß, dotless ı, İ's combining dot, CJK, Greek, Cyrillic), numerals (², ½, Ⅻ, ٣),
# combining marks, zero-width and format characters, punctuation and whitespace.
OTHERS = [
    *"_0123456789'’-‐–—.,;:!?\"“”()[]*/&…",
    *"éßıÿøæœçñüαωжя中文字한글ー",
    *"\u0301\u0307\u0308\u20dd\u200b\u200c\u200d\u2060\ufeff",  # combining marks, zero width
    *"²³½Ⅻⅻ٣൦〇",  # numerals \w may or may not hold
    *" \t\n\r\x0b\x0c\x1c\x85\u00a0\u2003\u2028\u3000",
]
PIECE = st.one_of(
    st.sampled_from(FULL),
    st.sampled_from(PREFIXES),
    st.sampled_from(PREFIXES).flatmap(
        lambda p: st.text("abcdefghijklmnopqrstuvwxyz0123456789_é", max_size=4).map(lambda x: p + x)
    ),
    st.sampled_from(FULL).map(lambda w: w[: max(1, len(w) - 1)]),
    st.sampled_from(FULL).flatmap(
        lambda w: st.sampled_from(["s", "ed", "ing", "_", "é", "ß", "1", "\u0301", "中"]).map(lambda x: w + x)
    ),
    st.sampled_from(OTHERS),
    st.text(st.characters(codec="utf-8", exclude_categories=("Lu", "Lt")), max_size=3),
)


SETTINGS = settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(st.lists(PIECE, max_size=40))
def test_generated_text_gives_the_regex_matches(prefixed: LexiconDetector, pieces: list[str]) -> None:
    low = "".join(pieces)
    assert_same(low)
    assert_same(low, prefixed)


@SETTINGS
@given(st.lists(PIECE, max_size=20), st.sampled_from([" ", "", "-", "'", "_", "é", "\u0301"]))
def test_joined_pieces_give_the_regex_matches(
    prefixed: LexiconDetector, pieces: list[str], joint: str
) -> None:
    low = joint.join(pieces)
    assert_same(low)
    assert_same(low, prefixed)


def test_prefix_cues_are_covered(prefixed: LexiconDetector) -> None:
    assert len(prefixed._prefix) > 300 and {"k", "ki", "kill", "9"} <= set(prefixed._prefix)
    low = "killers kit k kill 9lives ki"
    assert [hit[:2] for hit in native(prefixed, low)] == [
        (0, 7),
        (8, 11),
        (12, 13),
        (14, 18),
        (19, 25),
        (26, 28),
    ]
    assert_same(low, prefixed)


@pytest.mark.parametrize(
    "low",
    [
        "",
        "die",
        "died.",
        "_died died_ 9died died9 die'd died-died",
        "édied diedé ßdied ıdied died\u0301 died\u200d",
        "killers? overkill! kill—killing… 中died died中 ²died",
        "x" * 5000 + " died " + "y" * 5000,
    ],
)
def test_edges_give_the_regex_matches(prefixed: LexiconDetector, low: str) -> None:
    assert_same(low)
    assert_same(low, prefixed)


def test_a_lone_surrogate_goes_through_the_regex() -> None:
    low = "he died \udc80 killed"
    assert DETECTOR._cues.find(low) is None
    assert DETECTOR._cue_words(low) == reference(DETECTOR, low)
    assert [hit[:2] for hit in DETECTOR._cue_words(low)] == [(3, 7), (10, 16)]


# --- Python's \w, as recorded by the build step ---------------------------------------------


def test_the_recorded_word_characters_are_pythons() -> None:
    recorded = DETECTOR._compiled["word"]
    assert recorded == word_record()  # this interpreter records what the shipped file holds
    ranges = word_ranges(recorded)
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    is_word = bytearray(sys.maxunicode + 1)
    for lo, hi in ranges:
        is_word[lo : hi + 1] = b"\1" * (hi - lo + 1)
    assert [i for i, c in enumerate(everything) if re.match(r"\w", c)] == [
        i for i, w in enumerate(is_word) if w
    ]


def test_word_characters_of_another_version_are_worked_out_afresh() -> None:
    stale = {"python": "2.7", "unicode": unicodedata.unidata_version, "ranges": [[97, 122]]}
    assert word_ranges(stale) == [tuple(r) for r in word_record()["ranges"]]


def test_cues_must_be_word_characters_of_the_trie() -> None:
    ranges = word_ranges(DETECTOR._compiled["word"])
    with pytest.raises(ValueError):
        CueMatcher({"die-hard": [0]}, {}, ranges)
    with pytest.raises(ValueError):
        CueMatcher({"die": [0]}, {}, list(reversed(ranges)))


def test_rules_given_at_run_time_match_alike(tmp_path: Path) -> None:
    data = json.loads(data_file(SOURCE).read_text(encoding="utf-8"))
    data["rules"] = data["rules"][:40]
    data["rules"][0]["cue"] += " zz9* z"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    detector = LexiconDetector(rules_path=path)
    for low in ["zz9top z zz zz9 z_ died", " ".join(FULL[:300]), " ".join(p + "x" for p in PREFIXES)]:
        assert_same(low, detector)


def test_the_detector_finds_through_the_native_matcher() -> None:
    text = "Mira died in her arms."
    found = DETECTOR.detect([Passage(0, 0, len(text), 0, text)])
    assert [f.label for f in found] == ["death"]


# --- real text -----------------------------------------------------------------------------


def _real_texts() -> list[str]:
    return [*shared_texts("passages-train.jsonl"), *shared_texts("pan23-sample-works.jsonl")]


def test_real_texts_give_the_regex_matches(prefixed: LexiconDetector) -> None:
    texts = _real_texts()
    assert len(texts) > 2000
    hits = 0
    for text in texts:
        for low in (lower(text), text):  # as the detector lowers it, and in its own case
            for detector in (DETECTOR, prefixed):
                found = native(detector, low)
                assert found == reference(detector, low)
                hits += len(found)
    assert hits > 10_000
