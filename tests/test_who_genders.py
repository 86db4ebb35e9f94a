"""Pronouns that re.IGNORECASE matches in odd Unicode spellings still give a gender."""

from __future__ import annotations

import re

import forewarn
from forewarn.who.genders import _PRONOUN_RE, IGNORECASE_TWINS, PRONOUN_GENDER


def test_the_twins_are_every_letter_re_ignorecase_adds_to_the_pronouns() -> None:
    letters = set("".join(PRONOUN_GENDER))
    twins = {
        chr(c)
        for c in range(0x80, 0x110000)
        if any(re.fullmatch(re.escape(x), chr(c), re.I) for x in letters) and chr(c).lower() not in letters
    }
    assert twins == {chr(c) for c in IGNORECASE_TWINS}


def test_a_long_s_pronoun_after_a_name_is_read_not_a_crash() -> None:
    text = "Bob walked to the door. Bob said that ſhe was gone. Bob ran home and ſhe cried. Bob wept."
    assert _PRONOUN_RE.search(text)
    report = forewarn.scan_text(text)
    assert "Bob" in {c.name for c in report.who.characters}
