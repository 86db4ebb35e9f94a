"""Reader profiles: loading TOML (good and bad files), every rule kind, and real report dicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import platformdirs
import pytest

import forewarn
from forewarn.errors import ForewarnError
from forewarn.profile import (
    Judgement,
    Profile,
    ProfileError,
    Reason,
    default_profile_path,
    describe,
    load_profile,
)
from tests.conftest import REPO, shared_path

EXAMPLE = REPO / "examples" / "profile.toml"


def verdict(
    label: str, severity: str = "depicted", *, tier: str = "warn", declared: bool = False
) -> dict[str, Any]:
    return {
        "label": label,
        "tier": tier,
        "severity": severity,
        "confidence": 0.9,
        "declared": declared,
    }


def report(
    warnings: list[dict[str, Any]] | None = None,
    mentions: list[dict[str, Any]] | None = None,
    *,
    archive: list[dict[str, Any]] | None = None,
    **declared: Any,
) -> dict[str, Any]:
    """A made-up report dict in render_json's shape (only the keys a profile reads, and a few more)."""
    meta: dict[str, Any] = {
        "rating": None,
        "archive_warnings": [],
        "categories": [],
        "fandoms": [],
        "relationships": [],
        "characters": [],
        "additional_tags": [],
        "summary": None,
        "extra": {},
        "labels": [],
        "stance": "none",
    }
    meta.update(declared)
    return {
        "schema": "1.1",
        "warnings": list(warnings or ()),
        "mentions": list(mentions or ()),
        "archive_warnings": list(archive or ()),
        "declared": meta,
        "fandom": None,
        "chapters": [],
    }


def profile(labels: dict[str, Any], **top: Any) -> Profile:
    return Profile.from_dict({"labels": labels, **top})


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- loading ----------------------------------------------------------------------------------


def test_default_location_is_the_user_config_folder():
    assert default_profile_path() == Path(platformdirs.user_config_dir("forewarn")) / "profile.toml"


def test_missing_default_file_is_the_empty_profile(monkeypatch, tmp_path):
    monkeypatch.setattr("forewarn.profile.default_profile_path", lambda: tmp_path / "nope" / "profile.toml")
    p = load_profile()
    assert p.empty and p.path is None
    assert p.judge(report([verdict("self-harm", "graphic")])) == Judgement("show", (), frozenset())


def test_default_file_is_read_when_present(monkeypatch, tmp_path):
    path = write(tmp_path, '[labels]\nsuicide = "hide"\n')
    monkeypatch.setattr("forewarn.profile.default_profile_path", lambda: path)
    assert load_profile().judge(report([verdict("suicide")])).action == "hide"


def test_missing_explicit_file_is_an_error(tmp_path):
    missing = tmp_path / "mine.toml"
    with pytest.raises(ForewarnError) as caught:
        load_profile(missing)
    assert str(caught.value) == f"{missing}: no such profile file"


def test_the_example_profile_loads():
    p = load_profile(EXAMPLE)
    assert p.path == EXAMPLE
    assert {"self-harm", "violence", "pornographic-content", "blood", "Major Character Death"} <= set(
        p.labels
    )
    assert len(p.labels["blood"]) == 2


def test_empty_file_is_the_empty_profile(tmp_path):
    assert load_profile(write(tmp_path, "# nothing yet\n")).empty


def test_str_path_and_bom_are_accepted(tmp_path):
    path = tmp_path / "p.toml"
    path.write_bytes(b'\xef\xbb\xbf[labels]\nsuicide = "hide"\n')
    assert load_profile(str(path)).labels["suicide"][0].action == "hide"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[labels]\nviolnce = "hide"\n', "labels.violnce: unknown label; did you mean violence?"),
        ('[labels]\nzzzz = "hide"\n', "labels.zzzz: unknown label (`forewarn labels` lists them)"),
        (
            '[labels]\n"Major Character Deth" = "hide"\n',
            'labels."Major Character Deth": unknown label; did you mean Major Character Death?',
        ),
        (
            '[labels]\nviolence = "hid"\n',
            'labels.violence: unknown action "hid"; use one of "hide", "fold", "show"',
        ),
        (
            '[labels]\nviolence = { action = "hide", min_severity = "gory" }\n',
            'labels.violence.min_severity: unknown severity "gory"; '
            'use one of "mentioned", "central", "depicted", "graphic"',
        ),
        (
            '[labels]\nviolence = { action = "hide", tier = "mention" }\n',
            'labels.violence.tier: unknown tier "mention"; use one of "warn", "any"',
        ),
        (
            '[labels]\nviolence = { action = "hide", unless = "tagged" }\n',
            'labels.violence.unless: unknown condition "tagged"; use one of "declared"',
        ),
        (
            "[labels]\nviolence = 3\n",
            'labels.violence: must be an action ("hide", "fold", "show") or a table of settings, '
            "not a number",
        ),
        (
            "[labels]\nviolence = { action = true }\n",
            'labels.violence.action: must be a string, one of "hide", "fold", "show", not true/false',
        ),
        (
            '[labels]\nviolence = { min_severity = "graphic" }\n',
            'labels.violence: needs an action ("hide", "fold" or "show")',
        ),
        (
            '[labels]\nviolence = { action = "hide", min_severty = "graphic" }\n',
            "labels.violence.min_severty: unknown setting; did you mean min_severity?",
        ),
        (
            '[labels]\nviolence = { action = "hide", unless_tags = [1, 2] }\n',
            "labels.violence.unless_tags: must be a name or a list of names (strings), not a list",
        ),
        (
            '[labels]\nviolence = { action = "hide", only_fandoms = [] }\n',
            "labels.violence.only_fandoms: no names given",
        ),
        ("[labels]\nviolence = []\n", "labels.violence: an empty list of rules"),
        (
            '[labels]\nviolence = ["hide", "fodl"]\n',
            'labels.violence[1]: unknown action "fodl"; use one of "hide", "fold", "show"',
        ),
        (
            '[labels]\n"Major Character Death" = { action = "hide", min_severity = "graphic" }\n',
            'labels."Major Character Death".min_severity: does not apply to an Archive Warning '
            "(it has no severity or tier)",
        ),
        (
            '[labels]\nself-harm = "hide"\n"Self Harm" = "fold"\n',
            'labels."Self Harm": self-harm is already given as self-harm',
        ),
        ('labels = "hide"\n', "labels: must be a table ([labels]), not a string"),
        (
            '[lables]\nviolence = "hide"\n',
            "lables: unknown setting (a profile has [labels] and default); did you mean labels?",
        ),
        ('default = "fould"\n', 'default: unknown action "fould"; use one of "hide", "fold", "show"'),
    ],
)
def test_bad_files_name_the_file_the_key_and_the_problem(tmp_path, toml, message):
    path = write(tmp_path, toml)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == f"{path}: {message}"
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ForewarnError)


def test_bad_toml_is_one_line_naming_the_file(tmp_path):
    path = write(tmp_path, "[labels]\nviolence hide\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: not valid TOML: ") and "line 2" in text and "\n" not in text


def test_binary_file_and_folder_are_errors(tmp_path):
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ProfileError, match="not UTF-8 text"):
        load_profile(binary)
    with pytest.raises(ProfileError, match="is a folder"):
        load_profile(tmp_path)


def test_labels_may_be_written_with_titles_spaces_or_any_case():
    p = profile({"Self Harm": "hide", "Sexual content": "fold", "major character death": "hide"})
    assert set(p.labels) == {"self-harm", "pornographic-content", "Major Character Death"}


# --- rules ------------------------------------------------------------------------------------


def test_plain_actions_and_the_strongest_wins():
    p = profile({"self-harm": "hide", "death": "fold", "blood": "show"})
    j = p.judge(report([verdict("death"), verdict("self-harm"), verdict("blood")]))
    assert j.action == "hide"
    assert [(r.label, r.action, r.rule) for r in j.reasons] == [
        ("death", "fold", "death = fold"),
        ("self-harm", "hide", "self-harm = hide"),
    ]
    assert j.folded == {"death", "self-harm"}
    assert p.judge(report([verdict("death")])).action == "fold"
    assert p.judge(report([verdict("blood"), verdict("war")])) == Judgement()


def test_reason_carries_the_verdicts_severity_and_tier():
    j = profile({"violence": "fold"}).judge(report([verdict("violence", "graphic")]))
    assert j.reasons == (Reason("violence", "fold", "violence = fold", "graphic", "warn"),)


@pytest.mark.parametrize(
    ("threshold", "fires_on"),
    [
        ("graphic", {"graphic"}),
        ("depicted", {"depicted", "graphic"}),
        ("central", {"central", "depicted", "graphic"}),
        ("mentioned", {"central", "depicted", "graphic"}),
    ],
)
def test_min_severity_orders_mentioned_central_depicted_graphic(threshold, fires_on):
    p = profile({"violence": {"action": "hide", "min_severity": threshold}})
    for severity in ("central", "depicted", "graphic"):
        j = p.judge(report([verdict("violence", severity)]))
        assert (j.action == "hide") == (severity in fires_on), (threshold, severity)


def test_rule_text_says_the_threshold():
    p = profile(
        {
            "violence": {"action": "hide", "min_severity": "graphic"},
            "blood": {"action": "fold", "min_severity": "depicted"},
        }
    )
    j = p.judge(report([verdict("violence", "graphic"), verdict("blood", "graphic")]))
    assert [r.rule for r in j.reasons] == ["violence = hide if graphic", "blood = fold if depicted or worse"]


def test_tier_warn_ignores_mentions_and_any_takes_them():
    mention = verdict("suicide", "mentioned", tier="mention")
    assert profile({"suicide": "hide"}).judge(report(mentions=[mention])).action == "show"
    j = profile({"suicide": {"action": "hide", "tier": "any"}}).judge(report(mentions=[mention]))
    assert j.action == "hide"
    assert j.reasons[0].tier == "mention" and j.reasons[0].severity == "mentioned"
    assert j.reasons[0].rule == "suicide = hide mentions too"
    # A mention is "mentioned": it passes no threshold above that, even with tier = "any".
    strict = profile({"suicide": {"action": "hide", "tier": "any", "min_severity": "central"}})
    assert strict.judge(report(mentions=[mention])).action == "show"


def test_unless_declared_trusts_the_authors_tag():
    p = profile({"pornographic-content": {"action": "fold", "tier": "any", "unless": "declared"}})
    assert p.judge(report([verdict("pornographic-content", "graphic", declared=True)])).action == "show"
    j = p.judge(report([verdict("pornographic-content", "graphic")]))
    assert j.action == "fold"
    assert j.reasons[0].rule == "pornographic-content = fold mentions too, unless declared"


def test_a_label_only_the_author_declared_counts_as_a_warning_of_unknown_severity():
    tagged = report(labels=["suicide"], additional_tags=["Suicide"])
    j = profile({"suicide": "hide"}).judge(tagged)
    assert j.action == "hide"
    assert j.reasons == (Reason("suicide", "hide", "suicide = hide", None, "declared"),)
    assert profile({"suicide": {"action": "hide", "min_severity": "depicted"}}).judge(tagged).action == "show"
    assert profile({"suicide": {"action": "hide", "unless": "declared"}}).judge(tagged).action == "show"


def test_a_declared_label_found_only_as_a_mention_still_fires_a_warn_rule():
    r = report(mentions=[verdict("death", "mentioned", tier="mention", declared=True)], labels=["death"])
    j = profile({"death": "fold"}).judge(r)
    assert j.action == "fold" and j.reasons[0].tier == "declared"


def test_fandom_conditions():
    hp = report([verdict("death")], fandoms=["Harry Potter - J. K. Rowling"])
    only = profile({"death": {"action": "hide", "only_fandoms": ["Harry Potter*"]}})
    unless = profile({"death": {"action": "hide", "unless_fandoms": "harry  potter - j. k. rowling"}})
    assert only.judge(hp).action == "hide"
    assert only.judge(report([verdict("death")], fandoms=["Naruto"])).action == "show"
    assert only.judge(report([verdict("death")])).action == "show"  # no known fandom
    assert unless.judge(hp).action == "show"
    assert unless.judge(report([verdict("death")], fandoms=["Naruto"])).action == "hide"
    assert only.judge(hp).reasons[0].rule == "death = hide in Harry Potter*"


def test_a_work_without_declared_fandoms_uses_the_recognised_one():
    r = report([verdict("death")])
    r["fandom"] = {"name": "Naruto", "confidence": 0.8}
    assert profile({"death": {"action": "hide", "only_fandoms": "Naruto"}}).judge(r).action == "hide"


def test_tag_conditions_read_every_tag_but_fandoms():
    p = profile({"death": {"action": "hide", "unless_tags": ["Fix-It", "Happy Ending"]}})
    assert p.judge(report([verdict("death")], additional_tags=["Angst", "fix-it"])).action == "show"
    assert p.judge(report([verdict("death")], additional_tags=["Angst"])).action == "hide"
    assert p.judge(report([verdict("death")], fandoms=["Fix-It"])).action == "hide"
    explicit = profile({"pornographic-content": {"action": "fold", "only_tags": "Explicit"}})
    r = report([verdict("pornographic-content")], rating="Explicit")
    assert explicit.judge(r).action == "fold"
    assert explicit.judge(report([verdict("pornographic-content")], rating="Mature")).action == "show"
    relation = profile({"violence": {"action": "hide", "only_tags": "*/Stiles*"}})
    assert (
        relation.judge(report([verdict("violence")], relationships=["Derek/Stiles Stilinski"])).action
        == "hide"
    )


def test_a_list_of_rules_is_tried_in_order_and_the_first_that_fires_decides():
    p = profile(
        {
            "blood": [
                {"action": "hide", "min_severity": "graphic"},
                {"action": "fold", "min_severity": "depicted"},
            ],
            "violence": [{"action": "show", "only_tags": "Canon-Typical Violence"}, "hide"],
        }
    )
    assert p.judge(report([verdict("blood", "graphic")])).action == "hide"
    assert p.judge(report([verdict("blood", "depicted")])).action == "fold"
    assert p.judge(report([verdict("blood", "central")])).action == "show"
    j = p.judge(report([verdict("blood", "graphic")]))
    assert len(j.reasons) == 1 and j.reasons[0].rule == "blood = hide if graphic"
    assert p.judge(report([verdict("violence")], additional_tags=["Canon-Typical Violence"])).action == "show"
    assert p.judge(report([verdict("violence")])).action == "hide"


def test_default_applies_to_labels_not_listed():
    p = profile({"blood": "show"}, default="fold")
    j = p.judge(report([verdict("blood"), verdict("racism", "central")]))
    assert j.action == "fold"
    assert j.reasons == (Reason("racism", "fold", "default = fold", "central", "warn"),)
    table = Profile.from_dict({"default": {"action": "hide", "min_severity": "graphic"}})
    assert table.judge(report([verdict("war", "graphic")])).reasons[0].rule == "default = hide if graphic"
    assert table.judge(report([verdict("war", "depicted")])).action == "show"
    assert Profile.from_dict({"default": "show"}).empty


def test_default_table_form_in_toml(tmp_path):
    p = load_profile(write(tmp_path, '[default]\naction = "fold"\ntier = "any"\n'))
    j = p.judge(report(mentions=[verdict("blood", "mentioned", tier="mention")]))
    assert j.action == "fold" and j.reasons[0].rule == "default = fold mentions too"


def test_archive_warning_keys():
    p = profile({"Major Character Death": "hide", "Rape/Non-Con": {"action": "fold", "unless": "declared"}})
    mcd = {"name": "Major Character Death", "confidence": 0.7, "because": ["death"], "declared": False}
    j = p.judge(report(archive=[mcd]))
    assert j.action == "hide"
    assert j.reasons == (
        Reason("Major Character Death", "hide", "Major Character Death = hide", None, "archive"),
    )
    assert j.folded == {"Major Character Death"}
    # The author's declaration counts, under its old name too.
    assert p.judge(report(archive_warnings=["Major Character Death"])).action == "hide"
    assert profile({"Underage Sex": "hide"}).judge(report(archive_warnings=["Underage"])).action == "hide"
    # unless = "declared"
    rape = {"name": "Rape/Non-Con", "confidence": 0.8, "because": ["sexual-assault"], "declared": True}
    assert p.judge(report(archive=[rape])).action == "show"
    assert p.judge(report(archive=[{**rape, "declared": False}])).action == "fold"
    # The default never applies to an Archive Warning.
    assert Profile.from_dict({"default": "hide"}).judge(report(archive=[mcd])).action == "show"
    # "No Archive Warnings Apply" is not a warning.
    assert p.judge(report(archive_warnings=["No Archive Warnings Apply"])).action == "show"


def test_a_label_and_its_archive_warning_both_give_reasons():
    p = profile({"death": "fold", "Major Character Death": "hide"})
    mcd = {"name": "Major Character Death", "confidence": 0.7, "because": ["death"], "declared": False}
    j = p.judge(report([verdict("death")], archive=[mcd]))
    assert j.action == "hide"
    assert [r.label for r in j.reasons] == ["death", "Major Character Death"]


def test_judging_tolerates_odd_or_partial_report_dicts():
    p = profile({"violence": {"action": "hide", "min_severity": "depicted"}, "death": "fold"})
    assert p.judge({}) == Judgement()
    odd = {
        "warnings": [{"label": "violence"}, "junk", {"no": "label"}, {"label": "death", "severity": 3}],
        "mentions": None,
        "declared": "nope",
        "archive_warnings": [{"name": 5}],
    }
    j = p.judge(odd)
    assert j.action == "fold" and [r.label for r in j.reasons] == ["death"]


# --- output -----------------------------------------------------------------------------------


def test_describe_and_to_dict():
    p = profile({"self-harm": "hide", "violence": "fold"})
    j = p.judge(report([verdict("self-harm"), verdict("violence")]))
    assert (
        describe(j)
        == "hidden by your profile: self-harm (self-harm = hide); folded: violence (violence = fold)"
    )
    only_fold = p.judge(report([verdict("violence")]))
    assert describe(only_fold) == "folded: violence (violence = fold)"
    assert describe(p.judge(report([]))) == ""
    d = j.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d == {
        "action": "hide",
        "reasons": [
            {
                "label": "self-harm",
                "action": "hide",
                "rule": "self-harm = hide",
                "severity": "depicted",
                "tier": "warn",
            },
            {
                "label": "violence",
                "action": "fold",
                "rule": "violence = fold",
                "severity": "depicted",
                "tier": "warn",
            },
        ],
        "folded": ["self-harm", "violence"],
    }


# --- real reports -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lighthouse() -> dict[str, Any]:
    doc = forewarn.scan(REPO / "examples" / "the-lighthouse-keeper.txt").to_dict()
    return json.loads(json.dumps(doc))


@pytest.fixture(scope="module")
def ao3_report() -> dict[str, Any]:
    doc = forewarn.scan(shared_path("fixtures", "ao3", "23009290-htmlTest.html")).to_dict()
    return json.loads(json.dumps(doc))


def test_real_report_lighthouse_keeper(lighthouse):
    labels = {v["label"]: v for v in lighthouse["warnings"]}
    assert "death" in labels  # what the story is about; the rules below rest on it
    assert profile({"death": "hide"}).judge(lighthouse).reasons[0].label == "death"
    assert Profile().judge(lighthouse) == Judgement()
    example = load_profile(EXAMPLE).judge(lighthouse)
    assert example.action in ("fold", "hide")
    assert "death" in example.folded
    assert all(r.action in ("hide", "fold") and r.rule for r in example.reasons)
    # Nothing declared, so "unless declared" fires as a plain rule.
    trusting = profile({"death": {"action": "fold", "unless": "declared"}})
    assert trusting.judge(lighthouse).action == "fold"


def test_real_report_ao3_with_declared_tags(ao3_report):
    declared = ao3_report["declared"]
    assert "Final Fantasy XIV" in declared["fandoms"] and "violence" in declared["labels"]
    violence = next(v for v in ao3_report["warnings"] if v["label"] == "violence")
    assert violence["declared"] is True
    # The author tagged violence: a reader who trusts tags is not bothered again.
    assert profile({"violence": {"action": "hide", "unless": "declared"}}).judge(ao3_report).action == "show"
    assert profile({"violence": "hide"}).judge(ao3_report).action == "hide"
    # Fandom and tag conditions read the real metadata.
    in_ffxiv = profile({"violence": {"action": "hide", "only_fandoms": "final fantasy*"}})
    assert in_ffxiv.judge(ao3_report).action == "hide"
    hurt_comfort_ok = profile({"violence": {"action": "hide", "unless_tags": "Hurt/Comfort"}})
    assert hurt_comfort_ok.judge(ao3_report).action == "show"
    # The declared Archive Warning counts for an Archive Warning key.
    assert profile({"Graphic Depictions Of Violence": "fold"}).judge(ao3_report).action == "fold"
    line = describe(load_profile(EXAMPLE).judge(ao3_report))
    assert line == "" or line.startswith(("hidden by your profile: ", "folded: "))


def test_underage_is_the_label_and_underage_sex_the_archive_warning():
    p = profile({"underage": "hide", "Underage Sex": "fold"})
    assert set(p.labels) == {"underage", "Underage Sex"}


def test_unknown_label_hints_at_the_label_readers_mean(tmp_path):
    with pytest.raises(ProfileError, match="did you mean sexual-assault or Rape/Non-Con"):
        load_profile(write(tmp_path, '[labels]\nrape = "hide"\n'))
    with pytest.raises(ProfileError, match="did you mean dying\\?"):
        load_profile(write(tmp_path, '[labels]\ndieing = "hide"\n'))
