//! The name tokeniser's per-token work (who/tokens.py, `tokenise`), one story range at a time.
//!
//! Only a range whose characters are all ASCII or in [`SAFE_NON_ASCII`] is tokenised here: on those
//! characters Python's rules (`\w`, `str.isupper`/`islower`/`lower`, `fold`, `str.strip`) are the
//! simple ASCII ones, which tests/test_native_tokens.py pins. Any other range gets `None` back and
//! goes through the Python reference, which holds the full Unicode rules of the interpreter.
//! Offsets given back are Python's: code points, not UTF-8 bytes.

use std::collections::{HashMap, HashSet};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::pytext::is_python_space;

/// The non-ASCII characters a range may hold and still be tokenised here: punctuation and one
/// space, none a word character, none cased, none changed by `fold` (’ is, into ', by its last step).
pub const SAFE_NON_ASCII: &str = "\u{2019}\u{2018}\u{201c}\u{201d}\u{2026}\u{2014}\u{2013}\u{a0}";

/// The characters that look back past a window (`_previous_words`): Python's 60 code points.
const WINDOW: usize = 60;
const RSQUO: &str = "\u{2019}";

fn is_safe(c: char) -> bool {
    c.is_ascii() || SAFE_NON_ASCII.contains(c)
}

/// `[\w'’\-]` (what WORD_RE words are made of) on safe text.
fn is_run(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '-' | '\u{2019}')
}

/// `not s.strip()`: empty or Python whitespace only.
fn is_blank(s: &str) -> bool {
    s.chars().all(is_python_space)
}

/// `s.islower()` on safe text: some lower-case letter and no upper-case one.
fn is_lower(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_lowercase()) && !s.bytes().any(|b| b.is_ascii_uppercase())
}

/// `s.isupper()` on safe text.
fn is_upper(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_uppercase()) && !s.bytes().any(|b| b.is_ascii_lowercase())
}

/// `fold()` (who/text.py) of a safe word: lower case, ’ as '.
fn fold(word: &str) -> String {
    word.to_ascii_lowercase().replace(RSQUO, "'")
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// One WORD_RE match, `[^\W\d_](?:[\w'’\-]*[^\W_])?`: byte offsets into the range.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// The WORD_RE matches of `s`, left to right, as `re.finditer` finds them: a letter, then the
/// longest run of word characters, given back to its last letter or digit.
fn scan_words(s: &str) -> Vec<Word> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 5);
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut j = i + 1;
        while j < bytes.len() {
            let b = bytes[j];
            if b.is_ascii_alphanumeric() {
                j += 1;
                end = j;
            } else if matches!(b, b'_' | b'\'' | b'-') {
                j += 1;
            } else if bytes[j..].starts_with(RSQUO.as_bytes()) {
                j += RSQUO.len();
            } else {
                break;
            }
        }
        out.push(Word { start, end });
        i = end;
    }
    out
}

/// `_gap_info` of who/tokens.py: (taken as a capitalised word, blank, initial or None when it
/// depends on an abbreviation before a ".").
fn gap_info(gap: &str, first: bool) -> (bool, bool, Option<bool>) {
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
    let takes = gap.chars().next_back().is_none_or(|c| !is_run(c));
    (takes, is_blank(gap), initial)
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
    honorifics: Vec<Vec<u8>>,
    abbreviations: HashSet<String>,
    determiners: HashSet<String>,
    locative: HashSet<String>,
}

impl NameTokens {
    /// Where `HONORIFIC_RE` (`(?:-(?:kun|san|...))+$`, ignoring case) first matches in `word`.
    fn honorific_start(&self, word: &[u8]) -> Option<usize> {
        // tails[i]: word[i..] is a run of "-honorific" (or empty, at the end)
        let mut tails = vec![false; word.len() + 1];
        tails[word.len()] = true;
        for i in (0..word.len()).rev() {
            tails[i] = word[i] == b'-'
                && self.honorifics.iter().any(|h| {
                    let end = i + 1 + h.len();
                    end <= word.len() && tails[end] && word[i + 1..end].eq_ignore_ascii_case(h)
                });
        }
        (0..word.len()).find(|&i| tails[i])
    }

    fn word_parts(&self, raw: &str) -> Option<Parts> {
        let mut word = raw;
        let possessive = word.ends_with("'s") || word.ends_with("\u{2019}s");
        if possessive {
            word = &word[..word.len() - if word.ends_with("'s") { 2 } else { 4 }];
        }
        let surface = chars(word);
        let surface_bytes = word.len();
        if let Some(h) = self.honorific_start(word.as_bytes()) {
            word = &word[..h];
        }
        let mut offset = 0;
        let mut from = 0; // bytes cut from the front
                          // _STUTTER_RE, `^([^\W\d_])-(?=\1)` ignoring case: "S-Sasuke" -> "Sasuke"
        while let [a, b'-', c, ..] = word.as_bytes() {
            if !(a.is_ascii_alphabetic() && a.eq_ignore_ascii_case(c)) {
                break;
            }
            word = &word[2..];
            offset += 2;
            from += 2;
        }
        let trimmed = word.trim_start_matches(['\'', '\u{2019}', '-']);
        from += word.len() - trimmed.len();
        let word = trimmed.trim_end_matches(['\'', '\u{2019}', '-']);
        if word.is_empty() {
            return None;
        }
        Some(Parts {
            name: (from, from + word.len()),
            key: fold(word),
            possessive,
            surface,
            surface_bytes,
            offset,
            allcaps: chars(word) > 1 && is_upper(word),
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
            return !(c == '.' && self.abbreviations.contains(&fold(prev_raw)));
        }
        false
    }
}

/// `_previous_words` of who/tokens.py: the words of the 60 code points before a name, found
/// afresh so that a word cut by the window is cut the same way.
fn previous_words(before: &str) -> (&str, String, String, bool) {
    let cut = before
        .char_indices()
        .rev()
        .nth(WINDOW - 1)
        .map_or(0, |(i, _)| i);
    let window = &before[cut..];
    let back = scan_words(window);
    let Some(last) = back.last() else {
        return ("", String::new(), String::new(), false);
    };
    let prev_raw = &window[last.start..last.end];
    if !is_blank(&window[last.end..]) {
        return (prev_raw, String::new(), String::new(), false);
    }
    let mut prev2 = String::new();
    if back.len() > 1 {
        let w2 = back[back.len() - 2];
        if is_blank(&window[w2.end..last.start]) {
            prev2 = fold(&window[w2.start..w2.end]);
        }
    }
    (prev_raw, fold(prev_raw), prev2, is_lower(prev_raw))
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
    #[new]
    fn new(
        token: Py<PyAny>,
        cap_first: HashSet<char>,
        honorifics: Vec<String>,
        abbreviations: HashSet<String>,
        determiners: HashSet<String>,
        locative: HashSet<String>,
    ) -> PyResult<Self> {
        // matched byte by byte, ignoring ASCII case only: exact for ASCII honorifics alone
        if let Some(h) = honorifics.iter().find(|h| h.is_empty() || !h.is_ascii()) {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "honorific {h:?}: only non-empty ASCII ones are matched natively"
            )));
        }
        Ok(Self {
            token,
            cap_first,
            honorifics: honorifics.into_iter().map(String::into_bytes).collect(),
            abbreviations,
            determiners,
            locative,
        })
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
        if !s.is_ascii() && !s.chars().all(is_safe) {
            return Ok(None);
        }
        let ascii = s.is_ascii();
        let bytes = s.as_bytes();
        let words = scan_words(s);
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
            if raw.as_bytes()[0].is_ascii_uppercase() {
                continue;
            }
            let bare = raw
                .strip_suffix("'s")
                .or_else(|| raw.strip_suffix("\u{2019}s"))
                .unwrap_or(raw);
            let key = fold(bare);
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
            let (mut takes, blank, ini) = gap_info(gap, k == 0);
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
                    (cut_raw, prev, prev2, prev_lower) = previous_words(before);
                    initial = self.is_initial(before, cut_raw);
                } else {
                    if blank {
                        prev = fold(prev_raw);
                        prev2 = if k > 1 && is_blank(gap_of(k - 1)) {
                            fold(&s[words[k - 2].start..words[k - 2].end])
                        } else {
                            String::new()
                        };
                        prev_lower = is_lower(prev_raw);
                    } else {
                        (prev, prev2, prev_lower) = (String::new(), String::new(), false);
                    }
                    initial = ini.unwrap_or_else(|| !self.abbreviations.contains(&fold(prev_raw)));
                }
            }
            // text.startswith(" ", surface_end) and text[surface_end + 1].islower()
            let after = w.start + p.surface_bytes;
            let then_lower = match after.cmp(&bytes.len()) {
                std::cmp::Ordering::Less => {
                    bytes[after] == b' '
                        && match char_at(after + 1) {
                            Some(c) => c.is_ascii_lowercase(),
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

    #[test]
    fn words_as_word_re_finds_them() {
        let s = "9Ab_ 'Tis O\u{2019}Neil\u{2019}s S-Sasuke-- x_y \u{201c}Hi\u{201d}";
        let words: Vec<&str> = scan_words(s).iter().map(|w| &s[w.start..w.end]).collect();
        assert_eq!(
            words,
            [
                "Ab",
                "Tis",
                "O\u{2019}Neil\u{2019}s",
                "S-Sasuke",
                "x_y",
                "Hi"
            ]
        );
    }

    #[test]
    fn gaps_as_python_reads_them() {
        assert_eq!(gap_info("", true), (true, true, Some(true)));
        assert_eq!(gap_info(" \u{a0}", false), (true, true, Some(false)));
        assert_eq!(gap_info(". ", false), (true, false, None));
        assert_eq!(gap_info("!\u{201d} ", false), (true, false, Some(true)));
        assert_eq!(gap_info(" _", false), (false, false, Some(true)));
    }
}
