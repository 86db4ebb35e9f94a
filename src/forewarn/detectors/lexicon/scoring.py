"""How much a rule match counts: its score and severity in context (hypothetical, dialogue,
backstory, verse, a heading, a game, graphic detail), the settings that make a finding a mention
(sparring, children's play), and the strongest finding per label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from forewarn.detectors import text_cues
from forewarn.detectors.lexicon.grammar import past_state, present_progressive
from forewarn.detectors.lexicon.rules import Rule
from forewarn.detectors.lexicon.sentence import Sentence, evidence_bounds, lower
from forewarn.model import SEVERITIES, Passage, Severity

FACTOR_HYPOTHETICAL = 0.6
FACTOR_NEAR_MISS = 0.5
FACTOR_BACKSTORY = 0.8
FACTOR_DIALOGUE = 0.85
FACTOR_VERSE = 0.5  # a poem or song quoted in the story
FACTOR_HEADING = 0.5  # a title, heading, sign or slogan In Title Case (a pun, a chapter title)
FACTOR_GAME = 0.5  # violence or death in a video game or tabletop game
FACTOR_PRACTICE = 0.5  # blows in sparring, training or a combat sport
FACTOR_PLAY = 0.5  # war or blows in children's pretend play ("a game of Island War", a pillow fight)
GRAPHIC_BONUS = 0.05
_MIN_SCORE = 0.15  # weaker candidates are noise, not findings
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_PEOPLE_LABELS = frozenset({"death", "dying", "suicide"})  # findings that name who is involved
# Labels whose cues a game uses for play ("killed the boss", "slew the dragon", "guild war").
_GAME_LABELS = frozenset({"violence", "death", "dying", "war", "blood", "dissection", "animal-death"})
# A state the story's characters are in: said in dialogue ("I'm pregnant"), it is the story's
# present, not a report of something that happened elsewhere. Backstory and irrealis still apply.
_STATE_LABELS = frozenset({"pregnancy"})
_SCENE_REACH = 8  # passages: a sparring bout or a game runs on about this far after its set-up
# Settings that make the labels' findings a mention (label set, factor, the test on lower-cased
# text): sparring is not violence against a person; a child dying at play is still a death.
SCENES: tuple[tuple[frozenset[str], float, Callable[[str], bool]], ...] = (
    (frozenset({"violence"}), FACTOR_PRACTICE, text_cues.in_practice),
    (frozenset({"violence", "war"}), FACTOR_PLAY, text_cues.in_play),
)

# Whether a depicted finding of a label in a sentence is graphic (the detector's graphic detail).
Graphic = Callable[[str, Sentence], bool]


@dataclass(slots=True)
class Hit:
    """A candidate finding: offsets into the passage text, ``cue`` the id of its rule."""

    label: str
    score: float
    severity: Severity
    start: int
    end: int
    cue: str
    characters: tuple[str, ...]


def rank(hit: Hit) -> tuple[float, int, int]:
    """What makes one hit stronger than another: score, then severity, then the earlier start."""
    return (round(hit.score, 3), _SEVERITY_RANK[hit.severity], -hit.start)


def score(rule: Rule, m: re.Match[str], sentence: Sentence, graphic: Graphic) -> Hit:
    """The hit of match ``m`` of ``rule`` in ``sentence``, scored in its context."""
    text, low, s, e = sentence.text, sentence.low, sentence.s, sentence.e
    cue_at = m.start("cue")
    # What holds for the whole sentence, or for one cue, is worked out once (see Sentence).
    value = rule.score + sum(bonus for pattern, bonus in rule.boost if sentence.holds(pattern))
    severity: Severity = rule.severity
    why = sentence.irrealis(cue_at) if rule.irrealis else None
    if why is not None:
        value *= FACTOR_NEAR_MISS if why == "near-miss" else FACTOR_HYPOTHETICAL
        severity = "mentioned"
    elif (
        text_cues.in_dialogue(text, cue_at)
        and not present_progressive(low, m, s)
        and not (rule.label in _STATE_LABELS and not past_state(low, s, cue_at))
    ):
        value *= FACTOR_DIALOGUE
        severity = "mentioned"
    elif rule.severity != "mentioned" and sentence.fact(
        "backstory", lambda: text_cues.is_backstory(low, s, e)
    ):
        value *= FACTOR_BACKSTORY
        severity = "mentioned"
    # Words that are not the story's events: a quoted poem or song, a title or pun, a game.
    if sentence.fact("verse", lambda: text_cues.in_verse(text, s, e)):
        value *= FACTOR_VERSE
        severity = "mentioned"
    elif sentence.fact("heading", lambda: text_cues.is_heading(text, s, e)):
        value *= FACTOR_HEADING
        severity = "mentioned"
    if severity != "mentioned" and rule.label in _GAME_LABELS and text_cues.in_game(low):
        value *= FACTOR_GAME
        severity = "mentioned"
    if severity == "depicted" and graphic(rule.label, sentence):
        severity = "graphic"
        value += GRAPHIC_BONUS
    start, end = evidence_bounds(low, s, e, m.start(), m.end())
    characters: tuple[str, ...] = ()
    if rule.who and rule.label in _PEOPLE_LABELS:
        characters = text_cues.names_near(text, m.start("cue"), m.end("cue"), lo=s, hi=e, side=rule.who)
    return Hit(rule.label, min(value, 1.0), severity, start, end, rule.id, characters)


def top(rule: Rule, sentence: Sentence, graphic: Graphic) -> tuple[float, int]:
    """The highest score and severity rank (see ``rank``) that :func:`score` can give a match of
    ``rule`` in ``sentence``: its factors only lower a score, to "mentioned"."""
    value = rule.score + sum(bonus for pattern, bonus in rule.boost if sentence.holds(pattern))
    severity = rule.severity
    if severity == "depicted" and graphic(rule.label, sentence):
        severity = "graphic"
        value += GRAPHIC_BONUS
    return round(min(value, 1.0), 3), _SEVERITY_RANK[severity]


def set_scenes(
    hits: list[Hit], low: str, passages: Sequence[Passage], position: int, scenes: Sequence[dict[int, bool]]
) -> None:
    """Make the hits of ``passages[position]`` (``low`` is its lower-cased text) mentions where it
    is set in one of ``SCENES``; ``scenes`` caches each setting's answer by passage index."""
    passage = passages[position]
    before = passages[max(0, position - _SCENE_REACH) : position]
    for (labels, factor, test), known in zip(SCENES, scenes, strict=True):
        shown = [h for h in hits if h.label in labels and h.severity != "mentioned"]
        if shown and _in_scene(low, passage, before, known, test):
            for hit in shown:
                hit.score *= factor
                hit.severity = "mentioned"


def _in_scene(
    low: str, passage: Passage, before: Sequence[Passage], known: dict[int, bool], test: Callable[[str], bool]
) -> bool:
    """True when ``passage`` (``low`` is its lower-cased text) is set where ``test`` tells from
    lower-cased text (sparring, children's play), or one of the passages ``before`` it in the same
    chapter is: a bout or a game runs over several paragraphs. ``known`` caches the answer by
    passage index over one ``detect`` call."""
    found = known.get(passage.index)
    if found is None:
        found = known[passage.index] = test(low)
    if found:
        return True
    for other in reversed(before):
        if other.chapter != passage.chapter:
            break
        found = known.get(other.index)
        if found is None:
            found = known[other.index] = test(lower(other.text))
        if found:
            return True
    return False


def strongest(hits: list[Hit]) -> dict[str, Hit]:
    """The strongest hit per label (internal labels and noise left out)."""
    best: dict[str, Hit] = {}
    for hit in hits:
        if hit.label.startswith("_") or hit.score < _MIN_SCORE:
            continue
        old = best.get(hit.label)
        if old is None or rank(hit) > rank(old):
            best[hit.label] = hit
    return best
