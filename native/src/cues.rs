//! The lexicon's cue finder (detectors/lexicon/detector.py, `_candidates`): every word a cue
//! starts, as `finditer` of the compiled lexicon's `cue_regex` finds them, with the rules each
//! word can be a cue of (`_rules_for`).
//!
//! `cue_regex` is `\b(?:trie)\w*`, a full word ending on `(?!\w)`, a prefix on anything. A cue is
//! `[a-z0-9]+`, all word characters, so a match starts only where a run of word characters
//! starts (`\b`) and always ends where that run ends (`(?!\w)`, then `\w*`): the regex matches the
//! whole run when the run is a full cue word or starts with a prefix cue. Here each run is looked
//! up in a trie of the cue words instead. What a word character is comes from Python itself: the
//! build step records `\w` as code-point ranges of the interpreter it ran on (the detector
//! records them afresh on another), so the runs are Python's runs by construction. Offsets given
//! back are Python's: code points, not UTF-8 bytes.

use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

/// The characters a cue is made of, `[a-z0-9]`, as a trie's child slots.
const ALPHABET: usize = 36;
const NONE: u32 = 0; // no child (the root is never a child) / no rules

fn slot(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some((b - b'a') as usize),
        b'0'..=b'9' => Some(26 + (b - b'0') as usize),
        _ => None,
    }
}

struct Node {
    children: [u32; ALPHABET],
    full: Vec<u32>,   // rules of the cue word ending here
    prefix: Vec<u32>, // rules of the prefix cue ending here
    // Indices + 1 into `groups`: the rules of a run that ends here (`at_end`) or leaves the trie
    // here, by its next character (`at_exit`); NONE when the run is no cue.
    at_end: u32,
    at_exit: u32,
}

impl Node {
    fn new() -> Self {
        Self {
            children: [NONE; ALPHABET],
            full: Vec::new(),
            prefix: Vec::new(),
            at_end: NONE,
            at_exit: NONE,
        }
    }
}

/// The trie of cue words and Python's word characters: the matcher without its Python objects.
struct Cues {
    nodes: Vec<Node>,
    groups: Vec<Vec<u32>>, // distinct sorted lists of rule indices
    ascii_word: [bool; 128],
    word_ranges: Vec<(u32, u32)>, // non-ASCII word characters, inclusive, sorted
}

impl Cues {
    fn new(
        full: HashMap<String, Vec<u32>>,
        prefix: HashMap<String, Vec<u32>>,
        word_ranges: &[(u32, u32)],
    ) -> Result<Self, String> {
        let mut ascii_word = [false; 128];
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        let mut last: Option<u32> = None;
        for &(lo, hi) in word_ranges {
            if lo > hi || last.is_some_and(|last| last >= lo) {
                return Err("word ranges must be sorted and disjoint".into());
            }
            last = Some(hi);
            for c in lo..=hi.min(127) {
                ascii_word[c as usize] = true;
            }
            if hi >= 128 {
                ranges.push((lo.max(128), hi));
            }
        }
        let mut nodes = vec![Node::new()];
        for (is_prefix, words) in [(false, full), (true, prefix)] {
            for (word, rules) in words {
                if word.is_empty()
                    || !word
                        .bytes()
                        .all(|b| slot(b).is_some() && ascii_word[b as usize])
                {
                    return Err(format!(
                        "cue {word:?}: a cue is word characters of [a-z0-9] only"
                    ));
                }
                let mut node = 0usize;
                for b in word.bytes() {
                    let k = slot(b).expect("checked above");
                    if nodes[node].children[k] == NONE {
                        nodes.push(Node::new());
                        let child = (nodes.len() - 1) as u32;
                        nodes[node].children[k] = child;
                    }
                    node = nodes[node].children[k] as usize;
                }
                let target = if is_prefix {
                    &mut nodes[node].prefix
                } else {
                    &mut nodes[node].full
                };
                target.extend(rules);
            }
        }
        // Every prefix a run passes through counts: a node's exit rules are its parent's plus its
        // own prefix's (a parent is always made before its children).
        let mut distinct: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut group_of = |rules: Vec<u32>| -> u32 {
            if rules.is_empty() {
                return NONE;
            }
            *distinct.entry(rules).or_insert_with_key(|rules| {
                groups.push(rules.clone());
                groups.len() as u32
            })
        };
        let mut chain: Vec<Vec<u32>> = vec![Vec::new(); nodes.len()];
        for n in 0..nodes.len() {
            let own = union(&chain[n], &nodes[n].prefix);
            for k in 0..ALPHABET {
                let child = nodes[n].children[k] as usize;
                if child != 0 {
                    chain[child] = own.clone();
                }
            }
            nodes[n].at_end = group_of(union(&own, &nodes[n].full));
            nodes[n].at_exit = group_of(own);
        }
        Ok(Self {
            nodes,
            groups,
            ascii_word,
            word_ranges: ranges,
        })
    }

    fn is_word(&self, c: char) -> bool {
        let c = c as u32;
        if c < 128 {
            return self.ascii_word[c as usize];
        }
        let i = self.word_ranges.partition_point(|&(_, hi)| hi < c);
        i < self.word_ranges.len() && self.word_ranges[i].0 <= c
    }

    /// The group of rules of the run `word` (the bytes of one run of word characters), or NONE.
    fn lookup(&self, word: &[u8]) -> u32 {
        let mut node = 0usize;
        for &b in word {
            let next = slot(b).map_or(NONE, |k| self.nodes[node].children[k]);
            if next == NONE {
                return self.nodes[node].at_exit;
            }
            node = next as usize;
        }
        self.nodes[node].at_end
    }

    /// (start, end, group) of each cue word of `s`, in order; offsets in code points.
    fn find(&self, s: &str) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        let bytes = s.as_bytes();
        let mut chars = s.char_indices().peekable();
        let mut cp = 0usize; // code points before the current character
        while let Some((i, c)) = chars.next() {
            if !self.is_word(c) {
                cp += 1;
                continue;
            }
            // a run of word characters starts here, after a non-word character or the text start
            let (start, start_cp) = (i, cp);
            let mut end = i + c.len_utf8();
            cp += 1;
            while let Some(&(j, d)) = chars.peek() {
                if !self.is_word(d) {
                    break;
                }
                chars.next();
                end = j + d.len_utf8();
                cp += 1;
            }
            // a cue starts with [a-z0-9]: most runs are rejected by their first byte
            if slot(bytes[start]).is_some() {
                let group = self.lookup(&bytes[start..end]);
                if group != NONE {
                    out.push((start_cp, cp, group));
                }
            }
        }
        out
    }
}

/// Sorted, without repeats.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut v: Vec<u32> = a.iter().chain(b).copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[pyclass(module = "forewarn._native", frozen)]
pub struct CueMatcher {
    cues: Cues,
    groups: Vec<Py<PyTuple>>, // `cues.groups` as tuples, shared by every hit
}

#[pymethods]
impl CueMatcher {
    /// `full` and `prefix`: cue word (a prefix without its `*`) -> the indices of its rules;
    /// `word_ranges`: Python's `\w` as sorted inclusive code-point ranges.
    #[new]
    fn new(
        py: Python<'_>,
        full: HashMap<String, Vec<u32>>,
        prefix: HashMap<String, Vec<u32>>,
        word_ranges: Vec<(u32, u32)>,
    ) -> PyResult<Self> {
        let cues = Cues::new(full, prefix, &word_ranges).map_err(PyValueError::new_err)?;
        let groups = cues
            .groups
            .iter()
            .map(|rules| PyTuple::new(py, rules).map(Bound::unbind))
            .collect::<PyResult<_>>()?;
        Ok(Self { cues, groups })
    }

    /// `[(start, end, rules), ...]`: each match of `cue_regex.finditer(text)` as its span and the
    /// sorted indices of the rules its word can be a cue of; None for a text Rust cannot read
    /// (a lone surrogate), which goes through the regex.
    fn find<'py>(&self, text: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyList>>> {
        let py = text.py();
        let Ok(s) = text.to_str() else {
            return Ok(None);
        };
        let items = self
            .cues
            .find(s)
            .into_iter()
            .map(|(start, end, g)| (start, end, self.groups[g as usize - 1].bind(py).clone()));
        Ok(Some(PyList::new(py, items)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(full: &[(&str, &[u32])], prefix: &[(&str, &[u32])]) -> Cues {
        let map = |xs: &[(&str, &[u32])]| -> HashMap<String, Vec<u32>> {
            xs.iter()
                .map(|(w, r)| (w.to_string(), r.to_vec()))
                .collect()
        };
        // ASCII \w, then é and ß
        let ranges = [
            (48, 57),
            (65, 90),
            (95, 95),
            (97, 122),
            (0xdf, 0xdf),
            (0xe9, 0xe9),
        ];
        Cues::new(map(full), map(prefix), &ranges).unwrap()
    }

    fn spans(c: &Cues, s: &str) -> Vec<(usize, usize, Vec<u32>)> {
        c.find(s)
            .into_iter()
            .map(|(a, b, g)| (a, b, c.groups[g as usize - 1].clone()))
            .collect()
    }

    #[test]
    fn whole_runs_only() {
        let c = cues(
            &[("die", &[0]), ("died", &[1])],
            &[("kill", &[2]), ("ki", &[3])],
        );
        assert_eq!(spans(&c, "he died"), vec![(3, 7, vec![1])]);
        assert_eq!(spans(&c, "dies die_ diet die"), vec![(15, 18, vec![0])]);
        assert_eq!(
            spans(&c, "killers kit k kill"),
            vec![(0, 7, vec![2, 3]), (8, 11, vec![3]), (14, 18, vec![2, 3])]
        );
        // é is a word character, so no boundary before "die"; offsets count code points
        assert_eq!(spans(&c, "édie é die"), vec![(7, 10, vec![0])]);
        assert_eq!(
            spans(&c, "kiß-die—die"),
            vec![(0, 3, vec![3]), (4, 7, vec![0]), (8, 11, vec![0])]
        );
    }

    #[test]
    fn bad_cues_and_ranges_are_refused() {
        let ranges = [(48, 57), (97, 122)];
        let full = HashMap::from([("die-hard".to_string(), vec![0])]);
        assert!(Cues::new(full, HashMap::new(), &ranges).is_err());
        assert!(Cues::new(HashMap::new(), HashMap::new(), &[(97, 122), (48, 57)]).is_err());
    }
}
