//! Canon-term counting of who/fandom.py (`canon_terms`): the n-gram lookup over a range's words.
//!
//! An ASCII word is folded here (`fold` is `str.lower()` on ASCII); any other word is folded by
//! the Python `fold` given at construction, so every key is Python's own.

use std::collections::{HashMap, HashSet};

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

#[pyclass(module = "forewarn._native")]
pub struct CanonTerms {
    terms: HashSet<String>,
    firsts: HashSet<String>,
    prefixes: HashSet<String>,
    max_words: usize,
    fold: Py<PyAny>,
}

#[pymethods]
impl CanonTerms {
    #[new]
    fn new(
        terms: HashSet<String>,
        firsts: HashSet<String>,
        prefixes: HashSet<String>,
        max_words: usize,
        fold: Py<PyAny>,
    ) -> Self {
        Self {
            terms,
            firsts,
            prefixes,
            max_words,
            fold,
        }
    }

    /// The terms found in one range's `WORD_RE` words, each with its count, in the order they are
    /// first found; None when a word is not a str Python could give as UTF-8.
    fn count<'py>(&self, words: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyList>>> {
        let py = words.py();
        let items: Vec<Bound<'py, PyString>> = words
            .try_iter()?
            .map(|w| Ok(w?.cast_into::<PyString>()?))
            .collect::<PyResult<_>>()?;
        let mut raw: Vec<&str> = Vec::with_capacity(items.len());
        for w in &items {
            let Ok(s) = w.to_str() else {
                return Ok(None);
            };
            raw.push(s);
        }
        // each distinct word folded once, "'s" cut: folded[ids[i]] is raw[i]'s key
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut folded: Vec<String> = Vec::new();
        let mut starts: Vec<bool> = Vec::new();
        let mut ids = Vec::with_capacity(raw.len());
        for (k, &w) in raw.iter().enumerate() {
            let id = match index.get(w) {
                Some(&id) => id,
                None => {
                    let mut f = if w.is_ascii() {
                        w.to_ascii_lowercase()
                    } else {
                        self.fold
                            .bind(py)
                            .call1((&items[k],))?
                            .extract::<String>()?
                    };
                    if f.ends_with("'s") {
                        f.truncate(f.len() - 2);
                    }
                    starts.push(self.firsts.contains(&f));
                    folded.push(f);
                    index.insert(w, folded.len() - 1);
                    folded.len() - 1
                }
            };
            ids.push(id);
        }
        let mut order: Vec<&str> = Vec::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut gram = String::new();
        for i in 0..ids.len() {
            if !starts[ids[i]] {
                continue;
            }
            // the longest term starting here: grow the n-gram while it is a prefix of some term
            gram.clear();
            gram.push_str(&folded[ids[i]]);
            let mut ends = vec![gram.len()];
            let stop = i.saturating_add(self.max_words).min(ids.len());
            for &x in &ids[(i + 1).min(stop)..stop] {
                gram.push(' ');
                gram.push_str(&folded[x]);
                if !self.prefixes.contains(gram.as_str()) {
                    break;
                }
                ends.push(gram.len());
            }
            if let Some(&end) = ends
                .iter()
                .rev()
                .find(|&&e| self.terms.contains(&gram[..e]))
            {
                let term = self
                    .terms
                    .get(&gram[..end])
                    .map(String::as_str)
                    .unwrap_or_default();
                let n = counts.entry(term).or_insert(0);
                if *n == 0 {
                    order.push(term);
                }
                *n += 1;
            }
        }
        let out = PyList::empty(py);
        for term in order {
            out.append(PyTuple::new(
                py,
                [
                    term.into_pyobject(py)?.into_any(),
                    counts[term].into_pyobject(py)?.into_any(),
                ],
            )?)?;
        }
        Ok(Some(out))
    }
}
