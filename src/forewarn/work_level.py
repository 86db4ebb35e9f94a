"""Passage findings -> what a work deserves per label: a warning, a mention, or nothing.

A passage detector finds sentences; a reader asks what the *work* holds (``WARNINGS.md``: warn /
mention / absent). This module turns the findings of one label over a whole work into a few
work-level features and a small logistic model turns those into the probability that a careful
reader would put the label in the warning list (``warn_probability``). The features describe the
label's evidence, never the work's length, so that adding neutral text cannot add a warning:

- ``top_onpage`` / ``second_onpage``: the two best scores of passages where it happens on the page
  (severity depicted or graphic); one strong scene, and whether a second passage corroborates it;
- ``top_mentioned``: the best score of a passage where it is only referred to (backstory,
  dialogue, a threat, a hypothetical): strong mentions make a "mention", rarely a warning;
- ``share_onpage``: the fraction of the story's passages that show it: what the story is about;
- ``graphic``: a passage shows it with vivid bodily detail;
- ``learned``: the label's passage score comes from the learned passage model (calibrated on
  labelled passages) rather than from the lexicon's hand-set priors;
- ``named_death``: for death and dying, the who-analysis names a character who dies in the story.

The weights are fitted by ``forewarn train-works`` from works labelled under ``WARNINGS.md`` (see
``models/README.md``) and shipped in ``models/work-level.v1.json``; ``forewarn eval-works --cv``
measures the whole thing with the weights refitted inside each fold.

Graphic Depictions Of Violence needs more than a violent verdict: a violent scene told with
lingering bodily detail (``gore_terms``), in several passages.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from forewarn.model import Finding

NAME = "work-level.v1"
FEATURES = (
    "top_onpage",
    "second_onpage",
    "top_mentioned",
    "share_onpage",
    "graphic",
    "learned",
    "named_death",
)
STRONG = 0.5  # a passage finding at least this strong counts as a passage that shows the label
WARN_THRESHOLD = 0.5  # warn_probability at which a label is put in the warning list

# Lingering bodily detail of a wound: what makes a violent scene graphic rather than a punch.
_GORE = re.compile(
    r"(?<![\w-])(?:blood(?:ied|y|ing)?|bled|bleed(?:s|ing)?|gore|gor(?:y|ier)|wounds?|wounded|gash(?:es|ed)?"
    r"|lacerat\w+|entrails|guts|intestines|innards|viscera|organs|flesh|sinew|tendons?|marrow|skull"
    r"|bones?|ribs?|spine|sternum|jaw|cartilage|teeth|throat|eye sockets?|severed|sever(?:s|ing)?"
    r"|sliced|slic(?:es|ing)|slash(?:ed|es|ing)?|stabb(?:ed|ing)|stabs?|impaled?|pierc(?:ed|es|ing)"
    r"|gouged?|torn|tore|ripped|crush(?:ed|es|ing)|shatter(?:ed|ing)|crack(?:ed|ing)|snapp(?:ed|ing)"
    r"|splinter(?:ed|ing)|broken|burst|spurt(?:ed|ing|s)?|gush(?:ed|es|ing)|pool(?:ed|ing)|spatter(?:ed)?"
    r"|splatter(?:ed)?|dripp(?:ed|ing)|oozing|raw|mangled|mutilat\w+|disembowel\w*|dismember\w*"
    r"|decapitat\w+|bruis(?:ed|es|ing)|swollen|burn(?:ed|t)|blister\w*|knife|blade|sword|bullet|shrapnel)"
    r"(?![\w-])",
    re.IGNORECASE,
)
GORE_TERMS = 2  # distinct words of bodily damage in one violent passage make it a graphic passage
GRAPHIC_PASSAGES = 3  # graphic violent passages a work needs for Graphic Depictions Of Violence
VIOLENT_LABELS = ("violence", "war", "dissection")


@dataclass(frozen=True, slots=True)
class LabelEvidence:
    """One label's findings over a work, reduced to what the work-level model reads."""

    label: str
    top_onpage: float
    second_onpage: float
    top_mentioned: float
    onpage: int  # passages that show it on the page with a finding of at least STRONG
    share_onpage: float  # onpage / passages in the story
    graphic: bool
    learned: bool
    named_death: bool = False

    def vector(self) -> list[float]:
        return [
            self.top_onpage,
            self.second_onpage,
            self.top_mentioned,
            self.share_onpage,
            float(self.graphic),
            float(self.learned),
            float(self.named_death),
        ]


DEATH_LABELS = ("death", "dying")  # the labels whose findings name who dies


def label_evidence(
    label: str,
    per_passage: Mapping[int, Sequence[Finding]],
    passages: int,
    learned: bool,
    who_dies: Sequence[str] = (),
) -> LabelEvidence:
    """The features of one label, from its findings grouped by passage index."""
    onpage: list[float] = []
    mentioned: list[float] = []
    graphic = False
    for findings in per_passage.values():
        shown = [f.score for f in findings if f.severity != "mentioned"]
        told = [f.score for f in findings if f.severity == "mentioned"]
        if shown:
            onpage.append(max(shown))
        if told:
            mentioned.append(max(told))
        graphic = graphic or any(f.severity == "graphic" and f.score >= STRONG for f in findings)
    onpage.sort(reverse=True)
    strong = sum(1 for s in onpage if s >= STRONG)
    return LabelEvidence(
        label=label,
        top_onpage=onpage[0] if onpage else 0.0,
        second_onpage=onpage[1] if len(onpage) > 1 else 0.0,
        top_mentioned=max(mentioned, default=0.0),
        onpage=strong,
        share_onpage=strong / passages if passages else 0.0,
        graphic=graphic,
        learned=learned,
        named_death=bool(who_dies) and label in DEATH_LABELS,
    )


# WARNINGS.md: "dying" is a death scene on the page, so a warning of it needs a character the
# who-analysis sees die; "he must be dying", "tributes slowly dying of thirst" are not one.
NEEDS_NAMED_DEATH = frozenset({"dying"})
# WARNINGS.md: "a death scene gets both": a warning of the key is a warning of the value.
IMPLIES = {"dying": "death"}


def is_warning(evidence: LabelEvidence, warn_probability: float) -> bool:
    """Whether a label with this evidence and probability goes in the work's warning list."""
    if evidence.label in NEEDS_NAMED_DEATH and not evidence.named_death:
        return False
    return warn_probability >= WARN_THRESHOLD


@dataclass(frozen=True, slots=True)
class WorkLevelModel:
    """A logistic model over ``FEATURES``: ``p = sigmoid(bias + weights . features)``."""

    weights: tuple[float, ...]
    bias: float
    name: str = NAME

    def warn_probability(self, evidence: LabelEvidence) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, evidence.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WorkLevelModel:
        if list(data.get("features", ())) != list(FEATURES):
            raise ValueError(f"work-level model features {data.get('features')} are not {list(FEATURES)}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]), str(data["name"]))


MODEL_FILE = f"{NAME}.json"


@cache
def default_model() -> WorkLevelModel:
    """The shipped work-level model, loaded once per process (a few numbers)."""
    text = resources.files("forewarn.detectors").joinpath("models", MODEL_FILE).read_text(encoding="utf-8")
    return WorkLevelModel.from_json(json.loads(text))


def gore_terms(text: str) -> int:
    """How many distinct words of bodily damage ``text`` holds (the detail that makes violence graphic).

    >>> gore_terms("The blade slid between his ribs and blood pooled under him.")
    4
    """
    return len({m.group(0).lower() for m in _GORE.finditer(text)})


def graphic_violent_passages(violent: Iterable[Finding], passage_text: Mapping[int, str]) -> int:
    """Passages that show violence on the page with lingering bodily detail."""
    shown = {f.passage for f in violent if f.severity != "mentioned" and f.score >= STRONG}
    return sum(1 for p in shown if gore_terms(passage_text[p]) >= GORE_TERMS)


_NUMBER_UNDER_18 = (
    r"(?:[1-9]|1[0-7]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen)"
)
_MINOR = re.compile(
    rf"(?<![\w-]){_NUMBER_UNDER_18}[- ](?:years?[- ]olds?|yo)(?![\w-])"
    rf"|(?<![\w-])(?:aged?|only|just|barely|turned) {_NUMBER_UNDER_18}"
    r"(?! (?:years? )?(?:ago|later|before|after|of))(?![\w-])"
    r"|(?<![\w-])(?:under ?age[d]?|pre-?teens?|pre-?pubescent|middle[- ]school(?:ers?)?|junior high"
    r"|(?:sixth|seventh|eighth|ninth|6th|7th|8th|9th)[- ]grade(?:rs?)?|toddlers?)(?![\w-])",
    re.IGNORECASE,
)


def states_minor(text: str) -> bool:
    """Whether ``text`` gives an age under 18 or an unmistakable minor status.

    >>> states_minor("She was only fifteen."), states_minor("the teenagers at the party")
    (True, False)
    """
    return _MINOR.search(text) is not None
