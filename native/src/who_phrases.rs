//! Where the runs of capitalised words break (who/phrases.py `_groups`): only the text between
//! one token and the next decides, so the core reads those gaps and Python keeps the tokens.
//!
//! A token joins the one before when that one is not possessive and the gap is one space, or two
//! spaces around a name particle ("Aymeric de Borel"). A gap Python's `lower()` could read
//! otherwise (non-ASCII characters between the spaces) is not decided here: Python decides it.
//! Offsets are Python's: code points, not UTF-8 bytes.

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::pytext::is_python_space;

/// Whether `gap` joins two tokens; None when only Python can say (a non-ASCII word in it).
fn gap_joins(gap: &str, particles: &[String]) -> Option<bool> {
    if gap == " " {
        return Some(true);
    }
    if gap.bytes().filter(|&b| b == b' ').count() != 2 {
        return Some(false);
    }
    let core = gap.trim_matches(is_python_space);
    if !core.is_ascii() {
        // lower() maps a few non-ASCII letters to ASCII ones (the Kelvin sign): Python decides
        return if core.chars().count() <= 3 {
            None
        } else {
            Some(false)
        };
    }
    let lower = core.to_ascii_lowercase();
    Some(particles.contains(&lower))
}

/// The indices of the tokens that open a group, from the tokens' `start`, `surface_end` and
/// `possessive`, and those of them whose gap is Python's to decide; None when the offsets are not
/// in order.
fn group_starts(
    s: &str,
    starts: &[usize],
    surface_ends: &[usize],
    possessive: &[bool],
    particles: &[String],
) -> Option<(Vec<usize>, Vec<usize>)> {
    let n = starts.len();
    if surface_ends.len() != n || possessive.len() != n {
        return None;
    }
    let mut out = Vec::new();
    let mut undecided = Vec::new();
    // code point `cp` is at byte `byte`; the offsets are read forward only
    let (mut cp, mut byte) = (0usize, 0usize);
    let mut chars = s.chars();
    let mut seek = |target: usize| -> Option<usize> {
        if target < cp {
            return None;
        }
        while cp < target {
            byte += chars.next()?.len_utf8();
            cp += 1;
        }
        Some(byte)
    };
    for i in 0..n {
        if i == 0 {
            out.push(0);
            continue;
        }
        let (a, b) = (surface_ends[i - 1], starts[i]);
        if possessive[i - 1] || b <= a {
            out.push(i); // an empty gap (Python slices a reversed one empty) never joins
            continue;
        }
        let ba = seek(a)?;
        let bb = seek(b)?;
        match gap_joins(&s[ba..bb], particles) {
            Some(true) => {}
            Some(false) => out.push(i),
            None => {
                out.push(i);
                undecided.push(i);
            }
        }
    }
    Some((out, undecided))
}

/// The indices of the tokens that open a run of capitalised words, given each token's `start`,
/// `surface_end` and `possessive`, and the name particles (lower-case ASCII); then the indices
/// among them whose gap Python must judge (it opens a group unless that gap joins). None when
/// `text` has no UTF-8 or the offsets go backwards: then Python groups.
#[pyfunction]
pub fn who_group_starts(
    text: &Bound<'_, PyString>,
    starts: Vec<usize>,
    surface_ends: Vec<usize>,
    possessive: Vec<bool>,
    particles: Vec<String>,
) -> Option<(Vec<usize>, Vec<usize>)> {
    group_starts(
        text.to_str().ok()?,
        &starts,
        &surface_ends,
        &possessive,
        &particles,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_on_a_space_or_a_particle() {
        let p = vec!["de".to_string(), "van".to_string()];
        let s = "Aymeric de Borel. Ann Lee  Bo\n VAN Der\u{e9}";
        // Aymeric(0,7) Borel(11,16) Ann(18,21) Lee(22,25) Bo(27,29) VAN(31,34) Deré(35,39)
        let starts = [0, 11, 18, 22, 27, 31, 35];
        let ends = [7, 16, 21, 25, 29, 34, 39];
        let poss = [false; 7];
        let got = group_starts(s, &starts, &ends, &poss, &p);
        assert_eq!(got, Some((vec![0, 2, 4, 5], vec![])));
        let mut poss2 = poss;
        poss2[2] = true;
        let got = group_starts(s, &starts, &ends, &poss2, &p);
        assert_eq!(got, Some((vec![0, 2, 3, 4, 5], vec![])));
        // " \n VAN " between Bo and Deré: two spaces, "VAN" once stripped and lowered
        let got = group_starts(s, &[27, 35], &[29, 39], &[false, false], &p);
        assert_eq!(got, Some((vec![0], vec![])));
        // the Kelvin sign lower-cases to "k" in Python: not decided here
        let k = "A \u{212a} B";
        let got = group_starts(k, &[0, 4], &[1, 5], &[false, false], &p);
        assert_eq!(got, Some((vec![0, 1], vec![1])));
        // offsets going backwards
        let back = group_starts(s, &[11, 18, 20], &[16, 10, 21], &[false; 3], &p);
        assert_eq!(back, None);
    }
}
