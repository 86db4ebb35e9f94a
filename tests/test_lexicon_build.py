"""The lexicon's build step: the shipped compiled lexicon is what it makes of ``lexicon.json``, and
the detector loads it without the regex analysis (Python's private ``re._parser``)."""

from __future__ import annotations

import ast
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from forewarn.detectors import lexicon, text_cues
from forewarn.detectors.lexicon import LexiconDetector, build, detector
from forewarn.detectors.lexicon.compiler import compile_combo, compile_rule, expand_macros
from forewarn.detectors.lexicon.rules import COMPILED, SOURCE, data_file
from forewarn.model import Passage
from forewarn.readers.txt import work_from_text
from forewarn.who import analyse_who

PACKAGE = Path(lexicon.__file__).parent
# The build step, which a default scan never imports.
BUILD_MODULES = tuple(f"forewarn.detectors.lexicon.{name}" for name in ("analysis", "build", "compiler"))


def test_the_shipped_compiled_lexicon_is_what_the_build_step_makes():
    """Run ``make lexicon`` (``python -m forewarn.detectors.lexicon.build``) when this fails."""
    made = build.render(build.compile_lexicon(data_file(SOURCE).read_bytes()))
    assert data_file(COMPILED).read_text(encoding="utf-8") == made


def test_the_loaded_rules_are_the_rules_compiled_from_lexicon_json():
    data = json.loads(data_file(SOURCE).read_text(encoding="utf-8"))
    macros = expand_macros(data["macros"])
    loaded = LexiconDetector()
    assert loaded.rules == tuple(compile_rule(raw, macros) for raw in data["rules"])
    assert loaded.combos == tuple(compile_combo(raw, macros) for raw in data["combos"])


def test_a_default_scan_does_not_import_the_build_step():
    code = (
        "import sys\n"
        "from forewarn.detectors.lexicon import LexiconDetector\n"
        "from forewarn.model import Passage\n"
        "text = 'Mira died in her arms; blood ran down the blade. I am dying to see it.'\n"
        "assert LexiconDetector().detect([Passage(0, 0, len(text), 0, text)])\n"
        f"print(sorted(set({BUILD_MODULES!r}) & set(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parents[2])}  # the forewarn under test
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert found.stdout.strip() == "[]", found.stderr


def test_only_the_build_step_reads_the_private_regex_parser():
    """``re._parser`` is always loaded (``re.compile`` parses with it); only ``analysis`` calls it,
    not the lexicon's run-time modules nor ``text_cues`` (whose scans it read at build time)."""
    private = {"re._parser", "re._constants", "sre_parse", "sre_constants"}
    readers = set()
    for path in [*sorted(PACKAGE.glob("*.py")), Path(text_cues.__file__)]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
        names |= {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        if private & names:
            readers.add(path.stem)
    assert readers == {"analysis"}


def test_the_shipped_scan_cuts_are_what_the_build_step_reads():
    """Run ``make lexicon`` (``python -m forewarn.detectors.lexicon.build``) when this fails: a
    pattern of ``build.SCANNED_MODULES`` changed."""
    made = build.render(build.read_scan_cuts())
    assert data_file(text_cues.SCAN_CUTS).read_text(encoding="utf-8") == made


def test_every_pattern_a_scan_cuts_was_read_by_the_build_step(monkeypatch):
    """A pattern missing from ``data/scan_cuts.json`` is scanned right but slowly: each that the
    lexicon and the who-analysis cut in run-on sentences was read, or cannot be cut cleanly."""
    from forewarn.detectors.lexicon.analysis import _no_lookahead, _sre_parser

    asked: dict[tuple[str, int], bool] = {}
    end_words = text_cues._end_words

    def recording(pattern):
        found = end_words(pattern)
        asked[pattern.pattern, pattern.flags] = found is text_cues._UNREAD
        return found

    monkeypatch.setattr(text_cues, "_end_words", recording)
    run_on = (
        "She said that if he had wanted to die, he would have, and then she ran, and the blood that he "
        "spilled on the floor, which was cold, was his own because Mira died in her arms, no pulse, "
    ) * 40
    long_clause = "the old grey stone tower by the sea " * 15  # no clause break for 500 characters
    text = (run_on + ".\n\n") * 2 + "Sakura: no pulse, she was dying. " * 60
    text += f"\n\nWhen {long_clause}fell she killed herself and he wanted to die in {long_clause}her arms."
    LexiconDetector().detect([Passage(0, 0, len(text), 0, text), Passage(1, 0, len(text), 0, text.lower())])
    analyse_who(work_from_text(text), ())
    assert len(asked) >= 4
    unread = [key for key, missing in asked.items() if missing]
    assert all(not _no_lookahead(list(_sre_parser.parse(*key))) for key in unread), unread


def test_a_stale_compiled_lexicon_is_compiled_afresh(tmp_path, monkeypatch, caplog):
    data = json.loads(data_file(SOURCE).read_text(encoding="utf-8"))
    data["rules"] = [r for r in data["rules"] if r["label"] == "blood"]
    (tmp_path / SOURCE).write_text(json.dumps(data), encoding="utf-8")
    shutil.copy(data_file(COMPILED), tmp_path / COMPILED)
    monkeypatch.setattr(detector, "data_file", lambda name: tmp_path / name)
    text = "Mira died; blood ran down her arm."
    with caplog.at_level(logging.WARNING):
        found = LexiconDetector().detect([Passage(0, 0, len(text), 0, text)])
    assert {f.label for f in found} == {"blood"}
    assert "out of date" in caplog.text


def test_the_build_step_writes_the_compiled_lexicon(tmp_path, monkeypatch, capsys):
    shutil.copy(data_file(SOURCE), tmp_path / SOURCE)
    monkeypatch.setattr(build, "data_file", lambda name: tmp_path / name)
    assert build.main() == 0
    written = (tmp_path / COMPILED).read_text(encoding="utf-8")
    assert written == data_file(COMPILED).read_text(encoding="utf-8")
    assert str(tmp_path / COMPILED) in capsys.readouterr().out


@pytest.mark.parametrize("broken", ["{UNKNOWN} died", "(unclosed"])
def test_rules_given_at_run_time_are_compiled_and_checked(tmp_path, broken):
    data = json.loads(data_file(SOURCE).read_text(encoding="utf-8"))
    data["idioms"].append(broken)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(lexicon.RulesError):
        LexiconDetector(rules_path=path)
