//! The passage classifier's per-token work (detectors/features.py): `normalise` + `TOKEN`, the
//! keyword hits, the `kw_words` pseudo-tokens and their crc32 columns, one passage at a time.
//!
//! Exact by construction: `TOKEN` only matches ASCII, so a character matters only through the
//! ASCII character `normalise` maps it to ([`token_char`], pinned against Python on every code
//! point by tests/test_native_features.py); which warnings a token starts a keyword of is asked of
//! Python's own `warnings_of` once per distinct token and remembered. Offsets are code points.

use std::collections::{HashMap, HashSet};

use pyo3::prelude::*;

const CACHE_LIMIT: usize = 1 << 18; // distinct tokens remembered; cleared when full
const CACHED_TOKEN_BYTES: usize = 64; // longer tokens are looked up afresh each time
const NOT_ASCII: u8 = 0x80; // a character that normalises to no ASCII character: in no token

/// The ASCII character `normalise` maps `c` to (`c.lower()[:1]`, quote marks to '), if any.
pub fn token_char(c: char) -> Option<u8> {
    match c {
        '"' => Some(b'\''),
        '\0'..='\x7f' => Some((c as u8).to_ascii_lowercase()),
        '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' => Some(b'\''),
        '\u{130}' => Some(b'i'),  // "İ".lower() is "i" + a combining dot
        '\u{212a}' => Some(b'k'), // the Kelvin sign
        _ => None,
    }
}

/// zlib's crc32 (the reflected IEEE polynomial), as `zlib.crc32` computes it.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |c, &b| {
        CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8)
    })
}

/// One `TOKEN` match: bytes `start..end` of the normalised text, which are also its code points.
#[derive(Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
}

fn is_punct(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'!' | b'?' | b',' | b';' | b':' | b'\'' | b'"' | b'-'
    )
}

/// `normalise(text)` as one byte per code point (ASCII, or [`NOT_ASCII`]).
fn normalise_into(text: &str, norm: &mut Vec<u8>) {
    norm.clear();
    if text.is_ascii() {
        // One byte per code point already: only upper case and '"' change.
        norm.extend(text.bytes().map(|b| match b {
            b'"' => b'\'',
            _ => b.to_ascii_lowercase(),
        }));
    } else {
        norm.extend(text.chars().map(|c| token_char(c).unwrap_or(NOT_ASCII)));
    }
}

/// `TOKEN.finditer` on the normalised bytes: `[a-z0-9]+(?:'[a-z]+)?|[.!?,;:'"-]`. The alphanumeric
/// run is maximal, so the optional part never needs to give any of it back.
fn scan_tokens(norm: &[u8], out: &mut Vec<Tok>) {
    out.clear();
    let n = norm.len();
    let mut i = 0;
    while i < n {
        let b = norm[i];
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            let start = i;
            while i < n && (norm[i].is_ascii_lowercase() || norm[i].is_ascii_digit()) {
                i += 1;
            }
            if i + 1 < n && norm[i] == b'\'' && norm[i + 1].is_ascii_lowercase() {
                i += 2;
                while i < n && norm[i].is_ascii_lowercase() {
                    i += 1;
                }
            }
            out.push(Tok { start, end: i });
        } else {
            if is_punct(b) {
                out.push(Tok {
                    start: i,
                    end: i + 1,
                });
            }
            i += 1;
        }
    }
}

fn ascii(bytes: &[u8]) -> &str {
    // Tokens hold only ASCII letters, digits and punctuation.
    std::str::from_utf8(bytes).expect("tokens are ASCII")
}

/// What `kw_words` asks of a token, once per distinct token: its warnings' row bits and flags.
#[derive(Clone, Copy)]
struct Info {
    rows: u64,
    flags: u16,
}

/// The context flags of `kw_words`, in its order; bit `i` of [`Info::flags`] is `FLAG_NAMES[i]`.
const FLAG_NAMES: [&str; 6] = ["modal", "neg", "p1", "p2", "p3", "past"];
const PAST: u16 = 1 << 5;
const ALNUM: u16 = 1 << 6; // `str.isalnum()`: a `ctx_` pseudo-token
const QUOTE: u16 = 1 << 7; // a lone "'": counts towards `inquote`

/// One scored warning of a passage: (row, feature columns, cue, cue offset, window start, end).
type Scored = (usize, Vec<u32>, String, usize, usize, usize);

#[pyclass(module = "forewarn._native")]
pub struct KeywordFeatures {
    rows: HashMap<String, u64>, // a warning's row bits
    warnings_of: Py<PyAny>,
    cache: HashMap<Box<[u8]>, Info>,
    /// `kw_words`' word sets in the order of [`FLAG_NAMES`]: MODAL, NEG, P1, P2, P3, PAST.
    word_sets: [HashSet<String>; 6],
    window: usize,
    max_hits: usize,
    nhits_cap: usize,
    n_features: u32,
    norm: Vec<u8>,
    toks: Vec<Tok>,
    info: Vec<Info>,
}

impl KeywordFeatures {
    /// Tokenise `text` into `self.norm`/`self.toks` and, with `info`, each token's [`Info`].
    fn tokenise(&mut self, py: Python<'_>, text: &str, info: bool) -> PyResult<()> {
        normalise_into(text, &mut self.norm);
        scan_tokens(&self.norm, &mut self.toks);
        self.info.clear();
        if !info {
            return Ok(());
        }
        for tok in &self.toks {
            let token = &self.norm[tok.start..tok.end];
            let found = match self.cache.get(token) {
                Some(&found) => found,
                None => {
                    // The rows whose warning `token` starts a keyword of: Python's `warnings_of`.
                    let names: Vec<String> =
                        self.warnings_of.call1(py, (ascii(token),))?.extract(py)?;
                    let rows = names
                        .iter()
                        .filter_map(|w| self.rows.get(w))
                        .fold(0u64, |m, &r| m | r);
                    let word = ascii(token);
                    let mut flags = 0;
                    for (bit, set) in self.word_sets.iter().enumerate() {
                        if set.contains(word) {
                            flags |= 1 << bit;
                        }
                    }
                    if word.ends_with("ed") {
                        flags |= PAST;
                    }
                    if token.iter().all(u8::is_ascii_alphanumeric) {
                        flags |= ALNUM; // tokens are never empty
                    }
                    if word == "'" {
                        flags |= QUOTE;
                    }
                    let found = Info { rows, flags };
                    // Long tokens are not remembered: the cache's size stays bounded on hostile text.
                    if token.len() <= CACHED_TOKEN_BYTES {
                        if self.cache.len() >= CACHE_LIMIT {
                            self.cache.clear();
                        }
                        self.cache.insert(token.into(), found);
                    }
                    found
                }
            };
            self.info.push(found);
        }
        Ok(())
    }

    fn word(&self, k: usize) -> &[u8] {
        let Tok { start, end } = self.toks[k];
        &self.norm[start..end]
    }

    /// `feature_indices(kw_words(words, found))`: sorted, distinct columns.
    fn columns(&self, found: &[usize]) -> Vec<u32> {
        let n = self.toks.len();
        let mut cols = Vec::new();
        let mut buf: Vec<u8> = Vec::with_capacity(64);
        let mut add = |parts: &[&[u8]], cols: &mut Vec<u32>| {
            buf.clear();
            for p in parts {
                buf.extend_from_slice(p);
            }
            cols.push(crc32(&buf) % self.n_features);
        };
        let nhits = found.len().min(self.nhits_cap).to_string();
        add(&[b"nhits_", nhits.as_bytes()], &mut cols);
        let mut quotes = 0usize;
        let mut next_token = 0;
        for &i in found.iter().take(self.max_hits) {
            if next_token < i {
                quotes += self.info[next_token..i]
                    .iter()
                    .filter(|t| t.flags & QUOTE != 0)
                    .count();
                next_token = i;
            }
            let k = self.word(i);
            let lo = i.saturating_sub(self.window);
            let hi = n.min(i + self.window + 1);
            add(&[b"kw_", k], &mut cols);
            if i > 0 {
                add(&[b"L_", self.word(i - 1), b"_", k], &mut cols);
            }
            if i + 1 < n {
                add(&[b"R_", k, b"_", self.word(i + 1)], &mut cols);
            }
            let mut near = 0u16;
            for j in (lo..i).chain(i + 1..hi) {
                let flags = self.info[j].flags;
                if flags & ALNUM != 0 {
                    add(&[b"ctx_", self.word(j)], &mut cols);
                }
                near |= flags;
            }
            for (bit, name) in FLAG_NAMES.iter().enumerate() {
                if near >> bit & 1 == 1 {
                    add(&[name.as_bytes()], &mut cols);
                }
            }
            if quotes % 2 == 1 {
                add(&[b"inquote"], &mut cols);
            }
        }
        cols.sort_unstable();
        cols.dedup();
        cols
    }
}

#[pymethods]
impl KeywordFeatures {
    /// `warnings`: the rows, in order (at most 64); `warnings_of(token)`: the warnings `token`
    /// starts a keyword of; the word sets and sizes of features.py's `kw_words`.
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        warnings: Vec<String>,
        warnings_of: Py<PyAny>,
        modal: HashSet<String>,
        neg: HashSet<String>,
        p1: HashSet<String>,
        p2: HashSet<String>,
        p3: HashSet<String>,
        past: HashSet<String>,
        window: usize,
        max_hits: usize,
        nhits_cap: usize,
        n_features: u32,
    ) -> PyResult<Self> {
        if warnings.len() > 64 || n_features == 0 {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "at most 64 warnings and at least one feature",
            ));
        }
        let mut rows = HashMap::new();
        for (r, w) in warnings.into_iter().enumerate() {
            *rows.entry(w).or_insert(0u64) |= 1 << r;
        }
        Ok(Self {
            rows,
            warnings_of,
            cache: HashMap::new(),
            word_sets: [modal, neg, p1, p2, p3, past],
            window,
            max_hits,
            nhits_cap,
            n_features,
            norm: Vec::new(),
            toks: Vec::new(),
            info: Vec::new(),
        })
    }

    /// `tokenize(text)`: (token, code-point offset) for each `TOKEN` match of `normalise(text)`.
    fn tokens(&mut self, py: Python<'_>, text: &str) -> PyResult<Vec<(String, usize)>> {
        self.tokenise(py, text, false)?;
        Ok((0..self.toks.len())
            .map(|k| (ascii(self.word(k)).to_owned(), self.toks[k].start))
            .collect())
    }

    /// The indices of the tokens of `text` that start a keyword of row `row`'s warning.
    fn hits(&mut self, py: Python<'_>, text: &str, row: usize) -> PyResult<Vec<usize>> {
        self.tokenise(py, text, true)?;
        Ok((0..self.info.len())
            .filter(|&k| row < 64 && self.info[k].rows >> row & 1 == 1)
            .collect())
    }

    /// For each row set in `wanted`, in row order, whose warning has a keyword hit in `text`: (row,
    /// the feature columns of its first hits, the first hit's token, its offset, and the offsets
    /// where the tokens `context` either side of it start and end).
    fn scan(
        &mut self,
        py: Python<'_>,
        text: &str,
        wanted: u64,
        context: usize,
    ) -> PyResult<Vec<Scored>> {
        self.tokenise(py, text, true)?;
        let any = self.info.iter().fold(0u64, |a, t| a | t.rows) & wanted;
        let hits_used = self.max_hits.max(self.nhits_cap);
        let mut out = Vec::new();
        for row in (0..64).filter(|r| any >> r & 1 == 1) {
            let found: Vec<usize> = (0..self.info.len())
                .filter(|&k| self.info[k].rows >> row & 1 == 1)
                .take(hits_used)
                .collect();
            let first = found[0];
            let lo = first.saturating_sub(context);
            let hi = (self.toks.len() - 1).min(first + context);
            out.push((
                row,
                self.columns(&found),
                ascii(self.word(first)).to_owned(),
                self.toks[first].start,
                self.toks[lo].start,
                self.toks[hi].end,
            ));
        }
        Ok(out)
    }
}

/// `features.normalise(c)` for one character when that is ASCII, else None (for the test that
/// pins [`token_char`] against Python on every code point).
#[pyfunction]
pub fn token_ascii(c: char) -> Option<char> {
    token_char(c).map(char::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut norm = Vec::new();
        let mut toks = Vec::new();
        normalise_into(text, &mut norm);
        scan_tokens(&norm, &mut toks);
        toks.iter()
            .map(|t| (ascii(&norm[t.start..t.end]).to_owned(), t.start))
            .collect()
    }

    #[test]
    fn crc32_is_zlibs() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"kw_stabbed") % (1 << 16), 6526);
    }

    #[test]
    fn tokens_and_code_point_offsets() {
        let got = tokens("\u{201c}D\u{e9}n't,\u{201d} \u{130}t ab'c9'ef");
        let want = [
            ("'", 0),
            ("d", 1),
            ("n't", 3),
            (",", 6),
            ("'", 7),
            ("it", 9),
            ("ab'c", 12),
            ("9'ef", 16),
        ];
        let want: Vec<(String, usize)> = want.iter().map(|&(t, o)| (t.to_owned(), o)).collect();
        assert_eq!(got, want);
    }
}
