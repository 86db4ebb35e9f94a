"""The static word-piece embedding that the passage classifier reads beside its keyword features."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from forewarn.detectors.classifier import ClassifierDetector
from forewarn.detectors.static_embedding import StaticEmbedding


@pytest.fixture(scope="module")
def embedding() -> StaticEmbedding:
    return StaticEmbedding.load()


def test_the_shipped_table_is_minilm_vocabulary_at_128_dimensions(embedding):
    assert len(embedding.vocab) == 30522 and embedding.vectors.shape == (30522, 128)
    assert embedding.vectors.dtype == np.float16
    assert "Apache-2.0" in embedding.meta["source"]


def test_word_pieces_follow_bert_uncased(embedding):
    assert embedding.pieces("Unbelievably, they're gone.") == [
        "un", "##bel", "##ie", "##va", "##bly", ",", "they", "'", "re", "gone", ".",
    ]  # fmt: skip
    assert embedding.pieces("CAFÉ naïve") == ["cafe", "naive"]  # lower-cased, accents stripped
    assert embedding.pieces("well—known") == ["well", "—", "known"]  # punctuation splits a word
    assert embedding.pieces("x" * 101) == ["[UNK]"]  # BERT gives up on very long words


def test_a_passage_vector_is_unit_length_and_deterministic(embedding):
    vector = embedding.embed("He drew the knife and stabbed the guard.")
    assert vector.dtype == np.float32 and vector.shape == (128,)
    assert float(vector @ vector) == pytest.approx(1.0, abs=1e-5)
    assert np.array_equal(vector, embedding.embed("He drew the knife and stabbed the guard."))
    assert not embedding.embed("   \n ").any()


def test_similar_passages_lie_closer_than_unrelated_ones(embedding):
    stab = embedding.embed("He drew the knife and stabbed the guard, and blood ran over his hands.")
    knife = embedding.embed("She pulled a blade and cut the soldier; he bled on the floor.")
    garden = embedding.embed("The garden was full of roses, and the bees hummed in the warm afternoon.")
    assert float(stab @ knife) > float(stab @ garden)


def test_the_table_survives_pickling(embedding):
    clone = pickle.loads(pickle.dumps(embedding))
    assert np.array_equal(clone.embed("They fought in the war."), embedding.embed("They fought in the war."))


def test_a_model_with_embedding_weights_needs_an_embedding():
    model = ClassifierDetector().model
    assert model.uses_embedding
    with pytest.raises(ValueError, match="embedding"):
        model.probability("war", [1, 2, 3])
