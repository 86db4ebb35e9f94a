//! The mechanical scans of detectors/text_cues.py for one passage: its sentences
//! (`sentence_spans`), where a clause starts (`clause_start`) and the words before a cue
//! (`words_before`). Python keeps every decision made with them.
//!
//! text_cues.py uses this only while its patterns are the strings in [`PATTERNS`], so a change
//! there falls back to Python instead of drifting. The Unicode rules involved are whitespace
//! ([`is_python_space`], checked against `str.isspace` by tests/test_native_text.py), and
//! `str.isalpha` / `\w` (`str.isalnum` or `_`), which for a non-ASCII character are asked of
//! Python itself, once per distinct character of the passage. Offsets are code points.

use std::collections::HashMap;

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::pytext::{is_python_space, is_sentence_mark};

/// (`_SENTENCE_END`, `_CLAUSE_BREAK_LOWER`, `_WORD_LOWER`, sorted `_ABBREVIATIONS`) of text_cues.py.
pub const PATTERNS: (&str, &str, &str, &str) = (
    "[.!?\u{2026}\\n](?:(?<=[.!?\u{2026}])[.!?\u{2026}]*+(?:[\"'\u{201d}\u{2019})\\]*_]*+(?=\\s|$)())?\
     |(?<=\\n)\\s*+())",
    "[,;:()\\[\\]\\\"\u{201c}\u{201d}]|\\s[-\u{2013}\u{2014}]+\\s|[\u{2013}\u{2014}]|\\b(?:but|and|or|so\
     |because|although|though|while|when|whenever|until|till|before|after|since|who|whom|which|that\
     |where|then|as|once|yet)\\b",
    "[a-z0-9]+(?:['\u{2019}][a-z]+)*",
    "dr jr mr mrs ms sr st vs",
);

const ABBREVIATIONS: [&str; 8] = ["dr", "jr", "mr", "mrs", "ms", "sr", "st", "vs"];
// `whenever` / `whom` come after `when` / `who` in the regex, which tries them once `\b` fails;
// as `\b` after a word needs a non-word character, at most one word matches anywhere: order is moot.
const CLAUSE_WORDS: [&str; 24] = [
    "but", "and", "or", "so", "because", "although", "though", "while", "when", "whenever",
    "until", "till", "before", "after", "since", "who", "whom", "which", "that", "where", "then",
    "as", "once", "yet",
];

/// `["'”’)\]*_]`: SENTENCE_CLOSERS, `*` and `_`.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '*' | '_'
    )
}

/// A passage as code points, with Python's `isalpha` and `\w` for each.
pub struct Chars<F: Fn(char) -> (bool, bool)> {
    pub s: Vec<char>,
    /// (`str.isalpha`, `\w`) of a non-ASCII character.
    pub classes: F,
}

impl<F: Fn(char) -> (bool, bool)> Chars<F> {
    fn alpha(&self, i: usize) -> bool {
        let c = self.s[i];
        if c.is_ascii() {
            c.is_ascii_alphabetic()
        } else {
            (self.classes)(c).0
        }
    }

    fn word(&self, i: usize) -> bool {
        let c = self.s[i];
        if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            (self.classes)(c).1
        }
    }

    fn space(&self, i: usize) -> bool {
        is_python_space(self.s[i])
    }

    /// `trim`: `[a, b)` without the whitespace at either end.
    fn trim(&self, mut a: usize, mut b: usize) -> (usize, usize) {
        if a >= b {
            return (a, b);
        }
        while a < b && self.space(a) {
            a += 1;
        }
        while b > a && self.space(b - 1) {
            b -= 1;
        }
        (a, b)
    }

    /// `_ends`' test: the `.` at `at` closes "Mr", "Dr", ... (an alphabetic run of at most 3).
    fn abbreviation(&self, at: usize) -> bool {
        let mut k = 0;
        while k < at && k < 4 && self.alpha(at - k - 1) {
            k += 1;
        }
        if !(2..=3).contains(&k) || (at - k > 0 && self.alpha(at - k - 1)) {
            return false;
        }
        // No non-ASCII character lower-cases to an ASCII letter of these words.
        let word: String = self.s[at - k..at].iter().collect();
        word.is_ascii() && ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str())
    }

    /// `sentence_spans(text)`: the sentences of the whole passage, trimmed, empty ones dropped.
    pub fn sentences(&self) -> Vec<(usize, usize)> {
        let n = self.s.len();
        let mut out = Vec::new();
        let push = |a: usize, b: usize, out: &mut Vec<(usize, usize)>| {
            let (a, b) = self.trim(a, b);
            if a < b {
                out.push((a, b));
            }
        };
        let mut cursor = 0;
        let mut i = 0;
        while i < n {
            let c = self.s[i];
            if is_sentence_mark(c) {
                let mut r = i + 1;
                while r < n && is_sentence_mark(self.s[r]) {
                    r += 1;
                }
                let mut q = r;
                while q < n && is_closer(self.s[q]) {
                    q += 1;
                }
                if (q == n || self.space(q)) && !(c == '.' && self.abbreviation(i)) {
                    push(cursor, q, &mut out);
                    cursor = q;
                    i = q;
                } else {
                    // a run that ends no sentence matches all the same: the scan goes on after it
                    i = if q == n || self.space(q) { q } else { r };
                }
            } else if c == '\n' {
                let mut j = i + 1;
                while j < n && self.space(j) {
                    j += 1;
                }
                push(cursor, i, &mut out);
                cursor = j;
                i = j;
            } else {
                i += 1;
            }
        }
        push(cursor, n, &mut out);
        out
    }

    /// `clause_start` on lower-case text: the end of the last match of `_CLAUSE_BREAK_LOWER` in
    /// `finditer(text, floor, pos)`, or `floor`.
    pub fn clause_start(&self, pos: usize, floor: usize) -> usize {
        let end = pos.min(self.s.len());
        let mut last = floor;
        let mut i = floor;
        while i < end {
            let c = self.s[i];
            let found = match c {
                ',' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '\u{201c}' | '\u{201d}' => {
                    Some(i + 1)
                }
                '\u{2013}' | '\u{2014}' => Some(i + 1),
                _ if self.space(i) => {
                    let mut j = i + 1;
                    while j < end && matches!(self.s[j], '-' | '\u{2013}' | '\u{2014}') {
                        j += 1;
                    }
                    (j > i + 1 && j < end && self.space(j)).then_some(j + 1)
                }
                'a'..='y' if i == 0 || !self.word(i - 1) => self.clause_word(i, end),
                _ => None,
            };
            match found {
                Some(e) => {
                    last = e;
                    i = e;
                }
                None => i += 1,
            }
        }
        last
    }

    /// `\b(?:but|and|...)\b` at `i` (a word starts there), with the text ending at `end`.
    fn clause_word(&self, i: usize, end: usize) -> Option<usize> {
        CLAUSE_WORDS.iter().find_map(|w| {
            let e = i + w.len();
            let here = e <= end && self.s[i..e].iter().copied().eq(w.chars());
            (here && (e == end || !self.word(e))).then_some(e)
        })
    }

    /// `words_before` on lower-case text: `_WORD_LOWER.findall(text[max(floor, pos-12n-12):pos])[-n:]`,
    /// with ’ made '.
    pub fn words_before(&self, pos: usize, floor: usize, n: usize) -> Vec<String> {
        let end = pos.min(self.s.len());
        let mut i = floor.max(pos.saturating_sub(n.saturating_mul(12).saturating_add(12)));
        let lower = |i: usize| i < end && self.s[i].is_ascii_lowercase();
        let mut words = Vec::new();
        while i < end {
            let c = self.s[i];
            if !(c.is_ascii_lowercase() || c.is_ascii_digit()) {
                i += 1;
                continue;
            }
            let a = i;
            while i < end && (self.s[i].is_ascii_lowercase() || self.s[i].is_ascii_digit()) {
                i += 1;
            }
            while i < end && matches!(self.s[i], '\'' | '\u{2019}') && lower(i + 1) {
                i += 1;
                while lower(i) {
                    i += 1;
                }
            }
            words.push((a, i));
        }
        let skip = words.len().saturating_sub(n);
        words[skip..]
            .iter()
            .map(|&(a, b)| {
                self.s[a..b]
                    .iter()
                    .map(|&c| if c == '\u{2019}' { '\'' } else { c })
                    .collect()
            })
            .collect()
    }
}

type Classes = HashMap<char, (bool, bool)>;
/// (`str.isalpha`, `\w`) of a non-ASCII character of the passage, as Python gave them.
type Classify = Box<dyn Fn(char) -> (bool, bool) + Send + Sync>;

/// One passage for text_cues.py's scans.
#[pyclass(module = "forewarn._native", frozen)]
pub struct CueText {
    chars: Chars<Classify>,
}

#[pymethods]
impl CueText {
    /// `sentence_spans(text)` as (starts, ends).
    fn sentences(&self) -> (Vec<usize>, Vec<usize>) {
        self.chars.sentences().into_iter().unzip()
    }

    fn clause_start(&self, pos: usize, floor: usize) -> usize {
        self.chars.clause_start(pos, floor)
    }

    fn words_before(&self, pos: usize, floor: usize, n: usize) -> Vec<String> {
        self.chars.words_before(pos, floor, n)
    }
}

/// The passage `text` for the scans, or None for text Python must do (a lone surrogate).
#[pyfunction]
pub fn cue_text(text: &Bound<'_, PyString>) -> PyResult<Option<CueText>> {
    let Ok(s) = text.to_str() else {
        return Ok(None);
    };
    let s: Vec<char> = s.chars().collect();
    let mut classes = Classes::new();
    for &c in s.iter().filter(|c| !c.is_ascii()) {
        if let std::collections::hash_map::Entry::Vacant(slot) = classes.entry(c) {
            let one = PyString::new(text.py(), c.encode_utf8(&mut [0; 4]));
            let alpha: bool = one.call_method0("isalpha")?.extract()?;
            let word: bool = one.call_method0("isalnum")?.extract()?;
            slot.insert((alpha, word));
        }
    }
    let classes: Classify = Box::new(move |c| classes.get(&c).copied().unwrap_or((false, false)));
    Ok(Some(CueText {
        chars: Chars { s, classes },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Chars<fn(char) -> (bool, bool)> {
        Chars {
            s: s.chars().collect(),
            classes: |c| (c.is_alphabetic(), c.is_alphanumeric()),
        }
    }

    fn texts(s: &str, v: &[(usize, usize)]) -> Vec<String> {
        let c: Vec<char> = s.chars().collect();
        v.iter().map(|&(a, b)| c[a..b].iter().collect()).collect()
    }

    #[test]
    fn sentences_like_sentence_spans() {
        let s = "\"Run!\" she said. Mr. Kay ran.\n  next line... ok?! (yes.) done";
        assert_eq!(
            texts(s, &chars(s).sentences()),
            [
                "\"Run!\"",
                "she said.",
                "Mr. Kay ran.",
                "next line...",
                "ok?!",
                "(yes.)",
                "done"
            ]
        );
    }

    #[test]
    fn clauses_and_words() {
        let s = "she said, whenever he came — and then it's over";
        let t = chars(s);
        let n = s.chars().count();
        let then = s.chars().collect::<String>().find("then").unwrap() - 2; // "—" is 3 bytes
        assert_eq!(t.clause_start(n, 0), then + 4);
        assert_eq!(t.clause_start(then + 2, 0), then - 1); // "th" is no word: after " and"
        assert_eq!(t.clause_start(13, 0), 9); // "when" in "whenever" is none
        assert_eq!(t.words_before(n, 0, 3), ["then", "it's", "over"]);
    }
}
