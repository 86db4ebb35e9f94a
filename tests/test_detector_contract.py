"""One contract test, run against every registered detector (like scikit-learn's check_estimator)."""

from __future__ import annotations

import pytest

from forewarn.detectors import DETECTOR_CLASSES
from forewarn.detectors.base import check_detector
from forewarn.segment import segment
from tests.conftest import story_work

STORY = """Mira ran through the rain. Behind her, the soldiers shouted, and a shot cracked the air.

She fell to her knees. Blood ran from the cut on her arm, and she pressed her hand to it.

"Don't die on me," Tomas said. "You're not allowed to die, you hear me?"

She did not die. Not that night. Years later she told the story and laughed: she'd been dying to tell it.

In the cellar she dug her nails into her wrist until it bled, and nobody saw."""


@pytest.mark.parametrize("detector_class", DETECTOR_CLASSES, ids=lambda c: c.__name__)
def test_detector_keeps_the_contract(detector_class):
    detector = detector_class()
    work = story_work(STORY)
    findings = check_detector(detector, segment(work), work.text)
    assert findings, "the contract story should give the detector something to find"


@pytest.mark.parametrize("detector_class", DETECTOR_CLASSES, ids=lambda c: c.__name__)
def test_detector_finds_nothing_in_no_passages(detector_class):
    assert detector_class().detect([]) == []
