//! Where a who-pattern can start: the places of a text where a word opens with one of a list of
//! literal prefixes (who/deaths.py, who/relationships.py).
//!
//! A pre-filter, not a matcher: Python tries its own regex at each place found here, and the
//! places are a superset of where that regex can match, so the answers are Python's by
//! construction. A place is kept when the prefix is there (ASCII, compared as is: the haystack is
//! the lower-cased text) and the character before it is not an ASCII word character; a non-ASCII
//! character before it is kept too, since whether it is `\w` is the regex's to decide. Offsets are
//! Python's: code points, not UTF-8 bytes.

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
            let mut end = usize::MAX;
            for (rest, space) in alts {
                let q = i + 1 + rest.len();
                if q > b.len() || &b[i + 1..q] != rest.as_slice() {
                    continue;
                }
                // the rest is ASCII: as many code points as bytes
                let mut e = chars + rest.len();
                if *space {
                    match s[q..].chars().next() {
                        Some(w) if is_python_space(w) => e += 1,
                        _ => continue,
                    }
                }
                end = end.min(e);
            }
            if end != usize::MAX {
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
        Some(in_spans(&self.places(text.to_str().ok()?), &spans))
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
}
