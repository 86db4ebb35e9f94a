//! The paragraphs and sentences of a story range (who/text.py: `paragraphs`, `sentences`).
//!
//! A hand-written scanner for the two patterns in [`PATTERNS`]; who/text.py uses it only while
//! its patterns are these very strings, so a change there falls back to Python instead of drifting.
//! The only Unicode rule involved is whitespace (`\s`, `\S`, `str.strip`), all three
//! `Py_UNICODE_ISSPACE`, i.e. [`is_python_space`], which tests/test_native_text.py checks against
//! `str.isspace` on every code point; the rest are literal ASCII and quote characters. Offsets
//! given back are Python's: code points, not UTF-8 bytes.

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::pytext::{is_python_space, is_sentence_mark};

/// (`_PARA_RE`, `_SENT_END_RE`) of who/text.py, exactly the rules scanned here.
pub const PATTERNS: (&str, &str) = (
    "\\n\\s*\\n|\\n(?=[ \\t]*\\S)",
    "[.!?\u{2026}\\\"\u{201d}](?:(?<=[.!?\u{2026}])[.!?\u{2026}]*+(?:[\"'\u{201d}\u{2019})\\]]*+\
     (?=\\s+[\\\"'\u{201c}\u{2018}(\\[]?[A-Z0-9]|\\s*$)())?|(?<=[\\\"\u{201d}])(?=\\s*\\n)())",
);

/// `[\"'”’)\]]`: SENTENCE_CLOSERS.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']')
}

/// `[\"'“‘(\[]`: what may open the next sentence before its capital.
fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}' | '(' | '[')
}

/// Paragraphs and sentences: (start, end) code-point offsets into the range.
type Layout = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// A story range as code points: bytes for ASCII text, chars otherwise.
struct Scan<'a, C> {
    s: &'a [C],
}

impl<C: Copy + Into<char>> Scan<'_, C> {
    fn at(&self, i: usize) -> char {
        self.s[i].into()
    }

    fn space(&self, i: usize) -> bool {
        is_python_space(self.at(i))
    }

    /// `trim` (text_cues.py): `[a, b)` without the whitespace at either end.
    fn trim(&self, mut a: usize, mut b: usize) -> (usize, usize) {
        while a < b && self.space(a) {
            a += 1;
        }
        while b > a && self.space(b - 1) {
            b -= 1;
        }
        (a, b)
    }

    /// The matches of `_PARA_RE`, `\n\s*\n|\n(?=[ \t]*\S)`, over the whole range.
    fn para_breaks(&self) -> Vec<(usize, usize)> {
        let n = self.s.len();
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            if self.at(i) != '\n' {
                i += 1;
                continue;
            }
            // \s* backs off to the last \n of the whitespace run after this one
            let mut j = i + 1;
            let mut last_nl = None;
            while j < n && self.space(j) {
                if self.at(j) == '\n' {
                    last_nl = Some(j);
                }
                j += 1;
            }
            if let Some(k) = last_nl {
                out.push((i, k + 1));
                i = k + 1;
                continue;
            }
            let mut j = i + 1;
            while j < n && matches!(self.at(j), ' ' | '\t') {
                j += 1;
            }
            if j < n && !self.space(j) {
                out.push((i, i + 1));
            }
            i += 1;
        }
        out
    }

    /// `paragraphs`: trimmed, blank ones dropped.
    fn paragraphs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut pos = 0;
        let take = |a: usize, b: usize, out: &mut Vec<(usize, usize)>| {
            let (a, b) = self.trim(a, b);
            if a < b {
                out.push((a, b));
            }
        };
        for (ms, me) in self.para_breaks() {
            take(pos, ms, &mut out);
            pos = me;
        }
        take(pos, self.s.len(), &mut out);
        out
    }

    /// The look-ahead after a sentence's marks and closers, bounded by the paragraph's end `b`:
    /// `\s+[\"'“‘(\[]?[A-Z0-9]|\s*$` (`$` also before a final newline: whitespace all the same).
    fn ends_sentence(&self, q: usize, b: usize) -> bool {
        let mut j = q;
        while j < b && self.space(j) {
            j += 1;
        }
        if j == b {
            return true;
        }
        if j == q {
            return false;
        }
        let mut c = self.at(j);
        if is_opener(c) {
            if j + 1 == b {
                return false;
            }
            c = self.at(j + 1);
        }
        c.is_ascii_uppercase() || c.is_ascii_digit()
    }

    /// The ends of the sentences of the paragraph `[a, b)`: the `_SENT_END_RE` matches that set
    /// a group, as `finditer` finds them (a run of marks is taken whole, possessively).
    fn sentence_ends(&self, a: usize, b: usize, out: &mut Vec<usize>) {
        let mut i = a;
        while i < b {
            let c = self.at(i);
            if is_sentence_mark(c) {
                let mut r = i + 1;
                while r < b && is_sentence_mark(self.at(r)) {
                    r += 1;
                }
                let mut q = r;
                while q < b && is_closer(self.at(q)) {
                    q += 1;
                }
                if self.ends_sentence(q, b) {
                    out.push(q);
                    i = q;
                } else {
                    i = r; // the run matched with no group set: skipped
                }
            } else if matches!(c, '"' | '\u{201d}') {
                // (?=\s*\n): a line break in the whitespace after the quote
                let mut j = i + 1;
                while j < b && self.space(j) && self.at(j) != '\n' {
                    j += 1;
                }
                if j < b && self.at(j) == '\n' {
                    out.push(i + 1);
                }
                i += 1;
            } else {
                i += 1;
            }
        }
    }

    /// `sentences` of the paragraph `[a, b)`, appended to `out`.
    fn sentences(&self, a: usize, b: usize, ends: &mut Vec<usize>, out: &mut Vec<(usize, usize)>) {
        ends.clear();
        self.sentence_ends(a, b, ends);
        let mut pos = a;
        for &end in ends.iter() {
            if end > pos {
                let (s, e) = self.trim(pos, end);
                if s < e {
                    out.push((s, e));
                    pos = end;
                }
            }
        }
        if pos < b {
            let (s, e) = self.trim(pos, b);
            if s < e {
                out.push((s, e));
            }
        }
    }

    fn layout(&self) -> Layout {
        let paras = self.paragraphs();
        let mut sents = Vec::with_capacity(paras.len() * 4);
        let mut ends = Vec::new();
        for &(a, b) in &paras {
            self.sentences(a, b, &mut ends, &mut sents);
        }
        (paras, sents)
    }
}

/// The paragraphs and sentences of `text[a:b]` for a string, by code point.
fn layout_str(s: &str) -> Layout {
    if s.is_ascii() {
        Scan { s: s.as_bytes() }.layout()
    } else {
        let chars: Vec<char> = s.chars().collect();
        Scan { s: &chars[..] }.layout()
    }
}

/// Every character [`is_python_space`] takes for whitespace, for the tests to check against Python.
#[pyfunction]
pub fn who_text_spaces() -> String {
    (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| is_python_space(c))
        .collect()
}

/// `_layout` of one story range: `text` is `Work.text[lo:hi]`; (paragraphs, sentences) as lists
/// of `span(start, end)` with offsets into `Work.text`, or None for text Python must do (a lone
/// surrogate, which has no UTF-8).
#[pyfunction]
pub fn who_layout<'py>(
    text: &Bound<'py, PyString>,
    lo: usize,
    span: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let py = text.py();
    let Ok(s) = text.to_str() else {
        return Ok(None);
    };
    let (paras, sents) = layout_str(s);
    let spans = |v: Vec<(usize, usize)>| -> PyResult<Bound<'py, PyList>> {
        let items = v
            .into_iter()
            .map(|(a, b)| span.call1((lo + a, lo + b)))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    };
    Ok(Some(PyTuple::new(
        py,
        [spans(paras)?.into_any(), spans(sents)?.into_any()],
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str, v: &[(usize, usize)]) -> Vec<String> {
        let c: Vec<char> = s.chars().collect();
        v.iter().map(|&(a, b)| c[a..b].iter().collect()).collect()
    }

    #[test]
    fn paragraphs_and_sentences() {
        let s = " Hi. Bob said \u{201c}No!\u{201d} Then.\n\n  \n\tNext one... and 2 more? 3 left\u{2026}\n";
        let (p, t) = layout_str(s);
        assert_eq!(
            texts(s, &p),
            [
                "Hi. Bob said \u{201c}No!\u{201d} Then.",
                "Next one... and 2 more? 3 left\u{2026}"
            ]
        );
        assert_eq!(
            texts(s, &t),
            [
                "Hi.",
                "Bob said \u{201c}No!\u{201d}",
                "Then.",
                "Next one... and 2 more?",
                "3 left\u{2026}"
            ]
        );
    }

    #[test]
    fn a_quote_before_a_line_break_ends_a_sentence() {
        let s = "\"Go\"\nhe said\n  and \"left\" \r\n";
        let (p, t) = layout_str(s);
        assert_eq!(texts(s, &p), ["\"Go\"", "he said", "and \"left\""]);
        assert_eq!(texts(s, &t), ["\"Go\"", "he said", "and \"left\""]);
        // a lone line break before other whitespace splits no paragraph
        let s = "a\n\rb";
        assert_eq!(texts(s, &layout_str(s).0), ["a\n\rb"]);
    }
}
