"""The explicit table of detectors: nothing registers itself on import."""

from __future__ import annotations

from functools import cache

from forewarn.aggregate import DEFAULT_COMBINATION
from forewarn.detectors.base import Detector
from forewarn.detectors.classifier import NAME as CLASSIFIER_NAME
from forewarn.detectors.classifier import ClassifierDetector
from forewarn.detectors.features import WARNINGS as CLASSIFIER_LABELS
from forewarn.detectors.lexicon import LexiconDetector


@cache
def default_detectors() -> tuple[Detector, ...]:
    """The detectors that ``scan`` runs, built once per process (they load data files)."""
    return (LexiconDetector(), ClassifierDetector())


# Every registered detector class, for the contract test and for users who build their own set.
DETECTOR_CLASSES: tuple[type, ...] = (LexiconDetector, ClassifierDetector)

# Which detector's score counts for a label when that detector ran (see aggregate.combine): the
# learned passage model for the 8 warnings it was trained on; every other label keeps the lexicon.
# Measured with `forewarn eval --cv 5` (README, "Accuracy and speed").
LABEL_AUTHORITY: dict[str, str] = dict.fromkeys(CLASSIFIER_LABELS, CLASSIFIER_NAME)
# How the authority's score meets the other detectors' findings for its labels (aggregate.COMBINATIONS).
COMBINATION = DEFAULT_COMBINATION
