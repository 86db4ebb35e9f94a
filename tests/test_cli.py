from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from forewarn import cli_shell
from forewarn.cli import _parser, main
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "the-lighthouse-keeper.txt"
VIOLENT = """Dana walked into the bar and the man swung at her. She ducked and he hit the wall.

He pulled a knife and stabbed Dana in the side. Blood poured over her fingers and soaked her shirt.

Dana fell. She lay dead on the floor, her eyes open, and the bar went quiet. Oren knelt over Dana.
"""


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(VIOLENT, encoding="utf-8")
    return path


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_command_and_option_has_help_text():
    parser = _parser()
    for action in parser._actions:
        if action.dest not in ("help", "version"):
            assert action.help, action.dest
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        assert sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.dest}"


def test_scan_table_lists_warnings_and_hides_passages(capsys, story):
    code, out, _ = _run(capsys, "scan", str(story))
    assert code == 0
    assert "Blood" in out and "Violence" in out
    assert "soaked her shirt" not in out
    assert "--show-passages" in out


def test_scan_show_passages_shows_evidence(capsys, story):
    code, out, _ = _run(capsys, "scan", "--show-passages", str(story))
    assert code == 0 and "soaked her" in out


def test_scan_json_is_one_object_following_the_contract(capsys, story):
    code, out, _ = _run(capsys, "scan", "--format", "json", str(story))
    assert code == 0
    doc = json.loads(out)
    (work,) = doc["works"]
    assert work["schema"] and work["source"]["path"] == str(story)
    labels = {w["label"]: w for w in work["warnings"]}
    assert {"blood", "violence", "death"} <= set(labels)
    for w in work["warnings"]:
        assert 0 <= w["confidence"] <= 1 and w["severity"] in ("mentioned", "depicted", "graphic")
        assert isinstance(w["passages"], int) and "evidence" not in w
    assert all("name" in a for a in work["archive_warnings"])


def test_scan_jsonl_evidence_indexes_the_text(capsys, story):
    code, out, _ = _run(capsys, "scan", "--format", "jsonl", "--show-passages", str(story))
    assert code == 0
    (line,) = out.splitlines()
    work = json.loads(line)
    text = story.read_text(encoding="utf-8")
    for w in work["warnings"]:
        for e in w["evidence"]:
            assert text[e["start"] : e["end"]] == e["text"] and e["chapter"] == 1


def test_fail_on_exits_1_when_found_and_exit_zero_overrides(capsys, story):
    assert _run(capsys, "scan", "--fail-on", "blood,suicide", str(story))[0] == 1
    assert _run(capsys, "scan", "--fail-on", "suicide", str(story))[0] == 0
    assert _run(capsys, "scan", "--fail-on", "blood", "--exit-zero", str(story))[0] == 0


def test_unknown_fail_on_label_is_a_usage_error(capsys, story):
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--fail-on", "gore", str(story)])
    assert exit_info.value.code == 2
    assert "unknown label" in capsys.readouterr().err


def test_bad_inputs_get_one_line_errors_and_do_not_stop_the_batch(capsys, story, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    missing = tmp_path / "missing.txt"
    paths = [empty, binary, tmp_path, missing, huge, story]
    code, out, err = _run(capsys, "scan", "--format", "jsonl", *map(str, paths))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 5
    for path, line in zip(paths[:5], lines, strict=True):
        assert str(path) in line and "Traceback" not in line
    assert json.loads(out)["source"]["path"] == str(story)


def test_labels_command_lists_every_label(capsys):
    code, out, _ = _run(capsys, "labels", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 33


def test_installed_command_scans_the_bundled_example():
    result = subprocess.run(
        [sys.executable, "-m", "forewarn.cli", "scan", "--format", "json", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (work,) = json.loads(result.stdout)["works"]
    assert {"death", "blood"} <= {w["label"] for w in work["warnings"]}


BACKSTORY = """Years ago, before any of this, his brother had died in the war, and nobody spoke of it.

The kettle clicked off and she poured two cups. Outside, the gulls argued over the harbour wall and the
fishing boats came in one by one, their lights swinging.
"""


def test_table_folds_mentions_into_one_line_unless_asked(tmp_path, capsys):
    path = tmp_path / "quiet.txt"
    path.write_text(BACKSTORY, encoding="utf-8")
    code, out, _ = _run(capsys, "scan", str(path))
    assert code == 0
    assert "No content warnings detected." in out and "Also mentioned: death" in out
    code, out, _ = _run(capsys, "scan", str(path), "--show-mentions")
    assert "mentioned only" in out and "Also mentioned" not in out


def test_json_keeps_warnings_and_mentions_apart(tmp_path, capsys):
    path = tmp_path / "quiet.txt"
    path.write_text(BACKSTORY, encoding="utf-8")
    _code, out, _ = _run(capsys, "scan", str(path), "--format", "json")
    (work,) = json.loads(out)["works"]
    assert work["warnings"] == []
    assert [(m["label"], m["tier"], m["severity"]) for m in work["mentions"]] == [
        ("death", "mention", "mentioned")
    ]


def test_a_dash_reads_the_story_from_standard_input(tmp_path: Path) -> None:
    story = b"Kel drew the knife and stabbed the guard. Blood sprayed across the wall, and the guard died."
    done = subprocess.run(
        [sys.executable, "-m", "forewarn.cli", "scan", "-", "--format", "json", "--no-who"],
        input=story,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    work = json.loads(done.stdout)["works"][0]
    assert work["source"]["path"] == "-" and "violence" in {w["label"] for w in work["warnings"]}


def test_a_closed_output_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    paths = []
    for i in range(4):
        path = tmp_path / f"s{i}.txt"
        path.write_text("She ran home in the rain; the door slammed behind her.\n" * 200, encoding="utf-8")
        paths.append(str(path))
    process = subprocess.Popen(
        [sys.executable, "-m", "forewarn.cli", "scan", "--format", "jsonl", "--no-who", *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    errors = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert json.loads(first)["words"] > 0
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
    assert code in (0, cli_shell.EXIT_BROKEN_PIPE)


STABBING = "Kel drew the knife and stabbed the guard. Blood sprayed across the wall, and the guard died.\n"


def test_a_profile_hides_and_folds_with_its_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STABBING, encoding="utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text('[labels]\nblood = "fold"\n', encoding="utf-8")
    assert main(["scan", str(story), "--profile", str(profile), "--no-who"]) == 0
    out = capsys.readouterr().out
    assert "folded: blood (blood = fold)" in out and "Blood " not in out
    profile.write_text('[labels]\nviolence = "hide"\n', encoding="utf-8")
    main(["scan", str(story), "--profile", str(profile), "--no-who"])
    out = capsys.readouterr().out
    assert "hidden by your profile: violence (violence = hide)" in out and "Confidence" not in out
    main(["scan", str(story), "--profile", str(profile), "--no-who", "--format", "json"])
    work = json.loads(capsys.readouterr().out)["works"][0]
    assert work["profile"]["action"] == "hide" and work["profile"]["reasons"][0]["label"] == "violence"
    main(["scan", str(story), "--profile", str(profile), "--no-who", "--unfold"])
    assert "Violence" in capsys.readouterr().out


def test_a_bad_profile_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STABBING, encoding="utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text('[labels]\nviolnce = "hide"\n', encoding="utf-8")
    assert main(["scan", str(story), "--profile", str(profile)]) == 2
    err = capsys.readouterr().err
    assert "labels.violnce: unknown label; did you mean violence?" in err and "Traceback" not in err
