//! The name tokeniser's per-token work (who/tokens.py, `tokenise`), one story range at a time.
//!
//! Every rule of Python's that the tokeniser applies to a word (`\w` and the other classes of
//! WORD_RE, `str.isupper`/`islower`/`isspace`, `fold`, HONORIFIC_RE and _STUTTER_RE ignoring case)
//! is a function of its characters one by one, so Python computes them once per character for a
//! table of characters (who/tokens.py, `_char_table`) and this module reads the table: the two
//! agree by construction. A range holding a character outside the table (or a lone surrogate)
//! gets `None` back and goes through the Python reference. Offsets given back are Python's: code
//! points, not UTF-8 bytes.

use std::collections::{HashMap, HashSet};

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

/// What the tokeniser needs of one character, as Python says it.
#[derive(Clone)]
struct CharInfo {
    flags: u16,
    fold: Box<str>, // fold(c); fold() of a word is the fold() of its characters end to end
    lower: char,    // c.lower(): what _STUTTER_RE's backreference compares, ignoring case
    honorific: u8,  // the lower-case ASCII character of HONORIFIC_RE it matches (re.I); 0: none
}

/// The characters the native path handles, each with its [`CharInfo`].
struct CharTable {
    dense: Vec<Option<CharInfo>>,
    sparse: HashMap<char, CharInfo>,
}

impl CharTable {
    /// The table of `chars`, with `folds` and `lowers` one entry per character, `classes` the
    /// members of each class by name, and `honorific` the characters that each ASCII character
    /// of the honorifics matches ignoring case.
    /// A character whose lower case is not one character ('İ') is left out, and so is one whose
    /// case flags would not compose over a word (both upper and lower or title case).
    fn new(
        chars: &str,
        folds: &[String],
        lowers: &[String],
        classes: &HashMap<String, String>,
        honorific: &HashMap<char, String>,
    ) -> Result<Self, String> {
        let (n, nf, nl) = (chars.chars().count(), folds.len(), lowers.len());
        if nf != n || nl != n {
            return Err(format!(
                "{n} characters but {nf} folds and {nl} lower cases"
            ));
        }
        let mut table = Self {
            dense: vec![None; DENSE],
            sparse: HashMap::new(),
        };
        for ((c, fold), lower) in chars.chars().zip(folds).zip(lowers) {
            let mut lower = lower.chars();
            let (Some(l), None) = (lower.next(), lower.next()) else {
                continue; // a lower case of two characters: not a simple one to compare
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
        for slot in &mut table.dense {
            if slot.as_ref().is_some_and(|i| !composes(i.flags)) {
                *slot = None;
            }
        }
        table.sparse.retain(|_, i| composes(i.flags));
        Ok(table)
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
        self.get(c).map_or(0, |i| i.flags)
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
    abbreviations: HashSet<String>,
    determiners: HashSet<String>,
    locative: HashSet<String>,
    table: CharTable,
}

impl NameTokens {
    /// Where `HONORIFIC_RE` (`(?:-(?:kun|san|...))+$`, ignoring case) first matches in `word`:
    /// a byte offset.
    fn honorific_start(&self, word: &str) -> Option<usize> {
        let (at, keys): (Vec<usize>, Vec<u8>) = word
            .char_indices()
            .map(|(i, c)| (i, self.table.get(c).map_or(0, |x| x.honorific)))
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

    fn word_parts(&self, raw: &str) -> Option<Parts> {
        let t = &self.table;
        let mut word = raw;
        let possessive = word.ends_with("'s") || word.ends_with("\u{2019}s");
        if possessive {
            word = &word[..word.len() - if word.ends_with("'s") { 2 } else { 4 }];
        }
        let surface = chars(word);
        let surface_bytes = word.len();
        if let Some(h) = self.honorific_start(word) {
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
    fn is_initial(&self, before: &str, prev_raw: &str) -> bool {
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
            return !(c == '.' && self.abbreviations.contains(&self.table.fold(prev_raw)));
        }
        false
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
    strings: HashMap<String, Bound<'py, PyString>>,
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

#[pymethods]
impl NameTokens {
    /// `chars`, `folds`, `lowers`, `classes`, `honorific`: the character table (see
    /// [`CharTable::new`]).
    #[new]
    #[allow(clippy::too_many_arguments)]
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
            abbreviations,
            determiners,
            locative,
            table: CharTable::new(chars, &folds, &lowers, &classes, &honorific)
                .map_err(PyValueError::new_err)?,
        })
    }

    /// What the table holds of `c` (for the tests): (the names of its classes, fold, lower case,
    /// honorific character or ""), or None for a character the native path does not take.
    fn char_info(&self, c: char) -> Option<(Vec<&'static str>, String, char, String)> {
        let i = self.table.get(c)?;
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
        Some((classes, i.fold.to_string(), i.lower, honorific))
    }

    /// One range of `tokenise`: `text` is `Work.text[lo:hi]`; the flags say what Python sees just
    /// outside it (`before_run`: the character before `lo` is a word character; `space_at_end`,
    /// `lower_at_end`, `lower_after_end`: `text[hi] == " "`, `text[hi].islower()`,
    /// `text[hi + 1].islower()`). (words, lower-case counts, tokens), or None for a range that
    /// must go through Python.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (text, lo, before_run, space_at_end, lower_at_end, lower_after_end))]
    fn tokenise_range<'py>(
        &self,
        text: &Bound<'py, PyString>,
        lo: usize,
        before_run: bool,
        space_at_end: bool,
        lower_at_end: bool,
        lower_after_end: bool,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let py = text.py();
        // a lone surrogate cannot be UTF-8: Python's path then
        let Ok(s) = text.to_str() else {
            return Ok(None);
        };
        let t = &self.table;
        if !s.chars().all(|c| t.get(c).is_some()) {
            return Ok(None);
        }
        let ascii = s.is_ascii();
        let bytes = s.as_bytes();
        let words = t.scan_words(s);
        // code-point offsets of each word's start and end
        let (cstart, cend): (Vec<usize>, Vec<usize>) = if ascii {
            words.iter().map(|w| (w.start, w.end)).unzip()
        } else {
            let (mut pos, mut count) = (0, 0);
            words
                .iter()
                .map(|w| {
                    count += chars(&s[pos..w.start]);
                    let a = count;
                    count += chars(&s[w.start..w.end]);
                    pos = w.end;
                    (a, count)
                })
                .unzip()
        };

        // the distinct words in order of first use (Counter(words)), each made a Python string once
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut distinct: Vec<(&str, usize, Bound<'py, PyString>)> = Vec::new();
        let mut ids = Vec::with_capacity(words.len());
        for w in &words {
            let raw = &s[w.start..w.end];
            let id = *index.entry(raw).or_insert_with(|| {
                distinct.push((raw, 0, PyString::new(py, raw)));
                distinct.len() - 1
            });
            distinct[id].1 += 1;
            ids.push(id);
        }
        let words_py = PyTuple::new(py, ids.iter().map(|&id| &distinct[id].2))?;

        let lower = PyDict::new(py);
        let mut lower_order: Vec<String> = Vec::new();
        let mut lower_counts: HashMap<String, usize> = HashMap::new();
        for (raw, n, _) in &distinct {
            if raw.chars().next().is_some_and(|c| t.has(c, UPPER)) {
                continue;
            }
            let bare = raw
                .strip_suffix("'s")
                .or_else(|| raw.strip_suffix("\u{2019}s"))
                .unwrap_or(raw);
            let key = t.fold(bare);
            match lower_counts.get_mut(&key) {
                Some(c) => *c += n,
                None => {
                    lower_order.push(key.clone());
                    lower_counts.insert(key, *n);
                }
            }
        }
        for key in &lower_order {
            lower.set_item(key, lower_counts[key])?;
        }

        let capitalised: Vec<bool> = distinct
            .iter()
            .map(|(raw, _, _)| {
                raw.chars()
                    .next()
                    .is_some_and(|c| self.cap_first.contains(&c))
            })
            .collect();
        let mut parts_cache: HashMap<usize, Option<Parts>> = HashMap::new();
        let mut interned = Interned {
            py,
            strings: HashMap::new(),
        };
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
                cstart[0]
            } else {
                cstart[k] - cend[k - 1]
            }
        };
        let char_at = |i: usize| s[i..].chars().next();
        for k in 0..words.len() {
            if !capitalised[ids[k]] {
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
            let parts = parts_cache
                .entry(ids[k])
                .or_insert_with(|| self.word_parts(&s[w.start..w.end]));
            let Some(p) = parts else {
                continue;
            };
            let start = lo + cstart[k];
            let surface_end = start + p.surface;
            let (prev, prev2, prev_lower, initial): (String, String, bool, bool);
            if k == 0 {
                (prev, prev2, prev_lower) = (String::new(), String::new(), false);
                initial = ini != Some(false); // None: "." after no word, not an abbreviation
            } else {
                let prev_raw = &s[words[k - 1].start..words[k - 1].end];
                let back = (cend[k - 1] - cstart[k - 1]) + gap_chars(k);
                if back > WINDOW
                    || (blank
                        && k > 1
                        && back + (cend[k - 2] - cstart[k - 2]) + gap_chars(k - 1) > WINDOW)
                {
                    // a word cut by the 60-character window of _previous_words: the exact old way
                    let before = &s[..w.start];
                    let cut_raw;
                    (cut_raw, prev, prev2, prev_lower) = previous_words(t, before);
                    initial = self.is_initial(before, cut_raw);
                } else {
                    if blank {
                        prev = t.fold(prev_raw);
                        prev2 = if k > 1 && t.is_blank(gap_of(k - 1)) {
                            t.fold(&s[words[k - 2].start..words[k - 2].end])
                        } else {
                            String::new()
                        };
                        prev_lower = t.is_lower(prev_raw);
                    } else {
                        (prev, prev2, prev_lower) = (String::new(), String::new(), false);
                    }
                    initial =
                        ini.unwrap_or_else(|| !self.abbreviations.contains(&t.fold(prev_raw)));
                }
            }
            // text.startswith(" ", surface_end) and text[surface_end + 1].islower()
            let after = w.start + p.surface_bytes;
            let then_lower = match after.cmp(&bytes.len()) {
                std::cmp::Ordering::Less => {
                    bytes[after] == b' '
                        && match char_at(after + 1) {
                            Some(c) => t.has(c, LOWER),
                            None => lower_at_end,
                        }
                }
                _ => space_at_end && lower_after_end,
            };
            let det = self.determiners.contains(&prev)
                || (self.determiners.contains(&prev2) && prev2 != "that" && prev_lower);
            let loc =
                self.locative.contains(&prev) || (prev == "the" && self.locative.contains(&prev2));
            let name = &s[w.start + p.name.0..w.start + p.name.1];
            let name_start = start + p.offset;
            let args = (
                name_start,
                name_start + chars(name),
                interned.get(name),
                interned.get(&p.key),
                surface_end,
                initial,
                interned.get(&prev),
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
                lower.into_any(),
                tokens.into_pyobject(py)?.into_any(),
            ],
        )?))
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
