from __future__ import annotations

import json
import pickle

import pytest

import forewarn
from forewarn.errors import UnreadableInputError

STORY = "Kel drew the knife and stabbed the guard. Blood sprayed across the wall, and the guard died."


def test_scan_accepts_path_and_work_and_scan_text_text(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    from_text = forewarn.scan_text(STORY)
    from_path = forewarn.scan(path)
    from_str_path = forewarn.scan(str(path))
    from_work = forewarn.scan(from_path.work)
    labels = [v.label for v in from_text.warnings]
    assert {"violence", "blood", "death"} <= set(labels)
    for report in (from_path, from_str_path, from_work):
        assert [v.label for v in report.warnings] == labels
    assert from_path.work.source.path == str(path)
    assert from_text.work.source.path is None


def test_scan_of_a_missing_file_named_as_a_path_is_an_error_not_text(tmp_path):
    with pytest.raises(UnreadableInputError, match=r"missing\.txt"):
        forewarn.scan(str(tmp_path / "missing.txt"))


def test_a_one_line_story_with_a_slash_is_text_for_scan_text_and_a_path_for_scan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = forewarn.scan_text("Derek/Stiles", title="A pairing")
    assert report.work.source.path is None and report.work.title == "A pairing"
    with pytest.raises(UnreadableInputError, match="Derek/Stiles: no such file"):
        forewarn.scan("Derek/Stiles")


def test_the_calibre_library_scan_is_exported():
    assert forewarn.scan_calibre_library is forewarn.api.scan_calibre_library


def test_scan_many_reports_errors_in_place_and_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    results = forewarn.scan_many([tmp_path / "nope.txt", good])
    assert isinstance(results[0], UnreadableInputError) and "nope.txt" in str(results[0])
    assert isinstance(results[1], forewarn.Report)


def test_report_to_dict_is_json_and_hides_passages_unless_asked():
    report = forewarn.scan_text(STORY)
    hidden = json.loads(json.dumps(report.to_dict()))
    shown = json.loads(json.dumps(report.to_dict(show_passages=True)))
    assert all("evidence" not in w for w in hidden["warnings"])
    for w in shown["warnings"]:
        for e in w["evidence"]:
            assert STORY[e["start"] : e["end"]] == e["text"]


def test_report_survives_pickle():
    report = forewarn.scan_text(STORY)
    assert pickle.loads(pickle.dumps(report)) == report


def test_report_names_what_produced_it():
    assert forewarn.scan_text(STORY).detectors == ("lexicon.v1", "passage-clf.v2", "work-level.v1", "who.v1")


def test_public_api_is_declared():
    for name in forewarn.__all__:
        assert hasattr(forewarn, name), name
