//! forewarn's native core: the per-token work of a scan, bound to Python with PyO3.
//!
//! Python keeps the data model, the orchestration and every decision a contributor tunes; this
//! crate only does what Python would do token by token, and gives the same answers (the tests in
//! tests/test_native*.py compare each function with its Python reference).

use pyo3::prelude::*;

mod cues;
mod features;
mod lexicon_literals;
mod pytext;
mod text_cues;
mod who_phrases;
mod who_starts;
mod who_terms;
mod who_text;
mod who_tokens;
mod wordpiece;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // A panic here reaches Python as this type (a BaseException): forewarn.errors names it so
    // that one bad input is reported and a batch goes on.
    m.add(
        "PanicException",
        m.py().get_type::<pyo3::panic::PanicException>(),
    )?;
    m.add_class::<wordpiece::WordPieces>()?;
    m.add_class::<cues::CueMatcher>()?;
    m.add_class::<features::KeywordFeatures>()?;
    m.add_function(wrap_pyfunction!(features::token_ascii, m)?)?;
    m.add_class::<lexicon_literals::LiteralSets>()?;
    m.add_class::<who_tokens::NameTokens>()?;
    m.add_function(wrap_pyfunction!(who_text::who_layout, m)?)?;
    m.add_function(wrap_pyfunction!(who_text::who_text_spaces, m)?)?;
    m.add("WHO_TEXT_PATTERNS", who_text::PATTERNS)?;
    m.add_class::<who_terms::CanonTerms>()?;
    m.add_class::<who_starts::WordStarts>()?;
    m.add_class::<text_cues::CueText>()?;
    m.add_function(wrap_pyfunction!(text_cues::cue_text, m)?)?;
    m.add("TEXT_CUES_PATTERNS", text_cues::PATTERNS)?;
    m.add_function(wrap_pyfunction!(who_phrases::who_group_starts, m)?)?;
    Ok(())
}
