"""The results do not change (issue 15): each golden Report of tests/golden/ is scanned again and
must match (floats within 1e-6). After a deliberate change of results, rerun
``python tools/golden.py --update`` and commit the new goldens with the change that made them."""

from __future__ import annotations

import json

import pytest
from tools import golden

FILES = golden.load_golden_files()


def test_there_are_goldens() -> None:
    assert len(FILES) >= 20, "tests/golden/ is (nearly) empty: run python tools/golden.py --update"


@pytest.mark.parametrize(("path", "item"), FILES, ids=[item.key for _, item in FILES])
def test_golden(path: object, item: golden.Input) -> None:
    if item.needs_shared and not golden.shared_available():
        pytest.skip(f"{golden.SHARED} is absent: {item.key} cannot be read")
    present = {i.key for i in golden.inputs()}
    assert item.key in present, f"{item.key}: the input is gone; run python tools/golden.py --update"
    lines = golden.check_one(item)
    assert not lines, f"{item.key} differs from its golden ({item.golden_path.name}):\n" + "\n".join(
        lines[:200]
    )


def test_every_input_has_a_golden() -> None:
    missing = [i.key for i in golden.inputs() if not i.golden_path.exists()]
    assert not missing, f"inputs without a golden (run python tools/golden.py --update): {missing}"


def test_goldens_hold_no_text() -> None:
    """The goldens keep digests and offsets, never the story text (the shared data stays out)."""
    forbidden = {"text", "summary", "title", "author", "evidence_text"}

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    for path, _ in FILES:
        assert not keys(json.loads(path.read_text(encoding="utf-8"))) & forbidden, path.name


def test_the_check_catches_a_change() -> None:
    """The comparison itself: a confidence off by more than 1e-6, an offset, a label, a name."""
    base = {"verdicts": {"death": {"confidence": 0.5}}, "evidence": [[1, 9]], "who": ["Ann"]}
    same = {"verdicts": {"death": {"confidence": 0.5000009}}, "evidence": [[1, 9]], "who": ["Ann"]}
    assert list(golden.differences(base, same)) == []
    assert list(golden.differences(base, {**same, "verdicts": {"death": {"confidence": 0.500002}}}))
    assert list(golden.differences(base, {**same, "evidence": [[1, 10]]}))
    assert list(golden.differences(base, {**same, "evidence": [[1, 9], [12, 20]]}))
    assert list(golden.differences(base, {**same, "verdicts": {"blood": {"confidence": 0.5}}}))
    assert list(golden.differences(base, {**same, "who": ["Bea"]}))
    assert list(golden.differences({"x": 1}, {"x": True}))
