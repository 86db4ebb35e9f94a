"""Hand-made features: trigger-keyword windows + context cues, and Empath lexicon counts.

Keyword lists are hand-written (prior knowledge + a label-free look at which words are frequent in
each warning's passages; the gold labels were not used to build them).
"""
import os, re
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

KEYWORDS = {
    "violence": r"hurt|kill|attack|hit|punch|stab|beat|slap|kick|blood|bleed|fight|shoot|shot|strangl|chok|murder|assault|"
                r"wound|bruis|violen|tortur|brutal|smash|slam|strike|struck|fist|knife|gun|weapon|injur|broke|snap|slaughter|butcher|maim|mutilat|massacr|burn|lunge",
    "war": r"war|civilian|destruct|occupation|occupied|combat|invasion|invad|battle|soldier|army|armies|troop|bomb|"
           r"military|siege|genocide|refugee|enemy|front ?line|trench|conflict|rebel|evacuat|weapon|fleet|in action|defen|slaughter|incursion|rifle|ninja",
    "death": r"undead|necroman|corpse|cadaver|dead|death|dying|die|died|cannibal|funeral|grave|kill|murder|zombie|"
             r"lich|ghoul|perish|passed away|decompos|rott",
    "abduction": r"hostage|ransom|kidnap|captur|captive|snatch|abduct|taken|took|take|hold|held|lock|prisoner|"
                 r"traffick|missing|cell|chain|tied|bound|confine|seiz|imprison|asylum|sanctuary|trap",
    "misogyny": r"tomboy|slut|bitch|chick|whore|pimp|girly|bimbo|ladylike|lady like|cunt|misogyn|sexis|hoe|skank|"
                r"like a girl|housewife|kitchen|feminin|woman|women|girl|fatale|trophy|shrill|bossy|nag|hater|wife|himbo|slag",
    "homophobia": r"conversion|therapy|gay|queer|dyke|lesbo|lesbian|tranny|fag|sissy|homo|butch|camp|bisexual|"
                  r"sin|unnatural|disgust|pray",
    "racism": r"racis|primitive|uncivili|barbar|tribal|tribe|savage|nigg|spic|gook|darkie|blackface|supremac|aryan|"
              r"chink|race|racial|slur|purity|pure ?blood|mudblood|white|black|skin|colou?r",
    "ableism": r"wheelchair|confined|spaz|abled|mentally|lame|\bill\b|invalid|nutcase|retard|crippl|handicap|psycho|"
               r"crazy|insane|breakdown|nervous|disab|deaf|blind|dumb|idiot|moron|autis|mad",
}
_KW = {w: re.compile(r"\b(?:" + p + r")\w*", re.I) for w, p in KEYWORDS.items()}
_TOK = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.!?,;:'\"-]")
MODAL = {"would", "could", "might", "may", "if", "should", "will", "wouldn't", "couldn't", "gonna", "want", "wanted", "imagine", "maybe"}
NEG = {"not", "no", "never", "n't", "don't", "didn't", "won't", "wasn't", "isn't", "nothing", "without", "can't"}
P1, P2, P3 = {"i", "me", "my", "we", "us", "our"}, {"you", "your", "you're"}, {"he", "she", "they", "him", "her", "them", "his"}
PAST = {"was", "were", "had", "did"}


def kw_doc(text, warning, win=6):
    """space-joined pseudo-tokens describing the keyword hits and their context"""
    toks = _TOK.findall(text)
    hits = [i for i, t in enumerate(toks) if _KW[warning].fullmatch(t) or _KW[warning].match(t)]
    # multi-word keywords: fall back to char search
    out = [f"nhits_{min(len(hits), 4)}"]
    # quote state: count of lone ' tokens before position (text uses ' as quote mark)
    q = np.cumsum([t == "'" for t in toks]) if toks else []
    for i in hits[:6]:
        k = toks[i]
        lo, hi = max(0, i - win), min(len(toks), i + win + 1)
        ctx = toks[lo:i] + toks[i + 1:hi]
        out.append(f"kw_{k}")
        if i > 0: out.append(f"L_{toks[i-1]}_{k}")
        if i + 1 < len(toks): out.append(f"R_{k}_{toks[i+1]}")
        out += [f"ctx_{c}" for c in ctx if c.isalnum()]
        s = set(ctx)
        if s & MODAL: out.append("modal")
        if s & NEG: out.append("neg")
        if s & P1: out.append("p1")
        if s & P2: out.append("p2")
        if s & P3: out.append("p3")
        if s & PAST or any(c.endswith("ed") for c in ctx): out.append("past")
        if q[i] % 2 == 1: out.append("inquote")
    return " ".join(out)


def load_empath():
    path = os.path.join(HERE, "dl/empath-0.89/empath/data/categories.tsv")
    cats = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        cats[parts[0]] = set(p.lower() for p in parts[1:] if p)
    return cats


_EMP = None


def empath_matrix(texts):
    global _EMP
    if _EMP is None:
        _EMP = load_empath()
    names = sorted(_EMP)
    word2cats = {}
    for j, c in enumerate(names):
        for w in _EMP[c]:
            word2cats.setdefault(w, []).append(j)
    X = np.zeros((len(texts), len(names)), np.float32)
    for i, t in enumerate(texts):
        toks = re.findall(r"[a-z]+", t)
        for w in toks:
            for j in word2cats.get(w, ()):
                X[i, j] += 1
        X[i] /= max(len(toks), 1)
    return X, names
