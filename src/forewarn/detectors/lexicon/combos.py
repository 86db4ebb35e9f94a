"""What the findings of one passage make together: combination labels (a finding plus a second
cue: underage, incest ...), and sex play that borrows other labels' words."""

from __future__ import annotations

import re
from collections.abc import Mapping

from forewarn.detectors import text_cues
from forewarn.detectors.lexicon.rules import Combo
from forewarn.detectors.lexicon.scoring import Hit
from forewarn.detectors.lexicon.sentence import MAX_EVIDENCE

SEX_LABEL = "pornographic-content"  # sex on the page: what ``sex_unless`` rules read as sex play


def sex_play(hits: list[Hit], low: str, unless: Mapping[str, re.Pattern[str] | None]) -> list[Hit]:
    """Drop the hits of ``sex_unless`` rules (``unless``: rule id -> its ``sex_unless``) when the passage
    ``low`` has sex on the page and their sentence holds none of what keeps them: penetration told
    with a blow's verbs ("it stabbed in deep") or bondage's words ("her fingers clawing in their
    captivity") is not violence or kidnapping, but a knife, a wound or a refusal in the sentence
    keeps the finding."""
    if not any(h.label == SEX_LABEL and h.severity != "mentioned" for h in hits):
        return hits
    kept = []
    for hit in hits:
        pattern = unless.get(hit.cue)
        if pattern is not None and pattern.search(low, hit.start, hit.end) is None:
            continue
        kept.append(hit)
    return kept


def combine(combos: tuple[Combo, ...], hits: list[Hit], low: str) -> list[Hit]:
    """Labels that need a finding and a second cue together (underage, incest, ...)."""
    out: list[Hit] = []
    for combo in combos:
        bases = sorted((h for h in hits if h.label in combo.needs), key=lambda h: (-h.score, h.start))
        if not bases:
            continue
        in_passage = _combo_match(combo, low, 0, len(low)) if combo.scope == "passage" else None
        if combo.scope == "passage" and in_passage is None:
            continue
        tried: set[tuple[int, int]] = set()
        for base in bases:
            if in_passage is not None:
                m: re.Match[str] | None = in_passage
            elif (base.start, base.end) in tried:
                continue
            else:
                tried.add((base.start, base.end))
                m = _combo_match(combo, low, base.start, base.end)
            if m is None:
                continue
            if combo.not_near is not None and combo.not_near.search(low, base.start, base.end):
                continue
            start, end = base.start, base.end
            if not start <= m.start() < end:
                # Show both cues when they are close; otherwise the base sentence alone.
                other = text_cues.sentence_around(low, m.start())
                if max(end, other[1]) - min(start, other[0]) <= 2 * MAX_EVIDENCE:
                    start, end = min(start, other[0]), max(end, other[1])
            value = min(combo.score, base.score)
            out.append(Hit(combo.label, value, base.severity, start, end, combo.id, ()))
            break
    return out


def _combo_match(combo: Combo, low: str, lo: int, hi: int) -> re.Match[str] | None:
    """The first match of ``combo`` in ``low[lo:hi]`` that its ``not_before`` does not veto."""
    if combo.not_before is None:
        return combo.regex.search(low, lo, hi)
    for m in combo.regex.finditer(low, lo, hi):
        if combo.not_before.search(low, max(lo, m.start() - 60), m.start()) is None:
            return m
    return None
