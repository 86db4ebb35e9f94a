"""Acceptance: the two seed stories and the real AO3 fixtures (skipped where ../shared is absent)."""

from __future__ import annotations

import pytest

from forewarn.who import analyse_who, who_dies, who_to_dict
from tests.who_helpers import AO3, SEEDS, ao3_work, seed_work

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared (seeds, fixtures) is absent")

SEED_000 = "000_1f5270f4df896558.txt"
SEED_003 = "003_73d3285b3b136fb8.txt"


def _firsts(who) -> set[str]:  # type: ignore[no-untyped-def]
    """Every word of every character's name and aliases, for "canonical forms are fine" checks."""
    return {w for c in who.characters for a in (c.name, *c.aliases) for w in a.split()}


def test_seed_000_characters_are_the_people_on_the_page() -> None:
    who = analyse_who(seed_work(SEED_000))
    words = _firsts(who)
    for name in ("Sakura", "Kakashi", "Tsunade", "Naruto", "Ino", "Hinata", "Kiba", "Shino", "Chouji",
                 "Lee", "Sasuke"):  # fmt: skip
        assert name in words, name
    assert "Tenten" in {c.name for c in who.characters}
    for not_a_name in ("Eyes", "Thank", "Behind", "Hokage", "Team", "Why", "Still", "Nobody"):
        assert not_a_name not in words, not_a_name
    assert who.characters[0].name in ("Hatake Kakashi", "Haruno Sakura")


def test_seed_000_kakashi_sakura_romantic_fandom_naruto_sasuke_dead() -> None:
    work = seed_work(SEED_000)
    who = analyse_who(work)
    rels = {r.name: r for r in who.relationships}
    assert rels["Hatake Kakashi/Haruno Sakura"].kind == "romantic"
    assert who.fandom is not None and who.fandom.name == "Naruto"
    assert who.who_dies == ("Uchiha Sasuke",)
    assert who_dies(work, who.characters) == ("Uchiha Sasuke",)


def test_seed_003_characters_and_no_places_or_interjections() -> None:
    who = analyse_who(seed_work(SEED_003))
    names = {c.name for c in who.characters}
    assert {"Haruno Sakura", "Uchiha Sasuke", "Uchiha Itachi", "Tsunade"} <= names
    words = _firsts(who)
    for bad in ("Sound", "Village", "Konoha", "Hn", "Shh", "Deeper", "Further", "Breathe", "Call", "Guilt"):
        assert bad not in words, bad
    sasuke = next(c for c in who.characters if c.name == "Uchiha Sasuke")
    assert "Sasuke-kun" in sasuke.aliases and sasuke.dialogue >= 2


def test_seed_003_sasuke_sakura_romantic_sakura_dies_itachi_killed() -> None:
    who = analyse_who(seed_work(SEED_003))
    rels = {r.name: r for r in who.relationships}
    assert rels["Haruno Sakura/Uchiha Sasuke"].kind == "romantic"
    assert who.fandom is not None and who.fandom.name == "Naruto"
    assert set(who.who_dies) == {"Haruno Sakura", "Uchiha Itachi"}
    assert "Uchiha Sasuke" not in who.who_dies


def test_seed_offsets_point_at_the_names() -> None:
    work = seed_work(SEED_003)
    who = analyse_who(work)
    for c in who.characters:
        for start, end in c.mentions:
            assert work.text[start:end].casefold() in {w.casefold() for a in (c.name, *c.aliases)
                                                         for w in a.replace("-", " ").split()}  # fmt: skip
        assert all(s.kind == "story" for s in work.sections if s.start <= c.mentions[0][0] < s.end)


def test_who_to_dict_contract() -> None:
    d = who_to_dict(analyse_who(seed_work(SEED_000)))
    assert {"characters", "relationships", "fandom", "who_dies"} <= set(d)
    ch = d["characters"][0]  # type: ignore[index]
    assert {"name", "aliases", "mentions", "importance"} <= set(ch) and isinstance(ch["mentions"], int)
    rel = d["relationships"][0]  # type: ignore[index]
    assert {"name", "kind", "confidence"} <= set(rel)
    assert d["fandom"] == {"name": "Naruto", "confidence": pytest.approx(d["fandom"]["confidence"])}  # type: ignore[index]
    assert d["who_dies"] == ["Uchiha Sasuke"]


@pytest.mark.parametrize("path", sorted(AO3.glob("*.html")) if AO3.is_dir() else [], ids=lambda p: p.name)
def test_ao3_fixture_agrees_with_declared_tags(path) -> None:  # type: ignore[no-untyped-def]
    work, declared_chars, declared_rels = ao3_work(path)
    who = analyse_who(work)
    names = [c.name for c in who.characters]
    real = [n for n in declared_chars if n != "Original Characters"]
    for n in real:  # every declared character is found, among the most important ones
        assert n in names[:3], (n, names)
    for rel in declared_rels:
        a, b = rel.split("/")
        found = {frozenset(r.characters): r for r in who.relationships}
        assert found[frozenset((a, b))].kind == "romantic"
        assert rel in {r.name for r in who.relationships}
    if not real:  # original characters: no fandom character and no fandom guessed from nothing
        assert not any(c.known for c in who.characters)
        assert who.fandom is None
    assert who.who_dies == ()
