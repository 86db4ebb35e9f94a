"""Frozen results of the who-analysis: characters, relationships, fandom, deaths.

Every ``(start, end)`` pair is a character offset into ``Work.text``, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RelationshipKind = Literal["romantic", "platonic"]
Gender = Literal["m", "f", ""]


@dataclass(frozen=True, slots=True)
class Character:
    """One character of the story, with every place the text names them."""

    name: str  # canonical: the AO3 form when the knowledge base knows it, else the fullest form seen
    aliases: tuple[str, ...]  # surface forms seen in the text, e.g. "Sasuke-kun", "Uchiha Sasuke"
    mentions: tuple[tuple[int, int], ...]  # (start, end) character offsets into Work.text, sorted
    dialogue: int  # lines of dialogue attributed to this character
    importance: float  # in [0, 1]; 1 for the most important character of the work
    gender: Gender = ""  # "m"/"f" from the knowledge base or the pronouns around the name, "" unknown
    known: bool = False  # the name comes from the fandom knowledge base


@dataclass(frozen=True, slots=True)
class Relationship:
    """A pair of characters the text ties together, named the AO3 way."""

    name: str  # "A/B" (romantic) or "A & B" (platonic), in AO3 order: a known ship's, else by family name
    kind: RelationshipKind
    characters: tuple[str, str]  # canonical names, alphabetical (the name may order them otherwise)
    confidence: float  # in [0, 1]
    evidence: tuple[tuple[int, int], ...]  # (start, end) offsets of the sentences that earn it


@dataclass(frozen=True, slots=True)
class FandomGuess:
    name: str  # AO3-style fandom name, e.g. "Naruto"
    confidence: float  # in [0, 1]


@dataclass(frozen=True, slots=True)
class Death:
    """A character the text shows dying or dead, with the span that says so."""

    name: str  # canonical character name
    start: int  # character offset into Work.text
    end: int  # character offset into Work.text, exclusive
    cue: str  # the rule that fired, for explaining and debugging


@dataclass(frozen=True, slots=True)
class Who:
    """Everything forewarn can tell about who is in a story and what happens to them."""

    characters: tuple[Character, ...]  # most important first
    relationships: tuple[Relationship, ...]  # most confident first
    fandom: FandomGuess | None
    deaths: tuple[Death, ...]  # in text order, one per character

    @property
    def who_dies(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.deaths)
