"""The fandom knowledge base shipped in ``data/fandoms.txt`` (see ``data/README.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from forewarn.who.text import WORD_RE, fold

# Name particles: part of a full name but never a name on their own.
PARTICLES = frozenset(
    """
    de di da du del der van von la le al bin of the yae tol zos goe nar mas var d. t. s. a.
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Titles and ranks: kept with a name ("Captain Levi") but never an alias on their own.
TITLES = frozenset(
    """
    mr mrs ms miss mx dr doctor prof professor captain capt lord lady sir dame madam madame master
    mistress king queen prince princess duke duchess count countess baron emperor empress general
    commander lieutenant lt sergeant sgt major colonel admiral officer detective inspector agent
    sheriff deputy father mother sister brother aunt uncle grandma grandpa granny saint st sensei
    president chancellor senator judge nurse coach principal headmaster headmistress reverend pastor
    hokage kazekage shishou senpai sempai
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


@dataclass(frozen=True, slots=True)
class KnownCharacter:
    name: str  # AO3 canonical form, e.g. "Haruno Sakura"
    fandom: str
    gender: str  # "m", "f" or ""
    full_keys: frozenset[str]  # folded multi-word forms ("haruno sakura", "sakura haruno", ...)
    word_keys: frozenset[str]  # folded one-word aliases ("sakura", "haruno")


@dataclass(frozen=True, slots=True)
class Fandom:
    name: str
    terms: tuple[str, ...]  # folded canon terms, one or more words joined by single spaces
    characters: tuple[KnownCharacter, ...]
    ships: tuple[str, ...] = ()  # relationship names as AO3 writes them, "A/B"
    family_first: bool = False  # canonical names put the family name first ("Haruno Sakura")


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    fandoms: tuple[Fandom, ...]
    by_full: dict[str, tuple[KnownCharacter, ...]]  # folded multi-word name -> characters
    by_word: dict[str, tuple[KnownCharacter, ...]]  # folded one-word alias -> characters
    terms: dict[str, tuple[str, ...]]  # folded term -> fandom names
    max_term_words: int
    ship_names: dict[frozenset[str], str]  # the two canonical names -> "A/B" in AO3's order

    def fandom(self, name: str | None) -> Fandom | None:
        return next((f for f in self.fandoms if f.name == name), None)


def _words(name: str) -> list[str]:
    return [fold(w) for w in WORD_RE.findall(name.replace('"', " "))]


def _keys(name: str, removed: set[str]) -> tuple[set[str], set[str]]:
    words = _words(name)
    full: set[str] = set()
    single: set[str] = set()
    if len(words) >= 2:
        full.add(" ".join(words))
        core = [w for w in words if w not in PARTICLES]
        if len(core) >= 2:
            full.add(" ".join(core))
            full.add(" ".join(reversed(core)))  # "Sakura Haruno" and "Haruno Sakura"
            full.add(f"{core[0]} {core[-1]}")
            full.add(f"{core[-1]} {core[0]}")
    else:
        single.update(words)
    for w in words:
        if w not in PARTICLES and w not in TITLES and w not in removed and len(w) > 1:
            single.add(w)
    return full, single


def parse(text: str) -> KnowledgeBase:
    fandoms: list[Fandom] = []
    name = ""
    terms: list[str] = []
    chars: list[KnownCharacter] = []
    ships: list[str] = []
    family_first = False

    def flush() -> None:
        if name:
            fandoms.append(Fandom(name, tuple(terms), tuple(chars), tuple(ships), family_first))

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("= "):
            flush()
            name, terms, chars, ships, family_first = line[2:].strip(), [], [], [], False
        elif line.startswith("order:"):
            family_first = line[6:].strip() == "family-first"
        elif line.startswith("ships:"):
            ships = [s.strip() for s in line[6:].split(";") if "/" in s]
        elif line.startswith("terms:"):
            terms = [" ".join(_words(t)) for t in line[6:].split(";") if _words(t)]
        else:
            parts = [p.strip() for p in line.split("|")]
            canonical = parts[0]
            gender = parts[1] if len(parts) > 1 and parts[1] in ("m", "f") else ""
            extra = [a.strip() for a in parts[2].split(";")] if len(parts) > 2 else []
            removed = {fold(a[1:]) for a in extra if a.startswith("-")}
            full, single = _keys(canonical, removed)
            for alias in extra:
                if alias and not alias.startswith("-"):
                    f, s = _keys(alias, removed)
                    full |= f
                    single |= s
            chars.append(KnownCharacter(canonical, name, gender, frozenset(full), frozenset(single)))
    flush()

    by_full: dict[str, list[KnownCharacter]] = {}
    by_word: dict[str, list[KnownCharacter]] = {}
    term_index: dict[str, list[str]] = {}
    for fandom in fandoms:
        for c in fandom.characters:
            for k in c.full_keys:
                by_full.setdefault(k, []).append(c)
            for k in c.word_keys:
                by_word.setdefault(k, []).append(c)
        for t in fandom.terms:
            if fandom.name not in term_index.get(t, []):
                term_index.setdefault(t, []).append(fandom.name)
    return KnowledgeBase(
        fandoms=tuple(fandoms),
        by_full={k: tuple(v) for k, v in by_full.items()},
        by_word={k: tuple(v) for k, v in by_word.items()},
        terms={k: tuple(v) for k, v in term_index.items()},
        max_term_words=max((t.count(" ") + 1 for t in term_index), default=1),
        ship_names={frozenset(s.split("/", 1)): s for f in fandoms for s in f.ships},
    )


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The shipped knowledge base (parsed once per process)."""
    text = resources.files("forewarn.who").joinpath("data/fandoms.txt").read_text(encoding="utf-8")
    return parse(text)
