"""What the words around a rule match say: whose a possessive is, and whether a cue in dialogue
is the story's present (a progressive verb, a state the speaker is in)."""

from __future__ import annotations

import re

from forewarn.detectors import text_cues

WORD = re.compile(r"\w+")
_PAST_STATE = re.compile(r"\b(?:was|were|had been|'d been|’d been|used to be)\s+(?:\w+\s+){0,2}$")
_PROGRESSIVE = re.compile(r"(?:'re|'s|'m|\bis|\bare|\bam)\s+(?:\w+\s+){0,2}$")
# Pronouns by the person they name, so "she ... her wrist" and "his father ... him" agree.
_PERSON = {
    **dict.fromkeys(("i", "me", "my", "myself"), "1s"),
    **dict.fromkeys(("we", "us", "our", "ourselves"), "1p"),
    **dict.fromkeys(("you", "your", "yourself", "yourselves"), "2"),
    **dict.fromkeys(("he", "him", "his", "himself"), "3m"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "3f"),
    **dict.fromkeys(("they", "them", "their", "themselves", "themself"), "3p"),
}
# A subject pronoun, or a possessive owning the hand that acts ("your teeth dug into ...").
_SUBJECT = re.compile(
    r"\b(i|she|he|they|you|we)\b|\b(my|his|her|their|your|our)\s+(?:\w+\s+)?"
    r"(?:nails|fingernails|fingers|teeth|hands?|thumbs?|claws|fist|fists)\b"
)


def present_progressive(low: str, m: re.Match[str], s: int) -> bool:
    """'You're bleeding' in dialogue still happens on the page; 'I killed him' is a report."""
    word = WORD.match(low, m.start("cue"))
    if word is None or not word.group().endswith("ing"):
        return False
    return _PROGRESSIVE.search(low, max(s, m.start("cue") - 40), m.start("cue")) is not None


def past_state(low: str, s: int, cue: int) -> bool:
    """The cue at ``cue`` is a state someone was in ("I was pregnant"), not one they are in."""
    return _PAST_STATE.search(low, max(s, cue - 40), cue) is not None


def agrees(m: re.Match[str], low: str, s: int) -> bool:
    """The pronoun in group ``poss`` names the same person as the clause's subject.

    The subject is group ``subj`` or ``owner`` when the rule captures one, else the nearest
    subject pronoun before the match in the sentence; with none (a named subject: "Mira cut her
    arm") a third-person ``poss`` agrees.
    """
    groups = m.re.groupindex
    poss = m.group("poss") if "poss" in groups else None
    if poss is None:
        return True
    subj = None
    for name in ("subj", "owner"):
        if name in groups and m.group(name):
            subj = m.group(name)
            break
    if subj is None:
        last = text_cues.last_match(_SUBJECT, low, s, m.start())
        subj = (last.group(1) or last.group(2)) if last else None
    if subj is None:
        return _PERSON.get(poss) in ("3m", "3f", "3p")
    return _PERSON.get(subj) == _PERSON.get(poss)
