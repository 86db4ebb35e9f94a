//! The lexicon's required-strings test (detectors/lexicon/prefilter.py, `holds`) for many sets of
//! strings at once: which idioms can match in a window, which gates' strings a passage holds.
//!
//! A set is a tuple of tuples of strings and holds in a text when the text contains one string of
//! each tuple. One Aho-Corasick pass (overlapping, so no occurrence hides another) finds every
//! string the text contains; each set asked about is then answered by lookups. A string contains
//! another as code points exactly when it does as UTF-8 bytes, so the answers are `holds`' own.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// A tuple holding the empty string: `str.find("")` finds it in any text.
const ALWAYS: u32 = u32::MAX;

struct Sets {
    strings: DFA,
    count: usize,             // distinct non-empty strings, the automaton's patterns
    sets: Vec<Vec<Vec<u32>>>, // per set, per tuple: pattern ids (or [ALWAYS])
}

impl Sets {
    fn new(sets: Vec<Vec<Vec<String>>>) -> Result<Self, String> {
        let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut compiled = Vec::with_capacity(sets.len());
        for set in sets {
            let mut tuples = Vec::with_capacity(set.len());
            for strings in set {
                if strings.iter().any(String::is_empty) {
                    tuples.push(vec![ALWAYS]);
                    continue;
                }
                let tuple = strings
                    .into_iter()
                    .map(|s| {
                        *ids.entry(s).or_insert_with_key(|s| {
                            patterns.push(s.clone());
                            (patterns.len() - 1) as u32
                        })
                    })
                    .collect();
                tuples.push(tuple);
            }
            compiled.push(tuples);
        }
        let strings = DFA::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            strings,
            count: patterns.len(),
            sets: compiled,
        })
    }

    /// The positions in `asked` (set indices; all sets when None) of the sets that hold in `text`.
    fn holding(&self, text: &str, asked: Option<&[usize]>) -> Result<Vec<usize>, String> {
        if let Some(&bad) = asked.and_then(|a| a.iter().find(|&&i| i >= self.sets.len())) {
            return Err(format!("no set {bad}"));
        }
        // The automaton walked byte by byte, every pattern of each match state marked: what an
        // overlapping search reports, without a match object per occurrence.
        let mut found = vec![false; self.count];
        let dfa = &self.strings;
        let mut sid = dfa.start_state(Anchored::No).map_err(|e| e.to_string())?;
        for &b in text.as_bytes() {
            sid = dfa.next_state(Anchored::No, sid, b);
            if dfa.is_special(sid) && dfa.is_match(sid) {
                for i in 0..dfa.match_len(sid) {
                    found[dfa.match_pattern(sid, i).as_usize()] = true;
                }
            }
        }
        let holds = |set: &Vec<Vec<u32>>| {
            set.iter()
                .all(|tuple| tuple.iter().any(|&p| p == ALWAYS || found[p as usize]))
        };
        Ok(match asked {
            Some(asked) => asked
                .iter()
                .enumerate()
                .filter(|&(_, &i)| holds(&self.sets[i]))
                .map(|(k, _)| k)
                .collect(),
            None => (0..self.sets.len())
                .filter(|&i| holds(&self.sets[i]))
                .collect(),
        })
    }
}

#[pyclass(module = "forewarn._native", frozen)]
pub struct LiteralSets {
    sets: Sets,
}

#[pymethods]
impl LiteralSets {
    /// `sets`: each a list of lists of strings, as `prefilter.holds` takes them.
    #[new]
    fn new(sets: Vec<Vec<Vec<String>>>) -> PyResult<Self> {
        Ok(Self {
            sets: Sets::new(sets).map_err(PyValueError::new_err)?,
        })
    }

    /// The positions in `asked` (indices of sets; every set when None) of the sets that hold in
    /// `text`, in order; None for a text Rust cannot read (a lone surrogate).
    #[pyo3(signature = (text, asked=None))]
    fn holding(
        &self,
        text: &Bound<'_, PyString>,
        asked: Option<Vec<usize>>,
    ) -> PyResult<Option<Vec<usize>>> {
        let Ok(s) = text.to_str() else {
            return Ok(None);
        };
        self.sets
            .holding(s, asked.as_deref())
            .map(Some)
            .map_err(PyValueError::new_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(xs: &[&[&[&str]]]) -> Sets {
        Sets::new(
            xs.iter()
                .map(|set| {
                    set.iter()
                        .map(|t| t.iter().map(|s| s.to_string()).collect())
                        .collect()
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn every_tuple_needs_one_string() {
        let s = sets(&[
            &[&["dying"]],
            &[&["blood", "gore"], &["pool"]],
            &[&["ab"], &["bc"]], // overlapping occurrences both count
            &[],                 // no tuples: holds anywhere
            &[&["", "zzz"]],     // the empty string is in every text
            &[&["é"]],
        ]);
        assert_eq!(s.holding("a pool of gore", None).unwrap(), [1, 3, 4]);
        assert_eq!(s.holding("abc dying", None).unwrap(), [0, 2, 3, 4]);
        assert_eq!(s.holding("", None).unwrap(), [3, 4]);
        assert_eq!(s.holding("café", Some(&[5, 0, 5])).unwrap(), [0, 2]);
        assert_eq!(s.holding("gore pool", Some(&[1])).unwrap(), [0]);
        assert!(s.holding("x", Some(&[6])).is_err());
    }
}
