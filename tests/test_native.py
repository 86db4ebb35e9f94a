"""The native word pieces and embedding sums (native/src/wordpiece.rs) equal their Python reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.detectors.static_embedding import StaticEmbedding
from tests.conftest import shared_texts

# Text that exercises the splitter: ASCII words and punctuation, every kind of whitespace Python
# splits on, controls, accents, CJK, emoji and astral characters.
ASCII = "abcXYZ019 ,.'\"!?-_$^`~\t\n\r\x0b\x0c\x1c\x1f\x00\x7f\x85\xa0"
OTHER = [
    "\u2003",
    "\u3000",
    "\u200b",
    "\u00e9",
    "e\u0301",
    "\u0130",
    "\u00df",
    "\u65e5",
    "\U0001f600",
    "\ufffd",
]
ALPHABET = st.sampled_from([*ASCII, *OTHER])
TEXT = st.lists(ALPHABET, max_size=60).map("".join) | st.text(max_size=60)


@pytest.fixture(scope="module")
def embedding() -> StaticEmbedding:
    return StaticEmbedding.load()


def reference_sum(embedding: StaticEmbedding, text: str) -> np.ndarray | None:
    ids = embedding._python_piece_ids(text)
    return embedding.vectors[ids].sum(0, dtype=np.float32) if ids else None


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_word_pieces_match_the_python_reference(embedding: StaticEmbedding, text: str) -> None:
    assert embedding.piece_ids(text) == embedding._python_piece_ids(text)


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_vector_sums_are_bit_identical(embedding: StaticEmbedding, text: str) -> None:
    expected = reference_sum(embedding, text)
    summed = embedding._native.vector_sum(text)
    if expected is None:
        assert summed is None
    else:
        assert summed is not None
        assert np.array_equal(np.frombuffer(summed, np.float32), expected)


def test_lone_surrogates_take_the_python_path(embedding: StaticEmbedding) -> None:
    text = "he was \udc80stabbed"
    assert embedding.piece_ids(text) == embedding._python_piece_ids(text)
    assert embedding.embed(text).dtype == np.float32


def test_real_passages_embed_identically(embedding: StaticEmbedding) -> None:
    texts = shared_texts("passages-train.jsonl")[:400]
    for text in texts:
        assert embedding.piece_ids(text) == embedding._python_piece_ids(text)
        expected = reference_sum(embedding, text)
        summed = embedding._native.vector_sum(text)
        assert expected is not None and summed is not None
        assert np.array_equal(np.frombuffer(summed, np.float32), expected)
