"""The explicit table of detectors: nothing registers itself on import."""

from __future__ import annotations

from functools import cache

from forewarn.detectors.base import Detector
from forewarn.detectors.lexicon import LexiconDetector


@cache
def default_detectors() -> tuple[Detector, ...]:
    """The detectors that ``scan`` runs, built once per process (they load data files)."""
    return (LexiconDetector(),)


# Every registered detector class, for the contract test and for users who build their own set.
DETECTOR_CLASSES: tuple[type, ...] = (LexiconDetector,)
