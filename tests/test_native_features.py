"""The native keyword features (native/src/features.rs) give exactly the answers of features.py."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn._native import token_ascii
from forewarn.detectors import features
from forewarn.detectors.classifier import _EVIDENCE_WINDOW, ClassifierDetector
from forewarn.model import Passage
from tests.conftest import shared_texts

ALL_ROWS = (1 << len(features.WARNINGS)) - 1

# Whole keyword alternatives ("front ?line" gives "front line" and "frontline"), so that the text
# holds hits, near misses ("ill" against "\bill\b") and stems with endings.
KEYWORD_WORDS = sorted(
    {
        variant
        for pattern in features.KEYWORDS.values()
        for alternative in pattern.split("|")
        for variant in (re.sub(r".\?|\\b", "", alternative), re.sub(r"\?|\\b", "", alternative))
    }
)
CHARS = [
    *"abcdeklmnoprstwxyzABKSZ0189 .!?,;:'\"-_()/\t\n\r\x0b\x0c\x1c\x00\x85\xa0",
    *"\u201c\u201d\u2018\u2019\u2014\u2026",  # curly quotes, dash, ellipsis
    *"\u0130\u212a\u00df\u00e9\u00c9\u00ef\u0131\u03a3\u03c3",  # İ, Kelvin, ß, accents, dotless i, sigma
    "e\u0301",  # combining acute
    *"\u65e5\u672c\U0001f600\u2003\u3000\u200b\ufffd",  # CJK, emoji, spaces, zero width
]
PIECES = st.sampled_from(CHARS) | st.sampled_from(KEYWORD_WORDS).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.title(), w + "ed", w + "'s", w + "n't", "un" + w])
)
TEXT = st.lists(PIECES, max_size=80).map("".join) | st.text(max_size=60)
WARNINGS = st.lists(st.sampled_from(features.WARNINGS), min_size=1, max_size=10).map(tuple)


def native_hits(text: str, warning: str) -> list[int]:
    return features._native_features(features.WARNINGS).hits(text, features.WARNINGS.index(warning))


def test_the_normalisation_table_matches_python_on_every_code_point() -> None:
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp < 0xE000:
            continue  # lone surrogates never cross into the native core
        c = chr(cp)
        expected = features.normalise(c)
        assert expected == (c.lower()[:1] or c).translate(features._QUOTES)
        assert token_ascii(c) == (expected if expected.isascii() else None), hex(cp)


@settings(max_examples=600, deadline=None)
@given(text=TEXT)
def test_tokens_and_offsets_match_the_python_reference(text: str) -> None:
    native = features._native_features(features.WARNINGS)
    assert native.tokens(text) == features.tokenize(text)


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_keyword_hits_match_the_python_reference(text: str) -> None:
    tokens = features.tokenize(text)
    for warning in features.WARNINGS:
        assert native_hits(text, warning) == features.hits(tokens, warning)


@settings(max_examples=600, deadline=None)
@given(text=TEXT, warnings=WARNINGS, wanted=st.integers(0, 2**10 - 1), context=st.integers(0, 30))
def test_keyword_features_match_the_python_reference(
    text: str, warnings: tuple[str, ...], wanted: int, context: int
) -> None:
    expected = features.keyword_features_python(text, warnings, wanted, context)
    assert features.keyword_features(text, warnings, wanted, context) == expected


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_feature_columns_are_those_of_kw_words(text: str) -> None:
    tokens = features.tokenize(text)
    words = [t for t, _ in tokens]
    by_row = {row: hit for row, *hit in features.keyword_features(text, features.WARNINGS, ALL_ROWS, 0)}
    for row, warning in enumerate(features.WARNINGS):
        found = features.hits(tokens, warning)[: features.HITS_USED]
        if found:
            assert by_row[row][0] == features.feature_indices(features.kw_words(words, found))
        else:
            assert row not in by_row


def test_lone_surrogates_take_the_python_path() -> None:
    text = "He \udc80stabbed the soldier, 'dead'."
    found = features.keyword_features(text, features.WARNINGS, ALL_ROWS, 3)
    assert found == features.keyword_features_python(text, features.WARNINGS, ALL_ROWS, 3)
    assert {features.WARNINGS[row] for row, *_ in found} >= {"violence", "war", "death"}


def _python_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "keyword_features", features.keyword_features_python)


def test_real_passages_match_the_python_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = shared_texts("passages-train.jsonl")
    native = features._native_features(features.WARNINGS)
    for text in texts:
        assert native.tokens(text) == features.tokenize(text)
        found = features.keyword_features(text, features.WARNINGS, ALL_ROWS, _EVIDENCE_WINDOW)
        assert found == features.keyword_features_python(text, features.WARNINGS, ALL_ROWS, _EVIDENCE_WINDOW)
    # End to end: the findings with the native features are those with the Python reference.
    detector = ClassifierDetector()
    passages = [Passage(i, 0, len(text), 0, text) for i, text in enumerate(texts)]
    native_findings = detector.detect(passages)
    _python_detector(monkeypatch)
    assert detector.detect(passages) == native_findings
    assert native_findings
