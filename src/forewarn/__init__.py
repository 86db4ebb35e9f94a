"""forewarn: content warnings for fan fiction, with the passages that earn them.

>>> import forewarn
>>> report = forewarn.scan_text("He drew the blade across her throat and blood poured out.")
>>> sorted(v.label for v in report.warnings)[:2]
['blood', 'violence']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forewarn.api import read, scan, scan_calibre_library, scan_many, scan_text
    from forewarn.errors import ForewarnError, UnreadableInputError
    from forewarn.labels import LABELS, Label, get_label
    from forewarn.model import (
        ArchiveWarning,
        Chapter,
        Declared,
        Evidence,
        Finding,
        Passage,
        Report,
        Section,
        Source,
        Verdict,
        Work,
    )
    from forewarn.pipeline import analyse

__version__ = "0.1.0"

__all__ = [
    "LABELS",
    "ArchiveWarning",
    "Chapter",
    "Declared",
    "Evidence",
    "Finding",
    "ForewarnError",
    "Label",
    "Passage",
    "Report",
    "Section",
    "Source",
    "UnreadableInputError",
    "Verdict",
    "Work",
    "__version__",
    "analyse",
    "get_label",
    "read",
    "scan",
    "scan_calibre_library",
    "scan_many",
    "scan_text",
]

# Names are imported on first use (PEP 562), so that `forewarn --help` and the modules that need
# only a constant do not load the detectors, numpy and every reader.
_HOME = {
    **dict.fromkeys(("read", "scan", "scan_calibre_library", "scan_many", "scan_text"), "forewarn.api"),
    **dict.fromkeys(("ForewarnError", "UnreadableInputError"), "forewarn.errors"),
    **dict.fromkeys(("LABELS", "Label", "get_label"), "forewarn.labels"),
    **dict.fromkeys(
        [
            "ArchiveWarning",
            "Chapter",
            "Declared",
            "Evidence",
            "Finding",
            "Passage",
            "Report",
            "Section",
            "Source",
            "Verdict",
            "Work",
        ],
        "forewarn.model",
    ),
    "analyse": "forewarn.pipeline",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'forewarn' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
