//! BERT's uncased word pieces and the static embedding's sums (detectors/static_embedding.py).
//!
//! ASCII tokens, nearly every token of English fan fiction, are split here; a token with any
//! other character goes to the Python splitter given at construction, which holds the Unicode
//! rules (NFD, categories) of the interpreter itself, so the two can never disagree.

use std::collections::HashMap;

use half::f16;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::pytext::split_whitespace;

const MAX_WORD: usize = 100; // characters (bytes: the words here are ASCII); BERT maps a longer one to [UNK]
const CACHE_LIMIT: usize = 1 << 18; // distinct tokens remembered; cleared when full
const CACHED_TOKEN_BYTES: usize = 64; // longer tokens are split afresh each time

#[pyclass(module = "forewarn._native")]
pub struct WordPieces {
    index: HashMap<String, u32>,
    unknown: u32,
    vectors: Vec<f32>,
    dims: usize,
    cache: HashMap<String, Box<[u32]>>,
    fallback: Py<PyAny>,
    piece: String,
}

fn is_bert_punctuation(b: u8) -> bool {
    matches!(b, 33..=47 | 58..=64 | 91..=96 | 123..=126)
}

impl WordPieces {
    /// Greedy longest-match-first pieces of one basic word (ASCII).
    fn word_pieces(&mut self, word: &str, out: &mut Vec<u32>) {
        if word.len() > MAX_WORD {
            out.push(self.unknown);
            return;
        }
        let mark = out.len();
        let mut start = 0;
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                self.piece.clear();
                if start > 0 {
                    self.piece.push_str("##");
                }
                self.piece.push_str(&word[start..end]);
                if let Some(&id) = self.index.get(self.piece.as_str()) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => out.push(id),
                None => {
                    out.truncate(mark);
                    out.push(self.unknown);
                    return;
                }
            }
            start = end;
        }
    }

    /// BERT's basic tokenizer on one lower-cased ASCII token, then word pieces.
    fn ascii_token(&mut self, token: &str, out: &mut Vec<u32>) {
        let bytes = token.as_bytes();
        let mut word = String::with_capacity(bytes.len());
        for &b in bytes {
            if b < 32 || b == 127 {
                continue; // control characters are dropped
            }
            if is_bert_punctuation(b) {
                if !word.is_empty() {
                    let w = std::mem::take(&mut word);
                    self.word_pieces(&w, out);
                }
                let mut buf = [0u8; 4];
                self.word_pieces((b as char).encode_utf8(&mut buf), out);
            } else {
                word.push(b.to_ascii_lowercase() as char);
            }
        }
        if !word.is_empty() {
            self.word_pieces(&word, out);
        }
    }

    fn token_ids(&mut self, py: Python<'_>, token: &str, out: &mut Vec<u32>) -> PyResult<()> {
        if let Some(ids) = self.cache.get(token) {
            out.extend_from_slice(ids);
            return Ok(());
        }
        let mark = out.len();
        if token.is_ascii() {
            self.ascii_token(token, out);
        } else {
            let ids: Vec<u32> = self.fallback.call1(py, (token,))?.extract(py)?;
            let rows = self.vectors.len() / self.dims;
            if ids.iter().any(|&id| id as usize >= rows) {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "the fallback gave a piece id outside the table",
                ));
            }
            out.extend_from_slice(&ids);
        }
        // Long tokens are not remembered: the cache's size stays bounded on hostile text too.
        if token.len() <= CACHED_TOKEN_BYTES {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            self.cache.insert(token.to_owned(), out[mark..].into());
        }
        Ok(())
    }

    fn ids(&mut self, py: Python<'_>, text: &str) -> PyResult<Vec<u32>> {
        let mut out = Vec::with_capacity(text.len() / 4);
        for token in split_whitespace(text) {
            self.token_ids(py, token, &mut out)?;
        }
        Ok(out)
    }
}

#[pymethods]
impl WordPieces {
    /// `vocab` indexes the pieces (a piece listed twice means its last index, as in a Python
    /// dict); `vectors` is the table's float16 bytes, little-endian and row-major (`dims` per row,
    /// one row per piece); `fallback(token)` gives the piece ids of a non-ASCII token.
    #[new]
    fn new(vocab: Vec<String>, vectors: &[u8], dims: usize, fallback: Py<PyAny>) -> PyResult<Self> {
        if dims == 0
            || !vectors.len().is_multiple_of(2 * dims)
            || vectors.len() / (2 * dims) != vocab.len()
        {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "vectors do not match the vocabulary",
            ));
        }
        // float16 to float32 is exact, so sums over these equal numpy's over the float16 table.
        let vectors = vectors
            .chunks_exact(2)
            .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
            .collect();
        let index: HashMap<String, u32> = vocab
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, i as u32))
            .collect();
        let unknown = index.get("[UNK]").copied().unwrap_or(0);
        Ok(Self {
            index,
            unknown,
            vectors,
            dims,
            cache: HashMap::new(),
            fallback,
            piece: String::new(),
        })
    }

    /// The word-piece ids of `text` (whitespace-split like `str.split()`, lower-cased).
    fn piece_ids(&mut self, py: Python<'_>, text: &str) -> PyResult<Vec<u32>> {
        self.ids(py, text)
    }

    /// The sum of `text`'s piece vectors as float32 bytes, added row by row in order (as numpy's
    /// `vectors[ids].sum(0, dtype=float32)` does), or None when it has no pieces.
    fn vector_sum<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let ids = self.ids(py, text)?;
        if ids.is_empty() {
            return Ok(None);
        }
        let dims = self.dims;
        let mut total = vec![0f32; dims];
        for &id in &ids {
            let row = &self.vectors[id as usize * dims..(id as usize + 1) * dims];
            for (t, v) in total.iter_mut().zip(row) {
                *t += *v;
            }
        }
        let bytes: Vec<u8> = total.iter().flat_map(|v| v.to_le_bytes()).collect();
        Ok(Some(PyBytes::new(py, &bytes)))
    }
}
