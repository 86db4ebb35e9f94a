"""Keyword-window features for the passage classifier (``passage-clf.v2``), numpy only.

For each of the 8 warnings with labelled data, one cheap keyword regex finds the trigger words of a
passage; each hit becomes a handful of pseudo-tokens: the keyword itself (``kw_stab``), its left and
right neighbours (``L_to_stab``, ``R_stab_him``), the words within ±6 tokens (``ctx_knife``), and
context flags (``modal``, ``neg``, ``p1``/``p2``/``p3``, ``past``, ``inquote``), plus ``nhits_<n>``.
These are the features of the issue-3 research (``kw_only_soft``): 600-odd pseudo-token types that
matched a 10^6-feature n-gram model on grouped cross-validation.

Pseudo-tokens are hashed to ``N_FEATURES`` columns with ``zlib.crc32`` (stable across processes
and platforms, unlike Python's salted ``hash()``); a passage is a binary, L2-normalised vector.

>>> tokens = tokenize("He stabbed the man.")
>>> kw_tokens(tokens, "violence")[:3]
['nhits_1', 'kw_stabbed', 'L_he_stabbed']
>>> feature_index("kw_stabbed") == feature_index("kw_stabbed")
True
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import compress, count, islice

from forewarn._native import KeywordFeatures

N_FEATURES = 2**16
WINDOW = 6  # tokens either side of a keyword that count as its context
MAX_HITS = 6  # keyword hits per passage and warning that contribute features
NHITS_CAP = 4  # ``nhits_<n>`` counts the hits up to this many
HITS_USED = max(MAX_HITS, NHITS_CAP)  # the first hits are all that the features use

WARNINGS: tuple[str, ...] = (
    "violence",
    "war",
    "death",
    "abduction",
    "misogyny",
    "homophobia",
    "racism",
    "ableism",
)

# Hand-written trigger words per warning (prior knowledge and a label-free look at frequent words;
# the gold labels were not used to build them). Matched at the start of a token.
KEYWORDS: dict[str, str] = {
    "violence": r"hurt|kill|attack|hit|punch|stab|beat|slap|kick|blood|bleed|fight|shoot|shot|strangl|chok|"
    r"murder|assault|wound|bruis|violen|tortur|brutal|smash|slam|strike|struck|fist|knife|gun|weapon|"
    r"injur|broke|snap|slaughter|butcher|maim|mutilat|massacr|burn|lunge",
    "war": r"war|civilian|destruct|occupation|occupied|combat|invasion|invad|battle|soldier|army|armies|"
    r"troop|bomb|military|siege|genocide|refugee|enemy|front ?line|trench|conflict|rebel|evacuat|weapon|"
    r"fleet|in action|defen|slaughter|incursion|rifle|ninja",
    "death": r"undead|necroman|corpse|cadaver|dead|death|dying|die|died|cannibal|funeral|grave|kill|murder|"
    r"zombie|lich|ghoul|perish|passed away|decompos|rott",
    "abduction": r"hostage|ransom|kidnap|captur|captive|snatch|abduct|taken|took|take|hold|held|lock|"
    r"prisoner|traffick|missing|cell|chain|tied|bound|confine|seiz|imprison|asylum|sanctuary|trap",
    "misogyny": r"tomboy|slut|bitch|chick|whore|pimp|girly|bimbo|ladylike|lady like|cunt|misogyn|sexis|hoe|"
    r"skank|like a girl|housewife|kitchen|feminin|woman|women|girl|fatale|trophy|shrill|bossy|nag|hater|"
    r"wife|himbo|slag",
    "homophobia": r"conversion|therapy|gay|queer|dyke|lesbo|lesbian|tranny|fag|sissy|homo|butch|camp|"
    r"bisexual|sin|unnatural|disgust|pray",
    "racism": r"racis|primitive|uncivili|barbar|tribal|tribe|savage|nigg|spic|gook|darkie|blackface|supremac|"
    r"aryan|chink|race|racial|slur|purity|pure ?blood|mudblood|white|black|skin|colou?r",
    "ableism": r"wheelchair|confined|spaz|abled|mentally|lame|\bill\b|invalid|nutcase|retard|crippl|handicap|"
    r"psycho|crazy|insane|breakdown|nervous|disab|deaf|blind|dumb|idiot|moron|autis|mad",
}
_KEYWORD = {w: re.compile(r"\b(?:" + p + r")\w*") for w, p in KEYWORDS.items()}

# The training passages are lower-cased with "'" as the only quote mark: inference text is mapped the
# same way, one character for one so that offsets stay valid.
_QUOTES = str.maketrans({"“": "'", "”": "'", '"': "'", "‘": "'", "’": "'"})
_QUOTE_MARKS = ("“", "”", '"', "‘", "’")
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.!?,;:'\"-]")
# TOKEN as one capture group: ``split`` gives [gap, token, gap, token, ..., gap] in one scan, so the
# words are ``parts[1::2]`` and a token's offset is the summed length of the parts before it.
_TOKEN_SPLIT = re.compile(f"({TOKEN.pattern})")

MODAL = frozenset(
    [
        "would",
        "could",
        "might",
        "may",
        "if",
        "should",
        "will",
        "wouldn't",
        "couldn't",
        "gonna",
        "want",
        "wanted",
        "imagine",
        "maybe",
    ]
)
NEG = frozenset(
    [
        "not",
        "no",
        "never",
        "n't",
        "don't",
        "didn't",
        "won't",
        "wasn't",
        "isn't",
        "nothing",
        "without",
        "can't",
    ]
)
P1 = frozenset(["i", "me", "my", "we", "us", "our"])
P2 = frozenset(["you", "your", "you're"])
P3 = frozenset(["he", "she", "they", "him", "her", "them", "his"])
PAST = frozenset(["was", "were", "had", "did"])


def normalise(text: str) -> str:
    """Lower-case ``text`` and map quote marks to "'", keeping every offset (one char for one)."""
    low = text.lower()
    for quote in _QUOTE_MARKS:  # str.replace is many times faster than str.translate here
        if quote in low:
            low = low.replace(quote, "'")
    if len(low) != len(text):  # a few characters lower-case to two ("İ"): map them one by one
        low = "".join((c.lower()[:1] or c) for c in text).translate(_QUOTES)
    return low


def tokenize(text: str) -> list[tuple[str, int]]:
    """(token, character offset into ``text``) for the words and punctuation of ``text``."""
    return [(m.group(), m.start()) for m in TOKEN.finditer(normalise(text))]


def split_tokens(text: str) -> list[str]:
    """``[gap, token, gap, token, ..., gap]`` of ``normalise(text)``: the tokens of :func:`tokenize`
    are ``parts[1::2]``, and token ``k`` starts at :func:`token_offset` ``(parts, k)``."""
    return _TOKEN_SPLIT.split(normalise(text))


def token_offset(parts: list[str], k: int) -> int:
    """The character offset of token ``k`` of :func:`split_tokens` ``parts``."""
    return sum(map(len, parts[: 2 * k + 1]))


@lru_cache(maxsize=65536)
def warnings_of(token: str) -> tuple[str, ...]:
    """The warnings whose keyword regex matches at the start of ``token`` (cached: Zipf's law)."""
    return tuple(w for w in WARNINGS if _KEYWORD[w].match(token))


def hits(tokens: list[tuple[str, int]], warning: str) -> list[int]:
    """Indices into ``tokens`` of the keyword hits for ``warning``."""
    return [i for i, (t, _) in enumerate(tokens) if warning in warnings_of(t)]


def kw_tokens(tokens: list[tuple[str, int]], warning: str, found: list[int] | None = None) -> list[str]:
    """The pseudo-tokens describing ``warning``'s keyword hits in ``tokens`` and their context."""
    found = hits(tokens, warning) if found is None else found
    return kw_words([t for t, _ in tokens], found)


def kw_words(words: list[str], found: list[int]) -> list[str]:
    """:func:`kw_tokens` for the token strings ``words`` and the keyword hits ``found`` in them."""
    out = [f"nhits_{min(len(found), NHITS_CAP)}"]
    quotes = 0
    next_token = 0
    for i in found[:MAX_HITS]:
        if next_token < i:  # lone "'" tokens before the hit: an odd count means inside a quote
            quotes += words[next_token:i].count("'")
            next_token = i
        k = words[i]
        lo, hi = max(0, i - WINDOW), min(len(words), i + WINDOW + 1)
        ctx = words[lo:i] + words[i + 1 : hi]
        out.append(f"kw_{k}")
        if i > 0:
            out.append(f"L_{words[i - 1]}_{k}")
        if i + 1 < len(words):
            out.append(f"R_{k}_{words[i + 1]}")
        out += [f"ctx_{c}" for c in ctx if c.isalnum()]
        near = set(ctx)
        if near & MODAL:
            out.append("modal")
        if near & NEG:
            out.append("neg")
        if near & P1:
            out.append("p1")
        if near & P2:
            out.append("p2")
        if near & P3:
            out.append("p3")
        if near & PAST or any(c.endswith("ed") for c in ctx):
            out.append("past")
        if quotes % 2 == 1:
            out.append("inquote")
    return out


@lru_cache(maxsize=262144)
def feature_index(token: str) -> int:
    """The column of a pseudo-token: crc32 of its UTF-8 bytes modulo ``N_FEATURES``."""
    return zlib.crc32(token.encode("utf-8")) % N_FEATURES


def feature_indices(pseudo_tokens: list[str]) -> list[int]:
    """The sorted, distinct columns set to 1 for these pseudo-tokens (binary features)."""
    return sorted({feature_index(t) for t in pseudo_tokens})


# (row, feature columns, cue token, cue offset, window start, window end) for one scored warning:
# what the classifier needs of a passage, see :func:`keyword_features`.
KeywordHit = tuple[int, list[int], str, int, int, int]


def keyword_features(text: str, warnings: Sequence[str], wanted: int, context: int) -> list[KeywordHit]:
    """For each ``warnings[row]`` with bit ``row`` set in ``wanted`` and a keyword hit in ``text``,
    in row order: (row, :func:`feature_indices` of :func:`kw_words` for its first :data:`HITS_USED`
    hits, the first hit's token, its offset, the offset where the token ``context`` tokens before
    it starts and the one where the token ``context`` tokens after it ends, both clipped to the
    passage's tokens). The native core's answer; :func:`keyword_features_python` is its reference.
    """
    try:
        with _NATIVE_LOCK:
            return _native_features(tuple(warnings)).scan(text, wanted, context)
    except UnicodeEncodeError:  # a lone surrogate, from a lenient decode, cannot cross
        return keyword_features_python(text, warnings, wanted, context)


def keyword_features_python(
    text: str, warnings: Sequence[str], wanted: int, context: int
) -> list[KeywordHit]:
    """:func:`keyword_features` in Python alone: the reference of the native core."""
    # One regex scan gives gaps and tokens; offsets are summed only for the tokens a hit uses.
    parts = split_tokens(text)
    words = parts[1::2]
    keyword_words = set(filter(warnings_of, set(words)))  # C loops, cached lookups
    if not keyword_words:
        return []
    by_warning: dict[str, set[str]] = {}
    for word in keyword_words:
        for warning in warnings_of(word):
            by_warning.setdefault(warning, set()).add(word)
    out: list[KeywordHit] = []
    for row, warning in enumerate(warnings):
        if warning not in by_warning or not wanted >> row & 1:
            continue
        hit = by_warning[warning].__contains__
        where = list(islice(compress(count(), map(hit, words)), HITS_USED))
        first = where[0]
        lo, hi = max(0, first - context), min(len(words) - 1, first + context)
        out.append(
            (
                row,
                feature_indices(kw_words(words, where)),
                words[first],
                token_offset(parts, first),
                token_offset(parts, lo),
                token_offset(parts, hi) + len(words[hi]),
            )
        )
    return out


# One call at a time: a scanner's token cache changes during a call, which calls back into Python
# (warnings_of), where another thread (the web page's pool) could start a second one.
_NATIVE_LOCK = threading.Lock()


@cache
def _native_features(warnings: tuple[str, ...]) -> KeywordFeatures:
    """One native scanner per row order, per process (it remembers each token's warnings)."""
    return KeywordFeatures(
        list(warnings), warnings_of, MODAL, NEG, P1, P2, P3, PAST, WINDOW, MAX_HITS, NHITS_CAP, N_FEATURES
    )
