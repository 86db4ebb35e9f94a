"""The build step: compiles the rules of ``data/lexicon.json`` into ``data/lexicon.compiled.json``,
which the detector loads instead of compiling them, and reads the patterns that ``text_cues.Scan``
cuts into ``data/scan_cuts.json``.

    python -m forewarn.detectors.lexicon.build      # or: make lexicon

Run it after every change to ``lexicon.json`` (``tests/test_lexicon_build.py`` fails until then).
The compiled lexicon holds every regex with its macros and pattern syntax expanded, and what reading
the regexes' structure found (gates, required literals; see ``analysis``), so that the detector
needs neither the checks nor Python's private regex parser at run time (nor does ``text_cues``).
"""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

from forewarn.detectors.lexicon.analysis import idiom_literals, literals, matches_empty, scan_cuts
from forewarn.detectors.lexicon.compiler import compile_combo, compile_rule, expand_macros, regex
from forewarn.detectors.lexicon.prefilter import cue_regex, word_record
from forewarn.detectors.lexicon.rules import (
    COMPILED,
    FORMAT,
    SOURCE,
    RulesError,
    combo_record,
    data_file,
    digest,
    rule_record,
)
from forewarn.detectors.text_cues import SCAN_CUTS
from forewarn.labels import BY_NAME

# The modules whose patterns text_cues.Scan cuts (through last_match, found_before, Scan.within,
# .last and .parts): their module-level patterns are read into SCAN_CUTS. A pattern missing there
# is still scanned right, only more slowly (tests/test_lexicon_build.py checks none is missing).
SCANNED_MODULES = (
    "forewarn.detectors.text_cues",
    "forewarn.detectors.lexicon.grammar",
    "forewarn.who.deaths",
)


def compile_lexicon(source: bytes) -> dict[str, Any]:
    """The compiled lexicon of the rules ``source`` (the bytes of a file in ``lexicon.json``'s
    format), as the JSON object the detector loads; raises ``RulesError`` on malformed rules."""
    data = json.loads(source.decode("utf-8"))
    macros = expand_macros(data.get("macros", {}))
    rules = [compile_rule(r, macros) for r in data["rules"]]
    combos = [compile_combo(c, macros) for c in data.get("combos", ())]
    for rid, label in [(r.id, r.label) for r in rules] + [(c.id, c.label) for c in combos]:
        if not label.startswith("_") and label not in BY_NAME:
            raise RulesError(f"{rid}: unknown label {label!r}")
    ids = [r.id for r in rules] + [c.id for c in combos]
    if len(ids) != len(set(ids)):
        raise RulesError("duplicate rule ids")
    idioms = [f"(?:{regex(p, macros)})" for p in data["idioms"]]
    for idiom in idioms:
        try:
            re.compile(idiom)
        except re.error as error:
            raise RulesError(f"bad idiom {idiom!r}: {error}") from None
    if any(matches_empty(r"(?<!\w)(?:" + idiom + r")(?!\w)") for idiom in idioms):
        raise RulesError("an idiom must not match empty text")
    graphic = re.compile(regex(data["graphic_detail"], macros)).pattern
    full: dict[str, list[int]] = {}
    prefix: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        for cue in rule.cues:
            if cue.endswith("*"):
                prefix.setdefault(cue[:-1], []).append(i)
            else:
                full.setdefault(cue, []).append(i)
    return {
        "format": FORMAT,
        "source_sha256": digest(source),
        "rules": [rule_record(r) for r in rules],
        "combos": [combo_record(c) for c in combos],
        "idioms": [{"source": idiom, "literals": _lists(idiom_literals(idiom))} for idiom in idioms],
        "graphic": {"source": graphic, "literals": _lists(literals(graphic))},
        "graphic_labels": sorted(set(data["graphic_labels"])),
        "cue_regex": cue_regex(full, prefix),
        # Python's \w, which the native cue matcher finds cue_regex's words with.
        "word": word_record(),
    }


def scanned_patterns() -> list[re.Pattern[str]]:
    """The module-level patterns of ``SCANNED_MODULES``, in order."""
    modules = [importlib.import_module(name) for name in SCANNED_MODULES]
    return [value for module in modules for value in vars(module).values() if isinstance(value, re.Pattern)]


def read_scan_cuts() -> dict[str, Any]:
    """The contents of ``data/scan_cuts.json``: see ``analysis.scan_cuts``."""
    return {"format": 1, "patterns": scan_cuts(scanned_patterns())}


def render(compiled: dict[str, Any]) -> str:
    """The text of a compiled lexicon file: one JSON object, a rule, combination or idiom a line."""
    items = list(compiled.items())
    lines = ["{"]
    for n, (key, value) in enumerate(items):
        end = "," if n < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{_json(key)}: [")
            lines.extend(f"  {_json(v)}{',' if i < len(value) - 1 else ''}" for i, v in enumerate(value))
            lines.append(f"]{end}")
        else:
            lines.append(f"{_json(key)}: {_json(value)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    source, target = data_file(SOURCE), data_file(COMPILED)
    compiled = compile_lexicon(source.read_bytes())
    target.write_text(render(compiled), encoding="utf-8")
    print(f"{target}: {len(compiled['rules'])} rules, {len(compiled['combos'])} combinations")
    cuts, target = read_scan_cuts(), data_file(SCAN_CUTS)
    target.write_text(render(cuts), encoding="utf-8")
    print(f"{target}: {len(cuts['patterns'])} patterns")
    return 0


def _lists(sets: tuple[tuple[str, ...], ...]) -> list[list[str]]:
    return [list(strings) for strings in sets]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


if __name__ == "__main__":
    raise SystemExit(main())
