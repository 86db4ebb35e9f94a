//! Where a who-pattern can start: the places of a text where a word opens with one of a list of
//! literal prefixes (who/deaths.py, who/relationships.py).
//!
//! A pre-filter, not a matcher: Python tries its own regex at each place found here, and the
//! places are a superset of where that regex can match, so the answers are Python's by
//! construction. A place is kept when the prefix is there (ASCII, compared as is: the haystack is
//! the lower-cased text) and the character before it is not an ASCII word character; a non-ASCII
//! character before it is kept too, since whether it is `\w` is the regex's to decide. Offsets are
//! Python's: code points, not UTF-8 bytes.

use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::pytext::is_python_space;

#[pyclass(module = "forewarn._native", frozen)]
pub struct WordStarts {
    /// per first ASCII byte: (the rest of the prefix, whether one whitespace character must follow)
    by_first: Vec<Vec<(Vec<u8>, bool)>>,
}

fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Per byte: is it an ASCII word character.
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c == b'_' as usize;
        c += 1;
    }
    t
};

/// The places of a text where a word opens with an ASCII word character, per that byte: (byte
/// offset, code point offset). Made once per text and shared by every `WordStarts` (deaths.py and
/// relationships.py search the same lower-cased text with several prefix lists), so that each
/// `find` walks only the words opening with its prefixes' first letters, not the whole text.
struct WordIndex {
    by_first: Vec<Vec<(u32, u32)>>,
}

impl WordIndex {
    /// None for a text of 4 GiB or more (the offsets are u32, to halve the index).
    fn build(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        u32::try_from(b.len()).ok()?;
        let mut by_first = vec![Vec::new(); 128];
        let mut chars = 0u32; // code points up to and with i
        let mut prev_word = false; // is the byte before i an ASCII word character
        for (i, &c) in b.iter().enumerate() {
            // branch-free but for word starts: a continuation byte counts no code point
            chars += u32::from(c & 0xC0 != 0x80);
            let word = ASCII_WORD[c as usize];
            if word && !prev_word {
                by_first[c as usize].push((i as u32, chars - 1));
            }
            prev_word = word;
        }
        Some(Self { by_first })
    }
}

/// The index of the last text `find` was given, with a reference that keeps that very string
/// alive: the same object (pointer) is then the same text.
static LAST_INDEX: Mutex<Option<(Py<PyString>, Arc<WordIndex>)>> = Mutex::new(None);

fn index_of(text: &Bound<'_, PyString>, s: &str) -> Option<Arc<WordIndex>> {
    let mut last = LAST_INDEX.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((t, index)) = last.as_ref() {
        if t.as_ptr() == text.as_ptr() {
            return Some(index.clone());
        }
    }
    let index = Arc::new(WordIndex::build(s)?);
    // the old entry is dropped here, while attached to the interpreter
    *last = Some((text.clone().unbind(), index.clone()));
    Some(index)
}

impl WordStarts {
    /// The matcher, or the prefix that is empty or not ASCII (kept free of Python types, so that
    /// `cargo test` links without libpython).
    fn from_prefixes(prefixes: Vec<(String, bool)>) -> Result<Self, String> {
        let mut by_first = vec![Vec::new(); 128];
        for (p, space) in prefixes {
            let b = p.as_bytes();
            if b.is_empty() || !p.is_ascii() {
                return Err(p);
            }
            by_first[b[0] as usize].push((b[1..].to_vec(), space));
        }
        Ok(Self { by_first })
    }

    /// Whether every prefix opens with an ASCII word character, so that [`WordIndex`] holds all
    /// the places [`Self::places`] would find.
    fn indexable(&self) -> bool {
        self.by_first
            .iter()
            .enumerate()
            .all(|(c, alts)| alts.is_empty() || is_ascii_word(char::from(c as u8)))
    }

    /// [`Self::places`] from the text's index: the same places, in order.
    fn places_indexed(&self, s: &str, index: &WordIndex) -> Vec<(usize, usize)> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        for (c, alts) in self.by_first.iter().enumerate() {
            if alts.is_empty() {
                continue;
            }
            for &(i, chars) in &index.by_first[c] {
                let (i, chars) = (i as usize, chars as usize);
                if let Some(end) = Self::end_at(alts, s, b, i, chars) {
                    out.push((chars, end));
                }
            }
        }
        out.sort_unstable(); // each place is in one bucket: no two share an offset
        out
    }

    /// Where the shortest of `alts` (and its whitespace) ends for a word opening at byte `i`,
    /// code point `chars`; None when none is there.
    fn end_at(
        alts: &[(Vec<u8>, bool)],
        s: &str,
        b: &[u8],
        i: usize,
        chars: usize,
    ) -> Option<usize> {
        let mut end = None;
        for (rest, space) in alts {
            let q = i + 1 + rest.len();
            if q > b.len() || &b[i + 1..q] != rest.as_slice() {
                continue;
            }
            // the rest is ASCII: as many code points as bytes
            let mut e = chars + 1 + rest.len();
            if *space {
                match s[q..].chars().next() {
                    Some(w) if is_python_space(w) => e += 1,
                    _ => continue,
                }
            }
            end = Some(end.map_or(e, |x: usize| x.min(e)));
        }
        end
    }

    /// Every place in `s` where a word opens with a prefix, as (code point offset, code point
    /// offset where the shortest such prefix and its whitespace end), in order. UTF-8 is read as
    /// bytes: an ASCII byte is an ASCII character, and the byte before a place is ASCII exactly
    /// when the character before it is.
    fn places(&self, s: &str) -> Vec<(usize, usize)> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut chars = 0; // code points before i
        for i in 0..b.len() {
            let c = b[i];
            if c & 0xC0 == 0x80 {
                continue; // inside a character
            }
            chars += 1;
            if c >= 0x80 {
                continue;
            }
            let alts = &self.by_first[c as usize];
            if alts.is_empty() || (i > 0 && is_ascii_word(char::from(b[i - 1]))) {
                continue;
            }
            if let Some(end) = Self::end_at(alts, s, b, i, chars - 1) {
                out.push((chars - 1, end));
            }
        }
        out
    }
}

#[pymethods]
impl WordStarts {
    /// `prefixes`: (ASCII prefix, whether one whitespace character must follow it).
    #[new]
    fn new(prefixes: Vec<(String, bool)>) -> PyResult<Self> {
        Self::from_prefixes(prefixes).map_err(pyo3::exceptions::PyValueError::new_err)
    }

    /// For each `(lo, hi)` of `spans`, the places in `text[lo:hi]` where a word opens with a
    /// prefix (the prefix and its whitespace ending by `hi`), in order. None when `text` has no
    /// UTF-8 (a lone surrogate): then Python searches.
    fn find(
        &self,
        text: &Bound<'_, PyString>,
        spans: Vec<(usize, usize)>,
    ) -> Option<Vec<Vec<usize>>> {
        let s = text.to_str().ok()?;
        let places = match self.indexable().then(|| index_of(text, s)).flatten() {
            Some(index) => self.places_indexed(s, &index),
            None => self.places(s),
        };
        Some(in_spans(&places, &spans))
    }
}

/// The places of each span: in `[lo, hi)`, their prefix ending by `hi`.
fn in_spans(all: &[(usize, usize)], spans: &[(usize, usize)]) -> Vec<Vec<usize>> {
    spans
        .iter()
        .map(|&(lo, hi)| {
            let k = all.partition_point(|&(p, _)| p < lo);
            all[k..]
                .iter()
                .take_while(|&&(p, _)| p < hi)
                .filter(|&&(_, end)| end <= hi)
                .map(|&(p, _)| p)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(prefixes: &[(&str, bool)], s: &str, spans: &[(usize, usize)]) -> Vec<usize> {
        let w =
            WordStarts::from_prefixes(prefixes.iter().map(|&(p, b)| (p.to_string(), b)).collect())
                .unwrap();
        in_spans(&w.places(s), spans).concat()
    }

    #[test]
    fn word_starts_only() {
        let p = [("kiss", false), ("i", true), ("he", false)];
        let s = "kissed; a kiss, akiss i\u{a0}x hi i he\u{e9}he";
        assert_eq!(
            find(&p, s, &[(0, s.chars().count())]),
            [0, 10, 22, 29, 31, 34]
        );
        // the prefix and its space must end within the span; the character before may not
        assert_eq!(find(&p, s, &[(1, 14), (22, 23)]), [10]);
    }

    #[test]
    fn the_index_finds_the_places_of_the_scan() {
        let p = [
            ("kiss", false),
            ("i", true),
            ("he", false),
            ("h", true),
            ("_x", false),
        ];
        let w = WordStarts::from_prefixes(p.iter().map(|&(p, b)| (p.to_string(), b)).collect())
            .unwrap();
        assert!(w.indexable());
        let parts = [
            "kiss", "i", "he", "h", "_x", "a", " ", "\u{a0}", "\u{e9}", "\u{2003}", ".", "\n", "9",
        ];
        let mut seed = 12345u64;
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            let index = WordIndex::build(&s).unwrap();
            assert_eq!(w.places_indexed(&s, &index), w.places(&s), "{s:?}");
        }
        let q = WordStarts::from_prefixes(vec![("'s".to_string(), false)]).unwrap();
        assert!(!q.indexable());
    }
}
