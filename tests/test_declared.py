"""Declared warnings: tags and notes to labels, and the declared-versus-detected comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from forewarn.declared import (
    compare,
    declared_labels,
    note_warnings,
    tag_labels,
    warning_stance,
    work_declared_labels,
)
from forewarn.labels import LABEL_NAMES
from forewarn.model import Declared
from forewarn.readers.sniff import read_work

AO3 = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "ao3"


@pytest.mark.parametrize(
    ("tag", "labels"),
    [
        ("Stabbing", {"violence", "blood"}),
        ("Self-Harm", {"self-harm"}),
        ("Major Character Death", {"death"}),
        ("Rape/Non-Con", {"sexual-assault"}),
        ("Underage", {"underage"}),
        ("Graphic Depictions Of Violence", {"violence"}),
        ("Suicidal Thoughts", {"suicide"}),
        ("Implied/Referenced Suicide", {"suicide"}),
        ("Past Child Abuse", {"child-abuse"}),
        ("Implied/Referenced Self-Harm", {"self-harm"}),
        ("Canon-Typical Violence", {"violence"}),
        ("Panic Attacks", {"mental-illness"}),
        ("No Archive Warnings Apply", set()),
        ("Creator Chose Not To Use Archive Warnings", set()),
        ("Hurt/Comfort", set()),
        ("Underage Drinking", set()),
        ("No Character Death", set()),
        ("Death Eaters", set()),
        ("One Shot", set()),
    ],
)
def test_tag_labels(tag: str, labels: set[str]) -> None:
    assert tag_labels(tag) == labels


def test_tag_map_names_only_known_labels() -> None:
    import json
    from importlib import resources

    table = json.loads(resources.files("forewarn").joinpath("data/tag_map.json").read_text(encoding="utf-8"))
    named = {label for labels in table["exact"].values() for label in labels}
    named |= {label for _, labels in table["contains"] for label in labels}
    assert named <= set(LABEL_NAMES)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("TW: self-harm", ("self-harm",)),
        ("Warnings: character death, blood", ("character death", "blood")),
        ("cw // suicide attempt; gore. Enjoy!", ("suicide attempt", "gore")),
        (
            "Trigger warnings - implied/referenced rape and panic attacks",
            ("implied/referenced rape", "panic attacks"),
        ),
        ("tw for blood", ("blood",)),
        ("Warnings: none", ()),
        ("I feel I should warn you that this is bad.", ()),
        ("Warning: no character death", ()),
    ],
)
def test_note_warnings(text: str, terms: tuple[str, ...]) -> None:
    assert note_warnings(text) == terms


def test_declared_labels_combines_tags_summary_and_notes() -> None:
    declared = Declared(
        archive_warnings=("Major Character Death",),
        additional_tags=("Stabbing", "Fluff"),
        summary="A quiet story. CW: eating disorders",
    )
    assert declared_labels(declared, "Notes: TW: self-harm") == {
        "death",
        "violence",
        "blood",
        "eating-disorders",
        "self-harm",
    }
    assert declared_labels(Declared()) == frozenset()


def test_warning_stance() -> None:
    assert warning_stance(Declared(archive_warnings=("Creator Chose Not To Use Archive Warnings",))) == (
        "chose-not-to-warn"
    )
    assert warning_stance(Declared(archive_warnings=("No Archive Warnings Apply",))) == "no-warnings-apply"
    assert warning_stance(Declared(archive_warnings=("Underage",))) == "warned"
    assert warning_stance(Declared()) == "none"


def test_compare_puts_detected_only_first_in_taxonomy_order() -> None:
    rows = compare({"self-harm", "death", "blood"}, ["suicide", "blood", "violence"])
    assert rows == (
        ("violence", "detected-only"),
        ("suicide", "detected-only"),
        ("blood", "both"),
        ("death", "declared-only"),
        ("self-harm", "declared-only"),
    )
    assert compare([], []) == ()


def test_real_ao3_work_declares_violence_and_blood() -> None:
    path = AO3 / "23009290-htmlTest.html"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared AO3 fixtures are not beside this checkout")
    assert work_declared_labels(read_work(path)) == {"violence", "blood"}


def test_ffn_summary_warning_counts_as_declared() -> None:
    work = read_work(Path(__file__).resolve().parent / "fixtures" / "ffn" / "story-chapter2.html")
    assert work_declared_labels(work) == {"self-harm", "death"}
