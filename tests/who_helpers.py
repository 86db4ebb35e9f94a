"""Small builders for who-tests: made-up Works, and seeds and AO3 fixtures read by forewarn."""

from __future__ import annotations

from pathlib import Path

from forewarn.api import read
from forewarn.model import Chapter, Section, Source, Work

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = SHARED / "seeds"
AO3 = SHARED / "fixtures" / "ao3"


def work_from_parts(parts: list[tuple[str, str]]) -> Work:
    """A Work from (kind, text) parts joined by blank lines."""
    text = ""
    sections: list[Section] = []
    for kind, chunk in parts:
        if text:
            text += "\n\n"
        sections.append(Section(kind, len(text), len(text) + len(chunk)))  # type: ignore[arg-type]
        text += chunk
    return Work(text, tuple(sections), (Chapter("", 0, len(text)),), Source(None, "text"))


def story(text: str) -> Work:
    return work_from_parts([("story", text)])


def seed_work(name: str) -> Work:
    """A seed read by the plain-text reader, which splits off its foreword and author's note."""
    return read(SEEDS / name)


def ao3_work(path: Path) -> tuple[Work, list[str], list[str]]:
    """An AO3 download read by its reader, plus its declared characters and relationships."""
    work = read(path)
    return work, list(work.declared.characters), list(work.declared.relationships)
