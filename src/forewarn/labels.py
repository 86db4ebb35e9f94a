"""The warning taxonomy as data: the 32 labels of PAN 2023 plus war.

Each label has a reader-facing name, a one-line description, a coarse group and the AO3
Archive Warning it can feed. The order of ``LABELS`` is the order reports use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Group = Literal[
    "discrimination",
    "aggression",
    "abuse",
    "pregnancy",
    "medical",
    "mental-health",
    "sexual-content",
]

GRAPHIC_VIOLENCE = "Graphic Depictions Of Violence"
MAJOR_CHARACTER_DEATH = "Major Character Death"
RAPE_NON_CON = "Rape/Non-Con"
UNDERAGE = "Underage Sex"
ARCHIVE_WARNINGS: tuple[str, ...] = (GRAPHIC_VIOLENCE, MAJOR_CHARACTER_DEATH, RAPE_NON_CON, UNDERAGE)
# What AO3 authors pick instead of the four; neither names a warning.
NO_WARNINGS_APPLY = "No Archive Warnings Apply"
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"


@dataclass(frozen=True, slots=True)
class Label:
    name: str  # the PAN 2023 name, used in every machine-readable output
    title: str  # what a reader sees
    description: str
    group: Group
    archive_warning: str | None = None  # the AO3 Archive Warning this label can earn


LABELS: tuple[Label, ...] = (
    Label(
        "pornographic-content",
        "Sexual content",
        "Explicit sexual acts described on the page.",
        "sexual-content",
    ),
    Label(
        "violence",
        "Violence",
        "Physical harm done to a person: fights, beatings, stabbings, shootings.",
        "aggression",
        GRAPHIC_VIOLENCE,
    ),
    Label(
        "death",
        "Death",
        "A character dies or is found dead, on or off the page.",
        "aggression",
        MAJOR_CHARACTER_DEATH,
    ),
    Label(
        "sexual-assault",
        "Sexual assault",
        "Rape, sexual assault or other non-consensual sexual contact.",
        "sexual-content",
        RAPE_NON_CON,
    ),
    Label("abuse", "Abuse", "Ongoing physical, emotional or psychological abuse of a person.", "abuse"),
    Label("blood", "Blood", "Blood or bleeding described.", "medical"),
    Label(
        "suicide",
        "Suicide",
        "Suicide, a suicide attempt or suicidal intent.",
        "mental-health",
        MAJOR_CHARACTER_DEATH,
    ),
    Label("pregnancy", "Pregnancy", "A character is pregnant.", "pregnancy"),
    Label(
        "child-abuse",
        "Child abuse",
        "A child is physically, emotionally or sexually abused or neglected.",
        "abuse",
    ),
    Label("incest", "Incest", "Sexual or romantic relations between family members.", "sexual-content"),
    Label(
        "underage",
        "Underage sexual content",
        "Sexual content involving a character under eighteen.",
        "sexual-content",
        UNDERAGE,
    ),
    Label(
        "homophobia",
        "Homophobia",
        "Hostility, slurs or discrimination against gay, lesbian or bisexual people.",
        "discrimination",
    ),
    Label(
        "self-harm",
        "Self-harm",
        "A character deliberately hurts themself: cutting, burning, digging into skin.",
        "mental-health",
    ),
    Label(
        "dying",
        "Dying",
        "A character is dying on the page: last words, a death scene.",
        "medical",
        MAJOR_CHARACTER_DEATH,
    ),
    Label(
        "kidnapping",
        "Kidnapping",
        "A person is taken and held against their will, often for ransom.",
        "aggression",
    ),
    Label(
        "mental-illness",
        "Mental illness",
        "Depression, psychosis, PTSD, anxiety disorders and other mental illness.",
        "mental-health",
    ),
    Label(
        "dissection",
        "Dissection",
        "Bodies cut open: autopsy, dissection, surgery in detail, gore.",
        "medical",
        GRAPHIC_VIOLENCE,
    ),
    Label(
        "eating-disorders",
        "Eating disorders",
        "Anorexia, bulimia, binge eating, purging, starving oneself.",
        "mental-health",
    ),
    Label("abduction", "Abduction", "A person is abducted, captured or taken away by force.", "aggression"),
    Label("body-hatred", "Body hatred", "A character loathes their own body or appearance.", "mental-health"),
    Label("childbirth", "Childbirth", "Labour and giving birth.", "pregnancy"),
    Label(
        "racism",
        "Racism",
        "Racial slurs, racial hatred or discrimination by race or ethnicity.",
        "discrimination",
    ),
    Label(
        "sexism",
        "Sexism",
        "Discrimination or demeaning treatment because of sex or gender.",
        "discrimination",
    ),
    Label("miscarriages", "Miscarriage", "Loss of a pregnancy, stillbirth.", "pregnancy"),
    Label(
        "transphobia",
        "Transphobia",
        "Hostility, slurs or discrimination against trans people, misgendering.",
        "discrimination",
    ),
    Label("abortion", "Abortion", "Termination of a pregnancy.", "pregnancy"),
    Label("fat-phobia", "Fatphobia", "Contempt or discrimination against fat people.", "discrimination"),
    Label("animal-death", "Animal death", "An animal dies or is killed.", "aggression"),
    Label(
        "ableism",
        "Ableism",
        "Slurs or discrimination against disabled or neurodivergent people.",
        "discrimination",
    ),
    Label("classism", "Classism", "Contempt or discrimination by social class or poverty.", "discrimination"),
    Label(
        "misogyny",
        "Misogyny",
        "Contempt for women: gendered slurs, degrading women for being women.",
        "discrimination",
    ),
    Label("animal-cruelty", "Animal cruelty", "Animals hurt, tortured or neglected on purpose.", "abuse"),
    Label("war", "War", "War, battles, armies and their aftermath.", "aggression", GRAPHIC_VIOLENCE),
)

LABEL_NAMES: tuple[str, ...] = tuple(label.name for label in LABELS)
BY_NAME: dict[str, Label] = {label.name: label for label in LABELS}


def get_label(name: str) -> Label:
    """Look a label up by its name; raises ``KeyError`` naming the known labels."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown label {name!r}; known: {', '.join(LABEL_NAMES)}") from None
