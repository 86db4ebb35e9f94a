from __future__ import annotations

import pytest

from forewarn.labels import ARCHIVE_WARNINGS, BY_NAME, LABEL_NAMES, LABELS, get_label

PAN23 = [
    "pornographic-content",
    "violence",
    "death",
    "sexual-assault",
    "abuse",
    "blood",
    "suicide",
    "pregnancy",
    "child-abuse",
    "incest",
    "underage",
    "homophobia",
    "self-harm",
    "dying",
    "kidnapping",
    "mental-illness",
    "dissection",
    "eating-disorders",
    "abduction",
    "body-hatred",
    "childbirth",
    "racism",
    "sexism",
    "miscarriages",
    "transphobia",
    "abortion",
    "fat-phobia",
    "animal-death",
    "ableism",
    "classism",
    "misogyny",
    "animal-cruelty",
]


def test_taxonomy_is_pan23_plus_war_in_order():
    assert list(LABEL_NAMES) == [*PAN23, "war"]
    assert len(set(LABEL_NAMES)) == 33


def test_every_label_has_a_name_description_group_and_valid_archive_warning():
    groups = {
        "discrimination",
        "aggression",
        "abuse",
        "pregnancy",
        "medical",
        "mental-health",
        "sexual-content",
    }
    for label in LABELS:
        assert label.title and label.description.endswith(".")
        assert label.group in groups
        assert label.archive_warning in (None, *ARCHIVE_WARNINGS)


def test_every_archive_warning_is_fed_by_some_label():
    fed = {label.archive_warning for label in LABELS}
    assert set(ARCHIVE_WARNINGS) <= fed


def test_get_label_names_the_known_labels_when_unknown():
    assert get_label("self-harm") is BY_NAME["self-harm"]
    with pytest.raises(KeyError, match="known: pornographic-content"):
        get_label("gore")
