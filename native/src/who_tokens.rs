//! The name tokeniser's per-token work (who/tokens.py, `tokenise`), one story range at a time.
//!
//! Every rule of Python's that the tokeniser applies to a word (`\w` and the other classes of
//! WORD_RE, `str.isupper`/`islower`/`isspace`, `fold`, HONORIFIC_RE and _STUTTER_RE ignoring case)
//! is a function of its characters one by one, so Python computes them once per character for a
//! table of characters (who/tokens.py, `_char_table`) and this module reads the table: the two
//! agree by construction. A character outside the start-up table is asked of Python (the same
//! code, `_char_entries`) the first time a range holds it and kept; a range holding a character
//! the table leaves out (or a lone surrogate) gets `None` back and goes through the Python
//! reference. Offsets given back are Python's: code
//! points, not UTF-8 bytes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

/// The characters that look back past a window (`_previous_words`): Python's 60 code points.
const WINDOW: usize = 60;

// The character classes of the table, each a set of characters Python hands over by name.
const RUN: u16 = 1; // [\w'’\-], what WORD_RE words are made of
const LETTER: u16 = 1 << 1; // [^\W\d_], what a word starts with
const END: u16 = 1 << 2; // [^\W_], what a word ends on
const UPPER: u16 = 1 << 3; // c.isupper()
const LOWER: u16 = 1 << 4; // c.islower()
const SPACE: u16 = 1 << 5; // c.isspace(): what str.strip() drops
const BREAKS_UPPER: u16 = 1 << 6; // a word holding it is not isupper() (lower or title case)
const BREAKS_LOWER: u16 = 1 << 7; // a word holding it is not islower() (upper or title case)
const CLASSES: [(&str, u16); 8] = [
    ("run", RUN),
    ("letter", LETTER),
    ("end", END),
    ("upper", UPPER),
    ("lower", LOWER),
    ("space", SPACE),
    ("breaks_upper", BREAKS_UPPER),
    ("breaks_lower", BREAKS_LOWER),
];
/// Code points below this are looked up by index, the others (emoji) by hash.
const DENSE: usize = 0x3000;
/// Set in [`CharTable::flags_of`] for a character the table holds.
const PRESENT: u16 = 1 << 15;
/// The most characters learned after start-up: past it, a range with a new one goes to Python
/// (a story cannot grow the table without bound).
const MAX_LEARNED: usize = 1 << 16;

// The standard hasher (SipHash with a random key), not a faster unkeyed one: a story is hostile
// input, and words crafted to collide would make every lookup below walk the same long chain.
type WordMap<K, V> = HashMap<K, V>;
type WordSet<K> = HashSet<K>;

/// What the tokeniser needs of one character, as Python says it.
#[derive(Clone)]
struct CharInfo {
    flags: u16,
    fold: Box<str>, // fold(c); fold() of a word is the fold() of its characters end to end
    lower: char,    // c.lower(): what _STUTTER_RE's backreference compares, ignoring case
    honorific: u8,  // the lower-case ASCII character of HONORIFIC_RE it matches (re.I); 0: none
}

/// The characters the native path handles, each with its [`CharInfo`], and those it leaves out.
#[derive(Clone)]
struct CharTable {
    dense: Vec<Option<CharInfo>>,
    sparse: HashMap<char, CharInfo>,
    // the flags of `dense` with PRESENT, 2 bytes a character: what the scan of every character reads
    dense_flags: Vec<u16>,
    // characters given to the table and left out: a range holding one goes to Python
    rejected: HashSet<char>,
    learned: usize, // characters added after start-up
}

/// What [`CharTable::scan_range`] finds: the words, or a character not asked of Python yet, or
/// one the table leaves out.
enum Scan {
    Words(Vec<Span>),
    Unknown,
    Rejected,
}

impl CharTable {
    /// The table of `chars`: see [`CharTable::add`].
    fn new(
        chars: &str,
        folds: &[String],
        lowers: &[String],
        classes: &HashMap<String, String>,
        honorific: &HashMap<char, String>,
    ) -> Result<Self, String> {
        let mut table = Self {
            dense: vec![None; DENSE],
            sparse: HashMap::new(),
            dense_flags: vec![0; DENSE],
            rejected: HashSet::new(),
            learned: 0,
        };
        table.add(chars, folds, lowers, classes, honorific)?;
        Ok(table)
    }

    /// Adds `chars` (none of them in the table yet), with `folds` and `lowers` one entry per
    /// character, `classes` the members of each class by name, and `honorific` the characters
    /// that each ASCII character of the honorifics matches ignoring case, all of `chars` alone.
    /// A character whose lower case is not one character ('İ') is left out, and so is one whose
    /// case flags would not compose over a word (both upper and lower or title case).
    fn add(
        &mut self,
        chars: &str,
        folds: &[String],
        lowers: &[String],
        classes: &HashMap<String, String>,
        honorific: &HashMap<char, String>,
    ) -> Result<(), String> {
        let (n, nf, nl) = (chars.chars().count(), folds.len(), lowers.len());
        if nf != n || nl != n {
            return Err(format!(
                "{n} characters but {nf} folds and {nl} lower cases"
            ));
        }
        let table = self;
        for ((c, fold), lower) in chars.chars().zip(folds).zip(lowers) {
            let mut lower = lower.chars();
            let (Some(l), None) = (lower.next(), lower.next()) else {
                table.rejected.insert(c); // a lower case of two characters: not a simple one to compare
                continue;
            };
            let info = CharInfo {
                flags: 0,
                fold: fold.as_str().into(),
                lower: l,
                honorific: 0,
            };
            match table.dense.get_mut(c as usize) {
                Some(slot) => *slot = Some(info),
                None => {
                    table.sparse.insert(c, info);
                }
            }
        }
        if let Some((name, _)) = CLASSES.iter().find(|(n, _)| !classes.contains_key(*n)) {
            return Err(format!("no class {name:?}"));
        }
        for (name, members) in classes {
            let Some(&(_, bit)) = CLASSES.iter().find(|(n, _)| n == name) else {
                return Err(format!("unknown class {name:?}"));
            };
            for c in members.chars() {
                if let Some(info) = table.get_mut(c) {
                    info.flags |= bit;
                }
            }
        }
        for (&a, members) in honorific {
            if !a.is_ascii() || a.is_ascii_uppercase() {
                return Err(format!(
                    "honorific character {a:?}: only lower-case ASCII ones"
                ));
            }
            for c in members.chars() {
                if let Some(info) = table.get_mut(c) {
                    if info.honorific != 0 && info.honorific != a as u8 {
                        return Err(format!(
                            "{c:?} matches both {:?} and {a:?}",
                            info.honorific as char
                        ));
                    }
                    info.honorific = a as u8;
                }
            }
        }
        let composes = |f: u16| {
            !(f & UPPER != 0 && f & BREAKS_UPPER != 0 || f & LOWER != 0 && f & BREAKS_LOWER != 0)
        };
        for c in chars.chars() {
            let flags = match table.get(c) {
                Some(i) if composes(i.flags) => i.flags | PRESENT,
                Some(_) => {
                    match table.dense.get_mut(c as usize) {
                        Some(slot) => *slot = None,
                        None => {
                            table.sparse.remove(&c);
                        }
                    }
                    table.rejected.insert(c);
                    0
                }
                None => 0,
            };
            if let Some(f) = table.dense_flags.get_mut(c as usize) {
                *f = flags;
            }
        }
        Ok(())
    }

    fn get(&self, c: char) -> Option<&CharInfo> {
        match self.dense.get(c as usize) {
            Some(slot) => slot.as_ref(),
            None => self.sparse.get(&c),
        }
    }

    fn get_mut(&mut self, c: char) -> Option<&mut CharInfo> {
        match self.dense.get_mut(c as usize) {
            Some(slot) => slot.as_mut(),
            None => self.sparse.get_mut(&c),
        }
    }

    /// The flags of `c`; none for a character outside the table (never met in a range taken).
    fn flags(&self, c: char) -> u16 {
        self.flags_of(c) & !PRESENT
    }

    /// The flags of `c` with PRESENT, or 0 for a character outside the table.
    #[inline]
    fn flags_of(&self, c: char) -> u16 {
        match self.dense_flags.get(c as usize) {
            Some(&f) => f,
            None => self.sparse.get(&c).map_or(0, |i| i.flags | PRESENT),
        }
    }

    fn has(&self, c: char, flag: u16) -> bool {
        self.flags(c) & flag != 0
    }

    /// `not s.strip()`: empty or Python whitespace only.
    fn is_blank(&self, s: &str) -> bool {
        s.chars().all(|c| self.has(c, SPACE))
    }

    /// `s.islower()`: some lower-case character and none upper or title case.
    fn is_lower(&self, s: &str) -> bool {
        let f = s.chars().fold(0, |f, c| f | self.flags(c));
        f & LOWER != 0 && f & BREAKS_LOWER == 0
    }

    /// `s.isupper()`: some upper-case character and none lower or title case.
    fn is_upper(&self, s: &str) -> bool {
        let f = s.chars().fold(0, |f, c| f | self.flags(c));
        f & UPPER != 0 && f & BREAKS_UPPER == 0
    }

    /// `fold()` (who/text.py) of a word: its characters' folds end to end (NFKD only reorders
    /// combining marks, which it drops; casefold() maps each character alone).
    fn fold(&self, word: &str) -> String {
        let mut out = String::with_capacity(word.len());
        for c in word.chars() {
            if let Some(i) = self.get(c) {
                out.push_str(&i.fold);
            }
        }
        out
    }

    /// The WORD_RE matches of `s`, `[^\W\d_](?:[\w'’\-]*[^\W_])?`, left to right, as
    /// `re.finditer` finds them: a letter, then the longest run of word characters, given back to
    /// its last letter or digit. Byte offsets.
    fn scan_words(&self, s: &str) -> Vec<Word> {
        let mut out = Vec::with_capacity(s.len() / 5);
        let mut i = 0;
        while let Some(c) = s[i..].chars().next() {
            if !self.has(c, LETTER) {
                i += c.len_utf8();
                continue;
            }
            let first = i + c.len_utf8();
            let mut end = first;
            for (j, d) in s[first..].char_indices() {
                let f = self.flags(d);
                if f & RUN == 0 {
                    break;
                }
                if f & END != 0 {
                    end = first + j + d.len_utf8();
                }
            }
            out.push(Word { start: i, end });
            i = end;
        }
        out
    }
}

/// The character at byte `i` of `s` and its length in bytes; ASCII without decoding.
#[inline]
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((char::from(b), 1));
    }
    let c = s[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

impl CharTable {
    /// [`CharTable::scan_words`] with code-point offsets too, in the same one pass that checks
    /// that the table holds every character of `s`: every character is looked at, for a
    /// character after a word is looked at again from the word's end.
    fn scan_range(&self, s: &str) -> Scan {
        let mut out = Vec::with_capacity(s.len() / 5);
        let (mut i, mut cp) = (0, 0);
        while let Some((c, n)) = char_at(s, i) {
            let f = self.flags_of(c);
            if f & PRESENT == 0 {
                return if self.rejected.contains(&c) {
                    Scan::Rejected
                } else {
                    Scan::Unknown
                };
            }
            i += n;
            cp += 1;
            if f & LETTER == 0 {
                continue;
            }
            let (start, cstart) = (i - n, cp - 1);
            let (mut end, mut cend) = (i, cp);
            let (mut j, mut cj) = (i, cp);
            // a character outside the table has no RUN: the outer loop meets it next
            while let Some((d, m)) = char_at(s, j) {
                let g = self.flags_of(d);
                if g & RUN == 0 {
                    break;
                }
                j += m;
                cj += 1;
                if g & END != 0 {
                    (end, cend) = (j, cj);
                }
            }
            out.push(Span {
                start,
                end,
                cstart,
                cend,
            });
            (i, cp) = (end, cend);
        }
        Scan::Words(out)
    }

    /// The distinct characters of `s` neither in the table nor left out, in order.
    fn unknown(&self, s: &str) -> String {
        let mut seen = HashSet::new();
        s.chars()
            .filter(|&c| {
                self.flags_of(c) & PRESENT == 0 && !self.rejected.contains(&c) && seen.insert(c)
            })
            .collect()
    }
}

/// One WORD_RE match: byte offsets into the range, and code-point offsets (`cstart`, `cend`).
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    cstart: usize,
    cend: usize,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// One WORD_RE match: byte offsets into the range.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// `_gap_info` of who/tokens.py: (taken as a capitalised word, blank, initial or None when it
/// depends on an abbreviation before a ".").
fn gap_info(table: &CharTable, gap: &str, first: bool) -> (bool, bool, Option<bool>) {
    let mut rev = gap.chars().rev().peekable();
    let initial = match rev.peek() {
        None => Some(first),
        Some(c) if "\"\u{201c}\u{2018}'([*_".contains(*c) => Some(true),
        Some(_) => {
            while rev.next_if(|c| matches!(c, ' ' | '\t')).is_some() {}
            match rev.peek().copied() {
                None => Some(first),
                Some('\n' | '\r') => Some(true),
                Some(c) if CLOSERS.contains(c) => {
                    while rev.next_if(|c| CLOSERS.contains(*c)).is_some() {}
                    match rev.next() {
                        None => Some(first),
                        Some(c) => Some(".!?\u{2026}\n".contains(c)),
                    }
                }
                Some('.') => None,
                Some(c) => Some("!?\u{2026}:".contains(c)),
            }
        }
    };
    let takes = gap.chars().next_back().is_none_or(|c| !table.has(c, RUN));
    (takes, table.is_blank(gap), initial)
}

const CLOSERS: &str = "\"\u{201d}\u{2019}')]*_";

/// What `_word_parts` gives for a capitalised word: byte offsets into it, lengths in code points.
#[derive(Clone)]
struct Parts {
    name: (usize, usize), // the name itself, bytes into the raw word
    key: String,
    possessive: bool,
    surface: usize, // code points: the word without "'s", with its honorific
    surface_bytes: usize,
    offset: usize, // code points cut by stutters ("S-Sasuke")
    allcaps: bool,
}

#[pyclass(module = "forewarn._native")]
pub struct NameTokens {
    token: Py<PyAny>,
    cap_first: HashSet<char>,
    honorifics: Vec<Vec<u8>>, // lower case: what the table's honorific characters are
    abbreviations: WordSet<String>,
    determiners: WordSet<String>,
    locative: WordSet<String>,
    table: CharTable, // the start-up table
    // `_char_entries` of who/tokens.py: what the table needs of characters met later
    learn: Option<Py<PyAny>>,
    // the start-up table and the characters learned since, once one is; a call reads a snapshot
    // (no lock held while Python runs), and learning copies it only while another call holds one
    current: Mutex<Option<Arc<CharTable>>>,
}

impl NameTokens {
    /// Where `HONORIFIC_RE` (`(?:-(?:kun|san|...))+$`, ignoring case) first matches in `word`:
    /// a byte offset.
    fn honorific_start(&self, t: &CharTable, word: &str) -> Option<usize> {
        let (at, keys): (Vec<usize>, Vec<u8>) = word
            .char_indices()
            .map(|(i, c)| (i, t.get(c).map_or(0, |x| x.honorific)))
            .unzip();
        if !keys.contains(&b'-') {
            return None; // every match starts on a "-"
        }
        // tails[i]: keys[i..] is a run of "-honorific" (or empty, at the end)
        let mut tails = vec![false; keys.len() + 1];
        tails[keys.len()] = true;
        for i in (0..keys.len()).rev() {
            tails[i] = keys[i] == b'-'
                && self.honorifics.iter().any(|h| {
                    let end = i + 1 + h.len();
                    end <= keys.len() && tails[end] && keys[i + 1..end] == h[..]
                });
        }
        (0..keys.len()).find(|&i| tails[i]).map(|i| at[i])
    }

    fn word_parts(&self, t: &CharTable, raw: &str) -> Option<Parts> {
        let mut word = raw;
        let possessive = word.ends_with("'s") || word.ends_with("\u{2019}s");
        if possessive {
            word = &word[..word.len() - if word.ends_with("'s") { 2 } else { 4 }];
        }
        let surface = chars(word);
        let surface_bytes = word.len();
        if let Some(h) = self.honorific_start(t, word) {
            word = &word[..h];
        }
        let mut offset = 0;
        let mut from = 0; // bytes cut from the front
                          // _STUTTER_RE, `^([^\W\d_])-(?=\1)` ignoring case: "S-Sasuke" -> "Sasuke"; the
                          // backreference compares the two characters' lower cases
        loop {
            let mut it = word.chars();
            let (Some(a), Some('-'), Some(c)) = (it.next(), it.next(), it.next()) else {
                break;
            };
            let (Some(ia), Some(ic)) = (t.get(a), t.get(c)) else {
                break;
            };
            if ia.flags & LETTER == 0 || ia.lower != ic.lower {
                break;
            }
            let cut = a.len_utf8() + 1;
            word = &word[cut..];
            offset += 2;
            from += cut;
        }
        let trimmed = word.trim_start_matches(['\'', '\u{2019}', '-']);
        from += word.len() - trimmed.len();
        let word = trimmed.trim_end_matches(['\'', '\u{2019}', '-']);
        if word.is_empty() {
            return None;
        }
        Some(Parts {
            name: (from, from + word.len()),
            key: t.fold(word),
            possessive,
            surface,
            surface_bytes,
            offset,
            allcaps: chars(word) > 1 && t.is_upper(word),
        })
    }

    /// `_is_initial` of who/tokens.py on the range `s` (its floor is the range's start).
    fn is_initial(&self, t: &CharTable, before: &str, prev_raw: &str) -> bool {
        let mut rev = before.chars().rev().peekable();
        match rev.peek() {
            None => return true,
            Some(c) if "\"\u{201c}\u{2018}'([*_".contains(*c) => return true,
            _ => {}
        }
        while rev.next_if(|c| matches!(c, ' ' | '\t')).is_some() {}
        let c = match rev.peek().copied() {
            None | Some('\n' | '\r') => return true,
            Some(c) => c,
        };
        if CLOSERS.contains(c) {
            while rev.next_if(|c| CLOSERS.contains(*c)).is_some() {}
            return rev.next().is_none_or(|c| ".!?\u{2026}\n".contains(c));
        }
        if ".!?\u{2026}:".contains(c) {
            return !(c == '.' && self.abbreviations.contains(&t.fold(prev_raw)));
        }
        false
    }
}

impl NameTokens {
    /// The table as it stands: None while it is the start-up one.
    fn snapshot(&self) -> Option<Arc<CharTable>> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The table once the characters of `chars` not in it yet are learned from Python (all of
    /// them, or none past [`MAX_LEARNED`]).
    fn learned(&self, py: Python<'_>, chars: &str) -> PyResult<Option<Arc<CharTable>>> {
        let unknown = self
            .snapshot()
            .as_deref()
            .unwrap_or(&self.table)
            .unknown(chars);
        let Some(learn) = &self.learn else {
            return Ok(self.snapshot());
        };
        if unknown.is_empty() {
            return Ok(self.snapshot());
        }
        let n = unknown.chars().count();
        if self.snapshot().map_or(0, |t| t.learned) + n > MAX_LEARNED {
            return Ok(self.snapshot());
        }
        type Entries = (
            String,
            Vec<String>,
            Vec<String>,
            HashMap<String, String>,
            HashMap<char, String>,
        );
        let (got, folds, lowers, classes, honorific): Entries =
            learn.bind(py).call1((&unknown,))?.extract()?;
        if got != unknown {
            return Err(PyValueError::new_err("learn gave other characters"));
        }
        // no Python below: the lock is never held while another thread could want it
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        // Added to a copy that replaces the table only when every entry is valid: a refused batch
        // must leave no half-made entries behind (those characters then go to Python). Another
        // call may have learned some meanwhile: adding one again gives the same entry.
        let mut next = current.as_deref().unwrap_or(&self.table).clone();
        next.add(&unknown, &folds, &lowers, &classes, &honorific)
            .map_err(PyValueError::new_err)?;
        next.learned += n;
        *current = Some(Arc::new(next));
        Ok(current.clone())
    }
}

/// `_previous_words` of who/tokens.py: the words of the 60 code points before a name, found
/// afresh so that a word cut by the window is cut the same way.
fn previous_words<'a>(t: &CharTable, before: &'a str) -> (&'a str, String, String, bool) {
    let cut = before
        .char_indices()
        .rev()
        .nth(WINDOW - 1)
        .map_or(0, |(i, _)| i);
    let window = &before[cut..];
    let back = t.scan_words(window);
    let Some(last) = back.last() else {
        return ("", String::new(), String::new(), false);
    };
    let prev_raw = &window[last.start..last.end];
    if !t.is_blank(&window[last.end..]) {
        return (prev_raw, String::new(), String::new(), false);
    }
    let mut prev2 = String::new();
    if back.len() > 1 {
        let w2 = back[back.len() - 2];
        if t.is_blank(&window[w2.end..last.start]) {
            prev2 = t.fold(&window[w2.start..w2.end]);
        }
    }
    (prev_raw, t.fold(prev_raw), prev2, t.is_lower(prev_raw))
}

/// Python strings made once per call and shared by every use.
struct Interned<'py> {
    py: Python<'py>,
    strings: WordMap<String, Bound<'py, PyString>>,
}

impl<'py> Interned<'py> {
    fn get(&mut self, s: &str) -> Bound<'py, PyString> {
        if let Some(v) = self.strings.get(s) {
            return v.clone();
        }
        let v = PyString::new(self.py, s);
        self.strings.insert(s.to_owned(), v.clone());
        v
    }
}

/// [`NameTokens::char_info`]: class names, fold, lower case, honorific character.
type CharReport = (Vec<&'static str>, String, char, String);

#[pymethods]
impl NameTokens {
    /// `chars`, `folds`, `lowers`, `classes`, `honorific`: the character table (see
    /// [`CharTable::add`]); `learn(chars)` gives the same five for other characters (without it,
    /// a range holding one goes to Python).
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (token, cap_first, honorifics, abbreviations, determiners, locative, chars, folds, lowers, classes, honorific, learn=None))]
    fn new(
        token: Py<PyAny>,
        cap_first: HashSet<char>,
        honorifics: Vec<String>,
        abbreviations: HashSet<String>,
        determiners: HashSet<String>,
        locative: HashSet<String>,
        chars: &str,
        folds: Vec<String>,
        lowers: Vec<String>,
        classes: HashMap<String, String>,
        honorific: HashMap<char, String>,
        learn: Option<Py<PyAny>>,
    ) -> PyResult<Self> {
        // matched on the table's honorific characters, which are ASCII ones
        if let Some(h) = honorifics.iter().find(|h| h.is_empty() || !h.is_ascii()) {
            return Err(PyValueError::new_err(format!(
                "honorific {h:?}: only non-empty ASCII ones are matched natively"
            )));
        }
        Ok(Self {
            token,
            cap_first,
            honorifics: honorifics
                .into_iter()
                .map(|h| h.to_ascii_lowercase().into_bytes())
                .collect(),
            abbreviations: abbreviations.into_iter().collect(),
            determiners: determiners.into_iter().collect(),
            locative: locative.into_iter().collect(),
            table: CharTable::new(chars, &folds, &lowers, &classes, &honorific)
                .map_err(PyValueError::new_err)?,
            learn,
            current: Mutex::new(None),
        })
    }

    /// What the start-up table holds of `c` (for the tests): (the names of its classes, fold,
    /// lower case, honorific character or ""), or None for a character it does not hold. With
    /// `learn`, what the table holds once `c` is learned: None for a character it leaves out.
    #[pyo3(signature = (c, learn=false))]
    fn char_info(&self, py: Python<'_>, c: char, learn: bool) -> PyResult<Option<CharReport>> {
        let snapshot;
        let t = if learn {
            snapshot = self.learned(py, &c.to_string())?;
            snapshot.as_deref().unwrap_or(&self.table)
        } else {
            &self.table
        };
        let Some(i) = t.get(c) else {
            return Ok(None);
        };
        let classes = CLASSES
            .iter()
            .filter(|(_, bit)| i.flags & bit != 0)
            .map(|(name, _)| *name)
            .collect();
        let honorific = if i.honorific == 0 {
            String::new()
        } else {
            (i.honorific as char).to_string()
        };
        Ok(Some((classes, i.fold.to_string(), i.lower, honorific)))
    }

    /// One range of `tokenise`: `text` is `Work.text[lo:hi]`; the flags say what Python sees just
    /// outside it (`before_run`: the character before `lo` is a word character; `space_at_end`,
    /// `lower_at_end`, `lower_after_end`: `text[hi] == " "`, `text[hi].islower()`,
    /// `text[hi + 1].islower()`). (words, lower-case counts, tokens), or None for a range that
    /// must go through Python. With `lower` (a dict of counts, a `Counter`), the range's counts
    /// are added to it as `Counter.update` adds them and it is given back in their place: one
    /// pass in C instead of `update`'s Python loop over every distinct word.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (text, lo, before_run, space_at_end, lower_at_end, lower_after_end, lower=None))]
    fn tokenise_range<'py>(
        &self,
        text: &Bound<'py, PyString>,
        lo: usize,
        before_run: bool,
        space_at_end: bool,
        lower_at_end: bool,
        lower_after_end: bool,
        lower: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let py = text.py();
        // a lone surrogate cannot be UTF-8: Python's path then
        let Ok(s) = text.to_str() else {
            return Ok(None);
        };
        let mut snapshot = self.snapshot();
        let mut t = snapshot.as_deref().unwrap_or(&self.table);
        let words = match t.scan_range(s) {
            Scan::Words(words) => words,
            Scan::Rejected => return Ok(None),
            Scan::Unknown => {
                let unknown = t.unknown(s);
                drop(snapshot); // learning then adds to the table in place
                snapshot = self.learned(py, &unknown)?;
                t = snapshot.as_deref().unwrap_or(&self.table);
                match t.scan_range(s) {
                    Scan::Words(words) => words,
                    _ => return Ok(None), // left out, or past MAX_LEARNED
                }
            }
        };
        let bytes = s.as_bytes();

        // the distinct words in order of first use (Counter(words)), each made a Python string once
        let mut index: WordMap<&str, usize> = WordMap::default();
        let mut distinct: Vec<Distinct<'_, 'py>> = Vec::new();
        let mut ids = Vec::with_capacity(words.len());
        for w in &words {
            let raw = &s[w.start..w.end];
            let id = *index.entry(raw).or_insert_with(|| {
                distinct.push(Distinct {
                    raw,
                    n: 0,
                    py: PyString::new(py, raw),
                    parts: None,
                    prev: None,
                });
                distinct.len() - 1
            });
            distinct[id].n += 1;
            ids.push(id);
        }
        let words_py = PyTuple::new(py, ids.iter().map(|&id| &distinct[id].py))?;

        let mut lower_order: Vec<(String, usize)> = Vec::new();
        let mut lower_index: WordMap<String, usize> = WordMap::default();
        for d in &distinct {
            if d.raw.chars().next().is_some_and(|c| t.has(c, UPPER)) {
                continue;
            }
            let bare = (d.raw.strip_suffix("'s"))
                .or_else(|| d.raw.strip_suffix("\u{2019}s"))
                .unwrap_or(d.raw);
            let key = t.fold(bare);
            match lower_index.get(&key) {
                Some(&i) => lower_order[i].1 += d.n,
                None => {
                    lower_index.insert(key.clone(), lower_order.len());
                    lower_order.push((key, d.n));
                }
            }
        }
        let counts = match lower {
            // Counter.update: each key, in this order, set to its old count (0 if new) plus n
            Some(into) => {
                for (key, n) in &lower_order {
                    let old = match into.get_item(key)? {
                        Some(v) => v,
                        None => 0usize.into_pyobject(py)?.into_any(),
                    };
                    into.set_item(key, old.add(*n)?)?;
                }
                into
            }
            None => {
                let d = PyDict::new(py);
                for (key, n) in &lower_order {
                    d.set_item(key, n)?;
                }
                d
            }
        };

        let mut interned = Interned {
            py,
            strings: WordMap::default(),
        };
        let none = self.prev_info(&mut interned, String::new(), false);
        let mut tokens: Vec<Bound<'py, PyAny>> = Vec::new();
        let gap_of = |k: usize| {
            if k == 0 {
                &s[..words[0].start]
            } else {
                &s[words[k - 1].end..words[k].start]
            }
        };
        let gap_chars = |k: usize| {
            if k == 0 {
                words[0].cstart
            } else {
                words[k].cstart - words[k - 1].cend
            }
        };
        let len = |k: usize| words[k].cend - words[k].cstart;
        for k in 0..words.len() {
            let id = ids[k];
            if !distinct[id]
                .raw
                .chars()
                .next()
                .is_some_and(|c| self.cap_first.contains(&c))
            {
                continue;
            }
            let w = words[k];
            let gap = gap_of(k);
            let (mut takes, blank, ini) = gap_info(t, gap, k == 0);
            if gap.is_empty() && lo > 0 && before_run {
                takes = false; // the pattern looks behind the range's start
            }
            if !takes {
                continue;
            }
            let d = &mut distinct[id];
            if d.parts.is_none() {
                let raw = d.raw;
                d.parts = Some(self.word_parts(t, raw).map(|p| {
                    let name = &raw[p.name.0..p.name.1];
                    NameParts {
                        name_py: interned.get(name),
                        name_chars: chars(name),
                        key_py: interned.get(&p.key),
                        parts: p,
                    }
                }));
            }
            let Some(Some(np)) = &distinct[id].parts else {
                continue;
            };
            let (surface, surface_bytes) = (np.parts.surface, np.parts.surface_bytes);
            let start = lo + w.cstart;
            let surface_end = start + surface;
            let (initial, det, loc, prev_py);
            if k == 0 {
                (det, loc, prev_py) = (none.det, none.loc, none.py.clone());
                initial = ini != Some(false); // None: "." after no word, not an abbreviation
            } else {
                let back = len(k - 1) + gap_chars(k);
                if back > WINDOW
                    || (blank && k > 1 && back + len(k - 2) + gap_chars(k - 1) > WINDOW)
                {
                    // a word cut by the 60-character window: read afresh, as _previous_words does
                    let before = &s[..w.start];
                    let (cut_raw, prev, prev2, prev_lower) = previous_words(t, before);
                    initial = self.is_initial(t, before, cut_raw);
                    det = self.determiners.contains(&prev)
                        || (self.determiners.contains(&prev2) && prev2 != "that" && prev_lower);
                    loc = self.locative.contains(&prev)
                        || (prev == "the" && self.locative.contains(&prev2));
                    prev_py = interned.get(&prev);
                } else {
                    let p1 = self.prev_of(t, &mut distinct, ids[k - 1], &mut interned);
                    if blank {
                        let p2 = if k > 1 && t.is_blank(gap_of(k - 1)) {
                            self.prev_of(t, &mut distinct, ids[k - 2], &mut interned)
                        } else {
                            none.clone()
                        };
                        det = p1.det || (p2.det_not_that && p1.lower);
                        loc = p1.loc || (p1.the && p2.loc);
                        prev_py = p1.py.clone();
                    } else {
                        // prev and prev2 are "": what the empty word is
                        (det, loc, prev_py) = (none.det, none.loc, none.py.clone());
                    }
                    initial = ini.unwrap_or(!p1.abbreviation);
                }
            }
            // text.startswith(" ", surface_end) and text[surface_end + 1].islower()
            let after = w.start + surface_bytes;
            let then_lower = match after.cmp(&bytes.len()) {
                std::cmp::Ordering::Less => {
                    bytes[after] == b' '
                        && match char_at(s, after + 1) {
                            Some((c, _)) => t.has(c, LOWER),
                            None => lower_at_end,
                        }
                }
                _ => space_at_end && lower_after_end,
            };
            let Some(Some(np)) = &distinct[id].parts else {
                continue;
            };
            let p = &np.parts;
            let name_start = start + p.offset;
            let args = (
                name_start,
                name_start + np.name_chars,
                np.name_py.clone(),
                np.key_py.clone(),
                surface_end,
                initial,
                prev_py,
                det,
                p.allcaps,
                p.possessive,
                then_lower,
                loc,
            );
            tokens.push(self.token.bind(py).call1(args)?);
        }
        Ok(Some(PyTuple::new(
            py,
            [
                words_py.into_any(),
                counts.into_any(),
                tokens.into_pyobject(py)?.into_any(),
            ],
        )?))
    }
}

/// A distinct word of a range, with what its uses share, worked out at its first use.
struct Distinct<'s, 'py> {
    raw: &'s str,
    n: usize,
    py: Bound<'py, PyString>,
    parts: Option<Option<NameParts<'py>>>, // as a capitalised word
    prev: Option<PrevInfo<'py>>,           // as the word before one
}

struct NameParts<'py> {
    parts: Parts,
    name_py: Bound<'py, PyString>,
    name_chars: usize,
    key_py: Bound<'py, PyString>,
}

/// What a name asks of a previous word `w` (`prev`, or `prev2` before it): fold(w) as Python
/// string, whether it is among the determiners, the determiners but "that", the places, "the",
/// the abbreviations, and w.islower().
#[derive(Clone)]
struct PrevInfo<'py> {
    py: Bound<'py, PyString>,
    det: bool,
    det_not_that: bool,
    loc: bool,
    the: bool,
    abbreviation: bool,
    lower: bool,
}

impl NameTokens {
    fn prev_info<'py>(
        &self,
        interned: &mut Interned<'py>,
        fold: String,
        lower: bool,
    ) -> PrevInfo<'py> {
        let det = self.determiners.contains(&fold);
        PrevInfo {
            py: interned.get(&fold),
            det,
            det_not_that: det && fold != "that",
            loc: self.locative.contains(&fold),
            the: fold == "the",
            abbreviation: self.abbreviations.contains(&fold),
            lower,
        }
    }

    /// The [`PrevInfo`] of distinct word `id`, worked out once.
    fn prev_of<'py>(
        &self,
        t: &CharTable,
        distinct: &mut [Distinct<'_, 'py>],
        id: usize,
        interned: &mut Interned<'py>,
    ) -> PrevInfo<'py> {
        let d = &mut distinct[id];
        if d.prev.is_none() {
            let (fold, lower) = (t.fold(d.raw), t.is_lower(d.raw));
            d.prev = Some(self.prev_info(interned, fold, lower));
        }
        d.prev.clone().unwrap_or_else(|| unreachable!())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of ASCII and a few other characters by Rust's rules, which agree with Python's on
    /// these (the real table comes from Python: tests/test_native_tokens.py).
    fn table() -> CharTable {
        let chars: String = (0u8..128)
            .map(char::from)
            .chain("\u{a0}\u{2019}\u{201c}\u{201d}\u{e9}\u{c9}".chars())
            .collect();
        let folds: Vec<String> = chars
            .chars()
            .map(|c| match c {
                '\u{2019}' => "'".to_string(),
                '\u{e9}' | '\u{c9}' => "e".to_string(),
                c => c.to_lowercase().collect(),
            })
            .collect();
        let lowers: Vec<String> = chars.chars().map(|c| c.to_lowercase().collect()).collect();
        let pick = |f: fn(char) -> bool| chars.chars().filter(|&c| f(c)).collect::<String>();
        let classes = HashMap::from([
            (
                "run".into(),
                pick(|c| c.is_alphanumeric() || "_'\u{2019}-".contains(c)),
            ),
            ("letter".into(), pick(char::is_alphabetic)),
            ("end".into(), pick(char::is_alphanumeric)),
            ("upper".into(), pick(char::is_uppercase)),
            ("lower".into(), pick(char::is_lowercase)),
            ("space".into(), pick(crate::pytext::is_python_space)),
            ("breaks_upper".into(), pick(char::is_lowercase)),
            ("breaks_lower".into(), pick(char::is_uppercase)),
        ]);
        let honorific = "kunsa-"
            .chars()
            .map(|a| (a, format!("{a}{}", a.to_ascii_uppercase())))
            .collect();
        CharTable::new(&chars, &folds, &lowers, &classes, &honorific).unwrap()
    }

    #[test]
    fn words_as_word_re_finds_them() {
        let t = table();
        let s = "9Ab_ 'Tis O\u{2019}Neil\u{2019}s S-Sasuke-- x_y \u{201c}H\u{e9}\u{201d}";
        let words: Vec<&str> = t.scan_words(s).iter().map(|w| &s[w.start..w.end]).collect();
        assert_eq!(
            words,
            [
                "Ab",
                "Tis",
                "O\u{2019}Neil\u{2019}s",
                "S-Sasuke",
                "x_y",
                "H\u{e9}"
            ]
        );
    }

    #[test]
    fn words_by_the_table() {
        let t = table();
        assert_eq!(t.fold("\u{c9}owyn\u{2019}s"), "eowyn's");
        assert!(t.is_upper("\u{c9}V-9") && !t.is_upper("\u{c9}v") && !t.is_upper("--"));
        assert!(t.is_lower("\u{e9}a") && !t.is_lower("\u{e9}A"));
        assert!(t.get('\u{2014}').is_none()); // not in this table
    }

    #[test]
    fn gaps_as_python_reads_them() {
        let t = table();
        assert_eq!(gap_info(&t, "", true), (true, true, Some(true)));
        assert_eq!(gap_info(&t, " \u{a0}", false), (true, true, Some(false)));
        assert_eq!(gap_info(&t, ". ", false), (true, false, None));
        assert_eq!(gap_info(&t, "!\u{201d} ", false), (true, false, Some(true)));
        assert_eq!(gap_info(&t, " _", false), (false, false, Some(true)));
    }
}
