"""forewarn: content warnings for fan fiction, with the passages that earn them.

>>> import forewarn
>>> report = forewarn.scan_text("He drew the blade across her throat and blood poured out.")
>>> sorted(v.label for v in report.warnings)[:2]
['blood', 'violence']
"""

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
