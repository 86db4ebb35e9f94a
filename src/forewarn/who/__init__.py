"""Who is in a story and what happens to them: characters, relationships, fandom, who dies.

Pure and deterministic: a ``Work`` (and optionally the detectors' findings) in, a ``Who`` out.
Only story sections are read; author notes and forewords are not story text.

>>> who = analyse_who(work)                      # doctest: +SKIP
>>> who.fandom.name, who.who_dies                # doctest: +SKIP
('Naruto', ('Uchiha Sasuke',))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from forewarn.model import Finding, Work
from forewarn.who.deaths import find_deaths
from forewarn.who.names import build_context
from forewarn.who.relationships import find_relationships
from forewarn.who.types import Character, Death, FandomGuess, Relationship, Who
from forewarn.who.windows import analyse_in_windows

__all__ = [
    "Character",
    "Death",
    "FandomGuess",
    "Relationship",
    "Who",
    "analyse_who",
    "characters",
    "who_dies",
    "who_to_dict",
]

VERSION = "who.v1"  # stored with results so a report says what produced them


def analyse_who(work: Work, findings: Iterable[Finding] = ()) -> Who:
    """Characters, relationships, fandom and deaths of ``work`` (story sections only).

    A very long work is analysed in windows, so that memory stays bounded (``windows.py``).
    """
    return analyse_in_windows(work, tuple(findings), _analyse_whole)


def _analyse_whole(work: Work, findings: Sequence[Finding]) -> Who:
    ctx = build_context(work)
    return Who(
        characters=ctx.characters,
        relationships=find_relationships(ctx),
        fandom=ctx.fandom,
        deaths=find_deaths(ctx, tuple(findings)),
    )


def characters(work: Work) -> tuple[Character, ...]:
    """The characters of ``work``, most important first."""
    return build_context(work).characters


def who_dies(
    work: Work, characters: Iterable[Character] | None = None, findings: Iterable[Finding] = ()
) -> tuple[str, ...]:
    """Canonical names of the characters who die or are found dead, in text order.

    ``characters`` (from ``analyse_who`` or ``characters()``) restricts the answer to those names;
    ``findings`` are death/dying findings whose ``characters`` are candidate names.
    """
    ctx = build_context(work)
    allowed = {c.name for c in characters} if characters is not None else None
    return tuple(d.name for d in find_deaths(ctx, tuple(findings)) if allowed is None or d.name in allowed)


def who_to_dict(who: Who) -> dict[str, object]:
    """JSON-ready view: characters (mentions as a count), relationships, fandom, who dies."""
    return {
        "characters": [
            {
                "name": c.name,
                "aliases": list(c.aliases),
                "mentions": len(c.mentions),
                "dialogue": c.dialogue,
                "importance": c.importance,
                "gender": c.gender or None,
            }
            for c in who.characters
        ],
        "relationships": [
            {
                "name": r.name,
                "kind": r.kind,
                "characters": list(r.characters),
                "confidence": r.confidence,
                "evidence": [[s, e] for s, e in r.evidence],
            }
            for r in who.relationships
        ],
        "fandom": None
        if who.fandom is None
        else {"name": who.fandom.name, "confidence": who.fandom.confidence},
        "who_dies": list(who.who_dies),
        "deaths": [{"name": d.name, "start": d.start, "end": d.end, "cue": d.cue} for d in who.deaths],
    }
