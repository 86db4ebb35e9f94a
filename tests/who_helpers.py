"""Small builders for who-tests: seeds and AO3 HTML fixtures as Works (no reader needed)."""

from __future__ import annotations

from pathlib import Path

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
    """A seed as a Work: 000 ends with an author's note line, 003 opens with a foreword paragraph."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    if name.startswith("000"):
        cut = text.rindex("I should not listen")
        return work_from_parts([("story", text[:cut].rstrip()), ("author-note", text[cut:])])
    first, rest = text.split("\n", 1)
    return work_from_parts([("foreword", first), ("story", rest.strip())])


def ao3_work(path: Path) -> tuple[Work, list[str], list[str]]:
    """The story paragraphs of an AO3 HTML download, plus its declared characters and relationships."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    parts: list[tuple[str, str]] = []
    for div in tree.css("#chapters div.userstuff"):
        paras = [p.text(deep=True).strip() for p in div.css("p")]
        parts.append(("story", "\n\n".join(p for p in paras if p)))
    declared: dict[str, list[str]] = {}
    for dt in tree.css("#preface dt"):
        dd = dt.next
        while dd is not None and dd.tag != "dd":
            dd = dd.next
        if dd is not None:
            declared[dt.text().strip().rstrip(":")] = [a.text().strip() for a in dd.css("a")]
    chars = declared.get("Characters", declared.get("Character", []))
    rels = declared.get("Relationship", declared.get("Relationships", []))
    return work_from_parts(parts), chars, rels
