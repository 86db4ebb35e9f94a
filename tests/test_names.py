from __future__ import annotations

import pytest

from forewarn.names import name_checker

TEXT = "Later, Mira found the letter. Behind her stood Tomas-kun, and she told Mira's brother. Monday came."


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Mira", True),
        ("Mira's", True),
        ("Tomas-kun", True),
        ("Tomas", True),
        ("Later", False),
        ("Behind", False),
        ("Monday", False),
        ("Nobody", False),
    ],
)
def test_name_checker_accepts_only_words_capitalised_mid_sentence(word, expected):
    assert name_checker(TEXT)(word) is expected
