"""Who dies: death statements about named characters, death scenes, and the detector's hints.

Three sources, all checked against the characters the text names:

1. statements around a name: "X died", "X was dead", "X's lifeless body", "killed X",
   "X stopped breathing", "Behind her lay X, eyes dulled with the loss of life", also when X is
   a fuller name than the character list holds ("X Brand was dead", "killed Anna X");
2. the same with a pronoun ("she died"), only when one character of that gender is in view;
3. a death scene: a terminal cue (breathing that stops, "no response", no pulse, went limp) with
   a supporting cue close by ("one last time", "her last words", "going to die", someone screaming
   the name, "don't leave me"), about the one character the scene names or the pronouns point to,
   who does not act again afterwards.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from forewarn._native import WordStarts
from forewarn.detectors import text_cues
from forewarn.model import Finding
from forewarn.who.context import Context, word_matches
from forewarn.who.lexicon import STOP
from forewarn.who.text import fold
from forewarn.who.types import Death

DEATH_LABELS = frozenset({"death", "dying"})

_AFTER = re.compile(
    r"(?:['’]s?)?(?:"
    r"\s+(?:was|is|had been|lay|lies|laid|lying)\s+(?:already\s+|now\s+|still\s+)?(?:dead|lifeless|killed|"
    r"murdered|slain|executed)\b"
    r"|\s+(?:had\s+)?(?:died|dies|perished|passed away|bled out|succumbed)\b"
    r"|\s+(?:was|got|had been)\s+(?:killed|murdered|slain|executed|assassinated)\b"
    r"|\s+(?:had\s+)?(?:burnt|burned|froze|starved|bled|was beaten|was stabbed|was stoned)\s+to\s+death\b"
    r"|\s+(?:had\s+)?(?:stopped breathing|breathed (?:his|her|their) last|drew (?:his|her|their) last breath|"
    r"never woke up|never opened (?:his|her|their) eyes again)\b"
    r"|['’]s\s+(?:lifeless|dead|cold|limp)\s+(?:body|form|corpse|eyes)\b"
    r"|['’]s\s+(?:heart|heartbeat|breathing|pulse)\s+(?:had\s+)?(?:stopped|ceased)\b"
    r"|['’]s\s+chest\s+(?:had\s+)?(?:stopped|ceased)\s+(?:rising|moving|heaving)\b"
    r"|['’]s\s+(?:corpse|grave|funeral|dead body)\b"
    r"|,?\s+(?:(?:his|her|their)\s+)?(?:eyes?|eye['’]s)\s+(?:dulled|glazed|empty|unseeing|lifeless)"
    r"(?:[^.!?]{0,30}\bloss of life\b)?"
    r")",
    re.I,
)
_BEFORE = re.compile(
    r"(?:\b(?:killed|murdered|slew|slain|executed|assassinated|buried)"
    r"|\b(?:death|body|corpse|grave|funeral) of"
    r"|\b(?:lay|lies)(?=\s+\S+[^.!?]{0,80}\b(?:dead|lifeless|loss of life|unmoving|motionless)\b))\s+$",
    re.I,
)
# "Brown had a stroke and died": the mention, a short run of lower-case words (no punctuation, so no
# other name or clause), "and died". Words in the run that make it unreal, someone else's or not
# the subject's own act ("as", "would", "almost", "he") are in _COORD_BLOCK.
_COORD = re.compile(
    r"[ ]+(?P<gap>[a-z][a-z'’ ]{0,60}?)[ ]+and[ ]+(?:then[ ]+|soon[ ]+|promptly[ ]+)?"
    r"(?:died|perished|passed away|was dead)\b"
)
_COORD_BLOCK = frozenset(
    """
    and or but as while when whenever until before after if unless though although because since so
    who whom whose which that what where whether than
    would could should might may must will shall can wouldn't couldn't shouldn't won't can't to
    not never no almost nearly barely hardly
    i you he she it we they me him her us them everyone someone anyone people
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# A condition, a dream or a fear earlier in the sentence makes the death unreal: "If Mara died, …",
# "Oren would weep if Mara died", "Oren dreamed that Mara was dead".
_UNREAL_BEFORE = re.compile(
    r"\b(?:if|unless|whether|as though|in case|suppose|supposing|imagine|imagined|imagining|pictured|"
    r"dreamed|dreamt|dreaming|feared|fearing|wondered)\b[^;:.!?]*$",
    re.I,
)
# The words _UNREAL_BEFORE's alternatives open with (prefixes), for the native core to find.
_UNREAL_WORDS = WordStarts([(w, False) for w in (
    "if", "unless", "whether", "as though", "in case", "suppos", "imagin", "pictured", "dream", "fear",
    "wondered",
)])  # fmt: skip
# Words right before a mention that make it a title or a role, not a named character ("the Zent").
_ROLE_BEFORE = re.compile(r"(?:^|\W)(?:the|a|an|another)\s+$", re.I)
_MODAL = re.compile(r"\b(?:would|could|should|might|may|must|will|wouldn't|couldn't|won't|to)\s+(?:have\s+)?"
                    r"(?:\w+\s+)?$", re.I)  # fmt: skip
_PRONOUN_DEATH = re.compile(
    r"\b(?P<p>he|she)\s+(?:had\s+)?(?:died|was dead|lay dead|stopped breathing|never woke up|"
    r"breathed (?:his|her) last|was killed|was murdered)\b"
    r"|\b(?P<q>his|her)\s+(?:lifeless|dead)\s+(?:body|form|corpse)\b"
    r"|\b(?P<r>his|her)\s+heart(?:beat)?\s+(?:had\s+)?stopped\b"
    r"|\b(?P<c>his|her)\s+chest\s+(?:had\s+)?(?:stopped|ceased)\s+(?:rising|moving|heaving)\b",
    re.I,
)
_TERMINAL = re.compile(
    r"\bbreath(?:e|ing)?\b[.!…]*\s*(?:\w+[.!…]+\s*){0,4}stop(?:ped|s)?\b"
    r"|\bno response\b|\bno pulse\b|\bno heartbeat\b|\bheart(?:beat)? stopped\b|\bwent (?:limp|still)\b"
    r"|\bstopped breathing\b|\bnever woke\b|\bslipped away\b|\bbreathed (?:his|her|their) last\b"
    r"|\bclosed (?:his|her|their) eyes for the (?:last|final) time\b"
    r"|\bchest (?:had )?(?:stopped|ceased) (?:rising|moving|heaving)\b",
    re.I,
)
_SUPPORT = re.compile(
    r"\b(?:one|the) last time\b|\b(?P<g>his|her)\s+last (?:time|words|breath|moments)\b|\blast words\b"
    r"|\b(?P<s>he|she)(?:'s| is| was)\s+(?:going|about) to die\b|\bdying\b|\bleave me\b|\bdon'?t die\b"
    r"|\bstay with me\b|\bfinal breath\b",
    re.I,
)
_SCREAM = re.compile(
    r"[\"“]\s*(?P<n>[A-Z][\w'’\-]*)\s*[!]+\s*[\"”]?,?\s*(?:he|she|they|[A-Z][\w'’\-]*)?\s*"
    r"(?:screamed|cried|yelled|shouted|sobbed|wailed|howled|called)"
)
_ACTS = re.compile(
    r"\b(?P<who>she|he|[A-Z][\w'’\-]+)\s+(?:\w+ly\s+)?(?:took|stood|said|saw|felt|went|came|ran|made|gave|"
    r"got|sat|spoke|woke|knew|thought|began|rose|held|told|found|left|kept|smiled|laughed|nodded|"
    r"walked|turned|opened|looked|whispered|replied|answered|asked|reached|realized|realised|stepped|"
    r"moved|grinned|sighed)\b"
)
_HINT_DEATH = re.compile(r"\b(?:dead|died|dies|lifeless|loss of life|corpse|killed|murdered|slain|stopped "
                         r"breathing|last breath)\b", re.I)  # fmt: skip
# The name belongs to someone else in the clause: "the relatives of X were killed", "X's uncle
# died" (but "X's dead" is "X is dead").
_OF_OTHER = re.compile(
    r"\b(?:relatives?|family|families|parents?|friends?|children|child|kids?|sons?|daughters?|brothers?|"
    r"sisters?|siblings?|wife|husband|mother|father|mom|mum|dad|uncles?|aunts?|cousins?|grandparents?|"
    r"grand(?:mother|father)|men|soldiers|followers|people|guards|servants|pets?|dogs?|cats?|horses?)"
    r"\s+of\s+(?:the\s+)?$",
    re.I,
)
_POSSESSOR = re.compile(
    r"['’]s\s+(?!(?:dead|gone|dying|been|not|no|never|killed|murdered|slain|lifeless|passed|died)\b)[a-z]"
)
_PERCEIVE = re.compile(
    r"\s+(?:\w+ly\s+)?(?:watched|saw|found|stared|looked|mourned|wept|cried|knelt|screamed|grieved|buried|"
    r"visited|killed|murdered)\b",
    re.I,
)
_GENDER = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f"}


_PRONOUN_DEATH_LOWER = re.compile(_PRONOUN_DEATH.pattern)
# Where _PRONOUN_DEATH_LOWER can match: the word "he", "she", "his" or "her" before whitespace.
_PRONOUN_DEATH_STARTS = re.compile(r"h(?<!\wh)(?:e|is|er)\s|s(?<!\ws)he\s")
_PRONOUN_DEATH_WORDS = WordStarts([("he", True), ("his", True), ("her", True), ("she", True)])


def _letter_first(pattern: str) -> str:
    """``pattern``, alternatives that each open with ``\\b`` and a letter, with every alternative
    opening on its letter instead (the ``\\b`` becomes a look-behind after it). The matches are the
    same, and the regex engine can skip ahead to those letters: several times faster."""
    alts = pattern.removeprefix("\\b").split("|\\b")
    if not pattern.startswith("\\b") or not all(a[:1].isalpha() for a in alts):
        raise ValueError(pattern)
    return "|".join(f"{a[0]}(?<!\\w{a[0]}){a[1:]}" for a in alts)


_TERMINAL_LOWER = re.compile(_letter_first(_TERMINAL.pattern))
# The words _TERMINAL's alternatives open with (prefixes), for the native core to find.
_TERMINAL_WORDS = WordStarts([(w, False) for w in (
    "breath", "no response", "no pulse", "no heartbeat", "heart", "went limp", "went still",
    "stopped breathing", "never woke", "slipped away", "closed", "chest",
)])  # fmt: skip
# _BEFORE ends with one of these words (or "of") and whitespace
_BEFORE_LAST_WORDS = (
    "killed",
    "murdered",
    "slew",
    "slain",
    "executed",
    "assassinated",
    "buried",
    "of",
    "lay",
    "lies",
)


def _finditer_ignorecase(
    rx: re.Pattern[str],
    rx_lower: re.Pattern[str],
    text: str,
    low: str,
    starts: re.Pattern[str] | None = None,
    words: WordStarts | None = None,
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for an re.I pattern of lower-case ASCII words; on the lower-cased text
    (``low``: ``text.lower()``) without re.I when that gives the same matches (much faster).

    ``starts``: a fast pattern whose matches start at every place ``rx_lower`` can match; then
    ``rx_lower`` is tried only there. ``words``: the words ``rx_lower``'s matches open with; then
    it is tried only where the native core finds one (faster still).
    """
    if _lower_is_exact(text, low):
        if words is not None:
            return iter(word_matches(words, rx_lower, low, [(0, len(low))])[0])
        return rx_lower.finditer(low) if starts is None else _finditer_at(rx_lower, starts, low)
    return rx.finditer(text)


def _lower_is_exact(text: str, low: str) -> bool:
    """Does an re.I pattern of lower-case ASCII words match ``text`` where it matches ``low``
    (``text.lower()``) without re.I?"""
    # "ı" and "ſ" are the only letters that re.I matches with ASCII letters and lower() keeps apart
    return len(low) == len(text) and "ı" not in text and "ſ" not in text


def _finditer_at(rx: re.Pattern[str], starts: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` (``rx`` never matches empty), trying ``rx`` only where ``starts`` matches."""
    pos = 0
    for place in starts.finditer(text):
        at = place.start()
        if at < pos:
            continue
        m = rx.match(text, at)
        if m:
            yield m
            pos = m.end()


# The words a statement about a name turns on, as prefixes: every match of _AFTER or _COORD after
# the name and of _BEFORE before it holds one, opening a word (after whitespace, or at the start of
# the window before the name). A name with none of them in reach cannot be stated dead: found once
# per text by the native core instead of trying every pattern at every name.
_STATEMENT_WORD_LIST = (
    # _AFTER
    "dead", "lifeless", "killed", "murdered", "slain", "executed", "die", "perished", "passed", "bled",
    "succumbed", "assassinated", "death", "stopped", "breathed", "drew", "never", "cold", "limp",
    "ceased", "corpse", "grave", "funeral", "eye",
    # _COORD: "died", "perished", "passed away", "was dead" (above); _BEFORE:
    "slew", "buried", "body", "lay", "lies",
)  # fmt: skip
_STATEMENT_WORDS = WordStarts([(w, False) for w in _STATEMENT_WORD_LIST])
# How far back from a name _BEFORE looks (within its sentence)
_BEFORE_REACH = 120


def _statement_places(ctx: Context) -> list[int] | None:
    """Where a word opens with one of _STATEMENT_WORD_LIST, or None when the lower-cased text
    cannot stand for the text (then every name is tried)."""
    low = ctx.lowered()
    if not _lower_is_exact(ctx.text, low):
        return None
    found = _STATEMENT_WORDS.find(low, [(0, len(low))])
    return None if found is None else found[0]


def _may_state(low: str, places: list[int], lo: int, hi: int) -> bool:
    """Can a statement about a name be made from ``low[lo:hi]`` (the window before it and the rest
    of its sentence)? False when no statement word lies there (``places``: :func:`_statement_places`)."""
    k = bisect.bisect_left(places, lo)
    # the window before the name may open inside a word: _BEFORE sees a word start there
    return (k < len(places) and places[k] < hi) or low.startswith(_STATEMENT_WORD_LIST, lo)


def _may_end_before(before: str) -> bool:
    """False when ``_BEFORE`` cannot match ``before`` (a cheap test that spares most searches)."""
    if not before or not before[-1].isspace():
        return False
    tail = before.rstrip()[-14:]
    return "ı" in tail or "ſ" in tail or tail.lower().endswith(_BEFORE_LAST_WORDS)


# Capitalised words that extend a mention into a fuller name the character list does not hold
# ("Elias Brand" for "Elias"): letters and hyphens, an inner apostrophe but not a possessive "'s".
_NAME_TAIL = re.compile(r"(?:[ ][A-Z](?:[^\W\d_]|-)*(?:['’](?!s\b)[^\W\d_]+)?){1,2}")


def _name_tail_end(ctx: Context, end: int) -> int:
    """Where the fuller name that begins with the mention at ``end`` ends: the mention's end when
    no capitalised word follows, or when one is another character's mention or a common word."""
    text = ctx.text
    if not text.startswith(" ", end) or not text[end + 1 : end + 2].isupper():
        return end
    t = _NAME_TAIL.match(text, end)
    if t is None or any(fold(w) in STOP for w in t.group().split()) or ctx.mentions_in(end, t.end()):
        return end
    return t.end()


def _strip_name_lead(ctx: Context, before: str, start: int) -> str:
    """``before`` (the text up to a mention at ``start``) without up to two capitalised words right
    before the mention that open a fuller name ("killed Anna Elias", "killed Captain Elias")."""
    cut = before
    for _ in range(2):
        if not cut.endswith(" "):
            break
        i = cut.rfind(" ", 0, len(cut) - 1) + 1
        w = cut[i:-1]
        if not w or not w[0].isupper() or not w.replace("-", "").isalpha() or fold(w) in STOP:
            break
        cut = cut[:i]
    if len(cut) == len(before) or ctx.mentions_in(start - (len(before) - len(cut)), start):
        return before
    return cut


def _is_role(text: str, start: int, floor: int) -> bool:
    """Does "the", "a" or "an" come right before the mention at ``start`` ("the Zent")?"""
    return _ROLE_BEFORE.search(text, max(floor, start - 12), start) is not None


def _unreal(text: str, start: int, floor: int, places: list[int] | None = None) -> bool:
    """Is the death stated at ``start`` a condition, a dream or a fear ("if Mara died")?

    ``places``: :func:`_unreal_places`; when none lies in the window, there is nothing to search.
    """
    lo = max(floor, start - 100)
    if places is not None:
        k = bisect.bisect_left(places, lo)
        if k == len(places) or places[k] >= start:
            return False
    return _UNREAL_BEFORE.search(text, lo, start) is not None


def _unreal_places(ctx: Context) -> list[int] | None:
    """Every place where _UNREAL_BEFORE can match (a superset): where a word opens with one of its
    words, found once by the native core instead of searching the window before every name. None
    when the lower-cased text cannot stand for the text."""
    low = ctx.lowered()
    if not _lower_is_exact(ctx.text, low):
        return None
    found = _UNREAL_WORDS.find(low, [(0, len(low))])
    return None if found is None else found[0]


def _coordinated_death(text: str, end: int, s_end: int) -> str | None:
    """ "X had a stroke and died" after a mention ending at ``end``: the cue, or None."""
    c = _COORD.match(text, end, s_end)
    if c is None or any(w in _COORD_BLOCK for w in c.group("gap").split()):
        return None
    return "statement-and-died"


def _sentence_of(ctx: Context, offset: int) -> tuple[int, int]:
    return ctx.sentence_at(offset)


def _question(text: str, start: int, end: int, asked: list[tuple[int, int, bool]]) -> bool:
    """Does the sentence ``text[start:end]`` end in a question mark? ``asked`` keeps the last answer:
    the names in a sentence come one after another, and a sentence may be long."""
    if asked and asked[0][:2] == (start, end):
        return asked[0][2]
    found = text[start:end].rstrip("\"”' ").endswith("?")
    asked[:] = [(start, end, found)]
    return found


def _statements(ctx: Context, native: bool = True) -> list[Death]:
    """``native``: the native core's places (False: the reference, the same answers)."""
    text = ctx.text
    out: list[Death] = []
    asked: list[tuple[int, int, bool]] = []
    unreal_at = _unreal_places(ctx) if native else None
    stated_at = _statement_places(ctx) if native else None
    low = ctx.lowered()
    for m in ctx.mentions:
        s_start, s_end = _sentence_of(ctx, m.start)
        if stated_at is not None and not _may_state(
            low, stated_at, max(s_start, m.start - _BEFORE_REACH), max(s_end, m.start)
        ):
            continue  # no death word in reach: most names
        if _question(text, s_start, s_end, asked):
            continue  # questions and hypotheticals
        if _is_role(text, m.start, s_start):
            continue  # "the Zent now dead": a title, the unnamed holder of it
        if _unreal(text, m.start, s_start, unreal_at):
            continue  # "if Mara died"
        a = _AFTER.match(text, m.end, s_end)
        if a is None and (tail := _name_tail_end(ctx, m.end)) > m.end:
            a = _AFTER.match(text, tail, s_end)  # "Elias Brand was dead" for the character "Elias"
        if a:
            out.append(Death(m.name, s_start, s_end, "statement"))
            continue
        if text.startswith(" ", m.end) and (c := _coordinated_death(text, m.end, s_end)):
            out.append(Death(m.name, s_start, s_end, c))
            continue
        before = _strip_name_lead(ctx, text[max(s_start, m.start - _BEFORE_REACH) : m.start], m.start)
        b = _BEFORE.search(before) if _may_end_before(before) else None
        if b and not _MODAL.search(before[: b.start()]):
            out.append(Death(m.name, s_start, s_end, "statement"))
    for p in _finditer_ignorecase(
        _PRONOUN_DEATH,
        _PRONOUN_DEATH_LOWER,
        text,
        ctx.lowered(),
        _PRONOUN_DEATH_STARTS,
        _PRONOUN_DEATH_WORDS if native else None,
    ):
        word = (p.group("p") or p.group("q") or p.group("r") or p.group("c")).lower()
        s_start, s_end = _sentence_of(ctx, p.start())
        if s_start == s_end or _question(text, s_start, s_end, asked):
            continue
        if _unreal(text, p.start(), s_start, unreal_at):
            continue  # "if she died"
        who = ctx.resolve_pronoun(p.start(), _GENDER[word])
        if who:
            out.append(Death(who, s_start, s_end, "pronoun-statement"))
    return out


# The windows of terminal cues (2500 + 1200 characters each) are searched directly until they
# have read this share of the text; then each pattern is scanned once over the text and the rest
# are read from that scan. A story's few death scenes cost what they did; a text of thousands of
# terminal cues is not searched thousands of times over.
_DIRECT_SHARE = 1.0


class _Windows:
    """``pattern.finditer(text, lo, hi)`` for the windows of one text's terminal cues."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern = pattern
        self.text = text
        self._budget = _DIRECT_SHARE * len(text)  # characters left to search directly
        self._scan: text_cues.Scan | None = None

    def scan(self, lo: int, hi: int) -> text_cues.Scan | None:
        """The kept scan to read ``text[lo:hi]`` from, or None to search it directly."""
        if self._scan is None and hi - lo <= self._budget:
            self._budget -= hi - lo
            return None
        if self._scan is None:
            self._scan = text_cues.Scan(self.pattern, self.text)
        return self._scan

    def within(self, lo: int, hi: int) -> Iterable[re.Match[str]]:
        scan = self.scan(lo, hi)
        return self.pattern.finditer(self.text, lo, hi) if scan is None else scan.within(lo, hi)


class _SupportWindows(_Windows):
    """The support cues of a window only as far as a death scene asks: are there any, and which
    genders do the ones with a pronoun name (counted over the kept scan, not listed)."""

    def __init__(self, text: str) -> None:
        super().__init__(_SUPPORT, text)
        self._counts: list[tuple[int, int]] = [(0, 0)]  # [i]: "m" and "f" matches of scan.matches[:i]

    def gist(self, lo: int, hi: int) -> tuple[bool, set[str]]:
        scan = self.scan(lo, hi)
        if scan is None:
            found = list(self.pattern.finditer(self.text, lo, hi))
            return bool(found), _support_genders(found)
        head, k, j, tail = scan.parts(lo, hi)
        counts = self._counts
        for m in scan.matches[len(counts) - 1 :]:
            g = _support_genders([m])
            counts.append((counts[-1][0] + ("m" in g), counts[-1][1] + ("f" in g)))
        genders = _support_genders(head) | _support_genders(tail)
        (m_to, f_to), (m_from, f_from) = counts[j], counts[k]
        if m_to > m_from:
            genders.add("m")
        if f_to > f_from:
            genders.add("f")
        return bool(head or tail or j > k), genders


def _support_genders(support: Iterable[re.Match[str]]) -> set[str]:
    return {_GENDER[(s.group("g") or s.group("s")).lower()] for s in support if s.group("g") or s.group("s")}


def _scenes(ctx: Context, native: bool = True) -> list[Death]:
    """``native``: the native core's places (False: the reference, the same answers)."""
    text = ctx.text
    out: list[Death] = []
    supports, screams_at, acts_at = _SupportWindows(text), _Windows(_SCREAM, text), _Windows(_ACTS, text)
    words = _TERMINAL_WORDS if native else None
    for t in _finditer_ignorecase(_TERMINAL, _TERMINAL_LOWER, text, ctx.lowered(), words=words):
        if _sentence_of(ctx, t.start())[0] == _sentence_of(ctx, t.start())[1]:
            continue  # outside the story text
        lo, hi = max(0, t.start() - 2500), min(len(text), t.end() + 1200)
        support, genders = supports.gist(lo, hi)
        screams = list(screams_at.within(t.end(), min(hi, t.end() + 800)))
        if not support and not screams:
            continue
        victim: str | None = None
        for s in screams:
            victim = ctx.aliases.get(fold(s.group("n")))
            if victim:
                break
        if victim is None and len(genders) == 1:
            # the one character of that gender named in the window, if every one named has a gender
            victim = ctx.only_one(lo, hi, genders.pop())
        if victim is None:
            continue
        gender = ctx.genders.get(victim, "")
        alive = False
        for act in acts_at.within(t.end(), min(len(text), t.end() + 1500)):
            who = act.group("who")
            alive = gender == _GENDER[who] if who in ("she", "he") else ctx.aliases.get(fold(who)) == victim
            if alive:
                break
        if not alive:
            s_start, _ = _sentence_of(ctx, t.start())
            out.append(Death(victim, s_start, t.end(), "death-scene"))
    return out


def _hints(ctx: Context, findings: Iterable[Finding]) -> list[Death]:
    out: list[Death] = []
    for f in findings:
        if f.label not in DEATH_LABELS or not f.characters:
            continue
        named = {m.name for m in ctx.mentions_in(f.start, f.end)}
        for raw in f.characters:
            name = ctx.aliases.get(fold(raw.removesuffix("'s").removesuffix("’s")))
            if not name or named != {name}:
                continue
            mention = next(m for m in ctx.mentions_in(f.start, f.end) if m.name == name)
            if _is_role(ctx.text, mention.start, f.start):
                continue  # "With the Zent now dead": a title, the unnamed holder of it
            if _OF_OTHER.search(ctx.text, max(0, mention.start - 60), mention.start) or _POSSESSOR.match(
                ctx.text, mention.end
            ):
                continue  # "the relatives of Harry were killed": they died, not he
            if _HINT_DEATH.search(f.evidence) and not _PERCEIVE.match(ctx.text, mention.end):
                out.append(Death(name, f.start, f.end, f"hint:{f.detector}"))
    return out


def find_deaths(ctx: Context, findings: Iterable[Finding] = ()) -> tuple[Death, ...]:
    """One Death per character, the earliest evidence in the text, in text order."""
    first: dict[str, Death] = {}
    for d in sorted(_statements(ctx) + _scenes(ctx) + _hints(ctx, findings), key=lambda d: (d.start, d.name)):
        first.setdefault(d.name, d)
    return tuple(sorted(first.values(), key=lambda d: (d.start, d.name)))
