"""Phrases to characters: each candidate phrase resolved to one entity, its aliases merged.

An entity key is ``kb:<canonical name>`` for a character the knowledge base knows in the story's
fandom, ``txt:<folded full name or word>`` otherwise. Unknown full names ("Kaia Fletcher") absorb
the single words they are made of; a word of several full names is left out unless the text mostly
uses it alone; shouted names ("SAKURA!") join their title-case form; unknown one-off words go.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from forewarn.who.kb import KnowledgeBase, KnownCharacter
from forewarn.who.lexicon import COMMON_GIVEN, STOP
from forewarn.who.phrases import PARTICLES, Phrase
from forewarn.who.text import fold
from forewarn.who.tokens import HONORIFIC_RE
from forewarn.who.usage import Usage

Resolved = tuple[int, int, str, str]  # start, end, surface form, entity key
_Pending = tuple[int, int, str, str, tuple[str, ...]]  # … and the keys an ambiguous word may mean ("" key)
_Full = tuple[int, int, str, tuple[str, ...]]  # an unknown full name: start, end, surface, folded core words


@dataclass(slots=True)
class Entity:
    """One character while the who-analysis builds it."""

    key: str
    name: str = ""
    known: bool = False
    gender: str = ""
    mentions: list[tuple[int, int]] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)
    full_forms: Counter[str] = field(default_factory=Counter)
    dialogue: int = 0


@dataclass(slots=True)
class _FullNames:
    """The unknown full names among the phrases ("Kaia Fletcher") and how the text uses them."""

    found: list[_Full] = field(default_factory=list)
    seen: Counter[tuple[str, ...]] = field(default_factory=Counter)  # folded core words -> occurrences
    at_place: Counter[tuple[str, ...]] = field(default_factory=Counter)  # … right after "at", "to (the)" …
    person: set[tuple[str, ...]] = field(default_factory=set)  # … used like a person's: title, possessive


def resolve(
    text: str,
    phrases: list[Phrase],
    st: Usage,
    kb: KnowledgeBase,
    in_fandom: str | None,
    namelike: Callable[[str], bool],
) -> list[Resolved]:
    """Every mention with its entity key, in the order of the phrases; unclear ones left out."""
    pending, full = _keys(text, phrases, st, kb, in_fandom, namelike)
    return _join_shouted(text, _disambiguate(pending, _not_places(full, st), full.seen))


def _keys(
    text: str,
    phrases: list[Phrase],
    st: Usage,
    kb: KnowledgeBase,
    in_fandom: str | None,
    namelike: Callable[[str], bool],
) -> tuple[list[_Pending], _FullNames]:
    """Each phrase's key ("kb:…", "txt:…", "caps:…" for a shouted one, "" with the candidates when
    ambiguous), and apart from them the unknown full names."""
    known_memo: dict[tuple[str, bool], tuple[KnownCharacter, ...]] = {}

    def known(key: str, full: bool) -> tuple[KnownCharacter, ...]:
        hit = known_memo.get((key, full))
        if hit is None:
            table = kb.by_full if full else kb.by_word
            hit = known_memo[key, full] = tuple(c for c in table.get(key, ()) if c.fandom == in_fandom)
        return hit

    # A word's key depends only on the word, whether it opens a sentence and whether a title
    # comes before it: decided once per such triple (None: the word is left out).
    word_memo: dict[tuple[str, bool, bool], tuple[str, tuple[str, ...]] | None] = {}

    def word_key(key: str, initial: bool, titled: bool) -> tuple[str, tuple[str, ...]] | None:
        common = key in STOP or key in COMMON_GIVEN or st.lower[key] > 0
        hit = known(key, False)
        if hit and not (initial and common and not titled):
            if len(hit) == 1:
                return "kb:" + hit[0].name, ()
            return "", tuple("kb:" + c.name for c in hit)
        if not hit and (titled or namelike(key)) and key not in kb.by_full:
            if initial and st.lower[key] > 0:
                return None
            return "txt:" + key, ()
        return None

    pending: list[_Pending] = []
    append = pending.append
    full = _FullNames()
    for part, title in phrases:
        if len(part) == 1:
            # most phrases are one word: its key from the memo
            t = part[0]
            if t.allcaps:
                # Shouted names ("SAKURA!") count only for names the text establishes otherwise.
                append((t.start, t.end, t.word, "caps:" + t.key, ()))
                continue
            mk = (t.key, t.initial, bool(title))
            decided = word_memo[mk] if mk in word_memo else word_memo.setdefault(mk, word_key(*mk))
            if decided is not None:
                surf = text[t.start : t.surface_end]
                append((t.start, t.end, f"{title} {surf}" if title else surf, *decided))
            continue
        if all(t.allcaps for t in part):
            append((part[0].start, part[-1].end, part[0].word, "caps:" + part[0].key, ()))
            continue
        start, end = part[0].start, part[-1].end
        surface = text[start : part[-1].surface_end]
        if title:
            surface = f"{title} {surface}"
        keys = [t.key for t in part]
        hit = known(" ".join(keys), True)
        if len(hit) == 1:
            append((start, end, surface, "kb:" + hit[0].name, ()))
            continue
        singles = {c.name for k in keys for c in known(k, False) if len(known(k, False)) == 1}
        if len(singles) == 1:
            append((start, end, surface, "kb:" + singles.pop(), ()))
            continue
        core = [t for t in part if t.key not in PARTICLES]
        if any(namelike(t.key) for t in core) and not any(t.key in kb.terms or st.lower[t.key] for t in core):
            core_keys = tuple(t.key for t in core)
            full.found.append((start, end, surface, core_keys))
            full.seen[core_keys] += 1
            full.at_place[core_keys] += part[0].loc
            if title or part[-1].possessive:
                full.person.add(core_keys)
            continue
        titled = bool(title)
        for t in part:
            mk = (t.key, t.initial, titled)
            decided = word_memo[mk] if mk in word_memo else word_memo.setdefault(mk, word_key(*mk))
            if decided is not None:
                append((t.start, t.end, text[t.start : t.surface_end], *decided))
    return pending, full


def _keys_python(
    text: str,
    phrases: list[Phrase],
    st: Usage,
    kb: KnowledgeBase,
    in_fandom: str | None,
    namelike: Callable[[str], bool],
) -> tuple[list[_Pending], _FullNames]:
    """:func:`_keys` as it was first written: the reference its tests compare with."""
    known_memo: dict[tuple[str, bool], tuple[KnownCharacter, ...]] = {}

    def known(key: str, full: bool) -> tuple[KnownCharacter, ...]:
        hit = known_memo.get((key, full))
        if hit is None:
            table = kb.by_full if full else kb.by_word
            hit = known_memo[key, full] = tuple(c for c in table.get(key, ()) if c.fandom == in_fandom)
        return hit

    pending: list[_Pending] = []

    def add(start: int, end: int, surface: str, key: str) -> None:
        pending.append((start, end, surface, key, ()))

    full = _FullNames()
    for part, title in phrases:
        if all(t.allcaps for t in part):
            # Shouted names ("SAKURA!") count only for names the text establishes otherwise.
            pending.append((part[0].start, part[-1].end, part[0].word, "caps:" + part[0].key, ()))
            continue
        start, end = part[0].start, part[-1].end
        surface = text[start : part[-1].surface_end]
        if title:
            surface = f"{title} {surface}"
        keys = [t.key for t in part]
        if len(part) > 1:
            hit = known(" ".join(keys), True)
            if len(hit) == 1:
                add(start, end, surface, "kb:" + hit[0].name)
                continue
            singles = {c.name for k in keys for c in known(k, False) if len(known(k, False)) == 1}
            if len(singles) == 1:
                add(start, end, surface, "kb:" + singles.pop())
                continue
            core = [t for t in part if t.key not in PARTICLES]
            if any(namelike(t.key) for t in core) and not any(
                t.key in kb.terms or st.lower[t.key] for t in core
            ):
                core_keys = tuple(t.key for t in core)
                full.found.append((start, end, surface, core_keys))
                full.seen[core_keys] += 1
                full.at_place[core_keys] += part[0].loc
                if title or part[-1].possessive:
                    full.person.add(core_keys)
                continue
        for t in part:
            surf = text[t.start : t.surface_end]
            if title and len(part) == 1:
                surf = f"{title} {surf}"
            common = t.key in STOP or t.key in COMMON_GIVEN or st.lower[t.key] > 0
            hit = known(t.key, False)
            if hit and not (t.initial and common and not title):
                if len(hit) == 1:
                    add(t.start, t.end, surf, "kb:" + hit[0].name)
                else:
                    pending.append((t.start, t.end, surf, "", tuple("kb:" + c.name for c in hit)))
            elif not hit and (title or namelike(t.key)) and t.key not in kb.by_full:
                if t.initial and st.lower[t.key] > 0:
                    continue
                add(t.start, t.end, surf, "txt:" + t.key)
    return pending, full


def _not_places(full: _FullNames, st: Usage) -> list[_Full]:
    """The unknown full names that are not places.

    Unknown phrases seen more than half the time after a preposition of place, never with a title
    or a possessive, whose words the text never uses on their own nor as a speaker, are places
    ("walked to Varden Moss … reached Varden Moss … near Varden Moss").
    """
    located = {
        ck
        for ck, n in full.seen.items()
        if 2 * full.at_place[ck] > n
        and ck not in full.person
        and all(not st.speaker[k] and st.cap_mid[k] + st.cap_initial[k] <= n * ck.count(k) for k in ck)
    }
    return [u for u in full.found if u[3] not in located]


def _disambiguate(
    pending: list[_Pending], unknown_full: list[_Full], full_seen: Counter[tuple[str, ...]]
) -> list[Resolved]:
    """One key per mention, the unknown full names' joined: an ambiguous word by the known characters
    the text names elsewhere, a word of an unknown full name ("Kaia") by the full name it is in."""
    owners: dict[str, set[str]] = defaultdict(set)
    for _, _, _, core_keys in unknown_full:
        name = " ".join(core_keys)  # once: a run of capitalised words can be thousands long
        for k in core_keys:
            owners[k].add(name)
    pending = [*pending, *((s, e, surface, "txt:" + " ".join(ck), ()) for s, e, surface, ck in unknown_full)]
    # A word of several full names ("Josie Packard", "Maid Josie") that the text mostly uses alone
    # names a character of its own: "Josie", then, rather than nobody.
    alone_uses = Counter(p[3][4:] for p in pending if p[3].startswith("txt:") and " " not in p[3])

    in_full: Counter[str] = Counter()  # word -> occurrences of the full names holding it
    for ck, n in full_seen.items():
        for k in set(ck):
            in_full[k] += n

    def alone_mostly(word: str) -> bool:
        return alone_uses[word] > 2 * in_full[word]

    resolved: list[Resolved] = []
    present = {p[3] for p in pending if p[3].startswith("kb:")}
    for start, end, surface, key, ambiguous in pending:
        if ambiguous:
            here = [a for a in ambiguous if a in present]
            if len(here) != 1:
                continue
            key = here[0]
        if key.startswith("txt:") and " " not in key:
            word = key[4:]
            if len(owners.get(word, ())) == 1:
                key = "txt:" + next(iter(owners[word]))
            elif len(owners.get(word, ())) > 1 and not alone_mostly(word):
                continue  # "Stone" of "Mara Stone" and "Tom Stone": which one is unclear
        resolved.append((start, end, surface, key))
    return resolved


def _join_shouted(text: str, resolved: list[Resolved]) -> list[Resolved]:
    """Shouted names join the entity their title-case form belongs to; the others are dropped."""
    by_word_key: dict[str, str] = {}
    seen_forms: set[tuple[str, str, str]] = set()  # the same form again sets nothing new
    # per surface form: the length of its first word and its words' keys, worked out once
    words_of: dict[str, tuple[int, list[str]]] = {}
    shouted = False
    for start, _, surface, key in resolved:
        if key.startswith("caps:"):
            shouted = True
            continue
        of = words_of.get(surface)
        if of is None:
            surface_words = surface.split()
            of = words_of[surface] = (
                len(surface_words[0]),
                [fold(HONORIFIC_RE.sub("", w)) for w in surface_words],
            )
        first = text[start : start + of[0]]
        form = (first, surface, key)
        if form in seen_forms:
            continue
        seen_forms.add(form)
        by_word_key.setdefault(fold(first), key)
        for w in of[1]:
            by_word_key.setdefault(w, key)
    if not shouted:
        return list(resolved)
    final: list[Resolved] = []
    for start, end, surface, key in resolved:
        if key.startswith("caps:"):
            target = by_word_key.get(key[5:])
            if target is None:
                continue
            key = target
        final.append((start, end, surface, key))
    return final


def _join_shouted_python(text: str, resolved: list[Resolved]) -> list[Resolved]:
    """:func:`_join_shouted` as it was first written: the reference its tests compare with."""
    by_word_key: dict[str, str] = {}
    seen_forms: set[tuple[str, str, str]] = set()  # the same form again sets nothing new
    for start, _, surface, key in resolved:
        if not key.startswith("caps:"):
            surface_words = surface.split()
            first = text[start : start + len(surface_words[0])]
            if (first, surface, key) in seen_forms:
                continue
            seen_forms.add((first, surface, key))
            by_word_key.setdefault(fold(first), key)
            for w in surface_words:
                by_word_key.setdefault(fold(HONORIFIC_RE.sub("", w)), key)
    final: list[Resolved] = []
    for start, end, surface, key in resolved:
        if key.startswith("caps:"):
            target = by_word_key.get(key[5:])
            if target is None:
                continue
            key = target
        final.append((start, end, surface, key))
    return final


def entities(text: str, final: list[Resolved], kb: KnowledgeBase, in_fandom: str | None) -> dict[str, Entity]:
    """The entities of the resolved mentions: a known character's canonical name and gender, an
    unknown one's fullest, most used form; mentions sorted."""
    found: dict[str, Entity] = {}
    for start, end, surface, key in final:
        e = found.get(key)
        if e is None:
            e = found[key] = Entity(key)
            if key.startswith("kb:"):
                e.name, e.known = key[3:], True
        e.mentions.append((start, end))
        if not surface.isupper():
            e.forms[surface] += 1
            e.full_forms[text[start:end]] += 1

    kb_gender = {c.name: c.gender for f in kb.fandoms if f.name == in_fandom for c in f.characters}
    for e in found.values():
        if not e.known:
            e.name = max(e.full_forms.items(), key=lambda kv: (len(kv[0].split()), kv[1], kv[0]))[0]
        else:
            e.gender = kb_gender.get(e.name, "")
        e.mentions.sort()
    return found


def kept(found: dict[str, Entity], st: Usage) -> dict[str, Entity]:
    """``found`` without the unknown one-off words the text never uses as a speaker."""
    return {
        k: e for k, e in found.items() if e.known or len(e.mentions) >= 2 or st.speaker[k[4:].split()[-1]] > 0
    }
