"""Which capitalised words of a work are names of people.

Detectors see one passage at a time and attach the capitalised words near a death cue to
their findings; only the whole work can tell whether such a word is a name. A word counts as
a name when the work capitalises it somewhere a common word would not be capitalised: after
a lower-case word or a comma, not at the start of a sentence or a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Capitalised mid-sentence for reasons other than being a person.
_NOT_PEOPLE = frozenset(
    [
        "I",
        "God",
        "Lord",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "Sir",
        "Madam",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "English",
        "Christmas",
        "Easter",
        "Heaven",
        "Hell",
        "OK",
        "Okay",
    ]
)
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z,;:][ \t])([A-Z][a-z]+(?:[-'’][A-Za-z]+)?)")
_SUFFIX = re.compile(r"['’]s$|-[a-z]+$")


def _base(word: str) -> str:
    """Strip a possessive or an honorific: Sasuke's, Sasuke-kun -> Sasuke."""
    return _SUFFIX.sub("", word)


def name_checker(text: str) -> Callable[[str], bool]:
    """Return a predicate telling whether a word is used as a name somewhere in ``text``.

    >>> is_name = name_checker("Behind her lay Mira. She died.")
    >>> is_name("Mira"), is_name("She")
    (True, False)
    """
    seen = {_base(m.group(1)) for m in _MID_SENTENCE_CAPITAL.finditer(text)} - _NOT_PEOPLE

    def is_name(word: str) -> bool:
        return _base(word) in seen

    return is_name
